"""Promoters take on villages and give them up: all or nothing, only villages, only in the staff's scope, only for
people who hold the promoter role; a village counts as covered while its area is open and its promoter serves."""

from __future__ import annotations

import pytest

from xinghuo.core.errors import DomainError
from xinghuo.core.models import AuditEvent
from xinghuo.promoters import selectors, services
from xinghuo.promoters.errors import PromoterError as E
from xinghuo.promoters.models import PromoterArea
from xinghuo.promoters.tests.conftest import DAIYUE, TAISHAN, promoter, villages
from xinghuo.regions.models import Region
from xinghuo.talent import services as talent

pytestmark = pytest.mark.django_db


def covered(county: str) -> int:
    return selectors.coverage(within=Region.objects.get(code=county)).total.covered


def refused(code: str, call) -> DomainError:
    with pytest.raises(DomainError) as info:
        call()
    assert info.value.code == code
    return info.value


def test_a_county_gives_a_promoter_villages_and_they_count_as_covered(cast):
    person = promoter(cast)
    three = villages(TAISHAN, 3)

    areas = services.promoter_assign(actor=cast.county_a, person=person, villages=three)

    assert [a.village for a in areas] == three
    assert covered(TAISHAN) == 3
    assert AuditEvent.objects.filter(object_type="promoters.promoterarea", action="create").count() == 3


def test_someone_who_is_not_a_promoter_gets_no_village(cast):
    volunteer = promoter(cast, roles=("volunteer",))

    error = refused(E.NOT_PROMOTER, lambda: services.promoter_assign(actor=cast.county_a, person=volunteer, villages=villages(TAISHAN, 1)))

    assert "不是在任的星火科普宣传员" in error.message
    assert not PromoterArea.unscoped.exists()


def test_a_village_of_another_county_spoils_the_whole_assignment(cast):
    person = promoter(cast)

    error = refused(E.VILLAGE, lambda: services.promoter_assign(
        actor=cast.county_a, person=person, villages=[*villages(TAISHAN, 2), *villages(DAIYUE, 1)]))  # fmt: skip

    assert "不在您的管辖范围内" in error.message
    assert not PromoterArea.unscoped.exists()


def test_only_villages_are_assigned_and_a_village_is_taken_on_once(cast):
    person = promoter(cast)
    town = Region.objects.filter(level="town", county__code=TAISHAN).first()

    refused(E.VILLAGE, lambda: services.promoter_assign(actor=cast.county_a, person=person, villages=[town]))
    services.promoter_assign(actor=cast.county_a, person=person, villages=villages(TAISHAN, 1))
    error = refused(E.ASSIGNED, lambda: services.promoter_assign(actor=cast.county_a, person=person, villages=villages(TAISHAN, 2)))

    assert "已负责" in error.message
    assert PromoterArea.unscoped.count() == 1


def test_a_released_village_and_the_villages_of_an_ended_role_are_no_longer_covered(cast):
    first, second = promoter(cast, name="甲"), promoter(cast, name="乙")
    [area] = services.promoter_assign(actor=cast.county_a, person=first, villages=villages(TAISHAN, 1))
    services.promoter_assign(actor=cast.county_a, person=second, villages=villages(TAISHAN, 3)[1:])
    assert covered(TAISHAN) == 3

    services.promoter_release(actor=cast.county_a, area=area)
    talent.person_remove_role(actor=cast.county_a, person=second, kind="promoter")

    assert covered(TAISHAN) == 0
    assert PromoterArea.unscoped.filter(ended_on__isnull=True).count() == 2  # the role's areas stay, for the record
    refused(E.ASSIGNED, lambda: services.promoter_release(actor=cast.county_a, area=area))


def test_another_county_cannot_release_a_village(cast):
    [area] = services.promoter_assign(actor=cast.county_a, person=promoter(cast), villages=villages(TAISHAN, 1))

    error = refused(E.NOT_ALLOWED, lambda: services.promoter_release(actor=cast.county_b, area=area))

    assert error.status == 404
    assert PromoterArea.unscoped.get(pk=area.pk).ended_on is None


def test_organisers_keep_no_promoters(cast):
    refused(E.NOT_ALLOWED, lambda: services.promoter_assign(actor=cast.organiser, person=promoter(cast), villages=villages(TAISHAN, 1)))
