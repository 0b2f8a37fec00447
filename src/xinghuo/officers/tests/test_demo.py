"""The demo's officers: every INFO_OFFICER person of talent's demo registered, with figures for the months since they
registered (6 at `small`), some officers silent, a few far ahead of the rest; idempotent. The `city` scale is the same
code over talent's ≈2,800 officers with 12 months."""

from __future__ import annotations

from statistics import median

import pytest
from django.utils import timezone

from xinghuo.core import context
from xinghuo.core.demo import DemoContext
from xinghuo.core.scoping import system_scope
from xinghuo.officers import demo
from xinghuo.officers.models import InfoOfficer, MonthlyFigures
from xinghuo.talent import demo as talent_demo
from xinghuo.talent.models import PersonRole

pytestmark = pytest.mark.django_db


def _seed(scale: str = "small") -> dict[str, int]:
    ctx = DemoContext(scale=scale, seed=2026)
    ctx.shared["cities"] = ["370900"]
    with context.as_command("seed_demo"), system_scope():
        talent_demo.seed(ctx)
        return demo.seed(ctx)


def test_every_officer_of_the_registry_is_registered_with_the_months_since(settings):
    made = _seed()

    holders = set(PersonRole.unscoped.filter(kind="info_officer", status="active").values_list("person_id", flat=True))
    officers = list(InfoOfficer.unscoped.all())
    assert made["科普中国信息员"] == len(officers) >= 5
    assert {o.person_id for o in officers} == holders
    months = set(MonthlyFigures.unscoped.values_list("year", "month"))
    assert len(months) <= 6
    today = timezone.localdate()
    assert (today.year, today.month) not in months  # a month's figures come after it ends
    for o in officers:
        for f in MonthlyFigures.unscoped.filter(officer=o):
            assert (f.year, f.month) >= (o.registered_on.year, o.registered_on.month)


def test_running_it_again_adds_nothing():
    _seed()
    counts = (InfoOfficer.unscoped.count(), MonthlyFigures.unscoped.count())

    with context.as_command("seed_demo"), system_scope():
        assert demo.seed(DemoContext(scale="small", seed=2026)) == {}

    assert (InfoOfficer.unscoped.count(), MonthlyFigures.unscoped.count()) == counts


def test_the_figures_are_skewed_most_share_little_a_few_a_lot_some_nothing(monkeypatch):
    """At a larger draw (the small plan multiplied): the shape the city demo has."""
    monkeypatch.setattr(talent_demo, "SMALL_PLAN", {kind: n * 20 for kind, n in talent_demo.SMALL_PLAN.items()})
    _seed()

    totals = [sum(f.shares for f in MonthlyFigures.unscoped.filter(officer=o)) for o in InfoOfficer.unscoped.all()]
    totals.sort()
    assert sum(1 for t in totals if t == 0) >= len(totals) // 10  # some never share
    assert totals[-1] > 5 * max(1, median(totals))  # a few share far more than most
    assert sum(totals[-len(totals) // 10 :]) > sum(totals) / 3  # the top tenth does a large part of the sharing
