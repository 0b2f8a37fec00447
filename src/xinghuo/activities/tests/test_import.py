"""Importing activity reports from Excel: the template lists what waits for a report, each row reports its
activity through the services (held first when still published), a wrong row is reported by number and
column and nothing is saved, unless the good rows are asked for."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xinghuo.activities.models import Activity, ActivityStatus, ActivityStep, Format, StepAction
from xinghuo.activities.tests.conftest import SUMMARY, published
from xinghuo.core import audit
from xinghuo.core.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

HEADER = ["活动编号", "活动名称", "现场参与人次", "线上观看人次", "活动总结"]


def started(cast, days_ago: int = 2, **overrides) -> Activity:
    """A published activity of county A's school that began `days_ago` days ago (approved while still ahead)."""
    activity = published(cast, **overrides)
    start = timezone.now() - timedelta(days=days_ago)
    with audit.bulk_write(model=Activity, description="测试：活动已开始"):
        Activity.unscoped.filter(pk=activity.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))
    return Activity.unscoped.get(pk=activity.pk)


def workbook(*rows, header=HEADER) -> SimpleUploadedFile:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("活动情况.xlsx", buffer.getvalue(), content_type="application/octet-stream")


def row(activity: Activity, attendance=120, online_views=None, summary=SUMMARY, title=None):
    return [str(activity.uid), activity.title if title is None else title, attendance, online_views, summary]


def xlsx_rows(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [[c.value for c in r] for r in sheet.iter_rows()]


def test_the_template_lists_the_activities_waiting_for_a_report(client, login, cast):
    waiting = started(cast, title="岱庙街道防诈骗讲座")
    ahead = published(cast, title="下周的健康讲座")  # not begun: nothing to report yet
    login(client, cast.filer.user)

    rows = xlsx_rows(client.get("/console/activities/import/template.xlsx"))

    assert rows[0][:2] == ["活动编号", "活动名称"]
    assert "活动总结" in rows[0]
    assert [r[0] for r in rows[1:]] == [str(waiting.uid)]
    assert str(ahead.uid) not in {r[0] for r in rows}


def test_a_filled_template_reports_its_activities_and_they_can_be_verified(client, login, cast):
    first = started(cast, title="岱庙街道防诈骗讲座")
    second = started(cast, title="线上健康直播", format=Format.ONLINE, address="", online_url="https://live.example.cn/a")
    login(client, cast.filer.user)
    template = xlsx_rows(client.get("/console/activities/import/template.xlsx"))
    header = template[0]
    filled = []
    for values in template[1:]:
        values = list(values)
        online = values[0] == str(second.uid)
        values[header.index("现场参与人次")] = None if online else 85.0  # Excel numbers arrive as floats
        values[header.index("线上观看人次")] = "3,200" if online else None
        values[header.index("活动总结")] = SUMMARY
        filled.append(values)

    response = client.post("/console/activities/import/", {"file": workbook(*filled, header=header)})

    assert response.status_code == 200
    assert "导入 2 行" in response.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.attendance, first.summary) == (ActivityStatus.REPORTED, 85, SUMMARY)
    assert (second.status, second.online_views) == (ActivityStatus.REPORTED, 3200)
    actions = list(ActivityStep.unscoped.filter(activity=first).values_list("action", flat=True))
    assert actions[-2:] == [StepAction.HOLD, StepAction.REPORT]
    assert ActivityStep.unscoped.filter(activity=first, action=StepAction.REPORT).get().data["source"] == "excel"
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT, object_type="activities.activity").count() == 1

    # the verifier sees that the report came from a spreadsheet without photos, and may still verify it
    login(client, cast.county_a.user)
    page = client.get(f"/console/activities/{first.uid}/").content.decode()
    assert "经 Excel 导入" in page
    assert "未附现场照片" in page
    client.post(f"/console/activities/{first.uid}/verify/", {"decision": "verify", "reason": ""})
    first.refresh_from_db()
    assert first.status == ActivityStatus.VERIFIED


def test_wrong_rows_are_reported_by_row_and_column_and_nothing_is_saved(client, login, cast):
    good = started(cast, title="岱庙街道防诈骗讲座")
    other = started(cast, title="科学小实验")
    ahead = published(cast, title="下周的健康讲座")
    outsider = published(cast, title="岱岳区的活动")
    with audit.bulk_write(model=Activity, description="测试：另一县的活动"):
        Activity.unscoped.filter(pk=outsider.pk).update(organiser=cast.org_b, region=cast.org_b.region)
    login(client, cast.filer.user)

    response = client.post("/console/activities/import/", {"file": workbook(
        row(good),
        row(other, attendance=12.5),                      # row 3: not a whole number
        row(other, title="另一个活动"),                     # row 4: the number and the name disagree
        ["不是编号", "x", 1, None, SUMMARY],                 # row 5
        row(outsider),                                    # row 6: another county's: not found
        row(ahead),                                       # row 7: not begun
        row(good, attendance=None),                       # row 8: a repeat of row 2 (and no attendance)
        row(other, summary="很好"),                        # row 9: summary too short
    )})  # fmt: skip

    assert response.status_code == 400
    text = response.content.decode()
    for expected in ("现场参与人次应为整数", "活动名称与平台中的“科学小实验”不一致", "活动编号格式不对", "不在您的管理范围内",
                     "举办后才能报送", "一个活动只报送一次", "活动总结至少"):  # fmt: skip
        assert expected in text, expected
    assert "本次没有导入任何数据" in text
    assert not Activity.unscoped.filter(status=ActivityStatus.REPORTED).exists()
    good.refresh_from_db()
    assert good.status == ActivityStatus.PUBLISHED  # not even confirmed held


def test_the_good_rows_can_be_imported_alone(client, login, cast):
    good = started(cast, title="岱庙街道防诈骗讲座")
    other = started(cast, title="科学小实验")
    login(client, cast.filer.user)

    response = client.post("/console/activities/import/", {"file": workbook(row(good), row(other, attendance=None)), "partial": "1"})

    assert response.status_code == 200
    assert "线下活动请填写现场参与人次" in response.content.decode()
    good.refresh_from_db()
    other.refresh_from_db()
    assert (good.status, other.status) == (ActivityStatus.REPORTED, ActivityStatus.PUBLISHED)


def test_a_file_that_is_not_excel_is_refused_in_chinese(client, login, cast):
    login(client, cast.filer.user)
    fake = SimpleUploadedFile("活动情况.xlsx", b"MZ\x90\x00 not a workbook", content_type="application/octet-stream")

    response = client.post("/console/activities/import/", {"file": fake})

    assert response.status_code == 400
    assert "请上传 Excel 文件" in response.content.decode()


def test_citizens_cannot_import(client, login, personas):
    login(client, personas.citizen)

    assert client.get("/console/activities/import/").status_code == 404
    assert client.get("/console/activities/import/template.xlsx").status_code == 404
