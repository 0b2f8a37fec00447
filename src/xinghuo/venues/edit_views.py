"""A venue in the console — its record, edited with the checks of a new one, and its photos — and the public
address of each photo (served for listed venues only; the platform serves them itself, no CDN or web server)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinghuo.console.context import console_context
from xinghuo.core.access import for_roles, public
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.files import file_response
from xinghuo.core.forms import Form
from xinghuo.core.lookup import get_by_uid
from xinghuo.core.masking import mask_phone
from xinghuo.core.scoping import public_reads
from xinghuo.venues.importer import format_hours
from xinghuo.venues.models import PUBLIC_STATUSES, Venue, VenuePhoto
from xinghuo.venues.services import venue_photo_add, venue_photo_remove, venue_update
from xinghuo.venues.views import CONSOLE_ROLES, _venue_fields, _venue_form, map_settings


class PhotoForm(Form):
    image = forms.ImageField(label=_("照片"), error_messages={"required": _("请选择照片"), "invalid_image": _("请上传 JPEG、PNG 或 WebP 图片")},
                             widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))  # fmt: skip
    caption = forms.CharField(label=_("说明"), max_length=100, required=False)


def _console_venue(uid: str) -> Venue:
    try:
        return get_by_uid(Venue.objects.select_related("region", "operator"), uid)
    except NotFound as exc:
        raise Http404 from exc


def _initial(venue: Venue) -> dict:
    return {
        "name": venue.name, "venue_type": venue.venue_type, "subtype": venue.subtype, "operator": str(venue.operator.uid),
        "region": venue.region.code, "address": venue.address, "lat": venue.lat, "lon": venue.lon,
        "hours": format_hours(venue.opening_hours), "capacity": venue.capacity, "audiences": venue.audiences,
        "facilities": venue.facilities, "summary": venue.summary, "contact_name": venue.contact_name,
        "contact_phone": mask_phone(venue.contact_phone),  # shown masked; sent back unchanged, it keeps the number
    }  # fmt: skip


def _page(request: HttpRequest, venue: Venue, form, photo_form: PhotoForm, *, status: int = 200) -> HttpResponse:
    return render(request, "venues/console_detail.html", console_context(
        request, title=venue.name, crumbs=[("科普阵地", reverse("venues_console:list")), (venue.name, None)],
        venue=venue, form=form, photo_form=photo_form, photos=list(VenuePhoto.objects.filter(venue=venue)), **map_settings(),
    ), status=status)  # fmt: skip


@for_roles(*CONSOLE_ROLES)
@require_http_methods(["GET", "POST"])
def console_detail(request: HttpRequest, uid: str) -> HttpResponse:
    """Edit a venue with the checks of a new one; a venue filed at village level keeps its village unless moved."""
    venue = _console_venue(uid)
    data = None
    if request.method == "POST":
        data = request.POST.copy()
        if venue.contact_phone and data.get("contact_phone", "").strip() == mask_phone(venue.contact_phone):
            data["contact_phone"] = venue.contact_phone  # the masked number came back as it was shown: unchanged
    form = _venue_form(request, data=data, extra_region=venue.region, initial=_initial(venue))
    if request.method == "POST" and form.is_valid():
        try:
            venue = venue_update(venue=venue, **_venue_fields(form.cleaned_data))
        except DomainError as exc:
            form.add_domain_error(exc if exc.field != "opening_hours" else DomainError(exc.code, exc.message, field="hours"))
        else:
            messages.success(request, f"已保存“{venue.name}”")
            return redirect("venues_console:detail", uid=venue.uid)
    return _page(request, venue, form, PhotoForm(), status=400 if form.errors else 200)


@for_roles(*CONSOLE_ROLES)
@require_POST
def console_photo_upload(request: HttpRequest, uid: str) -> HttpResponse:
    venue = _console_venue(uid)
    photo_form = PhotoForm(request.POST, request.FILES)
    if photo_form.is_valid():
        try:
            venue_photo_add(venue=venue, upload=photo_form.cleaned_data["image"], caption=photo_form.cleaned_data["caption"])
        except DomainError as exc:
            photo_form.add_domain_error(exc)
        else:
            messages.success(request, "照片已上传")
            return redirect("venues_console:detail", uid=venue.uid)
    return _page(
        request, venue, _venue_form(request, bound=False, extra_region=venue.region, initial=_initial(venue)), photo_form, status=400
    )


@for_roles(*CONSOLE_ROLES)
@require_POST
def console_photo_delete(request: HttpRequest, uid: str) -> HttpResponse:
    try:
        photo = get_by_uid(VenuePhoto.objects.select_related("venue"), uid)
    except NotFound as exc:
        raise Http404 from exc
    venue_photo_remove(photo=photo)
    messages.success(request, "照片已删除")
    return redirect("venues_console:detail", uid=photo.venue.uid)


@for_roles(*CONSOLE_ROLES)
@require_GET
def console_photo(request: HttpRequest, uid: str) -> HttpResponse:
    """A photo as the console shows it, in scope (drafts' photos have no public address)."""
    try:
        photo = get_by_uid(VenuePhoto.objects.all(), uid)
    except NotFound as exc:
        raise Http404 from exc
    return _image_response(photo)


def _image_response(photo: VenuePhoto) -> HttpResponse:
    return file_response(photo.image, content_type="image/jpeg")


@public
@require_GET
@cache_control(public=True, max_age=86400)
def public_photo(request: HttpRequest, code: str, uid: str) -> HttpResponse:
    with public_reads():
        try:
            photo = get_by_uid(VenuePhoto.objects.filter(venue__code=code, venue__status__in=PUBLIC_STATUSES), uid)
        except NotFound as exc:
            raise Http404 from exc
    return _image_response(photo)
