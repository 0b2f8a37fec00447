"""Importing venues from Excel: a template, a row-by-row report, all or nothing unless the good rows are asked for."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xinghuo.core.models import AuditAction, AuditEvent
from xinghuo.venues.importer import COLUMNS, parse_hours
from xinghuo.venues.models import Venue, VenueStatus

pytestmark = pytest.mark.django_db

GOOD = ["岱庙街道新能源星火科技馆", "星火科技馆", "新技术类", "泰山区科学技术协会", "370902001", "泰山区岱庙街道某路 1 号", 36.195, 117.121,
        "周二至周日 09:00-17:00", 120, "青少年、公众", "张三", "0538-8221234", "已登记"]  # fmt: skip


def workbook(*rows) -> SimpleUploadedFile:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([c.title for c in COLUMNS])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("venues.xlsx", buffer.getvalue(), content_type="application/octet-stream")


def bad(**changes):
    row = list(GOOD)
    for title, value in changes.items():
        row[[c.key for c in COLUMNS].index(title)] = value
    return row


def test_the_template_has_every_column(client, login, personas):
    login(client, personas.county_a)

    response = client.get("/console/venues/import/template.xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == [c.title for c in COLUMNS]


def test_good_rows_are_imported_and_audited(client, login, personas):
    login(client, personas.county_a)

    response = client.post("/console/venues/import/", {"file": workbook(GOOD, bad(name="财源街道星火科技馆", region="370902002"))})

    assert response.status_code == 200
    assert "导入 2 行，0 行有误" in response.content.decode()
    venue = Venue.unscoped.get(name="岱庙街道新能源星火科技馆")
    assert venue.status == VenueStatus.REGISTERED
    assert venue.code.startswith("XH-KJG-370902-")
    assert venue.opening_hours["sun"] == [["09:00", "17:00"]]
    assert "mon" not in venue.opening_hours
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT).count() == 1


def test_one_wrong_row_saves_nothing_and_the_report_names_row_column_and_problem(client, login, personas):
    login(client, personas.county_a)

    response = client.post(
        "/console/venues/import/", {"file": workbook(GOOD, bad(lat="北纬"), bad(venue_type="博物馆"), bad(region="370911001"))}
    )

    text = response.content.decode()
    assert response.status_code == 400
    assert Venue.unscoped.count() == 0
    assert "因有错误，本次没有导入任何数据" in text
    assert "纬度应为数字" in text
    assert "类型“博物馆”无效" in text
    assert "不在您的管理范围内" in text  # county A cannot file in county B
    rows = [3, 4, 5]
    assert all(f"<td>{r}</td>" in text for r in rows)


def test_the_good_rows_can_be_imported_on_their_own(client, login, personas):
    login(client, personas.county_a)

    response = client.post("/console/venues/import/", {"file": workbook(GOOD, bad(hours="全天开放")), "partial": "1"})

    assert "导入 1 行，1 行有误" in response.content.decode()
    assert Venue.unscoped.count() == 1


def test_a_renamed_file_that_is_not_excel_is_refused(client, login, personas):
    login(client, personas.county_a)
    fake = SimpleUploadedFile("venues.xlsx", b"MZ\x90\x00 this is an executable", content_type="application/vnd.ms-excel")

    response = client.post("/console/venues/import/", {"file": fake})

    assert response.status_code == 400
    assert "请上传 Excel 文件" in response.content.decode()


def test_organisers_and_citizens_cannot_import(client, login, personas):
    login(client, personas.organiser)

    assert client.get("/console/venues/import/").status_code == 404


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("周一至周五 08:30-11:30,14:00-17:30", {d: [["08:30", "11:30"], ["14:00", "17:30"]] for d in ("mon", "tue", "wed", "thu", "fri")}),
        ("周六 09:00-12:00；周日 14:00-16:00", {"sat": [["09:00", "12:00"]], "sun": [["14:00", "16:00"]]}),
        ("", {}),
    ],
)
def test_opening_hours_in_words(text, expected):
    assert parse_hours(text) == expected
