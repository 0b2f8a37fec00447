"""Research-tour routes (科普欢乐游研学线路): ordered venues on a line that a school books as a whole; and the TAI科
science points (TAI科科普点) along Mount Tai's trails, each with its own code and QR code for tourists."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinghuo.core.models import BaseManager, BaseModel
from xinghuo.core.scoping import scoped_manager
from xinghuo.venues.models import Audience

MAX_STOPS = 12
MAX_PARTY = 200
MAX_GROUPS_PER_DAY = 50


class RouteStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class Route(BaseModel):
    slug = models.SlugField(
        _("网址简称"), max_length=60, unique=True, null=True, blank=True, help_text=_("英文字母、数字和连字符，如 taishan-geology")
    )
    name = models.CharField(_("线路名称"), max_length=120)
    summary = models.TextField(_("简介"), blank=True)
    operator = models.ForeignKey("organisations.Organisation", models.PROTECT, related_name="tour_routes", verbose_name=_("运营单位"))
    region = models.ForeignKey("regions.Region", models.PROTECT, related_name="tour_routes", verbose_name=_("所属区划"))
    # ",youth,public," — the same delimited text as Venue.audience_codes
    audience_codes = models.CharField(_("服务对象"), max_length=120, blank=True, default="")
    group_min = models.PositiveIntegerField(_("建议团队人数（下限）"), default=20)
    group_max = models.PositiveIntegerField(_("建议团队人数（上限）"), default=50)
    max_groups_per_day = models.PositiveIntegerField(
        _("每日接待团队数"), default=2, validators=[MinValueValidator(1), MaxValueValidator(MAX_GROUPS_PER_DAY)]
    )
    status = models.CharField(_("状态"), max_length=12, choices=RouteStatus.choices, default=RouteStatus.DRAFT, db_index=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    objects = scoped_manager(region="region", organisation="operator")
    unscoped = BaseManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("研学线路")
        verbose_name_plural = _("研学线路")
        constraints = [
            models.CheckConstraint(condition=Q(group_min__gte=1) & Q(group_max__gte=models.F("group_min")), name="route_group_size_range"),
            models.CheckConstraint(condition=Q(group_max__lte=MAX_PARTY), name="route_group_at_most_max_party"),
            models.CheckConstraint(
                condition=Q(max_groups_per_day__gte=1) & Q(max_groups_per_day__lte=MAX_GROUPS_PER_DAY), name="route_groups_per_day_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_name(self) -> str:
        return self.name

    @property
    def key(self) -> str:
        """What the public address uses: the slug when there is one, else the UUID."""
        return self.slug or str(self.uid)

    @property
    def audiences(self) -> list[str]:
        return [a for a in self.audience_codes.split(",") if a]

    @audiences.setter
    def audiences(self, values: list[str]) -> None:
        self.audience_codes = f",{','.join(values)}," if values else ""

    def audience_labels(self) -> list[str]:
        labels = dict(Audience.choices)
        return [str(labels.get(a, a)) for a in self.audiences]

    @property
    def is_published(self) -> bool:
        return self.status == RouteStatus.PUBLISHED

    def total_minutes(self) -> int:
        """The stops' durations added up (from the prefetched stops when there are)."""
        prefetched = getattr(self, "_prefetched_objects_cache", {})
        if "stops" in prefetched:
            return sum(stop.minutes for stop in prefetched["stops"])
        return sum(RouteStop.unscoped.filter(route=self).values_list("minutes", flat=True))


def duration_label(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} 分钟"
    return f"{hours} 小时" + (f" {rest} 分钟" if rest else "")


class RouteStop(BaseModel):
    route = models.ForeignKey(Route, models.CASCADE, related_name="stops", verbose_name=_("线路"))
    position = models.PositiveSmallIntegerField(_("顺序"))
    venue = models.ForeignKey("venues.Venue", models.PROTECT, related_name="tour_stops", verbose_name=_("场馆"))
    minutes = models.PositiveIntegerField(_("停留时长（分钟）"), validators=[MinValueValidator(5), MaxValueValidator(600)])
    notes = models.CharField(_("说明"), max_length=300, blank=True)

    objects = scoped_manager(region="route__region", organisation="route__operator")
    unscoped = BaseManager()

    class Meta:
        ordering = ["route", "position"]
        verbose_name = _("线路站点")
        verbose_name_plural = _("线路站点")
        constraints = [
            models.UniqueConstraint(fields=["route", "position"], name="route_stop_unique_position"),
            models.UniqueConstraint(fields=["route", "venue"], name="route_stop_venue_once"),
            models.CheckConstraint(condition=Q(position__gte=1), name="route_stop_position_from_one"),
            models.CheckConstraint(condition=Q(minutes__gte=5) & Q(minutes__lte=600), name="route_stop_minutes_range"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.venue}"

    def audit_name(self) -> str:
        return f"{self.route.name} 第 {self.position} 站"


class RouteBookingStatus(models.TextChoices):
    BOOKED = "booked", _("已预约")
    CONFIRMED = "confirmed", _("已确认")
    CANCELLED = "cancelled", _("已取消")
    COMPLETED = "completed", _("已完成")


#: Bookings that take one of a day's group places.
HOLDING_STATUSES = (RouteBookingStatus.BOOKED, RouteBookingStatus.CONFIRMED, RouteBookingStatus.COMPLETED)


class RouteBooking(BaseModel):
    """A school (or another group) books a whole route for one day."""

    route = models.ForeignKey(Route, models.PROTECT, related_name="bookings", verbose_name=_("线路"))
    date = models.DateField(_("研学日期"), db_index=True)
    user = models.ForeignKey("accounts.User", models.PROTECT, related_name="tour_bookings", verbose_name=_("预约人"))
    group_name = models.CharField(_("学校或团体名称"), max_length=100)
    party_size = models.PositiveIntegerField(_("人数"))
    contact_name = models.CharField(_("带队老师"), max_length=50)
    contact_phone = models.CharField(_("老师电话"), max_length=20)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=RouteBookingStatus.choices, default=RouteBookingStatus.BOOKED, db_index=True
    )

    objects = scoped_manager(region="route__region", organisation="route__operator")
    unscoped = BaseManager()

    personal_fields = {"contact_phone": "phone"}

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("研学线路预约")
        verbose_name_plural = _("研学线路预约")
        indexes = [models.Index(fields=["route", "date", "status"], name="route_booking_day_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(party_size__gte=1) & Q(party_size__lte=MAX_PARTY), name="route_booking_party_range"),
        ]

    def __str__(self) -> str:
        return f"{self.route} {self.date} {self.group_name}"

    def audit_name(self) -> str:
        return f"研学预约 {self.route.name} {self.date} {self.group_name}"


# --- TAI科 ---------------------------------------------------------------------------------------------------


class Trail(models.TextChoices):
    CENTRAL = "central", _("红门—中天门—南天门（中路）")
    TIANWAI = "tianwai", _("天外村路线")
    TAOHUAYU = "taohuayu", _("桃花峪路线")
    TIANZHU = "tianzhu", _("天烛峰路线")


#: The short code of each trail in a point's code TAI-<trail>-<number>.
TRAIL_CODES = {Trail.CENTRAL: "ZL", Trail.TIANWAI: "TW", Trail.TAOHUAYU: "TH", Trail.TIANZHU: "TZ"}


class Theme(models.TextChoices):
    GEOLOGY = "geology", _("地质")
    ECOLOGY = "ecology", _("生态")
    ASTRONOMY = "astronomy", _("天文")
    HISTORY = "history", _("科技史")


class TaiPoint(BaseModel):
    """A TAI科 science point on a trail of Mount Tai."""

    code = models.CharField(_("编号"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=80)
    trail = models.CharField(_("登山线路"), max_length=12, choices=Trail.choices, db_index=True)
    position = models.PositiveSmallIntegerField(_("沿线顺序"))
    theme = models.CharField(_("主题"), max_length=12, choices=Theme.choices)
    body = models.TextField(_("科普解说"))
    # Checked and re-encoded on upload (core.images); served by the platform at tai/<code>/picture.jpg.
    picture = models.ImageField(_("图片"), upload_to="tai/", blank=True)
    picture_caption = models.CharField(_("图片说明"), max_length=120, blank=True)
    lat = models.FloatField(_("纬度（WGS-84）"), validators=[MinValueValidator(3.0), MaxValueValidator(54.0)])
    lon = models.FloatField(_("经度（WGS-84）"), validators=[MinValueValidator(73.0), MaxValueValidator(136.0)])
    elevation_m = models.PositiveIntegerField(_("海拔（米）"), null=True, blank=True)
    region = models.ForeignKey("regions.Region", models.PROTECT, related_name="tai_points", verbose_name=_("所在区划"))
    owner = models.ForeignKey("organisations.Organisation", models.PROTECT, related_name="tai_points", verbose_name=_("维护单位"))
    is_published = models.BooleanField(_("向游客公开"), default=False)

    objects = scoped_manager(region="region", organisation="owner")
    unscoped = BaseManager()

    class Meta:
        ordering = ["trail", "position"]
        verbose_name = _("TAI科科普点")
        verbose_name_plural = _("TAI科科普点")
        constraints = [
            models.UniqueConstraint(fields=["trail", "position"], name="tai_point_unique_position_on_trail"),
            models.CheckConstraint(condition=Q(position__gte=1), name="tai_point_position_from_one"),
            models.CheckConstraint(condition=Q(lat__gte=3.0) & Q(lat__lte=54.0), name="tai_point_lat_in_china"),
            models.CheckConstraint(condition=Q(lon__gte=73.0) & Q(lon__lte=136.0), name="tai_point_lon_in_china"),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_name(self) -> str:
        return f"{self.code} {self.name}"
