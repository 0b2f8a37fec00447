"""Session limits: a staff session ends after 30 idle minutes and 12 hours after sign-in however active it
is; then the console sends the user back to the login page. A citizen's session outlasts both."""

from datetime import timedelta
from importlib import import_module

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from pytest_django.asserts import assertContains, assertRedirects

pytestmark = pytest.mark.django_db

IDLE_MESSAGE = "您已超过 30 分钟未操作，为保护账号安全已自动退出，请重新登录"
ABSOLUTE_MESSAGE = "登录已满 12 小时，为保护账号安全请重新登录"


def session_exists(key: str) -> bool:
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def stay_active(client, clock, *, hours: int, every: timedelta = timedelta(minutes=25)) -> None:
    """Open a console page every `every` (less than the idle limit) for `hours`."""
    worked = timedelta()
    while worked + every < timedelta(hours=hours):
        clock.shift(every)
        worked += every
        assert client.get("/console/").status_code == 200, f"signed out after {worked}"


def test_a_staff_session_survives_29_idle_minutes(client, personas, login, clock):
    login(client, personas.county_a)

    clock.shift(timedelta(minutes=29))

    assert client.get("/console/").status_code == 200


def test_activity_keeps_a_staff_session_alive_past_30_minutes(client, personas, login, clock):
    login(client, personas.county_a)

    stay_active(client, clock, hours=2)

    assert client.get("/console/").status_code == 200


def test_a_staff_session_ends_after_30_idle_minutes(client, personas, login, clock):
    login(client, personas.county_a)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value

    clock.shift(timedelta(minutes=30, seconds=1))
    response = client.get("/console/", follow=True)

    assertRedirects(response, "/accounts/login/?next=/console/")
    assertContains(response, IDLE_MESSAGE)
    assert not session_exists(key)


def test_a_staff_session_ends_12_hours_after_sign_in_however_active(client, personas, login, clock):
    login(client, personas.county_a)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    stay_active(client, clock, hours=12)

    clock.shift(timedelta(minutes=25))  # 12 h 05 min after sign-in, 25 min after the last page
    response = client.get("/console/", follow=True)

    assertRedirects(response, "/accounts/login/?next=/console/")
    assertContains(response, ABSOLUTE_MESSAGE)
    assert not session_exists(key)


@pytest.mark.parametrize("later", [timedelta(minutes=31), timedelta(hours=13)], ids=["31-minutes", "13-hours"])
def test_a_citizen_session_survives_idle_time(client, personas, sign_in, clock, later):
    sign_in(client, "13912345678")

    clock.shift(later)

    assert client.get("/me/").status_code == 200
