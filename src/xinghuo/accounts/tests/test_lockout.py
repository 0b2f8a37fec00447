"""Lockout (django-axes, per login name): 5 consecutive failures lock the login name for 30 minutes, with
one answer whether or not the account exists. Axes keeps only a keyed hash of the login name."""

import re
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.forms.models import model_to_dict
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from xinghuo.core.models import AuditAction, AuditEvent, AuditOutcome

pytestmark = pytest.mark.django_db

LOCKED = "连续登录失败次数过多，该账号已锁定 30 分钟，请稍后再试"
GENERIC_FAILURE = "用户名（手机号）或密码不正确"
WRONG = "Wrong-Pass-2026!"
CITIZEN_PHONE = "13912345678"  # personas.citizen


def page_without_tokens(response) -> str:
    """The page as the user sees it, without the per-request CSRF tokens."""
    return re.sub(r'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', r"\1", response.content.decode())


@pytest.fixture
def fail(sign_in):
    """Fail `times` sign-ins for `username`; return the last answer."""

    def _fail(client: Client, username: str, times: int):
        response = None
        for _ in range(times):
            response = sign_in(client, username, WRONG)
        return response

    return _fail


def test_four_failures_still_get_the_generic_message(client, personas, fail):
    response = fail(client, "county_a", 4)

    assertContains(response, GENERIC_FAILURE, status_code=400)
    assertNotContains(response, LOCKED, status_code=400)


def test_the_fifth_failure_locks_the_account(client, personas, fail):
    response = fail(client, "county_a", 5)

    assertContains(response, LOCKED, status_code=429)
    assert AuditEvent.objects.filter(action=AuditAction.LOCKOUT, outcome=AuditOutcome.DENIED).count() == 1


def test_a_locked_account_is_refused_even_with_the_right_password(client, personas, fail, sign_in):
    fail(client, "county_a", 5)

    response = sign_in(client, "county_a")

    assertContains(response, LOCKED, status_code=429)
    assert "_auth_user_id" not in client.session


def test_the_lock_is_on_the_login_name_not_on_the_browser(personas, fail, sign_in):
    # given county_a was locked from one browser
    fail(Client(), "county_a", 5)

    # then another browser cannot sign in as county_a either, but can as someone else
    assertContains(sign_in(Client(), "county_a"), LOCKED, status_code=429)
    assertRedirects(sign_in(Client(), "county_b"), "/console/", fetch_redirect_response=False)


def test_a_login_name_that_does_not_exist_gets_the_same_lockout_answer(personas, fail):
    real = fail(Client(), "county_a", 5)
    unknown = fail(Client(), "county_x", 5)

    assertContains(unknown, LOCKED, status_code=429)
    assert page_without_tokens(unknown).replace("county_x", "county_a") == page_without_tokens(real)


def test_a_citizen_is_locked_by_mobile_number(client, personas, fail, sign_in):
    fail(client, CITIZEN_PHONE, 5)

    assertContains(sign_in(client, CITIZEN_PHONE), LOCKED, status_code=429)


def test_the_lock_lifts_after_30_minutes(client, personas, fail, sign_in):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        fail(client, "county_a", 5)

        traveller.shift(timedelta(minutes=30, seconds=1))
        response = sign_in(client, "county_a")

    assertRedirects(response, "/console/", fetch_redirect_response=False)


def test_the_lock_holds_for_the_whole_30_minutes(client, personas, fail, sign_in):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        fail(client, "county_a", 5)

        traveller.shift(timedelta(minutes=29, seconds=50))
        response = sign_in(client, "county_a")

    assertContains(response, LOCKED, status_code=429)


def test_a_success_in_between_resets_the_count(personas, fail, sign_in):
    # given four failures, then a successful sign-in
    fail(Client(), "county_a", 4)
    assertRedirects(sign_in(Client(), "county_a"), "/console/", fetch_redirect_response=False)

    # when four more fail (eight in all, but never five in a row)
    response = fail(Client(), "county_a", 4)

    # then the account is not locked
    assertContains(response, GENERIC_FAILURE, status_code=400)
    assertRedirects(sign_in(Client(), "county_a"), "/console/", fetch_redirect_response=False)


def test_axes_never_stores_a_citizens_phone_number(personas, fail, sign_in):
    # given a citizen who failed once, signed in, then got locked out
    fail(Client(), CITIZEN_PHONE, 1)
    sign_in(Client(), CITIZEN_PHONE)
    fail(Client(), CITIZEN_PHONE, 5)

    # then axes holds records of it, and none mentions the number (nor its last eight digits)
    rows = [model_to_dict(row) for model in (AccessAttempt, AccessLog, AccessFailureLog) for row in model.objects.all()]
    assert AccessAttempt.objects.filter(failures_since_start__gte=5).exists()
    assert AccessLog.objects.exists()
    stored = repr(rows)
    assert CITIZEN_PHONE not in stored
    assert CITIZEN_PHONE[3:] not in stored


def test_the_security_admin_sees_a_lockout_and_can_lift_it(client, personas, login, fail, sign_in):
    # given county_a is locked out
    fail(Client(), "county_a", 5)
    login(client, personas.secadmin)

    # when the security admin opens the security page, they see one locked login name, by its hash only
    page = client.get("/console/security/")
    assertNotContains(page, "当前没有被锁定的登录名")
    assertNotContains(page, "county_a")
    attempt = AccessAttempt.objects.get()

    # and lifts the lock
    response = client.post(f"/console/security/unlock/{attempt.pk}/", follow=True)

    # then county_a can sign in again, and the unlock is audited
    assertContains(response, "已解除锁定")
    assertRedirects(sign_in(Client(), "county_a"), "/console/", fetch_redirect_response=False)
    assert AuditEvent.objects.filter(action=AuditAction.UNLOCK, actor_id=personas.secadmin.pk).exists()
