"""Importing activity reports from Excel, for organisers who keep their figures in spreadsheets.

The template is the list of the actor's activities that wait for a report (published and started, or held),
with their numbers; the organiser fills in attendance, online views and a summary, and uploads it. Each row
reports one activity through the same services as the form — confirming it held first if it is still
published — so the rules, the scope and the step history are the form's. Photos cannot travel in a
spreadsheet: an imported report says so on the activity, and the verifier may send it back for them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.activities import services
from xinghuo.activities.errors import ActivityError as E
from xinghuo.activities.models import Activity, ActivityStatus
from xinghuo.core.errors import DomainError
from xinghuo.core.excel import Column
from xinghuo.core.excel_import import ImportColumn

COLUMNS = [
    ImportColumn("活动编号", "uid", required=True, help="导出的待报送活动表中的编号，不要修改"),
    ImportColumn("活动名称", "title", help="用于核对：与平台中的活动名称不一致时该行不导入"),
    ImportColumn("现场参与人次", "attendance", help="线下活动必填，整数"),
    ImportColumn("线上观看人次", "online_views", help="线上活动必填，整数"),
    ImportColumn("活动总结", "summary", required=True, help=f"至少 {services.MIN_SUMMARY} 个字"),
]

#: The template: what the organiser needs to recognise each activity, then the columns to fill in.
TEMPLATE_COLUMNS = [
    Column("活动编号", lambda a: str(a.uid), 38), Column("活动名称", lambda a: a.title, 36), Column("品牌", lambda a: a.brand.name, 16),
    Column("形式", lambda a: a.get_format_display(), 12), Column("举办地区划", lambda a: a.region.name, 16),
    Column("开始时间", lambda a: a.starts_at, 18), Column("状态", lambda a: a.get_status_display(), 10),
    Column("现场参与人次", lambda a: a.attendance, 14), Column("线上观看人次", lambda a: a.online_views, 14),
    Column("活动总结", lambda a: a.summary, 60),
]  # fmt: skip

REPORTABLE = (ActivityStatus.PUBLISHED, ActivityStatus.HELD)


def awaiting_report(now: datetime | None = None) -> QuerySet[Activity]:
    """The activities in the actor's scope (the request opened it) that wait for their report: held, or published
    and already started."""
    now = now or timezone.now()
    return Activity.objects.filter(status__in=REPORTABLE, starts_at__lte=now).select_related("brand", "region").order_by("starts_at", "pk")


def make_builder(actor: Actor, now: datetime | None = None):
    """A row → the report to save, checked; the activity must be in the actor's scope and wait for a report."""
    now = now or timezone.now()
    seen: set[uuid.UUID] = set()  # the activities of the good rows so far
    activities = Activity.objects.select_related("brand", "region", "organiser")  # the actor's scope

    def build(row: dict[str, Any]) -> dict[str, Any]:
        try:
            uid = uuid.UUID(str(row["uid"]).strip())
        except ValueError as exc:
            raise DomainError(E.INVALID, "活动编号格式不对：请从导出的待报送活动表复制", field="uid") from exc
        activity = activities.filter(uid=uid).first()
        if activity is None:
            raise DomainError(E.NOT_ALLOWED, "找不到该活动，或不在您的管理范围内", field="uid")
        title = str(row.get("title") or "").strip()
        if title and title != activity.title:
            raise DomainError(E.INVALID, f"活动名称与平台中的“{activity.title}”不一致，请核对编号", field="title")
        if uid in seen:
            raise DomainError(E.INVALID, "该活动在表中已出现过：一个活动只报送一次", field="uid")
        if activity.status not in REPORTABLE:
            raise DomainError(E.STATUS, f"活动当前为“{activity.get_status_display()}”，不能报送活动情况", field="uid")
        if activity.starts_at > now:
            start = timezone.localtime(activity.starts_at)
            raise DomainError(E.TOO_EARLY, f"活动 {start:%Y-%m-%d %H:%M} 开始，举办后才能报送", field="uid")
        attendance = services.report_count(row.get("attendance"), "现场参与人次", "attendance")
        online_views = services.report_count(row.get("online_views"), "线上观看人次", "online_views")
        if activity.needs_place and attendance is None:
            raise DomainError(E.REPORT_INVALID, "线下活动请填写现场参与人次", field="attendance")
        if activity.needs_link and online_views is None:
            raise DomainError(E.REPORT_INVALID, "线上活动请填写线上观看人次", field="online_views")
        summary = str(row.get("summary") or "").strip()
        if len(summary) < services.MIN_SUMMARY:
            raise DomainError(E.REPORT_INVALID, f"活动总结至少 {services.MIN_SUMMARY} 个字", field="summary")
        seen.add(uid)
        return {"actor": actor, "activity": activity, "attendance": attendance, "online_views": online_views, "summary": summary,
                "now": now}  # fmt: skip

    return build


def save(report: dict[str, Any]) -> None:
    """Confirm held (when still published), then report: two steps of the activity in the import's transaction."""
    actor, activity, now = report["actor"], report["activity"], report["now"]
    if activity.status == ActivityStatus.PUBLISHED:
        activity = services.activity_mark_held(actor=actor, activity=activity, now=now)
    services.activity_report(
        actor=actor, activity=activity, attendance=report["attendance"], online_views=report["online_views"],
        summary=report["summary"], source="excel",
    )  # fmt: skip
