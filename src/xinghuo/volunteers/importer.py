"""Importing service records from Excel, at the scale a city's recorders work at (100,000 rows in under a minute).

The recorder's organisation keeps every row it imports (谁组织谁记录): each row names a volunteer by name and phone or
ID number, a day, the hours and what was done, and the activity it organised (by the activity's number) or — for a
team's own service — one of its teams by name. The file is read as a stream (python-calamine), every row is checked
against sets fetched in a handful of queries (never a query per row), and the report names each wrong row and
column: an unknown volunteer, someone who is not a volunteer, an unknown activity or another organisation's, a day
outside the activity, hours out of range, more than 24 hours in a day, a row twice in the file, or a record already
kept. Nothing is saved if any row is wrong. The good file is written in batches (bulk_create) in one transaction
under one audited bulk record, after the volunteers' rows are locked and their day totals checked again."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from python_calamine import CalamineWorkbook

from xinghuo.accounts.actor import Actor
from xinghuo.activities.models import Activity
from xinghuo.core import audit
from xinghuo.core.errors import DomainError
from xinghuo.core.excel_import import ImportColumn, ImportReport, RowError
from xinghuo.core.id_numbers import ID_NUMBER_RE
from xinghuo.core.id_numbers import normalise as normalise_id
from xinghuo.core.models import AuditAction
from xinghuo.core.phones import MOBILE_RE
from xinghuo.talent.models import Person, PersonRole, RoleKind, RoleStatus
from xinghuo.volunteers import permissions, services
from xinghuo.volunteers.errors import VolunteerError as E
from xinghuo.volunteers.models import DAY_HOURS, RecordSource, RecordStatus, ServiceRecord, Team, TeamMembership

MAX_ROWS = 200_000
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
#: the report lists this many wrong cells at most (and says how many rows were wrong in all)
MAX_ERRORS = 1000
CHUNK = 5000
BATCH = 5000

COLUMNS = [
    ImportColumn("志愿者姓名", "name", required=True, example="张三", help="须与人员库中的姓名一致"),
    ImportColumn("手机号", "phone", example="", help="11 位手机号；手机号与身份证号至少填一项，用于在人员库中找到志愿者"),
    ImportColumn("身份证号", "id_number", example="", help="18 位身份证号；已填手机号时可不填"),
    ImportColumn("服务日期", "date", required=True, example="2026-10-18", help="如 2026-10-18；须在活动举办期间，不能晚于今天"),
    ImportColumn(
        "服务时长（小时）", "hours", required=True, example="3", help="大于 0、不超过 24，最多一位小数；同一人一天合计不超过 24 小时"
    ),
    ImportColumn("服务内容", "content", required=True, example="科普展品讲解", help="最多 200 字"),
    ImportColumn("活动编号", "activity", example="", help="本单位主办的活动的编号（活动详情页地址中的编号）；服务队自行组织的服务可不填"),
    ImportColumn("服务队", "team", example="", help="本单位服务队的名称；未填活动编号时必填"),
]
TITLES = {c.key: c.title for c in COLUMNS}


@dataclass(slots=True)
class Row:
    number: int
    name: str
    phone: str
    id_index: str | None
    date: dt.date | None
    hours: Decimal | None
    content: str
    activity: str
    team: str
    person_id: int | None = None
    activity_id: int | None = None
    team_id: int | None = None


@dataclass
class Outcome:
    report: ImportReport
    error: str = ""

    @property
    def status(self) -> int:
        return 400 if self.error or (self.report.errors and not self.report.saved) else 200


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone or code that the spreadsheet took for a number
    return str(value).strip()


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat("-".join(part.zfill(2) for part in text.split("-"))) if text else None
    except ValueError:
        return None


def read(upload: IO[bytes], *, size: int | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, {key: value}) for each non-empty row of the first sheet, streamed; the header names the columns."""
    if size and size > MAX_UPLOAD_BYTES:
        raise DomainError(E.INVALID, "文件超过 50 MB，请分批导入", field="file")
    head = upload.read(4)
    upload.seek(0)
    if head != b"PK\x03\x04":
        raise DomainError(E.INVALID, "请上传 Excel 文件（.xlsx）；可先下载模板填写", field="file")
    try:
        workbook = CalamineWorkbook.from_filelike(upload)
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.iter_rows()
        header = [_text(c) for c in next(rows, [])]
    except DomainError:
        raise
    except Exception as exc:
        raise DomainError(E.INVALID, "无法读取该 Excel 文件，请用模板重新填写后上传", field="file") from exc
    missing = [c.title for c in COLUMNS if c.required and c.title not in header]
    if missing:
        raise DomainError(E.INVALID, f"表头缺少“{'、'.join(missing)}”列，请使用下载的模板", field="file")
    index = {c.key: header.index(c.title) for c in COLUMNS if c.title in header}
    count = 0
    for number, row in enumerate(rows, start=2):
        values = {key: (row[i] if i < len(row) else None) for key, i in index.items()}
        if all(v is None or _text(v) == "" for v in values.values()):
            continue
        count += 1
        if count > MAX_ROWS:
            raise DomainError(E.INVALID, f"一次最多导入 {MAX_ROWS} 行，请分批导入", field="file")
        yield number, values


class Importer:
    """One import by one recorder: `check(rows)` fills the report; `save()` writes the rows if none was wrong."""

    def __init__(self, actor: Actor, *, today: dt.date | None = None, confirm: bool = False) -> None:
        if actor.role not in permissions.RECORD_ROLES or permissions.acting_organisation(actor) is None:
            raise DomainError(E.NOT_ALLOWED, "您的身份不能导入志愿服务记录", status=403)
        self.actor, self.organisation = actor, permissions.acting_organisation(actor)
        self.today = today or timezone.localdate()
        self.confirm = confirm
        self.report = ImportReport()
        self.rows: list[Row] = []
        self._bad: set[int] = set()
        self._unparsed: set[int] = set()
        self._index = Person._meta.get_field("id_number_index").index_of  # type: ignore[attr-defined]

    # --- checking ---------------------------------------------------------------------------------------------

    def error(self, row: Row | int, key: str, message: str) -> None:
        number = row if isinstance(row, int) else row.number
        self._bad.add(number)
        if len(self.report.errors) < MAX_ERRORS:
            self.report.errors.append(RowError(number, TITLES.get(key, key), message))

    def check(self, rows: Iterator[tuple[int, dict[str, Any]]]) -> ImportReport:
        for number, values in rows:
            self._parse(number, values)
        self.report.total = len(self.rows) + len(self._unparsed)
        self._people()
        self._activities_and_teams()
        self._duplicates_and_days()
        self.report.errors.sort(key=lambda e: e.row)
        return self.report

    def _parse(self, number: int, v: dict[str, Any]) -> None:
        bad = len(self._bad)
        name, phone, id_number = _text(v.get("name")), _text(v.get("phone")), normalise_id(_text(v.get("id_number")))
        content, activity, team = _text(v.get("content")), _text(v.get("activity")), _text(v.get("team"))
        for key, value in (("name", name), ("content", content)):
            if not value:
                self.error(number, key, "必填，不能为空")
        if phone and not MOBILE_RE.match(phone):
            self.error(number, "phone", "手机号应为 11 位数字，以 13–19 开头")
        if id_number and not ID_NUMBER_RE.match(id_number):
            self.error(number, "id_number", "身份证号应为 18 位")
        if not phone and not id_number:
            self.error(number, "phone", "请填写手机号或身份证号，用于在人员库中找到志愿者")
        day = _date(v.get("date"))
        if day is None:
            self.error(number, "date", "服务日期格式不对，请填写如 2026-10-18")
        elif day > self.today:
            self.error(number, "date", "服务日期不能晚于今天")
        hours = None
        raw = v.get("hours")
        if raw is None or _text(raw) == "":
            self.error(number, "hours", "必填，不能为空")
        else:
            try:
                hours = services.parse_hours(raw)
            except DomainError as exc:
                self.error(number, "hours", exc.message)
        if len(content) > 200:
            self.error(number, "content", "服务内容最多 200 字")
        if not activity and not team:
            self.error(number, "activity", "请填写活动编号，或服务队自行组织的服务填写服务队名称")
        if len(self._bad) > bad:
            self._unparsed.add(number)
            return
        self.rows.append(Row(number, name, phone, self._index(id_number) if id_number else None, day, hours, content[:200], activity, team))

    def _people(self) -> None:
        by_phone: dict[tuple[str, str], list[int]] = defaultdict(list)
        by_index: dict[str, tuple[int, str]] = {}
        phones = sorted({r.phone for r in self.rows if r.phone})
        for start in range(0, len(phones), CHUNK):
            for pk, phone, name in Person.unscoped.filter(phone__in=phones[start : start + CHUNK]).values_list("pk", "phone", "name"):
                by_phone[(phone, name)].append(pk)
        indexes = sorted({r.id_index for r in self.rows if r.id_index})
        for start in range(0, len(indexes), CHUNK):
            for pk, index, name in Person.unscoped.filter(id_number_index__in=indexes[start : start + CHUNK]).values_list(
                "pk", "id_number_index", "name"
            ):
                by_index[index] = (pk, name)
        for row in self.rows:
            if row.id_index:
                found = by_index.get(row.id_index)
                if found is None or found[1] != row.name:
                    self.error(row, "id_number", f"人员库中没有姓名为“{row.name}”且身份证号相符的人员")
                    continue
                row.person_id = found[0]
            else:
                matches = by_phone.get((row.phone, row.name), [])
                if not matches:
                    self.error(row, "phone", f"人员库中没有姓名为“{row.name}”且手机号相符的人员")
                    continue
                if len(matches) > 1:
                    self.error(row, "phone", "该手机号登记了不止一位同名人员，请改填身份证号")
                    continue
                row.person_id = matches[0]
        ids = sorted({r.person_id for r in self.rows if r.person_id})
        volunteers: set[int] = set()
        for start in range(0, len(ids), CHUNK):
            volunteers.update(
                PersonRole.unscoped.filter(person_id__in=ids[start : start + CHUNK], kind=RoleKind.VOLUNTEER, status=RoleStatus.ACTIVE)
                .values_list("person_id", flat=True)
            )  # fmt: skip
        for row in self.rows:
            if row.person_id and row.person_id not in volunteers:
                self.error(row, "name", f"{row.name}不是在册的科技志愿者")
                row.person_id = None

    def _activities_and_teams(self) -> None:
        keys: dict[str, uuid.UUID | None] = {}
        for row in self.rows:
            if row.activity and row.activity not in keys:
                try:
                    keys[row.activity] = uuid.UUID(row.activity)
                except ValueError:
                    keys[row.activity] = None
        uids = sorted({u for u in keys.values() if u is not None})
        activities: dict[uuid.UUID, Activity] = {}
        for start in range(0, len(uids), CHUNK):
            for activity in Activity.unscoped.filter(uid__in=uids[start : start + CHUNK]).only(
                "pk", "uid", "title", "organiser_id", "status", "starts_at", "ends_at"
            ):
                activities[activity.uid] = activity
        teams = dict(Team.unscoped.filter(organisation=self.organisation, is_active=True).values_list("name", "pk"))
        team_only = defaultdict(set)
        for row in self.rows:
            if row.team:
                row.team_id = teams.get(row.team)
                if row.team_id is None:
                    self.error(row, "team", f"本单位没有名为“{row.team}”的服务队")
                    continue
            if row.activity:
                activity = activities.get(keys[row.activity])  # type: ignore[arg-type]
                if activity is None:
                    self.error(row, "activity", f"活动编号“{row.activity}”不存在，请从活动详情页复制")
                    continue
                if activity.organiser_id != self.organisation.pk:
                    self.error(row, "activity", f"谁组织谁记录：活动“{activity.title}”不是本单位主办的，应由主办单位记录")
                    continue
                try:
                    services.check_activity_day(activity, row.date)  # type: ignore[arg-type]
                except DomainError as exc:
                    self.error(row, "date" if exc.field == "date" else "activity", exc.message)
                    continue
                row.activity_id = activity.pk
            elif row.team_id and row.person_id:
                team_only[row.team_id].add(row.person_id)
        members: set[tuple[int, int]] = set()
        for team_id, people in team_only.items():
            ids = sorted(people)
            for start in range(0, len(ids), CHUNK):
                members.update(
                    TeamMembership.unscoped.filter(team_id=team_id, person_id__in=ids[start : start + CHUNK]).values_list("team_id", "person_id")
                )  # fmt: skip
        for row in self.rows:
            if not row.activity and row.team_id and row.person_id and (row.team_id, row.person_id) not in members:
                self.error(row, "team", f"{row.name}不是“{row.team}”的成员：服务队自行组织的服务只记录本队成员")

    def _existing(self, people: list[int], days: list[dt.date]) -> tuple[dict[tuple[int, dt.date], Decimal], set[tuple]]:
        """What is kept already of these people on these days: their day totals (every organisation's records), and the
        recorder's own records (to find a row imported before)."""
        totals: dict[tuple[int, dt.date], Decimal] = {}
        kept: set[tuple] = set()
        for start in range(0, len(people), CHUNK):
            chunk = people[start : start + CHUNK]
            existing = ServiceRecord.unscoped.filter(volunteer_id__in=chunk, date__in=days)
            for person_id, day, hours in (
                existing.values("volunteer_id", "date").annotate(s=Sum("hours")).values_list("volunteer_id", "date", "s")
            ):
                totals[(person_id, day)] = hours
            mine = existing.filter(organisation=self.organisation).values_list("volunteer_id", "date", "hours", "activity_id", "team_id")
            kept.update(mine)
        return totals, kept

    def _duplicates_and_days(self) -> None:
        good = [r for r in self.rows if r.number not in self._bad]
        seen: dict[tuple, int] = {}
        for row in good:
            key = (row.person_id, row.date, row.hours, row.activity_id, row.team_id if not row.activity_id else None, row.content)
            if key in seen:
                self.error(row, "name", f"与第 {seen[key]} 行重复")
            else:
                seen[key] = row.number
        good = [r for r in good if r.number not in self._bad]
        people = sorted({r.person_id for r in good})  # type: ignore[type-var]
        days = sorted({r.date for r in good})  # type: ignore[type-var]
        totals, kept = self._existing(people, days)  # type: ignore[arg-type]
        for row in good:
            team = row.team_id if not row.activity_id else None
            if (row.person_id, row.date, row.hours, row.activity_id, team) in kept:
                self.error(row, "name", "本单位已记录过该志愿者当天的这项服务（可能重复导入）")
                continue
            key = (row.person_id, row.date)
            total = totals.get(key, Decimal(0)) + row.hours  # type: ignore[operator]
            if total > DAY_HOURS:
                self.error(row, "hours", f"{row.name} {row.date} 合计将达 {total} 小时，超过一天 24 小时")
                continue
            totals[key] = total  # type: ignore[index]

    # --- saving -----------------------------------------------------------------------------------------------

    def save(self, *, description: str = "导入志愿服务记录") -> ImportReport:
        """Write every row — only when no row was wrong — in one transaction, under the volunteers' row locks."""
        if self._bad or not self.rows:
            return self.report
        now = timezone.now()
        with transaction.atomic():
            people = sorted({r.person_id for r in self.rows})  # type: ignore[type-var]
            services._lock_people(people)
            self._bad.clear()
            self._duplicates_and_days()  # again, under the locks: a record saved meanwhile counts
            if self._bad:
                transaction.set_rollback(True)
                return self.report
            totals: dict[int, tuple[Decimal, int]] = {}
            status = RecordStatus.CONFIRMED if self.confirm else RecordStatus.ENTERED
            with audit.bulk_write(model=ServiceRecord, description=f"{description}：{len(self.rows)} 行") as summary:
                for start in range(0, len(self.rows), BATCH):
                    ServiceRecord.unscoped.bulk_create([self._record(r, status, now) for r in self.rows[start : start + BATCH]])
                summary["created"] = len(self.rows)
            if self.confirm:
                for r in self.rows:
                    hours, n = totals.get(r.person_id, (Decimal(0), 0))  # type: ignore[arg-type]
                    totals[r.person_id] = (hours + r.hours, n + 1)  # type: ignore[index, operator]
                services._credit(totals, now)
            audit.record(
                AuditAction.IMPORT, object_type="volunteers.servicerecord",
                object_repr=f"{description}：{len(self.rows)} 行导入{'（已确认）' if self.confirm else ''}",
                changes={"rows": [None, str(len(self.rows))], "organisation": [None, self.organisation.code]},
            )  # fmt: skip
        self.report.saved = len(self.rows)
        return self.report

    def _record(self, r: Row, status: str, now: Any) -> ServiceRecord:
        confirmed = status == RecordStatus.CONFIRMED
        return ServiceRecord(
            volunteer_id=r.person_id, date=r.date, hours=r.hours, content=r.content, activity_id=r.activity_id,
            team_id=r.team_id, organisation=self.organisation, status=status, source=RecordSource.EXCEL, entered_by=self.actor.user,
            confirmed_by=self.actor.user if confirmed else None, confirmed_at=now if confirmed else None,
        )  # fmt: skip

    @property
    def bad_rows(self) -> int:
        return len(self._bad)


def run(actor: Actor, upload: IO[bytes], *, size: int | None = None, confirm: bool = False, today: dt.date | None = None) -> Outcome:
    """Check the uploaded file and, if every row is right, save it; the outcome's report names the wrong rows."""
    try:
        importer = Importer(actor, today=today, confirm=confirm)
        report = importer.check(read(upload, size=size))
    except DomainError as exc:
        return Outcome(report=ImportReport(), error=exc.message)
    importer.save()
    if importer.bad_rows and len(report.errors) >= MAX_ERRORS:
        report.errors.append(RowError(0, "—", f"有误的行共 {importer.bad_rows} 行，仅列出前 {MAX_ERRORS} 处"))
    return Outcome(report=report)
