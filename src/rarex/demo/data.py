"""Fictional but realistic demo organisations and parties.

No name here is a real company's: exporters are invented Chinese producers in the real
rare-earth regions (Inner Mongolia, Jiangxi, Fujian, Sichuan, Guangdong, Zhejiang...), end
users invented manufacturers in the real destination countries of 2025 (FACTS.md section 5:
Germany, South Korea, the United States, Vietnam, India, Japan).
"""

from __future__ import annotations

# (name_en, name_zh, city, ICP?, years exporting, briefings, stable channels, violation kind or None)
EXPORTERS = [
    ("Baotou Aurora Magnetics Co., Ltd.", "包头曙光磁材有限公司", "Baotou, Inner Mongolia", True, 15, 4, True, None),
    ("Ganzhou Jadeite Rare Earth Materials Co., Ltd.", "赣州翠石稀土材料有限公司", "Ganzhou, Jiangxi", True, 12, 3, True, None),
    ("Ningde Seawind Permanent Magnet Co., Ltd.", "宁德海风永磁有限公司", "Ningde, Fujian", True, 9, 3, True, None),
    ("Leshan Emei Rare Metals Co., Ltd.", "乐山峨眉稀有金属有限公司", "Leshan, Sichuan", True, 7, 2, True, None),
    ("Longyan Hakka Oxide Refining Co., Ltd.", "龙岩客家氧化物精炼有限公司", "Longyan, Fujian", True, 11, 2, True, None),
    ("Zhaoqing Westriver Magnet Technology Co., Ltd.", "肇庆西江磁电科技有限公司", "Zhaoqing, Guangdong", False, 4, 1, False, None),
    ("Huzhou Bamboo Valley Alloys Co., Ltd.", "湖州竹谷合金有限公司", "Huzhou, Zhejiang", True, 6, 2, True, None),
    ("Chifeng Steppe Rare Earth Co., Ltd.", "赤峰草原稀土有限公司", "Chifeng, Inner Mongolia", False, 3, 0, False, None),
    ("Xinyu Lotus Sputtering Targets Co., Ltd.", "新余莲花溅射靶材有限公司", "Xinyu, Jiangxi", True, 8, 3, True, None),
    ("Mianyang Rivergate Functional Materials Co., Ltd.", "绵阳江门功能材料有限公司", "Mianyang, Sichuan", True, 5, 1, False, None),
    ("Ningbo Eastbay Sintered Magnets Co., Ltd.", "宁波东湾烧结磁体有限公司", "Ningbo, Zhejiang", True, 14, 4, True, None),
    ("Taiyuan Fenhe Magnetic Alloys Co., Ltd.", "太原汾河磁性合金有限公司", "Taiyuan, Shanxi", True, 10, 2, True, "administrative"),
    ("Baotou Yellow River Smelting Co., Ltd.", "包头黄河冶炼有限公司", "Baotou, Inner Mongolia", False, 2, 0, False, "serious_administrative"),
    ("Ganzhou Tongtian Scandium Co., Ltd.", "赣州通天钪业有限公司", "Ganzhou, Jiangxi", True, 6, 2, True, None),
    ("Changting Redsoil Yttrium Co., Ltd.", "长汀红土钇业有限公司", "Changting, Fujian", True, 8, 1, True, None),
    ("Hefei Lakeside Motor Magnets Co., Ltd.", "合肥湖畔电机磁钢有限公司", "Hefei, Anhui", True, 5, 2, True, None),
    ("Tianjin Binhai Phosphor Materials Co., Ltd.", "天津滨海荧光材料有限公司", "Tianjin", False, 3, 1, False, None),
    ("Shenzhen Pearl Delta Micro-Magnet Co., Ltd.", "深圳珠三角微磁有限公司", "Shenzhen, Guangdong", True, 7, 2, True, None),
    ("Jining Grand Canal Rare Earth Co., Ltd.", "济宁运河稀土有限公司", "Jining, Shandong", False, 1, 0, False, None),
    ("Xi'an Tang Dynasty Advanced Materials Co., Ltd.", "西安盛唐先进材料有限公司", "Xi'an, Shaanxi", True, 9, 3, True, None),
]

# (name, country, city, business)
END_USERS = [
    ("Rheinland Antriebstechnik GmbH", "DE", "Duisburg", "traction motors for electric vehicles"),
    ("Schwaben Servo Systeme AG", "DE", "Esslingen", "industrial servo drives"),
    ("Nordsee Windkraft Generatoren GmbH", "DE", "Bremerhaven", "direct-drive wind turbine generators"),
    ("Hanbit Motor Co., Ltd.", "KR", "Ulsan", "EV drive units"),
    ("Seoul Precision Actuator Co., Ltd.", "KR", "Suwon", "smartphone camera actuators"),
    ("Great Lakes Servo Corporation", "US", "Toledo, Ohio", "industrial automation motors"),
    ("Pacific Coast Audio Inc.", "US", "San Diego, California", "loudspeaker drivers"),
    ("Saigon Precision Magnet Co., Ltd.", "VN", "Binh Duong", "magnet assemblies for hard-disk drives"),
    ("Hanoi Electric Fan Joint Stock Company", "VN", "Bac Ninh", "BLDC fan motors"),
    ("Pune Drives Private Limited", "IN", "Pune", "two-wheeler EV hub motors"),
    ("Chennai Medical Imaging Pvt. Ltd.", "IN", "Chennai", "MRI and X-ray components"),
    ("Kansai Micro Motor K.K.", "JP", "Osaka", "micro motors for cameras and robots"),
    ("Chao Phraya Compressor Co., Ltd.", "TH", "Rayong", "air-conditioner compressors"),
    ("Bajío Motores Eléctricos S.A. de C.V.", "MX", "Querétaro", "automotive auxiliary motors"),
    ("Wisła Magnet Components Sp. z o.o.", "PL", "Wrocław", "magnet assemblies for e-bikes"),
    ("Morava Laser Optics s.r.o.", "CZ", "Olomouc", "laser crystals and optics"),
]

# Items an application may list: (control code, HS reference, description, unit, typical kg, USD per kg)
ITEMS = [
    ("1C905.a", "8505111000", "Sintered NdFeB permanent magnets containing Dy (N48SH)", "kg", 2000, 62),
    ("1C904.a", "8505111000", "Sintered NdFeB permanent magnets containing Tb (45UH)", "kg", 1500, 78),
    ("1C902.a", "8505119000", "SmCo permanent magnets (Sm2Co17)", "kg", 400, 120),
    ("1C905.b", "2846901993", "Dysprosium oxide Dy2O3 99.5%", "kg", 500, 236),
    ("1C904.b", "2846901993", "Terbium oxide Tb4O7 99.99%", "kg", 120, 980),
    ("1C908.b", "2846901993", "Yttrium oxide Y2O3 99.999%", "kg", 3000, 9),
    ("1C903.b", "2846901930", "Gadolinium oxide Gd2O3 99.9%", "kg", 800, 24),
    ("1C907.a", "2805301800", "Scandium metal ingot 99.9%", "kg", 60, 3400),
    ("1C906.b", "2846901993", "Lutetium oxide Lu2O3 99.99%", "kg", 50, 780),
    ("1C902.b", "2846901940", "Samarium oxide Sm2O3 99.9%", "kg", 2000, 4),
]

END_USES = [
    "Production of traction motors for battery electric passenger cars",
    "Manufacture of direct-drive generators for offshore wind turbines",
    "Assembly of industrial servo motors for factory automation",
    "Camera autofocus actuators for consumer smartphones",
    "Hard-disk drive voice-coil motor assemblies",
    "Brushless fan motors for household air conditioners",
    "Hub motors for electric two-wheelers",
    "Contrast agents and scintillator crystals for medical imaging",
    "Thermal-barrier coatings for civil gas turbines",
    "Aluminium-scandium alloys for bicycle frames and sporting goods",
]

REFUSAL_REASONS = [
    "The end-use certificate does not match the end user's known business; the end use could not be verified.",
    "The consignee is a trading company that could not name the final end user.",
    "Quantities requested are far above the end user's stated annual consumption.",
    "The end user did not respond to the request for an on-site verification in time.",
    "Supply-chain map incomplete: intermediate processors not identified.",
]
