"""The console's venue list and its Excel export: each role sees its own scope (county staff their county,
city staff the city, an organiser its own organisation's venues), citizens and reviewers find nothing, the
export masks phones, and the list's query count does not grow with its length."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xinghuo.core.models import AuditEvent
from xinghuo.venues.models import VenueStatus, VenueType

from .conftest import BEIJIPO, DAIMIAO, DAIMIAO_VILLAGE, MASKED_PHONE, PHONE, ZHOUDIAN

pytestmark = pytest.mark.django_db

LIST = "/console/venues/"
EXPORT = "/console/venues/export/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

COUNTY_A = {"甲县科技馆", "甲县村里的服务站", "医学会科普工作室"}  # 泰山区's venues (the society's is in 泰山区 too)
COUNTY_B = {"乙县教育基地", "高新区实验室"}  # 岱岳区's, one of them in a town 高新区 administers
EVERYONE = COUNTY_A | COUNTY_B


@pytest.fixture
def network(make_venue, personas):
    make_venue(name="甲县科技馆", region=DAIMIAO, operator="KX370902")
    make_venue(
        name="甲县村里的服务站",
        region=DAIMIAO_VILLAGE,
        operator="KX370902",
        venue_type=VenueType.SPARK_STATION,
        status=VenueStatus.DRAFT,
    )
    make_venue(name="医学会科普工作室", region=DAIMIAO, operator=personas.society, venue_type=VenueType.EXPERT_STUDIO)
    make_venue(name="乙县教育基地", region=ZHOUDIAN, operator="KX370911", venue_type=VenueType.EDUCATION_BASE)
    make_venue(name="高新区实验室", region=BEIJIPO, operator="KX370911", venue_type=VenueType.OPEN_LAB, contact_phone="13700001111")
    return personas


def names_on(response) -> set[str]:
    assert response.status_code == 200, response.status_code
    text = response.content.decode()
    return {name for name in EVERYONE if name in text}


def export_rows(response) -> list[dict[str, object]]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    body = b"".join(response.streaming_content)
    assert body[:2] == b"PK"  # an .xlsx is a zip
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("county_a", COUNTY_A),
        ("county_b", COUNTY_B),
        ("city_staff", EVERYONE),
        ("organiser", {"医学会科普工作室"}),
    ],
)
def test_each_role_lists_only_its_own_venues(client, login, network, who, expected):
    login(client, getattr(network, who))

    assert names_on(client.get(LIST)) == expected


@pytest.mark.parametrize("who", ["citizen", "reviewer"])
def test_citizens_and_reviewers_find_no_venue_console(client, login, network, who):
    login(client, getattr(network, who))

    assert client.get(LIST).status_code == 404
    assert client.get(EXPORT).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, network):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get(EXPORT).status_code == 302


def test_the_console_lists_drafts_and_filters(client, login, network):
    login(client, network.city_staff)

    assert names_on(client.get(LIST, {"status": "draft"})) == {"甲县村里的服务站"}
    assert names_on(client.get(LIST, {"type": "open_lab"})) == {"高新区实验室"}
    assert names_on(client.get(LIST, {"region": "370971"})) == {"高新区实验室"}
    assert names_on(client.get(LIST, {"region": "370911"})) == COUNTY_B
    assert names_on(client.get(LIST, {"q": "甲县"})) == {"甲县科技馆", "甲县村里的服务站"}


def test_a_county_cannot_filter_its_way_into_another(client, login, network):
    login(client, network.county_a)

    assert names_on(client.get(LIST, {"region": "370911"})) <= COUNTY_A
    assert names_on(client.get(LIST, {"q": "乙县"})) == set()
    rows = export_rows(client.get(EXPORT, {"region": "370911"}))
    assert {r["名称"] for r in rows} <= COUNTY_A


def test_the_export_is_an_excel_of_the_scope_with_phones_masked(client, login, network):
    login(client, network.county_b)

    rows = export_rows(client.get(EXPORT))

    assert {r["名称"] for r in rows} == COUNTY_B
    lab = next(r for r in rows if r["名称"] == "高新区实验室")
    assert lab["联系电话"] == "137****1111"
    assert lab["统一编号"] == "XH-SYS-370911-0001"
    assert lab["类型"] == "开放实验室"
    assert lab["区划代码"] == BEIJIPO
    cells = [str(v) for r in rows for v in r.values()]
    assert not any(PHONE in c or "13700001111" in c for c in cells)


def test_the_city_export_has_every_venue_and_every_phone_masked(client, login, network):
    login(client, network.city_staff)

    rows = export_rows(client.get(EXPORT))

    assert {r["名称"] for r in rows} == EVERYONE
    assert {r["联系电话"] for r in rows} == {MASKED_PHONE, "137****1111"}
    draft = next(r for r in rows if r["名称"] == "甲县村里的服务站")
    assert draft["统一编号"] in ("", None)  # a draft has no code yet
    assert draft["状态"] == "草稿"


def test_the_export_follows_the_filters_and_is_audited(client, login, network):
    login(client, network.city_staff)
    before = AuditEvent.objects.filter(action="export").count()

    rows = export_rows(client.get(EXPORT, {"type": "education_base"}))

    assert {r["名称"] for r in rows} == {"乙县教育基地"}
    event = AuditEvent.objects.filter(action="export").order_by("-id").first()
    assert AuditEvent.objects.filter(action="export").count() == before + 1
    assert event.object_type == "venues.venue"
    assert "1 行" in event.object_repr


def list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST)
    assert response.status_code == 200
    return len(queries)


def test_the_list_runs_a_bounded_number_of_queries(client, login, make_venue, personas, django_assert_max_num_queries):
    login(client, personas.city_staff)
    for i in range(3):
        make_venue(name=f"少量{i}", region=DAIMIAO if i % 2 else ZHOUDIAN)
    few = list_queries(client)
    for i in range(17):
        make_venue(name=f"更多{i}", region=DAIMIAO if i % 2 else BEIJIPO, operator="KX370902" if i % 2 else "KX370911")

    with django_assert_max_num_queries(15):
        client.get(LIST)
    assert list_queries(client) == few  # the count does not grow with the number of venues
