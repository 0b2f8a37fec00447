"""Commendations (嘉许激励) by the city's rules: who served enough confirmed hours in a year is commended once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from tests.personas import login_client

from xinghuo.core.errors import DomainError
from xinghuo.volunteers import services
from xinghuo.volunteers.models import Commendation, CommendationRule
from xinghuo.volunteers.tests.conftest import credit, team_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule(cast):
    return services.commendation_rule_create(actor=cast.city, name="年度优秀科技志愿者", min_year_hours="50")


def test_volunteers_with_enough_confirmed_hours_in_the_year_are_commended_once(cast, rule):
    # given 60 hours of 2025 for one volunteer, 40 of 2025 and 30 of 2026 for another, and 20 entered hours of 2025
    team = team_of(cast.society, cast.society_org, members=(cast.vol_a, cast.vol_b))
    credit(cast.society, team, cast.vol_a, 60, ending=date(2025, 6, 1))
    credit(cast.society, team, cast.vol_b, 40, ending=date(2025, 6, 1))
    credit(cast.society, team, cast.vol_b, 30, ending=date(2026, 6, 1))
    services.record_enter(actor=cast.society, volunteer=cast.vol_b, date=date(2025, 3, 1), hours=20, content="宣讲", team=team)

    # when the city commends for 2025
    made = services.commendations_grant(actor=cast.city, rule=rule, year=2025, today=date(2026, 1, 10))

    # then only the first is commended, with the year's hours; running it again commends nobody twice
    assert made == 1
    commendation = Commendation.unscoped.get()
    assert (commendation.person, commendation.year, commendation.hours) == (cast.vol_a, 2025, Decimal("60.0"))
    assert services.commendations_grant(actor=cast.city, rule=rule, year=2025, today=date(2026, 1, 10)) == 0


def test_only_the_city_sets_rules_and_commends(cast, rule):
    with pytest.raises(DomainError):
        services.commendation_rule_create(actor=cast.county_a, name="县级嘉许", min_year_hours="10")
    with pytest.raises(DomainError):
        services.commendations_grant(actor=cast.county_a, rule=rule, year=2025)


def test_a_future_year_is_refused(cast, rule):
    with pytest.raises(DomainError) as refused:
        services.commendations_grant(actor=cast.city, rule=rule, year=2027, today=date(2026, 12, 1))

    assert refused.value.field == "year"


def test_the_city_sets_a_rule_and_commends_from_the_page_and_the_volunteer_page_shows_it(client, cast):
    team = team_of(cast.society, cast.society_org, members=(cast.vol_a,))
    credit(cast.society, team, cast.vol_a, 60, ending=date(2025, 6, 1))
    login_client(client, cast.city.user)

    assert (
        client.post("/console/volunteers/commendations/rules/", {"name": "年度优秀科技志愿者", "min_year_hours": "50"}).status_code == 302
    )
    rule = CommendationRule.objects.get()
    assert client.post("/console/volunteers/commendations/grant/", {"rule": str(rule.uid), "year": "2025"}).status_code == 302

    assert "年度优秀科技志愿者" in client.get("/console/volunteers/commendations/?year=2025").content.decode()
    assert "年度优秀科技志愿者" in client.get(f"/console/volunteers/people/{cast.vol_a.uid}/").content.decode()


def test_county_staff_see_commendations_but_cannot_grant(client, cast):
    login_client(client, cast.county_a.user)

    assert client.get("/console/volunteers/commendations/").status_code == 200
    assert client.post("/console/volunteers/commendations/grant/", {"rule": "x", "year": "2025"}).status_code == 404
