"""Importing service records from Excel: every wrong row is named with its column, nothing is saved if any row is
wrong, and a good file is saved whole — entered, or confirmed when the recorder says it has checked them."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from tests.personas import login_client

from xinghuo.volunteers import importer
from xinghuo.volunteers.models import RecordStatus, ServiceRecord, VolunteerHours
from xinghuo.volunteers.tests.conftest import ID_B, PHONE_A, held_activity, team_of

pytestmark = pytest.mark.django_db
HEAD = [c.title for c in importer.COLUMNS]


def xlsx(rows: list[list[object]], head: list[str] = HEAD) -> io.BytesIO:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate([head, *rows]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    buffer.seek(0)
    return buffer


@pytest.fixture
def setting(cast):
    activity = held_activity(cast.society_org, days_ago=3, title="医学科普大讲堂")
    team = team_of(cast.society, cast.society_org, name="医学科普队", members=(cast.vol_a,))
    day = (timezone.localdate() - timedelta(days=3)).isoformat()
    return {"activity": str(activity.uid), "team": team, "day": day}


def _good(setting):
    return [
        ["赵志愿", PHONE_A, "", setting["day"], 3, "展品讲解", setting["activity"], ""],
        ["钱志愿", "", ID_B, setting["day"], 2.5, "引导观众", setting["activity"], ""],
        ["赵志愿", PHONE_A, "", "2026-10-01", "4", "社区宣讲", "", "医学科普队"],
    ]


def test_a_good_file_is_saved_whole_and_waits_for_confirmation(cast, setting):
    outcome = importer.run(cast.society, xlsx(_good(setting)))

    assert outcome.error == ""
    assert outcome.report.errors == []
    assert outcome.report.saved == 3
    assert ServiceRecord.unscoped.filter(status=RecordStatus.ENTERED, source="excel", organisation=cast.society_org).count() == 3
    assert not VolunteerHours.unscoped.exists()


def test_a_file_imported_as_confirmed_counts_at_once(cast, setting):
    importer.run(cast.society, xlsx(_good(setting)), confirm=True)

    assert VolunteerHours.unscoped.get(person=cast.vol_a).confirmed_hours == Decimal("7.0")
    assert VolunteerHours.unscoped.get(person=cast.vol_b).confirmed_hours == Decimal("2.5")


def test_every_wrong_row_is_named_and_nothing_is_saved(cast, setting):
    # given a file with one good row and one wrong row of each kind
    expert = cast.volunteer("孙专家", 11, roles=("expert",))
    other = held_activity(cast.school_org, title="校园科技节")
    day, act = setting["day"], setting["activity"]
    rows = [
        ["赵志愿", PHONE_A, "", day, 3, "展品讲解", act, ""],  # 2: good
        ["王无名", "13700000000", "", day, 3, "讲解", act, ""],  # 3: unknown volunteer (phone)
        ["王无名", "", "370902199001011237", day, 3, "讲解", act, ""],  # 4: unknown volunteer (ID number)
        ["钱志愿", "", ID_B, day, 3, "讲解", "00000000-0000-0000-0000-000000000000", ""],  # 5: unknown activity
        ["钱志愿", "", ID_B, day, 25, "讲解", act, ""],  # 6: hours out of range
        ["赵志愿", PHONE_A, "", day, 3, "展品讲解", act, ""],  # 7: duplicate of row 2
        ["钱志愿", "", ID_B, day, 3, "讲解", str(other.uid), ""],  # 8: another organisation's activity
        ["孙专家", expert.phone, "", day, 3, "讲解", act, ""],  # 9: not a volunteer
        ["钱志愿", "", ID_B, "2026-13-01", 3, "讲解", act, ""],  # 10: no such date
        ["钱志愿", "", ID_B, day, 3, "讲解", "", "没有这个队"],  # 11: unknown team
    ]

    outcome = importer.run(cast.society, xlsx(rows))

    # then each wrong row is reported at its column, and nothing is saved
    found = {(e.row, e.column) for e in outcome.report.errors}
    assert found == {
        (3, "手机号"), (4, "身份证号"), (5, "活动编号"), (6, "服务时长（小时）"), (7, "志愿者姓名"), (8, "活动编号"), (9, "志愿者姓名"),
        (10, "服务日期"), (11, "服务队"),
    }  # fmt: skip
    assert "与第 2 行重复" in {e.message for e in outcome.report.errors}
    assert outcome.report.saved == 0
    assert not ServiceRecord.unscoped.exists()


def test_more_than_24_hours_a_day_is_refused_across_the_file_and_the_records_kept(cast, setting):
    rows = [
        ["赵志愿", PHONE_A, "", setting["day"], 20, "展品讲解", setting["activity"], ""],
        ["赵志愿", PHONE_A, "", setting["day"], 5, "布展", setting["activity"], ""],
    ]

    outcome = importer.run(cast.society, xlsx(rows))

    assert [(e.row, e.column) for e in outcome.report.errors] == [(3, "服务时长（小时）")]
    assert not ServiceRecord.unscoped.exists()


def test_the_same_file_imported_twice_is_refused_the_second_time(cast, setting):
    importer.run(cast.society, xlsx(_good(setting)))

    again = importer.run(cast.society, xlsx(_good(setting)))

    assert again.report.saved == 0
    assert {e.message for e in again.report.errors} == {"本单位已记录过该志愿者当天的这项服务（可能重复导入）"}
    assert ServiceRecord.unscoped.count() == 3


def test_a_file_without_the_templates_headers_is_refused(cast):
    outcome = importer.run(cast.society, xlsx([["x"]], head=["姓名", "时长"]))

    assert "表头缺少" in outcome.error


def test_the_import_page_reports_rows_and_offers_the_template(client, cast, setting):
    login_client(client, cast.society.user)
    template = client.get("/console/volunteers/records/import/template/")
    assert template.status_code == 200

    unknown = ["王无名", "13700000000", "", setting["day"], 3, "讲解", setting["activity"], ""]
    upload = SimpleUploadedFile("记录.xlsx", xlsx([_good(setting)[0], unknown]).getvalue())
    answer = client.post("/console/volunteers/records/import/", {"file": upload})

    assert answer.status_code == 400
    assert "人员库中没有姓名为“王无名”且手机号相符的人员" in answer.content.decode()
    assert not ServiceRecord.unscoped.exists()
