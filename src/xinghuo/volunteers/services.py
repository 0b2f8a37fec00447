"""Writes of volunteers: teams and their members, service records (entered, then confirmed, by the organisation
that organised the service), star notices and awards, objections, and certificates.

Every write checks the actor's role and — under its row locks — their scope or the recording rule, validates
everything before it writes anything, and is audited (each row by BaseModel, a bulk step by one audit.bulk_write
record). Row locks are always taken in this order, so that two writers never wait for each other in a circle:

    the city's Region row (star runs only)  →  talent.Person rows, by id  →  Team  →  StarAward  →  ServiceRecord,
    VolunteerHours, StarObjection

A person's row lock serialises everything that counts for that person: the number of teams they belong to
(MAX_TEAMS), the hours of a day (DAY_HOURS) and their confirmed total (VolunteerHours)."""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.activities.models import Activity, ActivityStatus
from xinghuo.core import audit
from xinghuo.core.errors import DomainError
from xinghuo.core.id_numbers import ID_NUMBER_RE
from xinghuo.core.id_numbers import normalise as normalise_id
from xinghuo.core.models import AuditAction
from xinghuo.core.phones import MOBILE_RE
from xinghuo.core.validation import validate
from xinghuo.core.workdays import nth_working_day
from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region, RegionLevel
from xinghuo.talent.models import Person, PersonRole, RoleKind, RoleStatus
from xinghuo.volunteers import permissions
from xinghuo.volunteers.errors import VolunteerError as E
from xinghuo.volunteers.models import (
    DAY_HOURS,
    MAX_TEAMS,
    NOTICE_WORKING_DAYS,
    STAR_HOURS,
    AwardStatus,
    Certificate,
    CertificateKind,
    CertificateStatus,
    Commendation,
    CommendationRule,
    ObjectionChannel,
    RecordSource,
    RecordStatus,
    ServiceRecord,
    StarAward,
    StarObjection,
    Team,
    TeamMembership,
    VolunteerHours,
    star_for,
)

NOT_FOUND = "您要找的记录不存在或无权查看。"
#: the activities whose service may be recorded: published (under way) and after
RECORDABLE_ACTIVITY = (ActivityStatus.PUBLISHED, ActivityStatus.HELD, ActivityStatus.REPORTED, ActivityStatus.VERIFIED)
#: a confirmation of more records than this is written in bulk (one audit record) rather than row by row
BULK_CONFIRM = 100
CHUNK = 5000


def _deny(message: str = "您的身份不能办理这一事项") -> DomainError:
    return DomainError(E.NOT_ALLOWED, message, status=403)


def _not_found() -> DomainError:
    return DomainError(E.NOT_ALLOWED, NOT_FOUND, status=404)


def _lock_people(person_ids: Iterable[int]) -> None:
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), CHUNK):
        list(Person.unscoped.select_for_update().filter(pk__in=ids[start : start + CHUNK]).order_by("pk").values_list("pk", flat=True))


def is_active_volunteer(person: Person) -> bool:
    return PersonRole.unscoped.filter(person=person, kind=RoleKind.VOLUNTEER, status=RoleStatus.ACTIVE).exists()


def parse_hours(value: Any, field: str = "hours") -> Decimal:
    """Hours as the rules take them: a number above 0 and at most 24, with at most one decimal (1.5 小时)."""
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(E.HOURS, "服务时长应为数字（小时），如 2 或 1.5", field=field) from exc
    if not hours.is_finite() or hours <= 0 or hours > DAY_HOURS:
        raise DomainError(E.HOURS, "服务时长应大于 0 且不超过 24 小时", field=field)
    if hours != hours.quantize(Decimal("0.1")):
        raise DomainError(E.HOURS, "服务时长最多保留一位小数", field=field)
    return hours.quantize(Decimal("0.1"))


def volunteer_find(*, key: str, name: str, field: str = "key") -> Person:
    """The volunteer a recorder names by phone or ID number and name (both must agree): a look-up, not a listing,
    so an organiser finds the volunteers who served with them and nobody else."""
    key, name = str(key or "").strip(), str(name or "").strip()
    if not name:
        raise DomainError(E.UNKNOWN_PERSON, "请填写志愿者姓名", field="name")
    if MOBILE_RE.match(key):
        matches = list(Person.unscoped.filter(phone=key, name=name)[:2])
    elif ID_NUMBER_RE.match(normalise_id(key)):
        matches = list(Person.unscoped.filter(Person.id_number_lookup(normalise_id(key)), name=name)[:2])
    else:
        raise DomainError(E.UNKNOWN_PERSON, "请填写志愿者的手机号（11 位）或身份证号（18 位）", field=field)
    if not matches:
        raise DomainError(E.UNKNOWN_PERSON, f"人员库中没有姓名为“{name}”且手机号或身份证号相符的人员", field=field)
    if len(matches) > 1:
        raise DomainError(E.UNKNOWN_PERSON, "该手机号登记了不止一位同名人员，请改用身份证号", field=field)
    if not is_active_volunteer(matches[0]):
        raise DomainError(E.NOT_VOLUNTEER, f"{name}不是在册的科技志愿者（请先在人员库中为其添加“科技志愿者”角色）", field=field)
    return matches[0]


# --- teams ----------------------------------------------------------------------------------------------------


def team_create(*, actor: Actor, organisation: Organisation, name: str, description: str = "") -> Team:
    name, description = (name or "").strip(), (description or "").strip()
    if not permissions.can_create_team_for(actor, organisation):
        raise _deny("只能为本单位（或本辖区的单位）建立志愿服务队")
    if not name:
        raise DomainError(E.INVALID, "请填写服务队名称", field="name")
    if Team.unscoped.filter(organisation=organisation, name=name).exists():
        raise DomainError(E.TEAM_DUPLICATE, f"{organisation.name}已有名为“{name}”的服务队", field="name")
    team = Team(organisation=organisation, name=name, description=description)
    validate(team)
    with transaction.atomic():
        team.save()
    return team


def _lock_team(actor: Actor, team: Team) -> Team:
    locked = Team.unscoped.select_for_update(of=("self",)).select_related("organisation").get(pk=team.pk)
    if not permissions.can_manage_team(actor, locked):
        raise _not_found()
    return locked


def member_add(*, actor: Actor, team: Team, person: Person, today: date | None = None) -> TeamMembership:
    """Put a volunteer in a team; at most MAX_TEAMS at once, counted under the person's row lock."""
    if actor.role not in permissions.TEAM_ROLES:
        raise _deny()
    with transaction.atomic():
        _lock_people([person.pk])
        locked = _lock_team(actor, team)
        if not locked.is_active:
            raise DomainError(E.INVALID, "该服务队已停用，不能再加入成员")
        if not is_active_volunteer(person):
            raise DomainError(E.NOT_VOLUNTEER, f"{person.name}不是在册的科技志愿者", field="key")
        teams = TeamMembership.unscoped.filter(person=person)
        if teams.filter(team=locked).exists():
            raise DomainError(E.ALREADY_MEMBER, f"{person.name}已是本队成员", field="key")
        if teams.count() >= MAX_TEAMS:
            raise DomainError(E.TEAM_LIMIT, f"{person.name}已加入 {MAX_TEAMS} 支服务队，一名志愿者最多加入 {MAX_TEAMS} 支", field="key")
        membership = TeamMembership(team=locked, person=person, joined_on=today or timezone.localdate())
        membership.save()
    return membership


def member_remove(*, actor: Actor, team: Team, person: Person) -> None:
    with transaction.atomic():
        _lock_people([person.pk])
        locked = _lock_team(actor, team)
        membership = TeamMembership.unscoped.filter(team=locked, person=person).first()
        if membership is None:
            raise DomainError(E.INVALID, "该志愿者不在本队")
        membership.delete()


# --- service records ------------------------------------------------------------------------------------------


def recorder_of(*, activity: Activity | None, team: Team | None) -> Organisation:
    """谁组织谁记录: the organisation that keeps the record of a service at this activity, or of this team's own."""
    if activity is not None:
        return activity.organiser
    if team is not None:
        return team.organisation
    raise DomainError(E.ACTIVITY, "请选择服务所在的活动，或本单位的服务队（服务队自行组织的服务）", field="activity")


def check_activity_day(activity: Activity, day: date) -> None:
    if activity.status not in RECORDABLE_ACTIVITY:
        raise DomainError(E.ACTIVITY, f"活动“{activity.title}”当前为“{activity.get_status_display()}”，不能记录志愿服务", field="activity")
    first, last = timezone.localdate(activity.starts_at), timezone.localdate(activity.ends_at)
    if not first <= day <= last:
        raise DomainError(E.ACTIVITY, f"服务日期应在活动举办期间（{first} 至 {last}）", field="date")


def record_enter(
    *, actor: Actor, volunteer: Person, date: date, hours: Any, content: str, activity: Activity | None = None,
    team: Team | None = None, today: date | None = None,
) -> ServiceRecord:  # fmt: skip
    """Enter one service (待确认). Only the organisation that organised it records it; a day holds at most 24 hours of
    one volunteer's service, counted under their row lock."""
    today = today or timezone.localdate()
    hours = parse_hours(hours)
    content = (content or "").strip()
    if actor.role not in permissions.RECORD_ROLES:
        raise _deny()
    organisation = recorder_of(activity=activity, team=team)
    if not permissions.acts_for(actor, organisation):
        raise DomainError(E.NOT_RECORDER, f"谁组织谁记录：该服务由“{organisation.name}”组织，应由其记录", field="activity", status=403)
    if date > today:
        raise DomainError(E.INVALID, "服务日期不能晚于今天", field="date")
    if not content:
        raise DomainError(E.INVALID, "请填写服务内容", field="content")
    if activity is not None:
        check_activity_day(activity, date)
        team = team if team is not None and team.organisation_id == organisation.pk else None
    with transaction.atomic():
        _lock_people([volunteer.pk])
        if not is_active_volunteer(volunteer):
            raise DomainError(E.NOT_VOLUNTEER, f"{volunteer.name}不是在册的科技志愿者", field="key")
        if activity is None and team is not None and not TeamMembership.unscoped.filter(team=team, person=volunteer).exists():
            raise DomainError(E.INVALID, f"{volunteer.name}不是“{team.name}”的成员：服务队自行组织的服务只记录本队成员", field="team")
        day_total = ServiceRecord.unscoped.filter(volunteer=volunteer, date=date).aggregate(s=Sum("hours"))["s"] or Decimal(0)
        if day_total + hours > DAY_HOURS:
            raise DomainError(
                E.DAY_LIMIT, f"{volunteer.name} {date} 已记录 {day_total} 小时，再加 {hours} 小时将超过一天 24 小时", field="hours"
            )
        record = ServiceRecord(
            volunteer=volunteer, date=date, hours=hours, content=content[:200], activity=activity, team=team, organisation=organisation,
            entered_by=actor.user, source=RecordSource.FORM,
        )  # fmt: skip
        validate(record, exclude=["entered_by", "confirmed_by"])
        record.save()
    return record


def _credit(totals: dict[int, tuple[Decimal, int]], now: datetime) -> None:
    """Add confirmed hours to the volunteers' totals (their person rows are locked by the caller)."""
    if not totals:
        return
    with audit.bulk_write(model=VolunteerHours, description="志愿服务时长累计（确认服务记录）") as summary:
        existing = {}
        ids = sorted(totals)
        for start in range(0, len(ids), CHUNK):
            existing.update({h.person_id: h for h in VolunteerHours.unscoped.filter(person_id__in=ids[start : start + CHUNK])})
        new = []
        for person_id, (hours, n) in totals.items():
            row = existing.get(person_id)
            if row is None:
                new.append(VolunteerHours(person_id=person_id, confirmed_hours=hours, records=n))
            else:
                row.confirmed_hours += hours
                row.records += n
                row.updated_at = now
        VolunteerHours.unscoped.bulk_update(list(existing.values()), ["confirmed_hours", "records", "updated_at"], batch_size=2000)
        VolunteerHours.unscoped.bulk_create(new, batch_size=2000)
        summary["updated"], summary["created"] = len(existing), len(new)


def records_confirm(*, actor: Actor, records: Iterable[ServiceRecord], now: datetime | None = None) -> int:
    """Confirm entered records (谁记录谁证明: the organisation that keeps them); their hours count from now on, and the
    volunteers' totals grow in the same transaction. All or nothing: one record that may not be confirmed refuses
    the whole set."""
    now = now or timezone.now()
    ids = sorted({r.pk for r in records})
    if not ids:
        raise DomainError(E.INVALID, "请选择要确认的服务记录")
    if actor.role not in permissions.RECORD_ROLES:
        raise _deny()
    mine = permissions.acting_organisation(actor)
    with transaction.atomic():
        person_ids = ServiceRecord.unscoped.filter(pk__in=ids).values_list("volunteer_id", flat=True)
        _lock_people(person_ids)
        locked = list(ServiceRecord.unscoped.select_for_update().filter(pk__in=ids).order_by("pk"))
        if len(locked) != len(ids):
            raise _not_found()
        for record in locked:
            if mine is None or record.organisation_id != mine.pk:
                raise DomainError(E.NOT_RECORDER, "谁记录谁证明：只能确认本单位记录的服务", status=403)
            if record.status != RecordStatus.ENTERED:
                raise DomainError(E.STATUS, f"{record.date} 的记录已确认，不能重复确认")
        totals: dict[int, tuple[Decimal, int]] = {}
        for record in locked:
            record.status, record.confirmed_by, record.confirmed_at = RecordStatus.CONFIRMED, actor.user, now
            hours, n = totals.get(record.volunteer_id, (Decimal(0), 0))
            totals[record.volunteer_id] = (hours + record.hours, n + 1)
        if len(locked) <= BULK_CONFIRM:
            for record in locked:
                record.save(update_fields=["status", "confirmed_by", "confirmed_at", "updated_at"])
        else:
            with audit.bulk_write(model=ServiceRecord, description=f"确认志愿服务记录 {len(locked)} 条") as summary:
                for record in locked:
                    record.updated_at = now
                ServiceRecord.unscoped.bulk_update(locked, ["status", "confirmed_by", "confirmed_at", "updated_at"], batch_size=2000)
                summary["confirmed"] = len(locked)
        _credit(totals, now)
    return len(locked)


def record_delete(*, actor: Actor, record: ServiceRecord) -> None:
    """Delete a record entered by mistake, before it is confirmed (a confirmed one is part of the volunteer's hours)."""
    with transaction.atomic():
        _lock_people([record.volunteer_id])
        locked = ServiceRecord.unscoped.select_for_update().get(pk=record.pk)
        mine = permissions.acting_organisation(actor)
        if actor.role not in permissions.RECORD_ROLES or mine is None or locked.organisation_id != mine.pk:
            raise DomainError(E.NOT_RECORDER, "只能删除本单位记录的服务", status=403)
        if locked.status != RecordStatus.ENTERED:
            raise DomainError(E.STATUS, "已确认的记录不能删除")
        locked.delete()


# --- stars ----------------------------------------------------------------------------------------------------


def _city(actor: Actor) -> Region:
    if not permissions.can_manage_stars(actor):
        raise _deny("星级评定由市科协办理")
    region = actor.region
    city = region if region is not None and region.level == RegionLevel.CITY else getattr(region, "city", None)
    if city is None:
        raise _deny("星级评定由市科协办理")
    return city


def star_candidates(*, city: Region) -> list[tuple[int, int, Decimal]]:
    """(person id, level, hours) of every volunteer of the city whose confirmed hours reach a level above what they hold
    or have in notice — the highest level they reach — unless that level was withdrawn at these very hours (an upheld
    objection is not overturned by running again; more confirmed hours open a new notice)."""
    in_city = city.subtree_q("person__region")
    active = PersonRole.unscoped.filter(kind=RoleKind.VOLUNTEER, status=RoleStatus.ACTIVE).values("person_id")
    held: dict[int, int] = defaultdict(int)
    in_notice: set[int] = set()
    withdrawn: dict[tuple[int, int], Decimal] = {}
    for person_id, level, status, hours in StarAward.unscoped.filter(in_city).values_list("person_id", "level", "status", "hours"):
        if status == AwardStatus.WITHDRAWN:
            withdrawn[(person_id, level)] = max(hours, withdrawn.get((person_id, level), Decimal(0)))
            continue
        held[person_id] = max(held[person_id], level)
        if status == AwardStatus.NOTICED:
            in_notice.add(person_id)
    rows = (
        VolunteerHours.unscoped.filter(in_city, confirmed_hours__gte=STAR_HOURS[1], person_id__in=active)
        .order_by("person_id")
        .values_list("person_id", "confirmed_hours")
    )
    found = []
    for person_id, hours in rows.iterator(chunk_size=5000):
        level = star_for(hours)
        if level <= held.get(person_id, 0) or person_id in in_notice:
            continue
        if (person_id, level) in withdrawn and hours <= withdrawn[(person_id, level)]:
            continue
        found.append((person_id, level, hours))
    return found


def _teams_by_person(person_ids: list[int]) -> dict[int, list[str]]:
    teams: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(person_ids), CHUNK):
        for person_id, name in (
            TeamMembership.unscoped.filter(person_id__in=person_ids[start : start + CHUNK])
            .order_by("team__name")
            .values_list("person_id", "team__name")
        ):
            teams[person_id].append(name)
    return teams


def star_notices_open(*, actor: Actor, today: date | None = None) -> int:
    """Compute who has newly reached a star level and put them all in public notice (公示) for NOTICE_WORKING_DAYS
    working days from today. One run of a city at a time (its Region row is locked); returns how many."""
    city = _city(actor)
    today = today or timezone.localdate()
    ends = nth_working_day(today, NOTICE_WORKING_DAYS)
    with transaction.atomic():
        Region.objects.select_for_update().filter(pk=city.pk).values_list("pk", flat=True).get()
        found = star_candidates(city=city)
        teams = _teams_by_person([p for p, _, _ in found])
        awards = [
            StarAward(
                person_id=person_id,
                level=level,
                hours=hours,
                teams="、".join(teams.get(person_id, []))[:300],
                notice_starts=today,
                notice_ends=ends,
            )
            for person_id, level, hours in found
        ]
        with audit.bulk_write(model=StarAward, description=f"星级志愿者公示：{len(awards)} 人，{today} 至 {ends}") as summary:
            StarAward.unscoped.bulk_create(awards, batch_size=2000)
            summary["noticed"] = len(awards)
    return len(awards)


def _issuer(actor: Actor) -> str:
    org = permissions.acting_organisation(actor)
    return org.name if org is not None else ""


def new_number(kind: str) -> str:
    """An unguessable certificate number: a prefix for its kind and 16 characters of 32 (80 random bits), without the
    easily confused 0/O and 1/I."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    body = "".join(secrets.choice(alphabet) for _ in range(16))
    prefix = "XJ" if kind == CertificateKind.STAR else "ZY"
    return f"{prefix}-{body[:4]}-{body[4:8]}-{body[8:12]}-{body[12:]}"


def stars_award_due(*, actor: Actor, today: date | None = None) -> int:
    """Award every star whose notice has ended (its last working day is past) with no objection left undecided — an
    upheld one has withdrawn it already — and issue each its star certificate. Returns how many."""
    city = _city(actor)
    today = today or timezone.localdate()
    issuer = _issuer(actor)
    with transaction.atomic():
        Region.objects.select_for_update().filter(pk=city.pk).values_list("pk", flat=True).get()
        due = list(
            StarAward.unscoped.select_for_update(of=("self",))
            .filter(city.subtree_q("person__region"), status=AwardStatus.NOTICED, notice_ends__lt=today)
            .select_related("person")
            .order_by("pk")
        )
        pending = set(StarObjection.unscoped.filter(award__in=[a.pk for a in due], upheld__isnull=True).values_list("award_id", flat=True))
        due = [a for a in due if a.pk not in pending]
        now = timezone.now()
        for award in due:
            award.status, award.awarded_on, award.updated_at = AwardStatus.AWARDED, today, now
        with audit.bulk_write(model=StarAward, description=f"授予星级志愿者 {len(due)} 人") as summary:
            StarAward.unscoped.bulk_update(due, ["status", "awarded_on", "updated_at"], batch_size=2000)
            summary["awarded"] = len(due)
        certificates = [
            Certificate(
                number=new_number(CertificateKind.STAR),
                kind=CertificateKind.STAR,
                person=a.person,
                name=a.person.name,
                award=a,
                level=a.level,
                hours=a.hours,
                issued_on=today,
                issued_by=actor.user,
                issuer=issuer,
            )
            for a in due
        ]
        with audit.bulk_write(model=Certificate, description=f"签发星级志愿者证书 {len(certificates)} 份") as summary:
            Certificate.unscoped.bulk_create(certificates, batch_size=2000)
            summary["issued"] = len(certificates)
    return len(due)


def _lock_award(actor: Actor, award: StarAward) -> StarAward:
    city = _city(actor)
    locked = StarAward.unscoped.select_for_update(of=("self",)).select_related("person__region").get(pk=award.pk)
    if not Region.objects.filter(city.subtree_q(), pk=locked.person.region_id).exists():
        raise _not_found()
    return locked


def objection_record(
    *, actor: Actor, award: StarAward, content: str, channel: str, contact_name: str, contact_phone: str,
    received_on: date | None = None,
) -> StarObjection:  # fmt: skip
    """Record an objection received during the notice (by phone, letter, visit or mail)."""
    content, contact_name, contact_phone = (content or "").strip(), (contact_name or "").strip(), (contact_phone or "").strip()
    received_on = received_on or timezone.localdate()
    if len(content) < 10:
        raise DomainError(E.OBJECTION_INVALID, "请具体写明异议的事实和理由（至少 10 个字）", field="content")
    if channel not in ObjectionChannel.values:
        raise DomainError(E.OBJECTION_INVALID, "请选择异议渠道", field="channel")
    if not contact_name:
        raise DomainError(E.OBJECTION_INVALID, "请填写联系人", field="contact_name")
    if not contact_phone:
        raise DomainError(E.OBJECTION_INVALID, "请填写联系电话，以便答复", field="contact_phone")
    with transaction.atomic():
        locked = _lock_award(actor, award)
        if locked.status != AwardStatus.NOTICED or not locked.notice_starts <= received_on <= locked.notice_ends:
            raise DomainError(E.NOTICE_OPEN, "异议须在公示期内提出：该星级不在公示期内", field="received_on")
        objection = StarObjection(
            award=locked, content=content, channel=channel, contact_name=contact_name[:50], contact_phone=contact_phone[:20],
            received_on=received_on, recorded_by=actor.user,
        )  # fmt: skip
        validate(objection, exclude=["recorded_by", "decided_by"])
        objection.save()
    return objection


def objection_decide(*, actor: Actor, objection: StarObjection, upheld: bool, answer: str, today: date | None = None) -> StarObjection:
    """Decide an objection after checking it: upheld withdraws the star (撤销), with the answer as the reason."""
    answer = (answer or "").strip()
    if len(answer) < 5:
        raise DomainError(E.OBJECTION_INVALID, "请写明核实情况与答复（至少 5 个字）", field="answer")
    today = today or timezone.localdate()
    with transaction.atomic():
        award = _lock_award(actor, objection.award)
        locked = StarObjection.unscoped.select_for_update().get(pk=objection.pk)
        if locked.upheld is not None:
            raise DomainError(E.STATUS, "该异议已处理")
        if award.status != AwardStatus.NOTICED:
            raise DomainError(E.STATUS, f"该星级已{award.get_status_display()}，异议不能再改变结果")
        locked.upheld, locked.answer, locked.decided_by, locked.decided_at = upheld, answer, actor.user, timezone.now()
        locked.save(update_fields=["upheld", "answer", "decided_by", "decided_at", "updated_at"])
        if upheld:
            award.status, award.withdrawn_on, award.withdraw_reason = AwardStatus.WITHDRAWN, today, answer[:300]
            award.save(update_fields=["status", "withdrawn_on", "withdraw_reason", "updated_at"])
    return locked


# --- certificates ---------------------------------------------------------------------------------------------


def certificate_issue_service(*, actor: Actor, person: Person, start: date, end: date, today: date | None = None) -> Certificate:
    """A service certificate (志愿服务证明): the volunteer's confirmed hours from `start` to `end`, as they stand today."""
    today = today or timezone.localdate()
    if not permissions.can_view_volunteers(actor) or not actor.sees_region(person.region):
        raise _not_found()
    if start > end:
        raise DomainError(E.CERTIFICATE, "起始日期不能晚于截止日期", field="start")
    if end > today:
        raise DomainError(E.CERTIFICATE, "截止日期不能晚于今天", field="end")
    with transaction.atomic():
        _lock_people([person.pk])
        agg = ServiceRecord.unscoped.filter(volunteer=person, status=RecordStatus.CONFIRMED, date__gte=start, date__lte=end).aggregate(
            hours=Sum("hours"), n=Count("id")
        )
        if not agg["n"]:
            raise DomainError(E.CERTIFICATE, f"{start} 至 {end} 没有已确认的志愿服务记录，不能开具证明", field="start")
        certificate = Certificate(
            number=new_number(CertificateKind.SERVICE), kind=CertificateKind.SERVICE, person=person, name=person.name,
            period_start=start, period_end=end, hours=agg["hours"], records=agg["n"], issued_on=today, issued_by=actor.user,
            issuer=_issuer(actor),
        )  # fmt: skip
        certificate.save()
    return certificate


def certificate_revoke(*, actor: Actor, certificate: Certificate, reason: str, today: date | None = None) -> Certificate:
    """Revoke a certificate (作废): the verify page says so from then on. A star certificate is the city's to revoke."""
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise DomainError(E.CERTIFICATE, "请写明作废理由（至少 5 个字）", field="reason")
    with transaction.atomic():
        locked = Certificate.unscoped.select_for_update(of=("self",)).select_related("person__region").get(pk=certificate.pk)
        if not permissions.can_view_volunteers(actor) or not actor.sees_region(locked.person.region):
            raise _not_found()
        if locked.kind == CertificateKind.STAR and not permissions.can_manage_stars(actor):
            raise _deny("星级志愿者证书由市科协作废")
        if locked.status != CertificateStatus.VALID:
            raise DomainError(E.STATUS, "该证书已作废")
        locked.status, locked.revoked_on, locked.revoke_reason = CertificateStatus.REVOKED, today or timezone.localdate(), reason[:300]
        locked.save(update_fields=["status", "revoked_on", "revoke_reason", "updated_at"])
    return locked


# --- commendations (嘉许激励) --------------------------------------------------------------------------------


def commendation_rule_create(*, actor: Actor, name: str, min_year_hours: Any, description: str = "") -> CommendationRule:
    """A rule of the city's commendation scheme: at least so many confirmed hours in a year."""
    _city(actor)
    name, description = (name or "").strip(), (description or "").strip()
    if not name:
        raise DomainError(E.INVALID, "请填写嘉许名称", field="name")
    try:
        hours = Decimal(str(min_year_hours))
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(E.HOURS, "年度服务时长应为数字", field="min_year_hours") from exc
    if not hours.is_finite() or hours <= 0 or hours > Decimal(8784):
        raise DomainError(E.HOURS, "年度服务时长应大于 0 且不超过一年的小时数", field="min_year_hours")
    if CommendationRule.objects.filter(name=name).exists():
        raise DomainError(E.INVALID, f"已有名为“{name}”的嘉许规则", field="name")
    rule = CommendationRule(name=name, min_year_hours=hours.quantize(Decimal("0.1")), description=description[:300])
    validate(rule)
    with transaction.atomic():
        rule.save()
    return rule


def commendations_grant(*, actor: Actor, rule: CommendationRule, year: int, today: date | None = None) -> int:
    """Commend under the rule every volunteer of the city whose confirmed hours of `year` reach its threshold (those
    commended already for that year are left as they are). Returns how many were newly commended."""
    city = _city(actor)
    today = today or timezone.localdate()
    if not rule.is_active:
        raise DomainError(E.INVALID, "该嘉许规则已停用")
    if not 2000 <= year <= today.year:
        raise DomainError(E.INVALID, f"年度应在 2000 至 {today.year} 之间", field="year")
    with transaction.atomic():
        Region.objects.select_for_update().filter(pk=city.pk).values_list("pk", flat=True).get()
        active = PersonRole.unscoped.filter(kind=RoleKind.VOLUNTEER, status=RoleStatus.ACTIVE).values("person_id")
        done = Commendation.unscoped.filter(rule=rule, year=year).values("person_id")
        rows = (
            ServiceRecord.unscoped.filter(
                city.subtree_q("volunteer__region"), status=RecordStatus.CONFIRMED, date__year=year, volunteer_id__in=active
            )
            .exclude(volunteer_id__in=done)
            .values("volunteer_id")
            .annotate(total=Sum("hours"))
            .filter(total__gte=rule.min_year_hours)
            .values_list("volunteer_id", "total")
        )
        made = [
            Commendation(rule=rule, person_id=person_id, year=year, hours=total, granted_on=today, granted_by=actor.user)
            for person_id, total in rows
        ]
        with audit.bulk_write(model=Commendation, description=f"{year}年{rule.name}：{len(made)} 人") as summary:
            Commendation.unscoped.bulk_create(made, batch_size=2000)
            summary["created"] = len(made)
    return len(made)


def star_withdraw(*, actor: Actor, award: StarAward, reason: str, today: date | None = None) -> StarAward:
    """Withdraw a star already awarded (a record it counted proved false, say): the award is withdrawn and its
    certificate revoked with the same reason, so that the verify page says so."""
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise DomainError(E.INVALID, "请写明撤销理由（至少 5 个字）", field="reason")
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _lock_award(actor, award)
        if locked.status != AwardStatus.AWARDED:
            raise DomainError(E.STATUS, f"该星级{locked.get_status_display()}：只能撤销已授予的星级（公示中的请登记并处理异议）")
        locked.status, locked.withdrawn_on, locked.withdraw_reason = AwardStatus.WITHDRAWN, today, reason[:300]
        locked.save(update_fields=["status", "withdrawn_on", "withdraw_reason", "updated_at"])
        certificate = Certificate.unscoped.select_for_update().filter(award=locked, status=CertificateStatus.VALID).first()
        if certificate is not None:
            certificate.status, certificate.revoked_on, certificate.revoke_reason = (
                CertificateStatus.REVOKED,
                today,
                f"星级已撤销：{reason}"[:300],
            )
            certificate.save(update_fields=["status", "revoked_on", "revoke_reason", "updated_at"])
    return locked


def record_unconfirm(*, actor: Actor, record: ServiceRecord, reason: str) -> ServiceRecord:
    """Take back a confirmation made in error (the recording organisation, with a reason that the audit trail keeps):
    the record waits for confirmation again — to be corrected by deleting and entering it anew — and its hours leave
    the volunteer's total. A star already awarded on them stays until the city withdraws it."""
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise DomainError(E.INVALID, "请写明撤销确认的理由（至少 5 个字）", field="reason")
    with transaction.atomic():
        _lock_people([record.volunteer_id])
        locked = ServiceRecord.unscoped.select_for_update().get(pk=record.pk)
        mine = permissions.acting_organisation(actor)
        if actor.role not in permissions.RECORD_ROLES or mine is None or locked.organisation_id != mine.pk:
            raise DomainError(E.NOT_RECORDER, "谁记录谁证明：只能撤销本单位确认的记录", status=403)
        if locked.status != RecordStatus.CONFIRMED:
            raise DomainError(E.STATUS, "该记录尚未确认")
        locked.status, locked.confirmed_by, locked.confirmed_at = RecordStatus.ENTERED, None, None
        locked.save(update_fields=["status", "confirmed_by", "confirmed_at", "updated_at"])
        total = VolunteerHours.unscoped.select_for_update().get(person_id=locked.volunteer_id)
        total.confirmed_hours -= locked.hours
        total.records -= 1
        total.save(update_fields=["confirmed_hours", "records", "updated_at"])
        audit.record(AuditAction.UPDATE, obj=locked, changes={"unconfirmed": [None, reason[:300]]})
    return locked
