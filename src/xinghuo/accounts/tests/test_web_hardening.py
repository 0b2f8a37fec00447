"""CSRF protection with a Chinese failure page, and the security headers every page carries (CSP without
inline script, no framing, no MIME sniffing, a referrer policy), with cookies that scripts cannot read."""

import re

import pytest
from django.conf import settings
from django.test import Client
from pytest_django.asserts import assertContains
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db

CSRF_PAGE = "页面已过期或请求校验失败"


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


# --- CSRF --------------------------------------------------------------------------------------------


def test_a_login_post_without_a_csrf_token_gets_the_chinese_403_page(personas):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post("/accounts/login/", {"username": "county_a", "password": PASSWORD})

    assertContains(response, CSRF_PAGE, status_code=403)
    assertContains(response, "请返回上一页刷新后重新提交", status_code=403)
    assert "_auth_user_id" not in browser.session


def test_a_login_post_with_the_csrf_token_from_the_form_is_accepted(personas):
    browser = Client(enforce_csrf_checks=True)
    form = browser.get("/accounts/login/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)

    response = browser.post("/accounts/login/", {"username": "county_a", "password": PASSWORD, "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert browser.session["_auth_user_id"] == str(personas.county_a.pk)


def test_a_logout_post_from_another_site_does_not_sign_out(personas, login):
    browser = login(Client(enforce_csrf_checks=True), personas.citizen)

    response = browser.post("/accounts/logout/")

    assertContains(response, CSRF_PAGE, status_code=403)
    assert browser.get("/me/").status_code == 200


# --- headers -----------------------------------------------------------------------------------------


@pytest.fixture(
    params=[("/accounts/login/", None), ("/", None), ("/console/", "county_a"), ("/sysadmin/", "sysadmin")],
    ids=["login", "portal-home", "console", "django-admin"],
)
def page(request, client, login):
    path, persona = request.param
    if persona:
        login(client, getattr(request.getfixturevalue("personas"), persona))
    response = client.get(path)
    assert response.status_code == 200
    return response


def test_pages_carry_a_content_security_policy_without_inline_script(page):
    csp = csp_directives(page)

    assert csp["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp.get("script-src", csp["default-src"])
    assert "'unsafe-eval'" not in csp.get("script-src", csp["default-src"])
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]


def test_pages_hold_no_inline_script_or_style_that_the_policy_would_block(page):
    html = page.content.decode()

    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert re.findall(r"\son[a-z]+\s*=", html) == []  # onclick= and friends
    assert re.findall(r"<style\b|\sstyle\s*=", html) == []


def test_pages_refuse_framing_and_sniffing_and_limit_the_referrer(page):
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert page.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_session_and_csrf_cookies_are_out_of_reach_of_scripts(client, personas, sign_in):
    client.get("/accounts/login/")
    sign_in(client, "13912345678")

    session = client.cookies[settings.SESSION_COOKIE_NAME]
    csrf = client.cookies[settings.CSRF_COOKIE_NAME]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert csrf["httponly"] is True


def test_the_api_also_carries_the_headers(client):
    response = client.get("/api/v1/regions", {"within": "370902", "level": "county"})

    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert csp_directives(response)["default-src"] == ["'self'"]
