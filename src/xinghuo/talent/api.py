"""The people registry's API: GET /api/v1/talent/people — the people in the caller's scope (city or county staff),
with phone and ID number masked. There is no unmasked read through the API: that is the console's audited reveal."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from xinghuo.core.api import ErrorOut, PagePagination, require_role
from xinghuo.talent import permissions, selectors
from xinghuo.talent.models import Expertise, Person, RoleKind

router = Router(tags=["人才队伍"])


class RoleOut(Schema):
    kind: str = Field(..., description="角色代码，如 volunteer、expert、promoter")
    label: str
    since: str


class PersonOut(Schema):
    uid: str
    name: str
    gender: str = Field(..., description="male | female | 空")
    birth_year: int | None
    county: str | None = Field(None, description="所在县市区（功能区）")
    region: str
    region_code: str
    organisation: str | None
    title: str
    fields: list[str] = Field(..., description="专业领域")
    roles: list[RoleOut] = Field(..., description="在任角色")
    phone: str = Field(..., description="手机号（脱敏，如 138****1234）")
    id_number: str = Field(..., description="身份证号（脱敏，如 3709**********1234）")


class PersonPage(Schema):
    count: int
    items: list[PersonOut]


def _out(person: Person) -> dict:
    county = person.region.county_or_zone
    return {
        "uid": str(person.uid), "name": person.name, "gender": person.gender, "birth_year": person.birth_year,
        "county": county.name if county else None, "region": person.region.name, "region_code": person.region.code,
        "organisation": person.organisation.name if person.organisation else None, "title": person.title,
        "fields": person.field_labels(),
        "roles": [{"kind": r.kind, "label": r.get_kind_display(), "since": r.since.isoformat()} for r in person.active_roles],  # type: ignore[attr-defined]
        "phone": person.phone_shown, "id_number": person.id_number_shown,
    }  # fmt: skip


@router.get("/talent/people", response={200: PersonPage, 404: ErrorOut, 422: ErrorOut}, summary="人员库")
def list_people(
    request: HttpRequest,
    role: Literal[tuple(RoleKind.values)] | None = None,  # type: ignore[valid-type]
    county: str = "",
    field: Literal[tuple(Expertise.values)] | None = None,  # type: ignore[valid-type]
    q: str = "",
    pagination: Query[PagePagination.Input] = None,
):
    """调用者权限范围内的人员（市科协看全市，县级看本县），按区划、姓名排列。`role` 在任角色，`county` 县市区代码，
    `field` 专业领域，`q` 姓名中的字。手机号、身份证号一律脱敏。"""
    actor = require_role(request, *permissions.VIEWER_ROLES)
    page = pagination or PagePagination.Input()
    filters = selectors.PersonFilters(role=role or "", county=county, field=field or "", q=q)
    qs = selectors.person_list(actor=actor, filters=filters)
    start = (page.page - 1) * page.page_size
    return {"count": qs.count(), "items": [_out(p) for p in qs[start : start + page.page_size]]}
