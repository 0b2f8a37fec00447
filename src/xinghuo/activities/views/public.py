"""Citizen pages of activities: the public calendar (a day-grouped list, and the same as an iCalendar feed), the
public page of a published activity with its sign-up form and .ics file, and “我的活动” (the user's registrations
with their status, place in the waiting line and check-in code) with cancel."""

from __future__ import annotations

import calendar as calendar_module
import dataclasses
from datetime import date, timedelta
from itertools import groupby

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinghuo.accounts.models import UserKind
from xinghuo.activities import ical, selectors, throttle
from xinghuo.activities import registrations as services
from xinghuo.activities.forms import CalendarFilterForm, RegistrationForm
from xinghuo.activities.models import ACTIVE_REGISTRATION_STATUSES, Activity, ActivityStatus, Registration, RegistrationStatus
from xinghuo.console.context import paginated
from xinghuo.core.access import public, signed_in
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.lookup import get_by_uid
from xinghuo.core.masking import mask_phone
from xinghuo.core.middleware import client_ip
from xinghuo.core.qr import qr_svg_response
from xinghuo.core.scoping import public_reads
from xinghuo.venues.views import city_counties

#: The most events one feed carries (a calendar app polls it; the list pages instead).
FEED_LIMIT = 500


def _public_activity(uid: str, *, whole: bool = True) -> Activity:
    with public_reads():
        try:
            return selectors.get_public_activity(uid, whole=whole)
        except NotFound as exc:
            raise Http404 from exc


def _page(request: HttpRequest, activity: Activity, form: RegistrationForm | None) -> HttpResponse:
    user = request.user
    mine = None
    if user.is_authenticated:
        mine = Registration.unscoped.filter(activity=activity, user=user, status__in=ACTIVE_REGISTRATION_STATUSES).first()
    is_citizen = user.is_authenticated and getattr(user, "kind", None) == UserKind.CITIZEN
    if form is None and is_citizen and mine is None:
        form = RegistrationForm()
    return render(request, "activities/public_detail.html", {
        "activity": activity, "form": form, "mine": mine, "is_citizen": is_citizen,
        "remaining": max(activity.capacity - activity.seats_taken, 0),
        "my_phone": mask_phone(getattr(user, "phone", "")) if user.is_authenticated else "",
        "share_url": request.build_absolute_uri(reverse("activities:detail", args=[activity.uid])),
    }, status=400 if form is not None and form.errors else 200)  # fmt: skip


def _calendar_filters(request: HttpRequest) -> tuple[CalendarFilterForm, selectors.CalendarFilters]:
    with public_reads():
        form = CalendarFilterForm(request.GET or None, brands=list(selectors.brand_list()), counties=city_counties())
    form.is_valid()
    data = getattr(form, "cleaned_data", {})  # an unbound form has none; a bound one keeps its valid fields
    since, until = form.date_range()
    filters = selectors.CalendarFilters(
        brand=data.get("brand", ""), county=data.get("county", ""), audience=data.get("audience", ""),
        format=data.get("format", ""), since=since, until=until,
    )  # fmt: skip
    return form, filters


#: The most activities one month grid holds (a month of the whole city is far fewer; the list pages the rest).
MONTH_LIMIT = 400


def _shift_month(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _month_view(request: HttpRequest, form: CalendarFilterForm, filters: selectors.CalendarFilters) -> HttpResponse:
    """A month as a grid of weeks (Monday first), each day with its activities; a day links to its list."""
    since, _until = form.date_range()
    first = (since or timezone.localdate()).replace(day=1)
    last = _shift_month(first, 1) - timedelta(days=1)
    month_filters = dataclasses.replace(filters, since=first, until=last)
    with public_reads():
        rows = list(selectors.public_activities(month_filters)[:MONTH_LIMIT])
    by_day: dict[date, list[Activity]] = {}
    for activity in rows:
        by_day.setdefault(timezone.localdate(activity.starts_at), []).append(activity)
    keep = request.GET.copy()
    for key in ("month", "since", "until", "page", "view"):
        keep.pop(key, None)
    base = keep.urlencode()
    today = timezone.localdate()
    weeks = [
        [{"day": d, "in_month": d.month == first.month, "today": d == today, "items": by_day.get(d, []),
          "url": f"?{base + '&' if base else ''}since={d.isoformat()}&until={d.isoformat()}"} for d in week]
        for week in calendar_module.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]  # fmt: skip
    month_url = f"?{base + '&' if base else ''}view=month&month="
    return render(request, "activities/calendar_month.html", {
        "form": form, "weeks": weeks, "first": first, "full": len(rows) == MONTH_LIMIT,
        "prev_url": month_url + _shift_month(first, -1).strftime("%Y-%m"), "next_url": month_url + _shift_month(first, 1).strftime("%Y-%m"),
        "list_url": f"?{base + '&' if base else ''}month={first:%Y-%m}",
        "feed_url": reverse("activities:calendar_feed") + (f"?{base}" if base else ""),
    })  # fmt: skip


@public
@require_GET
def calendar_view(request: HttpRequest) -> HttpResponse:
    """The public calendar, phone first: upcoming activities (or a month, or a range of dates) by day; with
    `view=month`, a month grid."""
    form, filters = _calendar_filters(request)
    if request.GET.get("view") == "month":
        return _month_view(request, form, filters)
    with public_reads():
        listing = paginated(request, selectors.public_activities(filters), 20)
        rows = list(listing["page_obj"].object_list)
    for activity in rows:
        activity.remaining = max(activity.capacity - activity.seats_taken, 0)  # type: ignore[attr-defined]
    days = [(day, list(items)) for day, items in groupby(rows, key=lambda a: timezone.localdate(a.starts_at))]
    feed = reverse("activities:calendar_feed") + (f"?{listing['querystring']}" if listing["querystring"] else "")
    return render(request, "activities/calendar.html", {"form": form, "days": days, "feed_url": feed, **listing})


def _event(request: HttpRequest, activity: Activity) -> ical.Event:
    places = []
    if activity.needs_place:
        places.append(activity.place or activity.region.name)
    if activity.needs_link:
        places.append("线上")
    details = [activity.brand.name, activity.get_format_display(), activity.description]
    if activity.needs_link and activity.online_url:
        details.append(f"线上链接：{activity.online_url}")
    return ical.Event(
        uid=f"{activity.uid}@xinghuo", starts_at=activity.starts_at, ends_at=activity.ends_at, summary=activity.title,
        location=" / ".join(places), url=request.build_absolute_uri(reverse("activities:detail", args=[activity.uid])),
        description="\n".join(d for d in details if d), cancelled=activity.status == ActivityStatus.CANCELLED,
    )  # fmt: skip


def _ics(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@public
@require_GET
def calendar_feed_view(request: HttpRequest) -> HttpResponse:
    """The calendar as an iCalendar feed, with the same filters as query parameters (a calendar app subscribes)."""
    _form, filters = _calendar_filters(request)
    with public_reads():
        events = [_event(request, a) for a in selectors.public_activities(filters)[:FEED_LIMIT]]
    return _ics(ical.calendar(events, name="星火科普活动", stamp=timezone.now()), "xinghuo-activities.ics")


@public
@require_GET
def event_ics_view(request: HttpRequest, uid: str) -> HttpResponse:
    """One activity as an .ics file: “加入日历”."""
    activity = _public_activity(uid)
    return _ics(ical.calendar([_event(request, activity)], name=activity.title, stamp=timezone.now()), f"activity-{activity.uid}.ics")


@public
@require_GET
def activity_view(request: HttpRequest, uid: str) -> HttpResponse:
    return _page(request, _public_activity(uid), None)


@signed_in
@require_http_methods(["POST"])
def register_view(request: HttpRequest, uid: str) -> HttpResponse:
    if not throttle.signup_allowed(user_id=request.user.pk, ip=client_ip(request)):
        return render(request, "activities/too_many.html", status=429)
    activity = _public_activity(uid, whole=False)  # a rush's every attempt: only what the sign-up needs
    form = RegistrationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.registration_create(activity=activity, user=request.user, **data)  # type: ignore[arg-type]
        except DomainError as exc:
            if exc.field and exc.field in form.fields:
                form.add_domain_error(exc)
            else:
                messages.error(request, exc.message)
                return redirect("activities:detail", uid=activity.uid)
        else:
            if registration.status == RegistrationStatus.CONFIRMED:
                messages.success(request, f"报名成功，签到码 {registration.code}")
            else:
                messages.success(request, "名额已满，您已进入候补：有人取消时按先后顺序递补，递补成功会通知您")
            return redirect("activities:my_registrations")
    return _page(request, _public_activity(uid), form)


@signed_in
@require_GET
def my_registrations_view(request: HttpRequest) -> HttpResponse:
    with public_reads():
        rows = selectors.my_registrations(request.user)
        notices = selectors.my_notices(request.user)
    return render(request, "activities/my_registrations.html", {"registrations": rows, "notices": notices})


@signed_in
@require_POST
def my_registration_cancel_view(request: HttpRequest, uid: str) -> HttpResponse:
    try:
        registration = get_by_uid(Registration.unscoped.filter(user=request.user), uid)
    except NotFound as exc:
        raise Http404 from exc
    try:
        services.registration_cancel(registration=registration, by=request.user)  # type: ignore[arg-type]
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已取消报名")
    return redirect("activities:my_registrations")


@signed_in
@require_GET
def my_registration_qr_view(request: HttpRequest, uid: str) -> HttpResponse:
    """The QR of a confirmed registration of the user's own: it encodes just the check-in code, which staff scan at
    the door (a waitlisted code is not valid until confirmed, so it has none)."""
    mine = Registration.unscoped.filter(user=request.user, status=RegistrationStatus.CONFIRMED)
    try:
        registration = get_by_uid(mine, uid)
    except NotFound as exc:
        raise Http404 from exc
    response = qr_svg_response(registration.code, title=f"签到码 {registration.code}")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response
