"""The demo's lists: last year's three published with at least 10 names each, this year's chief experts in notice
with an objection waiting; drawn from talent's demo people; idempotent."""

from __future__ import annotations

import pytest
from django.utils import timezone

from xinghuo.core import context
from xinghuo.core.demo import DemoContext
from xinghuo.core.scoping import system_scope
from xinghuo.core.workdays import nth_working_day
from xinghuo.experts import demo, selectors
from xinghuo.experts.models import ListKind, Nomination, Objection, Selection, SelectionStatus
from xinghuo.talent import demo as talent_demo
from xinghuo.talent.models import PersonRole

pytestmark = pytest.mark.django_db


def _seed() -> dict[str, int]:
    ctx = DemoContext(scale="small", seed=2026)
    ctx.shared["cities"] = ["370900"]
    with context.as_command("seed_demo"), system_scope():
        talent_demo.seed(ctx)
        return demo.seed(ctx)


def test_last_year_s_lists_are_published_and_this_year_s_chiefs_are_in_notice_with_an_objection(client):
    made = _seed()
    today = timezone.localdate()

    last = Selection.objects.filter(year=today.year - 1)
    assert {s.kind for s in last} == set(ListKind.values)
    for selection in last:
        assert selection.status == SelectionStatus.PUBLISHED
        assert selectors.progress_of(selection).listed >= 10
        for n in Nomination.unscoped.filter(selection=selection):
            assert PersonRole.unscoped.filter(person=n.person_id, kind=selection.role, status="active").exists()
    chief = Selection.objects.get(year=today.year, kind=ListKind.CHIEF)
    assert chief.status == SelectionStatus.IN_NOTICE
    assert chief.notice_ends == nth_working_day(today, 5)
    assert Objection.unscoped.filter(nomination__selection=chief, upheld__isnull=True).count() == 1
    assert made["年度名单评选"] == 6

    page = client.get("/experts/").content.decode()
    assert page.count('data-testid="listed"') >= 30
    assert "13700" not in page  # the demo's phones
    assert 'data-testid="candidate"' in client.get("/experts/notice/").content.decode()


def test_the_demo_is_seeded_once():
    _seed()

    assert _seed() == {}
