"""The activity pages through the test client: the filer files and submits, the county reviews on the detail page,
the report goes in with a photo, the brands page shows the progress; the outsider county gets 404 everywhere and
a bad form gets a Chinese message beside its field and changes nothing."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xinghuo.activities.models import Activity, ActivityPhoto, ActivityStatus, Level
from xinghuo.activities.tests.conftest import DAIMIAO, SUMMARY, png, published, reported, soon, verified
from xinghuo.core import audit

pytestmark = pytest.mark.django_db

FMT = "%Y-%m-%dT%H:%M"


def _form(**overrides) -> dict:
    start = soon()
    data = {
        "title": "社区老年人智能手机课堂", "brand": "smart_elderly", "level": "grassroots", "format": "offline",
        "organiser": "", "region": DAIMIAO, "address": "岱庙街道社区活动中心", "starts_at": start.strftime(FMT),
        "ends_at": (start + timedelta(hours=2)).strftime(FMT), "audiences": ["elderly"], "topics": ["anti_fraud"], "capacity": "40",
    }  # fmt: skip
    data.update(overrides)
    return data


def _the_day_comes(activity: Activity) -> None:
    """Move the activity into the past, straight in the table (time travel would age the PostgreSQL connection)."""
    now = timezone.now()
    with audit.bulk_write(model=Activity, description="测试：活动时间已到"):
        Activity.unscoped.filter(pk=activity.pk).update(starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1))


def test_an_activity_through_the_console(client, login, cast):
    # The filer files a draft; a bad time is refused beside its field
    login(client, cast.filer.user)
    assert client.get("/console/activities/new/").status_code == 200
    bad = client.post("/console/activities/new/", _form(organiser=str(cast.org_a.uid), ends_at=soon(hour=8).strftime(FMT)))
    assert bad.status_code == 400
    assert "结束时间应晚于开始时间" in bad.content.decode()
    assert not Activity.unscoped.exists()
    response = client.post("/console/activities/new/", _form(organiser=str(cast.org_a.uid)))
    activity = Activity.unscoped.get()
    assert response.status_code == 302
    assert response.url == f"/console/activities/{activity.uid}/"
    assert "提交审核" in client.get(response.url).content.decode()
    edit = client.post(f"/console/activities/{activity.uid}/edit/", _form(organiser=str(cast.org_a.uid), title="老年人智能手机课堂"))
    assert edit.status_code == 302
    client.post(f"/console/activities/{activity.uid}/submit/")
    activity.refresh_from_db()
    assert (activity.title, activity.status) == ("老年人智能手机课堂", ActivityStatus.SUBMITTED)

    # The other county sees nothing of it, by page or by action
    login(client, cast.county_b.user)
    assert client.get(f"/console/activities/{activity.uid}/").status_code == 404
    assert client.post(f"/console/activities/{activity.uid}/review/", {"decision": "approve"}).status_code == 404
    assert activity.title not in client.get("/console/activities/").content.decode()

    # The county: a return without a reason is refused beside the field; then approval
    login(client, cast.county_a.user)
    assert activity.title in client.get("/console/activities/?todo=on").content.decode()
    refused = client.post(f"/console/activities/{activity.uid}/review/", {"decision": "return", "reason": ""})
    assert refused.status_code == 400
    assert "请填写退回理由" in refused.content.decode()
    assert client.post(f"/console/activities/{activity.uid}/review/", {"decision": "approve"}).status_code == 302
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PUBLISHED

    # Not before it starts; once it has, the filer confirms it was held and reports with a photo
    login(client, cast.filer.user)
    early = client.post(f"/console/activities/{activity.uid}/held/", follow=True)
    assert "开始后才能确认已举办" in early.content.decode()
    _the_day_comes(activity)
    client.post(f"/console/activities/{activity.uid}/held/")
    assert Activity.unscoped.get(pk=activity.pk).status == ActivityStatus.HELD
    short = client.post(f"/console/activities/{activity.uid}/report/", {"attendance": "45", "summary": "很好"})
    assert short.status_code == 400
    assert "至少 20 个字" in short.content.decode()
    report = client.post(f"/console/activities/{activity.uid}/report/", {"attendance": "45", "summary": SUMMARY, "photos": [png()]})
    assert report.status_code == 302
    photo = ActivityPhoto.unscoped.get(activity=activity)
    image = client.get(f"/console/activities/photos/{photo.uid}/")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/jpeg"
    assert b"".join(image.streaming_content)[:2] == b"\xff\xd8"  # a JPEG, re-encoded (reading it to the end closes it)

    # The county verifies; the steps show on the page; the brands page counts it
    login(client, cast.county_a.user)
    assert client.post(f"/console/activities/{activity.uid}/verify/", {"decision": "verify"}).status_code == 302
    page = client.get(f"/console/activities/{activity.uid}/").content.decode()
    assert "核验通过" in page
    assert "退回修改" not in page
    brands = client.get("/console/activities/brands/").content.decode()
    assert "智惠助老" in brands
    assert "<progress" in brands
    drill = client.get("/console/activities/", {"brand": "smart_elderly", "level": "grassroots", "status": "verified",
                                                "year": timezone.localtime(Activity.unscoped.get(pk=activity.pk).starts_at).year,
                                                }).content.decode()  # fmt: skip
    assert activity.title in drill

    # ... and the outsider county reaches neither the photo nor the report
    login(client, cast.county_b.user)
    assert client.get(f"/console/activities/photos/{photo.uid}/").status_code == 404
    assert client.post(f"/console/activities/{activity.uid}/verify/", {"decision": "return", "reason": "x"}).status_code == 404


def test_the_list_filters_and_exports_to_excel(client, login, cast):
    done = verified(cast, title="已核验的讲座")
    published(cast, title="已发布的讲座", level=Level.CITY)
    login(client, cast.city.user)

    city_only = client.get("/console/activities/", {"level": "city"}).content.decode()
    export = client.get("/console/activities/export/", {"status": "verified"})

    assert "已发布的讲座" in city_only
    assert done.title not in city_only
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "活动名称"
    assert [r[0] for r in rows[1:]] == [done.title]


def test_a_stale_page_gets_its_message_at_the_top(client, login, cast):
    activity = reported(cast)
    login(client, cast.county_a.user)
    client.post(f"/console/activities/{activity.uid}/verify/", {"decision": "verify"})

    again = client.post(f"/console/activities/{activity.uid}/verify/", {"decision": "verify"}, follow=True)

    assert "不能办理这一环节" in again.content.decode()


def test_the_menu_leads_to_activities(client, login, cast):
    login(client, cast.filer.user)

    page = client.get("/console/").content.decode()

    assert "科普活动" in page
    assert "/console/activities/brands/" in page


def test_the_list_and_the_brands_page_take_the_same_queries_for_more_activities(client, login, cast):
    verified(cast, title="第一场")
    login(client, cast.county_a.user)

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    before = {url: queries(url) for url in ("/console/activities/", "/console/activities/brands/")}
    for n in range(4):
        published(cast, title=f"又一场{n}")
    verified(cast, title="再一场", level=Level.CITY)

    assert {url: queries(url) for url in before} == before
