"""What the work-list tests share: a small plan in the seeds' shape, loaded the way `load_worklist` loads the real one;
the actors; county A's report of a period; and files that are (and are not) what their names say."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from xinghuo.accounts.actor import actor_for
from xinghuo.core.files import private_storage
from xinghuo.organisations.base_data import city_association
from xinghuo.worklist.loading import Loaded, load
from xinghuo.worklist.models import Action, ProgressReport

PLANS = [{"code": "sample", "title": "“星火科普”专项行动方案（样例）", "seed": "001_6f5861a11245c86d.txt", "issued": "2024"}]
TASKS = [
    {
        "plan": "sample", "code": "S-4.1.1", "section": "四、重点工作（一）持续优化升级已开展工作", "title": "持续做好“三百三进”科技服务专项行动",
        "text": "进一步优化内容、征集需求，每年市级开展示范活动10-20期。", "lead": ["科普部"], "units": ["县市区、功能区科协", "市科技馆", "乡村振兴服务队"],
        "targets": [{"text": "每年市级开展示范活动10-20期", "min": 10, "max": 20, "unit": "期", "per": "year", "indicator": "activities_sanbai_city"}],
        "period": "每年",
        "children": [
            {"code": "S-4.1.1-1", "section": "", "title": "流动科技馆进基层", "text": "开展流动科技馆进基层活动。", "lead": [], "units": ["市科技馆"],
             "targets": [], "period": "", "children": []},
        ],
    },
    {
        "plan": "sample", "code": "S-4.1.2", "section": "四、重点工作（一）持续优化升级已开展工作", "title": "优化科普品牌活动",
        "text": "举办“科普之春”系列活动。", "lead": ["科普部", "学会部"], "units": [], "targets": [], "period": "", "children": [],
    },
]  # fmt: skip


@pytest.fixture
def loaded(db) -> Loaded:
    return load(plans=PLANS, tasks=TASKS, city=city_association())


# --- files that are (and are not) what their names say -------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _package(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return out.getvalue()


def pdf(name: str = "实施方案.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def docx(name: str = "实施方案.docx", *, macros: bool = False) -> SimpleUploadedFile:
    parts = {"[Content_Types].xml": b"<Types/>", "_rels/.rels": b"<Relationships/>", "word/document.xml": b"<w:document/>"}
    if macros:
        parts["word/vbaProject.bin"] = b"\x00" * 16
    return SimpleUploadedFile(name, _package(parts), content_type="application/octet-stream")


def xlsx(name: str = "进度表.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    workbook.active.append(["任务", "进度"])
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/octet-stream")


def pptx(name: str = "汇报.pptx") -> SimpleUploadedFile:
    parts = {"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p:presentation/>"}
    return SimpleUploadedFile(name, _package(parts), content_type="application/octet-stream")


def legacy_doc(name: str = "旧版方案.doc") -> SimpleUploadedFile:
    """The shape of an Office 97–2003 Word file: a compound file with a WordDocument stream in its directory."""
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1016 + "WordDocument".encode("utf-16-le") + b"\x00" * 512
    return SimpleUploadedFile(name, data, content_type="application/msword")


def jpeg(name: str = "现场.jpg", *, gps: bool = False) -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 480), (200, 30, 40))
    exif = Image.Exif()
    if gps:
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x8825] = {1: "N", 2: (36.0, 11.0, 0.0)}  # GPS: where the photo was taken
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def png(name: str = "截图.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (20, 90, 200)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def stored_files() -> list[str]:
    """Every file under worklist/ in private storage."""
    storage = private_storage()

    def walk(path: str) -> list[str]:
        if not storage.exists(path):
            return []
        dirs, files = storage.listdir(path)
        return [f"{path}/{f}" for f in files] + [name for d in dirs for name in walk(f"{path}/{d}")]

    return walk("worklist")


@pytest.fixture
def actors(personas):
    return actor_for(personas.city_staff), actor_for(personas.county_a), actor_for(personas.county_b)


@pytest.fixture
def report_a(loaded) -> ProgressReport:
    """County A's (泰山区科协) report of 2026-10 on the sample task, due 2026-11-05, not yet in."""
    action = Action.unscoped.get(task__code="S-4.1.1", organisation__code="KX370902")
    return ProgressReport.unscoped.create(action=action, period="2026-10", due=date(2026, 11, 5))
