"""No phone or ID number in clear anywhere the registry shows people — every page, the export, the import report,
the API and the audit trail — except the one audited reveal. The scan looks for the known values and for anything
shaped like a mobile number or an ID number."""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest

from xinghuo.core.models import AuditEvent
from xinghuo.talent.models import RoleKind
from xinghuo.talent.tests.conftest import CHILD_ID, GUARDIAN_PHONE, ID_A, ID_B, PHONE_A, PHONE_B, png
from xinghuo.talent.tests.test_import import upload, workbook

pytestmark = pytest.mark.django_db

CLEAR = (PHONE_A, PHONE_B, GUARDIAN_PHONE, ID_A, ID_B, CHILD_ID)
MOBILE_SHAPE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
ID_SHAPE = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9Xx])")


def _xlsx_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(" ".join(str(v) for v in row if v is not None) for ws in book.worksheets for row in ws.iter_rows(values_only=True))


def _problems(where: str, text: str) -> list[str]:
    found = [f"{where}: {value} in clear" for value in CLEAR if value in text]
    found += [f"{where}: a mobile number {m}" for m in MOBILE_SHAPE.findall(text)]
    found += [f"{where}: an ID number {m}" for m in ID_SHAPE.findall(text)]
    return found


def test_no_page_export_api_response_or_audit_record_shows_a_phone_or_id_number_in_clear(client, login, personas, cast):
    adult = cast.enter(roles=[RoleKind.EXPERT, RoleKind.VOLUNTEER], photo=png())
    child = cast.enter(name="王小明", phone="", id_number=CHILD_ID, guardian_name="王建国", guardian_phone=GUARDIAN_PHONE,
                       guardian_consent=True, roles=[RoleKind.VOLUNTEER])  # fmt: skip
    other = cast.enter_b(roles=[RoleKind.PROMOTER])
    problems: list[str] = []
    for persona in (personas.city_staff, personas.county_a):
        login(client, persona)
        pages = ["/console/talent/", "/console/talent/?role=volunteer", "/console/talent/?q=王", "/console/talent/new/",
                 "/console/talent/import/", "/console/", "/api/v1/talent/people?page_size=100"]  # fmt: skip
        for person in (adult, child, other):
            pages += [f"/console/talent/{person.uid}/", f"/console/talent/{person.uid}/edit/"]
        for url in pages:
            response = client.get(url)
            if response.status_code == 404 and persona == personas.county_a and str(other.uid) in url:
                continue
            assert response.status_code == 200, url
            problems += _problems(f"{persona.username} {url}", response.content.decode())
        export = client.get("/console/talent/export/")
        problems += _problems(f"{persona.username} export", _xlsx_text(b"".join(export.streaming_content)))
        template = client.get("/console/talent/import/template/")
        problems += _problems(f"{persona.username} template", _xlsx_text(template.content))
    # an import whose rows repeat people already registered: the report names the problem, never the numbers
    login(client, personas.county_a)
    report = client.post("/console/talent/import/", {"file": upload(workbook([
        {"name": "王建国", "id_number": ID_A, "phone": PHONE_A, "region": "370902001"},
        {"name": "坏号码", "id_number": ID_A[:-1] + ("1" if ID_A[-1] != "1" else "2"), "phone": PHONE_B[:-1], "region": "370902001"},
    ]))})  # fmt: skip
    assert report.status_code == 400
    problems += _problems("import report", report.content.decode())
    # the audit trail: every record the registry wrote
    for event in AuditEvent.objects.filter(object_type__startswith="talent."):
        problems += _problems(
            f"audit {event.action} {event.object_type}", json.dumps(event.changes, ensure_ascii=False) + event.object_repr
        )

    assert problems == []
    assert AuditEvent.objects.filter(object_type="talent.person").exists()  # the trail was scanned, not empty
