"""PDFs (core/pdf.py): a template with Chinese text becomes an A4 PDF set in Noto CJK, with the platform's head and
the page numbers at the foot; a verification QR prints the right URL; WeasyPrint reads nothing but the platform's
static files and data: URIs; the response carries a Chinese filename."""

from __future__ import annotations

import io
import re
import socket
from pathlib import Path
from urllib.parse import unquote

import pypdf
import pytest
import segno
from django.template import engines
from django.test import RequestFactory

from xinghuo.core.pdf import PdfResourceError, StaticFilesFetcher, pdf_response, render_pdf, static_file_path

NOTO_CJK_DIR = Path("/usr/share/fonts/opentype/noto")  # Debian's fonts-noto-cjk; scripts/system-deps.sh installs it
VERIFY_URL = "http://testserver/verify/ZS-2026-0001"

CERTIFICATE = """{% extends "core/pdf/base.html" %}{% load qr %}
{% block title %}志愿服务证明{% endblock %}
{% block content %}
  <h1 class="pdf-serif">志愿服务证明</h1>
  <p>兹证明{{ name }}同志参加星火科普志愿服务{{ hours }}小时。</p>
  <img class="pdf-qr" src="{% qr_data_uri verify_url %}" alt="扫码核验">
  <p style="break-before: page">第二页：服务记录。</p>
{% endblock %}"""


@pytest.fixture
def pdf_templates(settings, tmp_path):
    """A template folder of the test's own: `write(name, text)` adds a template that render_pdf can find."""
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]

    def write(name: str, text: str) -> str:
        (tmp_path / name).write_text(text, encoding="utf-8")
        return name

    return write


@pytest.fixture
def no_network(monkeypatch):
    """Every name lookup and connection attempt, recorded and refused: the list stays empty when nothing tried."""
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("no network in tests")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def _read(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def _font_names(reader: pypdf.PdfReader) -> set[str]:
    return {str(font.get_object()["/BaseFont"]) for page in reader.pages for font in page["/Resources"].get("/Font", {}).values()}


def _certificate(pdf_templates, no_network) -> bytes:
    name = pdf_templates("certificate.html", CERTIFICATE)
    pdf = render_pdf(name, {"name": "张三", "hours": 12, "verify_url": VERIFY_URL}, request=RequestFactory().get("/"))
    assert no_network == []
    return pdf


# --- rendering -------------------------------------------------------------------------------------------------


def test_a_template_with_chinese_text_renders_to_an_a4_pdf_with_head_and_page_numbers(pdf_templates, no_network):
    # given a certificate template that extends the PDF base, when it is rendered
    pdf = _certificate(pdf_templates, no_network)

    # then it is a PDF of two A4 pages whose Chinese text reads back, with the platform's name at the head of
    # each page and "第 N 页 / 共 M 页" at the foot (print.css was fetched: the foot is its @page rule's)
    assert pdf.startswith(b"%PDF-")
    reader = _read(pdf)
    assert len(reader.pages) == 2
    first, second = (page.extract_text() for page in reader.pages)
    assert "志愿服务证明" in first
    assert "兹证明张三同志参加星火科普志愿服务12小时。" in first
    assert "第二页：服务记录。" in second
    assert "星火科普" in first.replace("兹证明张三同志参加星火科普", "")
    assert "星火科普" in second
    assert "第 1 页 / 共 2 页" in first
    assert "第 2 页 / 共 2 页" in second
    assert reader.metadata.title == "志愿服务证明"
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)


def test_the_chinese_is_set_in_the_noto_cjk_fonts(pdf_templates, no_network):
    if not list(NOTO_CJK_DIR.glob("NotoSansCJK-*.ttc")):
        pytest.skip(f"fonts-noto-cjk is not installed (no {NOTO_CJK_DIR}); run scripts/system-deps.sh test")

    reader = _read(_certificate(pdf_templates, no_network))

    # the fonts are embedded as subsets ("ABCDEF+Noto-Sans-CJK-SC"): print.css's sans for the text, the serif
    # (bold) for the .pdf-serif heading
    families = {name.split("+", 1)[-1] for name in _font_names(reader)}
    assert "Noto-Sans-CJK-SC" in families
    assert any(family.startswith("Noto-Serif-CJK-SC") for family in families)
    assert all("CJK" in family for family in families), families


def test_a_pdf_renders_without_a_request(pdf_templates, no_network):
    # a background job has no request: the static stylesheet is still served, and no context processor is needed
    name = pdf_templates("report.html", '{% extends "core/pdf/base.html" %}{% block content %}<p>年度进度报告</p>{% endblock %}')

    reader = _read(render_pdf(name, {}))

    text = reader.pages[0].extract_text()
    assert "年度进度报告" in text
    assert "第 1 页 / 共 1 页" in text
    assert no_network == []


# --- the verification QR ---------------------------------------------------------------------------------------


def _dark_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules that segno's SVG path draws: "M x y.5" starts at a row's middle, "h n" draws n modules to
    the right, "m dx dy" moves; the first module of the path sits at (x, y) less the quiet zone, read from the
    path's first move."""
    path = re.search(r"\bd=['\"]([^'\"]+)['\"]", svg)
    assert path, svg
    dark: set[tuple[int, int]] = set()
    x = y = 0.0
    for command, args in re.findall(r"([MmHh])([^MmHh]*)", path.group(1)):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", args)]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        else:  # h: a run of dark modules
            dark.update((int(y), int(x) + i) for i in range(int(numbers[0])))
            x += numbers[0]
    return dark


def test_the_qr_tag_prints_the_qr_code_of_the_url(pdf_templates, no_network):
    # given the tag in a template
    html = engines["django"].from_string('{% load qr %}<img src="{% qr_data_uri url %}">').render({"url": VERIFY_URL})

    # then it is an SVG data: URI (vector, sized by CSS) whose modules are exactly those of the URL's QR code
    uri = re.search(r'src="([^"]+)"', html).group(1)
    assert uri.startswith("data:image/svg+xml;")
    svg = unquote(uri.split(",", 1)[1])
    assert svg.startswith("<svg")
    assert "viewBox" in svg
    assert " width=" not in svg
    expected = segno.make(VERIFY_URL, error="q")
    border = 2
    drawn = {(row - border, col - border) for row, col in _dark_modules(svg)}
    assert drawn == {(r, c) for r, line in enumerate(expected.matrix) for c, module in enumerate(line) if module}
    # and a PDF that embeds it renders (the fetcher serves data: URIs)
    assert _certificate(pdf_templates, no_network).startswith(b"%PDF-")


# --- what WeasyPrint may read ----------------------------------------------------------------------------------


def test_an_outside_image_is_not_fetched_and_the_rendering_fails_naming_it(pdf_templates, no_network):
    # given a template with an image on another host
    name = pdf_templates(
        "outside.html", '{% extends "core/pdf/base.html" %}{% block content %}<img src="http://example.com/x.png">{% endblock %}'
    )

    # when it is rendered, then no connection is tried and the rendering stops with an error that names the URL
    with pytest.raises(PdfResourceError, match=re.escape("http://example.com/x.png")):
        render_pdf(name, {}, request=RequestFactory().get("/"))
    assert no_network == []


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.png",
        "https://example.com/static/core/print.css",  # a static path, on another host
        "http://testserver.example.com/static/core/print.css",
        "https://testserver/static/core/print.css",  # the platform's host, by another scheme
        "file:///etc/passwd",
        "ftp://testserver/static/core/print.css",
        "http://testserver/media/avatar.png",  # the platform's own, but not a static file
        "http://testserver/admin/",
    ],
)
def test_the_fetcher_refuses_anything_but_the_platforms_static_files(url, no_network):
    with pytest.raises(PdfResourceError, match="只能引用平台自己的静态文件"):
        StaticFilesFetcher("http://testserver/").fetch(url)
    assert no_network == []


@pytest.mark.parametrize(
    "url",
    [
        "http://testserver/static/core/missing.png",
        "http://testserver/static/../config/settings.py",
        "http://testserver/static/%2e%2e/config/settings.py",
        "http://testserver/static//etc/passwd",
        "http://testserver/static/core\\..\\..\\config/settings.py",
    ],
)
def test_the_fetcher_refuses_a_missing_static_file_or_one_outside_the_static_files(url):
    with pytest.raises(PdfResourceError, match="静态文件不存在"):
        StaticFilesFetcher("http://testserver/").fetch(url)


def test_the_fetcher_serves_a_static_file_and_a_data_uri():
    fetcher = StaticFilesFetcher("http://testserver/")

    css = fetcher.fetch("http://testserver/static/core/print.css?v=1")
    assert css.content_type == "text/css"
    assert css.charset == "utf-8"
    assert b"Noto Sans CJK SC" in css.read()

    data = fetcher.fetch("data:text/plain;base64,5pif54Gr")
    assert data.read().decode() == "星火"


def test_a_collected_static_file_is_found_in_static_root(settings, tmp_path):
    # the manifest storage gives {% static %} hashed names in production, which only STATIC_ROOT holds
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "print.0123abcd.css").write_text("html { color: black }")

    assert static_file_path("core/print.0123abcd.css") == tmp_path / "core" / "print.0123abcd.css"
    assert static_file_path("core/print.css") is not None  # the source, through the finders
    assert static_file_path("core/nothing.css") is None


# --- the response ----------------------------------------------------------------------------------------------


def test_the_response_carries_a_chinese_filename():
    response = pdf_response(b"%PDF-1.7", filename="志愿服务证明-张三.pdf", inline=True)

    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == "inline; filename*=utf-8''%E5%BF%97%E6%84%BF%E6%9C%8D%E5%8A%A1%E8%AF%81%E6%98%8E-%E5%BC%A0%E4%B8%89.pdf"
    )
    assert response.content == b"%PDF-1.7"


def test_the_response_is_a_download_by_default_and_gets_its_pdf_suffix():
    assert pdf_response(b"%PDF-1.7", filename="report-2026")["Content-Disposition"] == 'attachment; filename="report-2026.pdf"'
    assert pdf_response(b"%PDF-1.7", filename="进度报告")["Content-Disposition"].startswith("attachment; filename*=utf-8''")
