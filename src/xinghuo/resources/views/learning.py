"""The learner's side of the cloud classroom: the published courses, a course with its lessons and the learner's
progress, a lesson (its resource in the page, “学完了” to finish it, the video resuming where they left), and
“我的学习”."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from xinghuo.console.context import paginated
from xinghuo.core.access import public, signed_in
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.lookup import get_by_uid
from xinghuo.core.scoping import public_reads
from xinghuo.resources import courses
from xinghuo.resources.media import STREAMED
from xinghuo.resources.models import Course, CourseCompletion, CourseStatus, Lesson, LessonProgress, Notice, ResourceStatus


def _course(uid: str) -> Course:
    with public_reads():
        try:
            return get_by_uid(Course.objects.filter(status=CourseStatus.PUBLISHED).select_related("organisation"), uid)
        except NotFound as exc:
            raise Http404 from exc


def _lesson(course: Course, order: int) -> Lesson:
    with public_reads():
        lesson = Lesson.objects.filter(course=course, order=order).select_related("resource", "course").first()
    if lesson is None:
        raise Http404
    return lesson


def _done(user: object, course: Course) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        LessonProgress.objects.filter(user=user, lesson__course=course, completed_at__isnull=False).values_list("lesson_id", flat=True)
    )


@public
@require_GET
def course_list_view(request: HttpRequest) -> HttpResponse:
    with public_reads():
        rows = (
            Course.objects.filter(status=CourseStatus.PUBLISHED)
            .select_related("organisation")
            .annotate(lesson_count=Count("lessons", filter=Q(lessons__resource__status=ResourceStatus.PUBLISHED)))
            .order_by("-published_at", "-pk")
        )
        listing = paginated(request, rows, 20)
    return render(request, "resources/courses.html", listing)


@public
@require_GET
def course_view(request: HttpRequest, uid: str) -> HttpResponse:
    course = _course(uid)
    with public_reads():
        lessons = list(Lesson.objects.filter(course=course).select_related("resource").order_by("order"))
    done = _done(request.user, course)
    learnable = [lesson for lesson in lessons if lesson.resource.status == ResourceStatus.PUBLISHED]
    completed = request.user.is_authenticated and CourseCompletion.objects.filter(user=request.user, course=course).exists()
    following = next((lesson for lesson in learnable if lesson.pk not in done), None)
    return render(request, "resources/course.html", {
        "course": course, "lessons": lessons, "done": done, "done_count": len([x for x in learnable if x.pk in done]),
        "total": len(learnable), "completed": completed, "next": following,
        "minutes": sum(lesson.minutes for lesson in learnable),
    })  # fmt: skip


@public
@require_GET
def lesson_view(request: HttpRequest, uid: str, order: int) -> HttpResponse:
    course = _course(uid)
    lesson = _lesson(course, order)
    resource = lesson.resource
    progress = None
    if request.user.is_authenticated:
        progress = LessonProgress.objects.filter(user=request.user, lesson=lesson).first()
    with public_reads():
        notices = list(Notice.objects.filter(resource=resource))
        following = (
            Lesson.objects.filter(course=course, order__gt=order, resource__status=ResourceStatus.PUBLISHED).order_by("order").first()
        )
    return render(request, "resources/lesson.html", {
        "course": course, "lesson": lesson, "resource": resource, "progress": progress, "notices": notices, "next": following,
        "withdrawn": resource.status != ResourceStatus.PUBLISHED, "streamed": resource.media_type in STREAMED,
    })  # fmt: skip


@signed_in
@require_POST
def lesson_done_view(request: HttpRequest, uid: str, order: int) -> HttpResponse:
    course = _course(uid)
    lesson = _lesson(course, order)
    try:
        completion = courses.lesson_complete(user=request.user, lesson=lesson)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("library:lesson", args=[course.uid, order]))
    if completion is not None:
        messages.success(request, f"恭喜！您已学完课程《{course.title}》")
        return redirect(reverse("library:course", args=[course.uid]))
    messages.success(request, f"已学完第 {order} 课时")
    with public_reads():
        following = (
            Lesson.objects.filter(course=course, order__gt=order, resource__status=ResourceStatus.PUBLISHED).order_by("order").first()
        )
    if following is not None:
        return redirect(reverse("library:lesson", args=[course.uid, following.order]))
    return redirect(reverse("library:course", args=[course.uid]))


@signed_in
@require_POST
def lesson_position_view(request: HttpRequest, uid: str, order: int) -> JsonResponse:
    """The player saves where the learner is (now and then, and when paused), to resume there."""
    lesson = _lesson(_course(uid), order)
    try:
        position = int(float(request.POST.get("position", "")))
        courses.lesson_position(user=request.user, lesson=lesson, position=position)
    except ValueError:
        return JsonResponse({"code": "invalid", "detail": "播放位置不正确"}, status=400)
    except DomainError as exc:
        return JsonResponse({"code": exc.code, "detail": exc.message}, status=exc.status)
    return JsonResponse({"position": position})


@signed_in
@require_GET
def my_learning_view(request: HttpRequest) -> HttpResponse:
    """The learner's courses: begun or finished, with how far they got."""
    begun = LessonProgress.objects.filter(user=request.user).values_list("lesson__course_id", flat=True).distinct()
    completions = {c.course_id: c for c in CourseCompletion.objects.filter(user=request.user)}
    with public_reads():
        rows = list(Course.objects.filter(pk__in=list(begun)).annotate(
            total=Count("lessons", filter=Q(lessons__resource__status=ResourceStatus.PUBLISHED), distinct=True),
        ).order_by("-updated_at"))  # fmt: skip
    done = dict(
        LessonProgress.objects.filter(user=request.user, completed_at__isnull=False, lesson__resource__status=ResourceStatus.PUBLISHED)
        .values_list("lesson__course_id")
        .annotate(n=Count("pk"))
        .values_list("lesson__course_id", "n")
    )
    items = [{"course": c, "done": done.get(c.pk, 0), "total": c.total, "completion": completions.get(c.pk)} for c in rows]
    return render(request, "resources/my_learning.html", {"items": items})
