"""Writes of certification: standards, applications through each step, objections, yearly re-checks.

Every step runs in one transaction that locks the application row, checks the actor's role and scope and the
application's status, writes the change, and appends a `Step` (who, when, why) — the audit trail records the
same rows besides. A step that is refused changes nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.accounts.roles import Role
from xinghuo.certification import permissions
from xinghuo.certification.errors import CertificationError as E
from xinghuo.certification.models import (
    EDITABLE_STATUSES,
    OPEN_STATUSES,
    AnnualReview,
    Application,
    ApplicationKind,
    ApplicationStatus,
    Evidence,
    Indicator,
    Objection,
    ObjectionChannel,
    ReviewOutcome,
    ReviewStatus,
    Score,
    Standard,
    Step,
    StepAction,
)
from xinghuo.core.errors import DomainError
from xinghuo.core.files import sniffed_upload, written_files
from xinghuo.core.images import clean_image
from xinghuo.core.phones import CONTACT_RE
from xinghuo.core.validation import validate
from xinghuo.venues.models import Venue, VenueStatus
from xinghuo.venues.services import venue_list_publicly, venue_set_certification_status

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
MAX_EVIDENCE_FILES = 60
#: What an evidence file may be, judged by its content: PDF, pictures, Word, Excel.
EVIDENCE_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG 图片",
    "image/png": "PNG 图片",
    "image/webp": "WebP 图片",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word 文档",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel 表格",
}
INITIAL_VENUE_STATUSES = (VenueStatus.DRAFT, VenueStatus.REGISTERED, VenueStatus.REVOKED)
REASSESS_VENUE_STATUSES = (VenueStatus.CERTIFIED, VenueStatus.WARNED)


def _deny(message: str = "您的身份不能办理这一环节") -> DomainError:
    return DomainError(E.NOT_ALLOWED, message, status=403)


def _require(allowed: bool, message: str = "您的身份不能办理这一环节") -> None:
    if not allowed:
        raise _deny(message)


def _in_scope(actor: Actor, venue: Venue) -> bool:
    return actor.reaches(region_id=venue.region_id, organisation_id=venue.operator_id)


def _lock(application: Application, actor: Actor, *statuses: str) -> Application:
    locked = Application.unscoped.select_for_update(of=("self",)).select_related("venue", "standard").get(pk=application.pk)
    if not _in_scope(actor, locked.venue):
        raise DomainError(E.NOT_ALLOWED, "您要找的记录不存在或无权查看。", status=404)
    if statuses and locked.status not in statuses:
        raise DomainError(E.STATUS, f"申请当前为“{locked.get_status_display()}”，不能办理这一环节")
    return locked


def _step(application: Application, actor: Actor | None, action: str, before: str, *, reason: str = "", data: dict | None = None) -> Step:
    user = actor.user if actor else None
    step = Step(
        application=application, action=action, from_status=before, to_status=application.status, actor=user,
        actor_label=user.audit_label() if user else "公众", actor_role=actor.label if actor else "",
        reason=reason.strip(), data=data or {},
    )  # fmt: skip
    step.save()
    return step


def _reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(E.REASON_REQUIRED, f"请填写{what}", field="reason")
    return reason


def _decimal(value: Any, indicator: Indicator) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(E.SCORE_INVALID, f"“{indicator.name}”的得分应为数字", field=f"score_{indicator.pk}") from exc
    if not Decimal(0) <= number <= indicator.weight:
        raise DomainError(E.SCORE_INVALID, f"“{indicator.name}”的得分应在 0 到 {indicator.weight} 之间", field=f"score_{indicator.pk}")
    return number


# --- standards --------------------------------------------------------------------------------------------


def active_standard(venue_type: str, *, lock: bool = False) -> Standard:
    qs = Standard.objects.select_for_update() if lock else Standard.objects
    standard = qs.filter(venue_type=venue_type, is_active=True).first()
    if standard is None:
        raise DomainError(E.NO_STANDARD, "该类型场馆尚无现行建设标准，请先由市科协启用一个版本")
    return standard


def _check_indicator_rows(standard: Standard, rows: list[dict[str, Any]]) -> None:
    if not rows:
        raise DomainError(E.STANDARD_INVALID, "建设标准至少要有一项指标")
    for row in rows:
        if not str(row.get("name", "")).strip():
            raise DomainError(E.STANDARD_INVALID, "每项指标都要有名称")
        if not isinstance(row.get("weight"), int) or row["weight"] < 1:
            raise DomainError(E.STANDARD_INVALID, f"指标“{row['name']}”的分值应为正整数")
    total = sum(r["weight"] for r in rows)
    if total != standard.full_score:
        raise DomainError(E.STANDARD_INVALID, f"各项指标分值合计为 {total} 分，应等于满分 {standard.full_score} 分")


def standard_update(*, actor: Actor, standard: Standard, indicators: list[dict[str, Any]], **fields: Any) -> Standard:
    """Edit a standard and its indicators as a whole. A standard that applications have used is history:
    it cannot change — make a new version instead."""
    _require(permissions.can_edit_standards(actor), "只有市科协可以修改建设标准")
    allowed = {"name", "pass_score", "good_score", "excellent_score", "notice_days", "reassess_years", "note"}
    if set(fields) - allowed:
        raise TypeError(set(fields) - allowed)
    with transaction.atomic():
        standard = Standard.objects.select_for_update().get(pk=standard.pk)
        if Application.unscoped.filter(standard=standard).exists():
            raise DomainError(E.STANDARD_IN_USE, "该版本已用于认定申请，不能再修改；请“新建版本”后修改并启用")
        for key, value in fields.items():
            setattr(standard, key, value)
        if not (0 < standard.pass_score <= standard.good_score <= standard.excellent_score <= standard.full_score):
            raise DomainError(E.STANDARD_INVALID, "分数线应满足：0 < 合格线 ≤ 优良线 ≤ 优秀线 ≤ 满分", field="pass_score")
        if not 1 <= standard.notice_days <= 30:
            raise DomainError(E.STANDARD_INVALID, "公示天数应在 1 到 30 之间", field="notice_days")
        validate(standard)
        _check_indicator_rows(standard, indicators)
        standard.save()
        standard.indicators.all().delete()
        for order, row in enumerate(indicators, start=1):
            Indicator(
                standard=standard, order=order, category=str(row.get("category", "")).strip() or "综合",
                name=str(row["name"]).strip(), description=str(row.get("description", "")).strip(),
                weight=row["weight"], evidence=str(row.get("evidence", "")).strip(), is_key=bool(row.get("is_key")),
            ).save()  # fmt: skip
    return standard


def standard_new_version(*, actor: Actor, standard: Standard, version: str) -> Standard:
    """A copy of a standard under a new version name, not yet in force, to edit and then activate."""
    _require(permissions.can_edit_standards(actor), "只有市科协可以修改建设标准")
    version = (version or "").strip()
    if not version:
        raise DomainError(E.STANDARD_INVALID, "请填写新版本号", field="version")
    with transaction.atomic():
        if Standard.objects.filter(venue_type=standard.venue_type, version=version).exists():
            raise DomainError(E.STANDARD_INVALID, f"版本“{version}”已存在", field="version")
        copy = Standard(
            venue_type=standard.venue_type, version=version, name=standard.name, full_score=standard.full_score,
            pass_score=standard.pass_score, good_score=standard.good_score, excellent_score=standard.excellent_score,
            notice_days=standard.notice_days, reassess_years=standard.reassess_years, note=standard.note, is_active=False,
        )  # fmt: skip
        validate(copy)
        copy.save()
        for ind in standard.indicators.all():
            Indicator(
                standard=copy, order=ind.order, category=ind.category, name=ind.name, description=ind.description,
                weight=ind.weight, evidence=ind.evidence, is_key=ind.is_key,
            ).save()  # fmt: skip
    return copy


def standard_activate(*, actor: Actor, standard: Standard) -> Standard:
    """Put a version in force for its type; applications already filed keep the version they were filed under."""
    _require(permissions.can_edit_standards(actor), "只有市科协可以修改建设标准")
    with transaction.atomic():
        current = list(Standard.objects.select_for_update().filter(venue_type=standard.venue_type).order_by("pk"))
        standard = next(s for s in current if s.pk == standard.pk)
        _check_indicator_rows(standard, list(standard.indicators.values("name", "weight")))
        for other in current:
            if other.is_active and other.pk != standard.pk:
                other.is_active = False
                other.save(update_fields=["is_active", "updated_at"])
        standard.is_active = True
        standard.save(update_fields=["is_active", "updated_at"])
    return standard


# --- applications -----------------------------------------------------------------------------------------


def application_create(*, actor: Actor, venue: Venue, kind: str = ApplicationKind.INITIAL, statement: str = "") -> Application:
    """Open an application for a venue under the standard now in force for its type."""
    _require(permissions.can_file(actor), "只有场馆运营单位和县、市科协可以提出认定申请")
    if kind not in ApplicationKind.values:
        raise ValueError(kind)
    with transaction.atomic():
        venue = Venue.unscoped.select_for_update().get(pk=venue.pk)
        if not _in_scope(actor, venue):
            raise DomainError(E.NOT_ALLOWED, "您要找的记录不存在或无权查看。", status=404)
        allowed = INITIAL_VENUE_STATUSES if kind == ApplicationKind.INITIAL else REASSESS_VENUE_STATUSES
        if venue.status not in allowed:
            what = "认定申请" if kind == ApplicationKind.INITIAL else "五年复评"
            raise DomainError(E.VENUE_STATUS, f"场馆当前为“{venue.get_status_display()}”，不能提出{what}")
        if Application.unscoped.filter(venue=venue, status__in=OPEN_STATUSES).exists():
            raise DomainError(E.ALREADY_OPEN, "该场馆已有办理中的认定申请")
        standard = active_standard(venue.venue_type, lock=True)  # not edited while the scores are laid out
        application = Application(venue=venue, standard=standard, kind=kind, statement=(statement or "").strip())
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError as exc:
            raise DomainError(E.ALREADY_OPEN, "该场馆已有办理中的认定申请") from exc
        for indicator in standard.indicators.all():
            Score(application=application, indicator=indicator).save()
        _step(application, actor, StepAction.CREATE, "")
    return application


def application_save_self_assessment(
    *, actor: Actor, application: Application, scores: Mapping[int, tuple[Any, str]], statement: str | None = None
) -> Application:
    """The operator's self-assessment: {indicator id: (score, note)}; a blank score stays blank."""
    _require(permissions.can_file(actor))
    with transaction.atomic():
        application = _lock(application, actor, *EDITABLE_STATUSES)
        rows = {s.indicator_id: s for s in Score.unscoped.select_related("indicator").filter(application=application)}
        for indicator_id, (raw, note) in scores.items():
            score = rows.get(int(indicator_id))
            if score is None:
                raise DomainError(E.SCORE_INVALID, "指标不属于该申请的建设标准")
            value = None if raw in (None, "") else _decimal(raw, score.indicator)
            if value != score.self_score or (note or "").strip() != score.self_note:
                score.self_score, score.self_note = value, (note or "").strip()
                score.save(update_fields=["self_score", "self_note", "updated_at"])
        if statement is not None and statement.strip() != application.statement:
            application.statement = statement.strip()
        totals = [s.self_score for s in rows.values() if s.self_score is not None]
        application.self_total = sum(totals, Decimal(0)) if totals else None
        application.save(update_fields=["statement", "self_total", "updated_at"])
    return application


def _check_upload(upload: UploadedFile) -> tuple[str, bytes]:
    return sniffed_upload(upload, max_bytes=MAX_EVIDENCE_BYTES, types=EVIDENCE_TYPES, code=E.EVIDENCE_INVALID,
                          not_allowed="的内容不是 PDF、图片（JPEG/PNG/WebP）、Word 或 Excel 文件")  # fmt: skip


def _save_evidence(*, venue: Venue, content: bytes, mime: str, name: str, written: list[FieldFile],
                   application: Application | None = None, review: AnnualReview | None = None,
                   indicator: Indicator | None = None) -> Evidence:  # fmt: skip
    """Store checked content as an evidence file (private storage) and its row."""
    owner = Evidence.unscoped.filter(application=application) if application else Evidence.unscoped.filter(review=review)
    if owner.count() >= MAX_EVIDENCE_FILES:
        raise DomainError(E.EVIDENCE_INVALID, f"每份材料最多 {MAX_EVIDENCE_FILES} 个文件", field="file")
    evidence = Evidence(
        venue=venue, application=application, review=review, indicator=indicator, name=(name or "材料").rsplit("/", 1)[-1][:150],
        content_type=mime, size=len(content), sha256=hashlib.sha256(content).hexdigest(),
    )  # fmt: skip
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}.get(mime, "bin")
    if "wordprocessingml" in mime:
        extension = "docx"
    elif "spreadsheetml" in mime:
        extension = "xlsx"
    evidence.file.save(f"{evidence.uid.hex}.{extension}", ContentFile(content), save=False)
    written.append(evidence.file)
    evidence.save()
    return evidence


def evidence_add(*, actor: Actor, application: Application, upload: UploadedFile, indicator: Indicator | None = None) -> Evidence:
    _require(permissions.can_file(actor))
    mime, content = _check_upload(upload)
    with written_files() as written, transaction.atomic():
        application = _lock(application, actor, *EDITABLE_STATUSES)
        if indicator is not None and indicator.standard_id != application.standard_id:
            raise DomainError(E.EVIDENCE_INVALID, "指标不属于该申请的建设标准", field="indicator")
        return _save_evidence(venue=application.venue, content=content, mime=mime, name=upload.name or "", written=written,
                              application=application, indicator=indicator)  # fmt: skip


def evidence_remove(*, actor: Actor, evidence: Evidence) -> None:
    _require(permissions.can_file(actor))
    with transaction.atomic():
        if evidence.application_id is None:
            raise DomainError(E.EVIDENCE_INVALID, "只能删除申请中的材料")
        application = _lock(evidence.application, actor, *EDITABLE_STATUSES)
        if application.submitted_at and evidence.created_at <= application.submitted_at:
            raise DomainError(E.EVIDENCE_INVALID, "已提交审核过的材料作为办理记录保留，不能删除；可补充上传新材料")
        file = evidence.file
        Evidence.unscoped.get(pk=evidence.pk).delete()
        transaction.on_commit(lambda: file.delete(save=False))


def application_submit(*, actor: Actor, application: Application) -> Application:
    """Send the application to the county: every indicator self-assessed, at least one evidence file."""
    _require(permissions.can_file(actor))
    with transaction.atomic():
        application = _lock(application, actor, *EDITABLE_STATUSES)
        missing = [s.indicator.name for s in Score.unscoped.select_related("indicator").filter(application=application, self_score=None)]
        if missing:
            raise DomainError(E.INCOMPLETE, f"还有 {len(missing)} 项指标未自评：{'、'.join(missing[:5])}{'……' if len(missing) > 5 else ''}")
        if not Evidence.unscoped.filter(application=application).exists():
            raise DomainError(E.INCOMPLETE, "请至少上传一份证明材料")
        before = application.status
        application.status = ApplicationStatus.SUBMITTED
        application.round += 1
        application.submitted_at = timezone.now()
        application.save(update_fields=["status", "round", "submitted_at", "updated_at"])
        self_scores = {str(i): str(v) for i, v in Score.unscoped.filter(application=application).values_list("indicator_id", "self_score")}
        _step(application, actor, StepAction.SUBMIT, before,
              data={"round": application.round, "self_total": str(application.self_total), "self_scores": self_scores})  # fmt: skip
    return application


def application_withdraw(*, actor: Actor, application: Application, reason: str = "") -> Application:
    """The filer withdraws. Withdrawing a five-year re-assessment gives the certification up (摘牌): the
    re-assessment is what keeps it. Staff withdrawing an operator's application say why."""
    _require(permissions.can_file(actor))
    with transaction.atomic():
        application = _lock(application, actor, ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED)
        if actor.role != Role.ORGANISER:
            reason = _reason(reason, "撤回理由")
        before = application.status
        application.status = ApplicationStatus.WITHDRAWN
        application.decided_at = timezone.now()
        application.save(update_fields=["status", "decided_at", "updated_at"])
        _step(application, actor, StepAction.WITHDRAW, before, reason=reason)
        _after_rejection(application)
    return application


def application_county_review(*, actor: Actor, application: Application, approve: bool, reason: str = "") -> Application:
    """First-level review (县级审核): pass to the city, or return to the operator with what to mend."""
    _require(permissions.can_review_as_county(actor), "县级审核由所在县市区（功能区）科协办理")
    with transaction.atomic():
        application = _lock(application, actor, ApplicationStatus.SUBMITTED)
        before = application.status
        if approve:
            application.status = ApplicationStatus.COUNTY_APPROVED
            action = StepAction.COUNTY_APPROVE
            reason = (reason or "").strip()
        else:
            reason = _reason(reason, "退回理由")
            application.status = ApplicationStatus.RETURNED
            action = StepAction.COUNTY_RETURN
        application.save(update_fields=["status", "updated_at"])
        _step(application, actor, action, before, reason=reason)
    return application


def application_city_review(
    *, actor: Actor, application: Application, scores: Mapping[int, tuple[Any, str]], decision: str, reason: str = "",
    today: date | None = None,
) -> Application:  # fmt: skip
    """The city's review: a score for every indicator, then pass to public notice, return, or reject.

    Passing needs the pass line and every key indicator (必备项) at 60% of its weight or more."""
    _require(permissions.can_review_as_city(actor), "市级评审由市科协办理")
    if decision not in ("notice", "return", "reject"):
        raise DomainError(E.STATUS, "请选择评审结论")
    with transaction.atomic():
        application = _lock(application, actor, ApplicationStatus.COUNTY_APPROVED)
        rows = list(Score.unscoped.select_related("indicator").filter(application=application))
        given: dict[int, tuple[Decimal, str]] = {}
        for score in rows:
            raw, note = scores.get(score.indicator_id, (None, ""))
            if raw in (None, "") and decision != "return":
                raise DomainError(E.INCOMPLETE, f"请为“{score.indicator.name}”评分", field=f"score_{score.indicator_id}")
            if raw not in (None, ""):
                given[score.indicator_id] = (_decimal(raw, score.indicator), (note or "").strip())
        for score in rows:
            if score.indicator_id in given:
                score.review_score, score.review_note = given[score.indicator_id]
                score.save(update_fields=["review_score", "review_note", "updated_at"])
        before = application.status
        if decision == "return":
            application.status = ApplicationStatus.RETURNED
            application.save(update_fields=["status", "updated_at"])
            _step(application, actor, StepAction.CITY_RETURN, before, reason=_reason(reason, "退回理由"),
                  data={"scores": {str(k): str(v) for k, (v, _) in given.items()}})  # fmt: skip
            return application
        total = sum((v for v, _ in given.values()), Decimal(0))
        short = [s.indicator.name for s in rows if s.indicator.is_key and given[s.indicator_id][0] < s.indicator.key_minimum]
        grade = application.standard.grade_for(total, keys_met=not short)
        application.review_total, application.grade = total, grade
        data = {"total": str(total), "grade": grade, "scores": {str(k): str(v) for k, (v, _) in given.items()}}
        if decision == "notice":
            if short:
                raise DomainError(E.SCORE_INVALID, f"必备项未达标（低于分值的 60%）：{'、'.join(short)}，不能进入公示")
            if total < application.standard.pass_score:
                raise DomainError(E.SCORE_INVALID, f"评审总分 {total} 分，低于合格线 {application.standard.pass_score} 分，不能进入公示")
            today = today or timezone.localdate()
            application.status = ApplicationStatus.IN_NOTICE
            application.notice_starts = today
            application.notice_ends = today + timedelta(days=application.standard.notice_days - 1)
            application.save(update_fields=["status", "review_total", "grade", "notice_starts", "notice_ends", "updated_at"])
            _step(application, actor, StepAction.CITY_SCORE, before, reason=(reason or "").strip(), data=data)
            _step(application, actor, StepAction.NOTICE, before, data={"notice_ends": application.notice_ends.isoformat()})
        else:
            application.status = ApplicationStatus.REJECTED
            application.decided_at = timezone.now()
            application.decision_reason = _reason(reason, "不予认定的理由")
            application.save(update_fields=["status", "review_total", "grade", "decided_at", "decision_reason", "updated_at"])
            _step(application, actor, StepAction.REJECT, before, reason=application.decision_reason, data=data)
            _after_rejection(application)
    return application


def _after_rejection(application: Application) -> None:
    """A failed five-year re-assessment takes the plaque down (摘牌)."""
    if application.kind == ApplicationKind.REASSESSMENT and application.venue.status in REASSESS_VENUE_STATUSES:
        venue_set_certification_status(venue=application.venue, status=VenueStatus.REVOKED)


def objection_file(
    *, application: Application, content: str, contact_name: str, contact_phone: str, channel: str = ObjectionChannel.ONLINE,
    actor: Actor | None = None, today: date | None = None,
) -> Objection:  # fmt: skip
    """An objection during public notice, online by a signed-in person or recorded by staff from a call or letter."""
    content, contact_name, contact_phone = (content or "").strip(), (contact_name or "").strip(), (contact_phone or "").strip()
    if len(content) < 10:
        raise DomainError(E.OBJECTION_INVALID, "请具体写明异议的事实和理由（至少 10 个字）", field="content")
    if not contact_name:
        raise DomainError(E.OBJECTION_INVALID, "请填写联系人", field="contact_name")
    if not CONTACT_RE.match(contact_phone):
        raise DomainError(E.OBJECTION_INVALID, "请填写正确的手机号或固定电话，以便答复", field="contact_phone")
    if channel not in ObjectionChannel.values:
        raise DomainError(E.OBJECTION_INVALID, "异议渠道不正确", field="channel")
    if channel != ObjectionChannel.ONLINE:
        _require(actor is not None and permissions.can_review_as_city(actor), "电话、来信、来访的异议由市科协登记")
    with transaction.atomic():
        application = Application.unscoped.select_for_update(of=("self",)).select_related("venue").get(pk=application.pk)
        today = today or timezone.localdate()
        if application.status != ApplicationStatus.IN_NOTICE or not (application.notice_starts <= today <= application.notice_ends):
            raise DomainError(E.NOTICE_CLOSED, "该申请不在公示期内，不能再提出异议")
        if (
            actor is not None
            and channel == ObjectionChannel.ONLINE
            and Objection.unscoped.filter(application=application, submitted_by=actor.user, upheld__isnull=True).exists()
        ):
            raise DomainError(E.OBJECTION_INVALID, "您对该公示提出的异议尚在核实中，答复前请勿重复提交")
        objection = Objection(
            application=application, channel=channel, content=content, contact_name=contact_name, contact_phone=contact_phone,
            submitted_by=actor.user if actor else None,
        )  # fmt: skip
        validate(objection, exclude=["application"])
        objection.save()
        _step(application, actor, StepAction.OBJECTION, application.status, reason=content[:500], data={"objection": str(objection.uid)})
    return objection


def objection_answer(*, actor: Actor, objection: Objection, answer: str, upheld: bool) -> Objection:
    """The city's answer; an upheld objection stops the certification."""
    _require(permissions.can_review_as_city(actor), "异议由市科协核实答复")
    answer = _reason(answer, "答复意见")
    with transaction.atomic():
        application = _lock(objection.application, actor, ApplicationStatus.IN_NOTICE)
        objection = Objection.unscoped.select_for_update().get(pk=objection.pk)
        if objection.is_answered:
            raise DomainError(E.OBJECTION_INVALID, "该异议已答复")
        objection.answer, objection.upheld = answer, upheld
        objection.answered_at, objection.answered_by = timezone.now(), actor.user
        objection.save(update_fields=["answer", "upheld", "answered_at", "answered_by", "updated_at"])
        _step(application, actor, StepAction.OBJECTION_ANSWER, application.status, reason=answer,
              data={"objection": str(objection.uid), "upheld": upheld})  # fmt: skip
    return objection


def application_decide(
    *, actor: Actor, application: Application, certify: bool, reason: str = "", today: date | None = None
) -> Application:
    """After public notice: certify (the venue's unified code is issued and its plaque goes live) or reject."""
    _require(permissions.can_review_as_city(actor), "认定结论由市科协作出")
    with transaction.atomic():
        application = _lock(application, actor, ApplicationStatus.IN_NOTICE)
        objections = list(Objection.unscoped.filter(application=application))
        if any(not o.is_answered for o in objections):
            raise DomainError(E.OBJECTIONS_PENDING, "还有未答复的公示异议，答复后才能作出结论")
        before = application.status
        if certify:
            if today is None:
                today = timezone.localdate()
            if today <= application.notice_ends:
                raise DomainError(E.NOTICE_OPEN, f"公示期至 {application.notice_ends:%Y年%m月%d日}，期满后才能认定")
            if any(o.upheld for o in objections):
                raise DomainError(E.OBJECTION_UPHELD, "公示异议经核实成立，不能认定；请作出“不予认定”结论")
            application.status = ApplicationStatus.CERTIFIED
            application.decision_reason = (reason or "").strip() or "公示期满无异议，予以认定"
            action = StepAction.CERTIFY
        else:
            application.status = ApplicationStatus.REJECTED
            application.decision_reason = _reason(reason, "不予认定的理由")
            action = StepAction.REJECT
        application.decided_at = timezone.now()
        application.save(update_fields=["status", "decision_reason", "decided_at", "updated_at"])
        if certify:
            venue = venue_list_publicly(venue=application.venue, status=VenueStatus.CERTIFIED)
            data = {"code": venue.code, "grade": application.grade}
        else:
            _after_rejection(application)
            data = {}
        _step(application, actor, action, before, reason=application.decision_reason, data=data)
    return application


# --- yearly re-check (年度复核) -----------------------------------------------------------------------------


def annual_reviews_open(*, actor: Actor, year: int) -> int:
    """Open the year's re-check for every certified (or warned) venue in the actor's scope certified before
    that year; venues that have one already are left as they are. Returns how many were opened."""
    _require(permissions.can_review_as_city(actor), "年度复核由市科协发起")
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise DomainError(E.REVIEW_INVALID, "年度不正确", field="year")
    opened = 0
    with transaction.atomic():
        venues = Venue.objects.filter(status__in=REASSESS_VENUE_STATUSES, certified_at__year__lt=year).order_by("pk")
        done = set(AnnualReview.unscoped.filter(year=year).values_list("venue_id", flat=True))
        for venue in venues:
            if venue.pk in done:
                continue
            try:
                with transaction.atomic():
                    AnnualReview(venue=venue, year=year).save()
            except IntegrityError:
                continue  # opened at the same moment by someone else
            opened += 1
    return opened


def _lock_review(review: AnnualReview, actor: Actor, *statuses: str) -> AnnualReview:
    locked = AnnualReview.unscoped.select_for_update(of=("self",)).select_related("venue").get(pk=review.pk)
    if not _in_scope(actor, locked.venue):
        raise DomainError(E.NOT_ALLOWED, "您要找的记录不存在或无权查看。", status=404)
    if statuses and locked.status not in statuses:
        raise DomainError(E.REVIEW_STATUS, f"年度复核当前为“{locked.get_status_display()}”，不能办理这一环节")
    return locked


def annual_review_report(
    *, actor: Actor, review: AnnualReview, opening_days: int, visitors: int, activities: int, report: str,
    photos: Iterable[UploadedFile] = (),
) -> AnnualReview:  # fmt: skip
    """The venue's self-report of the year: opening days, visitors, activities, a report and photos."""
    _require(permissions.can_file(actor))
    if not 0 <= opening_days <= 366:
        raise DomainError(E.REVIEW_INVALID, "全年开放天数应在 0 到 366 之间", field="opening_days")
    if visitors < 0 or activities < 0:
        raise DomainError(E.REVIEW_INVALID, "人次和场次不能为负数", field="visitors")
    if len((report or "").strip()) < 20:
        raise DomainError(E.REVIEW_INVALID, "请填写自查报告（至少 20 个字）", field="report")
    # Every photo is checked (and re-encoded without its GPS position) before any is written.
    cleaned = [(clean_image(photo, field="photos").content.read(), photo.name or "照片") for photo in photos]
    with written_files() as written, transaction.atomic():
        review = _lock_review(review, actor, ReviewStatus.AWAITING, ReviewStatus.REPORTED)
        if review.spot_checked:
            raise DomainError(E.REVIEW_STATUS, "已实地抽查的年度自查不能再修改")
        for content, name in cleaned:
            _save_evidence(venue=review.venue, content=content, mime="image/jpeg", name=name.rsplit(".", 1)[0] + ".jpg",
                           written=written, review=review)  # fmt: skip
        review.opening_days, review.visitors, review.activities = opening_days, visitors, activities
        review.report, review.reported_at, review.status = report.strip(), timezone.now(), ReviewStatus.REPORTED
        review.save()
    return review


def annual_review_spot_check(*, actor: Actor, review: AnnualReview, note: str) -> AnnualReview:
    """A county's (or the city's) record of a visit to check the self-report on the spot."""
    _require(permissions.can_spot_check(actor), "实地抽查由县、市科协记录")
    note = (note or "").strip()
    if not note:
        raise DomainError(E.REVIEW_INVALID, "请填写抽查情况", field="spot_check_note")
    with transaction.atomic():
        review = _lock_review(review, actor, ReviewStatus.AWAITING, ReviewStatus.REPORTED)
        review.spot_checked, review.spot_check_note = True, note
        review.spot_checked_by, review.spot_checked_at = actor.user, timezone.now()
        review.save(update_fields=["spot_checked", "spot_check_note", "spot_checked_by", "spot_checked_at", "updated_at"])
    return review


def annual_review_decide(*, actor: Actor, review: AnnualReview, outcome: str, reason: str = "") -> AnnualReview:
    """Keep, warn (警示整改) or revoke (摘牌). A venue that sent no self-report can only be warned or revoked."""
    _require(permissions.can_review_as_city(actor), "年度复核结论由市科协作出")
    if outcome not in ReviewOutcome.values:
        raise DomainError(E.REVIEW_INVALID, "请选择复核结论", field="outcome")
    with transaction.atomic():
        review = _lock_review(review, actor, ReviewStatus.AWAITING, ReviewStatus.REPORTED)
        if outcome == ReviewOutcome.KEEP and review.status != ReviewStatus.REPORTED:
            raise DomainError(E.REVIEW_INVALID, "场馆尚未提交年度自查，不能作出“保留”结论", field="outcome")
        if outcome != ReviewOutcome.KEEP:
            reason = _reason(reason, "警示或摘牌的理由")
        review.outcome, review.reason = outcome, (reason or "").strip()
        review.status, review.decided_at, review.decided_by = ReviewStatus.DECIDED, timezone.now(), actor.user
        review.save()
        status = {
            ReviewOutcome.KEEP: VenueStatus.CERTIFIED,
            ReviewOutcome.WARN: VenueStatus.WARNED,
            ReviewOutcome.REVOKE: VenueStatus.REVOKED,
        }
        if review.venue.status in REASSESS_VENUE_STATUSES and review.venue.status != status[outcome]:
            venue_set_certification_status(venue=review.venue, status=status[outcome])
    return review
