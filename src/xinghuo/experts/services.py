"""Writes of the expert pool and its yearly lists.

Each write checks the actor's role, takes its row locks in one order (selection, then nomination, then objection),
checks scope and status under them, validates everything before writing anything, and is audited (BaseModel saves;
a nomination's steps besides). A refused write changes nothing and says why in Chinese."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.core.errors import DomainError
from xinghuo.core.phones import CONTACT_RE
from xinghuo.core.validation import validate
from xinghuo.core.workdays import nth_working_day
from xinghuo.experts import permissions
from xinghuo.experts.errors import ExpertError as E
from xinghuo.experts.models import (
    LIVE_NOMINATION,
    MIN_NOTICE_DAYS,
    ExpertProfile,
    InfluencerAccount,
    ListKind,
    Nomination,
    NominationStatus,
    NominationStep,
    Objection,
    Platform,
    Selection,
    SelectionStatus,
    StepAction,
    Studio,
    StudioMember,
)
from xinghuo.regions.models import Region, RegionLevel
from xinghuo.talent.models import Person, PersonRole, RoleKind, RoleStatus
from xinghuo.venues.models import Venue

NOT_FOUND = "您要找的记录不存在或无权查看。"
TOPIC_SPLIT = re.compile(r"[、,，;；\s]+")


def _deny(message: str = "您的身份不能办理这一事项") -> DomainError:
    return DomainError(E.NOT_ALLOWED, message, status=403)


def _not_found() -> DomainError:
    return DomainError(E.NOT_ALLOWED, NOT_FOUND, status=404)


def _text(value: str | None, what: str, *, field: str, minimum: int = 1, maximum: int = 2000) -> str:
    value = (value or "").strip()
    if len(value) < minimum:
        raise DomainError(E.REASON_REQUIRED, f"请填写{what}" if minimum <= 1 else f"请填写{what}（至少 {minimum} 个字）", field=field)
    if len(value) > maximum:
        raise DomainError(E.INVALID, f"{what}最多 {maximum} 个字", field=field)
    return value


def holds_role(person: Person, kind: str) -> bool:
    return PersonRole.unscoped.filter(person=person, kind=kind, status=RoleStatus.ACTIVE).exists()


def _lock_person(actor: Actor, person: Person) -> Person:
    locked = Person.unscoped.select_for_update(of=("self",)).select_related("region").get(pk=person.pk)
    if not permissions.can_edit_profile(actor, locked):
        raise _not_found()
    return locked


# --- profiles -------------------------------------------------------------------------------------------------


def expert_profile_save(*, actor: Actor, person: Person, topics: str = "", bio: str = "") -> ExpertProfile:
    """Set an expert's topics (a short list, separated by 、 or commas) and public bio."""
    if not permissions.can_edit_profile(actor):
        raise _deny("您的身份不能维护专家档案")
    tags = list(dict.fromkeys(t for t in TOPIC_SPLIT.split(topics or "") if t))
    if len(tags) > 10 or any(len(t) > 30 for t in tags):
        raise DomainError(E.INVALID, "科普主题最多 10 个，每个不超过 30 个字", field="topics")
    joined = "、".join(tags)
    if len(joined) > 300:
        raise DomainError(E.INVALID, "科普主题合计最多 300 个字", field="topics")
    bio = (bio or "").strip()
    if len(bio) > 500:
        raise DomainError(E.INVALID, "个人简介最多 500 个字", field="bio")
    with transaction.atomic():
        locked = _lock_person(actor, person)
        if not holds_role(locked, RoleKind.EXPERT):
            raise DomainError(E.ROLE, f"{locked.name}不是名家库专家，请先在人员库中为其添加这一角色")
        profile = ExpertProfile.unscoped.select_for_update().filter(person=locked).first() or ExpertProfile(person=locked)
        profile.topics, profile.bio = joined, bio
        validate(profile)
        profile.save()
    return profile


def influencer_account_add(*, actor: Actor, person: Person, platform: str, account: str, followers: int) -> InfluencerAccount:
    if not permissions.can_edit_profile(actor):
        raise _deny("您的身份不能维护达人账号")
    if platform not in Platform.values:
        raise DomainError(E.INVALID, "请选择平台", field="platform")
    account = _text(account, "账号", field="account", maximum=60)
    if followers is None or followers < 0:
        raise DomainError(E.INVALID, "粉丝数应为不小于 0 的整数", field="followers")
    with transaction.atomic():
        locked = _lock_person(actor, person)
        if not holds_role(locked, RoleKind.INFLUENCER):
            raise DomainError(E.ROLE, f"{locked.name}不是科普网红达人，请先在人员库中为其添加这一角色")
        if InfluencerAccount.unscoped.filter(platform=platform, account=account).exists():
            raise DomainError(E.INVALID, "该平台账号已登记", field="account")
        item = InfluencerAccount(person=locked, platform=platform, account=account, followers=followers)
        validate(item)
        item.save()
    return item


def influencer_account_remove(*, actor: Actor, item: InfluencerAccount) -> None:
    if not permissions.can_edit_profile(actor):
        raise _deny("您的身份不能维护达人账号")
    with transaction.atomic():
        _lock_person(actor, item.person)
        InfluencerAccount.unscoped.select_for_update().get(pk=item.pk).delete()


# --- studios --------------------------------------------------------------------------------------------------


def studio_create(*, actor: Actor, name: str, venue: Venue, description: str = "") -> Studio:
    if not permissions.can_keep_studios(actor):
        raise _deny("您的身份不能维护专家工作室")
    name = _text(name, "工作室名称", field="name", maximum=100)
    if not actor.reaches(region_id=venue.region_id, organisation_id=venue.operator_id):
        raise DomainError(E.STUDIO, "依托场馆须在您的管辖范围内", field="venue")
    with transaction.atomic():
        if Studio.unscoped.filter(name=name).exists():
            raise DomainError(E.STUDIO, "已有同名的专家工作室", field="name")
        studio = Studio(name=name, venue=venue, description=(description or "").strip())
        validate(studio)
        studio.save()
    return studio


def _lock_studio(actor: Actor, studio: Studio) -> Studio:
    if not permissions.can_keep_studios(actor):
        raise _deny("您的身份不能维护专家工作室")
    locked = Studio.unscoped.select_for_update(of=("self",)).select_related("venue").get(pk=studio.pk)
    if not actor.reaches(region_id=locked.venue.region_id, organisation_id=locked.venue.operator_id):
        raise _not_found()
    return locked


def studio_add_member(*, actor: Actor, studio: Studio, person: Person, is_lead: bool = False) -> StudioMember:
    """An expert of the pool joins a studio (the lead, if so, replaces the one before)."""
    with transaction.atomic():
        locked = _lock_studio(actor, studio)
        if not holds_role(person, RoleKind.EXPERT):
            raise DomainError(E.ROLE, f"{person.name}不是名家库专家，不能加入专家工作室", field="person")
        if StudioMember.unscoped.filter(studio=locked, person=person).exists():
            raise DomainError(E.STUDIO, f"{person.name}已在该工作室", field="person")
        if is_lead:
            for member in StudioMember.unscoped.select_for_update().filter(studio=locked, is_lead=True):
                member.is_lead = False
                member.save(update_fields=["is_lead", "updated_at"])
        member = StudioMember(studio=locked, person=person, is_lead=is_lead)
        validate(member)
        member.save()
    return member


def studio_remove_member(*, actor: Actor, member: StudioMember) -> None:
    with transaction.atomic():
        _lock_studio(actor, member.studio)
        StudioMember.unscoped.select_for_update().get(pk=member.pk).delete()


# --- the yearly selection -------------------------------------------------------------------------------------


def _city(actor: Actor) -> Region | None:
    region = actor.region
    if region is None:
        return None
    return region if region.level == RegionLevel.CITY else region.city


def selection_open(*, actor: Actor, year: int, kind: str, note: str = "", notice_days: int = MIN_NOTICE_DAYS) -> Selection:
    """City staff open one year's selection of one list; nominations may then come in."""
    if not permissions.can_run_selection(actor):
        raise _deny("年度名单评选由市科协发起")
    if kind not in ListKind.values:
        raise DomainError(E.INVALID, "请选择名单类别", field="kind")
    today = timezone.localdate()
    if not (today.year - 1 <= year <= today.year + 1):
        raise DomainError(E.INVALID, f"年度应在 {today.year - 1} 至 {today.year + 1} 之间", field="year")
    if not (MIN_NOTICE_DAYS <= notice_days <= 30):
        raise DomainError(E.INVALID, f"公示期应为 {MIN_NOTICE_DAYS} 至 30 个工作日", field="notice_days")
    city = _city(actor)
    if city is None:
        raise _deny("年度名单评选由市科协发起")
    with transaction.atomic():
        if Selection.objects.filter(city=city, year=year, kind=kind).exists():
            raise DomainError(E.SELECTION_EXISTS, f"{year} 年度{ListKind(kind).label}评选已发起", field="year")
        selection = Selection(city=city, year=year, kind=kind, note=(note or "").strip(), notice_days=notice_days)
        validate(selection)
        try:
            with transaction.atomic():
                selection.save()
        except IntegrityError as exc:  # opened at the same moment by a colleague
            raise DomainError(E.SELECTION_EXISTS, f"{year} 年度{ListKind(kind).label}评选已发起", field="year") from exc
    return selection


def _lock_selection(actor: Actor, selection: Selection, *statuses: str) -> Selection:
    locked = Selection.objects.select_for_update().get(pk=selection.pk)
    if locked.city_id != getattr(_city(actor), "pk", None):
        raise _not_found()
    if statuses and locked.status not in statuses:
        raise DomainError(E.STATUS, f"{locked}当前为“{locked.get_status_display()}”，不能办理这一事项")
    return locked


def _lock_nomination(actor: Actor, nomination: Nomination) -> Nomination:
    locked = Nomination.unscoped.select_for_update(of=("self",)).select_related("person__region", "selection").get(pk=nomination.pk)
    if not actor.reaches(region_id=locked.person.region_id, organisation_id=locked.nominator_id):
        raise _not_found()
    return locked


def _step(nomination: Nomination, actor: Actor | None, action: str, before: str, note: str = "") -> NominationStep:
    user = actor.user if actor else None
    step = NominationStep(
        nomination=nomination, action=action, from_status=before, to_status=nomination.status, actor=user,
        actor_label=user.audit_label() if user else "公众", note=(note or "").strip(),
    )  # fmt: skip
    step.save()
    return step


def _check_nominee(selection: Selection, person: Person) -> None:
    role = selection.role
    if not holds_role(person, role):
        raise DomainError(
            E.ROLE, f"{person.name}不是在任的{RoleKind(role).label}，不能推荐为{selection.get_kind_display()}", field="person"
        )
    if selection.kind == ListKind.INFLUENCER and not InfluencerAccount.unscoped.filter(person=person).exists():
        raise DomainError(E.NO_INFLUENCER_PROFILE, f"{person.name}尚无达人档案（平台账号和粉丝数），请先登记后再推荐", field="person")


def nomination_create(*, actor: Actor, selection: Selection, person: Person, reasons: str) -> Nomination:
    """County staff (their county's people) or an organisation (its own people) put someone forward."""
    if not permissions.can_nominate(actor):
        raise _deny("推荐由县市区科协或推荐单位提出")
    reasons = _text(reasons, "推荐理由", field="reasons", minimum=10)
    organisation = actor.organisation
    assert organisation is not None  # a nominator acts in a membership
    with transaction.atomic():
        selection = _lock_selection(actor, selection, SelectionStatus.NOMINATING)
        person = Person.unscoped.select_for_update(of=("self",)).select_related("region").get(pk=person.pk)
        if not permissions.can_nominate(actor, person):
            raise DomainError(E.NOT_ALLOWED, "只能推荐本县市区（本单位）的人员", field="person", status=404)
        if not selection.city.subtree().filter(pk=person.region_id).exists():
            raise DomainError(E.NOT_ALLOWED, "只能推荐本市的人员", field="person")
        _check_nominee(selection, person)
        if Nomination.unscoped.filter(selection=selection, person=person, status__in=LIVE_NOMINATION).exists():
            raise DomainError(E.DUPLICATE, f"{person.name}已被推荐参加{selection}", field="person")
        nomination = Nomination(selection=selection, person=person, nominator=organisation, submitted_by=actor.user, reasons=reasons)
        validate(nomination)
        nomination.save()
        _step(nomination, actor, StepAction.NOMINATE, "", reasons[:500])
    return nomination


def nomination_resubmit(*, actor: Actor, nomination: Nomination, reasons: str) -> Nomination:
    """The nominator amends a returned nomination and sends it back for review."""
    if not permissions.can_nominate(actor):
        raise _deny("推荐由县市区科协或推荐单位提出")
    reasons = _text(reasons, "推荐理由", field="reasons", minimum=10)
    with transaction.atomic():
        _lock_selection(actor, nomination.selection, SelectionStatus.NOMINATING)
        locked = _lock_nomination(actor, nomination)
        if locked.status != NominationStatus.RETURNED:
            raise DomainError(E.STATUS, f"该推荐当前为“{locked.get_status_display()}”，只有退回补充的推荐可以重新提交")
        _check_nominee(locked.selection, locked.person)
        before = locked.status
        locked.reasons, locked.status = reasons, NominationStatus.SUBMITTED
        locked.save(update_fields=["reasons", "status", "updated_at"])
        _step(locked, actor, StepAction.RESUBMIT, before, reasons[:500])
    return locked


def nomination_withdraw(*, actor: Actor, nomination: Nomination, reason: str = "") -> Nomination:
    """The nominator takes back a nomination before the notice."""
    if not permissions.can_nominate(actor):
        raise _deny("推荐由县市区科协或推荐单位提出")
    with transaction.atomic():
        _lock_selection(actor, nomination.selection, SelectionStatus.NOMINATING)
        locked = _lock_nomination(actor, nomination)
        if locked.status not in (NominationStatus.SUBMITTED, NominationStatus.RETURNED, NominationStatus.SHORTLISTED):
            raise DomainError(E.STATUS, f"该推荐当前为“{locked.get_status_display()}”，不能撤回")
        before = locked.status
        locked.status = NominationStatus.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
        _step(locked, actor, StepAction.WITHDRAW, before, reason)
    return locked


REVIEW_DECISIONS = {
    "shortlist": (NominationStatus.SHORTLISTED, StepAction.SHORTLIST),
    "return": (NominationStatus.RETURNED, StepAction.RETURN),
    "decline": (NominationStatus.DECLINED, StepAction.DECLINE),
}


def nomination_review(*, actor: Actor, nomination: Nomination, decision: str, note: str) -> Nomination:
    """The city's decision on one nomination, with its note: shortlist for the notice, return for more, or decline.
    A decision may be changed until the notice starts."""
    if not permissions.can_run_selection(actor):
        raise _deny("推荐由市科协评审")
    if decision not in REVIEW_DECISIONS:
        raise DomainError(E.INVALID, "请选择评审结论", field="decision")
    note = _text(note, "评审意见", field="note")
    status, action = REVIEW_DECISIONS[decision]
    with transaction.atomic():
        _lock_selection(actor, nomination.selection, SelectionStatus.NOMINATING)
        locked = _lock_nomination(actor, nomination)
        if locked.status not in (NominationStatus.SUBMITTED, NominationStatus.SHORTLISTED, NominationStatus.DECLINED):
            raise DomainError(E.STATUS, f"该推荐当前为“{locked.get_status_display()}”，不能评审")
        if status == NominationStatus.SHORTLISTED:
            _check_nominee(locked.selection, locked.person)
        before = locked.status
        locked.status, locked.review_note, locked.reviewed_at = status, note, timezone.now()
        locked.save(update_fields=["status", "review_note", "reviewed_at", "updated_at"])
        _step(locked, actor, action, before, note)
    return locked


def selection_start_notice(*, actor: Actor, selection: Selection, today: date | None = None) -> Selection:
    """Put the shortlist to public notice for the selection's working days (at least 5), counted from today."""
    if not permissions.can_run_selection(actor):
        raise _deny("公示由市科协发布")
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _lock_selection(actor, selection, SelectionStatus.NOMINATING)
        nominations = list(Nomination.unscoped.select_for_update().filter(selection=locked).order_by("pk"))
        waiting = [n for n in nominations if n.status == NominationStatus.SUBMITTED]
        if waiting:
            raise DomainError(E.PENDING_REVIEW, f"还有 {len(waiting)} 条推荐未评审，评审后才能公示")
        candidates = [n for n in nominations if n.status == NominationStatus.SHORTLISTED]
        if not candidates:
            raise DomainError(E.NO_CANDIDATES, "还没有拟入选人选，不能公示")
        locked.status = SelectionStatus.IN_NOTICE
        locked.notice_starts = today
        locked.notice_ends = nth_working_day(today, locked.notice_days)
        locked.save(update_fields=["status", "notice_starts", "notice_ends", "updated_at"])
        note = f"公示期 {locked.notice_starts:%Y-%m-%d} 至 {locked.notice_ends:%Y-%m-%d}"
        for nomination in candidates:
            _step(nomination, actor, StepAction.NOTICE, nomination.status, note)
    return locked


def notice_is_open(selection: Selection, today: date) -> bool:
    return (
        selection.status == SelectionStatus.IN_NOTICE
        and selection.notice_starts is not None
        and selection.notice_ends is not None
        and selection.notice_starts <= today <= selection.notice_ends
    )


def objection_file(*, nomination: Nomination, contact: str, reason: str, name: str = "", today: date | None = None) -> Objection:
    """Anyone objects to a candidate in notice: a name if they give one, a phone or e-mail to answer them, and why."""
    name, contact = (name or "").strip(), (contact or "").strip()
    reason = _text(reason, "异议的事实和理由", field="reason", minimum=10)
    if len(name) > 50:
        raise DomainError(E.OBJECTION_INVALID, "姓名最多 50 个字", field="name")
    if not contact:
        raise DomainError(E.OBJECTION_INVALID, "请留下联系电话或电子邮箱，以便核实答复", field="contact")
    if not CONTACT_RE.match(contact):
        try:
            validate_email(contact)
        except ValidationError as exc:
            raise DomainError(E.OBJECTION_INVALID, "请填写正确的手机号、固定电话或电子邮箱", field="contact") from exc
    today = today or timezone.localdate()
    with transaction.atomic():
        selection = Selection.objects.select_for_update().get(pk=nomination.selection_id)
        locked = Nomination.unscoped.select_for_update(of=("self",)).select_related("person").get(pk=nomination.pk)
        if not notice_is_open(selection, today) or locked.status != NominationStatus.SHORTLISTED:
            raise DomainError(E.NOTICE_CLOSED, "该人选不在公示期内，不能再提出异议")
        objection = Objection(nomination=locked, name=name, contact=contact, reason=reason)
        validate(objection, exclude=["nomination"])
        objection.save()
        _step(locked, None, StepAction.OBJECTION, locked.status, reason[:500])
    return objection


def objection_answer(*, actor: Actor, objection: Objection, answer: str, upheld: bool) -> Objection:
    """The city answers an objection: upheld, the candidate is withdrawn from the list; dismissed, they stay."""
    if not permissions.can_run_selection(actor):
        raise _deny("异议由市科协核实答复")
    answer = _text(answer, "核实与答复意见", field="answer")
    with transaction.atomic():
        _lock_selection(actor, objection.nomination.selection, SelectionStatus.IN_NOTICE)
        nomination = _lock_nomination(actor, objection.nomination)
        locked = Objection.unscoped.select_for_update().get(pk=objection.pk)
        if locked.is_answered:
            raise DomainError(E.OBJECTION_INVALID, "该异议已答复")
        locked.answer, locked.upheld, locked.answered_at, locked.answered_by = answer, upheld, timezone.now(), actor.user
        locked.save(update_fields=["answer", "upheld", "answered_at", "answered_by", "updated_at"])
        before = nomination.status
        if upheld and nomination.status == NominationStatus.SHORTLISTED:
            nomination.status = NominationStatus.WITHDRAWN
            nomination.save(update_fields=["status", "updated_at"])
        _step(nomination, actor, StepAction.OBJECTION_UPHELD if upheld else StepAction.OBJECTION_DISMISSED, before, answer)
    return locked


def selection_publish(*, actor: Actor, selection: Selection, today: date | None = None) -> Selection:
    """After the notice, with every objection answered, the remaining candidates are the year's list."""
    if not permissions.can_run_selection(actor):
        raise _deny("名单由市科协公布")
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _lock_selection(actor, selection, SelectionStatus.IN_NOTICE)
        assert locked.notice_ends is not None  # in notice: the constraint says the dates are set
        if today <= locked.notice_ends:
            raise DomainError(E.NOTICE_OPEN, f"公示期至 {locked.notice_ends:%Y年%m月%d日}，期满后才能公布名单")
        nominations = list(Nomination.unscoped.select_for_update().filter(selection=locked).order_by("pk"))
        pending = Objection.unscoped.filter(nomination__selection=locked, upheld__isnull=True).count()
        if pending:
            raise DomainError(E.OBJECTIONS_PENDING, f"还有 {pending} 条公示异议未答复，答复后才能公布名单")
        listed = [n for n in nominations if n.status == NominationStatus.SHORTLISTED]
        if not listed:
            raise DomainError(E.NO_CANDIDATES, "公示人选均已撤销，没有可公布的人选")
        for nomination in listed:
            nomination.status = NominationStatus.LISTED
            nomination.save(update_fields=["status", "updated_at"])
            _step(nomination, actor, StepAction.LIST, NominationStatus.SHORTLISTED)
        locked.status, locked.published_at = SelectionStatus.PUBLISHED, timezone.now()
        locked.save(update_fields=["status", "published_at", "updated_at"])
    return locked
