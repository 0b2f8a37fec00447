"""Issue 4's check-in on real browsers: a citizen finds an activity on the public calendar on a phone, signs in,
signs up and sees the QR of the registration on 我的活动; a staff member checks the code in by the manual form."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, CitizenFactory, make_staff
from xinghuo.accounts.actor import actor_for
from xinghuo.accounts.roles import Role
from xinghuo.activities import services
from xinghuo.activities.models import Activity, Brand, Format, Level, Registration, RegistrationStatus
from xinghuo.core.scoping import scope
from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "青少年无人机科普体验课"


def published_activity(filer, approver) -> Activity:
    """A grassroots activity of 泰山区 starting in half an hour: sign-up still open, check-in already open."""
    start = (timezone.now() + timedelta(minutes=30)).replace(second=0, microsecond=0)
    with scope(**filer.scope_kwargs()):
        activity = services.activity_create(
            actor=filer, organiser=filer.organisation, title=TITLE, brand=Brand.objects.get(code="free"), level=Level.GRASSROOTS,
            format=Format.OFFLINE, region=Region.objects.get(code="370902001"), address="岱庙街道社区活动中心", starts_at=start,
            ends_at=start + timedelta(hours=2), audiences=["youth"], topics=["health"], capacity=30,
        )  # fmt: skip
    services.activity_submit(actor=filer, activity=activity)
    return services.activity_review(actor=approver, activity=activity, approve=True)


def test_a_citizen_signs_up_on_a_phone_shows_the_qr_and_staff_check_the_code_in(phone, staff_page, live_server):
    org = Organisation.unscoped.get(code="KX370902")
    filer_user = make_staff("checkin_filer", org, Role.COUNTY_STAFF)
    approver = actor_for(make_staff("checkin_approver", org, Role.COUNTY_STAFF))
    activity = published_activity(actor_for(filer_user), approver)
    CitizenFactory(phone="13700005678", name="李明")
    outside, qr_answers = [], []
    phone.on(
        "request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) and not r.url.startswith("data:") else None
    )
    phone.on("response", lambda r: qr_answers.append(r.status) if r.url.endswith("qr.svg") else None)

    # The public calendar lists the activity; its page asks a visitor to sign in first
    phone.goto(live_server.url + "/activities/")
    phone.get_by_test_id("calendar").get_by_role("link", name=TITLE).click()
    phone.wait_for_url(re.compile(rf"/activities/{activity.uid}/$"))
    phone.get_by_role("link", name="登录后报名").click()
    phone.get_by_label("用户名或手机号").fill("13700005678")
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(re.compile(rf"/activities/{activity.uid}/$"))

    # Signs up and finds the QR and the code on 我的活动
    phone.get_by_role("button", name="提交报名").click()
    phone.wait_for_url(re.compile(r"/me/activities/$"))
    registration = Registration.unscoped.get(activity=activity, user__phone="13700005678")
    assert registration.status == RegistrationStatus.CONFIRMED
    entry = phone.get_by_test_id("my-registration").first
    assert entry.get_by_test_id("code").inner_text() == registration.code
    image = entry.get_by_test_id("checkin-qr").locator("img")
    assert image.get_attribute("src").endswith(f"/me/activities/{registration.uid}/qr.svg")
    phone.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert qr_answers == [200]
    screenshot(phone, "activity-my-activities-qr-phone")

    # Staff at the door type the code into the check-in page (the fallback that always works)
    console = staff_page(filer_user)
    console.goto(live_server.url + f"/console/activities/{activity.uid}/checkin/")
    console.get_by_label("签到码").fill(registration.code.lower())
    console.get_by_role("button", name="签到", exact=True).click()
    console.get_by_text("签到成功").wait_for()
    assert "已签到 1/1 份" in console.get_by_test_id("checkin-counts").inner_text()
    screenshot(console, "activity-checkin-console")

    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert registration.checked_in_by == filer_user
    assert outside == []


def test_on_a_phone_the_month_grid_counts_a_day_and_the_day_opens_its_list(phone, live_server):
    org = Organisation.unscoped.get(code="KX370902")
    filer = actor_for(make_staff("month_filer", org, Role.COUNTY_STAFF))
    approver = actor_for(make_staff("month_approver", org, Role.COUNTY_STAFF))
    activity = published_activity(filer, approver)
    day = timezone.localtime(activity.starts_at).date()

    phone.goto(live_server.url + "/activities/")
    phone.get_by_test_id("month-view").click()
    cell = phone.locator(f'[data-date="{day.isoformat()}"]')
    assert cell.get_by_test_id("day-count").inner_text() == "1"
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # the grid fits the phone
    screenshot(phone, "activities-month-phone")
    cell.get_by_role("link").first.click()

    phone.wait_for_url(re.compile(rf"since={day.isoformat()}&until={day.isoformat()}"))
    assert phone.get_by_test_id("calendar").get_by_role("link", name=TITLE).is_visible()
