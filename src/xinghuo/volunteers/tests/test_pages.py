"""The console and public pages of volunteers, as their users meet them: a county sees its own people, an organiser
records only its own activities' service, the city runs the star notice, and anyone can verify a certificate."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
import pypdf
import pytest
from django.utils import timezone
from tests.personas import login_client

from xinghuo.volunteers import services
from xinghuo.volunteers.models import AwardStatus, Certificate, RecordStatus, ServiceRecord, StarAward, StarObjection, TeamMembership
from xinghuo.volunteers.tests.conftest import PHONE_A, credit, held_activity, team_of

pytestmark = pytest.mark.django_db


def _user(actor):
    return actor.user


@pytest.fixture
def served(cast):
    """The society recorded (and confirmed) 3 hours of county A's volunteer and entered 2 of county B's."""
    activity = held_activity(cast.society_org, title="医学科普大讲堂")
    day = timezone.localdate() - timedelta(days=3)
    a = services.record_enter(actor=cast.society, volunteer=cast.vol_a, date=day, hours=3, content="现场讲解", activity=activity)
    b = services.record_enter(actor=cast.society, volunteer=cast.vol_b, date=day, hours=2, content="引导观众", activity=activity)
    services.records_confirm(actor=cast.society, records=[a])
    return {"activity": activity, "a": a, "b": b}


def test_county_b_gets_404_on_county_as_volunteer_and_sees_only_its_own_records(client, cast, served):
    # given county B's staff signed in
    login_client(client, _user(cast.county_b))

    # when they open county A's volunteer page, then it is not found
    assert client.get(f"/console/volunteers/people/{cast.vol_a.uid}/").status_code == 404
    # and the records list shows their own volunteer's record only
    page = client.get("/console/volunteers/records/").content.decode()
    assert "钱志愿" in page
    assert "赵志愿" not in page


def test_county_a_sees_its_volunteer_with_hours_and_records(client, cast, served):
    login_client(client, _user(cast.county_a))

    page = client.get(f"/console/volunteers/people/{cast.vol_a.uid}/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "3.0 小时" in text
    assert "医学科普大讲堂" in text
    assert PHONE_A not in text  # masked
    assert "137****0001" in text


def test_an_organiser_cannot_record_hours_for_another_organisations_activity(client, cast, personas):
    # given an activity of the school of county A
    activity = held_activity(cast.school_org, title="校园科技节")
    login_client(client, _user(cast.society))

    # when the society posts a record naming it, then the school's activity is no choice of theirs and nothing is kept
    answer = client.post("/console/volunteers/records/new/", {
        "name": "赵志愿", "key": PHONE_A, "date": (timezone.localdate() - timedelta(days=3)).isoformat(), "hours": "3",
        "content": "讲解", "activity": str(activity.uid),
    })  # fmt: skip

    assert answer.status_code == 400
    assert not ServiceRecord.unscoped.exists()


def test_an_organiser_records_at_its_own_activity_and_confirms_from_the_list(client, cast):
    activity = held_activity(cast.society_org, title="医学科普大讲堂")
    login_client(client, _user(cast.society))
    form = client.get("/console/volunteers/records/new/").content.decode()
    assert "医学科普大讲堂" in form

    answer = client.post("/console/volunteers/records/new/", {
        "name": "赵志愿", "key": PHONE_A, "date": (timezone.localdate() - timedelta(days=3)).isoformat(), "hours": "2.5",
        "content": "现场讲解", "activity": str(activity.uid),
    })  # fmt: skip
    assert answer.status_code == 302
    record = ServiceRecord.unscoped.get()
    assert record.status == RecordStatus.ENTERED

    confirmed = client.post("/console/volunteers/records/confirm/", {"record": [str(record.uid)], "next": "/console/volunteers/records/"})
    assert confirmed.status_code == 302
    record.refresh_from_db()
    assert record.status == RecordStatus.CONFIRMED


def test_a_school_cannot_confirm_the_societys_record_by_posting_its_uid(client, cast, served):
    login_client(client, _user(cast.school_a))

    answer = client.post("/console/volunteers/records/confirm/", {"record": [str(served["b"].uid)]})

    assert answer.status_code == 404
    served["b"].refresh_from_db()
    assert served["b"].status == RecordStatus.ENTERED


def test_the_records_export_masks_phones(client, cast, served):
    login_client(client, _user(cast.society))

    answer = client.get("/console/volunteers/records/export/")

    assert answer.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    assert "137****0001" in {r[2] for r in rows}
    assert PHONE_A not in str(rows)


def test_teams_pages_add_and_remove_a_member(client, cast):
    login_client(client, _user(cast.society))
    created = client.post("/console/volunteers/teams/new/", {"name": "医学科普志愿服务队", "organisation": str(cast.society_org.uid)})
    assert created.status_code == 302
    team_url = created["Location"]

    added = client.post(f"{team_url}members/", {"name": "钱志愿", "key": cast.vol_b.id_number})
    assert added.status_code == 302
    assert "钱志愿" in client.get(team_url).content.decode()
    wrong = client.post(f"{team_url}members/", {"name": "李四", "key": "13799999999"})
    assert wrong.status_code == 400
    assert "人员库中没有" in wrong.content.decode()

    client.post(f"{team_url}members/{cast.vol_b.uid}/remove/")
    assert not TeamMembership.unscoped.exists()


def test_the_city_opens_a_notice_that_the_public_sees_and_records_an_objection(client, cast):
    team = team_of(cast.society, cast.society_org, name="医学科普志愿服务队", members=(cast.vol_a,))
    credit(cast.society, team, cast.vol_a, 110)
    login_client(client, _user(cast.city))

    assert client.post("/console/volunteers/stars/open/").status_code == 302
    award = StarAward.unscoped.get()
    notice = client.get("/volunteers/notice/").content.decode()
    assert "赵志愿" in notice
    assert "医学科普志愿服务队" in notice
    assert PHONE_A not in notice

    answer = client.post(f"/console/volunteers/stars/{award.uid}/objections/", {
        "channel": "phone", "received_on": award.notice_starts.isoformat(), "contact_name": "某群众", "contact_phone": "13800001234",
        "content": "该志愿者部分时长系重复登记，请核实。",
    })  # fmt: skip
    assert answer.status_code == 302
    objection = StarObjection.unscoped.get(award=award)
    client.post(
        f"/console/volunteers/stars/{award.uid}/objections/{objection.uid}/decide/", {"upheld": "1", "answer": "经核实，确有重复登记。"}
    )
    award.refresh_from_db()
    assert award.status == AwardStatus.WITHDRAWN
    assert "赵志愿" not in client.get("/volunteers/notice/").content.decode()


def test_county_staff_may_not_open_star_notices(client, cast):
    login_client(client, _user(cast.county_a))

    assert client.post("/console/volunteers/stars/open/").status_code == 404


def test_a_service_certificate_downloads_as_a_pdf_whose_qr_opens_the_verify_page(client, cast):
    team = team_of(cast.society, cast.society_org, members=(cast.vol_a,))
    credit(cast.society, team, cast.vol_a, 30, ending=date(2026, 10, 20))
    login_client(client, _user(cast.county_a))

    issued = client.post(f"/console/volunteers/people/{cast.vol_a.uid}/certificates/", {"start": "2026-10-01", "end": "2026-10-31"})
    assert issued.status_code == 302
    certificate = Certificate.unscoped.get()
    pdf = client.get(f"/console/volunteers/certificates/{certificate.uid}/pdf/")

    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages).replace("\n", "")
    assert "兹证明 赵志愿 同志" in text
    assert "累计 30.0 小时" in text
    assert f"证书编号：{certificate.number}" in text
    assert cast.society_org.name in text  # each record under the organisation that keeps it


def test_the_verify_page_confirms_a_genuine_certificate_with_the_name_masked(client, cast):
    team = team_of(cast.society, cast.society_org, members=(cast.vol_a,))
    credit(cast.society, team, cast.vol_a, 30, ending=date(2026, 10, 20))
    certificate = services.certificate_issue_service(
        actor=cast.county_a, person=cast.vol_a, start=date(2026, 10, 1), end=date(2026, 10, 31)
    )

    page = client.get(f"/volunteers/verify/{certificate.number}/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "真实有效" in text
    assert "赵**" in text
    assert "赵志愿" not in text
    assert "30.0 小时" in text


def test_the_verify_page_says_an_unknown_number_may_be_forged(client):
    page = client.get("/volunteers/verify/ZY-AAAA-BBBB-CCCC-DDDD/")

    assert page.status_code == 404
    assert "证书编号“ZY-AAAA-BBBB-CCCC-DDDD”不存在，可能是伪造的证书" in page.content.decode()


def test_the_verify_page_says_a_revoked_certificate_is_no_longer_valid(client, cast):
    team = team_of(cast.society, cast.society_org, members=(cast.vol_a,))
    credit(cast.society, team, cast.vol_a, 30, ending=date(2026, 10, 20))
    certificate = services.certificate_issue_service(
        actor=cast.county_a, person=cast.vol_a, start=date(2026, 10, 1), end=date(2026, 10, 31)
    )
    services.certificate_revoke(actor=cast.county_a, certificate=certificate, reason="服务记录有误，重新开具")

    text = client.get(f"/volunteers/verify/{certificate.number}/").content.decode()

    assert "已于" in text
    assert "作废" in text
    assert "真实有效" not in text


def test_a_typed_number_goes_to_its_page(client):
    answer = client.get("/volunteers/verify/", {"number": " zy-aaaa-bbbb-cccc-dddd "})

    assert answer.status_code == 302
    assert answer["Location"] == "/volunteers/verify/ZY-AAAA-BBBB-CCCC-DDDD/"


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/console/volunteers/records/", "/console/volunteers/", "/console/volunteers/teams/"])
def test_the_lists_take_as_many_queries_for_many_rows_as_for_few(client, cast, url):
    # given a team and a few confirmed records, the list's queries counted
    team = team_of(cast.society, cast.society_org, members=(cast.vol_a,))
    credit(cast.society, team, cast.vol_a, 30)
    login_client(client, _user(cast.city))
    few = _queries(client, url)

    # when more volunteers, teams and records come
    for n in range(4):
        person = cast.volunteer(f"志愿者{n}", 20 + n)
        other = team_of(cast.society, cast.society_org, name=f"第{n}队", members=(person,))
        credit(cast.society, other, person, 50)

    # then the list takes the same number of queries
    assert _queries(client, url) == few


def _sheet(answer) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content))).active.iter_rows(values_only=True))


def test_every_list_exports_to_excel_with_phones_masked(client, cast):
    # given a volunteer with a star awarded and a commendation
    team = team_of(cast.society, cast.society_org, members=(cast.vol_a,))
    credit(cast.society, team, cast.vol_a, 120, ending=date(2025, 6, 1))
    services.star_notices_open(actor=cast.city, today=date(2026, 11, 2))
    services.stars_award_due(actor=cast.city, today=date(2026, 11, 10))
    rule = services.commendation_rule_create(actor=cast.city, name="年度优秀科技志愿者", min_year_hours=100)
    services.commendations_grant(actor=cast.city, rule=rule, year=2025)
    login_client(client, _user(cast.city))

    volunteers = _sheet(client.get("/console/volunteers/export/"))
    awards = _sheet(client.get("/console/volunteers/stars/export/"))
    commendations = _sheet(client.get("/console/volunteers/commendations/export/?year=2025"))

    row = next(r for r in volunteers if r[0] == "赵志愿")
    assert row[1] == "137****0001"
    assert row[5] == 120
    assert PHONE_A not in str(volunteers)
    assert awards[1][:3] == ("赵志愿", "泰山区", 1)
    assert commendations[1][:3] == (2025, "年度优秀科技志愿者", "赵志愿")


def test_a_star_certificate_downloads_and_its_number_verifies_the_level(client, cast):
    team = team_of(cast.society, cast.society_org, members=(cast.vol_a,))
    credit(cast.society, team, cast.vol_a, 320, ending=date(2026, 10, 1))
    services.star_notices_open(actor=cast.city, today=date(2026, 11, 2))
    services.stars_award_due(actor=cast.city, today=date(2026, 11, 10))
    certificate = Certificate.unscoped.get()
    login_client(client, _user(cast.county_a))

    pdf = client.get(f"/console/volunteers/certificates/{certificate.uid}/pdf/")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages).replace("\n", "")
    assert "2 星级科技志愿者" in text
    assert f"证书编号：{certificate.number}" in text

    client.logout()
    verified = client.get(f"/volunteers/verify/{certificate.number}/").content.decode()
    assert "2 星级科技志愿者" in verified
    assert "真实有效" in verified
