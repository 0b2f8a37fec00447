"""Excel export of any list: xlsxwriter in constant-memory mode into a temporary file, streamed back.

Every export is audited (who, which list, which filters, how many rows). A workbook of several sheets (a report's
summary and its breakdowns) is written by `write_sheets` and answered by `export_sheets_response`."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

import xlsxwriter
from django.http import FileResponse
from django.utils import timezone

from xinghuo.core import audit
from xinghuo.core.models import AuditAction

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[Any], Any]
    width: int = 16


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    # Keep spreadsheet formulas out of exported text (CSV/Excel injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: its name (at most 31 characters), its columns and its rows, written in order."""

    name: str
    columns: list[Column]
    rows: Iterable[Any]


def write_sheets(path: str, sheets: list[Sheet]) -> int:
    """Write the sheets one after the other (constant memory: each is finished before the next begins); the rows
    written, all sheets together."""
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
    total = 0
    try:
        head = workbook.add_format({"bold": True, "bg_color": "#F3F4F6", "border": 1})
        for sheet in sheets:
            ws = workbook.add_worksheet(sheet.name[:31])
            for col, column in enumerate(sheet.columns):
                ws.set_column(col, col, column.width)
                ws.write(0, col, column.title, head)
            ws.freeze_panes(1, 0)
            count = 0
            for count, row in enumerate(sheet.rows, start=1):
                for col, column in enumerate(sheet.columns):
                    ws.write(count, col, _cell(column.value(row)))
            total += count
        return total
    finally:
        workbook.close()


def write_workbook(path: str, *, sheet: str, columns: list[Column], rows: Iterable[Any]) -> int:
    return write_sheets(path, [Sheet(sheet, columns, rows)])


def export_response(
    *, filename: str, sheet: str, columns: list[Column], rows: Iterable[Any], object_type: str, filters: dict[str, Any] | None = None
) -> FileResponse:
    """Write the rows to an .xlsx and answer it as a download; the export is audited."""
    return export_sheets_response(filename=filename, sheets=[Sheet(sheet, columns, rows)], object_type=object_type, filters=filters)


def export_sheets_response(*, filename: str, sheets: list[Sheet], object_type: str, filters: dict[str, Any] | None = None) -> FileResponse:
    """Write the sheets to one .xlsx and answer it as a download; the export is audited (the sheets' names, the rows)."""
    tmp = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=True)  # noqa: SIM115 (closed by FileResponse)
    count = write_sheets(tmp.name, sheets)
    audit.record(
        AuditAction.EXPORT,
        object_type=object_type,
        object_repr=f"导出《{'、'.join(s.name for s in sheets)}》{count} 行",
        changes={"filters": [None, str({k: v for k, v in (filters or {}).items() if v})]},
    )
    tmp.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{filename}-{stamp}.xlsx"
    response = FileResponse(tmp, content_type=XLSX, as_attachment=True, filename=name)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
