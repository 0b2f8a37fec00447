"""Venues (科普阵地): 星火科技馆, 星火科普服务站, 科普教育基地, 科技馆, 科普专家工作室, open laboratories and
enterprise exhibition halls — each with its operator, region, location (WGS-84), hours, audiences, and a
unified code and QR plaque (统一标识)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinghuo import search
from xinghuo.core.models import BaseManager, BaseModel
from xinghuo.core.scoping import scoped_manager


class VenueType(models.TextChoices):
    SPARK_HALL = "spark_hall", _("星火科技馆")
    SPARK_STATION = "spark_station", _("星火科普服务站")
    EDUCATION_BASE = "education_base", _("科普教育基地")
    SCIENCE_MUSEUM = "science_museum", _("科技馆")
    EXPERT_STUDIO = "expert_studio", _("科普专家工作室")
    OPEN_LAB = "open_lab", _("开放实验室")
    ENTERPRISE_HALL = "enterprise_hall", _("企业展厅")


#: The short code of each type in the unified venue code XH-<type>-<county>-<number>.
TYPE_CODES = {
    VenueType.SPARK_HALL: "KJG",
    VenueType.SPARK_STATION: "FWZ",
    VenueType.EDUCATION_BASE: "JD",
    VenueType.SCIENCE_MUSEUM: "KXG",
    VenueType.EXPERT_STUDIO: "GZS",
    VenueType.OPEN_LAB: "SYS",
    VenueType.ENTERPRISE_HALL: "ZT",
}

SUBTYPES: dict[str, list[tuple[str, str]]] = {
    VenueType.SPARK_HALL: [
        ("public_resource", "公共资源类"),
        ("new_technology", "新技术类"),
        ("enterprise", "企业类"),
        ("thematic", "主题（专题）类"),
    ],
    VenueType.SPARK_STATION: [
        ("party_service_center", "党群服务中心"),
        ("civilization_practice", "新时代文明实践中心（站）"),
        ("sci_tech_yard", "科技小院"),
    ],
    VenueType.SCIENCE_MUSEUM: [("city", "市级科技馆"), ("county", "县级科技馆")],
}
SUBTYPE_LABELS = {key: label for pairs in SUBTYPES.values() for key, label in pairs}


class Audience(models.TextChoices):
    YOUTH = "youth", _("青少年")
    FARMERS = "farmers", _("农民")
    WORKERS = "workers", _("产业工人")
    ELDERLY = "elderly", _("老年人")
    OFFICIALS = "officials", _("领导干部和公务员")
    PUBLIC = "public", _("公众")


class VenueStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REGISTERED = "registered", _("已登记")  # listed on the map without a certification (museums, labs, studios)
    CERTIFIED = "certified", _("已认定")
    WARNED = "warned", _("复核警示")
    REVOKED = "revoked", _("已摘牌")
    CLOSED = "closed", _("已关闭")


PUBLIC_STATUSES = (VenueStatus.REGISTERED, VenueStatus.CERTIFIED, VenueStatus.WARNED)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_LABELS = dict(zip(WEEKDAYS, ("周一", "周二", "周三", "周四", "周五", "周六", "周日"), strict=True))


class Venue(BaseModel):
    code = models.CharField(_("统一编号"), max_length=30, unique=True, null=True, blank=True)
    name = models.CharField(_("名称"), max_length=120)
    venue_type = models.CharField(_("类型"), max_length=20, choices=VenueType.choices, db_index=True)
    subtype = models.CharField(_("细分类型"), max_length=30, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=VenueStatus.choices, default=VenueStatus.DRAFT, db_index=True)
    operator = models.ForeignKey("organisations.Organisation", models.PROTECT, related_name="venues", verbose_name=_("运营单位"))
    region = models.ForeignKey("regions.Region", models.PROTECT, related_name="venues", verbose_name=_("所在区划"))
    address = models.CharField(_("地址"), max_length=200)
    lat = models.FloatField(_("纬度（WGS-84）"), validators=[MinValueValidator(3.0), MaxValueValidator(54.0)])
    lon = models.FloatField(_("经度（WGS-84）"), validators=[MinValueValidator(73.0), MaxValueValidator(136.0)])
    opening_hours = models.JSONField(_("开放时间"), default=dict, blank=True, help_text=_('每周开放时段，如 {"mon": [["09:00", "17:00"]]}'))
    closed_dates = models.JSONField(_("闭馆日期"), default=list, blank=True)
    capacity = models.PositiveIntegerField(_("同时接待人数"), default=0)
    area_sqm = models.PositiveIntegerField(_("面积（平方米）"), default=0)
    facilities = models.TextField(_("设施与展品"), blank=True)
    # ",youth,public," — a delimited text rather than JSON so that "serves youth" filters alike on SQLite and PostgreSQL
    audience_codes = models.CharField(_("服务对象"), max_length=120, blank=True, default="")
    summary = models.TextField(_("简介"), blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    certified_at = models.DateTimeField(_("认定时间"), null=True, blank=True)
    # The full-text index of name, address and summary (xinghuo.search): PostgreSQL's; empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = scoped_manager(region="region", organisation="operator")
    unscoped = BaseManager()

    personal_fields = {"contact_phone": "phone"}
    audit_exclude = (*BaseModel.audit_exclude, "search_vector")  # derived from audited fields

    class Meta:
        ordering = ["code", "name"]
        verbose_name = _("科普阵地")
        verbose_name_plural = _("科普阵地")
        indexes = [
            models.Index(fields=["status", "venue_type"], name="venue_status_type_idx"),
            models.Index(fields=["lat", "lon"], name="venue_location_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(lat__gte=3.0) & Q(lat__lte=54.0), name="venue_lat_in_china"),
            models.CheckConstraint(condition=Q(lon__gte=73.0) & Q(lon__lte=136.0), name="venue_lon_in_china"),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_name(self) -> str:
        return f"{self.code or '未编号'} {self.name}"

    @property
    def subtype_label(self) -> str:
        return SUBTYPE_LABELS.get(self.subtype, "")

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def audiences(self) -> list[str]:
        return [a for a in self.audience_codes.split(",") if a]

    @audiences.setter
    def audiences(self, values: list[str]) -> None:
        self.audience_codes = f",{','.join(values)}," if values else ""

    def audience_labels(self) -> list[str]:
        labels = dict(Audience.choices)
        return [str(labels.get(a, a)) for a in self.audiences]

    def is_open_at(self, moment: datetime) -> bool:
        """Open at this local time, by the weekly pattern and the closed dates."""
        if moment.date().isoformat() in set(self.closed_dates or []):
            return False
        day = WEEKDAYS[moment.weekday()]
        now = moment.time()
        return any(time.fromisoformat(start) <= now < time.fromisoformat(end) for start, end in (self.opening_hours or {}).get(day, []))

    def hours_rows(self) -> list[tuple[str, str]]:
        rows = []
        for day in WEEKDAYS:
            spans = (self.opening_hours or {}).get(day, [])
            rows.append((WEEKDAY_LABELS[day], "、".join(f"{a}–{b}" for a, b in spans) if spans else "闭馆"))
        return rows

    def upcoming_closed_dates(self, today: date) -> list[str]:
        return sorted(d for d in (self.closed_dates or []) if d >= today.isoformat())[:10]


# The name first (and its pinyin: `taishan`, `kjg`), then the summary, then the address.
search.register(Venue, title=("name",), summary=("summary",), body=("address",))


class VenuePhoto(BaseModel):
    """A photo of a venue, shown on its public page (re-encoded on upload: no metadata, at most 1600 px)."""

    venue = models.ForeignKey(Venue, models.CASCADE, related_name="photos", verbose_name=_("场馆"))
    image = models.ImageField(_("照片"), upload_to="venues/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    objects = scoped_manager(region="venue__region", organisation="venue__operator")
    unscoped = BaseManager()

    class Meta:
        ordering = ["venue", "order", "created_at"]
        verbose_name = _("场馆照片")
        verbose_name_plural = _("场馆照片")

    def __str__(self) -> str:
        return self.caption or f"{self.venue} 照片"

    def audit_name(self) -> str:
        return f"照片 {self.venue.name}"


class VenueCodeCounter(models.Model):
    """The last number issued per (type code, county code): numbers are never reused."""

    prefix = models.CharField(max_length=20, unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["prefix"]


class VisitSlot(BaseModel):
    """An open-day or visit time slot (开放日、预约参观) with a capacity that is never exceeded."""

    venue = models.ForeignKey(Venue, models.CASCADE, related_name="slots", verbose_name=_("场馆"))
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveIntegerField(_("名额"))
    booked = models.PositiveIntegerField(_("已约人数"), default=0)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    is_open = models.BooleanField(_("开放预约"), default=True)

    objects = scoped_manager(region="venue__region", organisation="venue__operator")
    unscoped = BaseManager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("参观时段")
        verbose_name_plural = _("参观时段")
        constraints = [
            models.CheckConstraint(condition=Q(booked__lte=models.F("capacity")), name="slot_never_overbooked"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"),
            models.UniqueConstraint(fields=["venue", "starts_at"], name="slot_unique_start_per_venue"),
        ]

    def __str__(self) -> str:
        return f"{self.venue} {self.starts_at:%Y-%m-%d %H:%M}"

    def audit_name(self) -> str:
        return f"{self.venue.code} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def remaining(self) -> int:
        return max(self.capacity - self.booked, 0)


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("已预约")
    CONFIRMED = "confirmed", _("已确认")
    CANCELLED = "cancelled", _("已取消")
    ATTENDED = "attended", _("已到场")
    NO_SHOW = "no_show", _("未到场")


HOLDING_STATUSES = (BookingStatus.BOOKED, BookingStatus.CONFIRMED, BookingStatus.ATTENDED)


class Booking(BaseModel):
    slot = models.ForeignKey(VisitSlot, models.PROTECT, related_name="bookings", verbose_name=_("时段"))
    user = models.ForeignKey("accounts.User", models.PROTECT, related_name="visit_bookings", verbose_name=_("预约人"))
    party_size = models.PositiveIntegerField(_("人数"), default=1)
    is_group = models.BooleanField(_("团体（学校）"), default=False)
    group_name = models.CharField(_("团体名称"), max_length=100, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    status = models.CharField(_("状态"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.BOOKED, db_index=True)

    objects = scoped_manager(region="slot__venue__region", organisation="slot__venue__operator")
    unscoped = BaseManager()

    personal_fields = {"contact_phone": "phone"}

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("参观预约")
        verbose_name_plural = _("参观预约")
        constraints = [
            models.CheckConstraint(condition=Q(party_size__gte=1), name="booking_party_at_least_one"),
            models.UniqueConstraint(
                fields=["slot", "user"], condition=Q(status__in=["booked", "confirmed", "attended"]), name="booking_one_per_user_per_slot"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slot} × {self.party_size}"

    def audit_name(self) -> str:
        return f"预约 {self.slot.venue.code} {self.party_size} 人"
