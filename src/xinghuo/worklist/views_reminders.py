"""The reminders page (提醒): the actor's own unit's reminders of deadlines near or passed, newest first, unread ones
marked; each links to what must be done, and is marked read one by one or all at once."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from xinghuo.console.context import console_context, paginated
from xinghuo.core.access import for_roles
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.excel import Column, export_response
from xinghuo.core.lookup import get_by_uid
from xinghuo.worklist import permissions, reminders, selectors

VIEWERS = permissions.VIEWER_ROLES


def _actor(request: HttpRequest) -> Any:
    return request.xh_actor  # type: ignore[attr-defined]


@for_roles(*VIEWERS)
@require_GET
def reminder_list_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    found = selectors.reminders(actor=actor)
    unread_only = bool(request.GET.get("unread"))
    return render(request, "worklist/reminders.html", console_context(
        request, title="提醒", crumbs=[("专项工作清单", reverse("worklist_console:plans")), ("提醒", None)],
        unread=selectors.unread_reminders(actor=actor).count(), unread_only=unread_only,
        **paginated(request, found.filter(read_at__isnull=True) if unread_only else found, per_page=30),
    ))  # fmt: skip


REMINDER_COLUMNS = [
    Column("提醒时间", lambda r: r.created_at, 18), Column("类型", lambda r: r.get_kind_display(), 10), Column("提醒内容", lambda r: r.text, 60),
    Column("截止日期", lambda r: r.due, 12), Column("已读时间", lambda r: r.read_at, 18),
]  # fmt: skip


@for_roles(*VIEWERS)
@require_GET
def reminder_export_view(request: HttpRequest) -> HttpResponse:
    rows = selectors.reminders(actor=_actor(request)).iterator(chunk_size=2000)
    return export_response(filename="提醒", sheet="提醒", columns=REMINDER_COLUMNS, rows=rows, object_type="worklist.reminder")


@for_roles(*VIEWERS)
@require_POST
def reminder_read_view(request: HttpRequest, uid: str) -> HttpResponse:
    """Mark one read; with `open`, go on to what it reminds of."""
    try:
        reminder = get_by_uid(selectors.reminders(actor=_actor(request)), uid)
        reminders.reminder_mark_read(actor=_actor(request), reminder=reminder)
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    if request.POST.get("open") and url_has_allowed_host_and_scheme(reminder.link, allowed_hosts=None):
        return redirect(reminder.link)
    return redirect(reverse("worklist_console:reminders"))


@for_roles(*VIEWERS)
@require_POST
def reminder_read_all_view(request: HttpRequest) -> HttpResponse:
    done = reminders.reminders_mark_all_read(actor=_actor(request))
    messages.success(request, f"已将 {done} 条提醒标为已读" if done else "没有未读的提醒")
    return redirect(reverse("worklist_console:reminders"))
