"""Teams: kept by their organisation (or the staff of its region); a volunteer belongs to at most five at once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from xinghuo.core.errors import DomainError
from xinghuo.volunteers import services
from xinghuo.volunteers.errors import VolunteerError as E
from xinghuo.volunteers.models import MAX_TEAMS, TeamMembership
from xinghuo.volunteers.tests.conftest import team_of


@pytest.mark.django_db
def test_a_volunteer_joins_at_most_five_teams(cast):
    # given a volunteer in five teams of the society
    teams = [team_of(cast.society, cast.society_org, name=f"第{i}服务队") for i in range(MAX_TEAMS + 1)]
    for team in teams[:MAX_TEAMS]:
        services.member_add(actor=cast.society, team=team, person=cast.vol_a)

    # when a sixth team takes them in, then it is refused
    with pytest.raises(DomainError) as refused:
        services.member_add(actor=cast.society, team=teams[-1], person=cast.vol_a)
    assert refused.value.code == E.TEAM_LIMIT
    assert TeamMembership.unscoped.filter(person=cast.vol_a).count() == MAX_TEAMS

    # and once they leave one, the sixth may take them
    services.member_remove(actor=cast.society, team=teams[0], person=cast.vol_a)
    services.member_add(actor=cast.society, team=teams[-1], person=cast.vol_a)


@pytest.mark.django_db
def test_a_volunteer_is_in_a_team_once(cast):
    team = team_of(cast.society, cast.society_org, members=(cast.vol_a,))

    with pytest.raises(DomainError) as refused:
        services.member_add(actor=cast.society, team=team, person=cast.vol_a)

    assert refused.value.code == E.ALREADY_MEMBER


@pytest.mark.django_db
def test_only_volunteers_join_teams(cast):
    expert = cast.volunteer("孙专家", 8, roles=("expert",))
    team = team_of(cast.society, cast.society_org)

    with pytest.raises(DomainError) as refused:
        services.member_add(actor=cast.society, team=team, person=expert)

    assert refused.value.code == E.NOT_VOLUNTEER


@pytest.mark.django_db
def test_an_organiser_keeps_only_its_own_organisations_teams(cast):
    school_team = team_of(cast.school_a, cast.school_org)

    with pytest.raises(DomainError) as refused:
        services.team_create(actor=cast.society, organisation=cast.school_org, name="代建服务队")
    assert refused.value.status == 403
    with pytest.raises(DomainError) as hidden:
        services.member_add(actor=cast.society, team=school_team, person=cast.vol_a)
    assert hidden.value.status == 404


@pytest.mark.django_db
def test_county_staff_keep_the_teams_of_their_county_only(cast, personas):
    team = team_of(cast.county_a, cast.school_org, members=(cast.vol_a,))
    assert team.organisation == cast.school_org

    with pytest.raises(DomainError):
        services.team_create(actor=cast.county_b, organisation=cast.school_org, name="越界服务队")
    with pytest.raises(DomainError) as hidden:
        services.member_remove(actor=cast.county_b, team=team, person=cast.vol_a)
    assert hidden.value.status == 404


@pytest.mark.django_db
def test_a_team_name_is_once_per_organisation(cast):
    team_of(cast.society, cast.society_org, name="医学科普队")

    with pytest.raises(DomainError) as refused:
        services.team_create(actor=cast.society, organisation=cast.society_org, name="医学科普队")

    assert refused.value.code == E.TEAM_DUPLICATE


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite serialises writers anyway")
@pytest.mark.django_db(transaction=True)
def test_two_teams_taking_in_a_volunteer_with_four_teams_at_once_never_make_six(cast):
    # given a volunteer in four teams, and two more teams that take them in at the same moment, many times over
    teams = [team_of(cast.society, cast.society_org, name=f"第{i}服务队") for i in range(MAX_TEAMS + 1)]
    for team in teams[: MAX_TEAMS - 1]:
        services.member_add(actor=cast.society, team=team, person=cast.vol_a)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def join(team):
        try:
            barrier.wait()
            services.member_add(actor=cast.society, team=team, person=cast.vol_a)
            outcomes.append("joined")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=join, args=(team,)) for team in teams[MAX_TEAMS - 1 :]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then exactly one joined, the other was told of the limit, and the volunteer is in five teams
    assert sorted(outcomes) == ["joined", E.TEAM_LIMIT]
    assert TeamMembership.unscoped.filter(person=cast.vol_a).count() == MAX_TEAMS
