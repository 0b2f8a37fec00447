"""The hand-extracted tasks against the seed texts they come from.

The seeds live outside the repository; XINGHUO_SEEDS_DIR points at them (default /work/shared/seeds). The checks
that read them are skipped when the folder is missing; the others need nothing but the data module.
"""

import os
import re
from collections import Counter
from pathlib import Path

import pytest

from xinghuo.worklist.data import PLANS, TASKS, iter_tasks

SEEDS_DIR = Path(os.environ.get("XINGHUO_SEEDS_DIR", "/work/shared/seeds"))
PLAN_BY_CODE = {plan["code"]: plan for plan in PLANS}
KEYS = ["code", "section", "title", "text", "lead", "units", "targets", "period", "children"]
TARGET_KEYS = ["text", "min", "max", "unit", "per", "indicator"]
# The association's departments, as organisations.base_data names them (not imported: it needs Django).
DEPARTMENTS = {"办公室", "科普部", "学会部", "人才联络部", "机关党委"}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def seed_text(plan_code: str) -> str:
    path = SEEDS_DIR / PLAN_BY_CODE[plan_code]["seed"]
    if not path.exists():
        pytest.skip(f"seed {path} is not here")
    return squeeze(path.read_text(encoding="utf-8"))


def with_parents() -> list[tuple[str, dict, dict | None]]:
    """(plan code, node, parent) for every task and child."""
    out = []

    def walk(plan: str, nodes: list[dict], parent: dict | None) -> None:
        for node in nodes:
            out.append((plan, node, parent))
            walk(plan, node["children"], node)

    for task in TASKS:
        walk(task["plan"], [task], None)
    return out


ALL = with_parents()


def ids(rows):
    return [node["code"] for _, node, _ in rows]


def test_plans():
    assert [plan["code"] for plan in PLANS] == ["opinions2022", "xinghuo"]
    for plan in PLANS:
        assert set(plan) == {"code", "title", "seed", "issued"}
        assert re.fullmatch(r"(\d{4}(-\d{2}-\d{2})?)?", plan["issued"])


@pytest.mark.parametrize("plan", PLANS, ids=lambda plan: plan["code"])
def test_plan_title_is_in_its_seed(plan):
    assert squeeze(plan["title"]) in seed_text(plan["code"])


def test_every_plan_code_used_exists():
    assert {task["plan"] for task in TASKS} <= set(PLAN_BY_CODE)


def test_codes_are_unique_and_follow_the_plan():
    codes = [node["code"] for node in iter_tasks()]
    assert [code for code, n in Counter(codes).items() if n > 1] == []
    for plan, node, parent in ALL:
        prefix = {"opinions2022": "O-", "xinghuo": "X-"}[plan]
        assert node["code"].startswith(prefix)
        if parent is not None:
            assert node["code"].startswith(parent["code"] + "-")


@pytest.mark.parametrize(("plan", "node", "parent"), ALL, ids=ids(ALL))
def test_shape(plan, node, parent):
    expected = KEYS if parent is not None else ["plan", *KEYS]
    assert list(node) == expected
    assert node["title"]
    assert node["text"]
    assert node["text"] == squeeze(node["text"]), "texts carry no whitespace"
    assert all(isinstance(unit, str) and unit for unit in node["lead"] + node["units"])
    assert len(set(node["lead"])) == len(node["lead"])
    assert len(set(node["units"])) == len(node["units"])
    assert set(node["lead"]) <= DEPARTMENTS, "a lead is one of the association's departments"


@pytest.mark.parametrize(("plan", "node", "parent"), ALL, ids=ids(ALL))
def test_text_section_and_title_are_in_the_seed(plan, node, parent):
    seed = seed_text(plan)
    assert squeeze(node["text"]) in seed, "nothing is paraphrased"
    for heading in node["section"].split(" "):
        assert heading in seed
    if node["text"].startswith(node["title"] + "。"):
        return
    # A written title (the 工作目标 section, the 一是… items) still names something of the text.
    assert node["title"] in seed or node["title"].endswith("研讨落实措施")


@pytest.mark.parametrize(("plan", "node", "parent"), ALL, ids=ids(ALL))
def test_targets(plan, node, parent):
    for target in node["targets"]:
        assert list(target) == TARGET_KEYS
        assert squeeze(target["text"]) in squeeze(node["text"])
        assert re.fullmatch(r"[a-z][a-z0-9_]*", target["indicator"])
        assert target["per"] in {"year", ""}
        if "每年" in target["text"]:
            assert target["per"] == "year"
        assert target["min"] is not None or target["max"] is not None
        if target["min"] is not None and target["max"] is not None:
            assert target["min"] <= target["max"]
        if target["unit"] == "%":
            assert "全覆盖" in target["text"]
            assert (target["min"], target["max"]) == (100, 100)
        else:
            assert target["unit"] in target["text"]
            for number in (target["min"], target["max"]):
                if number is not None:
                    assert str(number) in target["text"]


@pytest.mark.parametrize(("plan", "node", "parent"), ALL, ids=ids(ALL))
def test_period_is_said_by_the_text(plan, node, parent):
    assert node["period"] == "" or node["period"] in node["text"]


def note_after(seed: str, text: str) -> str | None:
    """The "（…负责落实）" note right after a text in the seed, if there is one."""
    start = seed.index(squeeze(text)) + len(squeeze(text))
    match = re.match(r"（([^（）]*负责落实)）", seed[start:])
    return match.group(1) if match else None


def as_note(node: dict) -> str:
    if node["lead"] == node["units"]:
        return "、".join(node["units"]) + "负责落实"
    return "、".join(node["lead"]) + "牵头，" + "、".join(node["units"]) + "负责落实"


@pytest.mark.parametrize(("plan", "node", "parent"), ALL, ids=ids(ALL))
def test_lead_and_units_match_the_note(plan, node, parent):
    seed = seed_text(plan)
    note = note_after(seed, node["text"])
    if note is not None:
        assert as_note(node) == note
    elif parent is not None and note_after(seed, parent["text"]) is not None:
        # An item sharing its parent's note (O-4-1, O-4-8) copies the parent's lead and units.
        assert (node["lead"], node["units"]) == (parent["lead"], parent["units"])
    elif node["children"]:
        # Items with notes of their own (O-2-3): the parent holds the union.
        assert set(node["lead"]) == {lead for child in node["children"] for lead in child["lead"]}
        assert set(node["units"]) == {unit for child in node["children"] for unit in child["units"]}
    else:
        assert node["lead"] == [], "no lead without a note naming it"


@pytest.mark.parametrize("plan", PLANS, ids=lambda plan: plan["code"])
def test_every_note_of_the_seed_is_used(plan):
    seed = seed_text(plan["code"])
    notes = {match.start() for match in re.finditer(r"（[^（）]*负责落实）", seed)}
    texts = [squeeze(node["text"]) for p, node, _ in ALL if p == plan["code"]]
    followed = {seed.index(text) + len(text) for text in texts}
    assert notes <= followed, "every note closes some task's text"


def test_parent_text_holds_its_childrens_or_is_a_heading():
    for _, node, _ in ALL:
        if node["children"]:
            joined = "".join(child["text"] for child in node["children"])
            assert node["text"].endswith(joined) or node["text"] == node["title"] + "。"


def sections(plan: str) -> Counter:
    return Counter(task["section"] for task in TASKS if task["plan"] == plan)


def test_clauses_per_section():
    assert sections("opinions2022") == {
        "二、精心组织学习研讨": 3,
        "三、广泛开展宣传阐释": 2,
        "四、抓好重点工作实施": 8,
        "五、组织保障": 3,
    }
    assert sections("xinghuo") == {
        "一、工作目标": 1,
        "二、工作内容": 3,
        "三、实现路径": 4,
        "四、重点工作 (一)持续优化升级已开展工作": 4,
        "四、重点工作 (二)积极探索推进新尝试": 5,
        "四、重点工作 (三)着力构建三大保障平台": 3,
        "五、工作要求": 3,
    }
    children = {task["code"]: len(task["children"]) for task in TASKS if task["children"]}
    assert children == {"O-2-3": 5, "O-4-1": 5, "O-4-8": 2}


@pytest.mark.parametrize("plan", PLANS, ids=lambda plan: plan["code"])
def test_every_numbered_clause_of_the_seed_is_a_task(plan):
    """Each "1." / "(一)" / "一是" clause opening the seed has a task or child whose text starts there."""
    seed_text(plan["code"])  # skips when the seed is not here
    raw = (SEEDS_DIR / plan["seed"]).read_text(encoding="utf-8")
    openings = []
    for line in raw.splitlines():
        line = squeeze(line)
        if re.match(r"^(\d+\.|[(（][一二三四五六七八九十][)）])(?!$)", line):
            openings.append(re.sub(r"^(\d+\.|[(（][一二三四五六七八九十][)）])", "", line))
        elif re.match(r"^[一二三四五六七八九十]是", line):
            openings.append(line)
    starts = [squeeze(node["text"]) for p, node, _ in ALL if p == plan["code"]]
    for opening in openings:
        if opening.endswith(("工作", "新尝试", "保障平台")) and len(opening) < 16:
            continue  # a subsection heading of 星火 四、, not a clause
        assert any(start.startswith(opening) for start in starts), opening
    # 一是/二是… inside a line (O-4-1, O-4-8) are children too.
    inline = len(re.findall(r"[。；][一二三四五六七八九十]是", seed_text(plan["code"])))
    nested = sum(1 for p, _, parent in ALL if p == plan["code"] and parent is not None)
    assert nested >= inline


def test_xinghuo_headline_targets():
    targets = [target for task in TASKS if task["plan"] == "xinghuo" for target in task["targets"]]
    figures = {(t["indicator"], t["min"], t["max"], t["per"]) for t in targets}
    assert figures >= {
        ("activities_sanbai_city", 10, 20, "year"),
        ("activities_spring_city", 8, 10, "year"),
        ("activities_science_month_city", 50, None, "year"),
        ("activities_happy_tour_city", 3, 5, "year"),
        ("activities_dongyue_forum_city", 1, 2, "year"),
        ("activities_smart_elderly_city", 3, 5, "year"),
        ("spark_halls_certified", 20, None, ""),
        ("service_stations", 60, None, ""),
        ("villages_with_promoter", 100, 100, ""),
        ("towns_with_station", 100, 100, ""),
        ("chief_experts", 10, None, ""),
        ("influencers", 10, None, ""),
        ("outstanding_figures", 10, None, ""),
        ("promoters", 60, None, ""),
        ("organisations_evaluated", 10, None, ""),
    }
    # Every "不少于N" and "N-M期" figure of the seed's 四、重点工作 is somewhere in a target.
    seed = seed_text("xinghuo")
    work = seed[seed.index("四、重点工作") : seed.index("五、工作要求")]
    texts = "".join(t["text"] for t in targets)
    for figure in re.findall(r"不少于\d+[家个名期]|\d+-\d+期|完成\d+家", work):
        assert figure in texts, figure


def test_opinions_plan_states_no_figures():
    assert [task["code"] for task in iter_tasks() if task["targets"] and task["code"].startswith("O-")] == []
