"""Console pages of the cloud classroom: the courses in the actor's scope with their learners, the course editor
(the lessons as ordered rows of published resources, found by title), and the city's publish and take-down."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinghuo.accounts.roles import Role
from xinghuo.console.context import console_context, paginated
from xinghuo.core.access import for_roles
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.lookup import get_by_uid
from xinghuo.core.scoping import public_reads
from xinghuo.organisations.models import Organisation
from xinghuo.resources import courses, permissions
from xinghuo.resources.courses import LessonSpec
from xinghuo.resources.forms import CourseForm, LessonFormSet
from xinghuo.resources.models import Course, Lesson, Resource, ResourceStatus
from xinghuo.resources.views.common import actor_of, crumbs
from xinghuo.search import search

EDITORS = permissions.CONTRIBUTOR_ROLES


def _course(uid: str) -> Course:
    try:
        return get_by_uid(Course.objects.select_related("organisation"), uid)
    except NotFound as exc:
        raise Http404 from exc


@for_roles(*EDITORS)
@require_GET
def course_list_view(request: HttpRequest) -> HttpResponse:
    rows = (
        Course.objects.select_related("organisation")
        .annotate(lesson_count=Count("lessons", distinct=True), completion_count=Count("completions", distinct=True))
        .order_by("-updated_at", "-pk")
    )
    return render(request, "resources/course_list.html", console_context(
        request, title="云课堂课程", crumbs=crumbs(("云课堂课程", None)), is_city=permissions.is_city(actor_of(request)),
        **paginated(request, rows),
    ))  # fmt: skip


@for_roles(*EDITORS)
@require_GET
def resource_lookup_view(request: HttpRequest) -> JsonResponse:
    """Published resources whose title holds the query (for the lesson rows' list): any contributor may build a
    course from the whole city's library."""
    query = (request.GET.get("q") or "").strip()[:50]
    items: list[dict[str, str]] = []
    if query:
        with public_reads():
            rows = search(Resource.objects.filter(status=ResourceStatus.PUBLISHED), query).order_by("-search_rank")[:20]
            items = [{"uid": str(r.uid), "title": r.title, "kind": str(r.get_kind_display())} for r in rows]
    return JsonResponse({"items": items})


def _lesson_specs(formset: Any) -> list[LessonSpec]:
    """The filled rows, in order, with their resources (published ones, from the whole library)."""
    specs = []
    for number, form in enumerate(formset.forms, start=1):
        data = form.cleaned_data
        value = (data.get("resource") or "").strip()
        if not value:
            continue
        try:
            uid = uuid.UUID(value)
        except ValueError as exc:
            raise DomainError("resource_invalid", f"第 {number} 行的资源编号不对，请从列表中选择", field="lessons") from exc
        with public_reads():
            resource = Resource.objects.filter(uid=uid, status=ResourceStatus.PUBLISHED).first()
        if resource is None:
            raise DomainError("resource_invalid", f"第 {number} 行的资源不存在或尚未发布", field="lessons")
        specs.append(LessonSpec(resource=resource, title=data.get("title") or "", minutes=data.get("minutes") or 10))
    return specs


def _editor(request: HttpRequest, *, course: Course | None) -> HttpResponse:
    organisations = list(Organisation.objects.filter(is_active=True).order_by("path"))
    if course is not None and course.organisation not in organisations:
        organisations.append(course.organisation)
    if course is None:
        organisation = actor_of(request).organisation
        initial: dict[str, Any] = {"organisation": str(organisation.uid) if organisation else "", "audiences": ["public"]}
        rows: list[dict[str, Any]] = []
    else:
        initial = {"title": course.title, "summary": course.summary, "organisation": str(course.organisation.uid),
                   "audiences": course.audiences, "topics": course.topics}  # fmt: skip
        rows = [{"resource": str(lesson.resource.uid), "title": lesson.title, "minutes": lesson.minutes}
                for lesson in Lesson.unscoped.filter(course=course).select_related("resource").order_by("order")]  # fmt: skip
    posted = request.method == "POST"
    form = CourseForm(request.POST if posted else None, request.FILES if posted else None, organisations=organisations, initial=initial)
    formset = LessonFormSet(request.POST if posted else None, initial=rows, prefix="lessons")
    lesson_error = ""
    if posted and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            saved = courses.course_save(
                actor=actor_of(request), course=course, organisation=data["organisation"], title=data["title"], summary=data["summary"],
                audiences=data["audiences"], topics=data["topics"], lessons=_lesson_specs(formset), cover=data.get("cover"),
            )  # fmt: skip
        except DomainError as exc:
            if exc.status == 404:
                raise Http404 from exc
            if exc.field == "lessons":
                lesson_error = exc.message
            else:
                form.add_domain_error(exc)
        else:
            messages.success(request, "课程已保存" + ("，请市科协发布" if saved.status != "published" else ""))
            return redirect(reverse("resources_console:course_edit", args=[saved.uid]))
    title = f"编辑课程：{course.title}" if course else "新建课程"
    return render(request, "resources/course_form.html", console_context(
        request, title=title, crumbs=crumbs(("云课堂课程", reverse("resources_console:courses")), (title, None)), form=form,
        formset=formset, course=course, lesson_error=lesson_error, is_city=permissions.is_city(actor_of(request)),
    ), status=400 if posted else 200)  # fmt: skip


@for_roles(*EDITORS)
@require_http_methods(["GET", "POST"])
def course_create_view(request: HttpRequest) -> HttpResponse:
    return _editor(request, course=None)


@for_roles(*EDITORS)
@require_http_methods(["GET", "POST"])
def course_edit_view(request: HttpRequest, uid: str) -> HttpResponse:
    return _editor(request, course=_course(uid))


@for_roles(Role.CITY_STAFF)
@require_POST
def course_publish_view(request: HttpRequest, uid: str) -> HttpResponse:
    course = _course(uid)
    publish = request.POST.get("action") != "withdraw"
    try:
        courses.course_publish(actor=actor_of(request), course=course, publish=publish)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "课程已发布" if publish else "课程已下架")
    return redirect(reverse("resources_console:course_edit", args=[course.uid]))
