"""`{% load qr %}{% qr_data_uri url %}`: the QR code of a URL as a data: URI, e.g. a certificate's verification QR:
`<img class="pdf-qr" src="{% qr_data_uri verify_url %}" alt="扫码核验">`. The URL should be absolute
(`request.build_absolute_uri(...)`), since a phone scans it from paper."""

from __future__ import annotations

from django import template

from xinghuo.core.qr import qr_data_uri as _qr_data_uri

register = template.Library()


@register.simple_tag
def qr_data_uri(url: str) -> str:
    return _qr_data_uri(url)
