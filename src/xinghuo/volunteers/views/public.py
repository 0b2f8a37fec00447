"""Public pages of volunteers, without login: the star notice (公示) — who, of which team, for which level, until
when, and how to object — and the verification of a certificate by its number (the QR code on the paper opens it).

The notice shows the names and teams that the seeds want recognised in public, and never a phone or ID number; the
verify page shows the holder's name masked (a verifier holds the paper with the whole name)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from xinghuo.core.access import public
from xinghuo.volunteers import selectors
from xinghuo.volunteers.models import STAR_HOURS


@public
@require_GET
def notice_view(request: HttpRequest) -> HttpResponse:
    return render(request, "volunteers/public_notice.html", {"awards": selectors.public_notice_list()})


@public
@require_GET
def stars_view(request: HttpRequest) -> HttpResponse:
    """The star volunteers of the city (星级志愿者名单): public recognition, by level, newest first."""
    try:
        level = int(request.GET.get("level", ""))
    except ValueError:
        level = None
    level = level if level in STAR_HOURS else None
    page = Paginator(selectors.public_star_list(level=level), 100).get_page(request.GET.get("page"))
    return render(request, "volunteers/public_stars.html", {"page_obj": page, "level": level, "levels": list(STAR_HOURS.items()),
                                                            "querystring_page": f"level={level}&" if level else ""})  # fmt: skip


@public
@require_GET
def verify_form_view(request: HttpRequest) -> HttpResponse:
    """The box to type a number into; a typed number goes to its page."""
    number = selectors.normalise_number(request.GET.get("number", ""))
    if number:
        return redirect("volunteers:verify", number=number[:32])
    return render(request, "volunteers/verify.html", {"searched": False})


@public
@require_GET
def verify_view(request: HttpRequest, number: str) -> HttpResponse:
    """What the certificate of this number says; a number never issued answers 404 and says it may be forged."""
    certificate = selectors.certificate_by_number(number)
    context = {"searched": True, "number": selectors.normalise_number(number)[:32], "certificate": certificate}
    return render(request, "volunteers/verify.html", context, status=200 if certificate else 404)
