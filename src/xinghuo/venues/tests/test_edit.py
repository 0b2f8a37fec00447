"""Editing a venue in the console and its photos: the same checks as a new venue, photos re-encoded without
their metadata and served on the public page of listed venues only; another county gets 404 throughout."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from xinghuo.venues.models import Venue, VenuePhoto

pytestmark = pytest.mark.django_db


def jpeg_with_gps(name: str = "现场.jpg", size: tuple[int, int] = (2400, 1800)) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 30, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (36.0, 11.0, 0.0)}  # GPS: where the photo was taken
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def form_of(venue: Venue, **changes) -> dict:
    data = {
        "name": venue.name, "venue_type": venue.venue_type, "subtype": venue.subtype, "operator": str(venue.operator.uid),
        "region": venue.region.code, "address": venue.address, "lat": venue.lat, "lon": venue.lon,
        "hours": "周二至周日 09:00-17:00", "capacity": venue.capacity, "audiences": venue.audiences,
        "contact_name": venue.contact_name, "contact_phone": venue.contact_phone,
    }  # fmt: skip
    return {**data, **changes}


def test_county_staff_edit_their_venue_with_the_same_checks(client, login, personas, make_venue):
    venue = make_venue(name="岱庙科普馆")
    login(client, personas.county_a)
    page = client.get(f"/console/venues/{venue.uid}/").content.decode()
    assert "周一至周日 09:00-17:00" in page  # the weekly pattern as text to edit
    assert "138****5678" in page
    assert "13812345678" not in page  # the contact number is shown masked, even to edit

    bad = client.post(f"/console/venues/{venue.uid}/", form_of(venue, hours="每天都开"))
    assert bad.status_code == 400
    assert "看不懂" in bad.content.decode()
    assert Venue.unscoped.get(pk=venue.pk).opening_hours["mon"] == [["09:00", "17:00"]]

    response = client.post(f"/console/venues/{venue.uid}/", form_of(venue, name="岱庙青少年科普馆", contact_phone="138****5678"))
    assert response.status_code == 302
    saved = Venue.unscoped.get(pk=venue.pk)
    assert saved.name == "岱庙青少年科普馆"
    assert saved.contact_phone == "13812345678"  # the masked value sent back keeps the number
    assert "mon" not in saved.opening_hours


def test_photos_are_re_encoded_without_metadata_and_shown_on_the_public_page(client, login, personas, make_venue):
    venue = make_venue(name="泰山地质科普馆")
    login(client, personas.county_a)
    response = client.post(f"/console/venues/{venue.uid}/photos/", {"image": jpeg_with_gps(), "caption": "展厅"})
    assert response.status_code == 302
    photo = VenuePhoto.unscoped.get(venue=venue)
    with photo.image.open("rb") as handle, Image.open(handle) as stored:
        assert max(stored.size) == 1600
        assert not stored.getexif()  # no maker, no GPS position

    client.logout()
    public = client.get(f"/v/{venue.code}/").content.decode()
    assert f"/v/{venue.code}/photos/{photo.uid}.jpg" in public
    image = client.get(f"/v/{venue.code}/photos/{photo.uid}.jpg")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/jpeg"
    assert b"".join(image.streaming_content)[:2] == b"\xff\xd8"  # a JPEG


def test_a_file_that_is_not_an_image_is_refused(client, login, personas, make_venue):
    venue = make_venue()
    login(client, personas.county_a)
    response = client.post(f"/console/venues/{venue.uid}/photos/", {"image": SimpleUploadedFile("x.jpg", b"not a picture at all")})
    assert response.status_code == 400
    assert "图片" in response.content.decode()
    assert not VenuePhoto.unscoped.exists()


def test_drafts_photos_have_no_public_address_and_other_counties_see_nothing(client, login, personas, make_venue):
    draft = make_venue(status="draft")
    login(client, personas.county_a)
    client.post(f"/console/venues/{draft.uid}/photos/", {"image": jpeg_with_gps(size=(64, 48))})
    photo = VenuePhoto.unscoped.get(venue=draft)
    own = client.get(f"/console/venues/photos/{photo.uid}/")
    assert own.status_code == 200
    assert b"".join(own.streaming_content)  # read to the end: the test client then closes the file (and not the test's database connection)

    login(client, personas.county_b)
    assert client.get(f"/console/venues/{draft.uid}/").status_code == 404
    assert client.get(f"/console/venues/photos/{photo.uid}/").status_code == 404
    assert client.post(f"/console/venues/photos/{photo.uid}/delete/").status_code == 404
    client.logout()
    assert client.get(f"/v/XH-0/photos/{photo.uid}.jpg").status_code == 404
    assert VenuePhoto.unscoped.filter(pk=photo.pk).exists()


def test_a_coded_venue_keeps_its_type(client, login, personas, make_venue):
    venue = make_venue(name="泰山新能源星火科技馆", status="certified")
    login(client, personas.county_a)
    response = client.post(f"/console/venues/{venue.uid}/", form_of(venue, venue_type="spark_station", subtype="party_service_center"))
    assert response.status_code == 400
    assert "不能修改类型" in response.content.decode()
    assert Venue.unscoped.get(pk=venue.pk).venue_type == "spark_hall"
