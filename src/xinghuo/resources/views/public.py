"""The public library (泰山科普云课堂): the home by audience and topic with the pinned emergency releases, a
resource's page with its review record and notices, and its media — video and audio seekable."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from xinghuo.console.context import paginated
from xinghuo.core.access import public
from xinghuo.core.errors import NotFound
from xinghuo.core.files import file_response, ranged_file_response
from xinghuo.core.lookup import get_by_uid
from xinghuo.core.scoping import public_reads
from xinghuo.resources import selectors
from xinghuo.resources.forms import LibraryFilterForm
from xinghuo.resources.media import STREAMED
from xinghuo.resources.models import Course, CourseStatus, Notice, Resource, ResourceStatus


def _public_resource(uid: str) -> Resource:
    with public_reads():
        try:
            return selectors.get_public_resource(uid)
        except NotFound as exc:
            raise Http404 from exc


FACET_TITLES = {"kind": _("类型"), "audience": _("面向人群"), "topic": _("主题"), "organisation": _("供稿单位")}


def _facet_groups(request: HttpRequest, counts: dict[str, list[tuple[str, str, int]]], chosen: dict[str, str]) -> list[dict]:
    """Each facet's values with their counts and the link that picks (or, when picked, drops) that value, the
    query and the other choices kept."""
    groups = []
    for key, title in FACET_TITLES.items():
        rows = []
        for value, label, count in counts.get(key, []):
            query = request.GET.copy()
            query.pop("page", None)
            active = chosen.get(key) == value
            if active:
                query.pop(key, None)
            else:
                query[key] = value
            rows.append({"label": label, "count": count, "query": query.urlencode(), "active": active})
        if rows:
            groups.append({"key": key, "title": title, "rows": rows})
    return groups


@public
@require_GET
def home_view(request: HttpRequest) -> HttpResponse:
    """Pinned emergency releases first, then the library filtered by audience, topic and kind."""
    form = LibraryFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    q = data.get("q", "").strip()
    chosen = {key: data.get(key, "") for key in ("kind", "audience", "topic", "organisation")}
    with public_reads():
        pinned = [] if q else list(selectors.pinned(now=timezone.now()))
        rows = selectors.Found(q, **chosen) if q else selectors.library(**chosen)
        listing = paginated(request, rows, 20)
        found = {"facets": _facet_groups(request, selectors.facets(selectors.library(q=q)), chosen) if q else [],
                 "courses": selectors.matching_courses(q)}  # fmt: skip
    return render(request, "resources/library.html", {"form": form, "pinned": pinned, "q": q, "chosen": chosen, **found, **listing})


@public
@require_GET
def resource_view(request: HttpRequest, uid: str) -> HttpResponse:
    resource = _public_resource(uid)
    withdrawn = resource.status == ResourceStatus.WITHDRAWN
    with public_reads():
        notices = list(Notice.objects.filter(resource=resource))
        reviews = [] if withdrawn else selectors.published_reviews(resource)
        related = [] if withdrawn else list(selectors.related(resource))
    return render(request, "resources/resource.html", {
        "resource": resource, "withdrawn": withdrawn, "notices": notices, "reviews": reviews, "related": related,
        "streamed": resource.media_type in STREAMED,
    })  # fmt: skip


def _published(uid: str) -> Resource:
    resource = _public_resource(uid)
    if resource.status != ResourceStatus.PUBLISHED:  # a withdrawn resource's page stays; its content does not
        raise Http404
    return resource


@public
@require_GET
def media_view(request: HttpRequest, uid: str) -> HttpResponse:
    """The file of a published resource: video and audio answer range requests, so a player can seek."""
    resource = _published(uid)
    if resource.media_type in STREAMED:
        return ranged_file_response(request, resource.media, content_type=resource.media_type)
    extension = resource.media.name.rsplit(".", 1)[-1] if resource.media else ""
    return file_response(resource.media, content_type=resource.media_type or "application/octet-stream",
                         filename=f"{resource.title}.{extension}")  # fmt: skip


@public
@require_GET
def cover_view(request: HttpRequest, uid: str) -> HttpResponse:
    response = file_response(_published(uid).cover, content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@public
@require_GET
def course_cover_view(request: HttpRequest, uid: str) -> HttpResponse:
    with public_reads():
        try:
            course = get_by_uid(Course.objects.filter(status=CourseStatus.PUBLISHED), uid)
        except NotFound as exc:
            raise Http404 from exc
    response = file_response(course.cover, content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response
