"""Importing the monthly figures: the template downloads; a good file creates the months, finding officers by phone or
by account; a file with any bad row — an unknown officer, another county's officer, a bad or future month, a negative
or fractional figure, the same officer and month twice — saves nothing and says what is wrong, row by row; a month
imported again is updated and the report says so; a city's 30,000 rows go in with a handful of queries."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xinghuo.core import audit
from xinghuo.core.errors import DomainError
from xinghuo.core.models import AuditAction, AuditEvent
from xinghuo.officers import importer
from xinghuo.officers.importer import COLUMNS, import_figures
from xinghuo.officers.models import InfoOfficer, MonthlyFigures
from xinghuo.officers.tests.conftest import DAIYUE, officer, village
from xinghuo.organisations.models import Organisation
from xinghuo.talent import consent
from xinghuo.talent.models import Person

pytestmark = pytest.mark.django_db


def workbook(rows: list[dict[str, Any]]) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append([c.title for c in COLUMNS])
    for row in rows:
        ws.append([row.get(c.key) for c in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("传播数据.xlsx", content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def numbered(rows: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    return list(enumerate(rows, start=2))


@pytest.fixture
def two(cast) -> tuple[InfoOfficer, InfoOfficer]:
    return officer(cast, name="甲", account="KP_Jia", phone="13756780001"), officer(cast, name="乙", account="kp_yi", phone="13756780002")


def test_the_template_has_every_column(client, login, personas):
    login(client, personas.county_a)

    response = client.get("/console/officers/import/template/")

    head = next(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(head) == [c.title for c in COLUMNS]


def test_a_good_file_creates_each_officers_months_found_by_phone_or_account(client, login, personas, two):
    _jia, _yi = two
    login(client, personas.county_a)

    response = client.post("/console/officers/import/", {"file": upload(workbook([
        {"month": "2025-03", "phone": "13756780001", "shares": 12, "reads": 860, "likes": 35},
        {"month": "2025年4月", "phone": 13756780001.0, "shares": "1,024", "reads": 9000.0},
        {"month": datetime(2025, 3, 17), "account": "kp_yi", "name": "乙", "shares": 0, "reads": 3},
        {"month": 202504, "phone": "137-5678-0002", "account": "KP_YI", "shares": 2, "reads": 30, "likes": 1},
    ]))})  # fmt: skip

    assert response.status_code == 200, response.content.decode()
    assert "新增 4 条月度数据，更新 0 条" in response.content.decode()
    got = {
        (f.officer.person.name, f.year, f.month): (f.shares, f.reads, f.likes)
        for f in MonthlyFigures.unscoped.select_related("officer__person")
    }
    assert got == {
        ("甲", 2025, 3): (12, 860, 35),
        ("甲", 2025, 4): (1024, 9000, 0),
        ("乙", 2025, 3): (0, 3, 0),
        ("乙", 2025, 4): (2, 30, 1),
    }
    bulk = AuditEvent.objects.get(action=AuditAction.BULK, object_type="officers.monthlyfigures")
    assert bulk.changes["created"] == [None, "4"]


def test_each_kind_of_bad_row_is_reported_on_its_row_and_nothing_is_saved(cast, two):
    _jia, _ = two
    theirs = officer(cast, county=DAIYUE, account="kp_daiyue", phone="13756780009")
    next_month = (timezone.localdate().replace(day=28) + (date(2000, 2, 1) - date(2000, 1, 1))).strftime("%Y-%m")
    rows = numbered([
        {"month": "2025-03", "phone": "13756780001", "shares": 1, "reads": 10},  # 2: good
        {"month": "2025-03", "phone": "13900000000", "shares": 1, "reads": 10},  # 3: nobody's phone
        {"month": "2025-03", "account": "kp_nobody", "shares": 1, "reads": 10},  # 4: unknown account
        {"month": "2025-03", "account": theirs.account, "shares": 1, "reads": 10},  # 5: another county's officer
        {"month": "2025-13", "account": "kp_yi", "shares": 1, "reads": 10},  # 6: no such month
        {"month": next_month, "account": "kp_yi", "shares": 1, "reads": 10},  # 7: a month ahead
        {"month": "2025-05", "account": "kp_yi", "shares": -1, "reads": 10},  # 8: negative
        {"month": "2025-06", "account": "kp_yi", "shares": 1.5, "reads": "很多"},  # 9: a fraction and words
        {"month": "2025-03", "account": "KP_JIA", "shares": 2, "reads": 20},  # 10: the same officer and month as row 2
        {"month": "2025-07", "phone": "13756780001", "account": "kp_yi", "shares": 1, "reads": 1},  # 11: phone and account disagree
        {"month": "2025-08", "shares": 1, "reads": 1},  # 12: nobody named
        {"phone": "13756780001", "shares": 1},  # 13: no month, no reads
    ])  # fmt: skip

    report = import_figures(actor=cast.county_a, rows=rows)

    problems = {(e.row, e.column): e.message for e in report.errors}
    assert not MonthlyFigures.unscoped.exists()
    assert report.saved == 0
    assert 2 not in {e.row for e in report.errors}
    assert "不是您管理范围内已登记的信息员" in problems[(3, "手机号")]
    assert "未登记为您管理范围内的信息员" in problems[(4, "科普中国账号")]
    assert "未登记为您管理范围内的信息员" in problems[(5, "科普中国账号")]
    assert "月份格式不对" in problems[(6, "月份")]
    assert "月份应在" in problems[(7, "月份")]
    assert problems[(8, "转发/分享次数")] == "转发/分享次数不能为负数"
    assert problems[(9, "转发/分享次数")] == "转发/分享次数应为整数"
    assert "不能含文字" in problems[(9, "阅读量")]
    assert "与本表第 2 行是同一名信息员、同一月份（2025-03）" in problems[(10, "月份")]
    assert "不是同一名信息员" in problems[(11, "手机号")]
    assert "至少填一项" in problems[(12, "手机号")]
    assert problems[(13, "月份")] == "必填，不能为空"
    assert problems[(13, "阅读量")] == "必填，不能为空"
    assert all("13756780001" not in m and "13900000000" not in m for m in problems.values())


def test_a_month_imported_again_is_updated_and_the_report_says_so_row_by_row(client, login, personas, two):
    jia, _yi = two
    login(client, personas.county_a)
    first = [
        {"month": "2025-03", "account": "kp_jia", "shares": 3, "reads": 100},
        {"month": "2025-03", "account": "kp_yi", "shares": 0, "reads": 5},
    ]
    client.post("/console/officers/import/", {"file": upload(workbook(first))})

    response = client.post("/console/officers/import/", {"file": upload(workbook([
        {"month": "2025-03", "account": "kp_jia", "shares": 5, "reads": 120},
        {"month": "2025-03", "account": "kp_yi", "shares": 0, "reads": 5},
        {"month": "2025-04", "account": "kp_yi", "shares": 7, "reads": 70},
    ]))})  # fmt: skip

    page = response.content.decode()
    assert response.status_code == 200
    assert "新增 1 条月度数据，更新 1 条，1 条与此前导入的相同" in page
    assert "2025-03 的数据此前已导入，本次更新：转发/分享 3→5，阅读 100→120，点赞 0→0" in page
    assert "2025-03 的数据此前已导入，与本次相同，未改变" in page
    assert MonthlyFigures.unscoped.get(officer=jia, year=2025, month=3).shares == 5
    assert MonthlyFigures.unscoped.count() == 3


def test_a_bad_file_on_the_page_answers_400_with_the_report_and_saves_nothing(client, login, personas, two):
    login(client, personas.county_a)

    response = client.post("/console/officers/import/", {"file": upload(workbook([
        {"month": "2025-03", "account": "kp_jia", "shares": 3, "reads": 100},
        {"month": "2025-03", "account": "kp_jia", "shares": -3, "reads": 100},
    ]))})  # fmt: skip

    assert response.status_code == 400
    assert "因有错误，本次没有导入任何数据" in response.content.decode()
    assert not MonthlyFigures.unscoped.exists()


def test_a_file_that_is_no_spreadsheet_is_refused(client, login, personas):
    login(client, personas.county_a)

    response = client.post("/console/officers/import/", {"file": SimpleUploadedFile("x.xlsx", b"hello")})

    assert response.status_code == 400
    assert "请上传 Excel 文件" in response.content.decode()


def test_organisers_import_nothing(cast):
    with pytest.raises(DomainError):
        import_figures(actor=cast.organiser, rows=[])


def test_a_citys_year_of_30000_rows_goes_in_and_again_with_a_bounded_number_of_queries(cast, django_assert_max_num_queries):
    """2,500 officers × 12 months: officers and earlier figures are looked up once and the rows written in bulk — a query
    per batch of rows (SQLite takes at most 999 values a statement: ~110 rows an insert), never one per row."""
    region, kx, text = village("370902"), Organisation.unscoped.get(code="KX370902"), consent.current()
    people = [Person(name=f"人{i}", region=region, phone=f"1370000{i:04d}", consent=text, consent_at=timezone.now()) for i in range(2500)]
    with audit.bulk_write(model=Person, description="测试"):
        Person.unscoped.bulk_create(people)
    with audit.bulk_write(model=InfoOfficer, description="测试"):
        InfoOfficer.unscoped.bulk_create(
            [InfoOfficer(person=p, account=f"kp{i}", organisation=kx, registered_on=date(2024, 1, 1)) for i, p in enumerate(people)]
        )
    rows = numbered([
        {"month": f"2025-{m:02d}", **({"phone": p.phone} if i % 2 else {"account": f"kp{i}"}), "shares": i % 7, "reads": i + m}
        for i, p in enumerate(people) for m in range(1, 13)
    ])  # fmt: skip

    with django_assert_max_num_queries(len(rows) // 100 + 20):
        created = import_figures(actor=cast.county_a, rows=rows)
    for _, row in rows:
        row["reads"] += 1
    with django_assert_max_num_queries(len(rows) // 100 + 20):
        updated = import_figures(actor=cast.county_a, rows=rows)

    assert (created.created, created.errors) == (30_000, [])
    assert (updated.created, updated.updated, len(updated.notes)) == (0, 30_000, importer.NOTES_SHOWN)
    assert MonthlyFigures.unscoped.count() == 30_000
    assert MonthlyFigures.unscoped.get(officer__account="kp3", month=5).reads == 3 + 5 + 1
