"""The cloud map on a phone with the tile server unreachable: markers and the list still show the venues."""

import re

import pytest

from tests.browser.conftest import screenshot
from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region
from xinghuo.venues.models import Audience, VenueStatus, VenueType
from xinghuo.venues.services import map_changed, venue_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOURS = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def make_venues():
    operator = Organisation.unscoped.get(code="KX370902")
    towns = list(Region.objects.filter(county__code="370902", level="town").order_by("code")[:4])
    for i, town in enumerate(towns):
        venue_create(
            operator=operator, region=town, status=VenueStatus.CERTIFIED, name=f"{town.name}新能源星火科技馆",
            venue_type=VenueType.SPARK_HALL, subtype="new_technology", address=f"泰山区{town.name}1号",
            lat=36.18 + i * 0.01, lon=117.10 + i * 0.01, opening_hours=HOURS, audiences=[Audience.YOUTH],
        )  # fmt: skip
        venue_create(
            operator=operator, region=town, status=VenueStatus.CERTIFIED, name=f"{town.name}党群服务中心星火科普服务站",
            venue_type=VenueType.SPARK_STATION, subtype="party_service_center", address=f"泰山区{town.name}2号",
            lat=36.17 + i * 0.01, lon=117.12 + i * 0.01, opening_hours=HOURS, audiences=[Audience.ELDERLY],
        )  # fmt: skip
    map_changed()


def test_the_map_shows_a_filter_as_markers_and_as_a_list_without_tiles(phone, live_server, settings):
    settings.MAP_TILES = "tianditu"  # the tile server is configured, but this network cannot reach it
    settings.TIANDITU_KEY = "test-key"
    make_venues()
    tile_requests = []
    phone.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1)"), lambda route: (tile_requests.append(route.request.url), route.abort()))
    broken = []
    phone.on("response", lambda r: broken.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    phone.goto(live_server.url + "/map/?type=spark_hall")
    phone.wait_for_selector("#xh-map[data-markers]", state="attached")

    assert phone.get_attribute("#xh-map", "data-markers") == "4"
    items = phone.get_by_test_id("venue-list").locator("li")
    assert items.count() == 4
    assert all("星火科技馆" in items.nth(i).inner_text() for i in range(4))
    assert "共 4 处" in phone.get_by_test_id("venue-count").inner_text()
    phone.get_by_test_id("tiles-failed").wait_for(state="visible")
    assert tile_requests, "the page asked the (unreachable) tile server for tiles"
    assert phone.locator(".leaflet-marker-icon, .marker-cluster").count() >= 1
    assert broken == []  # every image the page asks for (marker icons at 2x on a phone included) is served
    screenshot(phone, "map-phone-no-tiles")

    phone.get_by_test_id("venue-list").locator("a").first.click()
    phone.wait_for_url(re.compile(r"/v/XH-KJG-370902-\d{4}/$"))
    assert "认定有效" in phone.get_by_test_id("plaque-status").inner_text()
    assert phone.get_by_test_id("venue-qr").is_visible()


def test_a_citizen_books_a_slot_on_a_phone_and_the_operator_sees_it(phone, staff_page, live_server):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import PASSWORD, CitizenFactory, make_staff
    from xinghuo.accounts.roles import Role
    from xinghuo.venues.booking import slot_create
    from xinghuo.venues.models import Venue

    make_venues()
    hall = Venue.unscoped.filter(venue_type=VenueType.SPARK_HALL).order_by("code").first()
    start = timezone.localtime() + timedelta(days=3)
    slot_create(venue=hall, starts_at=start, ends_at=start + timedelta(hours=2), capacity=30)
    CitizenFactory(phone="13700001234", name="王芳")
    operator = make_staff("taishan_op", Organisation.unscoped.get(code="KX370902"), Role.COUNTY_STAFF)

    # The citizen signs in with a phone number, finds the venue and books two seats
    phone.goto(live_server.url + "/accounts/login/?next=/v/" + hall.code + "/")
    phone.get_by_label("用户名或手机号").fill("13700001234")
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(re.compile(rf"/v/{hall.code}/$"))
    phone.get_by_test_id("book-slot").first.click()
    phone.get_by_label("人数").fill("2")
    phone.get_by_label("联系电话").fill("13700001234")
    phone.get_by_role("button", name="确认预约").click()
    phone.wait_for_url(re.compile(r"/me/bookings/$"))
    assert hall.name in phone.get_by_test_id("my-booking").first.inner_text()
    screenshot(phone, "booking-my-bookings-phone")

    # The operator's console lists the booking, the phone masked
    console = staff_page(operator)
    console.goto(live_server.url + "/console/venues/bookings/")
    row = console.get_by_test_id("booking-row").first
    assert hall.name in row.inner_text()
    assert "137****1234" in row.inner_text()
    screenshot(console, "booking-console")


def test_staff_pick_a_venues_coordinates_on_the_map(staff_page, live_server):
    """The console's venue form: a tap on the map fills latitude and longitude (WGS-84), with no tiles at all."""

    from tests.factories import make_staff
    from xinghuo.accounts.roles import Role

    page = staff_page(make_staff("taishan_picker", Organisation.unscoped.get(code="KX370902"), Role.COUNTY_STAFF))
    page.goto(live_server.url + "/console/venues/new/")
    page.wait_for_selector("#xh-picker[data-ready]", state="attached")
    assert page.input_value("#id_lat") == ""

    page.locator("#xh-picker").click(position={"x": 200, "y": 120})

    lat, lon = float(page.input_value("#id_lat")), float(page.input_value("#id_lon"))
    assert 35.0 < lat < 37.5  # around the city's centre, where the picker opens
    assert 116.0 < lon < 118.5
    assert page.locator("#xh-picker path.leaflet-interactive").count() == 1  # the picked point is marked
    screenshot(page, "venue-coordinate-picker")
