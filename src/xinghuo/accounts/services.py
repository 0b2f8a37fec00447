"""Writes to accounts: creating users, granting and revoking roles, passwords, second factors, tokens.

Each function validates, owns its transaction and leaves its audit record in it."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from xinghuo.accounts.errors import AccountError
from xinghuo.accounts.models import APIToken, Membership, User, UserKind
from xinghuo.accounts.roles import ADMIN_ROLES, ALLOWED_KINDS, Role
from xinghuo.core import audit
from xinghuo.core.errors import DomainError
from xinghuo.core.models import AuditAction
from xinghuo.core.phones import MOBILE_RE
from xinghuo.organisations.models import Organisation

USERNAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{2,49}$")


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(AccountError.PASSWORD_WEAK, "".join(exc.messages), field="password") from exc


def _expire_password(user: User) -> None:
    """A temporary password: expired from the start, so that the user must choose their own at first sign-in."""
    user.password_changed_at = timezone.now() - timedelta(days=3650)


def user_create_staff(*, username: str, name: str, password: str, phone: str | None = None, temporary: bool = False) -> User:
    """A staff account; with `temporary` the password is expired at once and must be changed at first login."""
    username = (username or "").strip()
    if not USERNAME_RE.match(username):
        raise DomainError(AccountError.USERNAME_INVALID, "用户名须以字母开头，3–50 位字母、数字或 _ . -", field="username")
    if phone and not MOBILE_RE.match(phone):
        raise DomainError(AccountError.PHONE_INVALID, "手机号格式不正确", field="phone")
    user = User(username=username, name=(name or "").strip(), kind=UserKind.STAFF, phone=phone or None)
    _check_password(password, user)
    user.set_password(password)
    if temporary:
        _expire_password(user)
    try:
        with transaction.atomic():
            if User.objects.filter(username=username).exists():
                raise DomainError(AccountError.USERNAME_TAKEN, f"用户名“{username}”已被使用", field="username")
            user.save()
    except IntegrityError as exc:
        raise DomainError(AccountError.USERNAME_TAKEN, f"用户名“{username}”或手机号已被使用", field="username") from exc
    return user


def user_register_citizen(*, phone: str, password: str, name: str = "", consent_version: str = "") -> User:
    phone = (phone or "").strip()
    if not MOBILE_RE.match(phone):
        raise DomainError(AccountError.PHONE_INVALID, "请输入 11 位中国大陆手机号", field="phone")
    user = User(phone=phone, name=(name or "").strip(), kind=UserKind.CITIZEN)
    if consent_version:
        user.consent_version = consent_version
        user.consent_at = timezone.now()
    _check_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            if User.objects.filter(phone=phone).exists():
                raise DomainError(AccountError.PHONE_TAKEN, "该手机号已注册，请直接登录", field="phone")
            user.save()
    except IntegrityError as exc:
        raise DomainError(AccountError.PHONE_TAKEN, "该手机号已注册，请直接登录", field="phone") from exc
    return user


def password_change(*, user: User, old_password: str, new_password: str) -> User:
    if not user.check_password(old_password):
        raise DomainError(AccountError.PASSWORD_WRONG, "原密码不正确", field="old_password")
    if old_password == new_password:
        raise DomainError(AccountError.PASSWORD_REUSED, "新密码不能与原密码相同", field="new_password")
    _check_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password", "password_changed_at", "updated_at"])
        audit.record(AuditAction.PASSWORD_CHANGE, obj=user, user=user)
    return user


def password_reset_by_admin(*, user: User, new_password: str) -> User:
    """The system admin sets a temporary password; it is expired at once so the user must change it."""
    _check_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        _expire_password(user)
        user.save(update_fields=["password", "password_changed_at", "updated_at"])
    return user


def membership_grant(*, user: User, organisation: Organisation, role: str, granted_by: User | None = None) -> Membership:
    """Grant a role at an organisation. The user's row is locked first, so that two grants at once cannot
    both pass the separation-of-duties checks (三权分立)."""
    if role not in Role.values:
        raise DomainError(AccountError.ROLE_NOT_ALLOWED, f"未知角色“{role}”", field="role")
    if organisation.kind not in ALLOWED_KINDS[role]:
        raise DomainError(
            AccountError.ROLE_NOT_ALLOWED,
            f"“{Role(role).label}”不能授予在“{organisation.get_kind_display()}”类机构",
            field="role",
        )
    if user.kind != UserKind.STAFF:
        raise DomainError(
            AccountError.ROLE_NOT_ALLOWED, "角色只能授予工作人员账号（用户名登录、须动态口令），公众账号不能进入管理后台", field="role"
        )
    if granted_by is not None and granted_by.pk == user.pk:
        raise DomainError(AccountError.ADMIN_SELF_GRANT, "不能给自己授予角色，请由另一位系统管理员操作", field="role")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        held = set(Membership.objects.filter(user=user, is_active=True).values_list("role", flat=True))
        if role in ADMIN_ROLES and held & (set(ADMIN_ROLES) - {role}):
            raise DomainError(AccountError.ROLE_NOT_ALLOWED, "三权分立：同一账号只能担任一种管理员角色", field="role")
        if role in ADMIN_ROLES and held - set(ADMIN_ROLES):
            raise DomainError(AccountError.ROLE_NOT_ALLOWED, "三权分立：管理员账号不能同时担任业务角色，请为其另建账号", field="role")
        if role not in ADMIN_ROLES and held & set(ADMIN_ROLES):
            raise DomainError(AccountError.ROLE_NOT_ALLOWED, "三权分立：管理员账号不能担任业务角色，请为其另建账号", field="role")
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=organisation, role=role, defaults={"is_active": True}
        )
        if not created:
            if membership.is_active:
                raise DomainError(AccountError.ROLE_DUPLICATE, "该账号已有此角色", field="role")
            membership.is_active = True
            membership.save(update_fields=["is_active", "updated_at"])
        audit.record(
            AuditAction.ROLE_GRANT,
            obj=membership,
            changes={"role": [None, role], "organisation": [None, organisation.code], "user": [None, user.audit_label()]},
        )
    return membership


def membership_revoke(*, membership: Membership) -> Membership:
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if not membership.is_active:
            return membership
        membership.is_active = False
        membership.save(update_fields=["is_active", "updated_at"])
        for token in membership.tokens.filter(revoked_at__isnull=True):
            token_revoke(token=token)
        audit.record(
            AuditAction.ROLE_REVOKE,
            obj=membership,
            changes={"role": [membership.role, None], "organisation": [membership.organisation.code, None]},
        )
    return membership


def user_set_active(*, user: User, active: bool) -> User:
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active", "updated_at"])
    return user


def otp_device_create(*, user: User) -> TOTPDevice:
    """An unconfirmed TOTP device for enrolment; replaces any unconfirmed one."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="动态口令", confirmed=False)


def otp_device_confirm(*, device: TOTPDevice, token: str) -> TOTPDevice:
    if not device.verify_token((token or "").strip()):
        raise DomainError(AccountError.OTP_INVALID, "动态口令不正确，请核对手机上的 6 位数字", field="token")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(AuditAction.OTP_DEVICE, obj=device.user, user=device.user)
    return device


def token_issue(*, membership: Membership, name: str, days: int = 180) -> tuple[APIToken, str]:
    """Returns the token and its key; the key is shown once and only its hash is kept."""
    if not (name or "").strip():
        raise DomainError(AccountError.TOKEN_INVALID, "请填写令牌用途", field="name")
    if not 1 <= days <= 366:
        raise DomainError(AccountError.TOKEN_INVALID, "有效期应在 1 到 366 天之间", field="days")
    key = "xh_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = APIToken(
            membership=membership,
            name=name.strip(),
            prefix=key[:10],
            key_hash=APIToken.hash_key(key),
            expires_at=timezone.now() + timedelta(days=days),
        )
        token.save()
        audit.record(AuditAction.TOKEN_ISSUE, obj=token)
    return token, key


def token_revoke(*, token: APIToken) -> APIToken:
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit.record(AuditAction.TOKEN_REVOKE, obj=token)
    return token
