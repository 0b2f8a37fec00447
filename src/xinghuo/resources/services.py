"""Writes of the resource library: filing and revising, media, submission, assigning the first review, the two
reviews, publication, re-review, withdrawal, notices, pinning; the expert pool and the red-line lexicon.

Every step runs in one transaction that locks the resource row, checks the actor's role and — under the lock —
their scope or assignment and the resource's status, writes the change and appends a `ResourceStep`; the audit
trail records the same rows besides. A refused step changes nothing."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.accounts.models import Membership, User
from xinghuo.accounts.roles import Role
from xinghuo.activities.models import Topic
from xinghuo.core.errors import DomainError
from xinghuo.core.files import replace_file, written_files
from xinghuo.core.images import clean_image
from xinghuo.core.validation import validate
from xinghuo.organisations.models import Organisation
from xinghuo.resources import permissions, redline, richtext
from xinghuo.resources.errors import ResourceError as E
from xinghuo.resources.media import check_media
from xinghuo.resources.models import (
    EDITABLE_STATUSES,
    Field,
    Kind,
    Licence,
    Notice,
    NoticeKind,
    RedLineCategory,
    RedLineTerm,
    Resource,
    ResourceStatus,
    ResourceStep,
    Review,
    Reviewer,
    Stage,
    StepAction,
    Verdict,
)
from xinghuo.venues.models import Audience

NOT_FOUND = "您要找的记录不存在或无权查看。"
MIN_ARTICLE = 100  # characters of text an article needs
MAX_RE_REVIEW_YEARS = 3
EMERGENCY_PIN_DAYS = 7
#: What a contributor may set while the resource is a draft, returned or withdrawn.
RESOURCE_FIELDS = frozenset({"title", "kind", "field", "summary", "body", "external_url", "audiences", "topics", "author",
                             "licence", "is_emergency", "organisation"})  # fmt: skip


def _deny(message: str = "您的身份不能办理这一环节") -> DomainError:
    return DomainError(E.NOT_ALLOWED, message, status=403)


def _require(allowed: bool, message: str = "您的身份不能办理这一环节") -> None:
    if not allowed:
        raise _deny(message)


def _reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(E.REASON_REQUIRED, f"请填写{what}", field="reason")
    return reason


def _lock(resource: Resource, actor: Actor, *statuses: str, assigned: bool = False) -> Resource:
    """The resource's row, locked; within the actor's scope (or, for `assigned`, assigned to them), of a status."""
    locked = Resource.unscoped.select_for_update(of=("self",)).select_related("organisation", "region").get(pk=resource.pk)
    allowed = (
        locked.reviewer_id == actor.user.pk
        if assigned
        else actor.reaches(region_id=locked.region_id, organisation_id=locked.organisation_id)
    )
    if not allowed:
        raise DomainError(E.NOT_ALLOWED, NOT_FOUND, status=404)
    if statuses and locked.status not in statuses:
        raise DomainError(E.STATUS, f"资源当前为“{locked.get_status_display()}”，不能办理这一环节")
    return locked


def _step(resource: Resource, actor: Actor, action: str, before: str, *, reason: str = "", data: dict | None = None) -> ResourceStep:
    step = ResourceStep(
        resource=resource, action=action, from_status=before, to_status=resource.status, actor=actor.user,
        actor_label=actor.user.audit_label(), actor_role=actor.label, reason=reason.strip(), data=data or {},
    )  # fmt: skip
    step.save()
    return step


# --- filing -----------------------------------------------------------------------------------------------


def _apply(resource: Resource, fields: dict[str, Any]) -> None:
    unknown = set(fields) - RESOURCE_FIELDS
    if unknown:
        raise TypeError(sorted(unknown))
    for key, value in fields.items():
        if key in ("title", "summary", "external_url", "author"):
            value = (value or "").strip()
        if key == "body":
            resource.body = richtext.clean(value)
            resource.body_text = redline.plain(resource.body)
        elif key == "audiences":
            resource.audiences = list(dict.fromkeys(value or []))
        elif key == "topics":
            resource.topics = list(dict.fromkeys(value or []))
        else:
            setattr(resource, key, value)
    if "organisation" in fields:
        resource.region = resource.organisation.region


def _check(actor: Actor, resource: Resource) -> None:
    """What every draft must satisfy; each message sits beside its field."""
    if not resource.title:
        raise DomainError(E.INVALID, "请填写标题", field="title")
    if resource.kind not in Kind.values:
        raise DomainError(E.INVALID, "请选择资源类型", field="kind")
    if resource.field not in Field.values:
        raise DomainError(E.INVALID, "请选择学科领域：初审由该领域的专家办理", field="field")
    if not resource.summary:
        raise DomainError(E.INVALID, "请填写摘要", field="summary")
    if not resource.author:
        raise DomainError(E.INVALID, "请填写作者或主讲人", field="author")
    if resource.licence not in Licence.values:
        raise DomainError(E.INVALID, "请选择授权方式", field="licence")
    if not actor.reaches(region_id=resource.region_id, organisation_id=resource.organisation_id):
        raise DomainError(E.NOT_ALLOWED, "只能以您管理范围内的单位供稿", field="organisation", status=403)
    if not resource.audiences:
        raise DomainError(E.INVALID, "请选择面向人群", field="audiences")
    if unknown := [a for a in resource.audiences if a not in Audience.values]:
        raise DomainError(E.INVALID, f"面向人群“{'、'.join(unknown)}”无效", field="audiences")
    if not resource.topics:
        raise DomainError(E.INVALID, "请选择主题", field="topics")
    if unknown := [t for t in resource.topics if t not in Topic.values]:
        raise DomainError(E.INVALID, f"主题“{'、'.join(unknown)}”无效", field="topics")
    if resource.is_emergency and not resource.has_emergency_topic:
        raise DomainError(E.INVALID, "应急科普资源请至少选择一个应急主题（疫情防控、生命健康、生态保护、食品安全、能源安全、粮食安全）",
                          field="is_emergency")  # fmt: skip
    validate(resource, exclude=["media", "cover", "body", "body_text"])


def resource_create(
    *, actor: Actor, organisation: Organisation, title: str, kind: str, field: str, summary: str, author: str, **fields: Any
) -> Resource:
    """A draft; the other fields (RESOURCE_FIELDS) may be given now or later."""
    _require(permissions.can_contribute(actor), "只有供稿单位和县、市科协可以提交资源")
    resource = Resource()
    _apply(resource, {"organisation": organisation, "title": title, "kind": kind, "field": field, "summary": summary,
                      "author": author, **fields})  # fmt: skip
    _check(actor, resource)
    with transaction.atomic():
        resource.save()
        _step(resource, actor, StepAction.CREATE, "")
    return resource


def resource_update(*, actor: Actor, resource: Resource, **fields: Any) -> Resource:
    """Revise a draft, a returned or a withdrawn resource: what is given replaces what was there."""
    _require(permissions.can_contribute(actor), "只有供稿单位和县、市科协可以修改资源")
    with transaction.atomic():
        resource = _lock(resource, actor, *EDITABLE_STATUSES)
        _apply(resource, fields)
        _check(actor, resource)
        resource.save()
    return resource


def resource_set_media(
    *, actor: Actor, resource: Resource, media: UploadedFile | None = None, cover: UploadedFile | None = None
) -> Resource:
    """Attach (or replace) the media file and the cover of a resource being revised; both are checked first."""
    _require(permissions.can_contribute(actor), "只有供稿单位和县、市科协可以上传文件")
    image = clean_image(cover, max_side=1200, field="cover") if cover is not None else None
    with written_files() as written, transaction.atomic():
        resource = _lock(resource, actor, *EDITABLE_STATUSES)
        checked = check_media(media, resource.kind) if media is not None else None  # by the kind it has under the lock
        if checked is not None:
            replace_file(resource.media, f"{resource.uid.hex}.{checked.extension}", checked.upload, written)
            resource.media_type, resource.media_size = checked.mime, checked.size
        if image is not None:
            replace_file(resource.cover, f"{resource.uid.hex}.jpg", image.content, written)
        resource.save()
    return resource


def _complete(resource: Resource) -> None:
    """What a resource needs before review, by kind."""
    if resource.kind == Kind.ARTICLE and len(redline.plain(resource.body)) < MIN_ARTICLE:
        raise DomainError(E.INVALID, f"图文正文至少 {MIN_ARTICLE} 个字", field="body")
    if resource.kind in (Kind.VIDEO, Kind.AUDIO, Kind.COURSEWARE, Kind.BOOK) and not (resource.media or resource.external_url):
        raise DomainError(E.INVALID, f"{resource.get_kind_display()}请上传文件或填写外部链接", field="media")
    if resource.kind == Kind.EXHIBIT and len(redline.plain(resource.body)) < 20:
        raise DomainError(E.INVALID, "展品教具请在正文中介绍其内容和使用方法（至少 20 个字）", field="body")


def resource_submit(*, actor: Actor, resource: Resource, now: datetime | None = None) -> Resource:
    """To review: a complete resource goes to the queue of the staff who assign its first review."""
    _require(permissions.can_contribute(actor), "只有供稿单位和县、市科协可以提交资源")
    with transaction.atomic():
        resource = _lock(resource, actor, *EDITABLE_STATUSES)
        _check(actor, resource)
        _complete(resource)
        before = resource.status
        resource.status, resource.round, resource.submitted_at = ResourceStatus.SUBMITTED, resource.round + 1, now or timezone.now()
        resource.reviewer = None
        resource.save(update_fields=["status", "round", "submitted_at", "reviewer", "updated_at"])
        _step(resource, actor, StepAction.SUBMIT, before, data={"round": resource.round, "emergency": resource.is_emergency})
    return resource


# --- the reviews ------------------------------------------------------------------------------------------


def reviewer_candidates(resource: Resource) -> list[Reviewer]:
    """Experts of the pool who may do this resource's first review: active, of its field, and not of the
    organisation that contributed it (no one reviews their own unit's work)."""
    own = Membership.objects.filter(organisation_id=resource.organisation_id).values("user_id")
    return list(
        Reviewer.objects.filter(is_active=True, field_codes__contains=f",{resource.field},", user__is_active=True)
        .exclude(user_id__in=own)
        .select_related("user")
        .order_by("user__name")
    )


def resource_assign(*, actor: Actor, resource: Resource, reviewer: User) -> Resource:
    """Staff of the resource's county (or the city) give its first review to an expert of its field; may be given
    to another expert while the review is not done."""
    _require(permissions.can_assign(actor), "初审专家由县、市科协分配")
    with transaction.atomic():
        resource = _lock(resource, actor, ResourceStatus.SUBMITTED, ResourceStatus.FIRST_REVIEW)
        if reviewer.pk not in {r.user_id for r in reviewer_candidates(resource)}:
            raise DomainError(E.REVIEWER, f"请选择{resource.get_field_display()}领域、在库且不属于供稿单位的专家", field="reviewer")
        if not Membership.objects.filter(user=reviewer, role=Role.REVIEWER, is_active=True).exists():
            raise DomainError(E.REVIEWER, "该用户没有评审专家身份", field="reviewer")
        before, previous = resource.status, resource.reviewer_id
        resource.status, resource.reviewer = ResourceStatus.FIRST_REVIEW, reviewer
        resource.save(update_fields=["status", "reviewer", "updated_at"])
        _step(resource, actor, StepAction.ASSIGN, before, data={"reviewer": reviewer.audit_label(), "reassigned": previous is not None})
    return resource


def _review_record(resource: Resource, actor: Actor, stage: str, verdict: str, *, evidence: str = "", reason: str = "",
                   re_review_on: date | None = None) -> Review:  # fmt: skip
    profile = Reviewer.objects.filter(user=actor.user).first()
    review = Review(
        resource=resource, round=resource.round, stage=stage, verdict=verdict, reviewer=actor.user,
        reviewer_label=actor.user.name or actor.user.username,
        reviewer_title=profile.title if profile else (actor.organisation.name if actor.organisation else ""),
        reviewer_field=str(resource.get_field_display()) if profile else "",
        evidence=evidence, reason=reason, re_review_on=re_review_on,
        flags=[f.as_dict() for f in redline.flags(title=resource.title, summary=resource.summary, body=resource.body)],
    )  # fmt: skip
    review.save()
    return review


def _re_review_date(value: date | None, today: date) -> date:
    if value is None:
        raise DomainError(E.INVALID, "请填写复审日期：到期后资源回到您的审核队列", field="re_review_on")
    if value <= today:
        raise DomainError(E.INVALID, "复审日期应晚于今天", field="re_review_on")
    if value > today + timedelta(days=366 * MAX_RE_REVIEW_YEARS):
        raise DomainError(E.INVALID, f"复审日期不能晚于 {MAX_RE_REVIEW_YEARS} 年后", field="re_review_on")
    return value


def resource_first_review(
    *, actor: Actor, resource: Resource, approve: bool, evidence: str = "", reason: str = "", re_review_on: date | None = None,
    now: datetime | None = None,
) -> Resource:  # fmt: skip
    """The assigned expert's scientific-accuracy review (科学性审核). Passing records the evidence or citations and a
    re-review date and sends the resource to the red-line check; returning needs reasons.

    A published resource whose re-review date has come is reviewed again the same way: passing sets the next
    date; failing withdraws it, the expert's reasons becoming the notice on its page."""
    _require(permissions.is_reviewer(actor), "初审由分配的评审专家办理")
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        resource = _lock(resource, actor, ResourceStatus.FIRST_REVIEW, ResourceStatus.PUBLISHED, assigned=True)
        before = resource.status
        if resource.status == ResourceStatus.PUBLISHED:
            if resource.review_due is None or resource.review_due > today:
                raise DomainError(E.STATUS, f"该资源的复审日期是 {resource.review_due}，到期后再复审")
            if approve:
                evidence = (evidence or "").strip()
                due = _re_review_date(re_review_on, today)
                _review_record(resource, actor, Stage.RE_REVIEW, Verdict.PASS, evidence=evidence, reason=reason.strip(), re_review_on=due)
                resource.review_due = due
                resource.save(update_fields=["review_due", "updated_at"])
                _step(resource, actor, StepAction.RE_REVIEW_PASS, before, data={"re_review_on": due.isoformat()})
            else:
                reason = _reason(reason, "复审意见（将作为撤回说明显示在资源页面）")
                _review_record(resource, actor, Stage.RE_REVIEW, Verdict.RETURN, reason=reason)
                _withdraw(resource, actor, f"定期复审未通过：{reason}", now)
            return resource
        if approve:
            evidence = (evidence or "").strip()
            if not evidence:
                raise DomainError(E.INVALID, "请填写审核依据或引文（文献、标准、权威机构发布的资料）", field="evidence")
            due = _re_review_date(re_review_on, today)
            _review_record(resource, actor, Stage.FIRST, Verdict.PASS, evidence=evidence, reason=(reason or "").strip(), re_review_on=due)
            resource.status = ResourceStatus.SECOND_REVIEW
            resource.save(update_fields=["status", "updated_at"])
            _step(resource, actor, StepAction.FIRST_PASS, before, data={"re_review_on": due.isoformat()})
        else:
            reason = _reason(reason, "退回理由")
            _review_record(resource, actor, Stage.FIRST, Verdict.RETURN, evidence=(evidence or "").strip(), reason=reason)
            resource.status = ResourceStatus.RETURNED
            resource.save(update_fields=["status", "updated_at"])
            _step(resource, actor, StepAction.FIRST_RETURN, before, reason=reason)
    return resource


def resource_second_review(*, actor: Actor, resource: Resource, approve: bool, reason: str = "", now: datetime | None = None) -> Resource:
    """The city's red-line check (底线、红线): passing publishes the resource (an emergency one pinned on the portal
    for a week); returning needs reasons. The lexicon's flags are shown to the reviewer; they do not decide."""
    _require(permissions.is_city(actor), "复核由市科协办理")
    now = now or timezone.now()
    with transaction.atomic():
        resource = _lock(resource, actor, ResourceStatus.SECOND_REVIEW)
        before = resource.status
        if approve:
            first = (
                Review.unscoped.filter(resource=resource, round=resource.round, stage=Stage.FIRST, verdict=Verdict.PASS)
                .order_by("-created_at", "-id")
                .first()
            )
            if first is None:  # the status says a first review passed; the record must say so too
                raise DomainError(E.STATUS, "找不到本轮初审通过的记录，不能发布")
            _review_record(resource, actor, Stage.SECOND, Verdict.PASS, reason=(reason or "").strip())
            resource.status, resource.published_at, resource.review_due = ResourceStatus.PUBLISHED, now, first.re_review_on
            resource.withdrawn_at = None
            if resource.is_emergency:
                resource.pinned_until = now + timedelta(days=EMERGENCY_PIN_DAYS)
            resource.save(update_fields=["status", "published_at", "review_due", "withdrawn_at", "pinned_until", "updated_at"])
            _step(resource, actor, StepAction.SECOND_PASS, before)
        else:
            reason = _reason(reason, "退回理由")
            _review_record(resource, actor, Stage.SECOND, Verdict.RETURN, reason=reason)
            resource.status = ResourceStatus.RETURNED
            resource.save(update_fields=["status", "updated_at"])
            _step(resource, actor, StepAction.SECOND_RETURN, before, reason=reason)
    return resource


# --- after publication ------------------------------------------------------------------------------------


def _withdraw(resource: Resource, actor: Actor, reason: str, now: datetime) -> None:
    before = resource.status
    resource.status, resource.withdrawn_at, resource.pinned_until = ResourceStatus.WITHDRAWN, now, None
    resource.save(update_fields=["status", "withdrawn_at", "pinned_until", "updated_at"])
    Notice(resource=resource, kind=NoticeKind.WITHDRAWAL, text=reason, actor_label=actor.user.audit_label()).save()
    _step(resource, actor, StepAction.WITHDRAW, before, reason=reason)


def resource_withdraw(*, actor: Actor, resource: Resource, reason: str, now: datetime | None = None) -> Resource:
    """Take a published resource down (wrong, outdated, a complaint upheld): its page then shows only why."""
    _require(permissions.is_city(actor), "撤回由市科协办理")
    reason = _reason(reason, "撤回理由（将显示在资源页面）")
    with transaction.atomic():
        resource = _lock(resource, actor, ResourceStatus.PUBLISHED)
        _withdraw(resource, actor, reason, now or timezone.now())
    return resource


def resource_notice(*, actor: Actor, resource: Resource, kind: str, text: str) -> Notice:
    """A correction (更正) or a rebuttal (辟谣) shown at the top of a published resource's page."""
    _require(permissions.is_city(actor), "更正和辟谣说明由市科协发布")
    if kind not in (NoticeKind.CORRECTION, NoticeKind.REBUTTAL):
        raise DomainError(E.INVALID, "请选择更正或辟谣", field="kind")
    text = _reason(text, "说明内容")
    with transaction.atomic():
        resource = _lock(resource, actor, ResourceStatus.PUBLISHED)
        notice = Notice(resource=resource, kind=kind, text=text, actor_label=actor.user.audit_label())
        notice.save()
        _step(resource, actor, StepAction.NOTICE, resource.status, reason=text, data={"kind": kind})
    return notice


def resource_pin(*, actor: Actor, resource: Resource, until: datetime | None, now: datetime | None = None) -> Resource:
    """Pin a published resource on the portal until a time (an emergency release), or unpin it (None)."""
    _require(permissions.is_city(actor), "置顶由市科协办理")
    now = now or timezone.now()
    if until is not None and until <= now:
        raise DomainError(E.INVALID, "置顶截止时间应晚于现在", field="until")
    with transaction.atomic():
        resource = _lock(resource, actor, ResourceStatus.PUBLISHED)
        resource.pinned_until = until
        resource.save(update_fields=["pinned_until", "updated_at"])
        _step(resource, actor, StepAction.PIN, resource.status, data={"until": until.isoformat() if until else None})
    return resource


# --- the expert pool and the lexicon ----------------------------------------------------------------------


def reviewer_set(*, actor: Actor, user: User, fields: list[str], title: str, is_active: bool = True) -> Reviewer:
    """Put an expert in the review pool (or change their fields, or take them out): a user with the reviewer role."""
    _require(permissions.is_city(actor), "审核专家库由市科协维护")
    if not Membership.objects.filter(user=user, role=Role.REVIEWER, is_active=True).exists():
        raise DomainError(E.REVIEWER, "请先为该用户开通“评审专家”身份", field="user")
    fields = list(dict.fromkeys(fields or []))
    if not fields:
        raise DomainError(E.INVALID, "请选择至少一个审核领域", field="fields")
    if unknown := [f for f in fields if f not in Field.values]:
        raise DomainError(E.INVALID, f"审核领域“{'、'.join(unknown)}”无效", field="fields")
    title = (title or "").strip()
    if not title:
        raise DomainError(E.INVALID, "请填写专家的职称与单位", field="title")
    with transaction.atomic():
        reviewer = Reviewer.objects.select_for_update().filter(user=user).first() or Reviewer(user=user)
        reviewer.fields, reviewer.title, reviewer.is_active = fields, title, is_active
        reviewer.save()
    return reviewer


def red_line_term_set(*, actor: Actor, term: str, category: str, note: str = "", is_active: bool = True) -> RedLineTerm:
    """Add a term to the red-line lexicon, or change (or retire) one."""
    _require(permissions.is_city(actor), "红线词库由市科协维护")
    term = (term or "").strip()
    if not 2 <= len(term) <= 40:
        raise DomainError(E.INVALID, "词语应为 2–40 个字", field="term")
    if category not in RedLineCategory.values:
        raise DomainError(E.INVALID, "请选择类别", field="category")
    with transaction.atomic():
        row = RedLineTerm.objects.select_for_update().filter(term=term).first() or RedLineTerm(term=term)
        row.category, row.note, row.is_active = category, (note or "").strip(), is_active
        row.save()
    return row
