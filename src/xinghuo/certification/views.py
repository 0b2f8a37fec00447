"""Console pages of certification: applications and each step on them, the standards, the yearly re-checks.

Every page fetches in the actor's scope (another county's application answers 404 like a missing one); each
form posts to the step it does, which calls one service and shows its Chinese message beside the field."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinghuo.accounts.roles import Role
from xinghuo.certification import permissions, selectors, services
from xinghuo.certification.errors import CertificationError as E
from xinghuo.certification.forms import (
    AnswerForm,
    ApplicationFilterForm,
    CityReviewForm,
    CountyReviewForm,
    DecideForm,
    EvidenceForm,
    IndicatorFormSet,
    NewApplicationForm,
    OpenYearForm,
    ReasonForm,
    ReportForm,
    ReviewDecideForm,
    ReviewFilterForm,
    SelfAssessmentForm,
    SpotCheckForm,
    StaffObjectionForm,
    StandardForm,
    VersionForm,
)
from xinghuo.certification.models import (
    AnnualReview,
    Application,
    ApplicationKind,
    ApplicationStatus,
    Evidence,
    Indicator,
    Objection,
    ReviewStatus,
    Standard,
)
from xinghuo.console.context import console_context, paginated
from xinghuo.core.access import for_roles
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.excel import Column, export_response
from xinghuo.core.forms import Form
from xinghuo.core.lookup import get_by_uid
from xinghuo.core.masking import mask_phone
from xinghuo.regions.selectors import working_regions

ROLES = permissions.VIEWER_ROLES


def _actor(request: HttpRequest) -> Any:
    return request.xh_actor  # type: ignore[attr-defined]


def _application(uid: str) -> Application:
    try:
        return selectors.get_application_for_actor(uid)
    except NotFound as exc:
        raise Http404 from exc


def _crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("阵地认定", reverse("certification_console:list")), *extra]


#: Refusals that mean the page was stale (someone acted first, or the record left the actor's reach): the form
#: that was posted is no longer shown, so the message goes to the top of the page instead.
MOVED_ON = {E.STATUS, E.REVIEW_STATUS, E.NOT_ALLOWED, E.NOTICE_CLOSED}


def _moved_on(request: HttpRequest, exc: DomainError, url: str) -> HttpResponse | None:
    if exc.code in MOVED_ON or exc.status == 404:
        messages.error(request, exc.message)
        return redirect(url)
    return None


def _done(request: HttpRequest, application: Application, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("certification_console:detail", uid=application.uid)


# --- applications ---------------------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> tuple[ApplicationFilterForm, selectors.ApplicationFilters]:
    form = ApplicationFilterForm(request.GET or None, regions=working_regions(_actor(request)))
    data = form.cleaned_data if form.is_valid() else {}
    return form, selectors.ApplicationFilters(
        status=data.get("status", ""), kind=data.get("kind", ""), venue_type=data.get("venue_type", ""),
        region=data.get("region", ""), q=data.get("q", ""), todo=bool(data.get("todo")),
    )  # fmt: skip


@for_roles(*ROLES)
@require_GET
def application_list_view(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    return render(request, "certification/list.html", console_context(
        request, title="认定申请", crumbs=[("阵地认定", None)], form=form,
        can_file=permissions.can_file(_actor(request)),
        **paginated(request, selectors.application_list(actor=_actor(request), filters=filters)),
    ))  # fmt: skip


EXPORT_COLUMNS = [
    Column("场馆", lambda a: a.venue.name, 30), Column("统一编号", lambda a: a.venue.code or "", 22),
    Column("场馆类型", lambda a: a.venue.get_venue_type_display(), 16), Column("类别", lambda a: a.get_kind_display(), 10),
    Column("运营单位", lambda a: a.venue.operator.name, 28), Column("所在区划", lambda a: a.venue.region.name, 16),
    Column("建设标准", lambda a: str(a.standard), 30), Column("状态", lambda a: a.get_status_display(), 12),
    Column("提交次数", lambda a: a.round, 8), Column("自评总分", lambda a: a.self_total, 10),
    Column("评审总分", lambda a: a.review_total, 10), Column("等级", lambda a: a.get_grade_display(), 8),
    Column("公示截止", lambda a: a.notice_ends, 12), Column("结论说明", lambda a: a.decision_reason, 30),
]  # fmt: skip


@for_roles(*ROLES)
@require_GET
def application_export_view(request: HttpRequest) -> HttpResponse:
    _, filters = _filters(request)
    rows = selectors.application_list(actor=_actor(request), filters=filters).iterator(chunk_size=2000)
    return export_response(filename="认定申请", sheet="认定申请", columns=EXPORT_COLUMNS, rows=rows,
                           object_type="certification.application", filters=filters.__dict__)  # fmt: skip


@for_roles(*permissions.FILER_ROLES)
@require_http_methods(["GET", "POST"])
def application_create_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    kind = request.POST.get("kind") or request.GET.get("kind") or ApplicationKind.INITIAL
    kind = kind if kind in ApplicationKind.values else ApplicationKind.INITIAL
    form = NewApplicationForm(request.POST or None, venues=selectors.eligible_venues(kind=kind),
                              initial={"kind": kind, "venue": request.GET.get("venue")})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                actor=actor, venue=form.cleaned_data["venue"], kind=form.cleaned_data["kind"], statement=form.cleaned_data["statement"]
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            return _done(request, application, "已创建申请：请填写自评并上传证明材料后提交")
    return render(request, "certification/create.html", console_context(
        request, title="新建认定申请", crumbs=_crumbs(("新建", None)), form=form,
    ), status=400 if form.errors else 200)  # fmt: skip


def _detail(request: HttpRequest, application: Application, *, status: int = 200, **forms: Form) -> HttpResponse:
    actor = _actor(request)
    data = selectors.application_detail(application)
    indicators = [s.indicator for s in data["scores"]]
    editable = application.is_editable and permissions.can_file(actor)
    county_turn = application.status == ApplicationStatus.SUBMITTED and permissions.can_review_as_county(actor)
    city_turn = application.status == ApplicationStatus.COUNTY_APPROVED and permissions.can_review_as_city(actor)
    notice_turn = application.status == ApplicationStatus.IN_NOTICE and permissions.can_review_as_city(actor)
    if editable:
        initial = {f"score_{s.indicator_id}": s.self_score for s in data["scores"]}
        initial |= {f"note_{s.indicator_id}": s.self_note for s in data["scores"]}
        forms.setdefault("self_form", SelfAssessmentForm(indicators=indicators, initial={**initial, "statement": application.statement}))
        forms.setdefault("evidence_form", EvidenceForm(indicators=indicators))
    if county_turn:
        forms.setdefault("county_form", CountyReviewForm())
    if city_turn:
        initial = {f"score_{s.indicator_id}": s.review_score if s.review_score is not None else s.self_score for s in data["scores"]}
        forms.setdefault("city_form", CityReviewForm(indicators=indicators, initial=initial))
    if notice_turn:
        forms.setdefault("objection_form", StaffObjectionForm())
        forms.setdefault("decide_form", DecideForm())
    # Who objected is the city's to know: the operator under notice reads the objection and its answer only.
    city = permissions.can_review_as_city(actor)
    objections = [(o, mask_phone(o.contact_phone) if city else "", forms.get("answer_form") if forms.get("answer_for") == o.pk else AnswerForm())
                  for o in data.pop("objections")]  # fmt: skip
    return render(request, "certification/detail.html", console_context(
        request, title=f"{application.get_kind_display()}：{application.venue.name}", crumbs=_crumbs((application.venue.name, None)),
        application=application, venue=application.venue, standard=application.standard, **data, objections=objections,
        show_contacts=city, editable=editable, county_turn=county_turn, city_turn=city_turn, notice_turn=notice_turn,
        can_withdraw=permissions.can_file(actor) and application.status in (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED),
        notice_over=application.notice_ends is not None and timezone.localdate() > application.notice_ends,
        reason_form=ReasonForm(), **forms,
    ), status=status)  # fmt: skip


@for_roles(*ROLES)
@require_GET
def application_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    return _detail(request, _application(uid))


def _indicators(application: Application) -> list[Indicator]:
    return list(Indicator.objects.filter(standard=application.standard).order_by("order"))


@for_roles(*permissions.FILER_ROLES)
@require_POST
def self_assessment_view(request: HttpRequest, uid: str) -> HttpResponse:
    application = _application(uid)
    form = SelfAssessmentForm(request.POST, indicators=_indicators(application))
    if form.is_valid():
        try:
            services.application_save_self_assessment(
                actor=_actor(request), application=application, scores=form.scores(), statement=form.cleaned_data["statement"]
            )
        except DomainError as exc:
            if moved := _moved_on(request, exc, reverse("certification_console:detail", args=[application.uid])):
                return moved
            form.add_domain_error(exc)
        else:
            return _done(request, application, "自评已保存")
    return _detail(request, application, status=400, self_form=form)


@for_roles(*permissions.FILER_ROLES)
@require_POST
def evidence_upload_view(request: HttpRequest, uid: str) -> HttpResponse:
    application = _application(uid)
    indicators = _indicators(application)
    form = EvidenceForm(request.POST, request.FILES, indicators=indicators)
    if form.is_valid():
        indicator = next((i for i in indicators if i.pk == form.cleaned_data["indicator"]), None)
        try:
            services.evidence_add(actor=_actor(request), application=application, upload=form.cleaned_data["file"], indicator=indicator)
        except DomainError as exc:
            if moved := _moved_on(request, exc, reverse("certification_console:detail", args=[application.uid])):
                return moved
            form.add_domain_error(exc)
        else:
            return _done(request, application, "材料已上传")
    return _detail(request, application, status=400, evidence_form=form)


def _evidence(uid: str) -> Evidence:
    try:
        return get_by_uid(Evidence.objects.select_related("application", "review"), uid)
    except NotFound as exc:
        raise Http404 from exc


@for_roles(*ROLES)
@require_GET
def evidence_download_view(request: HttpRequest, uid: str) -> HttpResponse:
    evidence = _evidence(uid)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    inline = evidence.is_image or evidence.content_type == "application/pdf"
    response = FileResponse(handle, content_type=evidence.content_type, as_attachment=not inline, filename=evidence.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@for_roles(*permissions.FILER_ROLES)
@require_POST
def evidence_delete_view(request: HttpRequest, uid: str) -> HttpResponse:
    evidence = _evidence(uid)
    if evidence.application is None:
        raise Http404
    try:
        services.evidence_remove(actor=_actor(request), evidence=evidence)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已删除材料“{evidence.name}”")
    return redirect("certification_console:detail", uid=evidence.application.uid)


def _simple_step(request: HttpRequest, uid: str, act: Any, success: str) -> HttpResponse:
    application = _application(uid)
    try:
        act(application)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("certification_console:detail", uid=application.uid)
    return _done(request, application, success)


@for_roles(*permissions.FILER_ROLES)
@require_POST
def submit_view(request: HttpRequest, uid: str) -> HttpResponse:
    return _simple_step(request, uid, lambda a: services.application_submit(actor=_actor(request), application=a), "已提交，等待县级审核")


@for_roles(*permissions.FILER_ROLES)
@require_POST
def withdraw_view(request: HttpRequest, uid: str) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _simple_step(
        request, uid, lambda a: services.application_withdraw(actor=_actor(request), application=a, reason=reason), "申请已撤回"
    )


@for_roles(Role.COUNTY_STAFF)
@require_POST
def county_review_view(request: HttpRequest, uid: str) -> HttpResponse:
    application = _application(uid)
    form = CountyReviewForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.application_county_review(
                actor=_actor(request), application=application, approve=approve, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            if moved := _moved_on(request, exc, reverse("certification_console:detail", args=[application.uid])):
                return moved
            form.add_domain_error(exc)
        else:
            return _done(request, application, "已审核通过，报市科协评审" if approve else "已退回修改")
    return _detail(request, application, status=400, county_form=form)


@for_roles(Role.CITY_STAFF)
@require_POST
def city_review_view(request: HttpRequest, uid: str) -> HttpResponse:
    application = _application(uid)
    form = CityReviewForm(request.POST, indicators=_indicators(application))
    if form.is_valid():
        try:
            application = services.application_city_review(
                actor=_actor(request), application=application, scores=form.scores(), decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )  # fmt: skip
        except DomainError as exc:
            if moved := _moved_on(request, exc, reverse("certification_console:detail", args=[application.uid])):
                return moved
            form.add_domain_error(exc)
        else:
            return _done(request, application, {
                ApplicationStatus.IN_NOTICE: f"评审通过，公示至 {application.notice_ends:%Y年%m月%d日}",
                ApplicationStatus.RETURNED: "已退回修改", ApplicationStatus.REJECTED: "已作出不予认定结论",
            }.get(application.status, "已保存"))  # fmt: skip
    return _detail(request, application, status=400, city_form=form)


@for_roles(Role.CITY_STAFF)
@require_POST
def objection_record_view(request: HttpRequest, uid: str) -> HttpResponse:
    application = _application(uid)
    form = StaffObjectionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.objection_file(
                application=application, content=data["content"], contact_name=data["contact_name"],
                contact_phone=data["contact_phone"], channel=data["channel"], actor=_actor(request),
            )  # fmt: skip
        except DomainError as exc:
            if moved := _moved_on(request, exc, reverse("certification_console:detail", args=[application.uid])):
                return moved
            form.add_domain_error(exc)
        else:
            return _done(request, application, "异议已登记，请核实后答复")
    return _detail(request, application, status=400, objection_form=form)


@for_roles(Role.CITY_STAFF)
@require_POST
def objection_answer_view(request: HttpRequest, uid: str, objection_uid: str) -> HttpResponse:
    application = _application(uid)
    try:
        objection = get_by_uid(Objection.objects.filter(application=application), objection_uid)
    except NotFound as exc:
        raise Http404 from exc
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.objection_answer(
                actor=_actor(request), objection=objection, answer=form.cleaned_data["answer"], upheld=form.cleaned_data["upheld"]
            )
        except DomainError as exc:
            if moved := _moved_on(request, exc, reverse("certification_console:detail", args=[application.uid])):
                return moved
            form.add_domain_error(exc)
        else:
            return _done(request, application, "已答复异议")
    return _detail(request, application, status=400, answer_form=form, answer_for=objection.pk)


@for_roles(Role.CITY_STAFF)
@require_POST
def decide_view(request: HttpRequest, uid: str) -> HttpResponse:
    application = _application(uid)
    form = DecideForm(request.POST)
    if form.is_valid():
        certify = form.cleaned_data["decision"] == "certify"
        try:
            application = services.application_decide(
                actor=_actor(request), application=application, certify=certify, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            if moved := _moved_on(request, exc, reverse("certification_console:detail", args=[application.uid])):
                return moved
            form.add_domain_error(exc)
        else:
            venue = application.venue
            venue.refresh_from_db(fields=["code"])
            return _done(request, application, f"已认定，统一编号 {venue.code}，标牌二维码已生效" if certify else "已作出不予认定结论")
    return _detail(request, application, status=400, decide_form=form)


# --- standards ------------------------------------------------------------------------------------------------


@for_roles(*ROLES)
@require_GET
def standard_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "certification/standards.html", console_context(
        request, title="建设标准", crumbs=_crumbs(("建设标准", None)), standards=selectors.standard_list(),
        can_edit=permissions.can_edit_standards(_actor(request)),
    ))  # fmt: skip


STANDARD_COLUMNS = [
    Column("场馆类型", lambda i: i.standard.get_venue_type_display(), 16), Column("标准", lambda i: i.standard.name, 30),
    Column("版本", lambda i: i.standard.version, 10), Column("现行", lambda i: "是" if i.standard.is_active else "否", 6),
    Column("序号", lambda i: i.order, 6), Column("类别", lambda i: i.category, 12), Column("指标", lambda i: i.name, 20),
    Column("分值", lambda i: i.weight, 6), Column("必备项", lambda i: "是" if i.is_key else "", 8),
    Column("评分要点", lambda i: i.description, 50), Column("证明材料", lambda i: i.evidence, 30),
    Column("合格线", lambda i: i.standard.pass_score, 8), Column("公示天数", lambda i: i.standard.notice_days, 8),
]  # fmt: skip


@for_roles(*ROLES)
@require_GET
def standard_export_view(request: HttpRequest) -> HttpResponse:
    """Every standard's indicators, a row each (to circulate a draft version for comment, say)."""
    rows = Indicator.objects.select_related("standard").order_by("standard__venue_type", "-standard__version", "order")
    return export_response(filename="建设标准", sheet="建设标准", columns=STANDARD_COLUMNS, rows=rows, object_type="certification.standard")


def _standard(uid: str) -> Standard:
    try:
        return get_by_uid(Standard.objects.all(), uid)
    except NotFound as exc:
        raise Http404 from exc


def _indicator_rows(formset: Any) -> list[dict[str, Any]]:
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or form in formset.deleted_forms or not data.get("name"):
            continue
        rows.append({k: data.get(k) for k in ("category", "name", "weight", "description", "evidence", "is_key")})
    return rows


@for_roles(*ROLES)
@require_http_methods(["GET", "POST"])
def standard_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    standard = _standard(uid)
    actor = _actor(request)
    indicators = list(standard.indicators.order_by("order"))
    used = Application.unscoped.filter(standard=standard).exists()
    editable = permissions.can_edit_standards(actor) and not used
    fields = ("name", "pass_score", "good_score", "excellent_score", "notice_days", "reassess_years", "note")
    form = StandardForm(request.POST if request.method == "POST" else None, initial={f: getattr(standard, f) for f in fields})
    formset = IndicatorFormSet(
        request.POST if request.method == "POST" else None, prefix="ind",
        initial=[{k: getattr(i, k) for k in ("category", "name", "weight", "description", "evidence", "is_key")} for i in indicators],
    )  # fmt: skip
    if request.method == "POST":
        if not editable:
            raise Http404
        if form.is_valid() and formset.is_valid():
            try:
                services.standard_update(actor=actor, standard=standard, indicators=_indicator_rows(formset), **form.cleaned_data)
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, "建设标准已保存")
                return redirect("certification_console:standard", uid=standard.uid)
    return render(request, "certification/standard.html", console_context(
        request, title=str(standard), crumbs=_crumbs(("建设标准", reverse("certification_console:standards")), (standard.version, None)),
        standard=standard, indicators=indicators, total=sum(i.weight for i in indicators), used=used, editable=editable,
        form=form, formset=formset, version_form=VersionForm(), can_edit=permissions.can_edit_standards(actor),
    ), status=400 if request.method == "POST" else 200)  # fmt: skip


@for_roles(Role.CITY_STAFF)
@require_POST
def standard_version_view(request: HttpRequest, uid: str) -> HttpResponse:
    standard = _standard(uid)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            copy = services.standard_new_version(actor=_actor(request), standard=standard, version=form.cleaned_data["version"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已新建版本“{copy.version}”，修改后启用")
            return redirect("certification_console:standard", uid=copy.uid)
    else:
        messages.error(request, "请填写新版本号")
    return redirect("certification_console:standard", uid=standard.uid)


@for_roles(Role.CITY_STAFF)
@require_POST
def standard_activate_view(request: HttpRequest, uid: str) -> HttpResponse:
    standard = _standard(uid)
    try:
        services.standard_activate(actor=_actor(request), standard=standard)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{standard}”已启用，新的申请按此版本评审")
    return redirect("certification_console:standard", uid=standard.uid)


# --- yearly re-checks (年度复核) -------------------------------------------------------------------------------


@for_roles(*ROLES)
@require_http_methods(["GET", "POST"])
def review_list_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
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
        request, title=f"{year} 年度复核", crumbs=_crumbs(("年度复核", None)), filters=filters, open_form=open_form, year=year,
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
    actor = _actor(request)
    open_ = review.status in (ReviewStatus.AWAITING, ReviewStatus.REPORTED)
    if open_ and permissions.can_file(actor):
        forms.setdefault("report_form", ReportForm(initial={
            "opening_days": review.opening_days, "visitors": review.visitors, "activities": review.activities, "report": review.report}))  # fmt: skip
    if open_ and permissions.can_spot_check(actor):
        forms.setdefault("spot_form", SpotCheckForm(initial={"note": review.spot_check_note}))
    if open_ and permissions.can_review_as_city(actor):
        forms.setdefault("decide_form", ReviewDecideForm())
    return render(request, "certification/review.html", console_context(
        request, title=str(review), crumbs=_crumbs(("年度复核", reverse("certification_console:reviews") + f"?year={review.year}"), (review.venue.name, None)),
        review=review, venue=review.venue, photos=list(Evidence.objects.filter(review=review)), **forms,
    ), status=status)  # fmt: skip


@for_roles(*ROLES)
@require_GET
def review_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    return _review_page(request, _review(uid))


@for_roles(*permissions.FILER_ROLES)
@require_POST
def review_report_view(request: HttpRequest, uid: str) -> HttpResponse:
    review = _review(uid)
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.annual_review_report(
                actor=_actor(request), review=review, opening_days=data["opening_days"], visitors=data["visitors"],
                activities=data["activities"], report=data["report"], photos=data["photos"],
            )  # fmt: skip
        except DomainError as exc:
            if moved := _moved_on(request, exc, reverse("certification_console:review", args=[review.uid])):
                return moved
            form.add_domain_error(exc)
        else:
            messages.success(request, "年度自查已提交")
            return redirect("certification_console:review", uid=review.uid)
    return _review_page(request, review, status=400, report_form=form)


@for_roles(Role.COUNTY_STAFF, Role.CITY_STAFF)
@require_POST
def review_spot_check_view(request: HttpRequest, uid: str) -> HttpResponse:
    review = _review(uid)
    form = SpotCheckForm(request.POST)
    if form.is_valid():
        try:
            services.annual_review_spot_check(actor=_actor(request), review=review, note=form.cleaned_data["note"])
        except DomainError as exc:
            if moved := _moved_on(request, exc, reverse("certification_console:review", args=[review.uid])):
                return moved
            form.add_domain_error(exc)
        else:
            messages.success(request, "抽查情况已记录")
            return redirect("certification_console:review", uid=review.uid)
    return _review_page(request, review, status=400, spot_form=form)


@for_roles(Role.CITY_STAFF)
@require_POST
def review_decide_view(request: HttpRequest, uid: str) -> HttpResponse:
    review = _review(uid)
    form = ReviewDecideForm(request.POST)
    if form.is_valid():
        try:
            review = services.annual_review_decide(actor=_actor(request), review=review, outcome=form.cleaned_data["outcome"],
                                                   reason=form.cleaned_data["reason"])  # fmt: skip
        except DomainError as exc:
            if moved := _moved_on(request, exc, reverse("certification_console:review", args=[review.uid])):
                return moved
            form.add_domain_error(exc)
        else:
            messages.success(request, f"复核结论：{review.get_outcome_display()}")
            return redirect("certification_console:review", uid=review.uid)
    return _review_page(request, review, status=400, decide_form=form)
