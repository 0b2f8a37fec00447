"""The dashboard's pages as city and county staff use them, on the demo data: the figures, a lagging figure's records,
the county's own view, the Excel of the records, the figures the city publishes on the portal."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone

from xinghuo.accounts.models import User
from xinghuo.indicators import selectors
from xinghuo.indicators.models import Publication
from xinghuo.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    call_command("seed_demo", "--scale", "small", "--quiet")


def _user(username: str) -> User:
    return User.objects.get(username=username)


def test_city_staff_open_the_dashboard_follow_a_lagging_figure_and_reach_its_records(client, login, demo):
    login(client, _user("kepu"))
    year = timezone.localdate().year
    board = selectors.board(within=Region.objects.get(code="370900"), year=year, fresh=True)
    towns = board.by_key()["towns_with_station"]

    page = client.get("/console/indicators/").content.decode()
    detail = client.get(f"/console/indicators/towns_with_station/?year={year}")
    uncovered = client.get(f"/console/indicators/towns_with_station/?year={year}&uncovered=1")

    assert towns.state == "behind"  # the demo's story: not every town has its station yet
    assert 'data-testid="figure-towns_with_station"' in page
    assert 'data-testid="lagging"' in page
    assert "vendor/echarts/echarts.min.js" in page
    assert detail.status_code == 200
    assert detail.context["page_obj"].paginator.count == towns.value
    assert uncovered.context["page_obj"].paginator.count == towns.total - towns.value
    assert "无数据来源" in page  # the modules not built yet, named as such


def test_a_county_sees_its_own_county_by_town_and_not_another(client, login, demo):
    login(client, _user("taishan"))
    taishan = Region.objects.get(code="370902")

    page = client.get("/console/indicators/")
    other = client.get("/console/indicators/?county=370911")
    records = client.get("/console/indicators/service_stations/")

    assert page.context["within"] == taishan
    towns = {r.label for r in page.context["league"]}
    assert towns
    assert towns <= {t.display_name for t in Region.objects.filter(county=taishan, level="town")} | {"泰山区本级"}
    assert other.status_code == 404
    venues = list(records.context["page_obj"])
    assert venues
    assert all(taishan.contains(v.region) for v in venues)


def test_the_records_of_a_figure_come_out_as_excel(client, login, demo):
    login(client, _user("kepu"))
    year = timezone.localdate().year
    figure = selectors.figure(indicator=selectors.get_indicator("service_stations"), within=Region.objects.get(code="370900"), year=year)

    response = client.get(f"/console/indicators/service_stations/export/?year={year}")

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.cell(1, 1).value == "名称"
    assert sheet.max_row - 1 == figure.value


def test_the_city_publishes_chosen_figures_and_the_portal_shows_only_those(client, login, demo):
    login(client, _user("kepu"))

    refused = client.post("/console/indicators/publication/", {"keys": ["service_stations", "organisations_evaluated"]})
    client.post("/console/indicators/publication/", {"keys": ["towns_with_station", "service_stations"]})
    client.logout()
    public = client.get("/figures/")

    assert "这些指标不能公开：organisations_evaluated" in refused.content.decode()
    assert [f.indicator.key for f in public.context["figures"]] == ["towns_with_station", "service_stations"]
    assert "星火科普服务站" in public.content.decode()
    assert "志愿服务时长" not in public.content.decode()


def test_only_city_staff_choose_the_published_figures(client, login, personas):
    login(client, personas.county_a)

    response = client.post("/console/indicators/publication/", {"keys": ["service_stations"]})

    assert response.status_code in (403, 404)
    assert not Publication.objects.exists()


@pytest.mark.parametrize("who", ["organiser", "citizen", "reviewer"])
def test_the_dashboard_is_for_staff_only(client, login, personas, who):
    login(client, getattr(personas, who))

    assert client.get("/console/indicators/").status_code in (403, 404)
    assert client.get("/console/indicators/service_stations/").status_code in (403, 404)


def test_a_figure_without_its_module_says_so_and_has_no_records(client, login, personas):
    login(client, personas.city_staff)

    page = client.get("/console/indicators/organisations_evaluated/")
    export = client.get("/console/indicators/organisations_evaluated/export/")

    assert 'data-testid="no-source"' in page.content.decode()
    assert "社会科普责任评估" in page.content.decode()
    assert export.status_code == 404


def test_an_unknown_indicator_is_not_found(client, login, personas):
    login(client, personas.city_staff)

    assert client.get("/console/indicators/no_such_thing/").status_code == 404


def test_a_bad_year_or_filter_falls_back_instead_of_failing(client, login, personas):
    login(client, personas.city_staff)

    response = client.get("/console/indicators/service_stations/?year=abc&month=13&part=999")

    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year
    assert response.context["filters"] == {}


def test_the_api_gives_the_dashboards_figures_in_the_callers_scope(client, login, personas):
    login(client, personas.county_a)

    mine = client.get("/api/v1/indicators?year=2026")
    other = client.get("/api/v1/indicators?county=370911")
    one = client.get("/api/v1/indicators/organisations_evaluated")

    assert mine.status_code == 200
    body = mine.json()
    assert body["scope_code"] == "370902"
    stations = next(i for i in body["items"] if i["key"] == "service_stations")
    assert stations["target"] == "≥60个"
    assert {p["code"] for p in stations["parts"]} <= {r.code for r in Region.objects.filter(county__code="370902", level="town")} | {""}
    assert other.status_code == 404
    assert one.json()["available"] is False
    assert one.json()["value"] is None
    assert one.json()["state"] == "no_data"


def test_the_api_is_not_for_organisers(client, login, personas):
    login(client, personas.organiser)

    assert client.get("/api/v1/indicators").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/console/indicators/volunteer_hours/?month=%C2%B2",
        "/console/indicators/reports/statistics/?year=%C2%B2",
        "/console/indicators/reports/workbook/?year=2026&period=m%C2%B2",
        "/console/indicators/reports/progress/?period=m%C2%B2",
    ],
)
def test_a_digit_that_is_not_a_number_gets_a_message_not_an_error(client, login, personas, url):
    login(client, personas.city_staff)

    assert client.get(url).status_code < 500
