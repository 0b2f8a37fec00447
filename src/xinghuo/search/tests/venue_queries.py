"""The committed Chinese query set for venues: what each query must find and must not find among the venues
of `VENUES` (names, addresses and summaries as Tai'an's would read). A change of the dictionary, of jieba or of
the query rules that loses one of these fails `test_venue_search`."""

from __future__ import annotations

from typing import NamedTuple


class Venue(NamedTuple):
    key: str
    name: str
    region: str  # a town's code
    address: str
    summary: str
    venue_type: str = "spark_hall"


VENUES = [
    Venue(
        "taishan_museum", "泰山区科技馆", "370902001", "泰安市泰山区东岳大街100号", "面向青少年开展科普展示与体验活动。", "science_museum"
    ),
    Venue(
        "geopark",
        "泰山地质公园科普教育基地",
        "370911001",
        "泰安市岱岳区环山路8号",
        "展示二十五亿年前的古老岩石与地质变迁。",
        "education_base",
    ),
    Venue("energy_hall", "泰安市新能源星火科技馆", "370902001", "泰安市泰山区灵山大街1号", "光伏发电与新能源汽车的互动展项。"),
    Venue(
        "station",
        "粥店街道党群服务中心星火科普服务站",
        "370911001",
        "泰安市岱岳区粥店街道",
        "为老年人开展应急科普与健康讲座。",
        "spark_station",
    ),
    Venue("dongping_museum", "东平县科技馆", "370923001", "东平县东平街道佛山路", "县级科技馆，常设展厅与科普报告厅。", "science_museum"),
    Venue("lab", "高新区开放实验室", "370911003", "泰安高新区北集坡街道", "人工智能与机器人开放实验。", "open_lab"),
    Venue("observatory", "泰安天文台科普教育基地", "370911001", "泰安市岱岳区天平湖路", "望远镜与星空观测。", "education_base"),
    Venue("youth_centre", "肥城市青少年活动中心", "370983001", "肥城市新城街道", "设有天文观测室和机器人教室。", "education_base"),
]


class Case(NamedTuple):
    query: str
    finds: set[str]
    not_finds: set[str]
    why: str


EVERY = {v.key for v in VENUES}

CASES = [
    Case("科技馆", {"taishan_museum", "energy_hall", "dongping_museum"}, {"lab", "geopark"}, "a word of the names"),
    Case("泰山", {"taishan_museum", "geopark", "energy_hall"}, {"dongping_museum", "lab"}, "泰山 is inside 泰山区 (a name, an address)"),
    Case("泰山区", {"taishan_museum", "energy_hall"}, {"geopark", "station"}, "泰山区 is not 泰山: the geopark is in 岱岳区"),
    Case("taishan", {"taishan_museum", "geopark"}, {"dongping_museum", "lab", "energy_hall"}, "pinyin of a name's words"),
    Case("taish", {"taishan_museum", "geopark"}, {"dongping_museum"}, "the last term is a prefix"),
    Case("ts", {"taishan_museum", "geopark"}, {"dongping_museum", "lab"}, "initials of 泰山"),
    Case("kjg", {"taishan_museum", "energy_hall", "dongping_museum"}, {"geopark", "lab"}, "initials of 科技馆"),
    Case("ＫＪＧ", {"taishan_museum", "energy_hall", "dongping_museum"}, {"geopark"}, "full-width letters"),
    Case("kfsys", {"lab"}, EVERY - {"lab"}, "initials of two words in a row (开放 实验室)"),
    Case("xinghuo", {"energy_hall", "station"}, {"taishan_museum"}, "pinyin of 星火"),
    Case("新能源", {"energy_hall"}, {"taishan_museum", "lab"}, "a domain word"),
    Case("新能", {"energy_hall"}, {"taishan_museum"}, "a word being typed"),
    Case("技馆", {"taishan_museum", "energy_hall", "dongping_museum"}, {"lab"}, "a piece of a name that is no word: icontains found it"),
    Case("区科技", {"taishan_museum"}, {"energy_hall", "dongping_museum"}, "a piece across two words of a name"),
    Case(
        "泰山区科技馆",
        {"taishan_museum", "energy_hall"},
        EVERY - {"taishan_museum", "energy_hall"},
        "a name's words: the energy hall has them in its name and address",
    ),
    Case("泰山 科技馆", {"taishan_museum", "energy_hall"}, {"geopark", "dongping_museum"}, "every term must match, in any field"),
    Case("应急科普", {"station"}, EVERY - {"station"}, "a domain word in a summary"),
    Case("天文", {"observatory", "youth_centre"}, {"lab"}, "a name and a summary"),
    Case("岱岳区", {"geopark", "station", "observatory"}, {"taishan_museum", "energy_hall"}, "an address"),
    Case("机器人", {"lab", "youth_centre"}, {"observatory"}, "a summary word"),
    Case("实验室", {"lab"}, EVERY - {"lab"}, "the existing map test's query"),
    Case("东平县科技馆。", {"dongping_museum"}, {"taishan_museum"}, "punctuation is ignored"),
    Case("的", set(), EVERY, "a stopword alone matches nothing"),
    Case("，。！？…", set(), EVERY, "punctuation alone matches nothing"),
    Case("科技馆 火星", set(), EVERY, "a term nothing has: nothing"),
]
