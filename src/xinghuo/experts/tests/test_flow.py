"""The yearly selection from nomination to the published list, and every refusal on the way."""

from __future__ import annotations

from datetime import date

import pytest

from xinghuo.core.errors import DomainError
from xinghuo.experts import services
from xinghuo.experts.errors import ExpertError as E
from xinghuo.experts.models import Nomination, NominationStatus, NominationStep, Objection, SelectionStatus, StepAction
from xinghuo.experts.selectors import progress_of
from xinghuo.experts.tests.conftest import DAIYUE, open_selection, person

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 2)
THURSDAY = date(2026, 11, 5)


def nominate(cast, selection, someone, actor=None):
    return services.nomination_create(actor=actor or cast.county_a, selection=selection, person=someone,
                                      reasons="长期深入乡村开展农业科普讲座，群众反响好")  # fmt: skip


def test_the_whole_flow_with_a_return_an_upheld_and_a_dismissed_objection(cast, selection):
    # given three experts of county A nominated by their county
    wang, li, zhao = (person(cast, name=n) for n in ("王名家", "李名家", "赵名家"))
    first, second, third = (nominate(cast, selection, p) for p in (wang, li, zhao))

    # when the city returns one for more, the county amends it, and the city shortlists all three
    services.nomination_review(actor=cast.city, nomination=first, decision="return", note="请补充近三年科普讲座场次")
    with pytest.raises(DomainError) as refused:
        services.selection_start_notice(actor=cast.city, selection=selection, today=THURSDAY)
    assert refused.value.code == E.PENDING_REVIEW  # the other two still wait for a decision
    services.nomination_resubmit(actor=cast.county_a, nomination=first, reasons="近三年开展农业科普讲座 60 余场，受众 5000 余人次")
    for n in (first, second, third):
        services.nomination_review(actor=cast.city, nomination=n, decision="shortlist", note="事迹突出，拟列入")
    selection = services.selection_start_notice(actor=cast.city, selection=selection, today=THURSDAY)

    # then the notice runs five working days over the weekend, Thursday to the next Wednesday
    assert (selection.notice_starts, selection.notice_ends) == (THURSDAY, date(2026, 11, 11))

    # when the public objects to two candidates, and the city upholds one and dismisses the other
    upheld = services.objection_file(
        nomination=second, contact="13900001111", reason="该同志的推荐材料中讲座场次与实际不符", today=THURSDAY
    )
    dismissed = services.objection_file(nomination=third, name="", contact="someone@example.cn", reason="听说他的讲座收费，不应入选",
                                        today=date(2026, 11, 9))  # fmt: skip
    services.objection_answer(actor=cast.city, objection=upheld, answer="经核实情况属实，撤销其拟入选资格", upheld=True)
    services.objection_answer(actor=cast.city, objection=dismissed, answer="经核实讲座均为公益，异议不成立", upheld=False)
    published = services.selection_publish(actor=cast.city, selection=selection, today=date(2026, 11, 12))

    # then the list holds the two who stayed, the withdrawn one is out, and each step is on record
    assert published.status == SelectionStatus.PUBLISHED
    statuses = {n.person.name: n.status for n in Nomination.unscoped.filter(selection=selection)}
    assert statuses == {"王名家": NominationStatus.LISTED, "李名家": NominationStatus.WITHDRAWN, "赵名家": NominationStatus.LISTED}
    actions = list(NominationStep.unscoped.filter(nomination=first).values_list("action", flat=True))
    assert actions == [StepAction.NOMINATE, StepAction.RETURN, StepAction.RESUBMIT, StepAction.SHORTLIST, StepAction.NOTICE,
                       StepAction.LIST]  # fmt: skip
    assert NominationStep.unscoped.filter(nomination=second, action=StepAction.OBJECTION_UPHELD).exists()
    assert progress_of(published).listed == 2
    assert progress_of(published).target == 10


def _in_notice(cast, selection, *people):
    nominations = [nominate(cast, selection, p) for p in people]
    for n in nominations:
        services.nomination_review(actor=cast.city, nomination=n, decision="shortlist", note="拟列入")
    return services.selection_start_notice(actor=cast.city, selection=selection, today=MONDAY), nominations


def test_publishing_is_refused_while_the_notice_runs(cast, selection):
    selection, _ = _in_notice(cast, selection, person(cast))

    with pytest.raises(DomainError) as refused:
        services.selection_publish(actor=cast.city, selection=selection, today=date(2026, 11, 6))

    assert refused.value.code == E.NOTICE_OPEN
    assert "期满后才能公布" in refused.value.message
    selection.refresh_from_db()
    assert selection.status == SelectionStatus.IN_NOTICE


def test_publishing_is_refused_while_an_objection_is_unanswered(cast, selection):
    selection, (nomination,) = _in_notice(cast, selection, person(cast))
    services.objection_file(nomination=nomination, contact="13900001111", reason="推荐材料与事实不符，请核实", today=MONDAY)

    with pytest.raises(DomainError) as refused:
        services.selection_publish(actor=cast.city, selection=selection, today=date(2026, 11, 20))

    assert refused.value.code == E.OBJECTIONS_PENDING
    assert "未答复" in refused.value.message


def test_an_objection_after_the_notice_is_refused(cast, selection):
    selection, (nomination,) = _in_notice(cast, selection, person(cast))

    with pytest.raises(DomainError) as refused:
        services.objection_file(nomination=nomination, contact="13900001111", reason="推荐材料与事实不符，请核实", today=date(2026, 11, 9))

    assert refused.value.code == E.NOTICE_CLOSED
    assert not Objection.unscoped.exists()


def test_an_objection_needs_a_contact_and_a_reason(cast, selection):
    selection, (nomination,) = _in_notice(cast, selection, person(cast))

    for contact, reason, field in (("", "推荐材料与事实不符，请核实", "contact"), ("不告诉你", "推荐材料与事实不符，请核实", "contact"),
                                   ("13900001111", "不同意", "reason")):  # fmt: skip
        with pytest.raises(DomainError) as refused:
            services.objection_file(nomination=nomination, contact=contact, reason=reason, today=MONDAY)
        assert refused.value.field == field


def test_someone_without_the_role_cannot_be_nominated(cast, selection):
    volunteer = person(cast, roles=("volunteer",))

    with pytest.raises(DomainError) as refused:
        nominate(cast, selection, volunteer)

    assert refused.value.code == E.ROLE
    assert "不是在任的名家库专家" in refused.value.message
    assert not Nomination.unscoped.exists()


def test_an_influencer_needs_an_influencer_profile(cast):
    selection = open_selection(cast, "influencer")
    star = person(cast, roles=("influencer",))

    with pytest.raises(DomainError) as refused:
        nominate(cast, selection, star)
    assert refused.value.code == E.NO_INFLUENCER_PROFILE

    services.influencer_account_add(actor=cast.county_a, person=star, platform="douyin", account="taishan_kepu", followers=120000)
    assert nominate(cast, selection, star).status == NominationStatus.SUBMITTED


def test_county_b_cannot_nominate_county_a_s_person(cast, selection):
    expert_a = person(cast)

    with pytest.raises(DomainError) as refused:
        nominate(cast, selection, expert_a, actor=cast.county_b)

    assert refused.value.status == 404
    assert not Nomination.unscoped.exists()


def test_an_organisation_nominates_its_own_people_only(cast, selection, personas):
    own = person(cast, name="医学会专家", organisation=personas.society)
    other = person(cast, name="别家专家", county=DAIYUE)

    assert nominate(cast, selection, own, actor=cast.organiser).nominator == personas.society
    with pytest.raises(DomainError):
        nominate(cast, selection, other, actor=cast.organiser)


def test_a_person_is_nominated_once_a_year_and_only_the_city_reviews(cast, selection):
    expert = person(cast)
    nomination = nominate(cast, selection, expert)

    with pytest.raises(DomainError) as twice:
        nominate(cast, selection, expert)
    with pytest.raises(DomainError) as by_county:
        services.nomination_review(actor=cast.county_a, nomination=nomination, decision="shortlist", note="自己评自己")
    with pytest.raises(DomainError) as no_note:
        services.nomination_review(actor=cast.city, nomination=nomination, decision="decline", note=" ")

    assert (twice.value.code, by_county.value.code, no_note.value.code) == (E.DUPLICATE, E.NOT_ALLOWED, E.REASON_REQUIRED)


def test_a_selection_is_opened_once_a_year_by_the_city(cast, selection):
    with pytest.raises(DomainError) as again:
        open_selection(cast)
    with pytest.raises(DomainError) as by_county:
        services.selection_open(actor=cast.county_a, year=selection.year, kind="outstanding")

    assert again.value.code == E.SELECTION_EXISTS
    assert by_county.value.code == E.NOT_ALLOWED
