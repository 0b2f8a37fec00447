"""The selection under concurrent writers (PostgreSQL): the same person nominated at once by their county and their
organisation is nominated once (the selection's row lock serialises them, and the loser hears why), and an objection
upheld at the moment the city publishes never leaves its candidate on the published list."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings

from xinghuo.core.errors import DomainError
from xinghuo.experts import services
from xinghuo.experts.errors import ExpertError as E
from xinghuo.experts.models import Nomination, NominationStatus, Objection
from xinghuo.experts.tests.conftest import open_selection, person
from xinghuo.talent.tests.test_race import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the race runs on PostgreSQL; SQLite serialises writers with IMMEDIATE transactions",
    ),
]
REASONS = "长期深入乡村开展农业科普讲座，群众反响好"


def test_a_person_nominated_at_once_by_their_county_and_their_organisation_is_nominated_once(cast, personas):
    selection = open_selection(cast)
    expert = person(cast, organisation=personas.society)
    actors = [cast.county_a, cast.organiser]

    errors = run_together(lambda i: services.nomination_create(actor=actors[i], selection=selection, person=expert, reasons=REASONS), 2)

    assert Nomination.unscoped.filter(selection=selection, person=expert).count() == 1
    assert len(errors) == 1
    assert isinstance(errors[0], DomainError)
    assert errors[0].code == E.DUPLICATE


def test_an_objection_upheld_while_the_city_publishes_never_leaves_its_candidate_listed(cast):
    selection = open_selection(cast)
    nominations = [
        services.nomination_create(actor=cast.county_a, selection=selection, person=person(cast, name=name), reasons=REASONS)
        for name in ("王名家", "李名家")
    ]
    for n in nominations:
        services.nomination_review(actor=cast.city, nomination=n, decision="shortlist", note="拟列入")
    services.selection_start_notice(actor=cast.city, selection=selection, today=date(2026, 11, 2))
    objection = services.objection_file(nomination=nominations[0], contact="13900001111", reason="推荐材料与事实不符，请核实",
                                        today=date(2026, 11, 2))  # fmt: skip

    def work(i: int) -> None:
        if i == 0:
            services.objection_answer(actor=cast.city, objection=objection, answer="经核实属实", upheld=True)
        else:
            services.selection_publish(actor=cast.city, selection=selection, today=date(2026, 11, 20))

    errors = run_together(work, 2)

    assert all(isinstance(e, DomainError) and e.code == E.OBJECTIONS_PENDING for e in errors)
    assert Objection.unscoped.get().upheld is True
    objected = Nomination.unscoped.get(pk=nominations[0].pk)
    assert objected.status == NominationStatus.WITHDRAWN
