"""Entering people from Excel: the template's columns, and how a row becomes a person (or a clear error).

Every row is checked by the same rules as the form (person_build), and besides: the ID number is required (it is how
a person is known to be new), must not appear twice in the file, nor be in the registry already. Nothing is saved
if any row is wrong. Error messages never repeat a phone or ID number: the report is shown and may be forwarded."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.core.errors import DomainError
from xinghuo.core.excel_import import ImportColumn
from xinghuo.core.masking import mask_text
from xinghuo.talent import services
from xinghuo.talent.errors import TalentError as E
from xinghuo.talent.models import Expertise, Gender, RoleKind
from xinghuo.talent.selectors import resolve_organisation, resolve_region

SPLIT = re.compile(r"[、,，;；/\s]+")
YES = {"是", "同意", "已同意", "Y", "y", "yes", "1"}

COLUMNS = [
    ImportColumn("姓名", "name", required=True, example="王晓明"),
    ImportColumn("身份证号", "id_number", required=True, example="", help="18 位居民身份证号，末位可为 X；用于核实身份、避免重复登记，加密保存"),
    ImportColumn("手机号", "phone", example="", help="11 位手机号"),
    ImportColumn("性别", "gender", example="男", help="男或女；填了身份证号可不填（以身份证号为准）"),
    ImportColumn("所在区划", "region", required=True, example="370902001", help="乡镇（街道）9 位或社区（村）12 位统计区划代码，也可填名称（重名时须填代码）"),
    ImportColumn("工作单位", "organisation", example="泰安市中心医院", help="平台机构名录中的机构全称或机构代码，可不填"),
    ImportColumn("职称/职务", "title", example="主任医师"),
    ImportColumn("专业领域", "fields", example="医疗健康、应急安全", help="、".join(str(label) for label in Expertise.labels) + "，多个用顿号分隔"),
    ImportColumn("角色", "roles", example="科技志愿者", help="、".join(str(label) for label in RoleKind.labels) + "，多个用顿号分隔"),
    ImportColumn("监护人姓名", "guardian_name", help="不满 14 周岁的未成年人必填"),
    ImportColumn("监护人手机号", "guardian_phone", help="不满 14 周岁的未成年人必填"),
    ImportColumn("已取得书面同意", "consent", required=True, example="是",
                 help="本人（未成年人为监护人）已阅读并签署《个人信息告知同意书》的填“是”；未取得同意的不得录入"),
]  # fmt: skip

GENDER_BY_LABEL = {str(label): value for value, label in Gender.choices}
FIELD_BY_LABEL = {str(label): value for value, label in Expertise.choices}
ROLE_BY_LABEL = {str(label): value for value, label in RoleKind.choices}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():  # a number column: 13800001111.0
        value = int(value)
    return str(value).strip()


def _labels(raw: str, by_label: dict[str, str], what: str, field: str) -> list[str]:
    values = [v for v in SPLIT.split(raw) if v]
    unknown = [v for v in values if v not in by_label and v not in by_label.values()]
    if unknown:
        raise DomainError(E.INVALID, f"{what}“{'、'.join(unknown)}”无效", field=field)
    return [by_label.get(v, v) for v in values]


def make_builder(actor: Actor, now: datetime | None = None):
    """A row → the person to enter, checked; duplicates within the file are caught by their blind index."""
    now = now or timezone.now()
    seen: dict[str, str] = {}  # blind index → the name on the first good row that had it

    def build(row: dict[str, Any]) -> dict[str, Any]:
        if _text(row.get("consent")) not in YES:
            raise DomainError(E.CONSENT_REQUIRED, "未取得本人（或监护人）书面同意的不得录入", field="consent")
        if isinstance(row.get("id_number"), (int, float)):  # Excel keeps 15 significant digits: the last ones are lost
            raise DomainError(E.ID_NUMBER, "身份证号须以文本格式填写（设为数字格式时 Excel 会把末几位改成 0），请把该列设为文本后重新填写",
                              field="id_number")  # fmt: skip
        gender_label = _text(row.get("gender"))
        if gender_label and gender_label not in GENDER_BY_LABEL:
            raise DomainError(E.INVALID, "性别应为“男”或“女”", field="gender")
        fields = {
            "name": _text(row.get("name")), "id_number": _text(row.get("id_number")), "phone": _text(row.get("phone")),
            "gender": GENDER_BY_LABEL.get(gender_label, ""),
            "region": resolve_region(actor=actor, text=_text(row.get("region"))),
            "organisation": resolve_organisation(actor=actor, text=_text(row.get("organisation"))),
            "title": _text(row.get("title")), "fields": _labels(_text(row.get("fields")), FIELD_BY_LABEL, "专业领域", "fields"),
            "guardian_name": _text(row.get("guardian_name")), "guardian_phone": _text(row.get("guardian_phone")),
        }  # fmt: skip
        roles = _labels(_text(row.get("roles")), ROLE_BY_LABEL, "角色", "roles")
        try:
            person = services.person_build(actor=actor, consent_given=True, guardian_consent=True, now=now, **fields)
        except DomainError as exc:
            raise DomainError(exc.code, mask_text(exc.message), field=exc.field) from exc
        first = seen.get(person.id_number_index or "")
        if first is not None:
            raise DomainError(E.DUPLICATE, f"身份证号与本表前面“{first}”一行的相同：同一人只录入一次", field="id_number")
        seen[person.id_number_index or ""] = person.name
        return {"actor": actor, "now": now, "roles": roles, **fields}

    return build


def save(row: dict[str, Any]) -> None:
    services.person_create(consent_given=True, guardian_consent=True, **row)
