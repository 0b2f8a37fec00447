"""Console pages of activities: the list and its Excel export, filing and editing, the detail page with the step
history and the form of the actor's turn, report photos, and the brands' progress toward this year's targets.

Every page fetches in the actor's scope (another county's activity answers 404 like a missing one); each form
posts to the step it does, which calls one service and shows its Chinese message beside the field."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinghuo.accounts.roles import Role
from xinghuo.activities import importer, permissions, registrations, selectors, services
from xinghuo.activities.errors import ActivityError, RegistrationError
from xinghuo.activities.forms import (
    ActivityFilterForm,
    ActivityForm,
    CancelForm,
    CheckInForm,
    RegistrationCancelForm,
    ReportForm,
    ReviewForm,
    VerifyForm,
    YearForm,
)
from xinghuo.activities.models import (
    CANCELLABLE_STATUSES,
    Activity,
    ActivityPhoto,
    ActivityStatus,
    Brand,
    BrandTarget,
    Level,
    Registration,
)
from xinghuo.activities.views.common import actor_of, crumbs, run_step
from xinghuo.console.context import console_context, paginated
from xinghuo.console.imports import handle_import
from xinghuo.core.access import for_roles
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.excel import Column, export_response
from xinghuo.core.files import file_response
from xinghuo.core.lookup import get_by_uid
from xinghuo.core.masking import mask_phone
from xinghuo.core.scoping import public_reads
from xinghuo.organisations.models import Organisation
from xinghuo.regions.selectors import working_regions
from xinghuo.venues.models import PUBLIC_STATUSES, Venue

ROLES = permissions.VIEWER_ROLES
FILERS = permissions.FILER_ROLES
APPROVERS = permissions.APPROVER_ROLES


def _activity(uid: str) -> Activity:
    try:
        return selectors.get_activity_for_actor(uid)
    except NotFound as exc:
        raise Http404 from exc


def _detail_url(activity: Activity) -> str:
    return reverse("activities_console:detail", args=[activity.uid])


# --- list and export ------------------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> tuple[ActivityFilterForm, selectors.ActivityFilters]:
    form = ActivityFilterForm(request.GET or None, brands=list(Brand.objects.order_by("order")), regions=working_regions(actor_of(request)))
    data = form.cleaned_data if form.is_valid() else {}
    return form, selectors.ActivityFilters(
        status=data.get("status", ""), brand=data.get("brand", ""), level=data.get("level", ""), region=data.get("region", ""),
        year=data.get("year"), q=data.get("q", ""), todo=bool(data.get("todo")),
    )  # fmt: skip


@for_roles(*ROLES)
@require_GET
def activity_list_view(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    return render(request, "activities/list.html", console_context(
        request, title="科普活动", crumbs=[("科普活动", None)], form=form, can_file=permissions.can_file(actor_of(request)),
        **paginated(request, selectors.activity_list(actor=actor_of(request), filters=filters)),
    ))  # fmt: skip


EXPORT_COLUMNS = [
    Column("活动名称", lambda a: a.title, 30), Column("品牌", lambda a: a.brand.name, 18), Column("层级", lambda a: a.get_level_display(), 10),
    Column("形式", lambda a: a.get_format_display(), 12), Column("主办单位", lambda a: a.organiser.name, 28),
    Column("协办单位", lambda a: a.co_organisers, 24), Column("举办地区划", lambda a: a.region.name, 16),
    Column("场馆或地址", lambda a: a.place, 30), Column("线上链接", lambda a: a.online_url, 30),
    Column("开始时间", lambda a: a.starts_at, 18), Column("结束时间", lambda a: a.ends_at, 18),
    Column("面向人群", lambda a: "、".join(a.audience_labels()), 24), Column("主题", lambda a: "、".join(a.topic_labels()), 30),
    Column("应急科普", lambda a: a.is_emergency, 10), Column("名额", lambda a: a.capacity or "不限", 8),
    Column("状态", lambda a: a.get_status_display(), 10), Column("现场参与人次", lambda a: a.attendance, 12),
    Column("线上观看人次", lambda a: a.online_views, 12), Column("核验时间", lambda a: a.verified_at, 18),
]  # fmt: skip


@for_roles(*ROLES)
@require_GET
def activity_export_view(request: HttpRequest) -> HttpResponse:
    _, filters = _filters(request)
    rows = selectors.activity_list(actor=actor_of(request), filters=filters).iterator(chunk_size=2000)
    return export_response(filename="科普活动", sheet="科普活动", columns=EXPORT_COLUMNS, rows=rows, object_type="activities.activity",
                           filters=filters.__dict__)  # fmt: skip


@for_roles(*FILERS)
@require_GET
def import_template_view(request: HttpRequest) -> HttpResponse:
    """The template is the actor's list of activities waiting for a report, to be filled in and uploaded."""
    return export_response(filename="待报送活动表", sheet="活动情况", columns=importer.TEMPLATE_COLUMNS,
                           rows=importer.awaiting_report().iterator(chunk_size=2000), object_type="activities.activity",
                           filters={"awaiting_report": True})  # fmt: skip


@for_roles(*FILERS)
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    """Upload the filled list: each row reports its activity; nothing is saved if any row is wrong, unless the user
    chose to import the good rows."""
    outcome = handle_import(
        request, columns=importer.COLUMNS, build=importer.make_builder(actor_of(request)), save=importer.save,
        object_type="activities.activity", description="导入活动情况",
    )  # fmt: skip
    return render(request, "activities/import.html", console_context(
        request, title="导入活动情况", crumbs=crumbs(("导入活动情况", None)), report=outcome.report, error=outcome.error,
        pending=importer.awaiting_report().count(),
    ), status=outcome.status)  # fmt: skip


# --- filing and editing ---------------------------------------------------------------------------------------


def _choosable_venues() -> dict[str, Venue]:
    """Venues an activity may be held at: any venue on the public map, and the actor's own coded venues."""
    with public_reads():
        public = {v.code: v for v in Venue.objects.filter(status__in=PUBLIC_STATUSES).exclude(code=None).select_related("region")}
    own = {v.code: v for v in Venue.objects.exclude(code=None).select_related("region")}
    return {**own, **public}


def _activity_form(request: HttpRequest, *, initial: dict[str, Any] | None = None, activity: Activity | None = None) -> ActivityForm:
    brands = list(selectors.brand_list())
    organisers = list(Organisation.objects.filter(is_active=True).order_by("path"))
    regions = working_regions(actor_of(request))
    venues = _choosable_venues()
    if activity is not None:  # editing keeps what the activity has, even if the editor could not choose it now
        brands += [] if activity.brand in brands else [activity.brand]
        organisers += [] if activity.organiser in organisers else [activity.organiser]
        regions += [] if activity.region in regions else [activity.region]
        if activity.venue is not None and activity.venue.code:
            venues.setdefault(activity.venue.code, activity.venue)
    data = request.POST if request.method == "POST" else None
    return ActivityForm(data, initial=initial, brands=brands, organisers=organisers, regions=regions, venues=venues)


def _form_page(request: HttpRequest, form: ActivityForm, *, activity: Activity | None) -> HttpResponse:
    title = f"修改活动：{activity.title}" if activity else "填报活动"
    here = crumbs((activity.title, _detail_url(activity)), ("修改", None)) if activity else crumbs(("填报", None))
    venue_choices = sorted((code, v.name) for code, v in form.venues.items())
    return render(request, "activities/form.html", console_context(
        request, title=title, crumbs=here, form=form, activity=activity, venue_choices=venue_choices,
    ), status=400 if form.errors else 200)  # fmt: skip


FORM_FIELDS = ("title", "brand", "level", "format", "organiser", "co_organisers", "region", "venue", "address", "online_url",
               "starts_at", "ends_at", "audiences", "topics", "description", "capacity", "registration_opens", "registration_closes")  # fmt: skip


@for_roles(*FILERS)
@require_http_methods(["GET", "POST"])
def activity_create_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    initial = {"organiser": str(actor.organisation.uid), "region": actor.organisation.region.code, "capacity": 0}
    form = _activity_form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in FORM_FIELDS}
        try:
            activity = services.activity_create(actor=actor, **fields)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "活动已保存为草稿：核对无误后请提交审核")
            return redirect("activities_console:detail", uid=activity.uid)
    return _form_page(request, form, activity=None)


def _local(moment: Any) -> Any:
    return timezone.localtime(moment) if moment else None


@for_roles(*FILERS)
@require_http_methods(["GET", "POST"])
def activity_edit_view(request: HttpRequest, uid: str) -> HttpResponse:
    activity = _activity(uid)
    if not activity.is_editable:
        messages.error(request, f"活动当前为“{activity.get_status_display()}”，不能修改")
        return redirect(_detail_url(activity))
    initial = {
        **{k: getattr(activity, k) for k in ("title", "level", "format", "co_organisers", "address", "online_url", "description", "capacity")},
        "brand": activity.brand.code, "organiser": str(activity.organiser.uid), "region": activity.region.code,
        "venue": activity.venue.code if activity.venue else "", "audiences": activity.audiences, "topics": activity.topics,
        **{k: _local(getattr(activity, k)) for k in ("starts_at", "ends_at", "registration_opens", "registration_closes")},
    }  # fmt: skip
    form = _activity_form(request, initial=initial, activity=activity)
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in FORM_FIELDS}
        try:
            services.activity_update(actor=actor_of(request), activity=activity, **fields)
        except DomainError as exc:
            if exc.status == 404 or exc.code == ActivityError.STATUS:
                messages.error(request, exc.message)
                return redirect(_detail_url(activity))
            form.add_domain_error(exc)
        else:
            messages.success(request, "活动已保存")
            return redirect(_detail_url(activity))
    return _form_page(request, form, activity=activity)


# --- the detail page and its steps ----------------------------------------------------------------------------


def _detail(request: HttpRequest, activity: Activity, *, status: int = 200, **forms: Any) -> HttpResponse:
    actor = actor_of(request)
    filer = permissions.can_file(actor)
    approver = permissions.can_approve(actor, activity.level)
    turns = {
        "editable": activity.is_editable and filer,
        "review_turn": activity.status == ActivityStatus.SUBMITTED and approver,
        "hold_turn": activity.status == ActivityStatus.PUBLISHED and filer,
        "report_turn": activity.status == ActivityStatus.HELD and filer,
        "verify_turn": activity.status == ActivityStatus.REPORTED and approver,
        "cancel_turn": activity.status in CANCELLABLE_STATUSES and filer and activity.ends_at > timezone.now(),
    }
    if turns["cancel_turn"]:
        forms.setdefault("cancel_form", CancelForm())
    if turns["review_turn"]:
        forms.setdefault("review_form", ReviewForm())
    summary = selectors.registration_summary(activity)
    if turns["report_turn"]:
        # the seats checked in at the door are the attendance to start from; what the filer types is kept
        attendance = activity.attendance if activity.attendance is not None else summary["checked_in_seats"] or None
        forms.setdefault("report_form", ReportForm(initial={
            "attendance": attendance, "online_views": activity.online_views, "summary": activity.summary,
        }))  # fmt: skip
    if turns["verify_turn"]:
        forms.setdefault("verify_form", VerifyForm())
    positions = {r.pk: n for n, r in enumerate(summary["waitlist"], start=1)}
    summary["registration_rows"] = [(r, mask_phone(r.contact_phone), positions.get(r.pk)) for r in summary.pop("registrations")]
    return render(request, "activities/detail.html", console_context(
        request, title=activity.title, crumbs=crumbs((activity.title, None)), activity=activity,
        **selectors.activity_detail(activity), **turns, started=activity.starts_at <= timezone.now(), **forms, **summary,
    ), status=status)  # fmt: skip


@for_roles(*ROLES)
@require_GET
def activity_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    return _detail(request, _activity(uid))


def _simple_step(request: HttpRequest, uid: str, act: Any, success: str) -> HttpResponse:
    activity = _activity(uid)
    try:
        act(activity)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect(_detail_url(activity))


@for_roles(*FILERS)
@require_POST
def submit_view(request: HttpRequest, uid: str) -> HttpResponse:
    return _simple_step(request, uid, lambda a: services.activity_submit(actor=actor_of(request), activity=a), "已提交审核")


@for_roles(*FILERS)
@require_POST
def held_view(request: HttpRequest, uid: str) -> HttpResponse:
    return _simple_step(request, uid, lambda a: services.activity_mark_held(actor=actor_of(request), activity=a),
                        "已确认举办：请报送活动情况")  # fmt: skip


@for_roles(*APPROVERS)
@require_POST
def review_view(request: HttpRequest, uid: str) -> HttpResponse:
    activity = _activity(uid)
    return run_step(
        request, ReviewForm(request.POST),
        lambda data: services.activity_review(
            actor=actor_of(request), activity=activity, approve=data["decision"] == "approve", reason=data["reason"]
        ),
        back=_detail_url(activity),
        success=lambda a: "已审核通过并发布" if a.status == ActivityStatus.PUBLISHED else "已退回修改",
        page=lambda form: _detail(request, activity, status=400, review_form=form),
    )  # fmt: skip


@for_roles(*FILERS)
@require_POST
def report_view(request: HttpRequest, uid: str) -> HttpResponse:
    activity = _activity(uid)
    return run_step(
        request, ReportForm(request.POST, request.FILES),
        lambda data: services.activity_report(
            actor=actor_of(request), activity=activity, attendance=data["attendance"], online_views=data["online_views"],
            summary=data["summary"], photos=data["photos"],
        ),
        back=_detail_url(activity), success=lambda _: "活动情况已报送，等待核验",
        page=lambda form: _detail(request, activity, status=400, report_form=form),
    )  # fmt: skip


@for_roles(*APPROVERS)
@require_POST
def verify_view(request: HttpRequest, uid: str) -> HttpResponse:
    activity = _activity(uid)
    return run_step(
        request, VerifyForm(request.POST),
        lambda data: services.activity_verify(
            actor=actor_of(request), activity=activity, approve=data["decision"] == "verify", reason=data["reason"]
        ),
        back=_detail_url(activity),
        success=lambda a: "已核验，计入品牌年度目标" if a.status == ActivityStatus.VERIFIED else "已退回补充活动情况",
        page=lambda form: _detail(request, activity, status=400, verify_form=form),
    )  # fmt: skip


@for_roles(*FILERS)
@require_POST
def cancel_view(request: HttpRequest, uid: str) -> HttpResponse:
    activity = _activity(uid)
    return run_step(
        request, CancelForm(request.POST),
        lambda data: services.activity_cancel(actor=actor_of(request), activity=activity, reason=data["reason"]),
        back=_detail_url(activity), success=lambda _: "活动已取消，已通知报名的群众",
        page=lambda form: _detail(request, activity, status=400, cancel_form=form),
    )  # fmt: skip


# --- registrations --------------------------------------------------------------------------------------------


REGISTRATION_COLUMNS = [
    Column("签到码", lambda r: r.code, 12), Column("状态", lambda r: r.get_status_display(), 10), Column("人数", lambda r: r.seats, 8),
    Column("报名人", lambda r: r.user.name, 12), Column("联系电话", lambda r: mask_phone(r.contact_phone), 16),
    Column("团体名称", lambda r: r.group_name, 24), Column("带队老师电话", lambda r: mask_phone(r.group_contact), 16),
    Column("参加人", lambda r: r.participant_shown, 12), Column("年龄", lambda r: r.participant_age, 8),
    Column("监护人", lambda r: r.guardian_name, 12), Column("监护人电话", lambda r: mask_phone(r.guardian_phone), 16),
    Column("报名时间", lambda r: r.created_at, 18),
]  # fmt: skip


@for_roles(*ROLES)
@require_GET
def registrations_export_view(request: HttpRequest, uid: str) -> HttpResponse:
    activity = _activity(uid)
    rows = selectors.registrations_of(activity).iterator(chunk_size=2000)
    return export_response(filename=f"活动报名-{activity.title}"[:60], sheet="活动报名", columns=REGISTRATION_COLUMNS, rows=rows,
                           object_type="activities.registration", filters={"activity": str(activity.uid)})  # fmt: skip


@for_roles(*ROLES)
@require_POST
def registration_cancel_view(request: HttpRequest, uid: str) -> HttpResponse:
    """Staff cancel one registration for its registrant, with a reason they are told."""
    try:
        registration = get_by_uid(Registration.objects.select_related("activity"), uid)
    except NotFound as exc:
        raise Http404 from exc
    form = RegistrationCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            registrations.registration_cancel_by_staff(
                actor=actor_of(request), registration=registration, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            if exc.status == 404:
                raise Http404 from exc
            messages.error(request, exc.message)
        else:
            messages.success(request, f"报名 {registration.code} 已取消，已通知报名人")
    return redirect(_detail_url(registration.activity) + "#registrations")


def _checkin_page(request: HttpRequest, activity: Activity, form: CheckInForm, *, status: int = 200) -> HttpResponse:
    summary = selectors.registration_summary(activity)
    recent = sorted((r for r in summary["registrations"] if r.checked_in_at), key=lambda r: r.checked_in_at, reverse=True)[:20]
    return render(request, "activities/checkin.html", console_context(
        request, title=f"签到：{activity.title}", crumbs=crumbs((activity.title, _detail_url(activity)), ("签到", None)),
        activity=activity, form=form, recent=recent, **{k: summary[k] for k in (
            "confirmed_count", "confirmed_seats", "checked_in_count", "checked_in_seats")},
    ), status=status)  # fmt: skip


@for_roles(*ROLES)
@require_http_methods(["GET", "POST"])
def checkin_view(request: HttpRequest, uid: str) -> HttpResponse:
    """Check-in at the door: staff type the registrant's code (always works, no script) or scan its QR with the
    camera (checkin.js reads it and submits the same form)."""
    activity = _activity(uid)
    if request.method == "GET":
        return _checkin_page(request, activity, CheckInForm())
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            registration = registrations.registration_check_in(actor=actor_of(request), activity=activity, code=form.cleaned_data["code"])
        except DomainError as exc:
            if exc.code == RegistrationError.ALREADY_CHECKED_IN:
                messages.warning(request, exc.message)
                return redirect("activities_console:checkin", uid=activity.uid)
            if exc.status == 404:
                raise Http404 from exc
            form.add_domain_error(exc)
        else:
            who = registration.who_shown
            messages.success(request, f"签到成功：{registration.code} · {who} · {registration.seats} 人")
            return redirect("activities_console:checkin", uid=activity.uid)
    return _checkin_page(request, activity, form, status=400)


# --- report photos --------------------------------------------------------------------------------------------


def _photo(uid: str) -> ActivityPhoto:
    try:
        return get_by_uid(ActivityPhoto.objects.select_related("activity"), uid)
    except NotFound as exc:
        raise Http404 from exc


@for_roles(*ROLES)
@require_GET
def photo_view(request: HttpRequest, uid: str) -> HttpResponse:
    """A report photo, in scope only (kept outside the media root)."""
    response = file_response(_photo(uid).image, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@for_roles(*FILERS)
@require_POST
def photo_delete_view(request: HttpRequest, uid: str) -> HttpResponse:
    photo = _photo(uid)
    try:
        services.activity_photo_remove(actor=actor_of(request), photo=photo)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "照片已删除")
    return redirect(_detail_url(photo.activity))


# --- brands and their progress --------------------------------------------------------------------------------


@for_roles(Role.CITY_STAFF)
@require_http_methods(["GET", "POST"])
def targets_view(request: HttpRequest) -> HttpResponse:
    """City staff set a year's targets per brand and level; a year without any starts from the year before."""
    form = YearForm(request.GET or None)
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or timezone.localdate().year
    brands = list(selectors.brand_list())
    current = {(t.brand_id, t.level): t for t in BrandTarget.objects.filter(year=year)}
    source = current or {(t.brand_id, t.level): t for t in BrandTarget.objects.filter(year=year - 1)}
    error = None
    values: dict[str, Any] = {}
    for brand in brands:
        for level in Level.values:
            target = source.get((brand.pk, level))
            values[f"{brand.code}-{level}-min"] = target.minimum if target else ""
            values[f"{brand.code}-{level}-max"] = target.maximum if target and target.maximum is not None else ""
    if request.method == "POST":
        values = {key: request.POST.get(key, "").strip() for key in values}
        rows = [
            services.TargetRow(brand=b, level=lv, minimum=values[f"{b.code}-{lv}-min"], maximum=values[f"{b.code}-{lv}-max"])
            for b in brands for lv in Level.values
        ]  # fmt: skip
        try:
            services.brand_targets_set(actor=actor_of(request), year=year, rows=rows)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, f"{year} 年品牌活动目标已保存")
            return redirect(f"{reverse('activities_console:brands')}?year={year}")
    table = [
        (brand, [{"label": Level(level).label, **{end: {"name": (name := f"{brand.code}-{level}-{end}"), "value": values[name]}
                                                   for end in ("min", "max")}} for level in Level.values])
        for brand in brands
    ]  # fmt: skip
    return render(request, "activities/targets.html", console_context(
        request, title=f"设定 {year} 年品牌活动目标", crumbs=crumbs(("品牌活动", reverse("activities_console:brands")), ("年度目标", None)),
        year=year, table=table, error=error, prefilled=not current and bool(source),
    ), status=400 if error else 200)  # fmt: skip


@for_roles(*ROLES)
@require_GET
def brands_view(request: HttpRequest) -> HttpResponse:
    form = YearForm(request.GET or None)
    this_year = timezone.localdate().year
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or this_year
    return render(request, "activities/brands.html", console_context(
        request, title=f"{year} 年品牌活动目标进度", crumbs=crumbs(("品牌活动", None)), form=form, year=year,
        rows=selectors.brand_progress(year), brands=list(selectors.brand_list()),
        whole_city=actor_of(request).role == Role.CITY_STAFF,
    ))  # fmt: skip
