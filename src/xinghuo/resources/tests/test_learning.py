"""The learner's pages and the course editor, through Django's test client."""

from __future__ import annotations

import pytest
from tests.factories import CitizenFactory

from xinghuo.resources import courses
from xinghuo.resources.courses import LessonSpec
from xinghuo.resources.models import Course, CourseCompletion, CourseStatus, Lesson, LessonProgress
from xinghuo.resources.tests.conftest import published

pytestmark = pytest.mark.django_db


def course_of(cast, *titles: str, publish: bool = True) -> Course:
    resources = [published(cast, title=t) for t in titles]
    course = courses.course_save(
        actor=cast.contributor, organisation=cast.org_a, title="老年人健康生活课", summary="三节课学会管理血压、防跌倒、识骗局。",
        audiences=["elderly"], topics=["health"], lessons=[LessonSpec(resource=r) for r in resources],
    )  # fmt: skip
    return courses.course_publish(actor=cast.city, course=course) if publish else course


def test_a_citizen_learns_a_course_lesson_by_lesson_to_completion(client, login, cast):
    course = course_of(cast, "认识高血压", "防跌倒")
    citizen = CitizenFactory()
    login(client, citizen)

    page = client.get(f"/library/courses/{course.uid}/").content.decode()
    first = client.post(f"/library/courses/{course.uid}/1/done/", follow=True)
    second = client.post(f"/library/courses/{course.uid}/2/done/", follow=True)
    mine = client.get("/me/learning/").content.decode()

    assert "已学 0/2 课时" in page
    assert "已学完第 1 课时" in first.content.decode()
    assert first.redirect_chain[-1][0] == f"/library/courses/{course.uid}/2/"
    assert "恭喜！您已学完课程《老年人健康生活课》" in second.content.decode()
    assert CourseCompletion.objects.filter(user=citizen, course=course).exists()
    assert "老年人健康生活课" in mine
    assert "结业" in mine


def test_a_visitor_reads_a_lesson_and_is_asked_to_sign_in_to_keep_progress(client, cast):
    course = course_of(cast, "认识高血压")

    page = client.get(f"/library/courses/{course.uid}/1/").content.decode()

    assert "家庭自测血压应在安静休息五分钟后进行" in page
    assert "登录后记录学习进度" in page
    assert client.post(f"/library/courses/{course.uid}/1/done/").status_code == 302  # to the sign-in page
    assert not LessonProgress.objects.exists()


def test_the_player_saves_the_position(client, login, cast):
    course = course_of(cast, "认识高血压")
    citizen = CitizenFactory()
    login(client, citizen)

    ok = client.post(f"/library/courses/{course.uid}/1/position/", {"position": "125.4"})
    bad = client.post(f"/library/courses/{course.uid}/1/position/", {"position": "abc"})

    assert ok.json() == {"position": 125}
    assert bad.status_code == 400
    assert LessonProgress.objects.get(user=citizen).position == 125


def test_draft_courses_and_missing_lessons_are_404(client, cast):
    draft = course_of(cast, "认识高血压", publish=False)
    live = course_of(cast, "防跌倒")

    assert client.get(f"/library/courses/{draft.uid}/").status_code == 404
    assert client.get(f"/library/courses/{live.uid}/9/").status_code == 404
    assert "老年人健康生活课" in client.get("/library/courses/").content.decode()


def test_the_editor_builds_a_course_from_published_resources_and_the_city_publishes(client, login, cast):
    first, second = published(cast, title="认识高血压"), published(cast, title="防跌倒")
    login(client, cast.contributor.user)
    found = client.get("/console/resources/lookup/", {"q": "跌倒"}).json()
    data = {
        "title": "健康老人课", "organisation": str(cast.org_a.uid), "summary": "两节课。", "audiences": ["elderly"], "topics": ["health"],
        "lessons-TOTAL_FORMS": "3", "lessons-INITIAL_FORMS": "0", "lessons-MIN_NUM_FORMS": "0", "lessons-MAX_NUM_FORMS": "60",
        "lessons-0-resource": str(second.uid), "lessons-0-title": "", "lessons-0-minutes": "12",
        "lessons-1-resource": str(first.uid), "lessons-1-title": "血压这件事", "lessons-1-minutes": "20",
        "lessons-2-resource": "", "lessons-2-title": "", "lessons-2-minutes": "",
    }  # fmt: skip

    saved = client.post("/console/resources/courses/new/", data, follow=True)
    course = Course.unscoped.get(title="健康老人课")
    login(client, cast.city.user)
    client.post(f"/console/resources/courses/{course.uid}/publish/", {"action": "publish"})

    assert [item["title"] for item in found["items"]] == ["防跌倒"]
    assert "课程已保存" in saved.content.decode()
    assert list(Lesson.unscoped.filter(course=course).order_by("order").values_list("title", "minutes")) == [
        ("防跌倒", 12),
        ("血压这件事", 20),
    ]
    assert Course.unscoped.get(pk=course.pk).status == CourseStatus.PUBLISHED


def test_the_editor_says_which_row_is_wrong(client, login, cast):
    login(client, cast.contributor.user)
    data = {
        "title": "健康老人课", "organisation": str(cast.org_a.uid), "summary": "两节课。", "audiences": ["elderly"], "topics": ["health"],
        "lessons-TOTAL_FORMS": "1", "lessons-INITIAL_FORMS": "0", "lessons-MIN_NUM_FORMS": "0", "lessons-MAX_NUM_FORMS": "60",
        "lessons-0-resource": "不是编号", "lessons-0-title": "", "lessons-0-minutes": "10",
    }  # fmt: skip

    response = client.post("/console/resources/courses/new/", data)

    assert response.status_code == 400
    assert "第 1 行的资源编号不对" in response.content.decode()
    assert not Course.unscoped.exists()
