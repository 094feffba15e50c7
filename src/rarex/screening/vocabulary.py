"""The words company and institution names are made of, in English, Chinese and pinyin.

Matching weighs the distinctive part of a name (Hikvision, 中科三环, Kalashnikov) far above
the words that half the names on a list share (Technology, 科技, Beijing, Co.): two names that
share city and industry but not their trade name are different companies, and a name with its
city or industry left off is still the same company. These tables say which words are the
shared kind. They are general knowledge of how names are built (places, industries, kinds of
organisation), not a list of particular entities.

``GLOSSARY`` also gives the usual English rendering of each Chinese term, so that a name in
characters can be compared with the English name a list gives for it: 成都海光集成电路设计
reads as "chengdu haiguang integrated circuit design".
"""

from __future__ import annotations

from functools import lru_cache

import pycountry
from anyascii import anyascii
from pypinyin import lazy_pinyin

from rarex.screening.pinyin import pinyin_syllables

#: Chinese name parts and their usual English renderings, the commonest first, others after
#: "|" (empty: dropped in English).
GLOSSARY: dict[str, str] = {
    # technology and industry
    "科技": "technology", "技术": "technology", "高科技": "high technology", "高技术": "high technology",
    "高新技术": "high technology", "高科": "hi tech", "新技术": "new technology", "电子": "electronics",
    "微电子": "microelectronics", "光电": "optoelectronics", "光电子": "optoelectronics", "信息": "information",
    "信息技术": "information technology", "网络": "network", "网络技术": "network technology", "软件": "software",
    "数字": "digital", "数字技术": "digital technology", "智能": "intelligent", "通信": "communication",
    "通讯": "communication", "集成电路": "integrated circuit", "半导体": "semiconductor", "芯片": "chip",
    "材料": "materials", "新材料": "new materials", "稀土": "rare earth", "磁材": "magnetic materials",
    "磁性材料": "magnetic materials", "永磁": "permanent magnet", "磁业": "magnetics", "金属": "metals",
    "有色金属": "nonferrous metals", "稀有金属": "rare metals", "冶金": "metallurgy", "钢铁": "iron and steel",
    "矿业": "mining", "矿产": "minerals", "化工": "chemical", "化学": "chemical", "精密": "precision",
    "机械": "machinery", "设备": "equipment", "仪器": "instruments", "制造": "manufacturing", "工业": "industry|industries|industrial",
    "实业": "industrial|industry", "贸易": "trading|trade", "商贸": "trading", "进出口": "import and export", "国际": "international",
    "物流": "logistics", "投资": "investment", "控股": "holding", "集团": "group", "发展": "development",
    "开发": "development", "工程": "engineering", "研究院": "research institute|academy",
    "研究": "research", "研究中心": "research center", "中心": "center", "大学": "university", "学院": "institute|college",
    "科学": "science", "科学院": "academy of sciences", "实验室": "laboratory", "航天": "aerospace|space",
    "航空": "aviation|aero|aeronautical", "航空航天": "aerospace|aeronautics and astronautics", "船舶": "shipbuilding|marine|ship", "海洋": "marine", "能源": "energy",
    "新能源": "new energy", "电力": "power|electric power", "动力": "power", "核工业": "nuclear industry", "核电": "nuclear power",
    "兵器": "ordnance", "国防": "national defense", "军工": "military industry", "装备": "equipment",
    "电器": "electrical appliances", "电气": "electric", "激光": "laser", "光学": "optics", "医药": "pharmaceutical",
    "生物": "biological", "服务": "services", "咨询": "consulting", "管理": "management", "供应链": "supply chain",
    "汽车": "automotive", "零部件": "parts", "元件": "components", "电子元件": "electronic components",
    "配件": "parts", "制品": "products", "产品": "products", "销售": "sales", "运输": "transport", "货运": "freight",
    "航运": "shipping", "船务": "shipping", "电机": "motors", "机电": "electromechanical", "自动化": "automation",
    "控制": "control", "系统": "systems", "计算": "computing", "计算机": "computer", "超级计算": "supercomputing",
    "云计算": "cloud computing", "大数据": "big data", "人工智能": "artificial intelligence", "安全": "security",
    "防务": "defense", "设计": "design", "应用": "applied", "物理": "physics", "工艺": "technology",
    "器材": "equipment", "环保": "environmental", "建设": "construction", "兵团": "corps", "生产": "production",
    # what the defence and aerospace bodies of export-control lists make (not aircraft and engine:
    # Shaanxi Aircraft Industry Group would have no distinctive word left)
    "直升机": "helicopter",
    "无人机": "uav|drone|unmanned aerial vehicle", "导弹": "missile", "火箭": "rocket", "运载火箭": "launch vehicle",
    "卫星": "satellite", "雷达": "radar", "导航": "navigation", "测控": "measurement and control|telemetry",
    "微波": "microwave", "声学": "acoustics", "弹药": "ammunition", "武器": "weapons", "推进": "propulsion",
    "遥感": "remote sensing", "邮电": "posts and telecommunications", "电信": "telecommunications",
    "监控": "surveillance", "机器人": "robotics|robot", "国家实验室": "national laboratory",
    # kinds of organisation and their parts
    "股份": "", "分公司": "branch", "总公司": "", "公司": "", "办事处": "office", "代表处": "representative office",
    "子公司": "subsidiary", "企业": "enterprise", "院": "academy", "工厂": "factory", "厂": "factory", "国家": "national",
    "中华": "chinese", "中国": "china", "国营": "state owned", "国有": "state owned", "省": "province",
    "市": "", "县": "county", "区": "district", "新区": "new area", "开发区": "development zone",
    # the autonomous regions by their full names (新疆维吾尔自治区: Xinjiang Uighur Autonomous
    # Region; not 壮族 and 回族: every English word here is a generic word, and Zhuang and Hui are
    # surnames), and the public security organs lists name in them
    "自治区": "autonomous region", "维吾尔自治区": "uighur autonomous region|uyghur autonomous region",
    "公安厅": "public security department|public security bureau", "公安局": "public security bureau",
    "公安部": "ministry of public security",
    "高新区": "high tech zone", "工业园": "industrial park", "科技园": "science park", "第": "no",
    # universities, institutes and the state groups' words
    "理工": "science and technology", "理工大学": "university of science and technology",
    # (not "institute of technology", though English names give it to both: Beijing Institute of
    # Technology is 北京理工大学, Harbin Institute of Technology 哈尔滨工业大学; two universities
    # of one city would read alike, and three labelled negatives alerted)
    "工业大学": "university of technology|polytechnical university",
    "科技大学": "university of science and technology|university of technology", "师范": "normal", "师范大学": "normal university",
    "农业": "agricultural|agriculture", "农业大学": "agricultural university", "医科大学": "medical university",
    "研究所": "institute|research institute", "石油": "oil|petroleum", "天然气": "natural gas",
    "石油化工": "petrochemical|petroleum and chemical", "产业": "industry", "重工": "heavy industry",
    "存储": "memory|storage", "移动": "mobile", "交通": "communications|transportation",
    "海洋石油": "offshore oil|marine petroleum", "海运": "shipping", "远洋": "ocean shipping",
    "油运": "tanker|oil shipping",
}

#: Provinces, major cities and regions: in a company name they say where, not who.
PLACES: frozenset[str] = frozenset(["北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门", "深圳", "广州", "杭州", "南京", "苏州", "无锡", "宁波", "厦门", "福州", "青岛", "济南", "大连", "沈阳", "哈尔滨", "长春", "长沙", "武汉", "郑州", "西安", "成都", "合肥", "南昌", "昆明", "贵阳", "南宁", "太原", "石家庄", "兰州", "西宁", "银川", "乌鲁木齐", "呼和浩特", "拉萨", "海口", "三亚", "包头", "赣州", "佛山", "东莞", "珠海", "中山", "温州", "绍兴", "嘉兴", "常州", "南通", "徐州", "扬州", "烟台", "潍坊", "淄博", "洛阳", "宜昌", "襄阳", "株洲", "湘潭", "衡阳", "绵阳", "德阳", "宜宾", "遵义", "柳州", "桂林", "泉州", "漳州", "莆田", "台北", "高雄", "台中", "新竹", "桃园", "台南", "浦东", "滨海", "中关村", "张江", "西北", "东北", "华北", "华东", "华南", "华中", "西南", "天府", "两江", "昆山", "江阴", "义乌", "金华", "台州", "湖州", "芜湖", "马鞍山", "唐山", "保定", "廊坊", "秦皇岛", "鞍山", "抚顺", "本溪", "锦州", "营口", "丹东", "大庆", "吉林市", "四平", "赤峰", "鄂尔多斯", "白云鄂博", "龙岩", "三明", "九江", "景德镇", "萍乡", "宜春", "吉安", "抚州", "上饶", "新余", "鹰潭", "开封", "新乡", "焦作", "安阳", "南阳", "信阳", "黄石", "十堰", "荆州", "岳阳", "常德", "益阳", "郴州", "永州", "怀化", "娄底", "韶关", "汕头", "江门", "湛江", "茂名", "肇庆", "惠州", "梅州", "清远", "揭阳", "乐山", "南充", "泸州", "自贡", "攀枝花", "达州", "六盘水", "安顺", "曲靖", "玉溪", "大理", "北海", "梧州", "钦州", "防城港", "宝鸡", "咸阳", "渭南", "延安", "榆林", "汉中", "天水", "酒泉", "嘉峪关", "金昌", "白银", "克拉玛依", "喀什", "伊犁", "石河子", "海淀", "朝阳", "丰台", "东城", "西城", "南山", "福田", "宝安", "龙岗", "黄埔", "天河", "番禺", "南沙"])

#: Surnames read otherwise than the character usually is (单 is dan, but the surname Shan; 曾
#: ceng, the surname Zeng), from the lists of 多音字姓氏: a name in characters whose first
#: character is one of these is also read with the surname's reading. Only these: every
#: reading a dictionary knows (王 yu, 沈 tan, 贾 gu) would make "Yu Na" 王娜.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "单": ("shan",), "曾": ("zeng",), "仇": ("qiu",), "区": ("ou",), "查": ("zha",), "朴": ("piao",), "解": ("xie",),
    "繁": ("po",), "盖": ("ge",), "覃": ("qin",), "员": ("yun",), "乐": ("yue",), "缪": ("miao",), "种": ("chong",),
    "句": ("gou",), "秘": ("bi",), "翟": ("zhai",), "召": ("shao",), "宓": ("fu",), "牟": ("mu",), "藏": ("zang",),
    "能": ("nai",), "黑": ("he",), "折": ("she",), "谌": ("shen",), "蕃": ("pi",), "便": ("pian",), "适": ("kuo",),
    "费": ("bi",), "祭": ("zhai",), "缴": ("zhuo",), "洗": ("xian",), "隗": ("wei",), "阚": ("kan",), "都": ("du",),
    "卜": ("bu",),
}

#: Places whose English name is not their Hanyu pinyin (Wade-Giles, Cantonese, exonyms).
PLACE_EXONYMS: dict[str, str] = {
    "香港": "hongkong", "澳门": "macau", "台湾": "taiwan", "台北": "taipei", "高雄": "kaohsiung", "台中": "taichung",
    "新竹": "hsinchu", "桃园": "taoyuan", "台南": "tainan", "西藏": "tibet", "内蒙古": "innermongolia",
    "陕西": "shaanxi",  # so written to tell it from 山西 Shanxi
    "广西": "guangxi", "宁夏": "ningxia",  # the dictionary gives their full names (Guangxi Zhuang Autonomous Region)
    # regions, as universities' and firms' English names give them (Northwestern Polytechnical
    # University, Southwest Jiaotong University, North China Electric Power University; see
    # normalise._TWO_WORD_PLACES for "North China" typed as two words)
    "西北": "northwestern", "东北": "northeastern", "西南": "southwestern", "华北": "northchina", "华东": "eastchina",
    "华南": "southchina", "华中": "centralchina",
}

#: A region is its adjective (Northwest University, Northwestern Polytechnical University: 西北),
#: the longer word, whose typos are still near it: see PLACE_EXONYMS.
DIRECTIONS: dict[str, str] = {"northwest": "northwestern", "northeast": "northeastern", "southwest": "southwestern"}

#: Places as the postal romanisation wrote them, still in the English names of universities
#: and companies (Peking University, Soochow University, Tsingtao Brewery), read as pinyin.
POSTAL_ROMANISATIONS: dict[str, str] = {
    "peking": "beijing", "peiping": "beijing", "tientsin": "tianjin", "nanking": "nanjing", "tsingtao": "qingdao",
    "chungking": "chongqing", "amoy": "xiamen", "hangchow": "hangzhou", "soochow": "suzhou", "foochow": "fuzhou",
    "swatow": "shantou", "dairen": "dalian", "mukden": "shenyang", "hankow": "hankou", "szechuan": "sichuan",
    "szechwan": "sichuan", "kwangtung": "guangdong", "fukien": "fujian", "shantung": "shandong", "hupeh": "hubei",
    "kiangsu": "jiangsu", "chekiang": "zhejiang", "kweichow": "guizhou", "shansi": "shanxi", "shensi": "shaanxi",
    "kansu": "gansu", "sinkiang": "xinjiang", "kwangsi": "guangxi", "anhwei": "anhui", "kiangsi": "jiangxi",
}

#: English words that build names rather than tell them apart.
GENERIC_WORDS: frozenset[str] = frozenset(["helicopters", "unmanned", "aerial", "explosives", "avionics",
                                           "turbine", "turbines", "armaments", "munitions", "spacecraft", "internet",
                                           "wireless", "technology", "technologies", "tech", "hitech", "hi", "high", "new", "science", "sciences", "scientific", "electronics", "electronic", "electrical", "electric", "microelectronics", "optoelectronics", "optoelectronic", "information", "network", "networks", "software", "digital", "intelligent", "intelligence", "communication", "communications", "integrated", "circuit", "circuits", "semiconductor", "semiconductors", "chip", "chips", "materials", "material", "magnet", "magnets", "magnetic", "magnetics", "rare", "earth", "earths", "metals", "metal", "metallurgy", "metallurgical", "steel", "iron", "mining", "minerals", "mineral", "resources", "chemical", "chemicals", "precision", "machinery", "machine", "machines", "equipment", "instruments", "instrument", "manufacturing", "manufacture", "industry", "industries", "industrial", "trading", "trade", "import", "export", "imports", "exports", "international", "global", "logistics", "investment", "investments", "holding", "holdings", "group", "development", "engineering", "research", "institute", "institution", "center", "centre", "university", "college", "academy", "laboratory", "laboratories", "lab", "labs", "aerospace", "aviation", "aero", "space", "marine", "ocean", "shipbuilding", "shipping", "ship", "energy", "power", "nuclear", "ordnance", "defense", "defence", "military", "systems", "system", "automation", "control", "computing", "computer", "supercomputing", "cloud", "data", "services", "service", "consulting", "management", "supply", "chain", "automotive", "parts", "components", "products", "sales", "transport", "freight", "enterprise", "enterprises", "factory", "works", "plant", "branch", "office", "representative", "subsidiary", "national", "state", "owned", "province", "provincial", "city", "county", "district", "zone", "park", "new", "area", "china", "chinese", "design", "applied", "physics", "construction", "production", "corps", "bureau", "ministry", "academy", "general", "main", "central", "united", "first", "second", "third", "no", "number", "trust", "foundation", "association", "society", "union", "federation", "council", "agency", "authority", "administration", "department", "division", "commission", "committee", "air", "sea", "land", "auto", "aero", "avia", "products", "product", "textile", "textiles", "garment", "apparel", "food", "foods", "agricultural", "agriculture", "pharma", "pharmaceutical", "pharmaceuticals", "medical", "health", "bio", "biotech", "optical", "optics", "photonics", "laser", "lasers", "sensor", "sensors", "radar", "sonar", "satellite", "satellites", "defense", "security", "solutions", "solution", "technical", "techno", "systems", "tools", "tool", "components", "device", "devices", "instruments", "motor", "motors", "battery", "batteries", "vehicle", "vehicles", "transportation", "petroleum", "oil", "gas", "petrochemical", "construction", "building", "infrastructure", "port", "ports", "airport", "airline", "airlines", "shipyard", "shipyards", "bank", "banking", "banco", "banca", "banque", "bankasi", "nacional", "nationale", "nazionale", "finance", "financial", "capital", "insurance", "exchange", "partners", "partnership", "associates", "associated", "ventures", "handel", "handels", "handelsgesellschaft", "gesellschaft", "technik", "technologie", "elektronik", "elektro", "industrie", "werke", "werk", "maschinenbau", "logistik", "halbleiter", "vertrieb", "anlagenbau", "metall", "chemie", "systeme", "industriel", "industrielle", "societe", "groupe", "technologies", "electronique", "industria", "industrial", "comercial", "comercio", "tecnologia", "tecnologias", "sistemas", "servicios", "grupo", "sanayi", "ticaret", "tekstil", "elektronik", "insaat", "muhendislik", "makina", "teknoloji", "savunma", "havacilik", "dis", "promyshlennost", "promyshlennaya", "kompaniya", "gruppa", "zavod", "tekhnologii", "tekhnologiya", "nauchno", "proizvodstvennoye", "obyedineniye", "kontsern", "korporatsiya",
    # kinds of body that lists name: organisations, funds, armed and political groups
    "organization", "organisation", "organizations", "concern", "fund", "headquarters", "school", "hospital", "force",
    "forces", "army", "navy", "guard", "guards", "brigade", "battalion", "regiment", "unit", "movement", "party",
    "front", "cartel",
    "telecom", "telecoms", "telecommunication", "telecommunications", "telekom", "telecomunicaciones"])

#: Words that join other words and mean nothing on their own.
#: (Not "a", "e" or "y", though Romance languages link words with them: a person's initial is a
#: letter, and Richard A. Taylor is not Richard Taylor.)
STOPWORDS: frozenset[str] = frozenset(["of", "and", "the", "for", "de", "la", "le", "du", "des", "der", "die", "das", "und", "et", "di", "da", "do", "an", "in", "at", "on", "ve"])

#: Titles and honorifics written before a person's name, in the forms lists and documents use
#: (Dr, Mr, General, Sheikh, Haji, Maulavi), and what follows a name to tell a father from his
#: son (Jr, III). Neither names anyone: "General Qasem Soleimani" is Qasem Soleimani. None is
#: one pinyin syllable ("He", "Gen" and "Eng" may be Chinese surnames; see normalise._without_titles).
TITLES: frozenset[str] = frozenset([
    "mr", "mrs", "ms", "miss", "mister", "dr", "doctor", "prof", "professor", "sir", "dame", "lord", "lady",
    "madam", "madame", "mme", "mlle", "monsieur", "herr", "frau", "senor", "senora", "sra", "rev", "reverend",
    "hon", "honorable", "honourable", "excellency", "dipl", "ing", "engr", "engineer",
    "sheikh", "shaikh", "sheik", "shaykh", "cheikh", "haji", "hajji", "hadji", "alhaji", "alhaj", "mullah", "mulla",
    "molla", "maulavi", "mawlawi", "maulvi", "moulavi", "maulana", "mawlana", "mufti", "qari", "ayatollah",
    "hojatoleslam", "general", "lieutenant", "colonel", "major", "captain", "admiral", "brigadier", "commander",
    "marshal", "sergeant", "corporal", "lt", "ltc", "col", "maj", "capt", "cpt", "adm", "brig", "cmdr", "cdr",
    "sgt", "president", "minister", "ambassador", "senator", "judge"])
NAME_SUFFIXES: frozenset[str] = frozenset(["jr", "junior", "sr", "senior", "ii", "iii", "iv"])


@lru_cache(maxsize=1)
def _country_words() -> frozenset[str]:
    """Every word of every country name (pycountry): "Iran" or "Federation" says where or what."""
    words = set()
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            for w in getattr(c, attr, "").lower().replace(",", " ").replace("(", " ").replace(")", " ").split():
                if w.isalpha():
                    words.add(w)
    return frozenset(words)


@lru_cache(maxsize=1)
def generic_latin() -> frozenset[str]:
    """Generic words as they appear in Latin script: the English words, country names, and the
    pinyin of the Chinese generic terms and places as people type it (keji, beijing)."""
    # A one-character term's pinyin (厂 chang, 院 yuan, 县 xian) is as often a person's name.
    pinyin = {"".join(lazy_pinyin(term)) for term in (*GLOSSARY, *PLACES) if len(term) > 1}
    english = {w for rendering in GLOSSARY.values() for w in rendering.replace("|", " ").split()}
    # A country word that is also a pinyin syllable (San Marino's "san") would mark 三 generic.
    countries = {w for w in _country_words() if len(w) > 3 and w not in pinyin_syllables()}
    english |= GENERIC_WORDS
    return frozenset(english | {_plural(w) for w in english if len(w) > 3 and not w.endswith("s")} | pinyin | countries) - STOPWORDS


def _plural(word: str) -> str:
    """The English plural of a generic word (factory, factories; works are written either way)."""
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + ("es" if word.endswith(("s", "x", "ch", "sh")) else "s")


@lru_cache(maxsize=1)
def places_latin() -> frozenset[str]:
    """The places as typed in pinyin or English (beijing, kunshan, taipei, hongkong) and the
    countries (india, sweden, polska): a place in a name says where, and a company named with
    one is often a national branch of the company named without it."""
    return frozenset("".join(lazy_pinyin(p)) for p in PLACES) | frozenset(PLACE_EXONYMS.values()) | {"macao"} | countries()


@lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    """Country names and their words in English and in their own languages (india, sweden,
    polska, europe): in a company's name, often a national branch of the company without it."""
    words = {w for w in _country_words() if len(w) > 3 and w not in pinyin_syllables()} - COUNTRY_NAME_WORDS
    return frozenset(words | COUNTRY_ENDONYMS.keys() | set(COUNTRY_ENDONYMS.values()) | DEMONYMS.keys())


@lru_cache(maxsize=1)
def official_country_names() -> dict[tuple[str, ...], tuple[str, ...]]:
    """A country's official or long name, as words without "of" and "the" (republic belarus,
    russian federation, islamic republic iran) -> its usual name (belarus, russia, iran), from
    pycountry: "State Security Committee of the Republic of Belarus" is named by Belarus, and
    a query that says only Belarus leaves nothing of the name out. Not where two states share
    the usual name (the two Congos, the two Koreas)."""
    found: dict[tuple[str, ...], tuple[str, ...]] = {}
    shared: dict[tuple[str, ...], int] = {}
    for country in pycountry.countries:
        code = country.alpha_2.lower()
        if code in ("us", "gb"):  # United States, United Kingdom: words that say what, in Western firms' names
            continue
        name = country.name
        usual = (_USUAL_NAMES.get(code) or getattr(country, "common_name", None) or name.split(",")[0])
        short = tuple(_words_of(usual))
        shared[short] = shared.get(short, 0) + 1
        longs = {getattr(country, "official_name", None), name}
        if "," in name:  # Iran, Islamic Republic of: Islamic Republic of Iran
            head, _, tail = name.partition(",")
            longs.add(f"{tail.strip()} {head}")
        for long in filter(None, longs):
            words = tuple(_words_of(long))
            if len(words) > len(short) and "," not in long:
                found[words] = short
    return {long: short for long, short in found.items() if short and shared[short] == 1 and "korea" not in long}


def _words_of(name: str) -> list[str]:
    """A country's name as the words a name's text splits into, without of, the and and."""
    words = anyascii(name).lower().replace("'", "").replace("(", " ").replace(")", " ").replace("-", " ").split()
    return [w for w in words if w not in ("of", "the", "and")]


#: Countries whose usual English name pycountry does not give (Russian Federation: Russia).
_USUAL_NAMES = {"ru": "russia", "us": "america", "gb": "britain"}


@lru_cache(maxsize=512)
def country_words_of(code: str) -> frozenset[str]:
    """The words that name one country (ISO 3166-1 alpha-2, lower case) as a name's form has
    them (ve: venezuela; ru: russia, russian; tr: turkiye read as turkey): in a query, the
    entity's own country says no more than the entity's record does."""
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return frozenset()
    words = {COUNTRY_ENDONYMS.get(w, w) for attr in ("name", "common_name", "official_name")
             for w in anyascii(getattr(country, attr, "")).lower().replace(",", " ").split()}
    return frozenset((words | {_USUAL_NAMES.get(code, "")}) & countries())


#: The adjectives of the countries names are most often made with (Iranian Aircraft Industries,
#: Russian Helicopters, Syrian Petroleum Company), as the country's name: a name written with
#: one is the name written with the other (IRAN AIRCRAFT INDUSTRIES), and an adjective and
#: its country are one place, not two. Not korean (korea names two states and no place), nor
#: the adjectives that are also persons' names (German Gref, Dawn French, Thai).
DEMONYMS: dict[str, str] = {
    "russian": "russia", "belarusian": "belarus", "belarussian": "belarus", "byelorussian": "belarus",
    "ukrainian": "ukraine", "iranian": "iran", "syrian": "syria", "iraqi": "iraq", "lebanese": "lebanon",
    "yemeni": "yemen", "afghan": "afghanistan", "pakistani": "pakistan", "libyan": "libya", "sudanese": "sudan",
    "chinese": "china", "taiwanese": "taiwan", "burmese": "myanmar", "myanma": "myanmar", "cambodian": "cambodia",
    "vietnamese": "vietnam", "laotian": "laos", "indian": "india", "indonesian": "indonesia",
    "malaysian": "malaysia", "japanese": "japan", "cuban": "cuba", "venezuelan": "venezuela",
    "nicaraguan": "nicaragua", "colombian": "colombia", "mexican": "mexico", "bolivian": "bolivia",
    "brazilian": "brazil", "argentine": "argentina", "argentinian": "argentina", "chilean": "chile",
    "peruvian": "peru", "ecuadorian": "ecuador", "haitian": "haiti", "kazakh": "kazakhstan",
    "kazakhstani": "kazakhstan", "kyrgyz": "kyrgyzstan", "uzbek": "uzbekistan", "tajik": "tajikistan",
    "turkmen": "turkmenistan", "armenian": "armenia", "azerbaijani": "azerbaijan", "georgian": "georgia",
    "serbian": "serbia", "bosnian": "bosnia", "croatian": "croatia", "albanian": "albania", "italian": "italy", "spanish": "spain", "dutch": "netherlands", "swiss": "switzerland",
    "swedish": "sweden", "polish": "poland", "turkish": "turkey", "israeli": "israel", "palestinian": "palestine",
    "jordanian": "jordan", "algerian": "algeria", "moroccan": "morocco", "tunisian": "tunisia",
    "egyptian": "egypt", "zimbabwean": "zimbabwe", "somali": "somalia", "eritrean": "eritrea",
    "ethiopian": "ethiopia", "nigerian": "nigeria", "malian": "mali", "chadian": "chad", "qatari": "qatar",
    "kuwaiti": "kuwait", "omani": "oman", "bahraini": "bahrain", "british": "britain",
    "american": "america", "tanzanian": "tanzania", "moldovan": "moldova",
}


#: Words of country names that say what a state is, not where: "Republic", "United".
COUNTRY_NAME_WORDS = frozenset({"republic", "united", "democratic", "federal", "federation", "people", "peoples",
                                 "islamic", "kingdom", "state", "states", "plurinational", "socialist", "union",
                                 "arab", "emirates", "north", "south", "west", "east", "central", "islands", "island",
                                 "saint", "holy", "great", "principality", "commonwealth", "grand", "duchy", "sultanate",
                                 "territory", "outlying", "minor", "province", "administrative", "region", "special",
                                 "bolivarian", "independent", "oriental", "cooperative", "hashemite", "lao", "korea"})

#: Countries as their own languages and company registers name them, and regions that stand
#: for a branch's territory ("Hanseatische Handelsbank Polska", "Sberbank Europe"), with the
#: English name every form reads them as: "Sberbank Rossii" is Sberbank of Russia, and a
#: different place where the country is the same would bound the score.
COUNTRY_ENDONYMS: dict[str, str] = {
    "polska": "poland", "deutschland": "germany", "schweiz": "switzerland", "suisse": "switzerland",
    "svizzera": "switzerland", "norge": "norway", "sverige": "sweden", "danmark": "denmark", "suomi": "finland",
    "belgie": "belgium", "belgique": "belgium", "nederland": "netherlands", "espana": "spain", "italia": "italy",
    "osterreich": "austria", "turkiye": "turkey", "rossii": "russia", "rossiya": "russia", "rossiia": "russia",
    "hellas": "greece", "magyarorszag": "hungary", "cesko": "czechia", "slovensko": "slovakia", "romania": "romania",
    "hrvatska": "croatia", "srbija": "serbia", "ukraina": "ukraine", "ukrainy": "ukraine", "qazaqstan": "kazakhstan",
    "europe": "europe", "europa": "europe", "uk": "uk", "usa": "usa", "singapore": "singapore", "mexico": "mexico",
    "brasil": "brazil", "japan": "japan", "nippon": "japan",
    # The adjective Burmese state enterprises are named with (Myanma Oil and Gas Enterprise,
    # Myanma Foreign Trade Bank), and the country's older English name.
    "myanma": "myanmar", "burma": "myanmar"}


@lru_cache(maxsize=1)
def chinese_terms() -> dict[str, str | None]:
    """Generic Chinese terms for segmenting a name: glossary terms with their English, places
    with None (a place keeps its pinyin in English: 成都 is Chengdu)."""
    return {**dict.fromkeys(sorted(PLACES)), **GLOSSARY}  # sorted: the same order in every process


MAX_TERM = 6  # the longest term above, in characters


#: Zipf frequency (log10 of a word's uses per billion words) from which an English word is
#: common: atlas 3.8, ruby 4.0, taco 3.7, wagner 3.7; not huawei 3.3, rosneft 2.3, tako 2.0.
COMMON_ZIPF = 3.5


@lru_cache(maxsize=8192)
def common_word(word: str) -> bool:
    """Whether an English reader meets ``word`` often (wordfreq's small English list, 29,000
    words): a firm named with such words alone (Atlas Holding, Ruby Enterprise) is one of many
    of that name, where a coined name (Hikvision, Rosoboronexport) is one firm's."""
    from wordfreq import zipf_frequency  # loads its list on first use: only a search that needs it pays

    return zipf_frequency(word, "en", wordlist="small") >= COMMON_ZIPF


@lru_cache(maxsize=8192)
def common_compound(word: str) -> bool:
    """Whether ``word`` is two common English words of three letters or more run together
    (Cargoline, Starlink, Bluestone): a name coined as many firms coin theirs, not one firm's
    (Sovcombank, Gazprom: sov and gaz are no English words)."""
    return any(common_word(word[:i]) and common_word(word[i:]) for i in range(3, len(word) - 2))


#: The words Korean bodies' names are made of, with the English the lists render them by
#: (조선흥진무역회사: Korea Heungjin Trading Company; 단천상업은행: Tanchon Commercial Bank). A
#: name in Hangul runs them together with its own name; see normalise._korean_body.
KOREAN_GLOSSARY: dict[str, str] = {
    "조선": "korea", "대한": "korea", "한국": "korea", "무역": "trading", "회사": "company", "총회사": "general company",
    "상사": "trading company", "공사": "corporation", "총국": "general bureau", "기업소": "enterprise", "기업": "enterprise",
    "그룹": "group", "련합": "associated", "연합": "associated", "합영": "joint venture", "합작": "joint venture",
    "상업": "commercial", "은행": "bank", "금융": "financial", "보험": "insurance", "투자": "investment",
    "대외": "foreign", "국제": "international", "중앙": "central", "인민": "peoples", "국가": "national",
    "공업": "industrial", "산업": "industrial", "기술": "technology", "개발": "development", "광업": "mining",
    "광산": "mine", "광물": "mineral", "자원": "resources", "해운": "shipping", "선박": "shipping", "해양": "marine",
    "운수": "transport", "항공": "airline", "수출입": "export import", "수출": "export", "수입": "import",
    "석유": "oil", "전자": "electronics", "화학": "chemical", "제철": "steel", "제철소": "steel works",
    "금속": "metal", "기계": "machinery", "설비": "equipment", "건설": "construction", "수산": "fisheries",
    "연구소": "research institute", "연구원": "research institute", "대학": "university", "대학교": "university",
    "주식회사": "co ltd", "유한회사": "limited company", "국방": "national defense", "과학원": "academy of science",
    "과학": "science", "군수": "munitions", "공업부": "industry department", "원자력": "atomic energy",
    "통일": "united", "발전": "development",
}


#: The words bodies' names in Arabic and Persian are made of, with the English the lists
#: render them by (شركة الفرات للنفط: Al Furat Petroleum Company; هواپیمایی ماهان: Mahan Air),
#: written without the article or the prepositions joined to them (see skeleton.body_words).
#: Where lists render a word two ways, both (مؤسسة: foundation, corporation). Not a word that
#: is as often a person's name (Eslami), or only with its article (الشهيد: Shahid is a name).
ARABIC_GLOSSARY: dict[str, str] = {
    # Arabic
    "شركة": "company", "مؤسسة": "foundation|corporation|establishment|institute", "بنك": "bank", "مصرف": "bank",
    "تجاري": "commercial", "تجارية": "commercial", "تجارة": "trading", "عامة": "general", "عام": "general",
    "وطني": "national", "وطنية": "national", "دولي": "international", "دولية": "international",
    "عقاري": "real estate", "صناعي": "industrial", "صناعية": "industrial", "صناعة": "industry", "زراعي": "agricultural",
    "نفط": "petroleum|oil", "طيران": "aviation|airlines", "اجنحة": "wings", "مركز": "center", "دراسات": "studies",
    "بحوث": "research", "علمية": "scientific", "جمعية": "society|association|charity", "خيرية": "charitable",
    "مجموعة": "group", "قابضة": "holding", "استثمار": "investment", "صرافة": "exchange", "شحن": "shipping",
    "ملاحة": "navigation|shipping", "بحرية": "marine", "نقل": "transport", "مقاولات": "contracting",
    "هندسة": "engineering", "هندسية": "engineering", "تنمية": "development", "هيئة": "authority", "وزارة": "ministry",
    "دفاع": "defense", "منظمة": "organization", "مكتب": "office", "ترست": "trust", "تامين": "insurance",
    "اتصالات": "telecommunications", "الشهيد": "martyrs|martyr", "الشهداء": "martyrs", "مصانع": "factories",
    "معامل": "laboratories", "حركة": "movement", "جبهة": "front", "كتائب": "brigades", "لواء": "brigade",
    # Persian
    "شرکت": "company", "بانک": "bank", "صنایع": "industries", "صنعتی": "industrial", "الکترونیک": "electronics",
    "هواپیمایی": "air|airlines|airline", "قرارگاه": "headquarters|base", "سازندگی": "construction",
    "سازمان": "organization", "بنیاد": "foundation", "پژوهشی": "research",
    "تحقیقات": "research", "مرکز": "center", "گروه": "group", "کشتیرانی": "shipping lines|shipping",
    "دریایی": "marine", "نفت": "oil", "پتروشیمی": "petrochemical", "هوافضا": "aerospace", "دفاعی": "defense",
    "موشکی": "missile", "پاسداران": "guards", "تجارت": "trading", "بازرگانی": "trading|commercial",
    "ملی": "national", "مهندسی": "engineering", "خدمات": "services", "فولاد": "steel", "مس": "copper",
    "پشتیبانی": "support|logistics", "وزارت": "ministry", "نیروهای": "forces", "نیرو": "force", "مسلح": "armed",
    "اطلاعات": "intelligence|information", "نوسازی": "renewal|modernization", "هلیکوپتر": "helicopter",
    "هلیکوپترهای": "helicopters|helicopter", "لشکر": "division|army", "تیپ": "brigade", "سپاه": "corps|guards",
    # The region's countries and their adjectives (Syrian Petroleum Company: الشركة السورية للنفط)
    "سوريا": "syria|syrian", "سورية": "syrian|syria", "سوري": "syrian", "ایران": "iran|iranian", "إيران": "iran|iranian", "ايران": "iran|iranian",
    "ایرانی": "iranian|iran", "إيرانية": "iranian|iran", "العراق": "iraq|iraqi", "عراق": "iraq|iraqi", "عراقية": "iraqi|iraq",
    "عراقي": "iraqi", "لبنان": "lebanon|lebanese", "لبنانية": "lebanese|lebanon", "لبناني": "lebanese", "اليمن": "yemen|yemeni",
    "يمنية": "yemeni|yemen", "يمني": "yemeni", "افغانستان": "afghanistan", "پاکستان": "pakistan",
}
