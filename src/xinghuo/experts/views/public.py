"""Public pages of the expert pool: the published yearly lists (首席泰山科普名家, 科普网红达人, 优秀科普人物) with the
past years, the candidates in public notice (公示), and the form anyone may use to object to one — no account
needed, a name optional, a contact required. Only names, organisations, titles, fields, topics and a photo are shown:
never a phone or ID number."""

from __future__ import annotations

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from xinghuo.core.access import public
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.files import file_response
from xinghuo.core.middleware import client_ip
from xinghuo.experts import selectors, services
from xinghuo.experts.forms import ObjectionForm
from xinghuo.experts.models import LIST_TARGET

#: objections one address may file in the window (a scripted flood would bury the real ones)
OBJECTIONS_PER_WINDOW, WINDOW_SECONDS = 5, 600


def _objection_allowed(ip: str) -> bool:
    key = f"experts-objection:{ip or 'unknown'}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count <= OBJECTIONS_PER_WINDOW


def _lists_page(request: HttpRequest, year: int | None) -> HttpResponse:
    years = selectors.public_years()
    if year is None:
        year = years[0] if years else None
    elif year not in years:
        raise Http404
    lists = selectors.public_lists(year) if year is not None else []
    return render(request, "experts/public_lists.html", {"year": year, "years": years, "lists": lists, "target": LIST_TARGET,
                                                         "in_notice": bool(selectors.public_notice(timezone.localdate()))})  # fmt: skip


@public
@require_GET
def lists_view(request: HttpRequest) -> HttpResponse:
    return _lists_page(request, None)


@public
@require_GET
def year_view(request: HttpRequest, year: int) -> HttpResponse:
    return _lists_page(request, year)


@public
@require_GET
def notice_view(request: HttpRequest) -> HttpResponse:
    return render(request, "experts/public_notice.html", {"notices": selectors.public_notice(timezone.localdate())})


@public
@require_http_methods(["GET", "POST"])
def objection_view(request: HttpRequest, uid: str) -> HttpResponse:
    try:
        nomination = selectors.public_candidate(uid, timezone.localdate())
    except NotFound as exc:
        raise Http404 from exc
    form = ObjectionForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if not _objection_allowed(client_ip(request)):
            form.add_error(None, "提交过于频繁，请稍后再试")
            status = 429
        else:
            data = form.cleaned_data
            try:
                services.objection_file(nomination=nomination, name=data["name"], contact=data["contact"], reason=data["reason"])
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, "异议已提交。市科协将核实，并通过您留下的联系方式答复。")
                return redirect("experts:notice")
    if form.errors and status == 200:
        status = 400
    return render(request, "experts/public_objection.html", {"nomination": nomination, "form": form}, status=status)


@public
@require_GET
def photo_view(request: HttpRequest, uid: str) -> HttpResponse:
    """The photo of a listed person (or a candidate in notice); nobody else's."""
    try:
        person = selectors.public_photo_person(uid)
    except NotFound as exc:
        raise Http404 from exc
    response = file_response(person.photo, content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=3600"
    return response
