"""Console pages of applications: the list and export, filing, the detail page and each step on it.

Every page fetches in the actor's scope (another county's application answers 404 like a missing one); each
form posts to the step it does, which calls one service and shows its Chinese message beside the field."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinghuo.accounts.roles import Role
from xinghuo.certification import permissions, selectors, services
from xinghuo.certification.forms import (
    AnswerForm,
    ApplicationFilterForm,
    CityReviewForm,
    CountyReviewForm,
    DecideForm,
    EvidenceForm,
    NewApplicationForm,
    ReasonForm,
    SelfAssessmentForm,
    StaffObjectionForm,
)
from xinghuo.certification.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    Evidence,
    Indicator,
    Objection,
)
from xinghuo.certification.views.common import ROLES, actor_of, crumbs, run_step
from xinghuo.console.context import console_context, paginated
from xinghuo.core.access import for_roles
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.excel import Column, export_response
from xinghuo.core.files import file_response
from xinghuo.core.forms import Form
from xinghuo.core.lookup import get_by_uid
from xinghuo.core.masking import mask_phone
from xinghuo.regions.selectors import working_regions


def _application(uid: str) -> Application:
    try:
        return selectors.get_application_for_actor(uid)
    except NotFound as exc:
        raise Http404 from exc


def _done(request: HttpRequest, application: Application, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("certification_console:detail", uid=application.uid)


# --- applications ---------------------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> tuple[ApplicationFilterForm, selectors.ApplicationFilters]:
    form = ApplicationFilterForm(request.GET or None, regions=working_regions(actor_of(request)))
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
        can_file=permissions.can_file(actor_of(request)),
        **paginated(request, selectors.application_list(actor=actor_of(request), filters=filters)),
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
    rows = selectors.application_list(actor=actor_of(request), filters=filters).iterator(chunk_size=2000)
    return export_response(filename="认定申请", sheet="认定申请", columns=EXPORT_COLUMNS, rows=rows,
                           object_type="certification.application", filters=filters.__dict__)  # fmt: skip


@for_roles(*permissions.FILER_ROLES)
@require_http_methods(["GET", "POST"])
def application_create_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
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
        request, title="新建认定申请", crumbs=crumbs(("新建", None)), form=form,
    ), status=400 if form.errors else 200)  # fmt: skip


def _detail(request: HttpRequest, application: Application, *, status: int = 200, **forms: Form) -> HttpResponse:
    actor = actor_of(request)
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
        request, title=f"{application.get_kind_display()}：{application.venue.name}", crumbs=crumbs((application.venue.name, None)),
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


def _detail_url(application: Application) -> str:
    return reverse("certification_console:detail", args=[application.uid])


@for_roles(*permissions.FILER_ROLES)
@require_POST
def self_assessment_view(request: HttpRequest, uid: str) -> HttpResponse:
    application = _application(uid)
    return run_step(
        request, SelfAssessmentForm(request.POST, indicators=_indicators(application)),
        lambda data: services.application_save_self_assessment(
            actor=actor_of(request), application=application, scores=SelfAssessmentForm.scores_of(data, _indicators(application)),
            statement=data["statement"],
        ),
        back=_detail_url(application), success=lambda _: "自评已保存",
        page=lambda form: _detail(request, application, status=400, self_form=form),
    )  # fmt: skip


@for_roles(*permissions.FILER_ROLES)
@require_POST
def evidence_upload_view(request: HttpRequest, uid: str) -> HttpResponse:
    application = _application(uid)
    indicators = _indicators(application)
    return run_step(
        request, EvidenceForm(request.POST, request.FILES, indicators=indicators),
        lambda data: services.evidence_add(
            actor=actor_of(request), application=application, upload=data["file"],
            indicator=next((i for i in indicators if i.pk == data["indicator"]), None),
        ),
        back=_detail_url(application), success=lambda _: "材料已上传",
        page=lambda form: _detail(request, application, status=400, evidence_form=form),
    )  # fmt: skip


def _evidence(uid: str) -> Evidence:
    try:
        return get_by_uid(Evidence.objects.select_related("application", "review"), uid)
    except NotFound as exc:
        raise Http404 from exc


@for_roles(*ROLES)
@require_GET
def evidence_download_view(request: HttpRequest, uid: str) -> HttpResponse:
    evidence = _evidence(uid)
    inline = evidence.is_image or evidence.content_type == "application/pdf"
    return file_response(evidence.file, content_type=evidence.content_type, filename=evidence.name, as_attachment=not inline)


@for_roles(*permissions.FILER_ROLES)
@require_POST
def evidence_delete_view(request: HttpRequest, uid: str) -> HttpResponse:
    evidence = _evidence(uid)
    if evidence.application is None:
        raise Http404
    try:
        services.evidence_remove(actor=actor_of(request), evidence=evidence)
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
    return _simple_step(request, uid, lambda a: services.application_submit(actor=actor_of(request), application=a), "已提交，等待县级审核")


@for_roles(*permissions.FILER_ROLES)
@require_POST
def withdraw_view(request: HttpRequest, uid: str) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _simple_step(
        request, uid, lambda a: services.application_withdraw(actor=actor_of(request), application=a, reason=reason), "申请已撤回"
    )


@for_roles(Role.COUNTY_STAFF)
@require_POST
def county_review_view(request: HttpRequest, uid: str) -> HttpResponse:
    application = _application(uid)
    return run_step(
        request, CountyReviewForm(request.POST),
        lambda data: services.application_county_review(
            actor=actor_of(request), application=application, approve=data["decision"] == "approve", reason=data["reason"]
        ),
        back=_detail_url(application),
        success=lambda a: "已审核通过，报市科协评审" if a.status == ApplicationStatus.COUNTY_APPROVED else "已退回修改",
        page=lambda form: _detail(request, application, status=400, county_form=form),
    )  # fmt: skip


CITY_REVIEW_DONE = {ApplicationStatus.RETURNED: "已退回修改", ApplicationStatus.REJECTED: "已作出不予认定结论"}


@for_roles(Role.CITY_STAFF)
@require_POST
def city_review_view(request: HttpRequest, uid: str) -> HttpResponse:
    application = _application(uid)
    indicators = _indicators(application)
    return run_step(
        request, CityReviewForm(request.POST, indicators=indicators),
        lambda data: services.application_city_review(
            actor=actor_of(request), application=application, scores=CityReviewForm.scores_of(data, indicators),
            decision=data["decision"], reason=data["reason"],
        ),
        back=_detail_url(application),
        success=lambda a: CITY_REVIEW_DONE.get(a.status) or f"评审通过，公示至 {a.notice_ends:%Y年%m月%d日}",
        page=lambda form: _detail(request, application, status=400, city_form=form),
    )  # fmt: skip


@for_roles(Role.CITY_STAFF)
@require_POST
def objection_record_view(request: HttpRequest, uid: str) -> HttpResponse:
    application = _application(uid)
    return run_step(
        request, StaffObjectionForm(request.POST),
        lambda data: services.objection_file(
            application=application, content=data["content"], contact_name=data["contact_name"],
            contact_phone=data["contact_phone"], channel=data["channel"], actor=actor_of(request),
        ),
        back=_detail_url(application), success=lambda _: "异议已登记，请核实后答复",
        page=lambda form: _detail(request, application, status=400, objection_form=form),
    )  # fmt: skip


@for_roles(Role.CITY_STAFF)
@require_POST
def objection_answer_view(request: HttpRequest, uid: str, objection_uid: str) -> HttpResponse:
    application = _application(uid)
    try:
        objection = get_by_uid(Objection.objects.filter(application=application), objection_uid)
    except NotFound as exc:
        raise Http404 from exc
    return run_step(
        request, AnswerForm(request.POST),
        lambda data: services.objection_answer(actor=actor_of(request), objection=objection, answer=data["answer"], upheld=data["upheld"]),
        back=_detail_url(application), success=lambda _: "已答复异议",
        page=lambda form: _detail(request, application, status=400, answer_form=form, answer_for=objection.pk),
    )  # fmt: skip


def _decided(application: Application) -> str:
    if application.status != ApplicationStatus.CERTIFIED:
        return "已作出不予认定结论"
    code = Application.unscoped.select_related("venue").get(pk=application.pk).venue.code
    return f"已认定，统一编号 {code}，标牌二维码已生效"


@for_roles(Role.CITY_STAFF)
@require_POST
def decide_view(request: HttpRequest, uid: str) -> HttpResponse:
    application = _application(uid)
    return run_step(
        request, DecideForm(request.POST),
        lambda data: services.application_decide(
            actor=actor_of(request), application=application, certify=data["decision"] == "certify", reason=data["reason"]
        ),
        back=_detail_url(application), success=_decided,
        page=lambda form: _detail(request, application, status=400, decide_form=form),
    )  # fmt: skip
