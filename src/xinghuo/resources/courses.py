"""The cloud classroom (云课堂): courses made of ordered lessons, each a published resource of the library, and a
learner's progress through them — a lesson finished once, a course completed when every lesson is.

Courses are put together by contributors and staff in their scope and published by the city; their content was
reviewed as resources, so a course can only hold published ones. A resource withdrawn later drops out of the
course's pages (its lesson shows the withdrawal notice) and no longer counts toward completion."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.accounts.models import User
from xinghuo.activities.models import Topic
from xinghuo.core.errors import DomainError
from xinghuo.core.files import replace_file, written_files
from xinghuo.core.images import clean_image
from xinghuo.organisations.models import Organisation
from xinghuo.resources import permissions
from xinghuo.resources.errors import ResourceError as E
from xinghuo.resources.models import Course, CourseCompletion, CourseStatus, Lesson, LessonProgress, Resource, ResourceStatus
from xinghuo.venues.models import Audience

NOT_FOUND = "您要找的记录不存在或无权查看。"
MAX_LESSONS = 60


@dataclass(frozen=True)
class LessonSpec:
    resource: Resource
    title: str = ""
    minutes: int = 10


def _lock(course: Course, actor: Actor) -> Course:
    locked = Course.unscoped.select_for_update().get(pk=course.pk)
    if not actor.reaches(region_id=locked.region_id, organisation_id=locked.organisation_id):
        raise DomainError(E.NOT_ALLOWED, NOT_FOUND, status=404)
    return locked


def _check(course: Course) -> None:
    if not course.title.strip():
        raise DomainError(E.INVALID, "请填写课程名称", field="title")
    if not course.summary.strip():
        raise DomainError(E.INVALID, "请填写课程简介", field="summary")
    if not course.audiences or [a for a in course.audiences if a not in Audience.values]:
        raise DomainError(E.INVALID, "请选择面向人群", field="audiences")
    if not course.topics or [t for t in course.topics if t not in Topic.values]:
        raise DomainError(E.INVALID, "请选择主题", field="topics")


def course_save(
    *, actor: Actor, course: Course | None = None, organisation: Organisation, title: str, summary: str, audiences: list[str],
    topics: list[str], lessons: Sequence[LessonSpec], cover: Any = None,
) -> Course:  # fmt: skip
    """Create or revise a course and replace its lessons, in order. Every lesson is a published resource, none twice."""
    if not permissions.can_contribute(actor):
        raise DomainError(E.NOT_ALLOWED, "只有供稿单位和县、市科协可以编排课程", status=403)
    if not actor.reaches(region_id=organisation.region_id, organisation_id=organisation.pk):
        raise DomainError(E.NOT_ALLOWED, "只能以您管理范围内的单位开课", field="organisation", status=403)
    if not lessons:
        raise DomainError(E.INVALID, "请至少安排一个课时", field="lessons")
    if len(lessons) > MAX_LESSONS:
        raise DomainError(E.INVALID, f"一门课程最多 {MAX_LESSONS} 个课时", field="lessons")
    seen = set()
    for number, spec in enumerate(lessons, start=1):
        if spec.resource.status != ResourceStatus.PUBLISHED:
            raise DomainError(
                E.INVALID, f"第 {number} 课时的资源“{spec.resource.title}”尚未发布，课程只能使用已发布的资源", field="lessons"
            )
        if spec.resource.pk in seen:
            raise DomainError(E.INVALID, f"资源“{spec.resource.title}”重复安排", field="lessons")
        seen.add(spec.resource.pk)
        if not 1 <= spec.minutes <= 600:
            raise DomainError(E.INVALID, f"第 {number} 课时的学时应为 1–600 分钟", field="lessons")
    image = clean_image(cover, max_side=1200, field="cover") if cover is not None else None
    with written_files() as written, transaction.atomic():
        if course is None:
            course = Course(status=CourseStatus.DRAFT)
        else:
            course = _lock(course, actor)
        course.organisation, course.region = organisation, organisation.region
        course.title, course.summary = title.strip(), summary.strip()
        course.audiences, course.topics = list(dict.fromkeys(audiences)), list(dict.fromkeys(topics))
        _check(course)
        if image is not None:
            replace_file(course.cover, f"{course.uid.hex}.jpg", image.content, written)
        course.save()
        # a lesson kept in the new order keeps its row, and so the learners' progress in it; all are renumbered
        kept = {lesson.resource_id: lesson for lesson in Lesson.unscoped.filter(course=course)}
        for lesson in kept.values():
            lesson.order = 1000 + lesson.order
            lesson.save(update_fields=["order", "updated_at"])
        for number, spec in enumerate(lessons, start=1):
            lesson = kept.pop(spec.resource.pk, None) or Lesson(course=course, resource=spec.resource)
            lesson.order, lesson.title, lesson.minutes = number, (spec.title or spec.resource.title).strip()[:120], spec.minutes
            lesson.save()
        for lesson in kept.values():  # no longer in the course
            lesson.delete()
    return course


def course_publish(*, actor: Actor, course: Course, publish: bool = True, now: datetime | None = None) -> Course:
    """The city publishes a course (every lesson still a published resource), or takes it down."""
    if not permissions.is_city(actor):
        raise DomainError(E.NOT_ALLOWED, "课程由市科协发布", status=403)
    with transaction.atomic():
        course = _lock(course, actor)
        if publish:
            lessons = list(Lesson.unscoped.filter(course=course).select_related("resource"))
            if not lessons:
                raise DomainError(E.INVALID, "课程还没有课时")
            if stale := [lesson for lesson in lessons if lesson.resource.status != ResourceStatus.PUBLISHED]:
                raise DomainError(E.INVALID, f"课时“{stale[0].title}”的资源已不在发布状态，请调整课程")
            course.status, course.published_at = CourseStatus.PUBLISHED, now or timezone.now()
        else:
            course.status = CourseStatus.WITHDRAWN
        course.save(update_fields=["status", "published_at", "updated_at"])
    return course


# --- learners ---------------------------------------------------------------------------------------------


def _progress(user: User, lesson: Lesson) -> LessonProgress:
    progress = LessonProgress.objects.select_for_update().filter(user=user, lesson=lesson).first()
    if progress is None:
        try:
            with transaction.atomic():
                progress = LessonProgress(user=user, lesson=lesson)
                progress.save()
        except IntegrityError:  # the same learner's other tab got there first
            progress = LessonProgress.objects.select_for_update().get(user=user, lesson=lesson)
    return progress


def _learnable(lesson: Lesson) -> None:
    if lesson.course.status != CourseStatus.PUBLISHED:
        raise DomainError(E.STATUS, "该课程已下架")
    if lesson.resource.status != ResourceStatus.PUBLISHED:
        raise DomainError(E.STATUS, "该课时的资源已撤回，暂不能学习")


def lesson_position(*, user: User, lesson: Lesson, position: int) -> LessonProgress:
    """Where the learner is in a lesson's video (saved now and then by the player), to resume there."""
    _learnable(lesson)
    if position < 0 or position > 24 * 3600:
        raise DomainError(E.INVALID, "播放位置不正确", field="position")
    with transaction.atomic():
        progress = _progress(user, lesson)
        if progress.position != position:
            progress.position = position
            progress.save(update_fields=["position", "updated_at"])
    return progress


def lesson_complete(*, user: User, lesson: Lesson, now: datetime | None = None) -> CourseCompletion | None:
    """The learner finished a lesson (once; again changes nothing). When it was the last unfinished lesson of the
    course, the course is completed; returns the completion then."""
    _learnable(lesson)
    now = now or timezone.now()
    with transaction.atomic():
        progress = _progress(user, lesson)
        if progress.completed_at is None:
            progress.completed_at = now
            progress.save(update_fields=["completed_at", "updated_at"])
        course = lesson.course
        learnable = Lesson.unscoped.filter(course=course, resource__status=ResourceStatus.PUBLISHED)
        done = LessonProgress.objects.filter(user=user, lesson__in=learnable, completed_at__isnull=False).count()
        if done < learnable.count():
            return None
        completion = CourseCompletion.objects.filter(user=user, course=course).first()
        if completion is None:
            try:
                with transaction.atomic():
                    completion = CourseCompletion(user=user, course=course, completed_at=now)
                    completion.save()
            except IntegrityError:
                completion = CourseCompletion.objects.get(user=user, course=course)
        return completion
