"""GET /api/v1/organisations — organisations in the caller's scope."""

from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from xinghuo.accounts.roles import Role
from xinghuo.core.api import ErrorOut, PagePagination, require_role
from xinghuo.organisations import selectors
from xinghuo.organisations.models import OrganisationKind

router = Router(tags=["组织机构"])

READERS = (Role.CITY_STAFF, Role.COUNTY_STAFF, Role.ORGANISER, Role.SYSTEM_ADMIN)


class OrganisationOut(Schema):
    uid: UUID
    code: str
    name: str
    short_name: str
    kind: str
    parent_uid: UUID | None = Field(None, alias="parent.uid")
    region_code: str = Field(..., alias="region.code")
    region_name: str = Field(..., alias="region.name")
    is_active: bool


@router.get("", response={200: list[OrganisationOut], 400: ErrorOut, 404: ErrorOut}, summary="组织机构列表（按权限范围）")
@paginate(PagePagination)
def list_organisations(request: HttpRequest, q: str = "", kind: OrganisationKind | None = None, region: str = ""):
    require_role(request, *READERS)
    return selectors.organisation_list(filters=selectors.OrganisationFilters(q=q, kind=kind or "", region=region))


@router.get("/{uid}", response={200: OrganisationOut, 404: ErrorOut}, summary="组织机构详情")
def get_organisation(request: HttpRequest, uid: str):
    require_role(request, *READERS)
    return selectors.get_organisation_for_actor(uid)
