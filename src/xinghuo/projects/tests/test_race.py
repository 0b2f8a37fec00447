"""Two allocations in the same call at once (PostgreSQL row locks; SQLite serialises writers anyway): the call's row is
locked before its grants are counted, so that between them they never exceed the call's total."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection

from xinghuo.core.errors import DomainError
from xinghuo.projects import services
from xinghuo.projects.errors import ProjectError as E
from xinghuo.projects.models import Project, ProjectStatus
from xinghuo.projects.tests.conftest import submitted

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite serialises writers anyway"),
    pytest.mark.django_db(transaction=True),
]


def _at_once(*calls) -> list[object]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = []

    def run(call):
        try:
            barrier.wait()
            outcomes.append(call())
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_allocations_at_once_never_exceed_the_calls_total(cast, monkeypatch):
    # given a call of 500,000 and two applications of 300,000 each (and counting the call's grants taking a moment)
    first = submitted(cast, requested=300_000, title="甲")
    second = submitted(cast, requested=300_000, title="乙")
    counted = services.allocated_in

    def slow(call):
        total = counted(call)
        time.sleep(0.3)
        return total

    monkeypatch.setattr(services, "allocated_in", slow)

    # when the city grants both in full at the same moment
    outcomes = _at_once(
        lambda: services.project_allocate(actor=cast.city, project=first, amount=Decimal(300_000)),
        lambda: services.project_allocate(actor=cast.city, project=second, amount=Decimal(300_000)),
    )

    # then one is granted and the other told of the budget, and the call's grants stay within its total
    assert E.BUDGET_EXCEEDED in outcomes
    assert Project.unscoped.filter(status=ProjectStatus.APPROVED).count() == 1
    assert counted(cast.call) == Decimal(300_000)


def test_two_applications_to_two_calls_of_one_year_at_once_get_two_numbers(cast, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from xinghuo.projects.models import ProjectCall
    from xinghuo.projects.tests.conftest import draft

    second = ProjectCall.objects.create(year=cast.call.year, title="第二批", total_budget=Decimal(500_000),
                                        deadline=timezone.localdate() + timedelta(days=30))  # fmt: skip
    numbering = services._next_code

    def slowly(year: int) -> str:  # the moment between reading the last number and saving the next one, widened
        code = numbering(year)
        time.sleep(0.3)
        return code

    monkeypatch.setattr(services, "_next_code", slowly)

    outcomes = _at_once(lambda: draft(cast, call=cast.call, title="甲").code, lambda: draft(cast, call=second, title="乙").code)

    assert sorted(outcomes) == [f"KP-{cast.call.year}-001", f"KP-{cast.call.year}-002"]
