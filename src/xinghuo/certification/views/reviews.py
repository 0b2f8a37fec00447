"""Console pages of the yearly re-check (年度复核): open a year, the venue's self-report with photos, the
spot check, the outcome; the list and its Excel."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinghuo.accounts.roles import Role
from xinghuo.certification import permissions, selectors, services
from xinghuo.certification.forms import (
    OpenYearForm,
    ReportForm,
    ReviewDecideForm,
    ReviewFilterForm,
    SpotCheckForm,
)
from xinghuo.certification.models import (
    AnnualReview,
    Evidence,
    ReviewStatus,
)
from xinghuo.certification.views.common import ROLES, actor_of, crumbs, run_step
from xinghuo.console.context import console_context, paginated
from xinghuo.core.access import for_roles
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.excel import Column, export_response
from xinghuo.core.forms import Form
from xinghuo.core.lookup import get_by_uid

# --- yearly re-checks (年度复核) -------------------------------------------------------------------------------


@for_roles(*ROLES)
@require_http_methods(["GET", "POST"])
def review_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    this_year = timezone.localdate().year
    open_form = OpenYearForm(request.POST or None, initial={"year": this_year})
    if request.method == "POST":
        if not permissions.can_review_as_city(actor):
            raise Http404
        if open_form.is_valid():
            try:
                opened = services.annual_reviews_open(actor=actor, year=open_form.cleaned_data["year"])
            except DomainError as exc:
                open_form.add_domain_error(exc)
            else:
                messages.success(request, f"已发起 {open_form.cleaned_data['year']} 年度复核：{opened} 个场馆")
                return redirect(f"{reverse('certification_console:reviews')}?year={open_form.cleaned_data['year']}")
    filters = ReviewFilterForm(request.GET or None, initial={"year": this_year})
    data = filters.cleaned_data if filters.is_valid() else {}
    year = data.get("year") or this_year
    return render(request, "certification/reviews.html", console_context(
        request, title=f"{year} 年度复核", crumbs=crumbs(("年度复核", None)), filters=filters, open_form=open_form, year=year,
        can_open=permissions.can_review_as_city(actor), due=selectors.due_for_reassessment()[:50],
        **paginated(request, selectors.review_list(year=year, status=data.get("status", "")), 30),
    ), status=400 if open_form.errors else 200)  # fmt: skip


REVIEW_COLUMNS = [
    Column("年度", lambda r: r.year, 8), Column("场馆", lambda r: r.venue.name, 30), Column("统一编号", lambda r: r.venue.code or "", 22),
    Column("场馆类型", lambda r: r.venue.get_venue_type_display(), 16), Column("运营单位", lambda r: r.venue.operator.name, 28),
    Column("所在区划", lambda r: r.venue.region.name, 16), Column("全年开放天数", lambda r: r.opening_days, 12),
    Column("全年接待人次", lambda r: r.visitors, 12), Column("全年活动场次", lambda r: r.activities, 12),
    Column("实地抽查", lambda r: "是" if r.spot_checked else "否", 8), Column("状态", lambda r: r.get_status_display(), 10),
    Column("结论", lambda r: r.get_outcome_display(), 10), Column("结论说明", lambda r: r.reason, 30),
]  # fmt: skip


@for_roles(*ROLES)
@require_GET
def review_export_view(request: HttpRequest) -> HttpResponse:
    filters = ReviewFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    year = data.get("year") or timezone.localdate().year
    rows = selectors.review_list(year=year, status=data.get("status", "")).iterator(chunk_size=2000)
    return export_response(filename=f"{year}年度复核", sheet="年度复核", columns=REVIEW_COLUMNS, rows=rows,
                           object_type="certification.annualreview", filters={"year": year, "status": data.get("status", "")})  # fmt: skip


def _review(uid: str) -> AnnualReview:
    try:
        return get_by_uid(AnnualReview.objects.select_related("venue__region", "venue__operator"), uid)
    except NotFound as exc:
        raise Http404 from exc


def _review_page(request: HttpRequest, review: AnnualReview, *, status: int = 200, **forms: Form) -> HttpResponse:
    actor = actor_of(request)
    open_ = review.status in (ReviewStatus.AWAITING, ReviewStatus.REPORTED)
    if open_ and permissions.can_file(actor):
        forms.setdefault("report_form", ReportForm(initial={
            "opening_days": review.opening_days, "visitors": review.visitors, "activities": review.activities, "report": review.report}))  # fmt: skip
    if open_ and permissions.can_spot_check(actor):
        forms.setdefault("spot_form", SpotCheckForm(initial={"note": review.spot_check_note}))
    if open_ and permissions.can_review_as_city(actor):
        forms.setdefault("decide_form", ReviewDecideForm())
    return render(request, "certification/review.html", console_context(
        request, title=str(review), crumbs=crumbs(("年度复核", reverse("certification_console:reviews") + f"?year={review.year}"), (review.venue.name, None)),
        review=review, venue=review.venue, photos=list(Evidence.objects.filter(review=review)), **forms,
    ), status=status)  # fmt: skip


@for_roles(*ROLES)
@require_GET
def review_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    return _review_page(request, _review(uid))


def _review_url(review: AnnualReview) -> str:
    return reverse("certification_console:review", args=[review.uid])


@for_roles(*permissions.FILER_ROLES)
@require_POST
def review_report_view(request: HttpRequest, uid: str) -> HttpResponse:
    review = _review(uid)
    return run_step(
        request, ReportForm(request.POST, request.FILES),
        lambda data: services.annual_review_report(
            actor=actor_of(request), review=review, opening_days=data["opening_days"], visitors=data["visitors"],
            activities=data["activities"], report=data["report"], photos=data["photos"],
        ),
        back=_review_url(review), success=lambda _: "年度自查已提交",
        page=lambda form: _review_page(request, review, status=400, report_form=form),
    )  # fmt: skip


@for_roles(Role.COUNTY_STAFF, Role.CITY_STAFF)
@require_POST
def review_spot_check_view(request: HttpRequest, uid: str) -> HttpResponse:
    review = _review(uid)
    return run_step(
        request, SpotCheckForm(request.POST),
        lambda data: services.annual_review_spot_check(actor=actor_of(request), review=review, note=data["note"]),
        back=_review_url(review), success=lambda _: "抽查情况已记录",
        page=lambda form: _review_page(request, review, status=400, spot_form=form),
    )  # fmt: skip


@for_roles(Role.CITY_STAFF)
@require_POST
def review_decide_view(request: HttpRequest, uid: str) -> HttpResponse:
    review = _review(uid)
    return run_step(
        request, ReviewDecideForm(request.POST),
        lambda data: services.annual_review_decide(actor=actor_of(request), review=review, outcome=data["outcome"], reason=data["reason"]),
        back=_review_url(review), success=lambda r: f"复核结论：{r.get_outcome_display()}",
        page=lambda form: _review_page(request, review, status=400, decide_form=form),
    )  # fmt: skip
