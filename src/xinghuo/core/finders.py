"""Single files of npm packages, served as static files: for a package whose `dist` is far bigger than the one bundle a
page loads (ECharts: 46 MB, of which the platform needs echarts.min.js), collectstatic copies and compresses only that."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage


class NodeFileFinder(BaseFinder):
    """settings.STATICFILES_NODE_FILES: {static path: file on disk}, e.g. {"vendor/echarts/echarts.min.js": …}."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.files: dict[str, Path] = {name: Path(path) for name, path in getattr(settings, "STATICFILES_NODE_FILES", {}).items()}

    def check(self, **kwargs: Any) -> list[Error]:
        return [
            Error(f"STATICFILES_NODE_FILES: {path} 不存在（请先运行 npm ci）", id="xinghuo.E010")
            for path in self.files.values()
            if not path.is_file()
        ]

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> str | list[str]:
        """As Django's finders: the path (a list of it with find_all), and an empty list when it is not here."""
        found = self.files.get(path)
        if found is None or not found.is_file():
            return []
        return [str(found)] if find_all else str(found)

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for name, path in self.files.items():
            if not path.is_file():
                continue
            storage = FileSystemStorage(location=path.parent)
            storage.prefix = name.rsplit("/", 1)[0] if "/" in name else ""  # type: ignore[attr-defined]
            yield path.name, storage
