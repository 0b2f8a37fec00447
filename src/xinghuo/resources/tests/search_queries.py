"""The committed Chinese query set of the library: what each query must find and must not find among `RESOURCES`
(titles, summaries, authors and bodies as the library's would read). A change of the dictionary, of jieba, of
the index or of the query rules that loses one of these fails `test_search`."""

from __future__ import annotations

from typing import NamedTuple


class Item(NamedTuple):
    key: str
    title: str
    summary: str
    body: str
    kind: str = "article"
    field: str = "health"
    audiences: tuple[str, ...] = ("public",)
    topics: tuple[str, ...] = ("health",)
    author: str = "李明（泰安市中心医院主任医师）"
    emergency: bool = False


RESOURCES = [
    Item("bp", "高血压的家庭管理", "学会家庭自测血压，坚持规范服药。", "高血压是常见慢性病，每天食盐不超过5克。", audiences=("elderly",)),
    Item("diabetes", "糖尿病饮食误区", "主食不是越少越好。", "糖尿病患者要控制总热量，定时定量进餐。", audiences=("elderly", "public")),
    Item(
        "flu",
        "流感高发季，这样防护更科学",
        "勤洗手、戴口罩、早接种疫苗。",
        "接种流感疫苗是预防流感最有效的手段。",
        topics=("epidemic", "health"),
        emergency=True,
    ),
    Item(
        "wheat",
        "冬小麦春季田间管理要点",
        "返青、起身、拔节三个时期的肥水管理。",
        "拔节期每亩追施尿素10至15公斤。",
        field="agriculture",
        audiences=("farmers",),
        topics=("agriculture", "grain_security"),
        author="李强（山东农业大学教授）",
    ),
    Item(
        "quake",
        "地震来了怎么办",
        "室内、室外、学校里如何避险。",
        "地震发生时迅速躲到坚固的桌子下，不要乘坐电梯。",
        kind="video",
        field="earth",
        audiences=("youth", "public"),
        topics=("earth",),
        author="周敏（市地震监测中心工程师）",
    ),
    Item(
        "ai",
        "人工智能是怎样学习的",
        "从识别猫和狗讲起。",
        "机器学习让计算机从大量例子中找出规律。",
        field="new_tech",
        audiences=("youth",),
        topics=("digital",),
        author="刘洋（泰山学院副教授）",
    ),
    Item(
        "rocks",
        "泰山的岩石会说话",
        "二十五亿年前的泰山杂岩。",
        "泰山杂岩形成于太古宙，是研究地球早期演化的重要地区。",
        field="earth",
        topics=("earth", "ecology"),
        author="刘洋（泰山学院副教授）",
    ),
    Item(
        "fraud",
        "识破保健品讲座骗局",
        "免费体检、赠送礼品，老年人要警惕。",
        "保健食品不是药物，不能治疗疾病。",
        field="safety",
        audiences=("elderly",),
        topics=("anti_fraud",),
    ),
    Item(
        "sort",
        "垃圾分类入门知识",
        "可回收物、有害垃圾、厨余垃圾、其他垃圾。",
        "废电池属于有害垃圾。",
        field="energy_env",
        topics=("ecology",),
        kind="courseware",
    ),
    Item("salt", "减盐小窍门", "用醋和香料代替部分食盐。", "腌制食品含盐量高，高血压患者应少吃。", audiences=("elderly", "public")),
    Item(
        "stars",
        "流星雨观测指南",
        "双子座流星雨的最佳观测时间。",
        "在远离城市灯光的地方观测流星雨效果更好。",
        field="space",
        topics=("space",),
        audiences=("youth",),
        kind="audio",
    ),
]


class Case(NamedTuple):
    query: str
    finds: set[str]
    not_finds: set[str]
    why: str


CASES = [
    Case("高血压", {"bp", "salt"}, {"diabetes", "wheat"}, "a title word, and the same word in another's body"),
    Case("流感", {"flu"}, {"stars", "bp"}, "流感 is not 流星: words, not characters"),
    Case("流星雨", {"stars"}, {"flu"}, "a word of the dictionary"),
    Case("冬小麦", {"wheat"}, {"bp"}, "a domain word"),
    Case("小麦 拔节", {"wheat"}, {"diabetes"}, "two terms, one in the title and one in the summary"),
    Case("地震 避险", {"quake"}, {"rocks"}, "every term must match"),
    Case("泰山", {"rocks", "ai"}, {"quake", "bp"}, "a place in a title, and in an author's 泰山学院"),
    Case("taishan", {"rocks"}, {"quake", "bp"}, "the pinyin of a title word"),
    Case("gxy", {"bp"}, {"diabetes", "salt"}, "initials of a title word (高血压)"),
    Case("lajifenlei", {"sort"}, {"bp"}, "the pinyin of a title phrase"),
    Case("人工智能", {"ai"}, {"fraud"}, "a phrase of the dictionary"),
    Case("保健品", {"fraud"}, {"diabetes"}, "a word in the title"),
    Case("刘洋", {"ai", "rocks"}, {"bp"}, "the author"),
    Case("废电池", {"sort"}, {"stars"}, "a word only in the body"),
    Case("骗局", {"fraud"}, {"flu"}, "a title word"),
    Case("量子波动", set(), {"ai", "stars"}, "nothing in the library says it"),
]
