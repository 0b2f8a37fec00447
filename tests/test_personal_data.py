"""Personal data across the whole platform, on the demo data (`seed_demo --scale small`): no console page, export or
API answer that city or county staff can open shows a mobile number or an ID number in clear — the scan looks for
anything shaped like one, and for the known values of the demo's people (read from the database, decrypted). The
promoters' coverage figures are checked on the same data against a brute-force count."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.core.management import call_command

from tests.personas import login_client
from tests.routes import walk_urlpatterns
from xinghuo.accounts.models import User
from xinghuo.promoters import selectors as promoters
from xinghuo.promoters.models import PromoterArea
from xinghuo.regions.models import Region, RegionLevel
from xinghuo.talent.models import Person, PersonRole
from xinghuo.talks.models import TalkRequest

pytestmark = pytest.mark.django_db

# Not inside a longer run of letters and digits: a UUID's last group (12 hex digits) may end in eleven digits that look
# like a mobile number, and a certificate number's segments are no phone either.
MOBILE_SHAPE = re.compile(r"(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])")
ID_SHAPE = re.compile(r"(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCANNED = ("console/", "api/v1/")
#: GET routes without parameters that are not pages to scan (they act, or answer a file that holds no person)
SKIPPED = ("logout", "otp", "password", "switch", "token")


@pytest.fixture
def demo() -> None:
    call_command("seed_demo", "--scale", "small", "--quiet")


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith(XLSX):
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(" ".join(str(v) for v in row if v is not None) for ws in book.worksheets for row in ws.iter_rows(values_only=True))
    return content.decode("utf-8", "replace")


def _clear_values() -> set[str]:
    values: set[str] = set()
    for person in Person.unscoped.all():
        values |= {v for v in (person.phone, person.id_number, person.guardian_phone) if v}
    values |= set(TalkRequest.unscoped.values_list("contact_phone", flat=True))
    return values


def _pages() -> list[str]:
    pages = [
        "/" + route.pattern
        for route in walk_urlpatterns()
        if not route.params and route.pattern.startswith(SCANNED) and not any(word in route.pattern for word in SKIPPED)
    ]
    for person in Person.unscoped.filter(roles__isnull=False).distinct().order_by("id")[:8]:
        pages += [f"/console/talent/{person.uid}/", f"/console/talent/{person.uid}/edit/", f"/console/promoters/people/{person.uid}/",
                  f"/console/talks/experts/{person.uid}/"]  # fmt: skip
    pages += [f"/console/talks/{talk.uid}/" for talk in TalkRequest.unscoped.order_by("id")[:5]]
    return pages


def test_no_console_page_export_or_api_answer_shows_a_phone_or_id_number_in_clear(client, demo):
    clear = _clear_values()
    assert len(clear) > 50  # the demo's people have phones and ID numbers to leak
    problems, scanned = [], 0
    for login in ("kepu", "taishan"):
        login_client(client, User.objects.get(username=login))
        for url in _pages():
            response = client.get(url)
            if response.status_code != 200:
                continue
            scanned += 1
            text = _text(response)
            problems += [f"{login} {url}: {value}" for value in MOBILE_SHAPE.findall(text) + ID_SHAPE.findall(text)]
            problems += [f"{login} {url}: a known value in clear" for value in clear if value in text]
    assert scanned > 60
    assert problems == []


def test_the_promoters_coverage_matches_a_brute_force_count_on_the_demo_data(demo):
    serving = {r.person_id for r in PersonRole.unscoped.all() if r.kind == "promoter" and r.status == "active"}
    covered = {a.village_id for a in PromoterArea.unscoped.all() if a.ended_on is None and a.person_id in serving}
    city = Region.objects.get(level=RegionLevel.CITY)
    villages = list(Region.objects.filter(level=RegionLevel.VILLAGE))

    figures = promoters.coverage(within=city)

    assert figures.total.covered == len(covered) > 0
    assert figures.total.villages == len(villages)
    for row in figures.rows:
        mine = [v.pk for v in villages if v.county_id == row.region.pk]
        assert (row.villages, row.covered) == (len(mine), len(covered.intersection(mine)))
    assert list(promoters.uncovered_villages(within=city).values_list("pk", flat=True)) == [
        v.pk for v in sorted(villages, key=lambda v: v.code) if v.pk not in covered
    ]
