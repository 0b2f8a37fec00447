"""Writes to organisations: create, update, move; the materialised path keeps subtree queries cheap."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction

from xinghuo.core import audit
from xinghuo.core.errors import DomainError
from xinghuo.core.scoping import scopes_disabled
from xinghuo.core.validation import validate
from xinghuo.organisations import credit_code
from xinghuo.organisations.errors import OrganisationError
from xinghuo.organisations.models import Organisation, OrganisationKind
from xinghuo.regions.models import Region

EDITABLE = ("name", "short_name", "kind", "region", "credit_code", "contact_name", "contact_phone", "address", "is_active")


def _check(org: Organisation) -> None:
    if org.credit_code:
        org.credit_code = org.credit_code.strip().upper()
        if not credit_code.is_valid(org.credit_code):
            raise DomainError(OrganisationError.CREDIT_CODE_INVALID, "统一社会信用代码不正确（18 位，末位校验不符）", field="credit_code")
    if org.kind == OrganisationKind.CITY_ASSOCIATION and org.region.level != "city":
        raise DomainError(OrganisationError.REGION_INVALID, "市科协的所在区划应为地级市", field="region")
    if org.kind == OrganisationKind.COUNTY_ASSOCIATION and org.region.level not in ("county", "zone"):
        raise DomainError(OrganisationError.REGION_INVALID, "县市区/功能区科协的所在区划应为县市区或功能区", field="region")
    if org.parent is not None and org.parent.region.level != "city" and not org.parent.region.contains(org.region):
        raise DomainError(OrganisationError.REGION_INVALID, "机构的所在区划应在上级机构的区划之内", field="region")


def _path_for(org: Organisation) -> tuple[str, int]:
    if org.parent is None:
        return f"{org.uid.hex[:12]}/", 0
    return f"{org.parent.path}{org.uid.hex[:12]}/", org.parent.depth + 1


def organisation_create(
    *,
    name: str,
    kind: str,
    region: Region,
    parent: Organisation | None = None,
    code: str = "",
    **fields: object,
) -> Organisation:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unexpected fields {unknown}")
    org = Organisation(uid=uuid.uuid4(), name=(name or "").strip(), kind=kind, region=region, parent=parent, **fields)
    org.code = code or f"ORG-{org.uid.hex[:10].upper()}"
    org.path, org.depth = _path_for(org)
    _check(org)
    validate(org)
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError as exc:
        raise DomainError(OrganisationError.NAME_TAKEN, f"同一上级机构下已有同名机构“{org.name}”", field="name") from exc
    return org


def organisation_update(*, organisation: Organisation, **changes: object) -> Organisation:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unexpected fields {unknown}")
    with transaction.atomic():
        org = Organisation.unscoped.select_for_update().get(pk=organisation.pk)
        for key, value in changes.items():
            setattr(org, key, value.strip() if isinstance(value, str) else value)
        _check(org)
        validate(org)
        try:
            org.save()
        except IntegrityError as exc:
            raise DomainError(OrganisationError.NAME_TAKEN, f"同一上级机构下已有同名机构“{org.name}”", field="name") from exc
    return org


def organisation_ensure(
    *, code: str, name: str, kind: str, region: Region, parent: Organisation | None = None, **fields: object
) -> tuple[Organisation, bool]:
    """Idempotent creation for base data: find by code, create if missing, update the name/kind if changed."""
    with scopes_disabled():
        existing = Organisation.unscoped.filter(code=code).first()
    if existing is None:
        return organisation_create(code=code, name=name, kind=kind, region=region, parent=parent, **fields), True
    changes = {k: v for k, v in {"name": name, "kind": kind, "region": region, **fields}.items() if getattr(existing, k) != v}
    if changes:
        existing = organisation_update(organisation=existing, **changes)
    return existing, False


def organisation_bulk_create(*, items: list[Organisation], description: str) -> list[Organisation]:
    """Create many organisations at once (imports, demo data): one audit record for the batch.

    Parents must be saved already or come earlier in `items`."""
    with audit.bulk_write(model=Organisation, description=description) as summary:
        for org in items:
            if not org.code:
                org.code = f"ORG-{org.uid.hex[:10].upper()}"
            org.path, org.depth = _path_for(org)
            _check(org)
        Organisation.objects.bulk_create(items, batch_size=500)
        summary["created"] = len(items)
    return items
