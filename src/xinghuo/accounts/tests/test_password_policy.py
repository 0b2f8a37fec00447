"""Password policy: staff at least 12 characters of 3 of the 4 classes and not a common password; citizens at
least 8 and not common. Staff passwords expire after 90 days; citizens' never do."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects
from tests.personas import PASSWORD

from xinghuo.accounts import services
from xinghuo.accounts.errors import AccountError
from xinghuo.accounts.models import User
from xinghuo.core.errors import DomainError
from xinghuo.core.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

TOO_SHORT_STAFF = "密码至少需要 12 个字符。"
TOO_SHORT_CITIZEN = "密码至少需要 8 个字符。"
TOO_SIMPLE = "工作人员密码须包含大写字母、小写字母、数字、符号中的至少 3 类。"
TOO_COMMON = "这个密码太常见了。"
EXPIRED_NOTICE = "您的密码已使用超过 90 天，按安全策略请先修改密码。"
NEW_PASSWORD = "Kexue-Puji-2026!"


# --- staff -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        pytest.param("Kx-2026-abc", TOO_SHORT_STAFF, id="11-characters"),
        pytest.param("kexuepujitaian", TOO_SIMPLE, id="lowercase-only"),
        pytest.param("kexuepuji2026", TOO_SIMPLE, id="two-classes"),
        pytest.param("Password1234", TOO_COMMON, id="common"),
    ],
)
def test_a_weak_staff_password_is_refused(db, password, message):
    with pytest.raises(DomainError) as exc:
        services.user_create_staff(username="kpb_wang", name="王五", password=password)

    assert exc.value.code == AccountError.PASSWORD_WEAK
    assert exc.value.field == "password"
    assert message in exc.value.message
    assert not User.objects.filter(username="kpb_wang").exists()


@pytest.mark.parametrize("password", ["Kexue-Puji-2026", "kexuepuji2026!", "KEXUE-PUJI-2026", "KEXUEPUJI2026x"])
def test_a_strong_staff_password_is_accepted(db, password):
    user = services.user_create_staff(username="kpb_wang", name="王五", password=password)

    assert user.check_password(password)
    assert user.password_changed_at is not None


def test_a_staff_password_like_the_username_is_refused(db):
    with pytest.raises(DomainError) as exc:
        services.user_create_staff(username="zhangsanfeng", name="张三丰", password="Zhangsanfeng1")

    assert exc.value.code == AccountError.PASSWORD_WEAK
    assert exc.value.message == "密码跟 用户名 太相似了。"


# --- citizens ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        pytest.param("kexue26", TOO_SHORT_CITIZEN, id="7-characters"),
        pytest.param("password", TOO_COMMON, id="common"),
        pytest.param("12345678", TOO_COMMON, id="common-digits"),
    ],
)
def test_a_weak_citizen_password_is_refused(db, password, message):
    with pytest.raises(DomainError) as exc:
        services.user_register_citizen(phone="13812345678", password=password)

    assert exc.value.code == AccountError.PASSWORD_WEAK
    assert message in exc.value.message
    assert not User.objects.filter(phone="13812345678").exists()


def test_a_citizen_password_needs_no_character_classes(db):
    user = services.user_register_citizen(phone="13812345678", password="kexuepuji")

    assert user.check_password("kexuepuji")


def test_a_citizen_cannot_use_their_phone_number_as_password(db):
    with pytest.raises(DomainError) as exc:
        services.user_register_citizen(phone="13812345678", password="13812345678")

    assert exc.value.code == AccountError.PASSWORD_WEAK
    assert exc.value.message == "密码跟 手机号 太相似了。"
    assert not User.objects.filter(phone="13812345678").exists()


def register(client: Client, password: str, password2: str | None = None):
    return client.post(
        "/accounts/register/",
        {"phone": "13812345678", "name": "", "password": password, "password2": password2 or password, "consent": "on"},
    )


def test_the_register_form_shows_a_weak_password_error_next_to_the_field_and_creates_nothing(client, db):
    response = register(client, "kexue26")

    assertContains(response, TOO_SHORT_CITIZEN, status_code=400)
    assert response.context["form"].errors["password"] == [TOO_SHORT_CITIZEN]
    page = response.content.decode()
    assert page.index('name="password"') < page.index(TOO_SHORT_CITIZEN) < page.index('name="password2"')
    assert not User.objects.filter(phone="13812345678").exists()
    assert "_auth_user_id" not in client.session


def test_the_register_form_refuses_a_common_password(client, db):
    response = register(client, "password")

    assertContains(response, TOO_COMMON, status_code=400)
    assert not User.objects.filter(phone="13812345678").exists()


def test_the_register_form_with_a_good_password_creates_the_citizen_and_signs_them_in(client, db):
    response = register(client, "kexuepuji")

    assertRedirects(response, "/me/", fetch_redirect_response=False)
    assert User.objects.get(phone="13812345678").kind == "citizen"
    assertContains(client.get("/me/"), "138****5678")


def test_a_phone_number_with_full_width_digits_is_refused(client, db):
    """A full-width ８ would register a second account that looks just like 13812345678."""
    services.user_register_citizen(phone="13812345678", password="kexuepuji")

    response = client.post(
        "/accounts/register/",
        {"phone": "1381234567８", "password": "kexuepuji", "password2": "kexuepuji", "consent": "on"},
    )

    assertContains(response, "请输入 11 位中国大陆手机号", status_code=400)
    assert User.objects.filter(phone__startswith="138123456").count() == 1


# --- expiry ------------------------------------------------------------------------------------------


def days_later(days: int):
    """Travel to `days` after the personas set their passwords."""
    return time_machine.travel(timezone.now() + timedelta(days=days), tick=False)


@pytest.mark.parametrize("path", ["/console/", "/console/organisations/", "/console/news/"])
def test_a_staff_password_older_than_90_days_sends_every_console_page_to_the_change_form(client, personas, login, path):
    with days_later(91):
        login(client, personas.county_a)

        response = client.get(path)

        assertRedirects(response, "/accounts/password/?expired=1", fetch_redirect_response=False)
        assertContains(client.get(response["Location"]), EXPIRED_NOTICE)


def test_a_staff_password_of_89_days_still_opens_the_console(client, personas, login):
    with days_later(89):
        login(client, personas.county_a)

        assert client.get("/console/").status_code == 200


def test_after_changing_an_expired_password_the_console_opens(client, personas, login):
    # given county staff whose password is 91 days old
    with days_later(91):
        login(client, personas.county_a)

        # when they change it
        response = client.post(
            "/accounts/password/?expired=1",
            {"old_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )

        # then they land in the console, still signed in, and the change is audited
        assertRedirects(response, "/console/", fetch_redirect_response=False)
        assert client.get("/console/").status_code == 200
        assert client.get("/console/news/").status_code == 200
        assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGE, actor_id=personas.county_a.pk).exists()


def test_an_expired_password_cannot_be_replaced_by_a_weak_one(client, personas, login):
    with days_later(91):
        login(client, personas.county_a)

        response = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password": "kexue2026", "new_password2": "kexue2026"})

        assertContains(response, TOO_SHORT_STAFF, status_code=400)
        assertRedirects(client.get("/console/"), "/accounts/password/?expired=1", fetch_redirect_response=False)


def test_the_new_password_must_differ_from_the_old(client, personas, login):
    with days_later(91):
        login(client, personas.county_a)

        response = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password": PASSWORD, "new_password2": PASSWORD})

        assertContains(response, "新密码不能与原密码相同", status_code=400)


def test_changing_the_password_signs_out_the_users_other_sessions(personas, login):
    elsewhere = login(Client(), personas.county_a)
    here = login(Client(), personas.county_a)

    here.post("/accounts/password/", {"old_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert here.get("/console/").status_code == 200
    assert elsewhere.get("/console/")["Location"].startswith("/accounts/login/")


# The next two walk the real sign-in: the OTP page must open with an expired password, and the password page
# only after the second factor — else the two send the user to each other for ever.


def test_staff_with_an_expired_password_sign_in_pass_the_second_factor_and_change_it(client, personas, sign_in, totp_code):
    # given county_a has an authenticator, and their password is now 91 days old
    device = services.otp_device_create(user=personas.county_a)
    services.otp_device_confirm(device=device, token=totp_code(device))
    with days_later(91):
        # when they sign in with the password and open the console
        sign_in(client, "county_a")
        to_otp = client.get("/console/")
        assert to_otp["Location"].startswith("/accounts/otp/")

        # then they are asked for the code, and after it for a new password
        assertContains(client.get(to_otp["Location"]), "输入动态口令")
        after_code = client.post(to_otp["Location"], {"token": totp_code(device), "next": "/console/"}, follow=True)
        assertContains(after_code, EXPIRED_NOTICE)
        changed = client.post(
            "/accounts/password/", {"old_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
        assertRedirects(changed, "/console/")


def test_a_new_staff_account_with_a_temporary_password_can_enrol_and_sign_in(client, personas, sign_in, totp_code):
    # given the system admin created an account with a temporary password (as the console always does)
    services.user_create_staff(username="kpb_zhao", name="赵六", password="Temp-Pass-2026", temporary=True)

    # when the new colleague signs in, they are taken to enrolment
    sign_in(client, "kpb_zhao", "Temp-Pass-2026")
    enrolment = client.get("/console/", follow=True)
    assertContains(enrolment, "绑定动态口令")

    # and after enrolling, to the password change, and then into the console
    device = TOTPDevice.objects.get(user__username="kpb_zhao")
    after_code = client.post("/accounts/otp/", {"token": totp_code(device), "next": "/console/"}, follow=True)
    assertContains(after_code, EXPIRED_NOTICE)
    changed = client.post(
        "/accounts/password/", {"old_password": "Temp-Pass-2026", "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assertRedirects(changed, "/console/")


def test_a_temporary_password_must_be_changed_at_first_sign_in(client, personas, login):
    user = services.user_create_staff(username="kpb_zhao", name="赵六", password="Temp-Pass-2026", temporary=True)
    login(client, user)

    assertRedirects(client.get("/console/"), "/accounts/password/?expired=1", fetch_redirect_response=False)


def test_an_expired_staff_session_is_refused_by_the_api(client, personas, login):
    with days_later(91):
        login(client, personas.county_a)

        response = client.get("/api/v1/organisations")

        assert response.status_code == 401
        assert response.json()["code"] == "auth_required"


def test_citizen_passwords_do_not_expire(client, db, login):
    citizen = services.user_register_citizen(phone="13812345678", password="kexuepuji")

    with days_later(400):
        login(client, citizen)

        response = client.get("/me/")

        assert response.status_code == 200
        assertNotContains(response, EXPIRED_NOTICE)
