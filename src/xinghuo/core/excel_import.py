"""Bulk entry from Excel: a template to download, an upload checked by content, and a row-by-row report.

Nothing is saved when any row is wrong, unless the user asks to import the good rows; either way the rows
that are saved are saved in one transaction, and the import is audited."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import openpyxl
import xlsxwriter
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from xinghuo.core import audit
from xinghuo.core.errors import DomainError, ErrorCode
from xinghuo.core.models import AuditAction

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000


@dataclass(frozen=True)
class ImportColumn:
    title: str
    key: str
    required: bool = False
    example: str = ""
    help: str = ""


@dataclass
class RowError:
    row: int  # the spreadsheet's row number, as the user sees it
    column: str
    message: str


@dataclass
class ImportReport:
    total: int = 0
    saved: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})


def template_bytes(*, sheet: str, columns: list[ImportColumn]) -> bytes:
    """An .xlsx with the headers, one example row and the rules as comments."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = workbook.add_worksheet(sheet[:31])
    head = workbook.add_format({"bold": True, "bg_color": "#F3F4F6", "border": 1})
    must = workbook.add_format({"bold": True, "bg_color": "#FDE2E2", "border": 1})
    for col, column in enumerate(columns):
        ws.set_column(col, col, max(12, len(column.title) * 2 + 4))
        ws.write(0, col, column.title, must if column.required else head)
        if column.help:
            ws.write_comment(0, col, column.help)
        ws.write(1, col, column.example)
    ws.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()


def read_rows(upload: UploadedFile, columns: list[ImportColumn], *, max_rows: int = MAX_ROWS) -> list[tuple[int, dict[str, Any]]]:
    """(row number, {key: value}) for each non-empty row; the header row must name the template's columns. An import
    whose rows are written in bulk may allow more than MAX_ROWS."""
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        raise DomainError(ErrorCode.INVALID, "文件超过 10 MB，请分批导入", field="file")
    head = upload.read(4)
    upload.seek(0)
    if head != b"PK\x03\x04":  # an .xlsx is a zip: checked by content, not by the file's name
        raise DomainError(ErrorCode.INVALID, "请上传 Excel 文件（.xlsx）；可先下载模板填写", field="file")
    try:
        workbook = openpyxl.load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:
        raise DomainError(ErrorCode.INVALID, "无法读取该 Excel 文件，请用模板重新填写后上传", field="file") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(c).strip() if c is not None else "" for c in next(rows, [])]
        missing = [c.title for c in columns if c.required and c.title not in header]
        if missing:
            raise DomainError(ErrorCode.INVALID, f"表头缺少“{'、'.join(missing)}”列，请使用下载的模板", field="file")
        index = {c.key: header.index(c.title) for c in columns if c.title in header}
        result = []
        for number, row in enumerate(rows, start=2):
            values = {key: (row[i] if i < len(row) else None) for key, i in index.items()}
            if all(v is None or str(v).strip() == "" for v in values.values()):
                continue
            result.append((number, {k: (str(v).strip() if isinstance(v, str) else v) for k, v in values.items()}))
            if len(result) > max_rows:
                raise DomainError(ErrorCode.INVALID, f"一次最多导入 {max_rows} 行，请分批导入", field="file")
        return result
    finally:
        workbook.close()


def run_import(
    *,
    rows: list[tuple[int, dict[str, Any]]],
    build: Callable[[dict[str, Any]], Any],
    save: Callable[[Any], Any],
    columns: list[ImportColumn],
    object_type: str,
    description: str,
    partial: bool = False,
) -> ImportReport:
    """Check every row with `build` (raising DomainError with the column's key as `field`), then save the good
    ones with `save` in one transaction — only if no row is wrong, or if `partial` is asked for."""
    titles = {c.key: c.title for c in columns}
    report = ImportReport(total=len(rows))
    built = []
    for number, values in rows:
        missing = [c for c in columns if c.required and (values.get(c.key) is None or str(values.get(c.key)).strip() == "")]
        if missing:
            report.errors += [RowError(number, c.title, "必填，不能为空") for c in missing]
            continue
        try:
            built.append((number, build(values)))
        except DomainError as exc:
            report.errors.append(RowError(number, titles.get(exc.field or "", exc.field or "—"), exc.message))
    if report.errors and not partial:
        return report
    with transaction.atomic():
        for number, item in built:
            try:
                with transaction.atomic():
                    save(item)
            except DomainError as exc:
                report.errors.append(RowError(number, titles.get(exc.field or "", exc.field or "—"), exc.message))
            else:
                report.saved += 1
        if report.errors and not partial:
            transaction.set_rollback(True)
            report.saved = 0
            return report
        audit.record(
            AuditAction.IMPORT,
            object_type=object_type,
            object_repr=f"{description}：{report.saved} 行导入，{report.bad_rows} 行有误",
            changes={"rows": [None, str(report.total)], "saved": [None, str(report.saved)]},
        )
    return report
