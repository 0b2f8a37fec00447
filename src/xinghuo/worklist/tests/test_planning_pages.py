"""The planning pages as city staff use them — a new plan, a task on it with two county units and a target that an
indicator counts, its page with the units' actions, changes and weights — and as a county meets them: not at all."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from xinghuo.organisations.models import Organisation
from xinghuo.worklist.models import Action, Plan, ProgressReport, Target, Task

pytestmark = pytest.mark.django_db

BASE = "/console/worklist"


def uid_of(code: str) -> str:
    return str(Organisation.unscoped.get(code=code).uid)


def targets(*rows: dict, initial: int = 0) -> dict:
    """The targets formset's fields: the management form and one set per row."""
    data = {"targets-TOTAL_FORMS": str(len(rows)), "targets-INITIAL_FORMS": str(initial), "targets-MIN_NUM_FORMS": "0",
            "targets-MAX_NUM_FORMS": "30"}  # fmt: skip
    for n, row in enumerate(rows):
        data.update({f"targets-{n}-{k}": v for k, v in row.items()})
    return data


STATION_TARGET = {
    "text": "每年新认定服务站 50 个",
    "minimum": "50",
    "maximum": "",
    "unit": "个",
    "per": "year",
    "indicator": "service_stations",
}
TASK = {"code": "P-1", "parent": "", "title": "建设星火科普服务站", "text": "每个乡镇建成 1 个服务站。", "section": "三、重点任务", "lead": "科普部",
        "period": "2026 年底前", "weight": "", "report_every": "quarter", "other_units": "", "units_text": ""}  # fmt: skip


@pytest.fixture
def plan(client, login, personas) -> Plan:
    login(client, personas.city_staff)
    client.post(f"{BASE}/plans/new/", {"code": "spark-2026", "title": "2026 年星火科普提升方案", "issued": "2026"})
    return Plan.objects.get(code="spark-2026")


def test_the_city_adds_a_plan_and_a_task_with_two_counties_and_a_target(client, login, personas):
    login(client, personas.city_staff)
    plans = client.get(f"{BASE}/").content.decode()
    form = client.get(f"{BASE}/plans/new/")
    made = client.post(f"{BASE}/plans/new/", {"code": "spark-2026", "title": "2026 年星火科普提升方案", "issued": "2026"})
    task_form = client.get(f"{BASE}/plans/spark-2026/tasks/new/").content.decode()
    saved = client.post(
        f"{BASE}/plans/spark-2026/tasks/new/", {**TASK, "units": [uid_of("KX370902"), uid_of("KX370911")], **targets(STATION_TARGET, {})}
    )
    task = Task.objects.get(code="P-1")
    page = client.get(f"{BASE}/tasks/{task.uid}/").content.decode()

    assert 'data-testid="plan-create"' in plans
    assert form.status_code == 200
    assert made.status_code == 302
    assert made["Location"] == f"{BASE}/plans/spark-2026/"
    assert "泰山区科协" in task_form
    assert "星火科普服务站（已认定）" in task_form
    assert saved.status_code == 302
    assert saved["Location"] == f"{BASE}/tasks/{task.uid}/"
    assert (task.plan.code, task.report_every, task.units) == ("spark-2026", "quarter", "泰山区科协、岱岳区科协")
    assert Target.objects.get(task=task).indicator == "service_stations"
    assert page.count('data-testid="action-row"') == 2
    assert "泰山区科学技术协会" in page
    assert "岱岳区科学技术协会" in page
    assert "每年新认定服务站 50 个" in page
    assert "每季度" in page


def test_a_whole_kind_is_chosen_with_one_box_and_other_units_by_name(client, login, personas, plan):
    counties = Organisation.unscoped.filter(kind="county_association", is_active=True).count()

    client.post(
        f"{BASE}/plans/spark-2026/tasks/new/",
        {**TASK, "unit_kinds": ["county_association"], "other_units": "岱庙街道中心小学", **targets()},
    )

    task = Task.objects.get(code="P-1")
    assert Action.unscoped.filter(task=task).count() == counties + 1
    assert Action.unscoped.filter(task=task, organisation=personas.org_a).exists()
    assert task.units.startswith("县市区、功能区科协")


def test_a_sub_task_is_added_from_its_parents_page(client, plan):
    client.post(f"{BASE}/plans/spark-2026/tasks/new/", {**TASK, **targets()})
    parent = Task.objects.get(code="P-1")

    page = client.get(f"{BASE}/tasks/{parent.uid}/").content.decode()
    form = client.get(f"{BASE}/plans/spark-2026/tasks/new/?parent={parent.uid}").content.decode()
    client.post(f"{BASE}/plans/spark-2026/tasks/new/", {**TASK, "code": "P-1-1", "title": "示范站", "parent": str(parent.uid), **targets()})

    assert f"?parent={parent.uid}" in page
    assert f'<option value="{parent.uid}" selected>' in form
    assert Task.objects.get(code="P-1-1").parent == parent


def test_a_bad_target_row_shows_a_chinese_message_and_saves_no_task(client, plan):
    bad = {**STATION_TARGET, "minimum": "60", "maximum": "50"}
    unknown_unit = {**TASK, "other_units": "不存在的单位"}

    response = client.post(f"{BASE}/plans/spark-2026/tasks/new/", {**TASK, **targets(bad)})
    other = client.post(f"{BASE}/plans/spark-2026/tasks/new/", {**unknown_unit, **targets()})
    wordless = client.post(f"{BASE}/plans/spark-2026/tasks/new/", {**TASK, **targets({**STATION_TARGET, "text": ""})})
    taken = client.post(f"{BASE}/plans/spark-2026/tasks/new/", {**TASK, "code": "spark-2026", **targets()})
    client.post(f"{BASE}/plans/spark-2026/tasks/new/", {**TASK, **targets()})
    again = client.post(f"{BASE}/plans/spark-2026/tasks/new/", {**TASK, **targets()})

    assert response.status_code == 400
    assert "上限不能小于下限" in response.content.decode()
    assert "找不到单位：不存在的单位" in other.content.decode()
    assert "请填写目标" in wordless.content.decode()
    assert taken.status_code == 302  # a task's code may be a plan's: they are apart
    assert again.status_code == 400
    assert "任务编号“P-1”已被使用" in again.content.decode()
    assert Task.objects.filter(plan__code="spark-2026").count() == 2


def test_the_city_edits_a_task_and_cannot_take_off_a_unit_that_has_reported(client, plan):
    client.post(
        f"{BASE}/plans/spark-2026/tasks/new/", {**TASK, "units": [uid_of("KX370902"), uid_of("KX370911")], **targets(STATION_TARGET)}
    )
    task = Task.objects.get(code="P-1")
    target = Target.objects.get(task=task)
    daiyue = Action.unscoped.get(task=task, organisation__code="KX370911")
    ProgressReport.unscoped.create(action=daiyue, period="2026-Q3", due=timezone.localdate(), text="已建 3 个站", progress=30,
                                   submitted_at=timezone.now())  # fmt: skip
    edit = {k: v for k, v in TASK.items() if k not in ("code", "parent")}
    kept_target = {**STATION_TARGET, "uid": str(target.uid), "minimum": "55"}

    page = client.get(f"{BASE}/tasks/{task.uid}/edit/").content.decode()
    refused = client.post(f"{BASE}/tasks/{task.uid}/edit/", {**edit, "title": "改名", "units": [uid_of("KX370902")],
                                                            **targets(kept_target, initial=1)})  # fmt: skip
    saved = client.post(f"{BASE}/tasks/{task.uid}/edit/", {**edit, "title": "改名", "report_every": "month",
                                                          "units": [uid_of("KX370902"), uid_of("KX370911"), uid_of("KX370900-KJG")],
                                                          **targets(kept_target, initial=1)})  # fmt: skip

    assert 'value="P-1"' not in page
    assert "每年新认定服务站 50 个" in page
    assert refused.status_code == 400
    assert "岱岳区科学技术协会已填报过这项任务的进展，不能移出负责单位" in refused.content.decode()
    assert saved.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.report_every) == ("改名", "month")
    assert Action.unscoped.filter(task=task).count() == 3
    assert Target.objects.get(task=task).pk == target.pk
    assert Target.objects.get(task=task).minimum == Decimal(55)


def test_the_city_weighs_the_units_on_the_task_page(client, plan):
    client.post(f"{BASE}/plans/spark-2026/tasks/new/", {**TASK, "units": [uid_of("KX370902"), uid_of("KX370911")], **targets()})
    task = Task.objects.get(code="P-1")
    taishan, daiyue = (Action.unscoped.get(task=task, organisation__code=c) for c in ("KX370902", "KX370911"))

    page = client.get(f"{BASE}/tasks/{task.uid}/").content.decode()
    bad = client.post(f"{BASE}/tasks/{task.uid}/weights/", {f"w-{taishan.uid}": "-1"}, follow=True).content.decode()
    client.post(f"{BASE}/tasks/{task.uid}/weights/", {f"w-{taishan.uid}": "3", f"w-{daiyue.uid}": ""})

    assert page.count('data-testid="weight"') == 2
    assert "权重应大于 0" in bad
    assert Action.unscoped.get(pk=taishan.pk).weight == Decimal(3)
    assert Action.unscoped.get(pk=daiyue.pk).weight is None


def test_an_ended_plan_leaves_the_units_list_and_the_city_can_reopen_it(client, login, personas, plan):
    client.post(f"{BASE}/plans/spark-2026/status/", {"is_active": "0"})
    city_list = client.get(f"{BASE}/").content.decode()
    login(client, personas.county_a)
    county_list = client.get(f"{BASE}/").content.decode()
    county_page = client.get(f"{BASE}/plans/spark-2026/")
    login(client, personas.city_staff)
    client.post(f"{BASE}/plans/spark-2026/status/", {"is_active": "1"})

    assert 'data-testid="ended-plans"' in city_list
    assert "2026 年星火科普提升方案" in city_list
    assert "2026 年星火科普提升方案" not in county_list
    assert county_page.status_code == 404
    assert Plan.objects.get(code="spark-2026").is_active is True


def test_a_county_gets_404_on_every_planning_page(client, login, personas, plan):
    client.post(f"{BASE}/plans/spark-2026/tasks/new/", {**TASK, "units": [uid_of("KX370902")], **targets()})
    task = Task.objects.get(code="P-1")
    action = Action.unscoped.get(task=task)
    login(client, personas.county_a)

    plans = client.get(f"{BASE}/").content.decode()
    page = client.get(f"{BASE}/tasks/{task.uid}/").content.decode()
    answers = [
        client.get(f"{BASE}/plans/new/").status_code,
        client.post(f"{BASE}/plans/new/", {"code": "county", "title": "县里的方案"}).status_code,
        client.get(f"{BASE}/plans/spark-2026/tasks/new/").status_code,
        client.post(f"{BASE}/plans/spark-2026/tasks/new/", {**TASK, "code": "P-9", **targets()}).status_code,
        client.get(f"{BASE}/tasks/{task.uid}/edit/").status_code,
        client.post(f"{BASE}/tasks/{task.uid}/edit/", {**TASK, "title": "县里改的", **targets()}).status_code,
        client.post(f"{BASE}/tasks/{task.uid}/weights/", {f"w-{action.uid}": "5"}).status_code,
        client.post(f"{BASE}/plans/spark-2026/status/", {"is_active": "0"}).status_code,
    ]

    assert set(answers) == {404}
    assert 'data-testid="plan-create"' not in plans
    assert 'data-testid="task-edit"' not in page
    assert 'data-testid="weight"' not in page
    assert not Plan.objects.filter(code="county").exists()
    assert not Task.objects.filter(code="P-9").exists()
    task.refresh_from_db()
    assert (task.title, Plan.objects.get(code="spark-2026").is_active, Action.unscoped.get(pk=action.pk).weight) == (
        "建设星火科普服务站",
        True,
        None,
    )
