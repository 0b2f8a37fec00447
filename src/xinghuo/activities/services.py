"""Writes of activities: filing and editing, submission, review by level, holding, the report and its verification.

Every step runs in one transaction that locks the activity row, checks the actor's role and — under the lock —
their scope and the activity's status, writes the change and appends an `ActivityStep` (who, when, why); the
audit trail records the same rows besides. A step that is refused changes nothing.

Who approves is decided by the activity's level: the city approves (and verifies) city demonstration
activities, the county or zone of the activity's region its grassroots ones — never another county's."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.accounts.roles import Role
from xinghuo.activities import permissions, registrations
from xinghuo.activities.errors import ActivityError as E
from xinghuo.activities.models import (
    CANCELLABLE_STATUSES,
    EDITABLE_STATUSES,
    Activity,
    ActivityPhoto,
    ActivityStatus,
    ActivityStep,
    Brand,
    BrandTarget,
    Format,
    Level,
    StepAction,
    Topic,
)
from xinghuo.core.errors import DomainError
from xinghuo.core.files import written_files
from xinghuo.core.images import clean_image
from xinghuo.core.validation import validate
from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region
from xinghuo.venues.models import Audience

MAX_PHOTOS = 9
MIN_SUMMARY = 20
NOT_FOUND = "您要找的记录不存在或无权查看。"
#: What a filer may set on an activity while it is a draft or returned.
ACTIVITY_FIELDS = frozenset({
    "title", "brand", "level", "format", "organiser", "co_organisers", "region", "venue", "address", "online_url",
    "starts_at", "ends_at", "audiences", "topics", "description", "capacity", "registration_opens", "registration_closes",
})  # fmt: skip
TEXT_FIELDS = ("title", "co_organisers", "address", "online_url", "description")


def _deny(message: str = "您的身份不能办理这一环节") -> DomainError:
    return DomainError(E.NOT_ALLOWED, message, status=403)


def _require(allowed: bool, message: str = "您的身份不能办理这一环节") -> None:
    if not allowed:
        raise _deny(message)


def _in_scope(actor: Actor, region: Region, organisation: Organisation) -> bool:
    return actor.reaches(region_id=region.pk, organisation_id=organisation.pk)


def _may_file_in(actor: Actor, region: Region) -> bool:
    """Staff file in their scope; an organiser in the region subtree of their organisation."""
    if actor.membership is None:
        return False
    base = actor.scope_region if actor.scope_region is not None else actor.organisation.region.subtree()  # type: ignore[union-attr]
    return base.filter(pk=region.pk).exists()


def _lock(activity: Activity, actor: Actor, *statuses: str) -> Activity:
    locked = Activity.unscoped.select_for_update(of=("self",)).select_related("region", "organiser", "brand").get(pk=activity.pk)
    if not _in_scope(actor, locked.region, locked.organiser):
        raise DomainError(E.NOT_ALLOWED, NOT_FOUND, status=404)
    if statuses and locked.status not in statuses:
        raise DomainError(E.STATUS, f"活动当前为“{locked.get_status_display()}”，不能办理这一环节")
    return locked


def _step(activity: Activity, actor: Actor, action: str, before: str, *, reason: str = "", data: dict | None = None) -> ActivityStep:
    step = ActivityStep(
        activity=activity, action=action, from_status=before, to_status=activity.status, actor=actor.user,
        actor_label=actor.user.audit_label(), actor_role=actor.label, reason=reason.strip(), data=data or {},
    )  # fmt: skip
    step.save()
    return step


def _reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(E.REASON_REQUIRED, f"请填写{what}", field="reason")
    return reason


def _may_approve(actor: Actor, activity: Activity) -> None:
    if not permissions.can_approve(actor, activity.level):
        if activity.level == Level.CITY:
            raise _deny("市级示范活动由市科协审核和核验")
        raise _deny("基层活动由举办地所在县市区（功能区）科协审核和核验")


# --- filing -----------------------------------------------------------------------------------------------


def _apply(activity: Activity, fields: dict[str, Any]) -> None:
    unknown = set(fields) - ACTIVITY_FIELDS
    if unknown:
        raise TypeError(sorted(unknown))
    for key, value in fields.items():
        if key in TEXT_FIELDS:
            value = (value or "").strip()
        if key == "audiences":
            activity.audiences = list(dict.fromkeys(value or []))
        elif key == "topics":
            activity.topics = list(dict.fromkeys(value or []))
        else:
            setattr(activity, key, value)


def _check(actor: Actor, activity: Activity) -> None:
    """Everything a draft must satisfy, with the message beside the field it concerns."""
    if not activity.title:
        raise DomainError(E.INVALID, "请填写活动名称", field="title")
    if not activity.brand.is_active:
        raise DomainError(E.INVALID, f"品牌“{activity.brand.name}”已停用，请选择其他品牌", field="brand")
    if activity.level not in Level.values:
        raise DomainError(E.INVALID, "请选择活动层级", field="level")
    if activity.format not in Format.values:
        raise DomainError(E.INVALID, "请选择活动形式", field="format")
    if not (
        _may_file_in(actor, activity.region)
        and _in_scope(actor, activity.region, activity.organiser)
        and _in_scope(actor, activity.organiser.region, activity.organiser)
    ):
        raise DomainError(E.NOT_ALLOWED, "只能为您管理范围内的单位、在您管理范围内的区划填报活动", field="region", status=403)
    if activity.level == Level.GRASSROOTS and activity.region.county_or_zone is None:
        raise DomainError(E.INVALID, "基层活动的举办地请选到县市区（功能区）或以下：由所在县级科协审核", field="region")
    if activity.starts_at is None or activity.ends_at is None:
        raise DomainError(E.INVALID, "请填写开始和结束时间", field="starts_at")
    if activity.ends_at <= activity.starts_at:
        raise DomainError(E.INVALID, "结束时间应晚于开始时间", field="ends_at")
    if activity.venue_id is not None:
        venue = activity.venue
        if not (venue.is_public or _in_scope(actor, venue.region, venue.operator)):
            raise DomainError(E.INVALID, "请选择已上图的场馆或您管理的场馆", field="venue")
        if not activity.region.contains(venue.region):
            raise DomainError(E.INVALID, f"场馆“{venue.name}”不在所选举办地区划内", field="venue")
    if activity.needs_place and activity.venue_id is None and not activity.address:
        raise DomainError(E.INVALID, "线下活动请选择场馆或填写举办地址", field="address")
    if activity.needs_link and not activity.online_url:
        raise DomainError(E.INVALID, "线上活动请填写直播或观看链接", field="online_url")
    if not activity.audiences:
        raise DomainError(E.INVALID, "请选择面向人群", field="audiences")
    if unknown := [a for a in activity.audiences if a not in Audience.values]:
        raise DomainError(E.INVALID, f"面向人群“{'、'.join(unknown)}”无效", field="audiences")
    if not activity.topics:
        raise DomainError(E.INVALID, "请选择活动主题", field="topics")
    if unknown := [t for t in activity.topics if t not in Topic.values]:
        raise DomainError(E.INVALID, f"活动主题“{'、'.join(unknown)}”无效", field="topics")
    if activity.capacity is None or activity.capacity < 0:
        raise DomainError(E.INVALID, "名额不能为负数", field="capacity")
    opens, closes = activity.registration_opens, activity.registration_closes
    if opens and closes and closes <= opens:
        raise DomainError(E.INVALID, "报名截止时间应晚于报名开始时间", field="registration_closes")
    if closes and closes > activity.ends_at:
        raise DomainError(E.INVALID, "报名截止时间不能晚于活动结束时间", field="registration_closes")
    if opens and opens >= activity.ends_at:
        raise DomainError(E.INVALID, "报名开始时间应早于活动结束时间", field="registration_opens")
    validate(activity)


def activity_create(
    *, actor: Actor, title: str, brand: Brand, level: str, organiser: Organisation, region: Region, starts_at: datetime,
    ends_at: datetime, **fields: Any,
) -> Activity:  # fmt: skip
    """A draft activity; the other fields (ACTIVITY_FIELDS) may be given now or later."""
    _require(permissions.can_file(actor), "只有填报单位和县、市科协可以填报活动")
    activity = Activity()
    _apply(activity, {"title": title, "brand": brand, "level": level, "organiser": organiser, "region": region,
                      "starts_at": starts_at, "ends_at": ends_at, **fields})  # fmt: skip
    _check(actor, activity)
    with transaction.atomic():
        activity.save()
        _step(activity, actor, StepAction.CREATE, "")
    return activity


def activity_update(*, actor: Actor, activity: Activity, **fields: Any) -> Activity:
    """Edit a draft or a returned activity; what is given replaces what was there."""
    _require(permissions.can_file(actor), "只有填报单位和县、市科协可以修改活动")
    with transaction.atomic():
        activity = _lock(activity, actor, *EDITABLE_STATUSES)
        _apply(activity, fields)
        _check(actor, activity)
        activity.save()
    return activity


def activity_submit(*, actor: Actor, activity: Activity, now: datetime | None = None) -> Activity:
    """To review: before the activity starts, with everything a draft needs."""
    _require(permissions.can_file(actor), "只有填报单位和县、市科协可以提交活动")
    now = now or timezone.now()
    with transaction.atomic():
        activity = _lock(activity, actor, *EDITABLE_STATUSES)
        _check(actor, activity)
        if activity.starts_at <= now:
            raise DomainError(E.TOO_LATE, "活动开始时间已过，请修改时间后再提交", field="starts_at")
        before = activity.status
        activity.status, activity.round, activity.submitted_at = ActivityStatus.SUBMITTED, activity.round + 1, now
        activity.save(update_fields=["status", "round", "submitted_at", "updated_at"])
        _step(activity, actor, StepAction.SUBMIT, before, data={"round": activity.round})
    return activity


def activity_review(*, actor: Actor, activity: Activity, approve: bool, reason: str = "", now: datetime | None = None) -> Activity:
    """Approve and publish, or return with reasons: the city for a city demonstration activity, the county (or zone)
    of the activity's region for a grassroots one. The scope is checked again under the row lock."""
    _require(actor.role in permissions.APPROVER_ROLES, "活动审核由县、市科协办理")
    with transaction.atomic():
        activity = _lock(activity, actor, ActivityStatus.SUBMITTED)
        _may_approve(actor, activity)
        before = activity.status
        if approve:
            activity.status, activity.published_at = ActivityStatus.PUBLISHED, now or timezone.now()
            activity.save(update_fields=["status", "published_at", "updated_at"])
            _step(activity, actor, StepAction.APPROVE, before, reason=reason or "")
        else:
            reason = _reason(reason, "退回理由")
            activity.status = ActivityStatus.RETURNED
            activity.save(update_fields=["status", "updated_at"])
            _step(activity, actor, StepAction.RETURN, before, reason=reason)
    return activity


def activity_mark_held(*, actor: Actor, activity: Activity, now: datetime | None = None) -> Activity:
    """A published activity took place: once it has started."""
    _require(permissions.can_file(actor), "只有填报单位和县、市科协可以确认举办")
    now = now or timezone.now()
    with transaction.atomic():
        activity = _lock(activity, actor, ActivityStatus.PUBLISHED)
        if now < activity.starts_at:
            start = timezone.localtime(activity.starts_at)
            raise DomainError(E.TOO_EARLY, f"活动 {start:%Y-%m-%d %H:%M} 开始，开始后才能确认已举办")
        before = activity.status
        activity.status, activity.held_at = ActivityStatus.HELD, now
        activity.save(update_fields=["status", "held_at", "updated_at"])
        _step(activity, actor, StepAction.HOLD, before)
    return activity


def report_count(value: Any, label: str, field: str) -> int | None:
    """A count of a report as typed in a form or a spreadsheet: 120, 120.0, "120" or "1,200"; empty is None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            raise DomainError(E.REPORT_INVALID, f"{label}应为整数", field=field)
        value = int(value)
    if isinstance(value, str):
        value = value.replace(",", "").replace("，", "").strip()
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise DomainError(E.REPORT_INVALID, f"{label}应为整数", field=field) from exc
    if number < 0:
        raise DomainError(E.REPORT_INVALID, f"{label}不能为负数", field=field)
    return number


def activity_report(
    *, actor: Actor, activity: Activity, attendance: int | None, online_views: int | None, summary: str,
    photos: Iterable[UploadedFile] = (), source: str = "",
) -> Activity:  # fmt: skip
    """What the held activity brought: attendance (offline), online views (online), a summary and photos.

    A report imported from a spreadsheet (`source="excel"`) comes without photos: the step says so, and the
    verifier sees it and may send the report back for photos."""
    _require(permissions.can_file(actor), "只有填报单位和县、市科协可以报送活动情况")
    attendance = report_count(attendance, "现场参与人次", "attendance")
    online_views = report_count(online_views, "线上观看人次", "online_views")
    summary = (summary or "").strip()
    if len(summary) < MIN_SUMMARY:
        raise DomainError(E.REPORT_INVALID, f"请填写活动总结（至少 {MIN_SUMMARY} 个字）", field="summary")
    # Every photo is checked (and re-encoded without its GPS position) before any is written.
    cleaned = [clean_image(photo, field="photos") for photo in photos]
    with written_files() as written, transaction.atomic():
        activity = _lock(activity, actor, ActivityStatus.HELD)
        if activity.needs_place and attendance is None:
            raise DomainError(E.REPORT_INVALID, "线下活动请填写现场参与人次", field="attendance")
        if activity.needs_link and online_views is None:
            raise DomainError(E.REPORT_INVALID, "线上活动请填写线上观看人次", field="online_views")
        existing = ActivityPhoto.unscoped.filter(activity=activity).count()
        if existing + len(cleaned) > MAX_PHOTOS:
            raise DomainError(E.PHOTO_INVALID, f"每个活动最多 {MAX_PHOTOS} 张照片（已有 {existing} 张）", field="photos")
        if activity.needs_place and existing + len(cleaned) == 0 and source != "excel":
            raise DomainError(E.PHOTO_INVALID, "线下活动请至少上传一张活动现场照片", field="photos")
        for image in cleaned:
            photo = ActivityPhoto(activity=activity, width=image.width, height=image.height)
            photo.image.save(f"{photo.uid.hex}.jpg", image.content, save=False)
            written.append(photo.image)
            photo.save()
        before = activity.status
        activity.attendance, activity.online_views, activity.summary = attendance, online_views, summary
        activity.status, activity.reported_at = ActivityStatus.REPORTED, timezone.now()
        activity.save(update_fields=["attendance", "online_views", "summary", "status", "reported_at", "updated_at"])
        _step(activity, actor, StepAction.REPORT, before,
              data={"attendance": attendance, "online_views": online_views, "photos": existing + len(cleaned),
                    **({"source": source} if source else {})})  # fmt: skip
    return activity


def activity_photo_remove(*, actor: Actor, photo: ActivityPhoto) -> None:
    """Take a photo off a report not yet sent (or sent back)."""
    _require(permissions.can_file(actor))
    with transaction.atomic():
        _lock(photo.activity, actor, ActivityStatus.HELD)
        image = photo.image
        ActivityPhoto.unscoped.get(pk=photo.pk).delete()
        transaction.on_commit(lambda: image.delete(save=False))


def activity_verify(*, actor: Actor, activity: Activity, approve: bool, reason: str = "") -> Activity:
    """The approver checks the report: verified (it counts toward its brand's target from now on), or sent back."""
    _require(actor.role in permissions.APPROVER_ROLES, "活动核验由县、市科协办理")
    with transaction.atomic():
        activity = _lock(activity, actor, ActivityStatus.REPORTED)
        _may_approve(actor, activity)
        before = activity.status
        if approve:
            activity.status, activity.verified_at = ActivityStatus.VERIFIED, timezone.now()
            activity.save(update_fields=["status", "verified_at", "updated_at"])
            _step(activity, actor, StepAction.VERIFY, before, reason=reason or "")
        else:
            reason = _reason(reason, "退回理由")
            activity.status = ActivityStatus.HELD
            activity.save(update_fields=["status", "updated_at"])
            _step(activity, actor, StepAction.REPORT_RETURN, before, reason=reason)
    return activity


def activity_cancel(*, actor: Actor, activity: Activity, reason: str, now: datetime | None = None) -> Activity:
    """Call an activity off (weather, an epidemic, the speaker's illness) before it is held: a filer in whose scope
    it is (the organiser, its county, the city), with a reason. Every registrant is told and their seats are released; a published
    activity stays on the public calendar marked “已取消” so that nobody comes in vain."""
    _require(permissions.can_file(actor), "只有填报单位和县、市科协可以取消活动")
    reason = _reason(reason, "取消原因")
    if len(reason) > 200:
        raise DomainError(E.INVALID, "取消原因请控制在 200 字以内", field="reason")
    now = now or timezone.now()
    with transaction.atomic():
        activity = _lock(activity, actor, *CANCELLABLE_STATUSES)
        if activity.status == ActivityStatus.PUBLISHED and activity.ends_at <= now:
            raise DomainError(E.STATUS, "活动已结束，请确认举办情况或报送，不能再取消")
        before = activity.status
        cancelled = registrations.cancel_all(activity=activity, reason=reason, now=now)
        activity.status, activity.cancelled_at, activity.cancel_reason = ActivityStatus.CANCELLED, now, reason
        activity.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
        _step(activity, actor, StepAction.CANCEL, before, reason=reason, data={"registrations_cancelled": cancelled})
    return activity


# --- yearly targets -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetRow:
    """One brand and level's target for a year as typed: both empty means no target."""

    brand: Brand
    level: str
    minimum: Any = None
    maximum: Any = None


def _target_number(value: Any, label: str, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError as exc:
        raise DomainError(E.INVALID, f"{label}应为整数", field=field) from exc
    if number < 0 or number > 100_000:
        raise DomainError(E.INVALID, f"{label}应在 0–100000 之间", field=field)
    return number


def brand_targets_set(*, actor: Actor, year: int, rows: Iterable[TargetRow]) -> list[BrandTarget]:
    """The city sets a year's targets per brand and level: a floor (不少于) or a range; a row left empty has no
    target (an existing one is removed). Every row is checked before any is written (each message names its field,
    `<brand>-<level>-min|max`), then all are written in one transaction; brands and levels not given are untouched."""
    _require(actor.role == Role.CITY_STAFF, "年度目标由市科协设定")
    if not 2000 <= year <= 2100:
        raise DomainError(E.INVALID, "年度应在 2000–2100 之间", field="year")
    wanted: dict[tuple[int, str], tuple[Brand, str, int, int | None] | None] = {}
    for row in rows:
        key = f"{row.brand.code}-{row.level}"
        if row.level not in Level.values:
            raise DomainError(E.INVALID, "层级无效", field=f"{key}-min")
        minimum = _target_number(row.minimum, f"{row.brand.name}的目标下限", f"{key}-min")
        maximum = _target_number(row.maximum, f"{row.brand.name}的目标上限", f"{key}-max")
        if minimum is None and maximum is not None:
            raise DomainError(E.INVALID, f"{row.brand.name}：填写上限时请同时填写下限", field=f"{key}-min")
        if minimum is not None and maximum is not None and maximum < minimum:
            raise DomainError(E.INVALID, f"{row.brand.name}：目标上限不能小于下限", field=f"{key}-max")
        wanted[(row.brand.pk, row.level)] = (row.brand, row.level, minimum, maximum) if minimum is not None else None
    with transaction.atomic():
        existing = {(t.brand_id, t.level): t for t in BrandTarget.objects.select_for_update().filter(year=year)}
        kept = []
        for key, value in wanted.items():
            if value is None:
                if key in existing:
                    existing[key].delete()
                continue
            brand, level, minimum, maximum = value
            target = existing.get(key) or BrandTarget(brand=brand, year=year, level=level, minimum=minimum, maximum=maximum)
            if target.pk is None or (target.minimum, target.maximum) != (minimum, maximum):
                target.minimum, target.maximum = minimum, maximum
                target.save()
            kept.append(target)
    return kept
