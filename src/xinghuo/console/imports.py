"""The console's side of an Excel import (core.excel_import): read the upload, run the import, choose the status."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from xinghuo.core.errors import DomainError
from xinghuo.core.excel_import import ImportColumn, ImportReport, read_rows, run_import


@dataclass
class ImportOutcome:
    report: ImportReport | None = None
    error: str = ""

    @property
    def status(self) -> int:
        """400 when the file was refused or nothing was saved because of wrong rows."""
        failed = self.error or (self.report is not None and self.report.errors and not self.report.saved)
        return 400 if failed else 200


def handle_import(
    request: HttpRequest, *, columns: list[ImportColumn], build: Callable[[dict[str, Any]], Any], save: Callable[[Any], Any],
    object_type: str, description: str, allow_partial: bool = True,
) -> ImportOutcome:  # fmt: skip
    """On POST, import the uploaded file (all rows or, when the user ticked “partial” and the page allows it, the good
    ones); on GET, nothing."""
    if request.method != "POST":
        return ImportOutcome()
    upload = request.FILES.get("file")
    if upload is None:
        return ImportOutcome(error="请选择要上传的 Excel 文件")
    try:
        report = run_import(
            rows=read_rows(upload, columns), build=build, save=save, columns=columns, object_type=object_type,
            description=description, partial=allow_partial and request.POST.get("partial") == "1",
        )  # fmt: skip
    except DomainError as exc:
        return ImportOutcome(error=exc.message)
    return ImportOutcome(report=report)
