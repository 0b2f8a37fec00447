"""The public library (泰山科普云课堂): the home by audience and topic with the pinned emergency releases, a
resource's page with its review record and notices, and its media — video and audio seekable."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from xinghuo.activities.models import EMERGENCY_TOPICS, Topic
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


@public
@require_GET
def home_view(request: HttpRequest) -> HttpResponse:
    """Pinned emergency releases first, then the library filtered by audience, topic and kind."""
    form = LibraryFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    with public_reads():
        pinned = list(selectors.pinned(now=timezone.now()))
        rows = selectors.library(kind=data.get("kind", ""), audience=data.get("audience", ""), topic=data.get("topic", ""),
                                 q=data.get("q", ""))  # fmt: skip
        listing = paginated(request, rows, 20)
    return render(request, "resources/library.html", {
        "form": form, "pinned": pinned, "emergency_topics": [(t.value, t.label) for t in Topic if t in EMERGENCY_TOPICS], **listing,
    })  # fmt: skip


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
