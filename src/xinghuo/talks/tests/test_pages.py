"""The pages of 点单式科普 as a school and the county use them, and what an outsider gets."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from django.utils import timezone

from xinghuo.talks.models import TalkRequest, TalkStatus
from xinghuo.talks.tests.conftest import ask, expert, in_days

pytestmark = pytest.mark.django_db


def test_a_school_asks_for_a_talk_on_the_form_and_sees_it_with_the_phone_masked(client, login, scene):
    login(client, scene.school.user)
    today = timezone.localdate()

    response = client.post("/console/talks/new/", {
        "requester": str(scene.school.membership.organisation.uid), "region": "岱庙街道", "topic": "近视防控", "field": "health",
        "audience": "youth", "expected_size": "300", "address": "学校操场", "wanted_from": str(today + timedelta(days=5)),
        "wanted_until": str(today + timedelta(days=20)), "contact_name": "刘老师", "contact_phone": "13912345678",
    }, follow=True)  # fmt: skip

    text = response.content.decode()
    assert "点单已提交" in text
    assert "139****5678" in text
    assert "13912345678" not in text
    assert TalkRequest.unscoped.get().topic == "近视防控"


def test_a_wrong_request_says_why_beside_the_field_and_saves_nothing(client, login, scene):
    login(client, scene.school.user)

    response = client.post("/console/talks/new/", {"requester": str(scene.school.membership.organisation.uid), "region": "无此街道",
                                                   "topic": "", "field": "health", "audience": "youth"})  # fmt: skip

    assert response.status_code == 400
    text = response.content.decode()
    assert "请填写希望讲的主题" in text
    assert not TalkRequest.unscoped.exists()


def test_the_county_sees_the_suggestions_and_arranges_one(client, login, personas, scene):
    talk = ask(scene)
    doctor = expert(scene.cast, "王医生")
    login(client, personas.county_a)

    page = client.get(f"/console/talks/{talk.uid}/").content.decode()
    response = client.post(f"/console/talks/{talk.uid}/confirm/", {
        "expert": str(doctor.uid), "starts_at": in_days(9).strftime("%Y-%m-%dT%H:%M"), "ends_at": in_days(9, 16).strftime("%Y-%m-%dT%H:%M"),
    }, follow=True)  # fmt: skip

    assert f'data-expert="{doctor.uid}"' in page
    assert doctor.phone not in page
    assert "已安排专家" in response.content.decode()
    assert 'data-testid="activity"' in response.content.decode()
    assert TalkRequest.unscoped.get(pk=talk.pk).status == TalkStatus.CONFIRMED


def test_a_busy_expert_is_refused_with_the_reason_on_the_page(client, login, personas, scene):
    doctor = expert(scene.cast, "王医生")
    first, second = ask(scene, topic="第一场"), ask(scene, topic="第二场")
    login(client, personas.county_a)
    times = {
        "expert": str(doctor.uid),
        "starts_at": in_days(9).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": in_days(9, 16).strftime("%Y-%m-%dT%H:%M"),
    }
    client.post(f"/console/talks/{first.uid}/confirm/", times)

    response = client.post(f"/console/talks/{second.uid}/confirm/", times)

    assert response.status_code == 400
    assert "已有安排" in response.content.decode()
    assert TalkRequest.unscoped.get(pk=second.pk).status == TalkStatus.REQUESTED


def test_another_county_gets_404_and_cannot_arrange(client, login, personas, scene):
    talk = ask(scene)
    doctor = expert(scene.cast, "王医生")
    login(client, personas.county_b)

    assert client.get(f"/console/talks/{talk.uid}/").status_code == 404
    assert client.post(f"/console/talks/{talk.uid}/confirm/", {"expert": str(doctor.uid)}).status_code == 404
    assert client.post(f"/console/talks/{talk.uid}/decline/", {"reason": "不安排"}).status_code == 404
    assert TalkRequest.unscoped.get(pk=talk.pk).status == TalkStatus.REQUESTED


def test_the_export_lists_the_requests_with_phones_masked(client, login, personas, scene):
    ask(scene)
    login(client, personas.county_a)

    response = client.get("/console/talks/export/")

    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[1][2] == "高血压的家庭管理"
    assert rows[1][9] == "139****5678"
