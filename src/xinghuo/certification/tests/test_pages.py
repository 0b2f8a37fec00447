"""The certification pages through the test client: each role does its step on its page, the public reads the
notice and objects, the outsider county gets 404, and a bad form gets a Chinese message and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from xinghuo.certification.models import AnnualReview, Application, ApplicationStatus, Evidence, Objection, ReviewStatus, Score, Standard
from xinghuo.certification.tests.conftest import PDF, acting_as, in_notice, pdf, png
from xinghuo.venues.models import Venue, VenueStatus

pytestmark = pytest.mark.django_db


def _scores(application: Application, share: float) -> dict[str, str]:
    return {f"score_{s.indicator_id}": str(round(s.indicator.weight * share, 1)) for s in Score.unscoped.filter(application=application)}


def test_an_application_through_the_console_and_the_public_notice(client, login, cast):
    # The operator files, self-assesses, uploads and submits
    login(client, cast.operator.user)
    response = client.post("/console/certification/new/", {"venue": cast.venue.uid, "kind": "initial", "statement": "申请认定"})
    application = Application.unscoped.get(venue=cast.venue)
    assert response.status_code == 302
    assert response.url == f"/console/certification/{application.uid}/"
    page = client.get(response.url).content.decode()
    assert "有网络" in page
    assert "提交申请" in page
    bad = client.post(
        f"/console/certification/{application.uid}/self-assessment/",
        {f"score_{Score.unscoped.filter(application=application).first().indicator_id}": "99"},
    )
    assert bad.status_code == 400
    assert "不能超过" in bad.content.decode()
    assert client.post(f"/console/certification/{application.uid}/self-assessment/", _scores(application, 0.9)).status_code == 302
    upload = client.post(f"/console/certification/{application.uid}/evidence/", {"file": png()})
    assert upload.status_code == 302
    client.post(f"/console/certification/{application.uid}/submit/")
    assert Application.unscoped.get(pk=application.pk).status == ApplicationStatus.SUBMITTED

    # The other county sees nothing of it, by page or by action
    login(client, cast.county_b.user)
    assert client.get(f"/console/certification/{application.uid}/").status_code == 404
    assert client.post(f"/console/certification/{application.uid}/county-review/", {"decision": "approve"}).status_code == 404
    assert cast.venue.name not in client.get("/console/certification/").content.decode()

    # The county: a return without a reason is refused beside the field; then approval
    login(client, cast.county_a.user)
    listing = client.get("/console/certification/?todo=on").content.decode()
    assert cast.venue.name in listing
    refused = client.post(f"/console/certification/{application.uid}/county-review/", {"decision": "return", "reason": ""})
    assert refused.status_code == 400
    assert "请填写退回理由" in refused.content.decode()
    client.post(f"/console/certification/{application.uid}/county-review/", {"decision": "approve", "reason": "材料齐全"})

    # The city scores and opens the notice
    login(client, cast.city.user)
    response = client.post(f"/console/certification/{application.uid}/city-review/", {**_scores(application, 0.8), "decision": "notice"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_NOTICE

    # The public reads the notice; a citizen objects (sign-in needed); staff see the phone masked
    client.logout()
    notice = client.get("/certification/notice/").content.decode()
    assert cast.venue.name in notice
    assert client.get(f"/certification/notice/{application.uid}/objection/").status_code == 302  # to the login
    login(client, cast.citizen.user)
    bad = client.post(
        f"/certification/notice/{application.uid}/objection/", {"content": "太短", "contact_name": "李", "contact_phone": "13900001111"}
    )
    assert bad.status_code == 400
    assert "至少 10 个字" in bad.content.decode()
    client.post(
        f"/certification/notice/{application.uid}/objection/",
        {"content": "这个服务站的终端设备长期损坏无人维修", "contact_name": "李先生", "contact_phone": "13900001111"},
    )
    objection = Objection.unscoped.get(application=application)
    login(client, cast.city.user)
    detail = client.get(f"/console/certification/{application.uid}/").content.decode()
    assert "139****1111" in detail
    assert "13900001111" not in detail
    early = client.post(f"/console/certification/{application.uid}/decide/", {"decision": "certify"})
    assert early.status_code == 400
    assert "未答复" in early.content.decode()
    client.post(
        f"/console/certification/{application.uid}/objections/{objection.uid}/answer/",
        {"answer": "经核实终端已于上月更换，异议不成立", "upheld": "0"},
    )

    # After the notice period the city certifies: the code is issued, the plaque and the list show it
    with time_machine.travel(timezone.now() + timedelta(days=10)):
        login(client, cast.city.user)
        response = client.post(f"/console/certification/{application.uid}/decide/", {"decision": "certify"})
    assert response.status_code == 302
    venue = Venue.unscoped.get(pk=cast.venue.pk)
    assert venue.status == VenueStatus.CERTIFIED
    client.logout()
    certified = client.get("/certification/certified/").content.decode()
    assert venue.code in certified
    assert "认定有效" in client.get(f"/v/{venue.code}/").content.decode()
    steps = client  # the history is on the detail page
    login(steps, cast.operator.user)
    history = steps.get(f"/console/certification/{application.uid}/").content.decode()
    for label in ("提交申请", "县级审核通过", "市级评审打分", "进入公示", "收到异议", "答复异议", "认定通过"):
        assert label in history


def test_evidence_is_served_in_scope_only_and_checked_by_content(client, login, cast):
    login(client, cast.operator.user)
    with acting_as(cast.operator):
        from xinghuo.certification import services

        application = services.application_create(actor=cast.operator, venue=cast.venue)
    from django.core.files.uploadedfile import SimpleUploadedFile

    renamed = client.post(
        f"/console/certification/{application.uid}/evidence/", {"file": SimpleUploadedFile("报告.pdf", b"just text, not a pdf")}
    )
    assert renamed.status_code == 400
    assert "内容不是 PDF" in renamed.content.decode()
    client.post(f"/console/certification/{application.uid}/evidence/", {"file": SimpleUploadedFile("报告.pdf", PDF)})
    evidence = Evidence.unscoped.get(application=application)
    response = client.get(f"/console/certification/files/{evidence.uid}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    login(client, cast.county_b.user)
    assert client.get(f"/console/certification/files/{evidence.uid}/").status_code == 404


def test_in_s3_storage_evidence_is_kept_in_the_bucket_and_served_in_scope_only(client, login, cast, s3):
    login(client, cast.operator.user)
    with acting_as(cast.operator):
        from xinghuo.certification import services

        application = services.application_create(actor=cast.operator, venue=cast.venue)

    client.post(f"/console/certification/{application.uid}/evidence/", {"file": pdf("消防验收报告.pdf")})

    evidence = Evidence.unscoped.get(application=application)
    key = f"private/{evidence.file.name}"
    assert s3.keys() == [key]
    assert s3.read(key) == PDF
    assert not s3.is_public(key)
    response = client.get(f"/console/certification/files/{evidence.uid}/")
    assert (response.status_code, response["Content-Type"], response["Content-Length"]) == (200, "application/pdf", str(len(PDF)))
    assert b"".join(response.streaming_content) == PDF
    login(client, cast.county_b.user)
    assert client.get(f"/console/certification/files/{evidence.uid}/").status_code == 404


def test_city_staff_edit_a_new_version_of_a_standard_and_put_it_in_force(client, login, personas, cast):
    current = Standard.objects.get(venue_type="spark_station", is_active=True)
    in_notice(cast)  # the 2024 version is now in use: it is history
    login(client, personas.city_staff)
    assert client.post(f"/console/certification/standards/{current.uid}/", {"name": "改"}).status_code == 404
    client.post(f"/console/certification/standards/{current.uid}/version/", {"version": "2026版"})
    draft = Standard.objects.get(venue_type="spark_station", version="2026版")
    rows = list(draft.indicators.order_by("order"))
    form = {
        "name": draft.name, "pass_score": 65, "good_score": 75, "excellent_score": 90, "notice_days": 5, "reassess_years": 5, "note": "",
        "ind-TOTAL_FORMS": len(rows), "ind-INITIAL_FORMS": len(rows), "ind-MIN_NUM_FORMS": 0, "ind-MAX_NUM_FORMS": 40,
    }  # fmt: skip
    for n, row in enumerate(rows):
        form |= {f"ind-{n}-category": row.category, f"ind-{n}-name": row.name, f"ind-{n}-weight": row.weight, f"ind-{n}-is_key": "on"}
    wrong = client.post(f"/console/certification/standards/{draft.uid}/", {**form, "ind-0-weight": rows[0].weight + 5})
    assert wrong.status_code == 400
    assert "合计为 105 分" in wrong.content.decode()
    assert Standard.objects.get(pk=draft.pk).pass_score == 60  # nothing saved
    assert client.post(f"/console/certification/standards/{draft.uid}/", form).status_code == 302
    client.post(f"/console/certification/standards/{draft.uid}/activate/")
    assert Standard.objects.get(venue_type="spark_station", is_active=True).pk == draft.pk
    assert Standard.objects.get(pk=draft.pk).notice_days == 5
    # county staff read the standards but cannot change them
    login(client, personas.county_a)
    assert client.get(f"/console/certification/standards/{draft.uid}/").status_code == 200
    assert client.post(f"/console/certification/standards/{draft.uid}/activate/").status_code == 404


def test_a_yearly_re_check_warns_and_then_revokes_and_the_plaque_says_so(client, login, cast, make_venue, personas):
    hall = make_venue(name="泰山新能源星火科技馆", status="certified", operator=personas.org_a)
    Venue.unscoped.filter(pk=hall.pk)  # certified last year:
    with time_machine.travel(timezone.now() - timedelta(days=400)):
        old = make_venue(name="岱庙社区科普馆", status="certified", operator=personas.org_a)
    year = timezone.localdate().year
    login(client, cast.city.user)
    response = client.post("/console/certification/reviews/", {"year": year})
    assert response.status_code == 302
    review = AnnualReview.unscoped.get(venue=old, year=year)
    assert not AnnualReview.unscoped.filter(venue=hall, year=year).exists()  # certified this year: nothing to re-check yet

    # the operator reports with photos; a program named .png is refused
    login(client, cast.operator.user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = {
        "opening_days": 210,
        "visitors": 8000,
        "activities": 9,
        "report": "全年开放二百一十天，接待八千人次，开展活动九场，设备运行正常。",
    }
    bad = client.post(
        f"/console/certification/reviews/{review.uid}/report/", {**report, "photos": [SimpleUploadedFile("a.png", b"not an image")]}
    )
    assert bad.status_code == 400
    assert AnnualReview.unscoped.get(pk=review.pk).status == ReviewStatus.AWAITING
    client.post(f"/console/certification/reviews/{review.uid}/report/", {**report, "photos": [png("开放日.png"), png("活动.png")]})
    assert Evidence.unscoped.filter(review=review).count() == 2

    # the county spot-checks, the city warns; a warning needs a reason
    login(client, cast.county_a.user)
    client.post(f"/console/certification/reviews/{review.uid}/spot-check/", {"note": "周末闭馆，与公示开放时间不符"})
    login(client, cast.city.user)
    assert client.post(f"/console/certification/reviews/{review.uid}/decide/", {"outcome": "warn", "reason": ""}).status_code == 400
    client.post(f"/console/certification/reviews/{review.uid}/decide/", {"outcome": "warn", "reason": "开放时间不足，限期三个月整改"})
    assert Venue.unscoped.get(pk=old.pk).status == VenueStatus.WARNED
    client.logout()
    assert "年度复核被警示" in client.get(f"/v/{old.code}/").content.decode()

    # next year, no self-report: revoked, and the plaque says so to anyone
    with time_machine.travel(timezone.now() + timedelta(days=366)):
        city = cast.city.user
        city.password_changed_at = timezone.now()  # staff passwords expire after 90 days
        city.save(update_fields=["password_changed_at"])
        login(client, city)
        opened = client.post("/console/certification/reviews/", {"year": year + 1})
        assert opened.status_code == 302, opened.content.decode()[-3000:]
        following = AnnualReview.unscoped.get(venue=old, year=year + 1)
        keep = client.post(f"/console/certification/reviews/{following.uid}/decide/", {"outcome": "keep"})
        assert "尚未提交年度自查" in keep.content.decode()
        client.post(
            f"/console/certification/reviews/{following.uid}/decide/", {"outcome": "revoke", "reason": "整改期满仍未开放，未提交年度自查"}
        )
    client.logout()
    plaque = client.get(f"/v/{old.code}/").content.decode()
    assert "该场馆已被摘牌" in plaque
    assert old.name in client.get("/certification/certified/").content.decode()  # under 近一年摘牌


def test_the_certified_list_is_cached_until_a_plaque_changes(client, make_venue, personas, django_capture_on_commit_callbacks):
    from xinghuo.venues.services import venue_set_certification_status

    hall = make_venue(name="泰山新能源星火科技馆", status="certified", operator=personas.org_a)
    first = client.get("/certification/certified/").content.decode()
    assert 'data-testid="certified-item"' in first
    assert hall.code in first

    with django_capture_on_commit_callbacks(execute=True):
        venue_set_certification_status(venue=hall, status=VenueStatus.REVOKED)

    after = client.get("/certification/certified/").content.decode()
    assert 'data-testid="certified-item"' not in after  # no longer certified
    assert "近一年摘牌" in after
