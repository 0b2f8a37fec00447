"""Console pages of volunteers (人才队伍 · 志愿服务): volunteers with their hours, stars, records and certificates;
teams and their members; service records (list, entry, confirmation, Excel export and import); star notices with
their objections, and the award.

Every page fetches in the actor's scope (another county's volunteer, team or record answers 404 like a missing one);
phones are shown masked. Views parse and delegate: the rules are the services'."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinghuo.activities.models import Activity
from xinghuo.console.context import console_context, paginated
from xinghuo.console.imports import handle_import
from xinghuo.core.access import for_roles
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.excel import XLSX, Column, export_response
from xinghuo.core.excel_import import ImportReport, template_bytes
from xinghuo.core.lookup import get_by_uid
from xinghuo.core.pdf import pdf_response
from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import RegionLevel
from xinghuo.talent.models import Person
from xinghuo.volunteers import certificates, importer, permissions, selectors, services, team_import
from xinghuo.volunteers.forms import (
    CertificateForm,
    DecisionForm,
    GrantForm,
    MemberForm,
    ObjectionForm,
    ReasonForm,
    RecordFilterForm,
    RecordForm,
    RuleForm,
    TeamForm,
    VolunteerFilterForm,
    WithdrawForm,
)
from xinghuo.volunteers.models import STAR_HOURS, AwardStatus, CommendationRule, StarObjection, Team, star_for

TEAM_ROLES = permissions.TEAM_ROLES
RECORD_ROLES = permissions.RECORD_ROLES
VOLUNTEER_ROLES = permissions.VOLUNTEER_ROLES
#: an activity of the recorder's is offered in the entry form this long after it started
RECENT_DAYS = 120


def _actor(request: HttpRequest) -> Any:
    return request.xh_actor  # type: ignore[attr-defined]


def _or_404(fetch: Any, **kwargs: Any) -> Any:
    try:
        return fetch(actor=kwargs.pop("actor"), **kwargs)
    except NotFound as exc:
        raise Http404 from exc


def _refused(request: HttpRequest, exc: DomainError) -> None:
    if exc.status == 404:
        raise Http404 from exc
    messages.error(request, exc.message)


def _counties(request: HttpRequest) -> list[Any]:
    scope = _actor(request).scope_region
    return list(scope.filter(level__in=(RegionLevel.COUNTY, RegionLevel.ZONE)).order_by("code")) if scope is not None else []


# --- volunteers -----------------------------------------------------------------------------------------------


@for_roles(*VOLUNTEER_ROLES)
@require_GET
def volunteer_list_view(request: HttpRequest) -> HttpResponse:
    form = VolunteerFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    people = selectors.volunteer_list(actor=_actor(request), q=data.get("q") or "", star=data.get("star"))
    return render(request, "volunteers/volunteers.html", console_context(
        request, title="科技志愿者", crumbs=[("科技志愿者", None)], form=form, thresholds=STAR_HOURS.items(), **paginated(request, people),
    ))  # fmt: skip


VOLUNTEER_COLUMNS = [
    Column("姓名", lambda p: p.name, 10), Column("手机号", lambda p: p.phone_shown, 14),
    Column("县市区", lambda p: p.region.county.name if p.region.county else p.region.name, 12), Column("所在区划", lambda p: p.region.name, 20),
    Column("服务队数", lambda p: p.team_count, 8),
    Column("累计确认时长（小时）", lambda p: float(p.volunteer_hours.confirmed_hours) if _hours_of(p) else 0, 14),
    Column("确认记录数", lambda p: p.volunteer_hours.records if _hours_of(p) else 0, 10),
    Column("时长对应星级", lambda p: star_for(p.volunteer_hours.confirmed_hours) if _hours_of(p) else 0, 10),
]  # fmt: skip


def _hours_of(person: Person) -> bool:
    try:
        return person.volunteer_hours is not None
    except ObjectDoesNotExist:
        return False


@for_roles(*VOLUNTEER_ROLES)
@require_GET
def volunteer_export_view(request: HttpRequest) -> HttpResponse:
    """The filtered volunteers as Excel, phones masked."""
    form = VolunteerFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    people = selectors.volunteer_list(actor=_actor(request), q=data.get("q") or "", star=data.get("star"))
    return export_response(filename="科技志愿者", sheet="科技志愿者", columns=VOLUNTEER_COLUMNS, rows=people.iterator(chunk_size=2000),
                           object_type="talent.person", filters={"q": data.get("q"), "star": data.get("star")})  # fmt: skip


def _volunteer_url(person: Person) -> str:
    return reverse("volunteers_console:volunteer", args=[person.uid])


@for_roles(*VOLUNTEER_ROLES)
@require_GET
def volunteer_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    actor = _actor(request)
    person = _or_404(selectors.get_volunteer_for_actor, actor=actor, uid=uid)
    return _volunteer_page(request, person, CertificateForm(initial={"start": timezone.localdate().replace(month=1, day=1),
                                                                     "end": timezone.localdate()}))  # fmt: skip


def _volunteer_page(request: HttpRequest, person: Person, form: CertificateForm, status: int = 200) -> HttpResponse:
    hours = selectors.confirmed_hours(person)
    star = star_for(hours)
    following = next(((level, needed) for level, needed in STAR_HOURS.items() if level > star), None)
    return render(request, "volunteers/volunteer.html", console_context(
        request, title=person.name, crumbs=[("科技志愿者", reverse("volunteers_console:volunteers")), (person.name, None)], person=person,
        hours=hours, star=star, stars="★" * star, following=following, teams=selectors.teams_of(person),
        records=selectors.person_records(person), awards=selectors.person_awards(person),
        certificates=selectors.person_certificates(person), commendations=selectors.person_commendations(person), form=form, reason_form=ReasonForm(),
        can_manage_stars=permissions.can_manage_stars(_actor(request)),
    ), status=status)  # fmt: skip


@for_roles(*VOLUNTEER_ROLES)
@require_POST
def certificate_issue_view(request: HttpRequest, uid: str) -> HttpResponse:
    actor = _actor(request)
    person = _or_404(selectors.get_volunteer_for_actor, actor=actor, uid=uid)
    form = CertificateForm(request.POST)
    if form.is_valid():
        try:
            certificate = services.certificate_issue_service(actor=actor, person=person, start=form.cleaned_data["start"],
                                                             end=form.cleaned_data["end"])  # fmt: skip
        except DomainError as exc:
            if exc.status == 404:
                raise Http404 from exc
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已开具志愿服务证明 {certificate.number}")
            return redirect(_volunteer_url(person))
    return _volunteer_page(request, person, form, status=400)


@for_roles(*VOLUNTEER_ROLES)
@require_GET
def certificate_pdf_view(request: HttpRequest, uid: str) -> HttpResponse:
    certificate = _or_404(selectors.get_certificate_for_actor, actor=_actor(request), uid=uid)
    return pdf_response(
        certificates.certificate_pdf(certificate, request=request), filename=certificates.filename(certificate), inline=True
    )


@for_roles(*VOLUNTEER_ROLES)
@require_POST
def certificate_revoke_view(request: HttpRequest, uid: str) -> HttpResponse:
    actor = _actor(request)
    certificate = _or_404(selectors.get_certificate_for_actor, actor=actor, uid=uid)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请写明作废理由")
    else:
        try:
            services.certificate_revoke(actor=actor, certificate=certificate, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            _refused(request, exc)
        else:
            messages.success(request, f"证书 {certificate.number} 已作废")
    return redirect(_volunteer_url(certificate.person))


# --- teams ----------------------------------------------------------------------------------------------------


def _team_url(team: Team) -> str:
    return reverse("volunteers_console:team", args=[team.uid])


def _team_organisations(request: HttpRequest) -> list[Organisation]:
    """The organisations the actor may found a team for: their own, and for staff the active ones of their region."""
    actor = _actor(request)
    own = permissions.acting_organisation(actor)
    choices = [own] if own is not None else []
    if actor.role in permissions.STAFF_ROLES and actor.scope_region is not None:
        others = Organisation.unscoped.filter(is_active=True, region__in=actor.scope_region).exclude(pk=own.pk if own else None)
        choices += list(others.order_by("region__code", "name")[:500])
    return choices


@for_roles(*TEAM_ROLES)
@require_GET
def team_list_view(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:50]
    return render(request, "volunteers/teams.html", console_context(
        request, title="志愿服务队", crumbs=[("志愿服务队", None)], q=q, **paginated(request, selectors.team_list(actor=_actor(request), q=q)),
    ))  # fmt: skip


@for_roles(*TEAM_ROLES)
@require_http_methods(["GET", "POST"])
def team_create_view(request: HttpRequest) -> HttpResponse:
    organisations = _team_organisations(request)
    form = TeamForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = next(o for o in organisations if str(o.uid) == form.cleaned_data["organisation"])
        try:
            team = services.team_create(actor=_actor(request), organisation=organisation, name=form.cleaned_data["name"],
                                        description=form.cleaned_data["description"])  # fmt: skip
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已建立 {team.name}")
            return redirect(_team_url(team))
    return render(request, "volunteers/team_form.html", console_context(
        request, title="建立志愿服务队", crumbs=[("志愿服务队", reverse("volunteers_console:teams")), ("建立", None)], form=form,
    ), status=400 if form.errors else 200)  # fmt: skip


def _team_page(request: HttpRequest, team: Team, form: MemberForm, status: int = 200) -> HttpResponse:
    return render(request, "volunteers/team.html", console_context(
        request, title=team.name, crumbs=[("志愿服务队", reverse("volunteers_console:teams")), (team.name, None)], team=team,
        members=selectors.team_members(team), form=form, can_manage=permissions.can_manage_team(_actor(request), team),
        can_view_volunteers=permissions.can_view_volunteers(_actor(request)),
    ), status=status)  # fmt: skip


@for_roles(*TEAM_ROLES)
@require_GET
def team_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    team = _or_404(selectors.get_team_for_actor, actor=_actor(request), uid=uid)
    return _team_page(request, team, MemberForm())


@for_roles(*TEAM_ROLES)
@require_POST
def member_add_view(request: HttpRequest, uid: str) -> HttpResponse:
    actor = _actor(request)
    team = _or_404(selectors.get_team_for_actor, actor=actor, uid=uid)
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            person = services.volunteer_find(key=form.cleaned_data["key"], name=form.cleaned_data["name"])
            services.member_add(actor=actor, team=team, person=person)
        except DomainError as exc:
            if exc.status == 404:
                raise Http404 from exc
            form.add_domain_error(exc)
        else:
            messages.success(request, f"{person.name} 已加入本队")
            return redirect(_team_url(team))
    return _team_page(request, team, form, status=400)


@for_roles(*TEAM_ROLES)
@require_POST
def member_remove_view(request: HttpRequest, uid: str, person_uid: str) -> HttpResponse:
    actor = _actor(request)
    team = _or_404(selectors.get_team_for_actor, actor=actor, uid=uid)
    membership = next((m for m in selectors.team_members(team) if str(m.person.uid) == person_uid), None)
    if membership is None:
        raise Http404
    try:
        services.member_remove(actor=actor, team=team, person=membership.person)
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"{membership.person.name} 已退出本队")
    return redirect(_team_url(team))


# --- service records ------------------------------------------------------------------------------------------


def _record_filters(request: HttpRequest) -> tuple[RecordFilterForm, selectors.RecordFilters]:
    form = RecordFilterForm(request.GET or None, counties=_counties(request))
    data = form.cleaned_data if form.is_valid() else {}
    return form, selectors.RecordFilters(
        status=data.get("status", ""), county=data.get("county", ""), q=data.get("q", ""), date_from=data.get("date_from"),
        date_to=data.get("date_to"), mine=bool(data.get("mine")),
    )  # fmt: skip


@for_roles(*RECORD_ROLES)
@require_GET
def record_list_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form, filters = _record_filters(request)
    mine = permissions.acting_organisation(actor)
    return render(request, "volunteers/records.html", console_context(
        request, title="志愿服务记录", crumbs=[("志愿服务记录", None)], form=form, mine_id=mine.pk if mine else None,
        **paginated(request, selectors.record_list(actor=actor, filters=filters), per_page=50),
    ))  # fmt: skip


EXPORT_COLUMNS = [
    Column("服务日期", lambda r: r.date, 12), Column("志愿者", lambda r: r.volunteer.name, 10),
    Column("手机号", lambda r: r.volunteer.phone_shown, 14),
    Column("县市区", lambda r: r.volunteer.region.county.name if r.volunteer.region.county else r.volunteer.region.name, 12),
    Column("服务时长（小时）", lambda r: float(r.hours), 10), Column("服务内容", lambda r: r.content, 30),
    Column("所在活动", lambda r: r.activity.title if r.activity else "", 30), Column("服务队", lambda r: r.team.name if r.team else "", 20),
    Column("记录单位", lambda r: r.organisation.name, 28), Column("状态", lambda r: r.get_status_display(), 8),
    Column("确认时间", lambda r: r.confirmed_at, 18),
]  # fmt: skip


@for_roles(*RECORD_ROLES)
@require_GET
def record_export_view(request: HttpRequest) -> HttpResponse:
    """The filtered records as Excel; phones masked (the registry's audited export is where they are shown whole)."""
    _, filters = _record_filters(request)
    rows = selectors.record_list(actor=_actor(request), filters=filters).iterator(chunk_size=2000)
    return export_response(filename="志愿服务记录", sheet="志愿服务记录", columns=EXPORT_COLUMNS, rows=rows,
                           object_type="volunteers.servicerecord", filters=filters.__dict__)  # fmt: skip


def _entry_choices(request: HttpRequest) -> tuple[list[Activity], list[Team]]:
    """What the recorder may record at: its own organisation's recent activities, and its own teams."""
    mine = permissions.acting_organisation(_actor(request))
    if mine is None:
        return [], []
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    activities = list(
        Activity.unscoped.filter(organiser=mine, status__in=services.RECORDABLE_ACTIVITY, starts_at__gte=since, starts_at__lte=timezone.now())
        .order_by("-starts_at")[:200]
    )  # fmt: skip
    teams = list(Team.unscoped.filter(organisation=mine, is_active=True).order_by("name"))
    return activities, teams


@for_roles(*RECORD_ROLES)
@require_http_methods(["GET", "POST"])
def record_create_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    activities, teams = _entry_choices(request)
    form = RecordForm(request.POST or None, activities=activities, teams=teams, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        activity = next((a for a in activities if str(a.uid) == data["activity"]), None)
        team = next((t for t in teams if str(t.uid) == data["team"]), None)
        try:
            person = services.volunteer_find(key=data["key"], name=data["name"])
            record = services.record_enter(actor=actor, volunteer=person, date=data["date"], hours=data["hours"], content=data["content"],
                                           activity=activity, team=team)  # fmt: skip
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已录入 {person.name} {record.date} {record.hours} 小时（待确认）")
            return redirect(reverse("volunteers_console:record_create"))
    return render(request, "volunteers/record_form.html", console_context(
        request, title="录入志愿服务记录", crumbs=[("志愿服务记录", reverse("volunteers_console:records")), ("录入", None)], form=form,
        can_record=bool(activities or teams),
    ), status=400 if form.errors else 200)  # fmt: skip


@for_roles(*RECORD_ROLES)
@require_POST
def records_confirm_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    try:
        uids = {uuid.UUID(uid) for uid in request.POST.getlist("record")[:500]}
    except ValueError as exc:
        raise Http404 from exc
    records = list(selectors.visible_records(actor).filter(uid__in=uids))
    if len(records) != len(uids):  # one of them missing or out of sight: the same answer as for a missing page
        raise Http404
    try:
        count = services.records_confirm(actor=actor, records=records)
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"已确认 {count} 条服务记录")
    # back to the list as it was filtered (only ever to the list itself)
    back = str(request.POST.get("next", ""))
    return redirect(back if back.startswith(reverse("volunteers_console:records")) else reverse("volunteers_console:records"))


@for_roles(*RECORD_ROLES)
@require_POST
def record_unconfirm_view(request: HttpRequest, uid: str) -> HttpResponse:
    actor = _actor(request)
    record = _or_404(selectors.get_record_for_actor, actor=actor, uid=uid)
    try:
        services.record_unconfirm(actor=actor, record=record, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "已撤销确认：该记录恢复为待确认，其时长不再计入累计时长")
    return redirect("volunteers_console:records")


@for_roles(*RECORD_ROLES)
@require_POST
def record_delete_view(request: HttpRequest, uid: str) -> HttpResponse:
    actor = _actor(request)
    record = _or_404(selectors.get_record_for_actor, actor=actor, uid=uid)
    try:
        services.record_delete(actor=actor, record=record)
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "已删除该条待确认记录")
    return redirect("volunteers_console:records")


@for_roles(*RECORD_ROLES)
@require_GET
def import_template_view(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_bytes(sheet="志愿服务记录", columns=importer.COLUMNS), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote("志愿服务记录导入模板.xlsx")
    return response


@for_roles(*RECORD_ROLES)
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    """Upload a filled template: every row is checked, and nothing is saved if any row is wrong."""
    outcome = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            outcome = importer.Outcome(report=ImportReport(), error="请选择要上传的 Excel 文件")
        else:
            outcome = importer.run(_actor(request), upload, size=upload.size, confirm=request.POST.get("confirm") == "1")
    return render(request, "volunteers/import.html", console_context(
        request, title="导入志愿服务记录", crumbs=[("志愿服务记录", reverse("volunteers_console:records")), ("导入", None)],
        report=outcome.report if outcome and not outcome.error else None, error=outcome.error if outcome else "", all_or_nothing=True,
    ), status=outcome.status if outcome else 200)  # fmt: skip


# --- commendations (嘉许激励) ---------------------------------------------------------------------------------


def _commendations_page(request: HttpRequest, rule_form: RuleForm, grant_form: GrantForm, status: int = 200) -> HttpResponse:
    actor = _actor(request)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    return render(request, "volunteers/commendations.html", console_context(
        request, title="嘉许激励", crumbs=[("嘉许激励", None)], rules=list(CommendationRule.objects.all()), year=year,
        rule_form=rule_form, grant_form=grant_form, can_manage=permissions.can_manage_stars(actor),
        **paginated(request, selectors.commendation_list(actor=actor, year=year), per_page=50),
    ), status=status)  # fmt: skip


def _active_rules() -> list[CommendationRule]:
    return list(CommendationRule.objects.filter(is_active=True))


@for_roles(*VOLUNTEER_ROLES)
@require_GET
def commendations_view(request: HttpRequest) -> HttpResponse:
    grant = GrantForm(rules=_active_rules(), initial={"year": timezone.localdate().year - 1})
    return _commendations_page(request, RuleForm(), grant)


COMMENDATION_COLUMNS = [
    Column("年度", lambda c: c.year, 6), Column("嘉许", lambda c: c.rule.name, 20), Column("志愿者", lambda c: c.person.name, 10),
    Column("县市区", lambda c: c.person.region.county.name if c.person.region.county else c.person.region.name, 12),
    Column("年度服务时长（小时）", lambda c: float(c.hours), 14), Column("嘉许日期", lambda c: c.granted_on, 12),
]  # fmt: skip


@for_roles(*VOLUNTEER_ROLES)
@require_GET
def commendation_export_view(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    rows = selectors.commendation_list(actor=_actor(request), year=year).iterator(chunk_size=2000)
    return export_response(filename="志愿服务嘉许", sheet="志愿服务嘉许", columns=COMMENDATION_COLUMNS, rows=rows,
                           object_type="volunteers.commendation", filters={"year": year})  # fmt: skip


@for_roles(*permissions.STAR_ROLES)
@require_POST
def commendation_rule_create_view(request: HttpRequest) -> HttpResponse:
    form = RuleForm(request.POST)
    if form.is_valid():
        try:
            rule = services.commendation_rule_create(actor=_actor(request), **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已设立嘉许规则：{rule.name}")
            return redirect("volunteers_console:commendations")
    return _commendations_page(request, form, GrantForm(rules=_active_rules()), status=400)


@for_roles(*permissions.STAR_ROLES)
@require_POST
def commendations_grant_view(request: HttpRequest) -> HttpResponse:
    rules = _active_rules()
    form = GrantForm(request.POST, rules=rules)
    if form.is_valid():
        rule = next(r for r in rules if str(r.uid) == form.cleaned_data["rule"])
        try:
            count = services.commendations_grant(actor=_actor(request), rule=rule, year=form.cleaned_data["year"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"{form.cleaned_data['year']}年{rule.name}：新嘉许 {count} 人")
            return redirect(f"{reverse('volunteers_console:commendations')}?year={form.cleaned_data['year']}")
    return _commendations_page(request, RuleForm(), form, status=400)


# --- stars ----------------------------------------------------------------------------------------------------


@for_roles(*VOLUNTEER_ROLES)
@require_GET
def award_list_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    status = request.GET.get("status", "")
    status = status if status in AwardStatus.values else ""
    return render(request, "volunteers/awards.html", console_context(
        request, title="星级评定与公示", crumbs=[("星级评定与公示", None)], status=status, statuses=AwardStatus.choices,
        can_manage=permissions.can_manage_stars(actor), **paginated(request, selectors.award_list(actor=actor, status=status), per_page=50),
    ))  # fmt: skip


AWARD_COLUMNS = [
    Column("志愿者", lambda a: a.person.name, 10),
    Column("县市区", lambda a: a.person.region.county.name if a.person.region.county else a.person.region.name, 12),
    Column("星级", lambda a: a.level, 6), Column("公示时累计时长", lambda a: float(a.hours), 12), Column("所在服务队", lambda a: a.teams, 30),
    Column("公示开始", lambda a: a.notice_starts, 12), Column("公示截止", lambda a: a.notice_ends, 12),
    Column("异议", lambda a: a.objection_count, 6), Column("状态", lambda a: a.get_status_display(), 8),
    Column("授予日期", lambda a: a.awarded_on, 12), Column("撤销日期", lambda a: a.withdrawn_on, 12), Column("撤销理由", lambda a: a.withdraw_reason, 30),
]  # fmt: skip


@for_roles(*VOLUNTEER_ROLES)
@require_GET
def award_export_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in AwardStatus.values else ""
    awards = selectors.award_list(actor=_actor(request), status=status)
    return export_response(filename="星级志愿者", sheet="星级评定", columns=AWARD_COLUMNS, rows=awards.iterator(chunk_size=2000),
                           object_type="volunteers.staraward", filters={"status": status})  # fmt: skip


@for_roles(*permissions.STAR_ROLES)
@require_POST
def stars_open_view(request: HttpRequest) -> HttpResponse:
    try:
        count = services.star_notices_open(actor=_actor(request))
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"已将 {count} 名新达到星级标准的志愿者列入公示" if count else "没有新达到星级标准的志愿者")
    return redirect("volunteers_console:awards")


@for_roles(*permissions.STAR_ROLES)
@require_POST
def stars_award_view(request: HttpRequest) -> HttpResponse:
    try:
        count = services.stars_award_due(actor=_actor(request))
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"已授予 {count} 名志愿者星级并签发证书" if count else "没有公示期满、可以授予的星级")
    return redirect("volunteers_console:awards")


def _award_page(request: HttpRequest, award: Any, form: ObjectionForm, status: int = 200) -> HttpResponse:
    actor = _actor(request)
    objections = list(StarObjection.unscoped.filter(award=award).order_by("received_on", "pk"))
    return render(request, "volunteers/award.html", console_context(
        request, title=f"{award.person.name} · {award.level} 星", crumbs=[("星级评定与公示", reverse("volunteers_console:awards")),
                                                                       (award.person.name, None)],
        award=award, objections=objections, form=form, decision_form=DecisionForm(), can_manage=permissions.can_manage_stars(actor),
        withdraw_form=WithdrawForm(),
    ), status=status)  # fmt: skip


@for_roles(*VOLUNTEER_ROLES)
@require_GET
def award_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    award = _or_404(selectors.get_award_for_actor, actor=_actor(request), uid=uid)
    return _award_page(request, award, ObjectionForm(initial={"received_on": timezone.localdate()}))


@for_roles(*permissions.STAR_ROLES)
@require_POST
def objection_record_view(request: HttpRequest, uid: str) -> HttpResponse:
    actor = _actor(request)
    award = _or_404(selectors.get_award_for_actor, actor=actor, uid=uid)
    form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            services.objection_record(actor=actor, award=award, **form.cleaned_data)
        except DomainError as exc:
            if exc.status == 404:
                raise Http404 from exc
            form.add_domain_error(exc)
        else:
            messages.success(request, "已登记异议；请核实后作出处理")
            return redirect("volunteers_console:award", uid=award.uid)
    return _award_page(request, award, form, status=400)


@for_roles(*permissions.STAR_ROLES)
@require_POST
def star_withdraw_view(request: HttpRequest, uid: str) -> HttpResponse:
    actor = _actor(request)
    award = _or_404(selectors.get_award_for_actor, actor=actor, uid=uid)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请写明撤销理由")
    else:
        try:
            services.star_withdraw(actor=actor, award=award, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            _refused(request, exc)
        else:
            messages.success(request, "已撤销该星级，证书同时作废")
    return redirect("volunteers_console:award", uid=award.uid)


@for_roles(*permissions.STAR_ROLES)
@require_POST
def objection_decide_view(request: HttpRequest, uid: str, objection_uid: str) -> HttpResponse:
    actor = _actor(request)
    award = _or_404(selectors.get_award_for_actor, actor=actor, uid=uid)
    try:
        objection = get_by_uid(StarObjection.unscoped.filter(award=award), objection_uid)
    except NotFound as exc:
        raise Http404 from exc
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择核实结论并写明答复")
    else:
        try:
            services.objection_decide(
                actor=actor, objection=objection, upheld=form.cleaned_data["upheld"], answer=form.cleaned_data["answer"]
            )
        except DomainError as exc:
            _refused(request, exc)
        else:
            messages.success(request, "异议成立，已撤销该星级" if form.cleaned_data["upheld"] else "异议不成立，维持公示")
    return redirect("volunteers_console:award", uid=award.uid)


# --- teams from Excel ------------------------------------------------------------------------------------------


@for_roles(*TEAM_ROLES)
@require_GET
def team_import_template_view(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_bytes(sheet="志愿服务队成员", columns=team_import.COLUMNS), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote("志愿服务队成员导入模板.xlsx")
    return response


@for_roles(*TEAM_ROLES)
@require_http_methods(["GET", "POST"])
def team_import_view(request: HttpRequest) -> HttpResponse:
    """Upload a roster: each row puts a volunteer in a team (set up on its first row); nothing saved if a row is wrong."""
    actor = _actor(request)
    outcome = handle_import(
        request, columns=team_import.COLUMNS, build=team_import.make_builder(actor), save=team_import.make_saver(actor),
        object_type="volunteers.teammembership", description="导入志愿服务队成员", allow_partial=False,
    )  # fmt: skip
    return render(request, "volunteers/team_import.html", console_context(
        request, title="导入志愿服务队成员", crumbs=[("志愿服务队", reverse("volunteers_console:teams")), ("导入", None)],
        report=outcome.report, error=outcome.error, all_or_nothing=True,
    ), status=outcome.status)  # fmt: skip
