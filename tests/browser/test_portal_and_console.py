"""Key journeys in a real browser on a phone-sized screen: the portal in Chinese, large text, console login."""

import re

import pytest
from django_otp.oath import totp

from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, make_staff
from xinghuo.accounts.roles import Role
from xinghuo.organisations.models import Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_portal_opens_in_chinese_on_a_phone_and_switches_to_large_text(phone, live_server):
    phone.goto(live_server.url + "/")

    assert phone.locator("html").get_attribute("lang") == "zh-CN"
    assert phone.get_by_role("heading", name=re.compile("星火科普")).is_visible()
    for key in ("map", "activities", "classroom", "quiz"):
        assert phone.get_by_test_id(f"entrance-{key}").is_visible()
    assert phone.locator(".xh-tabbar").is_visible()  # the bottom tab bar of the phone layout
    normal = phone.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    screenshot(phone, "portal-phone")

    phone.get_by_test_id("large-text").click()
    phone.wait_for_load_state()

    assert "xh-large" in (phone.locator("html").get_attribute("class") or "")
    large = phone.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert large >= normal * 1.2
    assert phone.get_by_test_id("large-text").inner_text().strip() == "标准字号"
    screenshot(phone, "portal-phone-large-text")


def test_staff_log_into_the_console_with_a_second_factor(phone, live_server):
    make_staff("taishan_staff", Organisation.unscoped.get(code="KX370902"), Role.COUNTY_STAFF)

    phone.goto(live_server.url + "/console/")
    assert "/accounts/login/" in phone.url
    phone.get_by_label("用户名或手机号").fill("taishan_staff")
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()

    # First sign-in: enrol the authenticator by its secret, then enter the current code.
    phone.wait_for_url(re.compile(r"/accounts/otp/"))
    secret = phone.get_by_test_id("otp-secret").inner_text().strip()
    screenshot(phone, "console-otp-enrolment")
    from base64 import b32decode

    key = b32decode(secret + "=" * (-len(secret) % 8))
    phone.get_by_label("动态口令").fill(f"{totp(key):06d}")
    phone.get_by_role("button", name="验证").click()

    phone.wait_for_url(re.compile(r"/console/$"))
    assert phone.get_by_role("heading", name="工作台").is_visible()
    assert "泰山区" in phone.get_by_test_id("acting-as").inner_text()
    screenshot(phone, "console-home-phone")


def test_a_wrong_password_is_answered_in_chinese_and_signs_nobody_in(phone, live_server):
    phone.goto(live_server.url + "/accounts/login/")
    phone.get_by_label("用户名或手机号").fill("nobody")
    phone.get_by_label("密码").fill("wrong-password")
    phone.get_by_role("button", name="登录").click()

    assert phone.get_by_test_id("login-error").inner_text() == "用户名（手机号）或密码不正确"
    assert "/accounts/login/" in phone.url
