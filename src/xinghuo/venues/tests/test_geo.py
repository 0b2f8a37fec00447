"""Geometry for the map: great-circle distances, and the WGS-84 ↔ GCJ-02 shift for AMap-style tiles."""

from __future__ import annotations

import math

import pytest

from xinghuo.venues.geo import EARTH_RADIUS_M, gcj02_to_wgs84, haversine_m, wgs84_to_gcj02

TAIAN = (36.20, 117.09)
JINAN = (36.65, 117.12)
PLACES_IN_CHINA = [
    pytest.param(36.20, 117.09, id="taian"),
    pytest.param(36.2566, 117.1009, id="taishan-summit"),
    pytest.param(35.91, 117.77, id="xintai"),
    pytest.param(35.94, 116.47, id="dongping"),
    pytest.param(39.9042, 116.4074, id="beijing"),
    pytest.param(22.5431, 114.0579, id="shenzhen"),
    pytest.param(43.8256, 87.6168, id="urumqi"),
]
PLACES_ABROAD = [
    pytest.param(48.8566, 2.3522, id="paris"),
    pytest.param(40.7128, -74.0060, id="new-york"),
    pytest.param(-33.8688, 151.2093, id="sydney"),
    pytest.param(35.6762, 139.6503, id="tokyo"),  # just east of the box the published algorithm uses
    pytest.param(55.9, 37.6, id="moscow"),
]


def test_taian_to_jinan_is_about_fifty_kilometres():
    assert haversine_m(*TAIAN, *JINAN) == pytest.approx(50_000, rel=0.01)


def test_a_degree_of_latitude_is_the_arc_of_a_degree():
    assert haversine_m(36.0, 117.0, 37.0, 117.0) == pytest.approx(EARTH_RADIUS_M * math.pi / 180, rel=1e-9)


def test_distance_is_zero_to_itself_and_symmetric():
    assert haversine_m(*TAIAN, *TAIAN) == 0
    assert haversine_m(*TAIAN, *JINAN) == haversine_m(*JINAN, *TAIAN)


def test_distance_to_the_antipode_is_half_the_circumference():
    assert haversine_m(36.2, 117.09, -36.2, 117.09 - 180) == pytest.approx(math.pi * EARTH_RADIUS_M, rel=1e-9)


def test_a_degree_of_longitude_shrinks_with_latitude():
    at_equator = haversine_m(0, 117, 0, 118)
    at_taian = haversine_m(36.2, 117, 36.2, 118)

    assert at_taian == pytest.approx(at_equator * math.cos(math.radians(36.2)), rel=1e-3)


def test_the_gcj02_shift_in_taian_is_a_few_hundred_metres_to_the_east():
    lat, lon = wgs84_to_gcj02(*TAIAN)

    assert 300 < haversine_m(*TAIAN, lat, lon) < 800
    assert lon > TAIAN[1]  # in Shandong the published offset moves points east (and a little north)


@pytest.mark.parametrize(("lat", "lon"), PLACES_IN_CHINA)
def test_gcj02_to_wgs84_inverts_the_shift_to_under_a_metre(lat, lon):
    shifted = wgs84_to_gcj02(lat, lon)

    assert haversine_m(lat, lon, *shifted) > 50  # there is a shift to undo
    assert haversine_m(lat, lon, *gcj02_to_wgs84(*shifted)) < 1


@pytest.mark.parametrize(("lat", "lon"), PLACES_ABROAD)
def test_outside_china_coordinates_are_unchanged(lat, lon):
    assert wgs84_to_gcj02(lat, lon) == (lat, lon)
    assert gcj02_to_wgs84(lat, lon) == (lat, lon)
