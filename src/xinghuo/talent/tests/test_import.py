"""Entering people from Excel: the template downloads, a good file enters everyone with their roles, and a file with
any bad row enters nobody and says, row by row, what is wrong — a bad phone, a bad check digit, a region that does
not exist, the same ID number twice in the file or already in the registry."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xinghuo.core import id_numbers
from xinghuo.core.models import AuditAction, AuditEvent
from xinghuo.regions.models import Region
from xinghuo.talent.importer import COLUMNS
from xinghuo.talent.models import Person, PersonRole
from xinghuo.talent.tests.conftest import CHILD_ID, DAIMIAO, GUARDIAN_PHONE, ID_A

pytestmark = pytest.mark.django_db

BORN = id_numbers.birth_date(ID_A)


def workbook(rows: list[dict[str, Any]]) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append([c.title for c in COLUMNS])
    for row in rows:
        ws.append([row.get(c.key, "是" if c.key == "consent" else None) for c in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("人员.xlsx", content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _id(sequence: int) -> str:
    return id_numbers.make("370902", BORN, sequence)


GOOD = [
    {"name": "孙立新", "id_number": _id(11), "phone": "13712345001", "region": DAIMIAO, "fields": "农业、生态环境", "roles": "科技志愿者、星火科普宣传员"},
    {"name": "周敏", "id_number": _id(12), "phone": 13712345002, "region": "岱庙街道", "organisation": "KX370902", "title": "科普干事"},
    {"name": "王小明", "id_number": CHILD_ID, "region": DAIMIAO, "guardian_name": "王建国", "guardian_phone": GUARDIAN_PHONE, "roles": "科技志愿者"},
]  # fmt: skip


def _post(client, rows: list[dict[str, Any]], **extra: str):
    return client.post("/console/talent/import/", {"file": upload(workbook(rows)), **extra})


def test_the_template_has_every_column(client, login, personas):
    login(client, personas.county_a)

    response = client.get("/console/talent/import/template/")

    header = [c.value for c in openpyxl.load_workbook(io.BytesIO(response.content)).active[1]]
    assert header == [c.title for c in COLUMNS]


def test_a_good_file_enters_everyone_with_their_roles_in_one_audited_import(client, login, personas):
    login(client, personas.county_a)

    response = _post(client, GOOD)

    assert response.status_code == 200
    assert response.context["report"].saved == 3
    sun = Person.unscoped.get(name="孙立新")
    assert sun.fields == ["agriculture", "ecology"]
    assert set(PersonRole.unscoped.filter(person=sun).values_list("kind", flat=True)) == {"volunteer", "promoter"}
    assert Person.unscoped.get(name="周敏").organisation.code == "KX370902"
    assert Person.unscoped.get(name="王小明").guardian_consent_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT, object_type="talent.person").count() == 1


@pytest.mark.parametrize(
    ("bad", "column", "message"),
    [
        pytest.param({"phone": "1371234500"}, "手机号", "手机号应为 11 位", id="bad-phone"),
        pytest.param({"id_number": _id(13)[:-1] + ("0" if _id(13)[-1] != "0" else "1")}, "身份证号", "校验位不正确", id="bad-check-digit"),
        pytest.param({"region": "370902999999"}, "所在区划", "不存在", id="unknown-region-code"),
        pytest.param({"region": "不存在街道"}, "所在区划", "找不到", id="unknown-region-name"),
        pytest.param({"region": "370911001"}, "所在区划", "不在您的管理范围内", id="another-countys-town"),
        pytest.param({"id_number": _id(11)}, "身份证号", "本表前面“孙立新”一行", id="duplicate-in-file"),
        pytest.param({"id_number": float(_id(14)[:17] + "0")}, "身份证号", "文本格式", id="id-number-typed-as-a-number"),
        pytest.param({"consent": "否"}, "已取得书面同意", "书面同意", id="no-consent"),
        pytest.param({"roles": "宣传委员"}, "角色", "无效", id="unknown-role"),
        pytest.param({"id_number": id_numbers.make("370902", id_numbers.birth_date(CHILD_ID), 108), "phone": ""}, "监护人姓名", "14 周岁",
                     id="child-without-guardian"),
    ],
)  # fmt: skip
def test_a_file_with_a_bad_row_enters_nobody_and_names_the_row_and_column(client, login, personas, bad, column, message):
    login(client, personas.county_a)
    row = {"name": "错行", "id_number": _id(14), "phone": "13712345009", "region": DAIMIAO, **bad}

    response = _post(client, [*GOOD, row], partial="1")  # asking for the good rows does not help: all or nothing

    assert response.status_code == 400
    errors = response.context["report"].errors
    assert [(e.row, e.column) for e in errors] == [(5, column)]
    assert message in errors[0].message
    assert not Person.unscoped.exists()


def test_a_person_already_in_the_registry_is_not_entered_again(client, login, personas, cast):
    cast.enter(cast.county_b, region=Region.objects.get(code="370911001"), id_number=GOOD[0]["id_number"], phone="")
    login(client, personas.county_a)

    response = _post(client, GOOD)

    errors = response.context["report"].errors
    assert [(e.row, e.column) for e in errors] == [(2, "身份证号")]
    assert "已在人员库中登记" in errors[0].message
    assert Person.unscoped.count() == 1


def test_a_file_that_is_not_excel_is_refused(client, login, personas):
    login(client, personas.county_a)

    response = client.post("/console/talent/import/", {"file": SimpleUploadedFile("人员.xlsx", b"name,phone\n", content_type="text/csv")})

    assert response.status_code == 400
    assert "请上传 Excel 文件" in response.content.decode()
