"""City staff set each year's targets per brand and level; a new year starts from the year before; every row is
checked before any is written; counties cannot set them."""

from __future__ import annotations

import pytest

from xinghuo.accounts.actor import actor_for
from xinghuo.activities import services
from xinghuo.activities.models import BrandTarget, Level
from xinghuo.activities.tests.conftest import brand
from xinghuo.core.errors import DomainError

pytestmark = pytest.mark.django_db


def targets(year: int) -> dict[tuple[str, str], tuple[int, int | None]]:
    return {(t.brand.code, t.level): (t.minimum, t.maximum) for t in BrandTarget.objects.filter(year=year).select_related("brand")}


def test_a_new_year_starts_from_the_last_and_saving_makes_it_that_years(client, login, personas):
    login(client, personas.city_staff)

    page = client.get("/console/activities/brands/targets/?year=2027").content.decode()

    assert "2026 年的目标已填入" in page
    assert 'name="sanbai-city-min" value="10"' in page
    assert 'name="sanbai-city-max" value="20"' in page
    posted = {}
    for t in BrandTarget.objects.filter(year=2026).select_related("brand"):
        posted[f"{t.brand.code}-{t.level}-min"] = t.minimum
        posted[f"{t.brand.code}-{t.level}-max"] = t.maximum or ""
    posted["science_month-city-min"] = 60  # the city raises the 全国科普月 floor
    posted["free-grassroots-min"] = 200  # and sets one for grassroots free activities
    response = client.post("/console/activities/brands/targets/?year=2027", posted, follow=True)

    assert "2027 年品牌活动目标已保存" in response.content.decode()
    saved = targets(2027)
    assert saved[("science_month", "city")] == (60, None)
    assert saved[("free", "grassroots")] == (200, None)
    assert saved[("sanbai", "city")] == (10, 20)
    assert targets(2026)[("science_month", "city")] == (50, None)  # last year's are untouched


def test_a_wrong_row_changes_nothing_and_says_which(client, login, personas):
    login(client, personas.city_staff)

    response = client.post("/console/activities/brands/targets/?year=2026", {"sanbai-city-min": 20, "sanbai-city-max": 10})

    assert response.status_code == 400
    text = response.content.decode()
    assert "三百三进：目标上限不能小于下限" in text
    assert 'name="sanbai-city-max" value="10"' in text  # what was typed is kept
    assert targets(2026)[("sanbai", "city")] == (10, 20)


def test_only_the_city_sets_targets(client, login, personas):
    login(client, personas.county_a)

    assert client.get("/console/activities/brands/targets/").status_code == 404
    assert client.post("/console/activities/brands/targets/?year=2026", {"sanbai-city-min": 1}).status_code == 404


def test_the_service_checks_numbers_and_a_max_without_a_min_and_an_empty_row_removes_a_target(personas):
    city = actor_for(personas.city_staff)
    rows = [services.TargetRow(brand=brand("spring"), level=Level.CITY, minimum="八", maximum="")]
    with pytest.raises(DomainError) as words:
        services.brand_targets_set(actor=city, year=2026, rows=rows)
    rows = [services.TargetRow(brand=brand("spring"), level=Level.CITY, minimum="", maximum="5")]
    with pytest.raises(DomainError) as orphan:
        services.brand_targets_set(actor=city, year=2026, rows=rows)
    services.brand_targets_set(actor=city, year=2026, rows=[services.TargetRow(brand=brand("spring"), level=Level.CITY)])

    assert words.value.field == "spring-city-min"
    assert "应为整数" in words.value.message
    assert orphan.value.field == "spring-city-min"
    assert ("spring", "city") not in targets(2026)  # an empty row has no target
    assert ("sanbai", "city") in targets(2026)  # brands not given are untouched
