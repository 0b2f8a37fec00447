"""Courses of the cloud classroom: only published resources as lessons, published by the city, a learner's
progress and completion, and what a withdrawn resource does to a course."""

from __future__ import annotations

import io
from pathlib import PurePosixPath

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from tests.factories import CitizenFactory

from xinghuo.resources import courses, services
from xinghuo.resources.courses import LessonSpec
from xinghuo.resources.errors import ResourceError as E
from xinghuo.resources.models import Course, CourseCompletion, CourseStatus, Lesson, LessonProgress
from xinghuo.resources.tests.conftest import draft, published

pytestmark = pytest.mark.django_db


def make_course(cast, *resources, publish: bool = True) -> Course:
    course = courses.course_save(
        actor=cast.contributor, organisation=cast.org_a, title="老年人健康生活课", summary="三节课学会管理血压、防跌倒、识骗局。",
        audiences=["elderly"], topics=["health"], lessons=[LessonSpec(resource=r, minutes=15) for r in resources],
    )  # fmt: skip
    return courses.course_publish(actor=cast.city, course=course) if publish else course


def test_a_course_holds_published_resources_in_order(cast):
    first, second = published(cast, title="认识高血压"), published(cast, title="防跌倒")

    course = make_course(cast, second, first)

    assert [(lesson.order, lesson.title) for lesson in Lesson.unscoped.filter(course=course)] == [(1, "防跌倒"), (2, "认识高血压")]
    assert course.status == CourseStatus.PUBLISHED


def test_a_draft_resource_or_a_repeat_cannot_be_a_lesson(cast):
    ready, unready = published(cast), draft(cast, title="还在草稿中")

    with pytest.raises(services.DomainError) as unpublished:
        make_course(cast, ready, unready, publish=False)
    with pytest.raises(services.DomainError) as twice:
        make_course(cast, ready, ready, publish=False)

    assert "尚未发布" in unpublished.value.message
    assert "重复安排" in twice.value.message
    assert not Course.unscoped.exists()


def test_only_the_city_publishes_a_course(cast):
    course = make_course(cast, published(cast), publish=False)

    with pytest.raises(services.DomainError) as info:
        courses.course_publish(actor=cast.county_a, course=course)

    assert info.value.status == 403


def test_a_learner_completes_the_course_when_every_lesson_is_done_and_once_only(cast):
    course = make_course(cast, published(cast, title="一"), published(cast, title="二"))
    one, two = Lesson.unscoped.filter(course=course).order_by("order")
    learner = CitizenFactory()

    assert courses.lesson_complete(user=learner, lesson=one) is None
    assert courses.lesson_complete(user=learner, lesson=one) is None  # again: nothing more
    completion = courses.lesson_complete(user=learner, lesson=two)

    assert completion is not None
    assert CourseCompletion.objects.filter(user=learner, course=course).count() == 1
    assert courses.lesson_complete(user=learner, lesson=two) == completion
    assert LessonProgress.objects.filter(user=learner, completed_at__isnull=False).count() == 2


def test_the_video_position_is_kept_to_resume(cast):
    course = make_course(cast, published(cast))
    lesson = Lesson.unscoped.get(course=course)
    learner = CitizenFactory()

    courses.lesson_position(user=learner, lesson=lesson, position=95)

    assert LessonProgress.objects.get(user=learner, lesson=lesson).position == 95
    with pytest.raises(services.DomainError):
        courses.lesson_position(user=learner, lesson=lesson, position=-1)


def test_a_withdrawn_resource_stops_its_lesson_and_no_longer_counts(cast):
    kept, gone = published(cast, title="保留"), published(cast, title="撤回")
    course = make_course(cast, kept, gone)
    kept_lesson, gone_lesson = Lesson.unscoped.filter(course=course).order_by("order")
    services.resource_withdraw(actor=cast.city, resource=gone, reason="内容过时")
    learner = CitizenFactory()

    with pytest.raises(services.DomainError) as info:
        courses.lesson_complete(user=learner, lesson=gone_lesson)
    completion = courses.lesson_complete(user=learner, lesson=kept_lesson)

    assert info.value.code == E.STATUS
    assert completion is not None  # the one learnable lesson was done
    with pytest.raises(services.DomainError):
        courses.course_publish(actor=cast.city, course=course)  # republishing asks for the course to be fixed


def test_revising_the_order_keeps_learners_progress(cast):
    first, second, third = published(cast, title="一"), published(cast, title="二"), published(cast, title="三")
    course = make_course(cast, first, second)
    learner = CitizenFactory()
    courses.lesson_complete(user=learner, lesson=Lesson.unscoped.get(course=course, resource=first))

    courses.course_save(actor=cast.contributor, course=course, organisation=cast.org_a, title=course.title, summary=course.summary,
                        audiences=course.audiences, topics=course.topics,
                        lessons=[LessonSpec(resource=third), LessonSpec(resource=first)])  # fmt: skip

    lessons = list(Lesson.unscoped.filter(course=course).order_by("order").values_list("resource__title", flat=True))
    assert lessons == ["三", "一"]
    assert LessonProgress.objects.filter(user=learner, lesson__resource=first, completed_at__isnull=False).exists()


def test_another_county_cannot_revise_a_course(cast):
    resource = published(cast)
    course = make_course(cast, resource)

    with pytest.raises(services.DomainError) as info:
        courses.course_save(actor=cast.county_b, course=course, organisation=cast.org_b, title="改", summary="改",
                            audiences=["public"], topics=["health"], lessons=[LessonSpec(resource=resource)])  # fmt: skip

    assert info.value.status == 404
    assert Course.unscoped.get(pk=course.pk).title == "老年人健康生活课"


def _jpeg(colour: tuple[int, int, int]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    return SimpleUploadedFile("封面.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_a_replaced_cover_is_deleted_after_the_commit_and_a_refused_revision_leaves_no_file(cast, django_capture_on_commit_callbacks):
    lesson = published(cast)
    fields = {"organisation": cast.org_a, "title": "老年人健康生活课", "summary": "三节课学会管理血压。", "audiences": ["elderly"],
              "topics": ["health"], "lessons": [LessonSpec(resource=lesson, minutes=15)]}  # fmt: skip
    course = courses.course_save(actor=cast.contributor, cover=_jpeg((200, 30, 40)), **fields)
    first = course.cover.name
    storage = course.cover.storage

    with django_capture_on_commit_callbacks(execute=True):
        course = courses.course_save(actor=cast.contributor, course=course, cover=_jpeg((30, 200, 40)), **fields)

    assert course.cover.name != first
    assert storage.exists(course.cover.name)
    assert not storage.exists(first)

    # a refused revision leaves the cover as it was, and no file behind
    before = set(storage.listdir(str(PurePosixPath(course.cover.name).parent))[1])
    with pytest.raises(courses.DomainError):
        courses.course_save(actor=cast.contributor, course=course, cover=_jpeg((0, 0, 0)), **{**fields, "lessons": []})
    assert Course.unscoped.get(pk=course.pk).cover.name == course.cover.name
    assert set(storage.listdir(str(PurePosixPath(course.cover.name).parent))[1]) == before
