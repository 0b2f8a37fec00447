"""Signing in at /accounts/login/: staff by username, citizens by their 11-digit mobile number; one generic
answer for every failure; a fresh session key at sign-in; signing out only by POST."""

from importlib import import_module

import pytest
from django.conf import settings
from django.test import Client
from pytest_django.asserts import assertContains, assertRedirects

from xinghuo.accounts import services
from xinghuo.core.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

GENERIC_FAILURE = "用户名（手机号）或密码不正确"
CITIZEN_PHONE = "13912345678"  # personas.citizen


def session_exists(key: str) -> bool:
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


def test_staff_sign_in_by_username_and_are_then_asked_for_the_second_factor(client, personas, sign_in):
    response = sign_in(client, "county_a")

    assertRedirects(response, "/console/", fetch_redirect_response=False)
    assert client.session["_auth_user_id"] == str(personas.county_a.pk)
    assert client.get("/console/")["Location"].startswith("/accounts/otp/")


def test_citizens_sign_in_by_mobile_number_and_see_their_page(client, personas, sign_in):
    response = sign_in(client, CITIZEN_PHONE)

    assertRedirects(response, "/me/", fetch_redirect_response=False)
    assertContains(client.get("/me/"), "139****5678")


def test_a_staff_member_cannot_sign_in_with_a_phone_number(client, personas, sign_in):
    # given a staff account that has a phone number on file
    staff = services.user_create_staff(username="kpb_li", name="李四", password="Kexue-Puji-2026", phone="13700001111")

    # when they use the phone number as login name, then the generic failure: staff sign in by username
    response = sign_in(client, "13700001111", "Kexue-Puji-2026")

    assertContains(response, GENERIC_FAILURE, status_code=400)
    assertRedirects(sign_in(client, staff.username, "Kexue-Puji-2026"), "/console/", fetch_redirect_response=False)


@pytest.mark.parametrize(
    "username",
    [
        pytest.param("county_a", id="staff-wrong-password"),
        pytest.param("no_such_user", id="unknown-username"),
        pytest.param(CITIZEN_PHONE, id="citizen-wrong-password"),
        pytest.param("13800000000", id="unknown-phone"),
    ],
)
def test_a_wrong_password_and_an_unknown_account_get_the_same_generic_message(client, personas, sign_in, username):
    response = sign_in(client, username, "Wrong-Pass-2026!")

    assertContains(response, GENERIC_FAILURE, status_code=400)
    assert "_auth_user_id" not in client.session


def test_the_failure_page_is_the_same_for_a_wrong_password_and_an_unknown_account(client, personas, sign_in):
    wrong_password = sign_in(Client(), "county_a", "Wrong-Pass-2026!")
    unknown = sign_in(Client(), "county_x", "Wrong-Pass-2026!")

    def error_of(response) -> str:
        return response.content.decode().split('data-testid="login-error">', 1)[1].split("<", 1)[0]

    assert error_of(wrong_password) == error_of(unknown) == GENERIC_FAILURE


def test_a_disabled_account_gets_the_generic_message_even_with_the_right_password(client, personas, sign_in):
    services.user_set_active(user=personas.county_a, active=False)

    response = sign_in(client, "county_a")

    assertContains(response, GENERIC_FAILURE, status_code=400)
    assert "_auth_user_id" not in client.session


def test_sign_in_issues_a_new_session_key(client, personas, sign_in):
    # given a visitor whose browser already holds a session (one an attacker might have planted)
    session = client.session
    session["planted"] = "x"
    session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value

    # when they sign in
    sign_in(client, CITIZEN_PHONE)

    # then the browser holds a new key and the old one no longer exists
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert session_exists(after)
    assert not session_exists(before)
    # and whoever knew the old key is not signed in as the citizen
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = before
    assert attacker.get("/me/")["Location"].startswith("/accounts/login/")


def test_sign_in_does_not_redirect_to_another_site(client, personas, sign_in):
    response = sign_in(client, CITIZEN_PHONE, next="https://evil.example.com/")

    assertRedirects(response, "/me/", fetch_redirect_response=False)


def test_after_sign_in_the_user_lands_on_the_page_they_asked_for(client, personas, sign_in):
    asked_for = "/console/organisations/?kind=school&q=daimiao"

    to_login = client.get(asked_for)
    carried = client.get(to_login["Location"]).context["next"]  # the login form's hidden "next"
    response = sign_in(client, "county_a", next=carried)

    assertRedirects(response, asked_for, fetch_redirect_response=False)


def test_sign_in_and_failures_are_audited_without_the_phone_number_in_clear(client, personas, sign_in):
    sign_in(client, CITIZEN_PHONE, "Wrong-Pass-2026!")
    sign_in(client, CITIZEN_PHONE)

    failed = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.object_repr == "登录名 139****5678"
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor_id=personas.citizen.pk).exists()
    assert not AuditEvent.objects.filter(object_repr__contains=CITIZEN_PHONE).exists()


def test_logout_by_get_is_refused_and_keeps_the_user_signed_in(client, personas, sign_in):
    sign_in(client, CITIZEN_PHONE)

    response = client.get("/accounts/logout/")

    assert response.status_code == 405
    assert client.get("/me/").status_code == 200


def test_logout_by_post_signs_out_and_ends_the_session(client, personas, sign_in):
    sign_in(client, CITIZEN_PHONE)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value

    response = client.post("/accounts/logout/", follow=True)

    assertRedirects(response, "/")
    assertContains(response, "您已安全退出")
    assert not session_exists(key)
    assert client.get("/me/")["Location"].startswith("/accounts/login/")
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor_id=personas.citizen.pk).exists()
