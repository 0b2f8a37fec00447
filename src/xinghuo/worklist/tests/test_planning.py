"""City staff plan the work list: add a plan and mark it 执行中 or 已结束; add a task with its responsible units (each
gets an action of its own) and measurable targets, all or nothing; change a task and its units, keeping the history
of a unit that has reported; weigh the units' actions. The targets feed the indicators."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from xinghuo.accounts.actor import actor_for
from xinghuo.core.errors import DomainError
from xinghuo.indicators.selectors import SEED_TASKS, targets
from xinghuo.organisations.models import Organisation
from xinghuo.worklist import selectors, services
from xinghuo.worklist.models import Action, ActionStatus, Plan, ProgressReport, Target, Task
from xinghuo.worklist.services import TargetSpec

pytestmark = pytest.mark.django_db

TAISHAN, DAIYUE = "KX370902", "KX370911"  # county A's association, county B's


def org(code: str) -> Organisation:
    return Organisation.unscoped.get(code=code)


@pytest.fixture
def city(personas):
    return actor_for(personas.city_staff)


@pytest.fixture
def plan(city) -> Plan:
    return services.plan_create(actor=city, code="spark-2026", title="2026 年星火科普提升方案", issued="2026")


def create(city, plan, **overrides) -> Task:
    fields = {"code": "P-1", "title": "建设服务站", "text": "每个乡镇建成 1 个服务站。", "units": [org(TAISHAN), org(DAIYUE)]}
    return services.task_create(actor=city, plan=plan, **{**fields, **overrides})


def nothing_saved() -> bool:
    """No task of the new plan, nor an action or a target of one."""
    mine = {"task__plan__code": "spark-2026"}
    return not (Task.objects.filter(plan__code="spark-2026").exists() or Action.unscoped.filter(**mine).exists()
                or Target.objects.filter(**mine).exists())  # fmt: skip


# --- services: plans ----------------------------------------------------------------------------------------------


def test_the_city_adds_a_plan_and_ends_it_and_a_county_can_do_neither(city, personas, plan):
    county = actor_for(personas.county_a)

    with pytest.raises(DomainError) as taken:
        services.plan_create(actor=city, code="spark-2026", title="同代码的另一方案")
    with pytest.raises(DomainError):
        services.plan_create(actor=city, code="new", title="与网址冲突的代码")
    with pytest.raises(DomainError) as denied:
        services.plan_create(actor=county, code="county-plan", title="县里加的方案")
    with pytest.raises(DomainError):
        services.plan_set_active(actor=county, plan=plan, is_active=False)
    services.plan_set_active(actor=city, plan=plan, is_active=False)

    assert taken.value.field == "code"
    assert denied.value.status == 403
    assert Plan.objects.filter(code="county-plan").exists() is False
    assert plan not in selectors.plans(actor=county)  # the units see active plans only
    assert list(selectors.ended_plans(actor=city)) == [Plan.objects.get(code="spark-2026")]
    assert selectors.get_plan(actor=city, code="spark-2026").is_active is False  # the city still opens it


# --- services: tasks ----------------------------------------------------------------------------------------------


def test_a_task_is_created_with_an_action_per_unit_and_its_targets(city, plan):
    parent = create(city, plan)
    target = TargetSpec(text="每个乡镇建成 1 个服务站", minimum=Decimal(80), unit="个", per="", indicator="service_stations")

    child = create(city, plan, code="P-1-1", title="县级示范站", parent=parent, lead="科普部，学会部", report_every="quarter",
                   weight=Decimal("2.5"), targets=[target], units=[org(TAISHAN)])  # fmt: skip

    assert sorted(Action.unscoped.filter(task=parent).values_list("organisation__code", flat=True)) == [TAISHAN, DAIYUE]
    assert (child.parent, child.lead, child.report_every, child.weight, child.units) == (
        parent,
        "科普部、学会部",
        "quarter",
        Decimal("2.5"),
        "泰山区科协",
    )
    stored = Target.objects.get(task=child)
    assert (stored.minimum, stored.maximum, stored.unit, stored.per, stored.indicator) == (Decimal(80), None, "个", "", "service_stations")
    assert selectors.task_node(parent).children[0].task == child


def test_every_county_association_is_written_as_the_plans_write_them(city, plan):
    counties = list(Organisation.unscoped.filter(kind="county_association", is_active=True))

    task = create(city, plan, units=[*counties, org("KX370900-KJG")])

    assert task.units == "县市区、功能区科协、市科技馆"
    assert Action.unscoped.filter(task=task).count() == len(counties) + 1


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"code": "S-4.1.1"}, "code", "已被使用"),  # a code of the seeds' sample plan
        ({"title": "  "}, "title", "请填写任务名称"),
        ({"weight": Decimal(0)}, "weight", "权重应大于 0"),
        ({"report_every": "weekly"}, "report_every", "进展报送周期"),
        ({"targets": [TargetSpec(text="10 到 5 期", minimum=Decimal(10), maximum=Decimal(5))]}, "targets", "下限不能大于上限"),
        ({"targets": [TargetSpec(text="某指标", minimum=Decimal(1), indicator="no_such_indicator")]}, "targets", "没有代码为“no_such_indicator”的指标"),
        ({"targets": [TargetSpec(text="")]}, "targets", "请填写目标"),
        ({"targets": [TargetSpec(text="负数", minimum=Decimal(-1))]}, "targets", "不能为负数"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_in_chinese_and_saves_nothing(city, plan, loaded, overrides, field, words):
    with pytest.raises(DomainError) as info:
        create(city, plan, **overrides)

    assert info.value.field == field
    assert words in info.value.message
    assert nothing_saved()


def test_a_parent_of_another_plan_is_refused(city, plan, loaded):
    other = Task.objects.get(code="S-4.1.1")

    with pytest.raises(DomainError) as info:
        create(city, plan, parent=other)

    assert (info.value.field, info.value.message) == ("parent", "上级任务须属于同一方案")
    assert nothing_saved()


def test_a_target_the_database_refuses_undoes_the_task_and_its_actions(city, plan):
    # the unit is checked by the model, when the task and its actions are already written: the transaction undoes them
    good = TargetSpec(text="建成服务站", minimum=Decimal(1), unit="个")
    bad = TargetSpec(text="示范活动", minimum=Decimal(10), unit="期" * 21)

    with pytest.raises(DomainError) as info:
        create(city, plan, targets=[good, bad])

    assert info.value.message.startswith("第 2 条量化目标")
    assert nothing_saved()


def test_a_county_cannot_add_a_task(personas, plan):
    with pytest.raises(DomainError) as info:
        create(actor_for(personas.county_a), plan)

    assert info.value.status == 403
    assert nothing_saved()


# --- services: changing a task --------------------------------------------------------------------------------------


def test_a_task_is_changed_its_units_and_targets_follow(city, plan):
    keep = TargetSpec(text="建成服务站", minimum=Decimal(1), unit="个")
    drop = TargetSpec(text="开展培训", minimum=Decimal(2), unit="期")
    task = create(city, plan, targets=[keep, drop])
    daiyue = Action.unscoped.get(task=task, organisation__code=DAIYUE)
    opened = ProgressReport.unscoped.create(action=daiyue, period="2026-10", due=timezone.localdate())  # empty: not its history
    kept = Target.objects.get(task=task, text="建成服务站")

    services.task_update(
        actor=city, task=task, title="建设星火科普服务站", text="每个乡镇建成 1 个服务站。", lead="科普部", period="2026 年底前",
        weight=Decimal(3), report_every="month", units=[org(TAISHAN), org("KX370900-KJG")],
        targets=[TargetSpec(text="建成服务站", minimum=Decimal(1), maximum=Decimal(3), unit="个", uid=str(kept.uid)),
                 TargetSpec(text="新增宣传员", minimum=Decimal(60), unit="名", indicator="promoters")],
    )  # fmt: skip

    task.refresh_from_db()
    assert (task.title, task.period, task.weight, task.report_every, task.code) == (
        "建设星火科普服务站",
        "2026 年底前",
        Decimal(3),
        "month",
        "P-1",
    )
    assert sorted(Action.unscoped.filter(task=task).values_list("organisation__code", flat=True)) == ["KX370900-KJG", TAISHAN]
    assert not ProgressReport.unscoped.filter(pk=opened.pk).exists()
    assert task.units == "泰山区科协、市科技馆"
    assert sorted(Target.objects.filter(task=task).values_list("text", flat=True)) == ["建成服务站", "新增宣传员"]
    assert Target.objects.get(pk=kept.pk).maximum == Decimal(3)  # the same target, changed


@pytest.mark.parametrize("history", ["report", "progress"])
def test_a_unit_that_has_reported_cannot_be_taken_off(city, personas, plan, history):
    task = create(city, plan)
    daiyue = Action.unscoped.get(task=task, organisation__code=DAIYUE)
    if history == "report":
        ProgressReport.unscoped.create(action=daiyue, period="2026-10", due=timezone.localdate(), text="已建 2 个站", progress=20,
                                       submitted_at=timezone.now())  # fmt: skip
    else:
        services.action_update(actor=actor_for(personas.county_b), action=daiyue, status=ActionStatus.IN_PROGRESS, progress=10)

    with pytest.raises(DomainError) as info:
        services.task_update(actor=city, task=task, title="改了名字", text=task.text, units=[org(TAISHAN)])

    assert info.value.field == "units"
    assert "岱岳区科学技术协会已填报过这项任务的进展，不能移出负责单位" in info.value.message
    assert Action.unscoped.filter(pk=daiyue.pk).exists()
    assert Task.objects.get(pk=task.pk).title == "建设服务站"  # nothing of the change saved


def test_a_county_cannot_change_a_task(personas, city, plan):
    task = create(city, plan)

    with pytest.raises(DomainError) as info:
        services.task_update(actor=actor_for(personas.county_a), task=task, title="县里改的", text="内容", units=[])

    assert info.value.status == 403
    assert Action.unscoped.filter(task=task).count() == 2


def test_weights_tilt_the_task_and_bad_ones_change_nothing(city, personas, plan):
    task = create(city, plan)
    taishan = Action.unscoped.get(task=task, organisation__code=TAISHAN)
    services.action_update(actor=actor_for(personas.county_a), action=taishan, status=ActionStatus.DONE, progress=100)
    daiyue = Action.unscoped.get(task=task, organisation__code=DAIYUE)

    changed = services.action_weights_set(actor=city, task=task, weights={str(taishan.uid): Decimal(3), str(daiyue.uid): None})
    with pytest.raises(DomainError):
        services.action_weights_set(actor=city, task=task, weights={str(taishan.uid): Decimal(0)})
    other = create(city, plan, code="P-2", units=[org(TAISHAN)])
    with pytest.raises(DomainError) as foreign:
        services.action_weights_set(actor=city, task=other, weights={str(taishan.uid): Decimal(2)})
    with pytest.raises(DomainError) as denied:
        services.action_weights_set(actor=actor_for(personas.county_a), task=task, weights={str(taishan.uid): Decimal(9)})

    assert changed == 1
    assert selectors.task_node(task).progress == Decimal(300) / 4  # (100 × 3 + 0 × 1) / 4
    assert Action.unscoped.get(pk=taishan.pk).weight == Decimal(3)
    assert (foreign.value.status, denied.value.status) == (404, 403)


# --- the indicators read the targets --------------------------------------------------------------------------------


def test_a_new_tasks_target_overrides_the_seeds_for_its_indicator_until_its_plan_ends(city, plan):
    year = timezone.localdate().year
    seed = targets(year)["service_stations"]
    assert seed.source in SEED_TASKS

    create(city, plan, code="P-9", targets=[TargetSpec(text="每年新认定服务站 50 个", minimum=Decimal(50), maximum=Decimal(60), unit="个",
                                                        indicator="service_stations")])  # fmt: skip
    mine = targets(year)["service_stations"]
    services.plan_set_active(actor=city, plan=plan, is_active=False)

    assert (mine.minimum, mine.maximum, mine.text, mine.source) == (Decimal(50), Decimal(60), "每年新认定服务站 50 个", "P-9")
    assert targets(year)["service_stations"] == seed  # an ended plan's targets leave the indicators


def test_a_code_taken_a_moment_ago_by_someone_else_is_refused_in_chinese(city, plan, monkeypatch):
    create(city, plan, code="P-9")
    # the other save committed after this one looked (the look finds nothing): the unique index still refuses it
    real_filter = Task.objects.filter
    monkeypatch.setattr(Task.objects, "filter", lambda *a, **kw: real_filter(pk=-1) if kw.get("code") == "P-9" else real_filter(*a, **kw))

    with pytest.raises(DomainError) as refused:
        create(city, plan, code="P-9", title="又一个")

    assert refused.value.field == "code"
    assert "已被使用" in refused.value.message
    monkeypatch.undo()
    assert Task.objects.filter(code="P-9").count() == 1
