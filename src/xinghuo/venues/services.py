"""Writes to venues: create, update, list on the map (登记) and issue the unified code."""

from __future__ import annotations

import itertools
import re
from datetime import date
from typing import Any

from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from xinghuo.core.errors import DomainError, ErrorCode
from xinghuo.core.files import written_files
from xinghuo.core.images import clean_image
from xinghuo.core.validation import validate
from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region, RegionLevel
from xinghuo.venues.errors import VenueError
from xinghuo.venues.models import SUBTYPES, TYPE_CODES, WEEKDAYS, Audience, Venue, VenueCodeCounter, VenuePhoto, VenueStatus

TIME_RE = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
EDITABLE = (
    "name", "venue_type", "subtype", "operator", "region", "address", "lat", "lon", "opening_hours", "closed_dates",
    "capacity", "area_sqm", "facilities", "audiences", "summary", "contact_name", "contact_phone",
)  # fmt: skip
MAP_VERSION_KEY = "venues:map-version"


def clean_opening_hours(raw: Any) -> dict[str, list[list[str]]]:
    """{"mon": [["09:00", "12:00"], ["14:00", "17:00"]], ...}: known days, HH:MM, start before end, no overlap."""
    if not isinstance(raw, dict):
        raise DomainError(VenueError.INVALID_HOURS, "开放时间格式不正确", field="opening_hours")
    cleaned: dict[str, list[list[str]]] = {}
    for day, spans in raw.items():
        if day not in WEEKDAYS:
            raise DomainError(VenueError.INVALID_HOURS, f"开放时间中的“{day}”不是星期（mon…sun）", field="opening_hours")
        if not isinstance(spans, list) or not all(
            isinstance(span, (list, tuple)) and len(span) == 2 and all(isinstance(t, str) for t in span) for span in spans
        ):
            raise DomainError(
                VenueError.INVALID_HOURS, f'“{day}”的开放时段应为若干 [开始, 结束]，如 ["09:00", "17:00"]', field="opening_hours"
            )
        ordered = sorted([list(span) for span in spans])
        for start, end in ordered:
            if not (TIME_RE.match(start) and TIME_RE.match(end)) or start >= end:
                raise DomainError(
                    VenueError.INVALID_HOURS, f"开放时段“{start}–{end}”不正确：应为 HH:MM，且开始早于结束", field="opening_hours"
                )
        for (_, end), (start, _) in itertools.pairwise(ordered):
            if start < end:
                raise DomainError(VenueError.INVALID_HOURS, "同一天的开放时段有重叠", field="opening_hours")
        if ordered:
            cleaned[day] = ordered
    return cleaned


def clean_closed_dates(raw: Any) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, (list, tuple)):
        raise DomainError(VenueError.INVALID_HOURS, "闭馆日期应为日期列表（YYYY-MM-DD）", field="closed_dates")
    try:
        return sorted({date.fromisoformat(str(d)).isoformat() for d in raw or []})
    except ValueError as exc:
        raise DomainError(VenueError.INVALID_HOURS, "闭馆日期应为 YYYY-MM-DD 格式", field="closed_dates") from exc


def _check(venue: Venue) -> None:
    unknown = [a for a in venue.audiences if a not in Audience.values]
    if unknown:
        raise DomainError(VenueError.INVALID_AUDIENCE, f"服务对象“{'、'.join(unknown)}”无效", field="audiences")
    allowed = [key for key, _ in SUBTYPES.get(venue.venue_type, [])]
    if venue.subtype and venue.subtype not in allowed:
        raise DomainError(VenueError.INVALID_SUBTYPE, "细分类型与场馆类型不符", field="subtype")
    if allowed and not venue.subtype:
        raise DomainError(VenueError.INVALID_SUBTYPE, "请选择细分类型", field="subtype")
    if venue.region.level not in (RegionLevel.TOWN, RegionLevel.VILLAGE, RegionLevel.COUNTY, RegionLevel.ZONE):
        raise DomainError(VenueError.INVALID_REGION, "场馆的所在区划应细化到县市区、乡镇或社区（村）", field="region")
    venue.opening_hours = clean_opening_hours(venue.opening_hours)
    venue.closed_dates = clean_closed_dates(venue.closed_dates)


def venue_build(*, operator: Organisation, region: Region, **fields: Any) -> Venue:
    """An unsaved, checked venue (forms and imports check a row with it before anything is saved)."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unexpected fields {unknown}")
    audiences = fields.pop("audiences", [])
    venue = Venue(operator=operator, region=region, status=VenueStatus.DRAFT, **fields)
    venue.audiences = list(audiences)
    _check(venue)
    validate(venue, exclude=["code"])
    return venue


def venue_create(*, operator: Organisation, region: Region, status: str = VenueStatus.DRAFT, **fields: Any) -> Venue:
    if status not in (VenueStatus.DRAFT, VenueStatus.REGISTERED, VenueStatus.CERTIFIED):
        raise ValueError(f"a new venue is a draft, registered or certified, not {status!r}")
    venue = venue_build(operator=operator, region=region, **fields)
    with transaction.atomic():
        venue.save()
        if status in (VenueStatus.REGISTERED, VenueStatus.CERTIFIED):
            venue = venue_list_publicly(venue=venue, status=status)
    return venue


def venue_update(*, venue: Venue, **changes: Any) -> Venue:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unexpected fields {unknown}")
    with transaction.atomic():
        venue = Venue.unscoped.select_for_update().get(pk=venue.pk)
        if "venue_type" in changes and changes["venue_type"] != venue.venue_type:
            _check_type_change(venue)
        for key, value in changes.items():
            setattr(venue, key, value)
        _check(venue)
        validate(venue, exclude=["code"])
        venue.save()
        transaction.on_commit(map_changed)
    return venue


def _check_type_change(venue: Venue) -> None:
    """A coded venue keeps its type (the code names it, and a certification was for that type); so does a venue
    whose certification is under way (it is scored against its type's standard)."""
    from xinghuo.certification.models import OPEN_STATUSES, Application  # certification builds on venues

    if venue.code:
        raise DomainError(
            VenueError.INVALID_SUBTYPE,
            f"已编号（{venue.code}）的场馆不能修改类型：统一编号含类型代码，认定也只对该类型有效",
            field="venue_type",
        )
    if Application.unscoped.filter(venue=venue, status__in=OPEN_STATUSES).exists():
        raise DomainError(VenueError.INVALID_SUBTYPE, "该场馆的认定申请正在办理，不能修改类型", field="venue_type")


def _next_code(venue: Venue) -> str:
    county = venue.region if venue.region.level in (RegionLevel.COUNTY, RegionLevel.ZONE) else venue.region.county
    prefix = f"XH-{TYPE_CODES[venue.venue_type]}-{county.code if county else venue.region.code[:6]}"
    counter, _ = VenueCodeCounter.objects.select_for_update().get_or_create(prefix=prefix)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{counter.last:04d}"


def venue_list_publicly(*, venue: Venue, status: str = VenueStatus.REGISTERED) -> Venue:
    """Put a venue on the public map (登记, or 认定 once certification has passed), issuing its unified code."""
    if status not in (VenueStatus.REGISTERED, VenueStatus.CERTIFIED):
        raise ValueError(status)
    with transaction.atomic():
        venue = Venue.unscoped.select_for_update().get(pk=venue.pk)
        if not venue.code:
            venue.code = _next_code(venue)
        venue.status = status
        if status == VenueStatus.CERTIFIED:
            venue.certified_at = timezone.now()
        venue.save()
        transaction.on_commit(map_changed)
    return venue


MAX_PHOTOS = 12


def venue_photo_add(*, venue: Venue, upload: UploadedFile, caption: str = "") -> VenuePhoto:
    """Add a photo (checked and re-encoded by core.images); at most twelve a venue."""
    cleaned = clean_image(upload)
    with written_files() as written, transaction.atomic():
        venue = Venue.unscoped.select_for_update().get(pk=venue.pk)
        count = VenuePhoto.unscoped.filter(venue=venue).count()
        if count >= MAX_PHOTOS:
            raise DomainError(ErrorCode.INVALID, f"每个场馆最多 {MAX_PHOTOS} 张照片，请先删除不用的", field="image")
        photo = VenuePhoto(venue=venue, caption=(caption or "").strip()[:100], order=count + 1, width=cleaned.width, height=cleaned.height)
        photo.image.save(f"{photo.uid.hex}.jpg", cleaned.content, save=False)
        written.append(photo.image)
        photo.save()
    return photo


def venue_photo_remove(*, photo: VenuePhoto) -> None:
    with transaction.atomic():
        image = photo.image
        VenuePhoto.unscoped.get(pk=photo.pk).delete()
        transaction.on_commit(lambda: image.delete(save=False))


#: The statuses certification and the yearly re-check move a coded venue between.
CERTIFICATION_STATUSES = (VenueStatus.CERTIFIED, VenueStatus.WARNED, VenueStatus.REVOKED)


def venue_set_certification_status(*, venue: Venue, status: str) -> Venue:
    """Keep, warn (复核警示) or revoke (摘牌) a coded venue; its plaque shows the new status at once."""
    if status not in CERTIFICATION_STATUSES:
        raise ValueError(status)
    with transaction.atomic():
        venue = Venue.unscoped.select_for_update().get(pk=venue.pk)
        if not venue.code:
            raise DomainError(VenueError.NOT_PUBLIC, "该场馆尚未编号，不能变更认定状态")
        venue.status = status
        venue.save(update_fields=["status", "updated_at"])
        transaction.on_commit(map_changed)
    return venue


def map_changed() -> None:
    """Retire cached map data (GeoJSON, nearest-venue coordinates)."""
    try:
        cache.incr(MAP_VERSION_KEY)
    except ValueError:
        cache.set(MAP_VERSION_KEY, 2, None)
