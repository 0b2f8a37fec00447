"""PDFs of the platform (service certificates, star certificates, printable reports): a Django template rendered
to HTML, and WeasyPrint lays the HTML out on A4 pages.

    pdf = render_pdf("volunteers/pdf/certificate.html", {"volunteer": v, "verify_url": url}, request=request)
    return pdf_response(pdf, filename=f"志愿服务证明-{v.name}.pdf", inline=True)

- Templates extend `core/pdf/base.html` (blocks title, header, style, content); its stylesheet `core/print.css` sets
  A4 with margins, the platform's name at the head of each page, "第 N 页 / 共 M 页" at the foot, and the Noto
  CJK fonts (Debian's fonts-noto-cjk, which scripts/system-deps.sh installs with Pango and HarfBuzz).
- A verification QR: `{% load qr %}<img class="pdf-qr" src="{% qr_data_uri verify_url %}" alt="扫码核验">`.
- WeasyPrint never touches the network or the disk at large: its URL fetcher serves the platform's own static
  files (`{% static %}` URLs, found by the staticfiles finders, else in STATIC_ROOT) and data: URIs, and refuses
  anything else. A refused or missing resource fails the whole rendering with PdfResourceError, naming the URL:
  a certificate without its seal or QR is worse than no certificate. So a template must not embed user-supplied
  HTML that may hold outside images; media uploads are not served either (pass them in as data: URIs).
- With `request`, the template gets the context processors' variables and relative links resolve against the
  request's host; without it (a background job), relative links resolve against a host that cannot exist (`.invalid`),
  so a link that must work on paper has to be absolute.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils._os import safe_join
from django.utils.http import content_disposition_header
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

# The base URL without a request: `.invalid` is reserved (RFC 2606), so no such host can ever answer.
NO_REQUEST_BASE_URL = "https://xinghuo.invalid/"


class PdfResourceError(Exception):
    """A PDF's template asked for a resource that the fetcher refuses (not a static file, not a data: URI) or that
    does not exist. The rendering stops: the message names the URL and why."""


class StaticFilesFetcher(URLFetcher):
    """WeasyPrint's URL fetcher for the platform's PDFs: data: URIs, and the platform's own static files at
    `<base_url origin><STATIC_URL><path>` (or at STATIC_URL itself, where that is absolute), read from disk; every
    other URL (http, https, file, ftp, another host, a path outside the static files) raises PdfResourceError."""

    def __init__(self, base_url: str) -> None:
        # The parent's urllib opener is only ever used for data: URIs, and may open nothing else.
        super().__init__(allowed_protocols=("data",), allow_redirects=False, fail_on_errors=True)
        static_url = settings.STATIC_URL
        base = urlsplit(base_url)
        origin = f"{base.scheme}://{base.netloc}"
        self.static_prefix = static_url if urlsplit(static_url).scheme else origin + "/" + static_url.lstrip("/")

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url[:5].lower() == "data:":
            return super().fetch(url, headers)
        if not url.startswith(self.static_prefix):
            raise PdfResourceError(f"PDF 只能引用平台自己的静态文件或 data: URI，不能读取 {url}")
        name = url[len(self.static_prefix) :].split("#", 1)[0].split("?", 1)[0]
        path = static_file_path(unquote(name))
        if path is None:
            raise PdfResourceError(f"PDF 引用的静态文件不存在：{url}")
        content_type, _ = mimetypes.guess_type(path.name)
        content_type = content_type or "application/octet-stream"
        if content_type.startswith("text/"):
            content_type += "; charset=utf-8"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def static_file_path(name: str) -> Path | None:
    """The file of a static name ("core/print.css"): as the staticfiles finders find it (the sources, so no
    collectstatic is needed in development and tests), else in STATIC_ROOT (the hashed names that the manifest
    storage gives `{% static %}` in production). None for a name that is missing or steps outside (.., /, \\)."""
    segments = name.split("/")
    if any(s in {"", ".", ".."} or "\\" in s or "\0" in s for s in segments):
        return None
    try:
        found = finders.find(name)
        if found:
            return Path(found)
        if settings.STATIC_ROOT:
            candidate = Path(safe_join(settings.STATIC_ROOT, name))
            if candidate.is_file():
                return candidate
    except SuspiciousFileOperation:
        return None
    return None


def render_pdf(template_name: str, context: dict[str, Any], *, request: HttpRequest | None = None) -> bytes:
    """The PDF of a template (which extends core/pdf/base.html) rendered with `context`. Raises PdfResourceError
    when the template asks for a resource outside the platform's static files and data: URIs, or a missing one."""
    html = render_to_string(template_name, context, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else NO_REQUEST_BASE_URL
    try:
        return HTML(string=html, base_url=base_url, url_fetcher=StaticFilesFetcher(base_url)).write_pdf()
    except FatalURLFetchingError as exc:
        cause = exc.__cause__
        if isinstance(cause, PdfResourceError):
            raise cause from None
        raise PdfResourceError(f"{exc}: {cause}") from cause


def pdf_response(pdf_bytes: bytes, *, filename: str, inline: bool = False) -> HttpResponse:
    """An application/pdf response. `filename` may be Chinese (RFC 5987 `filename*=utf-8''…`, by Django's own
    helper, as FileResponse does); ".pdf" is added if it is missing. `inline=True` lets the browser show the PDF
    (a certificate to look at and print); the default offers it as a download."""
    if not filename.lower().endswith(".pdf"):
        filename += ".pdf"
    response = HttpResponse(pdf_bytes, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response
