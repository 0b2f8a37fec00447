"""Console pages of the expert pool (人才队伍 · 名家库与年度名单): the year's selections with their progress against
the plan's target, nominating, the city's review with a note for each decision, the notice with its objections and
their answers, publication; the pool's profiles (topics, bio, influencer accounts) and the expert studios.

Every page fetches in the actor's scope: another county's nomination answers 404 like a missing one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinghuo.console.context import console_context, paginated
from xinghuo.core.access import for_roles
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.excel import Column, export_response
from xinghuo.core.lookup import get_by_uid
from xinghuo.experts import permissions, selectors, services
from xinghuo.experts.forms import (
    AccountForm,
    AnswerForm,
    MemberForm,
    NominateForm,
    ProfileForm,
    ReasonsForm,
    ReviewForm,
    SelectionForm,
    StudioForm,
)
from xinghuo.experts.models import (
    ROLE_OF_LIST,
    InfluencerAccount,
    ListKind,
    Nomination,
    NominationStatus,
    Objection,
    SelectionStatus,
    StudioMember,
)
from xinghuo.talent.models import Person, RoleKind
from xinghuo.venues.models import Venue

VIEWERS = permissions.VIEWER_ROLES
CITY = ("city_staff",)


def _actor(request: HttpRequest) -> Any:
    return request.xh_actor  # type: ignore[attr-defined]


def _fetch(getter: Any, request: HttpRequest, uid: str) -> Any:
    try:
        return getter(actor=_actor(request), uid=uid)
    except NotFound as exc:
        raise Http404 from exc


def _home(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("年度名单", reverse("experts_console:selections")), *extra]


def _refused(request: HttpRequest, exc: DomainError) -> None:
    if exc.status == 404:
        raise Http404 from exc
    messages.error(request, exc.message)


# --- selections -----------------------------------------------------------------------------------------------


@for_roles(*VIEWERS)
@require_GET
def selection_list_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return render(request, "experts/selections.html", console_context(
        request, title="名家库年度名单", crumbs=[("年度名单", None)], selections=selectors.selection_list(actor=actor),
        can_open=permissions.can_run_selection(actor), form=SelectionForm(),
    ))  # fmt: skip


@for_roles(*CITY)
@require_POST
def selection_open_view(request: HttpRequest) -> HttpResponse:
    form = SelectionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            selection = services.selection_open(actor=_actor(request), year=data["year"], kind=data["kind"], note=data["note"],
                                                notice_days=data["notice_days"])  # fmt: skip
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已发起 {selection}")
            return redirect("experts_console:selection", uid=selection.uid)
    return render(request, "experts/selections.html", console_context(
        request, title="名家库年度名单", crumbs=[("年度名单", None)], selections=selectors.selection_list(actor=_actor(request)),
        can_open=True, form=form,
    ), status=400)  # fmt: skip


@for_roles(*VIEWERS)
@require_GET
def selection_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    actor = _actor(request)
    selection = _fetch(selectors.get_selection_for_actor, request, uid)
    return render(request, "experts/selection.html", console_context(
        request, title=str(selection), crumbs=_home((str(selection), None)), selection=selection,
        progress=selectors.progress_of(selection), nominations=selectors.nomination_list(actor=actor, selection=selection),
        can_run=permissions.can_run_selection(actor),
        can_nominate=permissions.can_nominate(actor) and selection.status == SelectionStatus.NOMINATING,
    ))  # fmt: skip


EXPORT_COLUMNS = [
    Column("姓名", lambda n: n.person.name, 12), Column("县市区", lambda n: n.person.region.county.name if n.person.region.county else "", 12),
    Column("工作单位", lambda n: n.person.organisation.name if n.person.organisation else "", 28),
    Column("职称/职务", lambda n: n.person.title, 16), Column("专业领域", lambda n: "、".join(n.person.field_labels()), 20),
    Column("推荐单位", lambda n: n.nominator.name, 24), Column("推荐理由", lambda n: n.reasons, 50),
    Column("状态", lambda n: n.get_status_display(), 10), Column("评审意见", lambda n: n.review_note, 40),
]  # fmt: skip


@for_roles(*VIEWERS)
@require_GET
def selection_export_view(request: HttpRequest, uid: str) -> HttpResponse:
    selection = _fetch(selectors.get_selection_for_actor, request, uid)
    rows = selectors.nomination_list(actor=_actor(request), selection=selection)
    return export_response(filename=str(selection), sheet=selection.get_kind_display(), columns=EXPORT_COLUMNS, rows=rows,
                           object_type="experts.nomination", filters={"selection": str(selection.uid)})  # fmt: skip


@for_roles(*permissions.NOMINATOR_ROLES)
@require_http_methods(["GET", "POST"])
def nominate_view(request: HttpRequest, uid: str) -> HttpResponse:
    actor = _actor(request)
    selection = _fetch(selectors.get_selection_for_actor, request, uid)
    form = NominateForm(request.POST or None, people=selectors.nominees(actor=actor, selection=selection))
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.nomination_create(actor=actor, selection=selection, person=form.cleaned_data["person"],
                                                    reasons=form.cleaned_data["reasons"])  # fmt: skip
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已推荐 {nomination.person.name}")
            return redirect("experts_console:selection", uid=selection.uid)
    role = RoleKind(ROLE_OF_LIST[ListKind(selection.kind)]).label
    return render(request, "experts/nominate.html", console_context(
        request, title=f"推荐：{selection}", crumbs=_home((str(selection), reverse("experts_console:selection", args=[selection.uid])),
                                                        ("推荐", None)),
        selection=selection, form=form, role=role,
    ), status=400 if form.errors else 200)  # fmt: skip


def _selection_action(request: HttpRequest, uid: str, action: Any, done: str) -> HttpResponse:
    selection = _fetch(selectors.get_selection_for_actor, request, uid)
    try:
        action(actor=_actor(request), selection=selection)
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, done)
    return redirect("experts_console:selection", uid=selection.uid)


@for_roles(*CITY)
@require_POST
def start_notice_view(request: HttpRequest, uid: str) -> HttpResponse:
    return _selection_action(request, uid, services.selection_start_notice, "已进入公示")


@for_roles(*CITY)
@require_POST
def publish_view(request: HttpRequest, uid: str) -> HttpResponse:
    return _selection_action(request, uid, services.selection_publish, "名单已公布")


# --- nominations ----------------------------------------------------------------------------------------------


def _nomination_url(nomination: Nomination) -> str:
    return reverse("experts_console:nomination", args=[nomination.uid])


@for_roles(*VIEWERS)
@require_GET
def nomination_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    actor = _actor(request)
    nomination = _fetch(selectors.get_nomination_for_actor, request, uid)
    can_run = permissions.can_run_selection(actor)
    open_selection = nomination.selection.status == SelectionStatus.NOMINATING
    objections = [
        (o, AnswerForm(prefix=str(o.uid)) if can_run and not o.is_answered else None) for o in selectors.objections_of(nomination)
    ]
    return render(request, "experts/nomination.html", console_context(
        request, title=f"推荐：{nomination.person.name}",
        crumbs=_home((str(nomination.selection), reverse("experts_console:selection", args=[nomination.selection.uid])),
                     (nomination.person.name, None)),
        nomination=nomination, person=nomination.person, steps=list(nomination.steps.all()), objections=objections,
        review_form=ReviewForm() if can_run and open_selection and nomination.status in (
            NominationStatus.SUBMITTED, NominationStatus.SHORTLISTED, NominationStatus.DECLINED) else None,
        resubmit_form=ReasonsForm(initial={"reasons": nomination.reasons})
        if permissions.can_nominate(actor) and open_selection and nomination.status == NominationStatus.RETURNED else None,
        can_withdraw=permissions.can_nominate(actor) and open_selection and nomination.status in (
            NominationStatus.SUBMITTED, NominationStatus.RETURNED, NominationStatus.SHORTLISTED),
    ))  # fmt: skip


@for_roles(*CITY)
@require_POST
def review_view(request: HttpRequest, uid: str) -> HttpResponse:
    nomination = _fetch(selectors.get_nomination_for_actor, request, uid)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(_nomination_url(nomination))
    try:
        services.nomination_review(actor=_actor(request), nomination=nomination, decision=form.cleaned_data["decision"],
                                   note=form.cleaned_data["note"])  # fmt: skip
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "评审结论已保存")
    return redirect(_nomination_url(nomination))


@for_roles(*permissions.NOMINATOR_ROLES)
@require_POST
def resubmit_view(request: HttpRequest, uid: str) -> HttpResponse:
    nomination = _fetch(selectors.get_nomination_for_actor, request, uid)
    form = ReasonsForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("experts_invalid", "请填写推荐理由")
        services.nomination_resubmit(actor=_actor(request), nomination=nomination, reasons=form.cleaned_data["reasons"])
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "已重新提交")
    return redirect(_nomination_url(nomination))


@for_roles(*permissions.NOMINATOR_ROLES)
@require_POST
def withdraw_view(request: HttpRequest, uid: str) -> HttpResponse:
    nomination = _fetch(selectors.get_nomination_for_actor, request, uid)
    try:
        services.nomination_withdraw(actor=_actor(request), nomination=nomination, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "已撤回推荐")
    return redirect(_nomination_url(nomination))


@for_roles(*CITY)
@require_POST
def objection_answer_view(request: HttpRequest, uid: str, objection_uid: str) -> HttpResponse:
    nomination = _fetch(selectors.get_nomination_for_actor, request, uid)
    try:
        objection = get_by_uid(Objection.objects.filter(nomination=nomination), objection_uid)
    except NotFound as exc:
        raise Http404 from exc
    form = AnswerForm(request.POST, prefix=str(objection.uid))
    try:
        if not form.is_valid():
            raise DomainError("experts_invalid", "请填写答复意见并选择核实结论")
        services.objection_answer(actor=_actor(request), objection=objection, answer=form.cleaned_data["answer"],
                                  upheld=form.cleaned_data["upheld"])  # fmt: skip
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "异议已答复")
    return redirect(_nomination_url(nomination))


# --- the pool: profiles and influencer accounts ---------------------------------------------------------------


POOL_KINDS = [(RoleKind.EXPERT, "名家库专家"), (RoleKind.INFLUENCER, "科普网红达人"), (RoleKind.OUTSTANDING, "优秀科普人物")]


@for_roles(*VIEWERS)
@require_GET
def pool_list_view(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", RoleKind.EXPERT)
    kind = kind if kind in dict(POOL_KINDS) else RoleKind.EXPERT
    q = request.GET.get("q", "")[:50]
    return render(request, "experts/pool.html", console_context(
        request, title="名家库", crumbs=[("名家库", None)], kinds=POOL_KINDS, kind=kind, q=q,
        **paginated(request, selectors.pool_list(actor=_actor(request), kind=kind, q=q)),
    ))  # fmt: skip


def _pool_page(request: HttpRequest, person: Person, *, profile_form: ProfileForm | None = None,
               account_form: AccountForm | None = None, status: int = 200) -> HttpResponse:  # fmt: skip
    actor = _actor(request)
    profile = getattr(person, "expert_profile", None)
    initial = {"topics": profile.topics, "bio": profile.bio} if profile else {}
    return render(request, "experts/pool_person.html", console_context(
        request, title=person.name, crumbs=[("名家库", reverse("experts_console:pool")), (person.name, None)], person=person,
        profile=profile, accounts=list(InfluencerAccount.objects.filter(person=person)),
        studios=list(StudioMember.objects.filter(person=person).select_related("studio")),
        roles=[r.kind for r in person.roles.all() if r.is_active], can_edit=permissions.can_edit_profile(actor, person),
        profile_form=profile_form or ProfileForm(initial=initial), account_form=account_form or AccountForm(),
    ), status=status)  # fmt: skip


@for_roles(*VIEWERS)
@require_http_methods(["GET", "POST"])
def pool_person_view(request: HttpRequest, uid: str) -> HttpResponse:
    person = _fetch(selectors.get_pool_person_for_actor, request, uid)
    if request.method == "GET":
        return _pool_page(request, person)
    if not permissions.can_edit_profile(_actor(request), person):
        raise Http404
    form = ProfileForm(request.POST)
    if form.is_valid():
        try:
            services.expert_profile_save(actor=_actor(request), person=person, **form.cleaned_data)
        except DomainError as exc:
            if exc.status == 404:
                raise Http404 from exc
            form.add_domain_error(exc)
        else:
            messages.success(request, "专家档案已保存")
            return redirect("experts_console:pool_person", uid=person.uid)
    return _pool_page(request, person, profile_form=form, status=400)


@for_roles(*permissions.PROFILE_ROLES)
@require_POST
def account_add_view(request: HttpRequest, uid: str) -> HttpResponse:
    person = _fetch(selectors.get_pool_person_for_actor, request, uid)
    form = AccountForm(request.POST)
    if form.is_valid():
        try:
            services.influencer_account_add(actor=_actor(request), person=person, **form.cleaned_data)
        except DomainError as exc:
            if exc.status == 404:
                raise Http404 from exc
            form.add_domain_error(exc)
        else:
            messages.success(request, "达人账号已登记")
            return redirect("experts_console:pool_person", uid=person.uid)
    return _pool_page(request, person, account_form=form, status=400)


@for_roles(*permissions.PROFILE_ROLES)
@require_POST
def account_remove_view(request: HttpRequest, uid: str) -> HttpResponse:
    try:
        item = get_by_uid(InfluencerAccount.objects.select_related("person"), uid)
    except NotFound as exc:
        raise Http404 from exc
    try:
        services.influencer_account_remove(actor=_actor(request), item=item)
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "达人账号已删除")
    return redirect("experts_console:pool_person", uid=item.person.uid)


# --- studios --------------------------------------------------------------------------------------------------


def _venues(request: HttpRequest) -> Any:
    return Venue.objects.select_related("region").order_by("name")


@for_roles(*VIEWERS)
@require_http_methods(["GET", "POST"])
def studio_list_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    can_keep = permissions.can_keep_studios(actor)
    form = StudioForm(request.POST or None, venues=_venues(request)) if can_keep else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                studio = services.studio_create(actor=actor, **form.cleaned_data)
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, f"已建立 {studio.name}")
                return redirect("experts_console:studio", uid=studio.uid)
    return render(request, "experts/studios.html", console_context(
        request, title="科普专家工作室", crumbs=[("专家工作室", None)], studios=selectors.studio_list(actor=actor), form=form,
    ), status=400 if form is not None and form.errors else 200)  # fmt: skip


@for_roles(*VIEWERS)
@require_http_methods(["GET", "POST"])
def studio_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    actor = _actor(request)
    studio = _fetch(selectors.get_studio_for_actor, request, uid)
    can_keep = permissions.can_keep_studios(actor)
    experts = selectors.pool_list(actor=actor, kind=RoleKind.EXPERT)
    form = MemberForm(request.POST or None, people=experts) if can_keep else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.studio_add_member(actor=actor, studio=studio, **form.cleaned_data)
            except DomainError as exc:
                if exc.status == 404:
                    raise Http404 from exc
                form.add_domain_error(exc)
            else:
                messages.success(request, "已加入工作室")
                return redirect("experts_console:studio", uid=studio.uid)
    return render(request, "experts/studio.html", console_context(
        request, title=studio.name, crumbs=[("专家工作室", reverse("experts_console:studios")), (studio.name, None)], studio=studio,
        members=selectors.studio_members(studio), form=form,
    ), status=400 if form is not None and form.errors else 200)  # fmt: skip


@for_roles(*permissions.STUDIO_ROLES)
@require_POST
def member_remove_view(request: HttpRequest, uid: str) -> HttpResponse:
    try:
        member = get_by_uid(StudioMember.objects.select_related("studio", "person"), uid)
    except NotFound as exc:
        raise Http404 from exc
    try:
        services.studio_remove_member(actor=_actor(request), member=member)
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"{member.person.name}已离开工作室")
    return redirect("experts_console:studio", uid=member.studio.uid)
