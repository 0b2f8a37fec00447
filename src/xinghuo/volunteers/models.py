"""Science volunteers (科技志愿者): their teams, the hours they serve, the stars those hours earn, and certificates.

A volunteer is a person of the registry (talent.Person) who holds the active volunteer role. They join teams
(`Team`, 志愿服务队, each under an organisation; at most `MAX_TEAMS` at once) and serve — at an activity, or in a
team's own service. Each service is a `ServiceRecord` kept by the one organisation the rule names: 谁组织谁记录，
谁记录谁证明 — the organiser of the activity (or the team's organisation) enters the record and confirms it; only
confirmed hours count. `VolunteerHours` keeps each volunteer's confirmed total, changed in the transaction that
confirms a record, so that star levels are computed from 20,000 rows rather than a million.

Star levels (星级) follow the cumulative confirmed hours (`STAR_HOURS`). A star is awarded only after a public notice
(公示) of at least `NOTICE_WORKING_DAYS` working days without an upheld objection: a `StarAward` is noticed, then
awarded — or withdrawn when an objection is upheld. Certificates (`Certificate`) — of service over a period, or of a
star — carry an unguessable number that a public page verifies."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinghuo.core.masking import mask_name
from xinghuo.core.models import BaseManager, BaseModel
from xinghuo.core.scoping import scoped_manager

#: how many teams a volunteer may belong to at once
MAX_TEAMS = 5
#: the most hours one volunteer may be credited with on one day (and on one record)
DAY_HOURS = Decimal(24)
#: the cumulative confirmed hours each star level needs
STAR_HOURS: dict[int, Decimal] = {1: Decimal(100), 2: Decimal(300), 3: Decimal(600), 4: Decimal(1000), 5: Decimal(1500)}
#: a star's public notice lasts at least this many working days (core.workdays)
NOTICE_WORKING_DAYS = 5


def star_for(hours: Decimal) -> int:
    """The highest level these cumulative hours reach (0: none yet)."""
    return max((level for level, needed in STAR_HOURS.items() if hours >= needed), default=0)


class Team(BaseModel):
    """A volunteer service team (志愿服务队) under an organisation: seen by that organisation and the staff whose
    region holds it."""

    name = models.CharField(_("服务队名称"), max_length=100)
    organisation = models.ForeignKey(
        "organisations.Organisation", models.PROTECT, related_name="volunteer_teams", verbose_name=_("所属单位")
    )
    description = models.TextField(_("简介"), blank=True)
    is_active = models.BooleanField(_("在用"), default=True)

    objects = scoped_manager(region="organisation__region", organisation="organisation")
    unscoped = BaseManager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("志愿服务队")
        verbose_name_plural = _("志愿服务队")
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="volunteer_team_name_once_per_organisation")]

    def __str__(self) -> str:
        return self.name

    def audit_name(self) -> str:
        return f"志愿服务队 {self.name}"


class TeamMembership(BaseModel):
    """A volunteer in a team. Leaving deletes the row (the audit trail keeps it); `MAX_TEAMS` is checked under the
    person's row lock (volunteers.services.member_add)."""

    team = models.ForeignKey(Team, models.CASCADE, related_name="memberships", verbose_name=_("服务队"))
    person = models.ForeignKey("talent.Person", models.PROTECT, related_name="volunteer_memberships", verbose_name=_("志愿者"))
    joined_on = models.DateField(_("加入日期"))

    objects = scoped_manager(region="team__organisation__region", organisation="team__organisation")
    unscoped = BaseManager()

    class Meta:
        ordering = ["team", "person"]
        verbose_name = _("服务队成员")
        verbose_name_plural = _("服务队成员")
        constraints = [models.UniqueConstraint(fields=["team", "person"], name="volunteer_member_once_per_team")]

    def __str__(self) -> str:
        return f"{self.team.name}·{self.person.name}"

    def audit_name(self) -> str:
        return f"服务队成员 {self.person.name}"


class RecordStatus(models.TextChoices):
    ENTERED = "entered", _("待确认")
    CONFIRMED = "confirmed", _("已确认")


class RecordSource(models.TextChoices):
    FORM = "form", _("逐条录入")
    EXCEL = "excel", _("Excel 导入")


class ServiceRecord(BaseModel):
    """One volunteer's service on one day: entered, then confirmed, by the organisation that organised it.

    Scoped by the volunteer's region (a county sees its own people's records) and by the recording organisation
    (an organiser sees the records it keeps); the recorder's own list adds the records it keeps of other
    counties' volunteers (volunteers.selectors)."""

    volunteer = models.ForeignKey("talent.Person", models.PROTECT, related_name="service_records", verbose_name=_("志愿者"))
    date = models.DateField(_("服务日期"))
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=4, decimal_places=1)
    content = models.CharField(_("服务内容"), max_length=200)
    activity = models.ForeignKey(
        "activities.Activity", models.PROTECT, null=True, blank=True, related_name="service_records", verbose_name=_("所在活动")
    )
    team = models.ForeignKey(Team, models.PROTECT, null=True, blank=True, related_name="service_records", verbose_name=_("服务队"))
    organisation = models.ForeignKey(
        "organisations.Organisation", models.PROTECT, related_name="volunteer_records", verbose_name=_("记录单位")
    )
    status = models.CharField(_("状态"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.ENTERED)
    source = models.CharField(_("来源"), max_length=10, choices=RecordSource.choices, default=RecordSource.FORM)
    entered_by = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("录入人"))
    confirmed_by = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("确认人"))
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    objects = scoped_manager(region="volunteer__region", organisation="organisation")
    unscoped = BaseManager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("志愿服务记录")
        verbose_name_plural = _("志愿服务记录")
        indexes = [
            models.Index(fields=["volunteer", "date"], name="volunteer_record_person_day"),
            models.Index(fields=["organisation", "status", "date"], name="volunteer_record_recorder"),
            # the lists' order: the newest 50 of a million are read off it (2 s → 25 ms for the city's first page)
            models.Index(fields=["-date", "-id"], name="volunteer_record_recent"),
            # the dashboard's hours and active volunteers of a year, read off the index alone (PostgreSQL): a city's
            # year of a million records, 570 → 300 ms for the two queries of volunteer_hours
            models.Index(
                fields=["volunteer", "date"], include=["hours"], condition=Q(status="confirmed"), name="volunteer_record_confirmed"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24), name="volunteer_record_hours_in_a_day"),
            models.CheckConstraint(condition=Q(activity__isnull=False) | Q(team__isnull=False), name="volunteer_record_activity_or_team"),
            models.CheckConstraint(
                condition=(Q(status="confirmed") & Q(confirmed_at__isnull=False)) | (Q(status="entered") & Q(confirmed_at__isnull=True)),
                name="volunteer_record_confirmed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer.name} {self.date} {self.hours}h"

    def audit_name(self) -> str:
        return f"服务记录 {self.volunteer.name} {self.date} {self.hours} 小时"

    @property
    def is_confirmed(self) -> bool:
        return self.status == RecordStatus.CONFIRMED


class VolunteerHours(BaseModel):
    """A volunteer's confirmed hours so far: the sum of their confirmed records, kept by the services that confirm
    (in the same transaction, under the person's row lock)."""

    person = models.OneToOneField("talent.Person", models.CASCADE, related_name="volunteer_hours", verbose_name=_("志愿者"))
    confirmed_hours = models.DecimalField(_("累计确认时长"), max_digits=9, decimal_places=1, default=Decimal(0))
    records = models.PositiveIntegerField(_("确认记录数"), default=0)

    objects = scoped_manager(region="person__region", organisation="person__organisation")
    unscoped = BaseManager()

    class Meta:
        ordering = ["person"]
        verbose_name = _("志愿服务时长")
        verbose_name_plural = _("志愿服务时长")
        constraints = [models.CheckConstraint(condition=Q(confirmed_hours__gte=0), name="volunteer_hours_not_negative")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.confirmed_hours}"

    def audit_name(self) -> str:
        return f"志愿服务时长 {self.person.name}"

    @property
    def star(self) -> int:
        return star_for(self.confirmed_hours)


class AwardStatus(models.TextChoices):
    NOTICED = "noticed", _("公示中")
    AWARDED = "awarded", _("已授予")
    WITHDRAWN = "withdrawn", _("已撤销")


class StarAward(BaseModel):
    """A star level for a volunteer: in public notice from `notice_starts` to the end of `notice_ends` (the
    NOTICE_WORKING_DAYS-th working day), then awarded — or withdrawn when an objection is upheld."""

    person = models.ForeignKey("talent.Person", models.PROTECT, related_name="star_awards", verbose_name=_("志愿者"))
    level = models.PositiveSmallIntegerField(_("星级"))
    hours = models.DecimalField(_("公示时累计时长"), max_digits=9, decimal_places=1)
    teams = models.CharField(_("所在服务队"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=AwardStatus.choices, default=AwardStatus.NOTICED, db_index=True)
    notice_starts = models.DateField(_("公示开始"))
    notice_ends = models.DateField(_("公示截止"))
    awarded_on = models.DateField(_("授予日期"), null=True, blank=True)
    withdrawn_on = models.DateField(_("撤销日期"), null=True, blank=True)
    withdraw_reason = models.CharField(_("撤销理由"), max_length=300, blank=True)

    objects = scoped_manager(region="person__region", organisation="person__organisation")
    unscoped = BaseManager()

    class Meta:
        ordering = ["-notice_starts", "person", "level"]
        verbose_name = _("星级评定")
        verbose_name_plural = _("星级评定")
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1) & Q(level__lte=5), name="volunteer_star_level_1_to_5"),
            models.CheckConstraint(condition=Q(notice_ends__gte=models.F("notice_starts")), name="volunteer_star_notice_ordered"),
            models.UniqueConstraint(
                fields=["person", "level"], condition=Q(status__in=["noticed", "awarded"]), name="volunteer_star_level_once"
            ),
            models.CheckConstraint(condition=~Q(status="awarded") | Q(awarded_on__isnull=False), name="volunteer_star_awarded_has_date"),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(withdrawn_on__isnull=False), name="volunteer_star_withdrawn_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.level}★"

    def audit_name(self) -> str:
        return f"{self.level} 星志愿者 {self.person.name}"

    @property
    def stars(self) -> str:
        return "★" * self.level


class ObjectionChannel(models.TextChoices):
    PHONE = "phone", _("电话")
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    EMAIL = "email", _("电子邮件")


class StarObjection(BaseModel):
    """An objection to a star in public notice, recorded by city staff from a call, letter, visit or mail, and
    decided: upheld (the star is withdrawn) or not, with the answer given."""

    award = models.ForeignKey(StarAward, models.CASCADE, related_name="objections", verbose_name=_("星级评定"))
    content = models.TextField(_("异议内容"))
    channel = models.CharField(_("渠道"), max_length=10, choices=ObjectionChannel.choices)
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    received_on = models.DateField(_("收到日期"))
    recorded_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+", verbose_name=_("登记人"))
    upheld = models.BooleanField(_("异议成立"), null=True, blank=True)
    answer = models.TextField(_("核实与答复"), blank=True)
    decided_by = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("处理人"))
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    objects = scoped_manager(region="award__person__region", organisation="award__person__organisation")
    unscoped = BaseManager()

    personal_fields = {"contact_phone": "phone", "contact_name": "name"}

    class Meta:
        ordering = ["award", "received_on", "id"]
        verbose_name = _("星级公示异议")
        verbose_name_plural = _("星级公示异议")
        constraints = [
            models.CheckConstraint(
                condition=(Q(upheld__isnull=True) & Q(decided_at__isnull=True)) | (Q(upheld__isnull=False) & Q(decided_at__isnull=False)),
                name="volunteer_objection_decided_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.award} 异议"

    def audit_name(self) -> str:
        return f"星级公示异议 {self.award.person.name}"


class CertificateKind(models.TextChoices):
    SERVICE = "service", _("志愿服务证明")
    STAR = "star", _("星级志愿者证书")


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("有效")
    REVOKED = "revoked", _("已作废")


class Certificate(BaseModel):
    """A certificate as issued: what it says is kept on the row (a later correction of the records does not change a
    paper already handed out; it is revoked and a new one issued). `number` is random and unguessable; the public
    verify page finds a certificate by it and nothing else."""

    number = models.CharField(_("证书编号"), max_length=32, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=CertificateKind.choices)
    person = models.ForeignKey("talent.Person", models.PROTECT, related_name="volunteer_certificates", verbose_name=_("志愿者"))
    name = models.CharField(_("姓名"), max_length=50)
    award = models.OneToOneField(StarAward, models.PROTECT, null=True, blank=True, related_name="certificate", verbose_name=_("星级评定"))
    level = models.PositiveSmallIntegerField(_("星级"), null=True, blank=True)
    period_start = models.DateField(_("起始日期"), null=True, blank=True)
    period_end = models.DateField(_("截止日期"), null=True, blank=True)
    hours = models.DecimalField(_("服务时长"), max_digits=9, decimal_places=1)
    records = models.PositiveIntegerField(_("服务记录数"), default=0)
    issued_on = models.DateField(_("签发日期"))
    issued_by = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("签发人"))
    issuer = models.CharField(_("签发单位"), max_length=120)
    status = models.CharField(_("状态"), max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.VALID)
    revoked_on = models.DateField(_("作废日期"), null=True, blank=True)
    revoke_reason = models.CharField(_("作废理由"), max_length=300, blank=True)

    objects = scoped_manager(region="person__region", organisation="person__organisation")
    unscoped = BaseManager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("志愿服务证书")
        verbose_name_plural = _("志愿服务证书")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="star") & Q(award__isnull=False) & Q(level__isnull=False))
                | (Q(kind="service") & Q(period_start__isnull=False) & Q(period_end__isnull=False)),
                name="volunteer_certificate_kind_complete",
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | Q(revoked_on__isnull=False), name="volunteer_certificate_revoked_has_date"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def audit_name(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def name_shown(self) -> str:
        """What the public verify page shows of the holder's name."""
        return mask_name(self.name)

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.VALID


class CommendationRule(BaseModel):
    """A rule of the city's commendation scheme (嘉许激励): who served at least `min_year_hours` confirmed hours in a
    calendar year is commended under its name (年度优秀志愿者). The city's reference data."""

    name = models.CharField(_("嘉许名称"), max_length=60, unique=True)
    min_year_hours = models.DecimalField(_("年度服务时长不少于（小时）"), max_digits=6, decimal_places=1)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)

    objects = BaseManager()

    class Meta:
        ordering = ["-min_year_hours", "name"]
        verbose_name = _("嘉许规则")
        verbose_name_plural = _("嘉许规则")
        constraints = [models.CheckConstraint(condition=Q(min_year_hours__gt=0), name="volunteer_commendation_rule_hours_positive")]

    def __str__(self) -> str:
        return self.name

    def audit_name(self) -> str:
        return f"嘉许规则 {self.name}"


class Commendation(BaseModel):
    """A volunteer commended under a rule for a year, with the confirmed hours of that year that earned it."""

    rule = models.ForeignKey(CommendationRule, models.PROTECT, related_name="commendations", verbose_name=_("嘉许规则"))
    person = models.ForeignKey("talent.Person", models.PROTECT, related_name="volunteer_commendations", verbose_name=_("志愿者"))
    year = models.PositiveSmallIntegerField(_("年度"))
    hours = models.DecimalField(_("年度服务时长"), max_digits=7, decimal_places=1)
    granted_on = models.DateField(_("嘉许日期"))
    granted_by = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("办理人"))

    objects = scoped_manager(region="person__region", organisation="person__organisation")
    unscoped = BaseManager()

    class Meta:
        ordering = ["-year", "rule", "-hours", "id"]
        verbose_name = _("志愿服务嘉许")
        verbose_name_plural = _("志愿服务嘉许")
        constraints = [models.UniqueConstraint(fields=["rule", "person", "year"], name="volunteer_commendation_once_a_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.rule.name} {self.person.name}"

    def audit_name(self) -> str:
        return f"{self.year}年{self.rule.name} {self.person.name}"
