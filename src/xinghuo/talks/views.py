"""Console pages of 点单式科普: the requests (list, export), asking for a talk, one request with the experts the
platform suggests and the steps of its turn (arrange, decline, withdraw, feedback), and an expert's record."""

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
from xinghuo.organisations.models import Organisation
from xinghuo.talent.models import Person
from xinghuo.talent.selectors import resolve_region
from xinghuo.talks import permissions, selectors, services
from xinghuo.talks.forms import ConfirmForm, DeclineForm, FeedbackForm, RequestForm
from xinghuo.talks.models import TalkRequest, TalkStatus

VIEWERS = permissions.VIEWER_ROLES


def _actor(request: HttpRequest) -> Any:
    return request.xh_actor  # type: ignore[attr-defined]


def _talk(request: HttpRequest, uid: str) -> TalkRequest:
    try:
        return selectors.get_talk_for_actor(actor=_actor(request), uid=uid)
    except NotFound as exc:
        raise Http404 from exc


def _url(talk: TalkRequest) -> str:
    return reverse("talks_console:detail", args=[talk.uid])


@for_roles(*VIEWERS)
@require_GET
def talk_list_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    status = request.GET.get("status", "") if request.GET.get("status", "") in TalkStatus.values else ""
    return render(request, "talks/list.html", console_context(
        request, title="点单式科普", crumbs=[("点单式科普", None)], statuses=TalkStatus.choices, status=status,
        can_request=permissions.can_request(actor), **paginated(request, selectors.talk_list(actor=actor, status=status)),
    ))  # fmt: skip


EXPORT_COLUMNS = [
    Column("点单单位", lambda t: t.requester.name, 28), Column("举办地", lambda t: t.region.name, 20), Column("主题", lambda t: t.topic, 30),
    Column("专业领域", lambda t: t.get_field_display(), 12), Column("听众", lambda t: t.get_audience_display(), 10),
    Column("预计人数", lambda t: t.expected_size, 10), Column("希望时间自", lambda t: t.wanted_from, 12),
    Column("希望时间至", lambda t: t.wanted_until, 12), Column("联系人", lambda t: t.contact_name, 10),
    Column("联系电话", lambda t: t.contact_phone_shown, 14), Column("状态", lambda t: t.get_status_display(), 10),
    Column("主讲专家", lambda t: t.expert.name if t.expert else "", 12), Column("开始时间", lambda t: t.starts_at, 18),
    Column("评分", lambda t: t.rating, 8),
]  # fmt: skip


@for_roles(*VIEWERS)
@require_GET
def talk_export_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "") if request.GET.get("status", "") in TalkStatus.values else ""
    rows = selectors.talk_list(actor=_actor(request), status=status).iterator(chunk_size=2000)
    return export_response(filename="点单式科普", sheet="点单式科普", columns=EXPORT_COLUMNS, rows=rows, object_type="talks.talkrequest",
                           filters={"status": status})  # fmt: skip


@for_roles(*permissions.REQUESTER_ROLES)
@require_http_methods(["GET", "POST"])
def talk_request_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    organisations = Organisation.objects.filter(is_active=True).order_by("path")
    own = actor.membership.organisation if actor.membership else None
    form = RequestForm(request.POST or None, organisations=organisations, initial={"requester": own.uid if own else None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            region = resolve_region(actor=actor, text=data.pop("region"))
            talk = services.talk_request(actor=actor, region=region, **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "点单已提交，县科协将为您匹配专家")
            return redirect(_url(talk))
    return render(request, "talks/request.html", console_context(
        request, title="点单：请专家来讲科普", crumbs=[("点单式科普", reverse("talks_console:list")), ("点单", None)], form=form,
    ), status=400 if request.method == "POST" else 200)  # fmt: skip


def _detail(request: HttpRequest, talk: TalkRequest, *, status: int = 200, **forms: Any) -> HttpResponse:
    actor = _actor(request)
    arranging = talk.status == TalkStatus.REQUESTED and permissions.can_arrange(actor)
    return render(request, "talks/detail.html", console_context(
        request, title=f"点单：{talk.topic}", crumbs=[("点单式科普", reverse("talks_console:list")), (talk.topic, None)], talk=talk,
        arranging=arranging, suggestions=selectors.suggest_experts(talk=talk) if arranging else [],
        confirm_form=forms.get("confirm_form") or ConfirmForm(), decline_form=forms.get("decline_form") or DeclineForm(),
        feedback_form=forms.get("feedback_form") or FeedbackForm(),
        feedback_turn=talk.status == TalkStatus.CONFIRMED and talk.activity and talk.activity.status in services.HELD,
    ), status=status)  # fmt: skip


@for_roles(*VIEWERS)
@require_GET
def talk_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    return _detail(request, _talk(request, uid))


def _run(request: HttpRequest, talk: TalkRequest, form_name: str, form: Any, call: Any, done: str) -> HttpResponse:
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except DomainError as exc:
            if exc.status == 404:
                raise Http404 from exc
            if exc.field and exc.field in form.fields:
                form.add_domain_error(exc)
            else:
                messages.error(request, exc.message)
                return redirect(_url(talk))
        else:
            messages.success(request, done)
            return redirect(_url(talk))
    return _detail(request, talk, status=400, **{form_name: form})


@for_roles(*permissions.ARRANGER_ROLES)
@require_POST
def talk_confirm_view(request: HttpRequest, uid: str) -> HttpResponse:
    talk = _talk(request, uid)
    form = ConfirmForm(request.POST)

    def confirm(data: dict[str, Any]) -> None:
        expert = Person.unscoped.filter(uid=data["expert"]).first()
        if expert is None:
            raise DomainError("talk_expert", "请从推荐名单中选择主讲专家", field="starts_at")
        services.talk_confirm(actor=_actor(request), talk=talk, expert=expert, starts_at=data["starts_at"], ends_at=data["ends_at"],
                              brand=data.get("brand"))  # fmt: skip

    return _run(request, talk, "confirm_form", form, confirm, "已安排专家，并已为点单单位生成活动草稿")


@for_roles(*permissions.ARRANGER_ROLES)
@require_POST
def talk_decline_view(request: HttpRequest, uid: str) -> HttpResponse:
    talk = _talk(request, uid)
    return _run(request, talk, "decline_form", DeclineForm(request.POST),
                lambda d: services.talk_decline(actor=_actor(request), talk=talk, reason=d["reason"]), "已告知点单单位未能安排")  # fmt: skip


@for_roles(*VIEWERS)
@require_POST
def talk_cancel_view(request: HttpRequest, uid: str) -> HttpResponse:
    talk = _talk(request, uid)
    try:
        services.talk_cancel(actor=_actor(request), talk=talk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "点单已撤回")
    return redirect(_url(talk))


@for_roles(*VIEWERS)
@require_POST
def talk_feedback_view(request: HttpRequest, uid: str) -> HttpResponse:
    talk = _talk(request, uid)
    return _run(request, talk, "feedback_form", FeedbackForm(request.POST),
                lambda d: services.talk_feedback(actor=_actor(request), talk=talk, rating=d["rating"], comment=d.get("comment", "")),
                "感谢反馈，已记入专家的讲座记录")  # fmt: skip


@for_roles(*VIEWERS)
@require_GET
def expert_view(request: HttpRequest, uid: str) -> HttpResponse:
    try:
        expert = selectors.get_expert(uid=uid)
    except NotFound as exc:
        raise Http404 from exc
    record = selectors.expert_record(actor=_actor(request), expert=expert)
    return render(request, "talks/expert.html", console_context(
        request, title=f"专家讲座记录：{expert.name}", crumbs=[("点单式科普", reverse("talks_console:list")), (expert.name, None)],
        expert=expert, record=record,
    ))  # fmt: skip
