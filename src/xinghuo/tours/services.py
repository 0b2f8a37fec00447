"""Writes to research-tour routes, their stops and bookings, and to TAI科 points.

A route's row is the lock for everything about the route: its stops are replaced and its day's group places
are counted only while the route row is held (select_for_update), so a day never takes more groups than
`max_groups_per_day`, whatever the concurrency. Locks are taken in one order: route, then booking."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from xinghuo.accounts.models import User
from xinghuo.core.errors import DomainError, ErrorCode
from xinghuo.core.images import clean_image
from xinghuo.core.locking import lock_row
from xinghuo.core.phones import CONTACT_RE
from xinghuo.core.validation import validate
from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region
from xinghuo.tours.errors import TourError
from xinghuo.tours.models import (
    HOLDING_STATUSES,
    MAX_PARTY,
    MAX_STOPS,
    TRAIL_CODES,
    Route,
    RouteBooking,
    RouteBookingStatus,
    RouteStatus,
    RouteStop,
    TaiPoint,
)
from xinghuo.venues.models import PUBLIC_STATUSES, Audience, Venue

ROUTE_FIELDS = ("name", "slug", "summary", "operator", "region", "audiences", "group_min", "group_max", "max_groups_per_day")
BOOKING_WINDOW_DAYS = 180


@dataclass(frozen=True)
class StopSpec:
    venue: Venue
    minutes: int
    notes: str = ""


# --- routes ---------------------------------------------------------------------------------------------------


def _check_route(route: Route) -> None:
    route.name = (route.name or "").strip()
    if not route.name:
        raise DomainError(TourError.INVALID, "请填写线路名称", field="name")
    route.slug = (route.slug or "").strip().lower() or None
    if route.slug and _looks_like_uid(route.slug):
        raise DomainError(TourError.INVALID, "网址简称不能是一串编号，请用拼音或英文单词，如 taishan-geology", field="slug")
    unknown = [a for a in route.audiences if a not in Audience.values]
    if unknown:
        raise DomainError(TourError.INVALID, f"服务对象“{'、'.join(unknown)}”无效", field="audiences")
    if not 1 <= route.group_min <= route.group_max <= MAX_PARTY:
        raise DomainError(TourError.INVALID, f"建议团队人数应在 1 到 {MAX_PARTY} 之间，且下限不大于上限", field="group_max")
    validate(route)


def _looks_like_uid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _apply(route: Route, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(ROUTE_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields {unknown}")
    audiences = fields.pop("audiences", None)
    for key, value in fields.items():
        setattr(route, key, value)
    if audiences is not None:
        route.audiences = list(audiences)


def _lock_route(route_pk: int) -> Route:
    """Lock the route row; on PostgreSQL give up after 3 s with a retryable message."""
    return lock_row(Route.unscoped.select_for_update(), route_pk, busy="预约的人太多了，请稍后再试")


def _check_stops(stops: list[StopSpec], *, published: bool) -> None:
    if len(stops) > MAX_STOPS:
        raise DomainError(TourError.INVALID_STOPS, f"一条线路最多 {MAX_STOPS} 个站点", field="stops")
    seen: set[int] = set()
    for n, stop in enumerate(stops, start=1):
        if stop.venue.pk in seen:
            raise DomainError(TourError.INVALID_STOPS, f"第 {n} 站“{stop.venue.name}”在线路中重复出现：每个场馆只能安排一次", field="stops")
        seen.add(stop.venue.pk)
        if not 5 <= stop.minutes <= 600:
            raise DomainError(TourError.INVALID_STOPS, f"第 {n} 站的停留时长应在 5 到 600 分钟之间", field="stops")
        if published and not stop.venue.is_public:
            raise DomainError(
                TourError.NOT_PUBLIC_VENUE, f"第 {n} 站“{stop.venue.name}”尚未上图（未登记或未认定），不能加入已发布的线路", field="stops"
            )


def _same_stops(route: Route, stops: list[StopSpec]) -> bool:
    current = list(RouteStop.unscoped.filter(route=route).order_by("position").values_list("venue_id", "minutes", "notes"))
    return current == [(s.venue.pk, s.minutes, s.notes.strip()) for s in stops]


def _save_stops(route: Route, stops: list[StopSpec]) -> None:
    RouteStop.unscoped.filter(route=route).delete()  # each deletion is audited (post_delete)
    for position, spec in enumerate(stops, start=1):
        stop = RouteStop(route=route, position=position, venue=spec.venue, minutes=spec.minutes, notes=spec.notes.strip())
        validate(stop, exclude=["route", "venue"])
        stop.save()


def route_create(*, operator: Organisation, region: Region, stops: list[StopSpec] | None = None, **fields: Any) -> Route:
    """A new route, as a draft, with its stops in the given order."""
    route = Route(operator=operator, region=region, status=RouteStatus.DRAFT)
    _apply(route, fields)
    _check_route(route)
    stops = list(stops or [])
    _check_stops(stops, published=False)
    try:
        with transaction.atomic():
            route.save()
            _save_stops(route, stops)
    except IntegrityError as exc:
        raise DomainError(TourError.INVALID, "网址简称已被其他线路使用", field="slug") from exc
    return route


def route_update(*, route: Route, stops: list[StopSpec] | None = None, **fields: Any) -> Route:
    """Change a route's fields and, when `stops` is given, replace its stops (in that order) — all or nothing."""
    try:
        with transaction.atomic():
            route = _lock_route(route.pk)
            _apply(route, fields)
            _check_route(route)
            if stops is not None:
                _check_stops(list(stops), published=route.is_published)
                if route.is_published and len(stops) < 2:
                    raise DomainError(TourError.INVALID_STOPS, "已发布的线路至少要有 2 个站点", field="stops")
            route.save()
            if stops is not None and not _same_stops(route, list(stops)):
                _save_stops(route, list(stops))
    except IntegrityError as exc:
        raise DomainError(TourError.INVALID, "网址简称已被其他线路使用", field="slug") from exc
    return route


def route_publish(*, route: Route) -> Route:
    """Publish: at least two stops, every one of them a venue on the public map."""
    with transaction.atomic():
        route = _lock_route(route.pk)
        if route.status == RouteStatus.PUBLISHED:
            raise DomainError(TourError.STATUS, "线路已经发布")
        stops = list(RouteStop.unscoped.filter(route=route).select_related("venue").order_by("position"))
        if len(stops) < 2:
            raise DomainError(TourError.INVALID_STOPS, "线路至少要有 2 个站点才能发布")
        _check_stops([StopSpec(s.venue, s.minutes, s.notes) for s in stops], published=True)
        route.status = RouteStatus.PUBLISHED
        route.published_at = timezone.now()
        route.save(update_fields=["status", "published_at", "updated_at"])
    return route


def route_withdraw(*, route: Route) -> Route:
    """Take a route off the public list; bookings already made stay for the operator to honour or cancel."""
    with transaction.atomic():
        route = _lock_route(route.pk)
        if route.status != RouteStatus.PUBLISHED:
            raise DomainError(TourError.STATUS, "只有已发布的线路可以撤回")
        route.status = RouteStatus.WITHDRAWN
        route.save(update_fields=["status", "updated_at"])
    return route


# --- bookings -------------------------------------------------------------------------------------------------


def booking_create(
    *, route: Route, user: User, day: date, group_name: str, party_size: int, contact_name: str, contact_phone: str, note: str = ""
) -> RouteBooking:
    """A group books the whole route for a day; a day never takes more groups than the route receives."""
    contact_phone = (contact_phone or "").strip()
    group_name, contact_name = (group_name or "").strip(), (contact_name or "").strip()
    if not group_name:
        raise DomainError(TourError.BOOKING_INVALID, "请填写学校或团体名称", field="group_name")
    if not 1 <= party_size <= MAX_PARTY:
        raise DomainError(TourError.BOOKING_INVALID, f"人数应在 1 到 {MAX_PARTY} 之间", field="party_size")
    if not contact_name:
        raise DomainError(TourError.BOOKING_INVALID, "请填写带队老师姓名", field="contact_name")
    if not CONTACT_RE.match(contact_phone):
        raise DomainError(TourError.BOOKING_INVALID, "请填写正确的手机号或固定电话", field="contact_phone")
    today = timezone.localdate()
    if day <= today:
        raise DomainError(TourError.BOOKING_INVALID, "研学日期应从明天起", field="date")
    if day > today + timedelta(days=BOOKING_WINDOW_DAYS):
        raise DomainError(TourError.BOOKING_INVALID, f"只能预约 {BOOKING_WINDOW_DAYS} 天以内的日期", field="date")
    with transaction.atomic():
        locked = _lock_route(route.pk)
        if locked.status != RouteStatus.PUBLISHED:
            raise DomainError(TourError.NOT_BOOKABLE, "该线路暂不接受预约")
        closed = stops_off_the_map(locked)
        if closed:
            raise DomainError(TourError.NOT_BOOKABLE, f"线路中的“{'、'.join(closed)}”暂停开放，该线路暂不接受预约")
        if RouteBooking.unscoped.filter(route=locked, date=day, user=user, group_name=group_name, status__in=HOLDING_STATUSES).exists():
            raise DomainError(TourError.DUPLICATE, f"“{group_name}”已预约过 {day:%Y年%m月%d日} 的这条线路，如需调整请先取消原预约")
        taken = RouteBooking.unscoped.filter(route=locked, date=day, status__in=HOLDING_STATUSES).count()
        if taken >= locked.max_groups_per_day:
            raise DomainError(TourError.DAY_FULL, f"{day:%Y年%m月%d日} 该线路的 {locked.max_groups_per_day} 个团队名额已约满，请换一天")
        booking = RouteBooking(
            route=locked, user=user, date=day, group_name=group_name, party_size=party_size,
            contact_name=contact_name, contact_phone=contact_phone, note=(note or "").strip(),
        )  # fmt: skip
        validate(booking, exclude=["route", "user"])
        booking.save()
    return booking


def stops_off_the_map(route: Route) -> list[str]:
    """Names of the route's stops that are no longer on the public map (revoked, closed): the route cannot be
    booked until they are back or the route is edited."""
    return list(RouteStop.unscoped.filter(route=route).exclude(venue__status__in=PUBLIC_STATUSES).values_list("venue__name", flat=True))


def _change(booking: RouteBooking, status: str, allowed: tuple[str, ...], message: str) -> RouteBooking:
    with transaction.atomic():
        _lock_route(booking.route_id)  # the same lock order as a booking: route, then booking
        booking = RouteBooking.unscoped.select_for_update().select_related("route").get(pk=booking.pk)
        if booking.status not in allowed:
            raise DomainError(TourError.BOOKING_STATUS, message)
        booking.status = status
        booking.save(update_fields=["status", "updated_at"])
    return booking


def booking_confirm(*, booking: RouteBooking) -> RouteBooking:
    return _change(booking, RouteBookingStatus.CONFIRMED, (RouteBookingStatus.BOOKED,), "只有“已预约”的可以确认")


def booking_cancel(*, booking: RouteBooking, by_visitor: bool = False) -> RouteBooking:
    """The school or the operator cancels; the day's place goes back to the route. A school cancels before the day."""
    if by_visitor and booking.date <= timezone.localdate():
        raise DomainError(TourError.BOOKING_STATUS, "研学当天及以后不能在线取消，请联系运营单位")
    return _change(
        booking, RouteBookingStatus.CANCELLED, (RouteBookingStatus.BOOKED, RouteBookingStatus.CONFIRMED), "该预约已取消或已完成，不能再取消"
    )


def booking_complete(*, booking: RouteBooking) -> RouteBooking:
    if booking.date > timezone.localdate():
        raise DomainError(TourError.BOOKING_STATUS, f"研学日期为 {booking.date:%Y年%m月%d日}，当天及以后才能登记完成")
    return _change(booking, RouteBookingStatus.COMPLETED, (RouteBookingStatus.CONFIRMED,), "只有“已确认”的预约可以登记完成")


# --- TAI科 points ---------------------------------------------------------------------------------------------

POINT_FIELDS = (
    "name", "trail", "position", "theme", "body", "picture", "picture_caption", "lat", "lon", "elevation_m", "region", "is_published",
)  # fmt: skip
CODE_RE = re.compile(r"^TAI-[A-Z]{2}-(\d{2,})$")


def _next_point_code(trail: str) -> str:
    prefix = f"TAI-{TRAIL_CODES[trail]}-"
    numbers = [
        int(m.group(1)) for c in TaiPoint.unscoped.filter(code__startswith=prefix).values_list("code", flat=True) if (m := CODE_RE.match(c))
    ]
    return f"{prefix}{max(numbers, default=0) + 1:02d}"


def _check_point(point: TaiPoint) -> None:
    point.name = (point.name or "").strip()
    point.body = (point.body or "").strip()
    if not point.name:
        raise DomainError(TourError.POINT_INVALID, "请填写科普点名称", field="name")
    if not point.body:
        raise DomainError(TourError.POINT_INVALID, "请填写科普解说", field="body")
    validate(point, exclude=["code"])


def _save_point(point: TaiPoint) -> TaiPoint:
    try:
        with transaction.atomic():
            point.save()
    except IntegrityError as exc:
        raise DomainError(TourError.POINT_INVALID, "该线路上已有这个顺序号的科普点，请换一个顺序", field="position") from exc
    return point


def _clean_picture(fields: dict[str, Any]) -> None:
    """An uploaded picture becomes a checked, re-encoded JPEG (no metadata, at most 1600 px)."""
    upload = fields.get("picture")
    if isinstance(upload, UploadedFile):
        fields["picture"] = ContentFile(clean_image(upload, field="picture").content.read(), name=f"{uuid.uuid4().hex}.jpg")


def point_create(*, owner: Organisation, region: Region, **fields: Any) -> TaiPoint:
    """A new point: its code (TAI-<trail>-<nn>) is issued here; without a position it goes to the trail's end.

    Two points filed on one trail at the same moment would be given the same code (or end position): the
    database refuses the second, which is then numbered again — up to a few times."""
    unknown = set(fields) - set(POINT_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields {unknown}")
    _clean_picture(fields)
    chosen_position = fields.pop("position", None)
    point = TaiPoint(owner=owner, region=region, **fields)
    if point.trail not in TRAIL_CODES:
        raise DomainError(TourError.POINT_INVALID, "请选择登山线路", field="trail")

    def end_of_trail() -> int:
        last = TaiPoint.unscoped.filter(trail=point.trail).order_by("-position").values_list("position", flat=True).first()
        return (last or 0) + 1

    point.position = chosen_position or end_of_trail()
    _check_point(point)  # a chosen position already taken is refused here, with its message
    for _attempt in range(5):
        if not chosen_position:
            point.position = end_of_trail()
        point.code = _next_point_code(point.trail)
        try:
            with transaction.atomic():
                point.save()
        except IntegrityError:
            point.pk, point._state.adding = None, True
            continue
        return point
    raise DomainError(ErrorCode.BUSY, "同时新增的科普点较多，请稍后再试", status=503)


def point_update(*, point: TaiPoint, **changes: Any) -> TaiPoint:
    """Edit a point; its code stays what is printed on the sign, even if it moves to another trail."""
    unknown = set(changes) - set(POINT_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields {unknown}")
    _clean_picture(changes)
    if not changes.get("position"):
        changes.pop("position", None)  # left blank: the point keeps its place
    with transaction.atomic():
        point = TaiPoint.unscoped.select_for_update().get(pk=point.pk)
        for key, value in changes.items():
            setattr(point, key, value)
        _check_point(point)
        return _save_point(point)
