"""Star levels: whoever newly reaches a level by confirmed hours goes into a public notice of 5 working days; the star
is awarded once it has passed without an upheld objection, with a certificate; an upheld objection withdraws it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from xinghuo.core.errors import DomainError
from xinghuo.volunteers import selectors, services
from xinghuo.volunteers.errors import VolunteerError as E
from xinghuo.volunteers.models import AwardStatus, Certificate, CertificateKind, StarAward
from xinghuo.volunteers.tests.conftest import credit, team_of

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 2)


@pytest.fixture
def team(cast):
    return team_of(cast.society, cast.society_org, name="医学科普志愿服务队", members=(cast.vol_a, cast.vol_b))


def _awards(person) -> list[tuple[int, str]]:
    return [(a.level, a.status) for a in StarAward.unscoped.filter(person=person).order_by("level")]


def _objection(cast, award, received_on):
    return services.objection_record(actor=cast.city, award=award, content="该志愿者部分服务时长系重复登记，请核实。", channel="phone",
                                     contact_name="某群众", contact_phone="13800001234", received_on=received_on)  # fmt: skip


def test_volunteers_who_reach_a_level_go_into_a_notice_of_five_working_days(cast, team):
    # given one volunteer with 120 confirmed hours, one with 650, and one with 90 (and entered hours do not count)
    credit(cast.society, team, cast.vol_a, 120, ending=MONDAY)
    credit(cast.society, team, cast.vol_b, 650, ending=MONDAY)
    third = cast.volunteer("孙志愿", 9)
    services.member_add(actor=cast.society, team=team, person=third)
    credit(cast.society, team, third, 90, ending=MONDAY)
    services.record_enter(actor=cast.society, volunteer=third, date=MONDAY - timedelta(days=30), hours=20, content="宣讲", team=team)

    # when the city opens the notices on a Thursday
    opened = services.star_notices_open(actor=cast.city, today=MONDAY + timedelta(days=3))

    # then the first is noticed for one star, the second straight for three, the third for none; until next Wednesday
    assert opened == 2
    assert _awards(cast.vol_a) == [(1, AwardStatus.NOTICED)]
    assert _awards(cast.vol_b) == [(3, AwardStatus.NOTICED)]
    assert _awards(third) == []
    award = StarAward.unscoped.get(person=cast.vol_b)
    assert (award.notice_starts, award.notice_ends) == (date(2026, 11, 5), date(2026, 11, 11))
    assert award.hours == Decimal("650.0")
    assert award.teams == "医学科普志愿服务队"
    # and the public notice shows their names and teams
    assert [a.person.name for a in selectors.public_notice_list()] == ["钱志愿", "赵志愿"]


def test_running_the_computation_again_opens_nothing_new(cast, team):
    credit(cast.society, team, cast.vol_a, 120, ending=MONDAY)
    services.star_notices_open(actor=cast.city, today=MONDAY)

    assert services.star_notices_open(actor=cast.city, today=MONDAY) == 0
    assert services.star_notices_open(actor=cast.city, today=MONDAY + timedelta(days=20)) == 0


def test_a_star_is_awarded_only_after_its_notice_has_ended_and_gets_a_certificate(cast, team):
    credit(cast.society, team, cast.vol_a, 120, ending=MONDAY)
    services.star_notices_open(actor=cast.city, today=MONDAY)  # notice to Friday 6 November

    # on the notice's last day nothing is awarded
    assert services.stars_award_due(actor=cast.city, today=date(2026, 11, 6)) == 0
    # the day after it, the star is awarded, with a star certificate
    assert services.stars_award_due(actor=cast.city, today=date(2026, 11, 7)) == 1
    award = StarAward.unscoped.get(person=cast.vol_a)
    assert award.status == AwardStatus.AWARDED
    assert award.awarded_on == date(2026, 11, 7)
    certificate = Certificate.unscoped.get(award=award)
    assert certificate.kind == CertificateKind.STAR
    assert certificate.level == 1
    assert certificate.name == "赵志愿"
    # and with more hours later, the next level is noticed
    credit(cast.society, team, cast.vol_a, 200, ending=MONDAY - timedelta(days=10))
    services.star_notices_open(actor=cast.city, today=date(2026, 11, 9))
    assert _awards(cast.vol_a) == [(1, AwardStatus.AWARDED), (2, AwardStatus.NOTICED)]


def test_an_undecided_objection_holds_the_award_and_an_upheld_one_withdraws_the_star(cast, team):
    credit(cast.society, team, cast.vol_a, 120, ending=MONDAY)
    services.star_notices_open(actor=cast.city, today=MONDAY)
    award = StarAward.unscoped.get(person=cast.vol_a)
    objection = _objection(cast, award, received_on=MONDAY + timedelta(days=2))

    # while the objection is undecided, the ended notice is not awarded
    assert services.stars_award_due(actor=cast.city, today=date(2026, 11, 9)) == 0

    # when the city upholds it, the star is withdrawn
    services.objection_decide(
        actor=cast.city, objection=objection, upheld=True, answer="经核实，有 30 小时重复登记。", today=date(2026, 11, 9)
    )
    award.refresh_from_db()
    assert award.status == AwardStatus.WITHDRAWN
    assert award.withdrawn_on == date(2026, 11, 9)
    assert not Certificate.unscoped.exists()
    # and running again at the same hours does not reopen it; more confirmed hours do
    assert services.star_notices_open(actor=cast.city, today=date(2026, 11, 10)) == 0
    credit(cast.society, team, cast.vol_a, 10, ending=MONDAY - timedelta(days=20))
    assert services.star_notices_open(actor=cast.city, today=date(2026, 11, 10)) == 1


def test_an_objection_not_upheld_lets_the_star_be_awarded(cast, team):
    credit(cast.society, team, cast.vol_a, 120, ending=MONDAY)
    services.star_notices_open(actor=cast.city, today=MONDAY)
    award = StarAward.unscoped.get(person=cast.vol_a)
    objection = _objection(cast, award, received_on=MONDAY)

    services.objection_decide(actor=cast.city, objection=objection, upheld=False, answer="经核实，服务记录均有活动签到为证。")

    assert services.stars_award_due(actor=cast.city, today=date(2026, 11, 9)) == 1


def test_an_objection_after_the_notice_is_refused(cast, team):
    credit(cast.society, team, cast.vol_a, 120, ending=MONDAY)
    services.star_notices_open(actor=cast.city, today=MONDAY)

    with pytest.raises(DomainError) as refused:
        _objection(cast, StarAward.unscoped.get(person=cast.vol_a), received_on=date(2026, 11, 7))

    assert refused.value.code == E.NOTICE_OPEN


def test_stars_are_the_citys_business(cast, team):
    with pytest.raises(DomainError) as refused:
        services.star_notices_open(actor=cast.county_a, today=MONDAY)

    assert refused.value.status == 403


def test_a_service_certificate_states_the_confirmed_hours_of_its_period_and_is_found_by_its_number(cast, team):
    # given 30 confirmed hours in October and 10 in November, and 5 entered but not confirmed
    credit(cast.society, team, cast.vol_a, 30, ending=date(2026, 10, 20))
    credit(cast.society, team, cast.vol_a, 10, ending=date(2026, 11, 20))
    services.record_enter(actor=cast.society, volunteer=cast.vol_a, date=date(2026, 10, 5), hours=5, content="宣讲", team=team)

    # when county A issues a certificate of October
    certificate = services.certificate_issue_service(actor=cast.county_a, person=cast.vol_a, start=date(2026, 10, 1),
                                                     end=date(2026, 10, 31), today=date(2026, 11, 25))  # fmt: skip

    # then it states 30 hours in 2 records, and its number finds it — typed with spaces and in lower case too
    assert (certificate.hours, certificate.records) == (Decimal("30.0"), 2)
    assert certificate.number.startswith("ZY-")
    assert len(certificate.number) == 22
    assert selectors.certificate_by_number(certificate.number.lower().replace("-", " - ")) == certificate
    assert selectors.certificate_by_number("ZY-AAAA-BBBB-CCCC-DDDD") is None


def test_county_b_issues_no_certificate_for_county_as_volunteer(cast, team):
    credit(cast.society, team, cast.vol_a, 30, ending=date(2026, 10, 20))

    with pytest.raises(DomainError) as hidden:
        services.certificate_issue_service(actor=cast.county_b, person=cast.vol_a, start=date(2026, 10, 1), end=date(2026, 10, 31))

    assert hidden.value.status == 404


def test_a_period_without_confirmed_hours_gets_no_certificate(cast):
    with pytest.raises(DomainError) as refused:
        services.certificate_issue_service(actor=cast.county_a, person=cast.vol_a, start=date(2026, 1, 1), end=date(2026, 1, 31))

    assert refused.value.code == E.CERTIFICATE


def test_an_awarded_star_withdrawn_later_revokes_its_certificate_and_leaves_the_public_list(cast, team, client):
    # given a star awarded with its certificate, on the public list
    credit(cast.society, team, cast.vol_a, 120, ending=MONDAY)
    services.star_notices_open(actor=cast.city, today=MONDAY)
    services.stars_award_due(actor=cast.city, today=date(2026, 11, 9))
    award = StarAward.unscoped.get(person=cast.vol_a)
    assert "赵志愿" in client.get("/volunteers/stars/").content.decode()

    # when the city withdraws it
    services.star_withdraw(actor=cast.city, award=award, reason="所依据的服务记录经核实不实")

    # then the certificate is revoked with the reason, the verify page says so, and the public list drops the name
    certificate = Certificate.unscoped.get(award=award)
    assert certificate.status == "revoked"
    assert "星级已撤销：所依据的服务记录经核实不实" in client.get(f"/volunteers/verify/{certificate.number}/").content.decode()
    assert "赵志愿" not in client.get("/volunteers/stars/").content.decode()


def test_a_star_in_notice_is_not_withdrawn_but_objected_to(cast, team):
    credit(cast.society, team, cast.vol_a, 120, ending=MONDAY)
    services.star_notices_open(actor=cast.city, today=MONDAY)

    with pytest.raises(DomainError) as refused:
        services.star_withdraw(actor=cast.city, award=StarAward.unscoped.get(person=cast.vol_a), reason="经核实不实的记录")

    assert refused.value.code == E.STATUS
