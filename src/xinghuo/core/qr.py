"""QR codes of the platform's plaques and signs (segno): an SVG to show and print, a PNG to download, and a data: URI
that a PDF embeds (a certificate's verification QR; the `{% qr_data_uri %}` tag of core/templatetags/qr.py)."""

from __future__ import annotations

import io

import segno
from django.http import HttpResponse


def qr_svg_response(url: str, *, title: str) -> HttpResponse:
    buffer = io.BytesIO()
    segno.make(url, error="q").save(buffer, kind="svg", scale=8, border=2, title=title)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


def qr_png_response(url: str, *, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    segno.make(url, error="q").save(buffer, kind="png", scale=10, border=2)
    response = HttpResponse(buffer.getvalue(), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="{filename}.png"'
    return response


def qr_data_uri(url: str) -> str:
    """The QR code of `url` as an SVG data: URI, for an <img> in a page or a PDF: vector, so it prints sharp at any
    size; without width and height (a viewBox instead), so CSS sizes it (print.css's `.pdf-qr` is 30 mm)."""
    return segno.make(url, error="q").svg_data_uri(border=2, omitsize=True)
