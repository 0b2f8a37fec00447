"""The console pages of the promoters, as city and county staff use them, and what an outsider gets."""

from __future__ import annotations

import io

import openpyxl
import pytest

from xinghuo.promoters import services
from xinghuo.promoters.models import PromoterArea
from xinghuo.promoters.tests.conftest import DAIYUE, TAISHAN, promoter, villages
from xinghuo.regions.models import Region

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(sheet.iter_rows(values_only=True))


def test_city_staff_see_each_county_and_open_one_to_see_its_towns(client, login, personas, cast):
    person = promoter(cast)
    services.promoter_assign(actor=cast.county_a, person=person, villages=villages(TAISHAN, 2))
    login(client, personas.city_staff)

    city = client.get("/console/promoters/").content.decode()
    county = client.get(f"/console/promoters/?county={TAISHAN}").content.decode()

    assert 'data-testid="covered">2<' in city
    assert "3782" in city
    assert f'data-code="{TAISHAN}"' in city
    assert f'data-code="{DAIYUE}"' in city
    assert "岱庙街道" in county
    assert f'data-code="{DAIYUE}"' not in county


def test_a_county_sees_only_its_own_even_when_it_asks_for_another(client, login, personas, cast):
    login(client, personas.county_a)

    page = client.get(f"/console/promoters/?county={DAIYUE}").content.decode()

    assert "宣传员覆盖：泰山区" in page
    assert "粥店街道" not in page


def test_the_villages_without_a_promoter_are_listed_and_exported(client, login, personas, cast):
    services.promoter_assign(actor=cast.county_a, person=promoter(cast), villages=villages(TAISHAN, 1))
    login(client, personas.county_a)
    taishan_villages = Region.objects.filter(level="village", county__code=TAISHAN).count()

    page = client.get("/console/promoters/uncovered/").content.decode()
    exported = rows_of(client.get("/console/promoters/uncovered/export/"))

    assert f"{taishan_villages - 1} 个社区（村）尚无" in page
    assert len(exported) == taishan_villages  # the head row and every village but the covered one
    assert villages(TAISHAN, 1)[0].code not in {row[3] for row in exported}


def test_staff_give_a_promoter_villages_by_name_and_phones_stay_masked(client, login, personas, cast):
    person = promoter(cast)
    two = villages(TAISHAN, 2)
    login(client, personas.county_a)

    response = client.post(f"/console/promoters/people/{person.uid}/", {"villages": f"{two[0].name}，{two[1].code}"}, follow=True)
    listed = client.get("/console/promoters/people/").content.decode()
    exported = rows_of(client.get("/console/promoters/people/export/"))

    assert "已负责" in response.content.decode()
    assert {a.village for a in PromoterArea.unscoped.all()} == set(two)
    assert person.phone not in listed
    assert person.phone_shown in listed
    assert exported[1][3] == person.phone_shown


def test_an_unknown_village_is_named_and_nothing_is_saved(client, login, personas, cast):
    person = promoter(cast)
    login(client, personas.county_a)

    response = client.post(f"/console/promoters/people/{person.uid}/", {"villages": f"{villages(TAISHAN, 1)[0].code}、幸福村不存在"})

    assert response.status_code == 400
    assert "找不到这些社区（村）：幸福村不存在" in response.content.decode()
    assert not PromoterArea.unscoped.exists()


def test_another_county_gets_404_on_a_promoter_and_their_village(client, login, personas, cast):
    person = promoter(cast)
    [area] = services.promoter_assign(actor=cast.county_a, person=person, villages=villages(TAISHAN, 1))
    login(client, personas.county_b)

    assert client.get(f"/console/promoters/people/{person.uid}/").status_code == 404
    assert client.post(f"/console/promoters/areas/{area.uid}/release/").status_code == 404
    assert PromoterArea.unscoped.get(pk=area.pk).ended_on is None


def test_staff_end_a_village_from_the_promoters_page(client, login, personas, cast):
    person = promoter(cast)
    [area] = services.promoter_assign(actor=cast.county_a, person=person, villages=villages(TAISHAN, 1))
    login(client, personas.county_a)

    response = client.post(f"/console/promoters/areas/{area.uid}/release/", follow=True)

    assert "已不再负责" in response.content.decode()
    assert PromoterArea.unscoped.get(pk=area.pk).ended_on is not None
