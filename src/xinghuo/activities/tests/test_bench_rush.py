"""The load benchmark's sign-up rush preparation (`manage.py prepare_signup_rush`): one published activity with the
seats asked for, citizens whose sessions and CSRF tokens sign a browser-like client in and let it sign up, and a
second run that starts the rush again from an empty activity with fresh sessions."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from xinghuo.accounts.models import User, UserKind
from xinghuo.activities.models import Activity, ActivityStatus, Registration, RegistrationStatus
from xinghuo.activities.rush import PHONE_PREFIX, TITLE

pytestmark = pytest.mark.django_db


def prepare(path, *, people: int = 5, seats: int = 3) -> dict:
    call_command("prepare_signup_rush", people=people, seats=seats, staff="city_staff", out=path, stdout=StringIO())
    return json.loads(path.read_text())


def browser(data: dict, person: dict) -> Client:
    """A client that holds the person's cookies and, like a browser, must pass the CSRF check."""
    client = Client(enforce_csrf_checks=True)
    client.cookies[data["session_cookie"]] = person["session"]
    client.cookies[data["csrf_cookie"]] = person["csrf_cookie"]
    return client


def sign_up(data: dict, person: dict):
    return browser(data, person).post(data["register_path"], {"seats": 1, "csrfmiddlewaretoken": person["csrf_token"]})


def test_makes_a_published_activity_with_the_seats_and_signed_in_citizens(personas, tmp_path):
    # given / when
    data = prepare(tmp_path / "rush.json", people=5, seats=3)
    # then
    activity = Activity.unscoped.get(uid=data["activity"])
    assert (activity.title, activity.status, activity.capacity, activity.seats_taken) == (TITLE, ActivityStatus.PUBLISHED, 3, 0)
    assert data["capacity"] == 3
    assert len(data["people"]) == 5
    phones = [p["phone"] for p in data["people"]]
    assert all(phone.startswith(PHONE_PREFIX) for phone in phones)
    assert len(set(phones)) == 5
    users = User.objects.filter(phone__in=phones)
    assert {u.kind for u in users} == {UserKind.CITIZEN}
    assert not any(u.has_usable_password() for u in users)
    page = browser(data, data["people"][0]).get(data["detail_path"])
    assert page.status_code == 200
    assert data["register_path"].encode() in page.content  # the sign-up form: shown to a signed-in citizen only
    assert (tmp_path / "rush.json").stat().st_mode & 0o777 == 0o600


def test_the_sessions_sign_up_and_the_seats_fill_then_the_line(personas, tmp_path):
    # given
    data = prepare(tmp_path / "rush.json", people=5, seats=3)
    # when
    answers = [sign_up(data, person) for person in data["people"]]
    again = sign_up(data, data["people"][0])
    # then
    assert [a.status_code for a in answers] == [302] * 5
    assert {a["Location"] for a in answers} == {data["mine_path"]}
    assert again.status_code == 302
    assert again["Location"] == data["detail_path"]
    statuses = list(Registration.unscoped.filter(activity__uid=data["activity"]).values_list("status", flat=True))
    assert sorted(statuses) == sorted([RegistrationStatus.CONFIRMED] * 3 + [RegistrationStatus.WAITLISTED] * 2)


def test_a_second_run_empties_the_activity_and_replaces_the_sessions(personas, tmp_path):
    # given a first rush that took seats
    path = tmp_path / "rush.json"
    first = prepare(path, people=3, seats=2)
    for person in first["people"]:
        sign_up(first, person)
    # when
    second = prepare(path, people=3, seats=2)
    # then the same activity, empty, and the same citizens, with new sessions only
    assert second["activity"] == first["activity"]
    activity = Activity.unscoped.get(uid=second["activity"])
    assert activity.seats_taken == 0
    assert not Registration.unscoped.filter(activity=activity).exists()
    assert User.objects.filter(phone__startswith=PHONE_PREFIX).count() == 3
    old, new = first["people"][0], second["people"][0]
    assert old["session"] != new["session"]
    assert browser(first, old).get(first["mine_path"]).status_code == 302  # signed out: to the login page
    assert browser(second, new).get(second["mine_path"]).status_code == 200
    assert sign_up(second, new)["Location"] == second["mine_path"]


def test_needs_a_staff_member_who_may_publish(personas, tmp_path):
    with pytest.raises(CommandError):
        call_command("prepare_signup_rush", people=1, seats=1, staff="nobody", out=tmp_path / "rush.json")
    with pytest.raises(CommandError):  # a reviewer may not file activities
        call_command("prepare_signup_rush", people=1, seats=1, staff="reviewer", out=tmp_path / "rush.json")
