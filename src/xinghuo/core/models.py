"""The base every domain model stands on, and the append-only, hash-chained audit trail (see core.audit)."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class BulkWriteNotAudited(RuntimeError):
    """A bulk write on an audited model outside `audit.bulk_write(...)`: it would leave no trail."""


class BaseQuerySet(models.QuerySet):
    """Bulk writes skip save() and so the audit: allow them only inside an audited bulk block."""

    def update(self, **kwargs: Any) -> int:
        from xinghuo.core import audit

        if not audit.bulk_write_open():
            raise BulkWriteNotAudited(f"{self.model.__name__}.objects.update() outside audit.bulk_write()")
        return super().update(**kwargs)

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        from xinghuo.core import audit

        if not audit.bulk_write_open():
            raise BulkWriteNotAudited(f"{self.model.__name__}.objects.bulk_create() outside audit.bulk_write()")
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs: Any, fields: Any, *args: Any, **kwargs: Any) -> int:
        from xinghuo.core import audit

        if not audit.bulk_write_open():
            raise BulkWriteNotAudited(f"{self.model.__name__}.objects.bulk_update() outside audit.bulk_write()")
        return super().bulk_update(objs, fields, *args, **kwargs)


BaseManager = models.Manager.from_queryset(BaseQuerySet)


class BaseModel(models.Model):
    """created/updated times, a UUID for URLs, and an audit record for every create, update and delete.

    Subclasses declare which of their fields hold personal data (`personal_fields`: field -> masker name
    from core.masking) and which are secrets (`secret_fields`): the audit trail stores those masked.
    """

    uid = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = BaseManager()

    personal_fields: ClassVar[dict[str, str]] = {}
    secret_fields: ClassVar[tuple[str, ...]] = ()
    audit_exclude: ClassVar[tuple[str, ...]] = ("created_at", "updated_at")

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        from xinghuo.core import audit

        creating = self._state.adding
        before = getattr(self, "_audit_loaded", None)
        with transaction.atomic():
            super().save(*args, **kwargs)
            audit.record_model_save(self, created=creating, before=before, update_fields=kwargs.get("update_fields"))
        self._audit_loaded = self.audit_snapshot()

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Any:
        instance = super().from_db(db, field_names, values)
        instance._audit_loaded = dict(zip(field_names, values, strict=True))
        return instance

    def audit_snapshot(self) -> dict[str, Any]:
        return {f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields}


class AuditAction(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    BULK = "bulk", _("批量写入")
    LOGIN = "login", _("登录")
    LOGOUT = "logout", _("退出")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKOUT = "lockout", _("账户锁定")
    OTP_FAILED = "otp_failed", _("动态口令错误")
    OTP_DEVICE = "otp_device", _("绑定动态口令")
    PASSWORD_CHANGE = "password_change", _("修改密码")
    ROLE_GRANT = "role_grant", _("授予角色")
    ROLE_REVOKE = "role_revoke", _("撤销角色")
    ROLE_SWITCH = "role_switch", _("切换身份")
    EXPORT = "export", _("导出")
    IMPORT = "import", _("导入")
    VIEW_PERSONAL = "view_personal", _("查看个人信息明文")
    TOKEN_ISSUE = "token_issue", _("签发接口令牌")
    TOKEN_REVOKE = "token_revoke", _("吊销接口令牌")
    UNLOCK = "unlock", _("解除锁定")


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")
    DENIED = "denied", _("拒绝")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("审计记录不可修改")

    def delete(self) -> Any:
        raise PermissionError("审计记录不可删除")


class AuditEvent(models.Model):
    """One audit record: what happened, written in the transaction of the change it records.

    Append-only: never updated, never deleted. Its place in the hash chain (sequence number, the hash of the
    record before, its own hash) is its `AuditSeal`, written after the transaction committed; until then the
    record is pending (`AuditPending`) and `seq`, `prev_hash` and `hash` are None."""

    at = models.DateTimeField(_("时间"), db_index=True)
    actor_id = models.BigIntegerField(_("操作人ID"), null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("操作人"), max_length=150, blank=True)
    actor_role = models.CharField(_("身份"), max_length=200, blank=True)
    action = models.CharField(_("操作"), max_length=32, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("对象"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("对象名称"), max_length=200, blank=True)
    changes = models.JSONField(_("变更"), default=dict, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, choices=AuditOutcome.choices, default=AuditOutcome.SUCCESS)
    ip = models.CharField(_("来源地址"), max_length=64, blank=True)
    request_id = models.CharField(_("请求号"), max_length=64, blank=True, db_index=True)
    source = models.CharField(_("来源"), max_length=16, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        place = f"#{self.seq}" if self.seq is not None else "待封存"
        return f"{place} {self.get_action_display()} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("审计记录不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("审计记录不可删除")

    @property
    def seal_or_none(self) -> AuditSeal | None:
        try:
            return self.seal
        except AuditSeal.DoesNotExist:
            return None

    @property
    def seq(self) -> int | None:
        seal = self.seal_or_none
        return seal.seq if seal else None

    @property
    def prev_hash(self) -> str | None:
        seal = self.seal_or_none
        return seal.prev_hash if seal else None

    @property
    def hash(self) -> str | None:
        seal = self.seal_or_none
        return seal.hash if seal else None


class AuditSeal(models.Model):
    """A record's link in the hash chain: its sequence number, the hash of the link before, and the SHA-256 of
    the record's content with both. Written once, after the record's transaction committed, by
    `audit.seal_pending()`; append-only like the records."""

    event = models.OneToOneField(AuditEvent, on_delete=models.PROTECT, related_name="seal")
    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    sealed_at = models.DateTimeField(_("封存时间"))

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("审计封存")
        verbose_name_plural = _("审计封存")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("审计记录不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("审计记录不可删除")


class AuditPending(models.Model):
    """A committed record still waiting for its seal: written with the record, removed by the sealer when it
    writes the seal. A queue, not part of the trail; a record with neither a seal nor a place here was not
    written by the platform."""

    event = models.OneToOneField(AuditEvent, on_delete=models.PROTECT, primary_key=True, related_name="pending")

    class Meta:
        ordering = ["event"]


class AuditChainHead(models.Model):
    """The single row that serialises the sealers (never the writers) and remembers the chain's last link."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        ordering = ["pk"]
