"""Public pages of certification: the venues in public notice (公示) with the way to object, and the list of
certified venues (认定名单) — for anyone, without login; objecting needs a signed-in account."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from xinghuo.certification import selectors, services
from xinghuo.certification.forms import ObjectionForm
from xinghuo.core.access import public, signed_in
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.venues.models import VenueType
from xinghuo.venues.selectors import map_version
from xinghuo.venues.views import city_counties

#: The city whose lists these are (the platform is Tai'an's; the demo's province scale holds 15 more).
CITY = "370900"


@public
@require_GET
def notice_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "certification/public_notice.html", {"applications": selectors.public_notice_list()})


@signed_in
@require_http_methods(["GET", "POST"])
def objection_view(request: HttpRequest, uid: str) -> HttpResponse:
    try:
        application = selectors.public_notice_application(uid)
    except NotFound as exc:
        raise Http404 from exc
    user = request.user
    form = ObjectionForm(request.POST or None, initial={"contact_name": user.name, "contact_phone": user.phone or ""})  # type: ignore[union-attr]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.objection_file(
                application=application, content=data["content"], contact_name=data["contact_name"], contact_phone=data["contact_phone"],
                actor=request.xh_actor,  # type: ignore[attr-defined]
            )  # fmt: skip
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "异议已提交。市科协将核实并答复您。")
            return redirect("certification:notice")
    return render(request, "certification/public_objection.html", {"application": application, "form": form},
                  status=400 if form.errors else 200)  # fmt: skip


@public
@require_GET
def certified_list_view(request: HttpRequest) -> HttpResponse:
    venue_type = request.GET.get("type", "")
    venue_type = venue_type if venue_type in VenueType.values else ""
    counties = city_counties(CITY)
    county = request.GET.get("county", "")
    county = county if county in {c.code for c in counties} else ""
    # The list is rendered once per map version (a certification, warning or revocation retires it) and
    # filter; the template calls these only when its cached fragment has expired.
    return render(request, "certification/public_certified.html", {
        "venues": functools.partial(selectors.public_certified_list, city=CITY, venue_type=venue_type, county=county),
        "revoked": functools.partial(selectors.recently_revoked, city=CITY), "version": "-".join(map(str, map_version())),
        "types": VenueType.choices, "counties": counties, "venue_type": venue_type, "county": county,
    })  # fmt: skip
