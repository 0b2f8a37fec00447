"""Real-sounding Chinese science content for the demo: a few complete articles written out, and for the bulk a
generator that composes titles, summaries and bodies from each field's subjects and sentences, so that search,
facets and ranking have something like the real library to work on."""

from __future__ import annotations

import random
from dataclasses import dataclass

from xinghuo.resources.models import Field, Kind

ARTICLES = [
    ("高血压的家庭管理", Field.HEALTH, ["elderly", "public"], ["health"],
     "认识高血压的诊断标准，学会家庭自测血压，坚持规范服药。",
     ["高血压是最常见的慢性病之一。成年人在未使用降压药的情况下，非同日三次测量诊室血压，收缩压不低于 140 毫米汞柱和（或）舒张压不低于 90 毫米汞柱，即可诊断为高血压。",
      "家庭自测血压应在安静休息五分钟后进行，坐位，上臂与心脏同高，连续测量两次取平均值，早晚各一次，并记录下来，复诊时带给医生参考。",
      "控制血压要做到“限盐、限酒、多运动、控体重”。每人每天食盐不超过 5 克，减少咸菜、腌肉等高盐食物。降压药要在医生指导下长期规范服用，不能血压正常了就自行停药。"]),
    ("冬小麦春季田间管理要点", Field.AGRICULTURE, ["farmers"], ["agriculture", "grain_security"],
     "返青、起身、拔节三个时期的肥水管理和病虫害防治。",
     ["泰安市冬小麦返青后，要根据苗情分类管理。旺长麦田适当控水控肥，弱苗麦田早追肥、早浇水，促进分蘖成穗。",
      "拔节期是追肥浇水的关键期，一般每亩追施尿素 10 至 15 公斤，结合浇水进行。要注意天气预报，避免浇水后遇到大风降温。",
      "春季要重点防治纹枯病、茎基腐病和麦蜘蛛，做到早发现、早防治，选用高效低毒农药，严格按说明用量使用。"]),
    ("识破“保健品讲座”骗局", Field.SAFETY, ["elderly"], ["anti_fraud", "health"],
     "免费体检、赠送礼品、专家义诊，老年人要警惕这些套路。",
     ["一些不法商家以“免费体检”“健康讲座”为名，向老年人推销所谓“特效保健品”，宣称能代替药物治疗慢性病，这些都是骗局。",
      "保健食品不是药物，不能治疗疾病。正规保健食品包装上有“小蓝帽”标志和批准文号，可在国家市场监督管理总局网站查询。",
      "遇到上门推销、电话推销保健品，要多和子女商量，不轻信、不转账。如发现被骗，及时拨打 110 报警或 12315 投诉。"]),
    ("地震来了怎么办", Field.EARTH, ["youth", "public"], ["earth"],
     "室内、室外、学校里遇到地震，如何正确避险和自救。",
     ["地震发生时，在室内应迅速躲到坚固的桌子下或承重墙的墙角，用手或软物保护头部，不要跳楼，不要乘坐电梯。",
      "在学校，要听从老师指挥，就近躲在课桌下，震动停止后按预定路线有序撤离到操场等开阔地带。",
      "在室外，要远离高楼、广告牌、电线杆和立交桥，选择开阔地带蹲下或趴下，保护好头部。"]),
    ("人工智能是怎样“学习”的", Field.NEW_TECH, ["youth", "public"], ["digital"],
     "从识别猫和狗讲起，认识机器学习的基本原理和它的局限。",
     ["人工智能中的“机器学习”，是让计算机从大量例子中找出规律。给它看成千上万张标注好的猫和狗的照片，它就能学会区分没见过的新照片。",
      "机器学习的能力来自数据，也受限于数据。如果训练数据有偏差，人工智能的判断也会出现偏差，这就需要人来监督和检验。",
      "使用生成式人工智能写作、画图时，要注意核实信息的真实性，不传播虚假内容，保护个人隐私。"]),
    ("泰山的岩石会“说话”", Field.EARTH, ["youth", "public"], ["earth", "ecology"],
     "二十五亿年前的泰山杂岩，记录了地球早期的故事。",
     ["泰山是我国最古老的山脉之一。构成泰山主体的“泰山杂岩”形成于约 25 亿年前的太古宙，是研究地球早期演化的重要地区。",
      "在泰山的桃花峪、扇子崖一带，可以看到岩石中黑白相间的条带，这是岩石在高温高压下发生变质形成的片麻岩。",
      "2006 年，泰山被评为世界地质公园。保护好地质遗迹，就是保护地球的“史书”。"]),
]  # fmt: skip

#: For the generator: per field, the subjects it writes about and sentences that any subject fits.
SUBJECTS = {
    Field.HEALTH: ["糖尿病", "高血压", "流感", "骨质疏松", "近视防控", "合理膳食", "心脑血管病", "睡眠健康", "口腔健康", "心理健康", "慢阻肺", "儿童肥胖"],
    Field.AGRICULTURE: ["冬小麦", "玉米", "大棚蔬菜", "果树修剪", "测土配方施肥", "节水灌溉", "畜禽养殖", "泰山茶", "板栗", "农药安全使用", "秸秆还田"],
    Field.NEW_TECH: ["人工智能", "5G 通信", "大数据", "区块链", "量子计算", "新能源汽车", "智能手机", "工业互联网", "无人机", "北斗导航"],
    Field.ENERGY_ENV: ["垃圾分类", "节能减排", "光伏发电", "氢能", "碳达峰碳中和", "水资源保护", "大气污染防治", "湿地保护"],
    Field.EARTH: ["地震", "泥石流", "暴雨洪涝", "泰山地质", "岩石与矿物", "地下水", "雷电", "台风"],
    Field.SPACE: ["天宫空间站", "嫦娥探月", "北斗卫星", "流星雨", "日食月食", "火星探测", "天文望远镜"],
    Field.LIFE: ["基因", "细胞", "免疫系统", "微生物", "生物多样性", "泰山植物", "候鸟迁徙", "昆虫"],
    Field.PHYSICS: ["电与磁", "光的折射", "声音", "新材料", "纳米技术", "化学反应", "家庭用电安全"],
    Field.ENGINEERING: ["智能制造", "机器人", "桥梁", "高铁", "3D 打印", "输变电", "数控机床"],
    Field.SAFETY: ["电信网络诈骗", "燃气安全", "消防安全", "防溺水", "食品安全", "交通安全", "急救常识"],
    Field.HUMANITIES: ["科学家精神", "钱学森", "袁隆平", "屠呦呦", "中国古代科技", "泰山文化中的科学"],
}  # fmt: skip
ANGLES = ["是什么", "的科学原理", "常见误区", "入门知识", "十问十答", "怎样做才科学", "的最新进展", "与日常生活", "给孩子讲", "的防护要点"]
SENTENCES = [
    "{s}和我们每个人的生活息息相关，了解相关的科学知识，有助于做出正确的判断。",
    "近年来，关于{s}的研究取得了不少新进展，一些过去的认识也在不断更新。",
    "网络上流传着不少关于{s}的说法，其中有的缺乏科学依据，需要仔细甄别。",
    "专家提醒，面对{s}相关的问题，要相信科学、听从专业人员的建议，不盲目跟风。",
    "在泰安，各级科协组织围绕{s}开展了形式多样的科普活动，受到群众欢迎。",
    "从原理上讲，{s}涉及多个学科的知识，可以从简单的生活现象入手去理解。",
    "青少年可以通过动手实验、参观科普场馆等方式，加深对{s}的认识。",
    "老年朋友了解{s}的基本常识，可以更好地保护自己和家人的健康与安全。",
    "对于{s}，权威机构已经发布了相关的指南和标准，普通读者可以参考。",
    "掌握{s}的几个关键点，就能在遇到实际问题时从容应对。",
]
AUTHORS = ["张华（泰安市中心医院主任医师）", "李强（山东农业大学教授）", "王芳（泰安市科技馆科普辅导员）", "刘洋（泰山学院副教授）",
           "陈静（泰安市疾病预防控制中心主管医师）", "赵磊（市应急管理局高级工程师）", "孙丽（泰山区第一中学物理教师）", "周敏（市地震监测中心工程师）"]  # fmt: skip
KIND_WEIGHTS = [(Kind.ARTICLE, 55), (Kind.VIDEO, 20), (Kind.AUDIO, 6), (Kind.COURSEWARE, 10), (Kind.BOOK, 5), (Kind.EXHIBIT, 4)]
TOPIC_OF_FIELD = {
    Field.HEALTH: ["health"], Field.AGRICULTURE: ["agriculture"], Field.NEW_TECH: ["digital"], Field.ENERGY_ENV: ["ecology", "energy_security"],
    Field.EARTH: ["earth"], Field.SPACE: ["space"], Field.LIFE: ["health", "ecology"], Field.PHYSICS: ["other"],
    Field.ENGINEERING: ["industry"], Field.SAFETY: ["anti_fraud", "food_safety"], Field.HUMANITIES: ["science_spirit"],
}  # fmt: skip
AUDIENCES_OF_FIELD = {Field.AGRICULTURE: ["farmers"], Field.ENGINEERING: ["workers"], Field.SAFETY: ["elderly", "public"]}


@dataclass(frozen=True)
class Piece:
    title: str
    field: str
    kind: str
    summary: str
    body: str
    author: str
    audiences: list[str]
    topics: list[str]


def piece(rng: random.Random, number: int) -> Piece:
    """The n-th generated resource: deterministic for the rng's seed."""
    field = rng.choice(list(SUBJECTS))
    subject = rng.choice(SUBJECTS[field])
    angle = rng.choice(ANGLES)
    kinds, weights = zip(*KIND_WEIGHTS, strict=True)
    kind = rng.choices(kinds, weights=weights)[0]
    title = f"{subject}{angle}" if not angle.startswith("给") else f"{angle}{subject}"
    if number % 7 == 0:
        title = f"{title}（{rng.choice(['上', '下', '一', '二', '三'])}）"
    sentences = rng.sample(SENTENCES, 5)
    paragraphs = ["".join(s.format(s=subject) for s in sentences[i : i + 2]) for i in (0, 2)] + [sentences[4].format(s=subject)]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    audiences = AUDIENCES_OF_FIELD.get(field, rng.sample(["youth", "public", "elderly"], rng.randint(1, 2)))
    return Piece(
        title=title, field=field, kind=kind, summary=f"{subject}{angle}：{sentences[0].format(s=subject)[:60]}", body=body,
        author=rng.choice(AUTHORS), audiences=list(audiences), topics=list(TOPIC_OF_FIELD[field]),
    )  # fmt: skip
