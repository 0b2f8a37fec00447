"""The staff second factor (TOTP, django-otp): enrolment on first use, a Chinese error and an audit record for
a wrong code, the console only after the right one. Citizens never need it; the API refuses a staff session
that has not passed it."""

import base64
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from xinghuo.accounts import services
from xinghuo.core.models import AuditAction, AuditEvent, AuditOutcome

pytestmark = pytest.mark.django_db

OTP_URL = "/accounts/otp/"
ENROL_TITLE = "绑定动态口令"
VERIFY_TITLE = "输入动态口令"
WRONG_AT_ENROLMENT = "动态口令不正确，请核对手机上的 6 位数字"
WRONG_AT_SIGN_IN = "动态口令不正确或已过期，请输入手机上当前显示的 6 位数字"


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def enrolled(personas, totp_code, clock):
    """county_a with a confirmed authenticator, enrolled a minute ago."""
    device = services.otp_device_create(user=personas.county_a)
    services.otp_device_confirm(device=device, token=totp_code(device))
    clock.shift(timedelta(minutes=1))
    return device


def otp_failures(user) -> int:
    return AuditEvent.objects.filter(action=AuditAction.OTP_FAILED, actor_id=user.pk, outcome=AuditOutcome.FAILURE).count()


def test_staff_without_the_second_factor_are_sent_to_it_from_every_page(personas, login):
    county = login(Client(), personas.county_a, verified=False)
    sysadmin = login(Client(), personas.sysadmin, verified=False)

    for client, path in [(county, "/console/"), (county, "/console/news/"), (county, "/accounts/password/"), (sysadmin, "/sysadmin/")]:
        assertRedirects(client.get(path), f"{OTP_URL}?next={path}", fetch_redirect_response=False)


def test_first_time_staff_see_enrolment_with_a_qr_code_and_the_secret(client, personas, login):
    login(client, personas.county_a, verified=False)

    response = client.get(f"{OTP_URL}?next=/console/")

    assertContains(response, ENROL_TITLE)
    assertContains(response, '<img class="xh-qr" src="data:image/svg+xml;base64,')
    device = TOTPDevice.objects.get(user=personas.county_a, confirmed=False)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    assertContains(response, f'<code data-testid="otp-secret">{secret}</code>', html=False)


def test_a_wrong_code_at_enrolment_shows_a_chinese_error_and_is_audited(client, personas, login, wrong_code):
    login(client, personas.county_a, verified=False)
    client.get(OTP_URL)
    device = TOTPDevice.objects.get(user=personas.county_a)

    response = client.post(OTP_URL, {"token": wrong_code(device), "next": "/console/"})

    assertContains(response, WRONG_AT_ENROLMENT, status_code=400)
    assert otp_failures(personas.county_a) == 1
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/console/")["Location"].startswith(OTP_URL)


def test_the_right_code_at_enrolment_opens_the_console(client, personas, login, totp_code, clock):
    login(client, personas.county_a, verified=False)
    client.get(OTP_URL)
    device = TOTPDevice.objects.get(user=personas.county_a)

    response = client.post(OTP_URL, {"token": totp_code(device), "next": "/console/"})

    assertRedirects(response, "/console/", fetch_redirect_response=False)
    assert client.get("/console/").status_code == 200
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert AuditEvent.objects.filter(action=AuditAction.OTP_DEVICE, actor_id=personas.county_a.pk).exists()


def test_after_a_wrong_code_the_right_one_still_works_a_moment_later(client, personas, login, totp_code, wrong_code, clock):
    login(client, personas.county_a, verified=False)
    client.get(OTP_URL)
    device = TOTPDevice.objects.get(user=personas.county_a)
    client.post(OTP_URL, {"token": wrong_code(device)})

    clock.shift(timedelta(seconds=5))  # django-otp throttles a device for a second after a failure
    response = client.post(OTP_URL, {"token": totp_code(device), "next": "/console/"})

    assertRedirects(response, "/console/", fetch_redirect_response=False)
    assert client.get("/console/").status_code == 200


def test_after_the_second_factor_the_user_lands_on_the_page_they_asked_for(client, personas, login, enrolled, totp_code):
    login(client, personas.county_a, verified=False)
    asked_for = "/console/organisations/?kind=school&q=daimiao"

    to_otp = client.get(asked_for)
    response = client.post(to_otp["Location"], {"token": totp_code(enrolled)})

    assertRedirects(response, asked_for, fetch_redirect_response=False)


def test_enrolled_staff_are_asked_for_a_code_and_never_shown_the_secret_again(client, personas, login, enrolled):
    login(client, personas.county_a, verified=False)

    response = client.get(OTP_URL)

    assertContains(response, VERIFY_TITLE)
    assertNotContains(response, ENROL_TITLE)
    assertNotContains(response, "otp-secret")
    assertNotContains(response, base64.b32encode(enrolled.bin_key).decode().rstrip("="))
    assert TOTPDevice.objects.filter(user=personas.county_a).count() == 1


def test_enrolled_staff_with_a_wrong_code_stay_outside_and_it_is_audited(client, personas, login, enrolled, wrong_code):
    login(client, personas.county_a, verified=False)

    response = client.post(OTP_URL, {"token": wrong_code(enrolled), "next": "/console/"})

    assertContains(response, WRONG_AT_SIGN_IN, status_code=400)
    assert otp_failures(personas.county_a) == 1
    assert client.get("/console/")["Location"].startswith(OTP_URL)


def test_enrolled_staff_with_the_right_code_get_into_the_console(client, personas, sign_in, enrolled, totp_code):
    # given county_a signs in with their password
    assertRedirects(sign_in(client, "county_a"), "/console/", fetch_redirect_response=False)
    assertRedirects(client.get("/console/"), f"{OTP_URL}?next=/console/", fetch_redirect_response=False)

    # when they enter the code their app shows
    response = client.post(f"{OTP_URL}?next=/console/", {"token": totp_code(enrolled), "next": "/console/"})

    # then the console opens
    assertRedirects(response, "/console/", fetch_redirect_response=False)
    assertContains(client.get("/console/"), "当前身份：县市区/功能区科协工作人员@泰山区科学技术协会")


def test_a_code_cannot_be_used_twice(personas, sign_in, enrolled, totp_code):
    code = totp_code(enrolled)
    first, second = Client(), Client()
    sign_in(first, "county_a")
    sign_in(second, "county_a")

    assertRedirects(first.post(OTP_URL, {"token": code}), "/console/", fetch_redirect_response=False)
    response = second.post(OTP_URL, {"token": code})

    assertContains(response, WRONG_AT_SIGN_IN, status_code=400)


def test_repeated_wrong_codes_slow_down_guessing(client, personas, login, enrolled, wrong_code, totp_code, clock):
    # given three wrong codes in quick succession
    login(client, personas.county_a, verified=False)
    for _ in range(3):
        client.post(OTP_URL, {"token": wrong_code(enrolled)})

    # then even the right code is refused at once (django-otp throttles: 1, 2, 4 … seconds)
    assertContains(client.post(OTP_URL, {"token": totp_code(enrolled)}), WRONG_AT_SIGN_IN, status_code=400)

    # and accepted once the user has waited
    clock.shift(timedelta(seconds=10))
    assertRedirects(client.post(OTP_URL, {"token": totp_code(enrolled)}), "/console/", fetch_redirect_response=False)


def test_citizens_never_need_a_second_factor(client, personas, sign_in):
    assertRedirects(sign_in(client, "13912345678"), "/me/", fetch_redirect_response=False)

    assert client.get("/me/").status_code == 200
    assertRedirects(client.get(OTP_URL), "/me/", fetch_redirect_response=False)
    assert not TOTPDevice.objects.filter(user=personas.citizen).exists()


def test_the_api_refuses_a_staff_session_without_the_second_factor(client, personas, login):
    login(client, personas.county_a, verified=False)

    response = client.get("/api/v1/organisations")

    assert response.status_code == 401
    assert response.json() == {"code": "auth_required", "detail": "请先登录，或提供有效的接口令牌"}


def test_the_api_answers_a_staff_session_past_the_second_factor(client, personas, login):
    login(client, personas.county_a)

    response = client.get("/api/v1/organisations")

    assert response.status_code == 200
    assert response.json()["count"] > 0
