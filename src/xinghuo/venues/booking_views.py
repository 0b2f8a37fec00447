"""Pages for visit booking: citizens book a slot on the venue's page and manage their bookings; operators
and staff see the bookings of their venues, confirm, cancel and record attendance, and open slots."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinghuo.accounts.roles import Role
from xinghuo.console.context import console_context, paginated
from xinghuo.core.access import for_roles, signed_in
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.excel import Column, export_response
from xinghuo.core.forms import Form
from xinghuo.core.lookup import get_by_uid
from xinghuo.core.masking import mask_phone
from xinghuo.core.scoping import public_reads
from xinghuo.venues import booking as services
from xinghuo.venues.models import Booking, BookingStatus, Venue, VisitSlot

STAFF_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF, Role.ORGANISER)


class BookingForm(Form):
    party_size = forms.IntegerField(label=_("人数"), min_value=1, max_value=services.MAX_PARTY, initial=1,
                                    error_messages={"required": _("请填写人数"), "invalid": _("人数应为整数")})  # fmt: skip
    contact_name = forms.CharField(label=_("联系人"), max_length=50, error_messages={"required": _("请填写联系人")})
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, error_messages={"required": _("请填写联系电话")})
    is_group = forms.BooleanField(label=_("团体预约（学校、单位）"), required=False)
    group_name = forms.CharField(label=_("学校或团体名称"), max_length=100, required=False)


def open_slots(venue: Venue, days: int = 14) -> list[VisitSlot]:
    now = timezone.now()
    with public_reads():
        return list(
            VisitSlot.objects.filter(venue=venue, is_open=True, starts_at__gt=now, starts_at__lt=now + timedelta(days=days)).order_by(
                "starts_at"
            )
        )


def _public_slot(code: str, slot_uid: str) -> VisitSlot:
    with public_reads():
        try:
            slot = get_by_uid(VisitSlot.objects.select_related("venue").filter(venue__code=code), slot_uid)
        except NotFound as exc:
            raise Http404 from exc
    if not slot.venue.is_public:
        raise Http404
    return slot


@signed_in
@require_http_methods(["GET", "POST"])
def book_view(request: HttpRequest, code: str, slot_uid: str) -> HttpResponse:
    slot = _public_slot(code, slot_uid)
    user = request.user
    form = BookingForm(
        request.POST if request.method == "POST" else None, initial={"contact_name": user.name, "contact_phone": user.phone or ""}
    )  # type: ignore[union-attr]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.booking_create(
                slot=slot, user=user, party_size=data["party_size"], contact_name=data["contact_name"],  # type: ignore[arg-type]
                contact_phone=data["contact_phone"], is_group=data["is_group"], group_name=data["group_name"],
            )  # fmt: skip
        except DomainError as exc:
            if exc.field:
                form.add_domain_error(exc)
            else:
                messages.error(request, exc.message)
        else:
            messages.success(request, f"预约成功：{slot.venue.name} {timezone.localtime(slot.starts_at):%m月%d日 %H:%M}")
            return redirect("venues:my_bookings")
    slot.refresh_from_db(fields=["booked"])
    return render(request, "venues/book.html", {"slot": slot, "venue": slot.venue, "form": form}, status=400 if form.errors else 200)


@signed_in
@require_GET
def my_bookings_view(request: HttpRequest) -> HttpResponse:
    with public_reads():
        bookings = list(Booking.objects.filter(user=request.user).select_related("slot__venue").order_by("-slot__starts_at")[:100])
    return render(request, "venues/my_bookings.html", {"bookings": bookings, "now": timezone.now()})


@signed_in
@require_POST
def my_booking_cancel_view(request: HttpRequest, uid: str) -> HttpResponse:
    with public_reads():
        try:
            booking = get_by_uid(Booking.objects.filter(user=request.user), uid)
        except NotFound as exc:
            raise Http404 from exc
    try:
        services.booking_cancel(booking=booking)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已取消预约，名额已释放")
    return redirect("venues:my_bookings")


# --- console --------------------------------------------------------------------------------------------------


def _console_bookings(request: HttpRequest) -> tuple[str, Any]:
    status = request.GET.get("status", "")
    qs = Booking.objects.select_related("slot__venue", "user").order_by("-slot__starts_at", "-created_at")
    if status in BookingStatus.values:
        qs = qs.filter(status=status)
    return status, qs


@for_roles(*STAFF_ROLES)
@require_GET
def console_bookings_view(request: HttpRequest) -> HttpResponse:
    status, qs = _console_bookings(request)
    listing = paginated(request, qs, 30)
    rows = [(b, mask_phone(b.contact_phone)) for b in listing["page_obj"]]
    return render(request, "venues/console_bookings.html", console_context(
        request, title="参观预约", crumbs=[("科普阵地", reverse("venues_console:list")), ("参观预约", None)],
        rows=rows, status=status, statuses=BookingStatus.choices, **listing,
    ))  # fmt: skip


BOOKING_COLUMNS = [
    Column("场馆", lambda b: b.slot.venue.name, 30), Column("统一编号", lambda b: b.slot.venue.code or "", 22),
    Column("开始时间", lambda b: timezone.localtime(b.slot.starts_at).strftime("%Y-%m-%d %H:%M"), 18),
    Column("人数", lambda b: b.party_size, 8), Column("团体名称", lambda b: b.group_name, 24),
    Column("联系人", lambda b: b.contact_name, 12), Column("联系电话", lambda b: mask_phone(b.contact_phone), 16),
    Column("状态", lambda b: b.get_status_display(), 10), Column("预约时间", lambda b: b.created_at, 18),
]  # fmt: skip


@for_roles(*STAFF_ROLES)
@require_GET
def console_bookings_export_view(request: HttpRequest) -> HttpResponse:
    status, qs = _console_bookings(request)
    return export_response(filename="参观预约", sheet="参观预约", columns=BOOKING_COLUMNS, rows=qs.iterator(chunk_size=2000),
                           object_type="venues.booking", filters={"status": status})  # fmt: skip


@for_roles(*STAFF_ROLES)
@require_POST
def console_booking_action_view(request: HttpRequest, uid: str, action: str) -> HttpResponse:
    try:
        booking = get_by_uid(Booking.objects.all(), uid)
    except NotFound as exc:
        raise Http404 from exc
    act = {
        "confirm": lambda: services.booking_confirm(booking=booking),
        "cancel": lambda: services.booking_cancel(booking=booking),
        "attended": lambda: services.booking_mark_attendance(booking=booking, attended=True),
        "no_show": lambda: services.booking_mark_attendance(booking=booking, attended=False),
    }.get(action)
    if act is None:
        raise Http404
    try:
        act()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已更新预约")
    return redirect("venues_console:bookings")


class SlotsForm(Form):
    first_day = forms.DateField(
        label=_("从哪天起"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("请选择开始日期"), "invalid": _("日期格式不正确")},
    )
    weeks = forms.IntegerField(label=_("连续几周"), min_value=1, max_value=26, initial=4)
    weekdays = forms.MultipleChoiceField(
        label=_("每周哪几天"), widget=forms.CheckboxSelectMultiple,
        choices=[(str(i), n) for i, n in enumerate(("周一", "周二", "周三", "周四", "周五", "周六", "周日"))],
        error_messages={"required": _("请至少选择一天")},
    )  # fmt: skip
    start = forms.RegexField(
        label=_("开始时间"), regex=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", initial="09:00", error_messages={"invalid": _("时间格式为 HH:MM")}
    )
    end = forms.RegexField(
        label=_("结束时间"), regex=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", initial="11:00", error_messages={"invalid": _("时间格式为 HH:MM")}
    )
    capacity = forms.IntegerField(label=_("每个时段名额"), min_value=1, max_value=5000, initial=30)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] >= data["end"]:
            self.add_error("end", _("结束时间应晚于开始时间"))
        return data


@for_roles(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def console_slots_view(request: HttpRequest, uid: str) -> HttpResponse:
    try:
        venue = get_by_uid(Venue.objects.all(), uid)
    except NotFound as exc:
        raise Http404 from exc
    form = SlotsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        first = timezone.make_aware(datetime.combine(data["first_day"], datetime.min.time()))
        try:
            created = services.slots_create_weekly(
                venue=venue, first_day=first, weeks=data["weeks"], weekdays=[int(d) for d in data["weekdays"]],
                start=data["start"], end=data["end"], capacity=data["capacity"],
            )  # fmt: skip
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已开放 {len(created)} 个参观时段")
            return redirect("venues_console:slots", uid=venue.uid)
    slots = VisitSlot.objects.filter(venue=venue, starts_at__gte=timezone.now()).order_by("starts_at")[:60]
    return render(request, "venues/console_slots.html", console_context(
        request, title=f"开放时段：{venue.name}", crumbs=[("科普阵地", reverse("venues_console:list")), (venue.name, None)],
        venue=venue, form=form, slots=slots,
    ), status=400 if form.errors else 200)  # fmt: skip
