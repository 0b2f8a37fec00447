"""The people registry (人员库) of the science-popularisation workforce: one person, many roles.

A `Person` is entered once — by the staff of the county (or zone) where they live or work — with their personal
data handled as the law asks: the ID number encrypted at rest (core.crypto) and found again by its blind index,
phone and ID number masked wherever shown (core.masking), the consent they gave recorded with the very text they
were shown (`ConsentText`), and a guardian's name, phone and consent for a child under 14.

A `PersonRole` says what the person is for the association: an expert of the 泰山科普名家库, an influencer, a
promoter, a volunteer, an information officer, … — one row per kind, kept (inactive) when the role ends. Later
slices hang their data on it (the yearly expert list, a promoter's villages, a volunteer's hours)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinghuo.core.crypto import BlindIndexField, EncryptedTextField
from xinghuo.core.files import private_storage
from xinghuo.core.masking import mask_id_number, mask_phone
from xinghuo.core.models import BaseManager, BaseModel
from xinghuo.core.scoping import scoped_manager

#: Below this age a person is entered only with a guardian's name, phone and consent.
GUARDIAN_AGE = 14


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Expertise(models.TextChoices):
    """Fields of expertise (专业领域); stored as ",agriculture,health," so that one filter serves SQLite and PostgreSQL."""

    AGRICULTURE = "agriculture", _("农业")
    HEALTH = "health", _("医疗健康")
    NEW_TECH = "new_tech", _("新技术")
    ECOLOGY = "ecology", _("生态环境")
    SAFETY = "safety", _("应急安全")
    AEROSPACE = "aerospace", _("航空航天")
    IT = "it", _("信息技术")
    EDUCATION = "education", _("教育")
    OTHER = "other", _("其他")


class RoleKind(models.TextChoices):
    EXPERT = "expert", _("名家库专家")
    INFLUENCER = "influencer", _("科普网红达人")
    OUTSTANDING = "outstanding", _("优秀科普人物")
    PROMOTER = "promoter", _("星火科普宣传员")
    VOLUNTEER = "volunteer", _("科技志愿者")
    INFO_OFFICER = "info_officer", _("科普中国信息员")
    VICE_PRINCIPAL = "vice_principal", _("科技副校长")
    COUNSELLOR = "counsellor", _("科技辅导员")
    REVIEWER = "reviewer", _("评审专家")


class RoleStatus(models.TextChoices):
    ACTIVE = "active", _("在任")
    INACTIVE = "inactive", _("已停用")


def _codes(values: list[str]) -> str:
    return f",{','.join(values)}," if values else ""


class ConsentText(BaseModel):
    """The text a person (or their guardian) agreed to, kept word for word under its version: a changed text is a
    new version, and each person's consent points at the one they were shown."""

    version = models.CharField(_("版本"), max_length=20, unique=True)
    text = models.TextField(_("告知同意书"))

    objects = BaseManager()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("个人信息告知同意书")
        verbose_name_plural = _("个人信息告知同意书")

    def __str__(self) -> str:
        return self.version

    def audit_name(self) -> str:
        return f"告知同意书 {self.version}"


class Person(BaseModel):
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=6, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", models.PROTECT, null=True, blank=True, related_name="people", verbose_name=_("工作单位")
    )
    title = models.CharField(_("职称/职务"), max_length=100, blank=True)
    field_codes = models.CharField(_("专业领域"), max_length=200, blank=True, default="")
    region = models.ForeignKey("regions.Region", models.PROTECT, related_name="people", verbose_name=_("所在区划"))
    phone = models.CharField(_("手机号"), max_length=11, blank=True, db_index=True)
    id_number = EncryptedTextField(_("身份证号"), blank=True)
    id_number_index = BlindIndexField(source="id_number", verbose_name=_("身份证号索引"))
    photo = models.ImageField(_("照片"), upload_to="talent/%Y/%m/", storage=private_storage, blank=True)
    consent = models.ForeignKey(ConsentText, models.PROTECT, related_name="+", verbose_name=_("告知同意书"))
    consent_at = models.DateTimeField(_("同意时间"))
    guardian_name = models.CharField(_("监护人"), max_length=50, blank=True)
    guardian_phone = models.CharField(_("监护人电话"), max_length=11, blank=True)
    guardian_consent_at = models.DateTimeField(_("监护人同意时间"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)

    objects = scoped_manager(region="region", organisation="organisation")
    unscoped = BaseManager()

    personal_fields = {"phone": "phone", "id_number": "id_number", "guardian_phone": "phone", "guardian_name": "name"}
    # the blind index says nothing to a reader of the trail, but it is the ID number's stand-in: kept out like the key
    audit_exclude = ("created_at", "updated_at", "id_number_index")

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        indexes = [models.Index(fields=["name"], name="person_name_idx")]
        constraints = [
            models.UniqueConstraint(fields=["id_number_index"], name="person_unique_id_number"),
            models.CheckConstraint(condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1900), name="person_birth_year_plausible"),
            models.CheckConstraint(
                condition=Q(guardian_consent_at__isnull=True) | (~Q(guardian_name="") & ~Q(guardian_phone="")),
                name="person_guardian_consent_named",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_name(self) -> str:
        return f"人员 {self.name}"

    @classmethod
    def id_number_lookup(cls, id_number: str) -> Q:
        """The filter that finds a person by ID number, through the blind index (no row is decrypted)."""
        field = cls._meta.get_field("id_number_index")
        return Q(id_number_index=field.index_of(id_number))  # type: ignore[attr-defined]

    @property
    def fields(self) -> list[str]:
        return [f for f in self.field_codes.split(",") if f]

    @fields.setter
    def fields(self, values: list[str]) -> None:
        self.field_codes = _codes(list(dict.fromkeys(values)))

    def field_labels(self) -> list[str]:
        labels = dict(Expertise.choices)
        return [str(labels.get(f, f)) for f in self.fields]

    # What pages, exports and the API show: never the clear value (that is core.personal.reveal's, audited).
    @property
    def phone_shown(self) -> str:
        return mask_phone(self.phone)

    @property
    def id_number_shown(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def guardian_phone_shown(self) -> str:
        return mask_phone(self.guardian_phone)


class PersonRole(BaseModel):
    """One role of one person: since when, and whether it is held now (an ended role stays, inactive)."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="roles", verbose_name=_("人员"))
    kind = models.CharField(_("角色"), max_length=20, choices=RoleKind.choices)
    status = models.CharField(_("状态"), max_length=10, choices=RoleStatus.choices, default=RoleStatus.ACTIVE, db_index=True)
    since = models.DateField(_("起始日期"))
    ended_on = models.DateField(_("停用日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = scoped_manager(region="person__region", organisation="person__organisation")
    unscoped = BaseManager()

    class Meta:
        ordering = ["person", "kind"]
        verbose_name = _("人员角色")
        verbose_name_plural = _("人员角色")
        indexes = [models.Index(fields=["kind", "status"], name="person_role_kind_idx")]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="person_role_once_per_kind"),
            models.CheckConstraint(
                condition=(Q(status="active") & Q(ended_on__isnull=True)) | (Q(status="inactive") & Q(ended_on__isnull=False)),
                name="person_role_ended_when_inactive",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("since")), name="person_role_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name}·{self.get_kind_display()}"

    def audit_name(self) -> str:
        return f"{self.get_kind_display()} {self.person.name}"

    @property
    def is_active(self) -> bool:
        return self.status == RoleStatus.ACTIVE
