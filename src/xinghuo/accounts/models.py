"""Accounts: one user model from the first migration (staff sign in by username, citizens by mobile
number), memberships (user × organisation × role) and API tokens for integrations."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinghuo.accounts.roles import Role
from xinghuo.core.masking import mask_phone
from xinghuo.core.models import BaseModel, BaseQuerySet


class UserKind(models.TextChoices):
    STAFF = "staff", _("工作人员")
    CITIZEN = "citizen", _("公众")


class UserManager(BaseUserManager.from_queryset(BaseQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def get_by_natural_key(self, username: str) -> User:
        return self.get(Q(username=username) | Q(phone=username))


class User(AbstractBaseUser, BaseModel):
    username = models.CharField(_("用户名"), max_length=50, unique=True, null=True, blank=True)
    phone = models.CharField(_("手机号"), max_length=11, unique=True, null=True, blank=True)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    kind = models.CharField(_("类型"), max_length=10, choices=UserKind.choices, default=UserKind.CITIZEN)
    is_active = models.BooleanField(_("启用"), default=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    consent_version = models.CharField(_("同意的个人信息保护说明版本"), max_length=20, blank=True)
    consent_at = models.DateTimeField(_("同意时间"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: list[str] = []

    personal_fields = {"phone": "phone"}
    secret_fields = ("password",)
    audit_exclude = ("created_at", "updated_at", "last_login")

    class Meta:
        ordering = ["username", "phone"]
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(condition=Q(username__isnull=False) | Q(phone__isnull=False), name="user_has_login_name"),
            models.CheckConstraint(condition=~Q(kind="staff") | Q(username__isnull=False), name="user_staff_has_username"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.username or mask_phone(self.phone)

    def audit_label(self) -> str:
        return self.username or mask_phone(self.phone)

    def audit_name(self) -> str:
        return f"用户 {self.audit_label()}"

    @property
    def is_staff_user(self) -> bool:
        return self.kind == UserKind.STAFF

    # Django admin asks these; the admin site itself checks the system-admin role (see core.admin).
    @property
    def is_staff(self) -> bool:
        return self.kind == UserKind.STAFF and self.memberships.filter(role=Role.SYSTEM_ADMIN, is_active=True).exists()

    is_superuser = False

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return False

    def has_module_perms(self, app_label: str) -> bool:
        return False

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def password_expired(self, max_age_days: int) -> bool:
        if self.kind != UserKind.STAFF:
            return False
        if self.password_changed_at is None:
            return True
        return (timezone.now() - self.password_changed_at).days >= max_age_days


class Membership(BaseModel):
    user = models.ForeignKey(User, models.CASCADE, related_name="memberships", verbose_name=_("用户"))
    organisation = models.ForeignKey("organisations.Organisation", models.PROTECT, related_name="memberships", verbose_name=_("机构"))
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("有效"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        ordering = ["user_id", "role"]
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}@{self.organisation}"

    def audit_name(self) -> str:
        return f"{self.user.audit_label()} {self.role}@{self.organisation.code}"


class APIToken(BaseModel):
    """A bearer token for an integration: shown once at issue, stored as a SHA-256 hash."""

    membership = models.ForeignKey(Membership, models.CASCADE, related_name="tokens", verbose_name=_("授权身份"))
    name = models.CharField(_("用途"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("到期时间"))
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    secret_fields = ("key_hash",)
    audit_exclude = ("created_at", "updated_at", "last_used_at")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now() and self.membership.is_active
