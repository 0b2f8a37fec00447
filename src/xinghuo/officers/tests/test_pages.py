"""The officers' console pages as city and county staff use them, and what another county gets: 404 on an officer of
county A, whatever the URL; every list exports to Excel with the phones masked."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xinghuo.officers.models import InfoOfficer
from xinghuo.officers.tests.conftest import DAIYUE, TAISHAN, figures, officer
from xinghuo.talent.models import PersonRole
from xinghuo.talent.tests.conftest import ID_A, ID_B, PHONE_A

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[tuple]:
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(sheet.iter_rows(values_only=True))


@pytest.fixture
def three(cast):
    """Two officers of county A (one active in 2025-03) and one of county B (active)."""
    jia, yi = officer(cast, name="甲甲", account="kp_jia"), officer(cast, name="乙乙", account="kp_yi")
    bing = officer(cast, county=DAIYUE, name="丙丙", account="kp_bing")
    figures([(jia, 2025, 3, 12, 300), (yi, 2025, 3, 0, 8), (bing, 2025, 3, 30, 900), (jia, 2025, 2, 1, 10)])
    return jia, yi, bing


def test_city_staff_see_each_county_and_open_one_to_see_its_towns(client, login, personas, three):
    login(client, personas.city_staff)

    city = client.get("/console/officers/?month=2025-03").content.decode()
    county = client.get(f"/console/officers/?region={TAISHAN}&month=2025-03").content.decode()

    assert 'data-testid="registered">3<' in city
    assert 'data-testid="active">2<' in city
    assert 'data-testid="rate">66.7%<' in city
    assert f'data-code="{TAISHAN}"' in city
    assert f'data-code="{DAIYUE}"' in city
    assert f'data-code="{DAIYUE}"' not in county
    assert 'data-testid="registered">2<' in county


def test_the_last_month_with_figures_is_shown_by_default(client, login, personas, three):
    login(client, personas.city_staff)

    page = client.get("/console/officers/").content.decode()

    assert '<option value="2025-03" selected>' in page


def test_a_county_sees_only_its_own_even_when_it_asks_for_another(client, login, personas, three):
    login(client, personas.county_a)

    page = client.get(f"/console/officers/?region={DAIYUE}&month=2025-03").content.decode()
    people = client.get(f"/console/officers/people/?region={DAIYUE}&month=2025-03").content.decode()
    top = client.get(f"/console/officers/top/?region={DAIYUE}&year=2025").content.decode()

    assert "科普中国信息员：泰山区" in page
    for text in (page, people, top):
        assert "丙丙" not in text
        assert "kp_bing" not in text
    assert "甲甲" in people
    assert "甲甲" in top


def test_the_drill_down_lists_the_active_and_the_inactive(client, login, personas, three):
    login(client, personas.county_a)

    active = client.get("/console/officers/people/?month=2025-03&active=1").content.decode()
    inactive = client.get("/console/officers/people/?month=2025-03&active=0").content.decode()

    assert "甲甲" in active
    assert "乙乙" not in active
    assert "乙乙" in inactive
    assert "甲甲" not in inactive


def test_another_county_gets_404_on_an_officer_and_its_pages(client, login, personas, three):
    jia, _, _ = three
    login(client, personas.county_b)

    for url in (f"/console/officers/people/{jia.uid}/", f"/console/officers/people/{jia.uid}/edit/",
                f"/console/officers/people/{jia.uid}/export/"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    assert client.post(f"/console/officers/people/{jia.uid}/edit/", {"account": "stolen", "organisation": "KX370911"}).status_code == 404
    assert InfoOfficer.unscoped.get(pk=jia.pk).account == "kp_jia"


def test_an_officers_page_shows_the_months_and_exports_them(client, login, personas, three):
    jia, _, _ = three
    login(client, personas.county_a)

    page = client.get(f"/console/officers/people/{jia.uid}/").content.decode()
    exported = rows_of(client.get(f"/console/officers/people/{jia.uid}/export/"))

    assert page.count('data-testid="month-row"') == 2
    assert "kp_jia" in page
    assert jia.person.phone_shown in page
    assert jia.person.phone not in page
    assert exported[1:] == [("2025-03", 12, 300, 0, "是"), ("2025-02", 1, 10, 0, "是")]


def test_every_list_exports_with_the_phones_masked(client, login, personas, three):
    jia, yi, _ = three
    login(client, personas.county_a)

    people = rows_of(client.get("/console/officers/people/export/?month=2025-03"))
    top = rows_of(client.get("/console/officers/top/export/?month=2025-03&by=shares"))
    reads = rows_of(client.get("/console/officers/top/export/?year=2025&by=reads"))
    overview = rows_of(client.get("/console/officers/export/?month=2025-03"))

    assert [(r[0], r[2], r[6]) for r in people[1:]] == [("甲甲", jia.person.phone_shown, 12), ("乙乙", yi.person.phone_shown, 0)]
    assert [(r[0], r[1], r[3], r[6]) for r in top[1:]] == [(1, "甲甲", jia.person.phone_shown, 12)]
    assert [(r[1], r[7]) for r in reads[1:]] == [("甲甲", 310), ("乙乙", 8)]
    assert overview[-1][2:] == (2, 1, 1, "50.0%")


def test_staff_register_a_person_of_the_registry_by_id_number(client, login, personas, cast):
    person = cast.enter()
    login(client, personas.county_a)

    response = client.post("/console/officers/register/", {
        "mode": "existing", "existing-who": ID_A, "existing-account": "kp_wjg", "existing-organisation": "KX370902",
        "existing-registered_on": "2025-02-01",
    }, follow=True)  # fmt: skip

    assert "已登记科普中国信息员：王建国" in response.content.decode()
    assert InfoOfficer.unscoped.get().person == person
    assert PersonRole.unscoped.filter(person=person, kind="info_officer", status="active").exists()


def test_staff_enter_a_new_person_and_register_them(client, login, personas):
    login(client, personas.county_a)

    response = client.post("/console/officers/register/", {
        "mode": "new", "new-name": "钱新", "new-id_number": ID_A, "new-phone": PHONE_A, "new-region": "370902001",
        "new-account": "kp_qian", "new-organisation": "KX370902", "new-consent": "on",
    }, follow=True)  # fmt: skip

    assert "已登记科普中国信息员：钱新" in response.content.decode()


def test_a_registration_that_fails_says_why_beside_the_field(client, login, personas, cast):
    cast.enter_b()  # county B's person: county A does not find them
    login(client, personas.county_a)

    unknown = client.post("/console/officers/register/", {"mode": "existing", "existing-who": ID_B, "existing-account": "kp",
                                                          "existing-organisation": "KX370902"})  # fmt: skip
    no_consent = client.post("/console/officers/register/", {"mode": "new", "new-name": "钱新", "new-id_number": ID_A,
                                                             "new-region": "370902001", "new-account": "kp_q", "new-organisation": "KX370902"})  # fmt: skip

    assert unknown.status_code == 400
    assert "您的管理范围内没有这个身份证号或手机号的人员" in unknown.content.decode()
    assert no_consent.status_code == 400
    assert "告知同意书" in no_consent.content.decode()
    assert not InfoOfficer.unscoped.exists()


def test_staff_correct_a_registration_on_its_page(client, login, personas, three):
    jia, _, _ = three
    login(client, personas.county_a)

    response = client.post(f"/console/officers/people/{jia.uid}/edit/", {"account": "kp_jia_2", "organisation": "KX370902",
                                                                          "registered_on": "2024-12-01"}, follow=True)  # fmt: skip

    assert "已保存" in response.content.decode()
    assert InfoOfficer.unscoped.get(pk=jia.pk).account == "kp_jia_2"


def test_the_menu_leads_to_the_officers(client, login, personas):
    login(client, personas.county_a)

    assert 'href="/console/officers/"' in client.get("/console/").content.decode()


def test_role_holders_without_an_account_are_listed_and_registered_from_the_list(client, login, personas, cast, three):
    holder = cast.enter(name="丁丁", roles=["info_officer"])
    cast.enter_b(name="戊戊", roles=["info_officer"])  # county B's: not county A's to see
    login(client, personas.county_a)

    overview = client.get("/console/officers/").content.decode()
    listed = client.get("/console/officers/unregistered/").content.decode()
    exported = rows_of(client.get("/console/officers/unregistered/export/"))
    response = client.post(f"/console/officers/register/?person={holder.uid}", {
        "mode": "existing", "existing-person": str(holder.uid), "existing-account": "kp_ding", "existing-organisation": "KX370902",
    }, follow=True)  # fmt: skip

    assert 'data-testid="unregistered"' in overview
    assert "丁丁" in listed
    assert "戊戊" not in listed
    assert "甲甲" not in listed
    assert exported[1:] == [("丁丁", "泰山区 · 岱庙街道", None, holder.phone_shown)]
    assert "已登记科普中国信息员：丁丁" in response.content.decode()
    assert "丁丁" not in client.get("/console/officers/unregistered/").content.decode()


def test_the_officers_list_takes_the_same_queries_for_two_officers_as_for_twelve(client, login, personas, cast):
    officer(cast, name="甲一")
    officer(cast, name="甲二")
    login(client, personas.county_a)
    client.get("/console/officers/people/?month=2025-03")  # the session and the menu warm up

    with CaptureQueriesContext(connection) as few:
        client.get("/console/officers/people/?month=2025-03")
    for i in range(10):
        officer(cast, name=f"甲{i}")
    with CaptureQueriesContext(connection) as many:
        page = client.get("/console/officers/people/?month=2025-03").content.decode()

    assert page.count('data-testid="officer-row"') == 12
    assert len(many) == len(few)
