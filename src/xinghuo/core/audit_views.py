"""The audit admin's pages: search, read and export the audit trail, and verify its hash chain.

Nobody can change or delete a record through the platform: there is no such page, the model refuses,
and the database refuses (triggers, see the migration)."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from xinghuo.accounts.roles import Role
from xinghuo.console.context import console_context, paginated
from xinghuo.core import audit
from xinghuo.core.access import for_roles
from xinghuo.core.excel import Column, export_response
from xinghuo.core.forms import Form
from xinghuo.core.models import AuditAction, AuditEvent, AuditOutcome


class AuditFilterForm(Form):
    actor = forms.CharField(label=_("操作人"), required=False, max_length=50)
    action = forms.ChoiceField(label=_("操作"), required=False, choices=[("", _("全部操作")), *AuditAction.choices])
    outcome = forms.ChoiceField(label=_("结果"), required=False, choices=[("", _("全部结果")), *AuditOutcome.choices])
    object_type = forms.CharField(label=_("对象类型"), required=False, max_length=100)
    object_id = forms.CharField(label=_("对象编号"), required=False, max_length=64)
    request_id = forms.CharField(label=_("请求号"), required=False, max_length=64)
    date_from = forms.DateField(label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                error_messages={"invalid": _("请输入有效日期，如 2026-01-31")})  # fmt: skip
    date_to = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                              error_messages={"invalid": _("请输入有效日期，如 2026-01-31")})  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("结束日期不能早于开始日期"))
        return data


def audit_search(data: dict) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.all()
    if data.get("actor"):
        qs = qs.filter(actor_label__icontains=data["actor"])
    for key in ("action", "outcome", "request_id"):
        if data.get(key):
            qs = qs.filter(**{key: data[key]})
    if data.get("object_type"):
        qs = qs.filter(object_type__icontains=data["object_type"])
    if data.get("object_id"):
        qs = qs.filter(object_id=data["object_id"])
    tz = timezone.get_current_timezone()
    if data.get("date_from"):
        qs = qs.filter(at__gte=datetime.combine(data["date_from"], time.min, tzinfo=tz))
    if data.get("date_to"):
        qs = qs.filter(at__lte=datetime.combine(data["date_to"], time.max, tzinfo=tz))
    # Newest first, pending records too (they have no sequence number yet)
    return qs.select_related("seal").order_by("-id")


def _filtered(request: HttpRequest) -> tuple[AuditFilterForm, dict | None]:
    """The form and its filters; None when the filters are wrong (the page then lists nothing, not everything)."""
    form = AuditFilterForm(request.GET or None)
    if not form.is_bound:
        return form, {}
    return form, (form.cleaned_data if form.is_valid() else None)


@for_roles(Role.AUDIT_ADMIN)
@require_GET
def audit_list_view(request: HttpRequest) -> HttpResponse:
    form, data = _filtered(request)
    events = audit_search(data) if data is not None else AuditEvent.objects.none()
    return render(request, "core/console/audit_list.html", console_context(
        request, title="审计日志", crumbs=[("审计日志", None)], form=form, **paginated(request, events, 30),
        retention_days=settings.XINGHUO_AUDIT_RETENTION_DAYS,
    ))  # fmt: skip


AUDIT_COLUMNS = [
    Column("序号", lambda e: e.seq, 8), Column("时间", lambda e: e.at, 18), Column("操作人", lambda e: e.actor_label),
    Column("身份", lambda e: e.actor_role, 24), Column("操作", lambda e: e.get_action_display()),
    Column("对象类型", lambda e: e.object_type, 20), Column("对象", lambda e: e.object_id, 36),
    Column("对象名称", lambda e: e.object_repr, 30), Column("变更", lambda e: str(e.changes) if e.changes else "", 50),
    Column("结果", lambda e: e.get_outcome_display(), 8), Column("来源地址", lambda e: e.ip, 16),
    Column("请求号", lambda e: e.request_id, 34), Column("哈希", lambda e: e.hash, 66),
]  # fmt: skip


@for_roles(Role.AUDIT_ADMIN)
@require_GET
def audit_export_view(request: HttpRequest) -> HttpResponse:
    form, data = _filtered(request)
    if data is None:
        errors = "；".join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponse(f"筛选条件有误，未导出：{errors}", status=400, content_type="text/plain; charset=utf-8")
    return export_response(
        filename="审计日志", sheet="审计日志", columns=AUDIT_COLUMNS, rows=audit_search(data).iterator(chunk_size=2000),
        object_type="core.auditevent", filters={k: str(v) for k, v in data.items()},
    )  # fmt: skip


@for_roles(Role.AUDIT_ADMIN)
@require_GET
def audit_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = AuditEvent.objects.select_related("seal").filter(pk=pk).first()
    if event is None:
        raise Http404
    name = f"#{event.seq}" if event.seq is not None else "待封存"
    return render(request, "core/console/audit_detail.html", console_context(
        request, title=f"审计记录 {name}", crumbs=[("审计日志", reverse("audit:list")), (name, None)], event=event,
    ))  # fmt: skip


@for_roles(Role.AUDIT_ADMIN)
@require_POST
def audit_verify_view(request: HttpRequest) -> HttpResponse:
    audit.seal_pending()
    checked, broken, reason = audit.verify_chain()
    if not reason:
        messages.success(request, f"哈希链校验通过：共 {checked} 条记录，未发现篡改")
    elif broken is not None:
        messages.error(request, f"哈希链校验失败：{audit.describe(broken)} —— {reason}")
    else:
        messages.error(request, f"哈希链校验失败 —— {reason}")
    return redirect("audit:list")
