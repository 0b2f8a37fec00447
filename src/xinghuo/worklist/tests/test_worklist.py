"""The work list: loading the plans' tasks with an action for each responsible unit the platform knows; progress
rolled up from the units' actions (weighted where weights are set, else the average); each unit keeps its own."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from xinghuo.activities.tests.conftest import acting_as
from xinghuo.core import audit
from xinghuo.core.errors import DomainError
from xinghuo.organisations.base_data import city_association
from xinghuo.organisations.models import Organisation
from xinghuo.worklist import selectors, services
from xinghuo.worklist.loading import load
from xinghuo.worklist.models import Action, ActionStatus, Plan, Target, Task
from xinghuo.worklist.tests.conftest import PLANS, TASKS

pytestmark = pytest.mark.django_db


def action(task_code: str, org_code: str) -> Action:
    return Action.unscoped.get(task__code=task_code, organisation__code=org_code)


def node(code: str) -> selectors.Node:
    return selectors.task_node(Task.objects.get(code=code))


def set_progress(task_code: str, org_code: str, progress: int, status: str = ActionStatus.IN_PROGRESS) -> None:
    with audit.bulk_write(model=Action, description="测试：设定进度"):
        Action.unscoped.filter(pk=action(task_code, org_code).pk).update(progress=progress, status=status)


def test_loading_makes_tasks_targets_and_an_action_for_each_known_unit(loaded):
    counties = Organisation.unscoped.filter(kind="county_association").count()

    assert (loaded.plans, loaded.tasks, loaded.targets) == (1, 3, 1)
    assert Action.unscoped.filter(task__code="S-4.1.1").count() == counties + 1  # every county association and the museum
    assert loaded.unknown_units == {"乡村振兴服务队"}  # kept as written on the task, without an action
    assert Task.objects.get(code="S-4.1.1-1").parent.code == "S-4.1.1"
    target = Target.objects.get()
    assert (target.minimum, target.maximum, target.indicator) == (Decimal(10), Decimal(20), "activities_sanbai_city")


def test_loading_again_adds_nothing_and_keeps_the_units_progress(loaded):
    set_progress("S-4.1.1", "KX370902", 40)

    again = load(plans=PLANS, tasks=TASKS, city=city_association())

    assert again.actions == 0
    assert (Plan.objects.count(), Task.objects.count(), Target.objects.count()) == (1, 3, 1)
    assert action("S-4.1.1", "KX370902").progress == 40


def test_a_tasks_progress_is_the_average_of_its_units_and_sub_tasks(loaded):
    actions = Action.unscoped.filter(task__code="S-4.1.1").count()  # the county associations and the museum
    set_progress("S-4.1.1", "KX370902", 100, ActionStatus.DONE)
    set_progress("S-4.1.1-1", "KX370900-KJG", 50)

    parent = node("S-4.1.1")

    # (100 + 0 × (actions − 1)) over its own actions, and the sub-task's 50, all weighing 1
    assert parent.progress == (Decimal(100) + Decimal(50)) / (actions + 1)
    assert node("S-4.1.2").progress is None  # no unit on the platform carries it: no figure, not 0


def test_weights_tilt_the_roll_up(loaded):
    with audit.bulk_write(model=Action, description="测试：只留博物馆一家"):
        Action.unscoped.filter(task__code="S-4.1.1").delete()
    set_progress("S-4.1.1-1", "KX370900-KJG", 50)
    sub = Task.objects.get(code="S-4.1.1-1")
    museum = Action.unscoped.create(task=Task.objects.get(code="S-4.1.1"), organisation=Organisation.unscoped.get(code="KX370900-KJG"),
                                    progress=100, status=ActionStatus.DONE, weight=Decimal(3))  # fmt: skip
    assert museum.weight == 3
    sub.weight = Decimal(1)
    sub.save()

    assert node("S-4.1.1").progress == (Decimal(100) * 3 + Decimal(50)) / 4


def test_a_county_keeps_its_own_action_and_not_another_countys(loaded, personas):
    from xinghuo.accounts.actor import actor_for

    county_a, county_b = actor_for(personas.county_a), actor_for(personas.county_b)
    mine = action("S-4.1.1", "KX370902")

    services.action_update(actor=county_a, action=mine, status=ActionStatus.DONE, progress=60, note="已开展 12 期")
    with pytest.raises(DomainError) as info:
        services.action_update(actor=county_b, action=mine, status=ActionStatus.DELAYED, progress=0)

    stored = action("S-4.1.1", "KX370902")
    assert (stored.status, stored.progress, stored.note) == (ActionStatus.DONE, 100, "已开展 12 期")  # done is 100 %
    assert info.value.status == 404
    with acting_as(county_a):
        assert {a.organisation.code for a in selectors.my_actions(actor=county_a)} == {"KX370902"}


def test_bad_progress_is_refused_and_changes_nothing(loaded, personas):
    from xinghuo.accounts.actor import actor_for

    county_a = actor_for(personas.county_a)
    mine = action("S-4.1.1", "KX370902")

    for status, progress in ((ActionStatus.IN_PROGRESS, 120), (ActionStatus.NOT_STARTED, 30), ("unknown", 10)):
        with pytest.raises(DomainError):
            services.action_update(actor=county_a, action=mine, status=status, progress=progress)

    assert action("S-4.1.1", "KX370902").progress == 0


def test_city_staff_add_a_task_with_its_units_and_a_county_cannot(loaded, personas):
    from xinghuo.accounts.actor import actor_for

    plan = Plan.objects.get()
    museum = Organisation.unscoped.get(code="KX370900-KJG")

    task = services.task_create(actor=actor_for(personas.city_staff), plan=plan, code="S-9", title="新增任务", text="新增任务内容",
                                units=[museum])  # fmt: skip
    with pytest.raises(DomainError):
        services.task_create(actor=actor_for(personas.county_a), plan=plan, code="S-10", title="县里加的", text="内容")

    assert list(Action.unscoped.filter(task=task).values_list("organisation__code", flat=True)) == ["KX370900-KJG"]
    assert not Task.objects.filter(code="S-10").exists()


def test_the_pages_show_progress_and_let_a_county_update_its_part(client, login, personas, loaded):
    set_progress("S-4.1.1", "KX370911", 30, ActionStatus.DELAYED)
    task = Task.objects.get(code="S-4.1.1")
    mine = action("S-4.1.1", "KX370902")
    login(client, personas.county_a)

    plans = client.get("/console/worklist/").content.decode()
    page = client.get(f"/console/worklist/tasks/{task.uid}/").content.decode()
    response = client.post(
        f"/console/worklist/actions/{mine.uid}/", {"status": "in_progress", "progress": "45", "note": "推进中"}, follow=True
    )
    theirs = client.post(f"/console/worklist/actions/{action('S-4.1.1', 'KX370911').uid}/", {"status": "done", "progress": "100"})

    assert "持续做好“三百三进”科技服务专项行动" in plans
    assert 'data-testid="delayed"' in plans
    assert page.count('name="progress"') == 1  # a form for its own action only
    assert "已更新" in response.content.decode()
    assert action("S-4.1.1", "KX370902").progress == 45
    assert theirs.status_code == 404
    assert action("S-4.1.1", "KX370911").status == ActionStatus.DELAYED


def test_a_plan_exports_its_tasks_with_progress(client, login, personas, loaded):
    login(client, personas.city_staff)

    response = client.get("/console/worklist/plans/sample/export/")

    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["S-4.1.1", "S-4.1.1-1", "S-4.1.2"]
    assert rows[3][6] == "—"


def test_loading_again_keeps_the_citys_edits_unless_asked_to_refresh(loaded):
    task = Task.objects.get(code="S-4.1.1")
    task.text = "市科协改过的文字"
    task.save(update_fields=["text", "updated_at"])
    Target.objects.get().delete()

    load(plans=PLANS, tasks=TASKS, city=city_association())
    kept = (Task.objects.get(code="S-4.1.1").text, Target.objects.count())
    load(plans=PLANS, tasks=TASKS, city=city_association(), refresh=True)

    assert kept == ("市科协改过的文字", 0)
    assert Task.objects.get(code="S-4.1.1").text != "市科协改过的文字"
    assert Target.objects.count() == 1
