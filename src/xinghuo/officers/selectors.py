"""Reads: the officers registered and active in a month by county (or by town), the officers themselves with a month's
figures, the top officers of a month or a year by shares and by reads, and one officer's months. Always within the
actor's scope: city staff the city, a county's staff their county or zone.

Who counts in a period: an officer is *in post* during a month (or a year) when they registered on or before its last
day and hold the INFO_OFFICER role — or held it until a day inside the period. They are *active* in a month when they
shared at least ACTIVE_MIN_SHARES times in it (models.py says where the threshold comes from)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.lookup import get_by_uid
from xinghuo.core.phones import MOBILE_RE
from xinghuo.officers import permissions
from xinghuo.officers.errors import OfficerError as E
from xinghuo.officers.models import ACTIVE_MIN_SHARES, FIRST_YEAR, InfoOfficer, MonthlyFigures
from xinghuo.regions.models import Region, RegionLevel
from xinghuo.talent import selectors as talent_selectors
from xinghuo.talent.models import Person, PersonRole, RoleKind, RoleStatus

TOP = 20  # how many officers a top list shows
MONTH_RE = re.compile(r"^\s*(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*月?\s*$")
RANKINGS = ("shares", "reads")
COUNTY_LEVELS = (RegionLevel.COUNTY, RegionLevel.ZONE)


@dataclass(frozen=True)
class Period:
    """A calendar month, or a whole year (month None)."""

    year: int
    month: int | None = None

    @property
    def first_day(self) -> date:
        return date(self.year, self.month or 1, 1)

    @property
    def last_day(self) -> date:
        month = self.month or 12
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def label(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.month else str(self.year)

    @property
    def is_month(self) -> bool:
        return self.month is not None

    def figures_q(self, prefix: str = "") -> Q:
        p = f"{prefix}__" if prefix else ""
        q = Q(**{f"{p}year": self.year})
        return q & Q(**{f"{p}month": self.month}) if self.month else q


def parse_month(text: object) -> tuple[int, int] | None:
    """“2026-05”, “2026/5”, “2026.05”, “2026年5月” → (2026, 5); anything else None."""
    match = MONTH_RE.match(str(text or ""))
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    return (year, month) if 1 <= month <= 12 else None


def this_month() -> Period:
    today = timezone.localdate()
    return Period(today.year, today.month)


def check_month(year: int, month: int) -> Period:
    """A month figures may exist for: from FIRST_YEAR to the current month."""
    period, now = Period(year, month), this_month()
    if year < FIRST_YEAR or (year, month) > (now.year, now.month or 12):
        raise DomainError(E.MONTH, f"月份应在 {FIRST_YEAR}-01 至 {now.label} 之间", field="month")
    return period


def scope_root(actor: Actor) -> Region:
    """The region an actor's figures are of: their organisation's region (the city, or their county/zone)."""
    if not permissions.can_view(actor):
        raise DomainError(E.NOT_ALLOWED, "您要找的记录不存在或无权查看。", status=404)
    return actor.membership.organisation.region  # type: ignore[union-attr]


def within_for(actor: Actor, code: str = "") -> Region:
    """The region asked for (`?region=<code>`: a county, zone or town), if in the actor's scope; else the actor's own."""
    root = scope_root(actor)
    if not code:
        return root
    levels = (RegionLevel.COUNTY, RegionLevel.ZONE, RegionLevel.TOWN)
    region = Region.objects.filter(code=code, level__in=levels).first()
    return region if region is not None and actor.sees_region(region) else root


def latest_month(within: Region) -> Period:
    """The last month with figures for officers of `within` (the figures come after a month ends), else this month."""
    last = (
        MonthlyFigures.unscoped.filter(within.subtree_q("officer__person__region")).order_by("-year", "-month")
        .values_list("year", "month").first()
    )  # fmt: skip
    return Period(*last) if last else this_month()


def months_with_figures(within: Region) -> list[Period]:
    rows = (
        MonthlyFigures.unscoped.filter(within.subtree_q("officer__person__region")).values_list("year", "month")
        .distinct().order_by("-year", "-month")
    )  # fmt: skip
    return [Period(y, m) for y, m in rows]


def in_post(period: Period) -> Q:
    """The officers in post during the period (an InfoOfficer filter)."""
    role = PersonRole.unscoped.filter(person=OuterRef("person_id"), kind=RoleKind.INFO_OFFICER).filter(
        Q(status=RoleStatus.ACTIVE) | Q(ended_on__gte=period.first_day)
    )
    return Q(registered_on__lte=period.last_day) & Q(Exists(role))


def serving() -> Q:
    """The officers holding the INFO_OFFICER role today."""
    return Q(Exists(PersonRole.unscoped.filter(person=OuterRef("person_id"), kind=RoleKind.INFO_OFFICER, status=RoleStatus.ACTIVE)))


def _active_in(period: Period) -> Exists:
    return Exists(MonthlyFigures.unscoped.filter(period.figures_q(), officer=OuterRef("pk"), shares__gte=ACTIVE_MIN_SHARES))


# --- registered, active and the active rate, by county or town ------------------------------------------------


@dataclass(frozen=True)
class ActivityRow:
    region: Region
    registered: int
    active: int
    whole: bool = False  # the officers of `within` itself, not of one of its parts (a county-level person, say)

    @property
    def inactive(self) -> int:
        return self.registered - self.active

    @property
    def rate(self) -> float:
        return self.active / self.registered if self.registered else 0.0

    @property
    def percent(self) -> str:
        return f"{self.rate:.1%}"


@dataclass(frozen=True)
class Activity:
    within: Region
    period: Period
    total: ActivityRow
    rows: list[ActivityRow]  # by county (of the city) or by town (of a county or zone)
    by_county: bool


def activity(*, within: Region, period: Period) -> Activity:
    """Officers in post and officers active in the month, for `within` and each of its counties (or towns): one
    grouped query."""
    by_county = within.level == RegionLevel.CITY
    if by_county:  # a person entered at a county (or zone) itself counts for it
        part = Case(When(person__region__level__in=COUNTY_LEVELS, then=F("person__region")), default=F("person__region__county"))
    else:
        part = F("person__region__town")
    counts = {
        row["part"]: (row["registered"], row["active"])
        for row in InfoOfficer.unscoped.filter(within.subtree_q("person__region")).filter(in_post(period))
        .annotate(is_active=_active_in(period), part=part).values("part")
        .annotate(registered=Count("pk"), active=Count("pk", filter=Q(is_active=True))).order_by()
    }  # fmt: skip
    parts = {r.pk: r for r in Region.objects.filter(pk__in=[k for k in counts if k is not None])}
    rows = [ActivityRow(region=parts[pk], registered=n, active=a) for pk, (n, a) in counts.items() if pk is not None]
    rows.sort(key=lambda r: r.region.code)
    if None in counts:
        rows.append(ActivityRow(region=within, registered=counts[None][0], active=counts[None][1], whole=True))
    total = ActivityRow(region=within, registered=sum(r.registered for r in rows), active=sum(r.active for r in rows))
    return Activity(within=within, period=period, total=total, rows=rows, by_county=by_county)


# --- the officers -----------------------------------------------------------------------------------------------


def _month_value(field: str, period: Period) -> Coalesce:
    value = MonthlyFigures.unscoped.filter(period.figures_q(), officer=OuterRef("pk")).values(field)[:1]
    return Coalesce(Subquery(value, output_field=IntegerField()), Value(0))


def officer_list(*, actor: Actor, within: Region, period: Period, active: str = "", q: str = "") -> QuerySet[InfoOfficer]:
    """The officers of `within` in post during the month, each with that month's figures (0 when none were reported),
    the most shares first; `active` "1" keeps the active ones, "0" the others; `q` a part of a name or an account."""
    if not permissions.can_view(actor):
        return InfoOfficer.objects.none()
    officers = (
        InfoOfficer.objects.filter(within.subtree_q("person__region")).filter(in_post(period))
        .annotate(m_shares=_month_value("shares", period), m_reads=_month_value("reads", period),
                  m_likes=_month_value("likes", period), is_active=_active_in(period))
        .select_related("person__region__county", "organisation")
    )  # fmt: skip
    if active in ("0", "1"):
        officers = officers.filter(is_active=active == "1")
    q = q.strip()
    if q:
        officers = officers.filter(Q(person__name__contains=q) | Q(account__icontains=q))
    return officers.order_by("-m_shares", "person__name", "pk")


@dataclass(frozen=True)
class Ranked:
    rank: int
    officer: InfoOfficer
    shares: int
    reads: int
    likes: int


def top_officers(*, actor: Actor, within: Region, period: Period, by: str, limit: int = TOP) -> list[Ranked]:
    """The officers of `within` in post during the period with the most shares (or reads) in it, summed over its
    months; ties by name. Officers with nothing reported are not ranked."""
    if not permissions.can_view(actor):
        return []
    if by not in RANKINGS:
        raise DomainError(E.INVALID, f"排名依据“{by}”无效", field="by")
    officers = InfoOfficer.unscoped.filter(within.subtree_q("person__region")).filter(in_post(period))
    sums = list(
        MonthlyFigures.unscoped.filter(period.figures_q(), officer__in=officers).values("officer")
        .annotate(shares=Sum("shares"), reads=Sum("reads"), likes=Sum("likes"))
        .filter(**{f"{by}__gt": 0}).order_by(f"-{by}", "officer__person__name", "officer")[:limit]
    )  # fmt: skip
    found = InfoOfficer.unscoped.select_related("person__region__county", "organisation").in_bulk([s["officer"] for s in sums])
    return [Ranked(rank=i, officer=found[s["officer"]], shares=s["shares"], reads=s["reads"], likes=s["likes"])
            for i, s in enumerate(sums, start=1)]  # fmt: skip


def get_officer_for_actor(*, actor: Actor, uid: object) -> InfoOfficer:
    """One officer in the actor's scope; missing, malformed and forbidden all raise the same NotFound."""
    if not permissions.can_view(actor):
        raise NotFound()
    return get_by_uid(InfoOfficer.objects.select_related("person__region__county", "person__region__town", "organisation"), uid)


def officer_months(officer: InfoOfficer) -> list[MonthlyFigures]:
    """Every month reported for the officer, the latest first."""
    return list(MonthlyFigures.unscoped.filter(officer=officer).order_by("-year", "-month"))


def is_serving(officer: InfoOfficer) -> bool:
    return PersonRole.unscoped.filter(person_id=officer.person_id, kind=RoleKind.INFO_OFFICER, status=RoleStatus.ACTIVE).exists()


def person_to_register(*, actor: Actor, uid: str = "", who: str = "") -> Person:
    """The person of the actor's scope a registration is for: by uid (a link from the registry), or by their whole ID
    number (through the blind index) or phone. Raises DomainError naming the field."""
    if uid:
        try:
            return talent_selectors.get_person_for_actor(actor=actor, uid=uid)
        except NotFound as exc:
            raise DomainError(E.PERSON, "找不到该人员", field="who") from exc
    who = (who or "").strip().replace(" ", "")
    if not who:
        raise DomainError(E.PERSON, "请填写该人员的身份证号或手机号", field="who")
    if MOBILE_RE.match(who):
        found = list(Person.objects.filter(phone=who)[:2])
        if len(found) > 1:
            raise DomainError(E.PERSON, "该手机号登记在多人名下，请改用身份证号查找", field="who")
        person = found[0] if found else None
    else:
        person = talent_selectors.person_by_id_number(actor=actor, id_number=who)
    if person is None:
        raise DomainError(E.PERSON, "您的管理范围内没有这个身份证号或手机号的人员；新人员请在右侧录入", field="who")
    return person


def unregistered_holders(*, actor: Actor, within: Region) -> QuerySet[Person]:
    """The people of `within` who hold the INFO_OFFICER role (given in the people registry, or by its import) but have
    no 科普中国 account registered yet: the ones to register."""
    if not permissions.can_view(actor):
        return Person.objects.none()
    holders = PersonRole.unscoped.filter(kind=RoleKind.INFO_OFFICER, status=RoleStatus.ACTIVE).values("person_id")
    return (
        Person.objects.filter(within.subtree_q("region"), pk__in=holders, info_officer__isnull=True)
        .select_related("region__county", "organisation").order_by("region__code", "name", "pk")
    )  # fmt: skip
