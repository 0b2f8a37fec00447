"""Issue 5 on a real browser: a citizen on a phone finds a course by searching the library, opens a lesson and
finishes it; the course page then counts it."""

import re

import pytest

from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, CitizenFactory, make_staff
from xinghuo.accounts.actor import actor_for
from xinghuo.accounts.models import User
from xinghuo.accounts.roles import Role
from xinghuo.organisations.models import Organisation
from xinghuo.resources import courses, services
from xinghuo.resources.courses import LessonSpec
from xinghuo.resources.models import Field, LessonProgress

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = "".join(
    f"<p>第{i}段：接种流感疫苗是预防流感最有效的手段，老年人、儿童和慢性病患者应尽早接种，日常勤洗手、常通风。</p>" for i in range(3)
)


def published_course() -> str:
    society = Organisation.unscoped.get(code="KX370902")
    city_org = Organisation.unscoped.get(code="KX370900-KPB")
    city = actor_for(make_staff("library_city", city_org, Role.CITY_STAFF))
    expert = actor_for(make_staff("library_expert", Organisation.unscoped.get(code="KX370911"), Role.REVIEWER))
    services.reviewer_set(actor=city, user=expert.user, fields=[Field.HEALTH], title="泰安市疾控中心 主任医师")
    lessons = []
    for title in ("流感是什么", "接种流感疫苗"):
        resource = services.resource_create(actor=city, organisation=society, title=title, kind="article", field=Field.HEALTH,
                                            summary="冬春季防流感。", author="陈静（主管医师）", body=BODY, audiences=["public"],
                                            topics=["epidemic", "health"])  # fmt: skip
        services.resource_submit(actor=city, resource=resource)
        services.resource_assign(actor=city, resource=resource, reviewer=expert.user)
        from datetime import timedelta

        from django.utils import timezone

        services.resource_first_review(actor=expert, resource=resource, approve=True, evidence="国家卫生健康委《流行性感冒诊疗方案》",
                                       re_review_on=timezone.localdate() + timedelta(days=365))  # fmt: skip
        lessons.append(services.resource_second_review(actor=city, resource=resource, approve=True))
    course = courses.course_save(actor=city, organisation=society, title="冬春季防流感课", summary="两节课学会防流感。",
                                 audiences=["public"], topics=["epidemic"], lessons=[LessonSpec(resource=r) for r in lessons])  # fmt: skip
    return str(courses.course_publish(actor=city, course=course).uid)


def test_a_citizen_on_a_phone_finds_a_course_by_search_and_finishes_a_lesson(phone, live_server):
    uid = published_course()
    CitizenFactory(phone="13700006789", name="王芳")

    phone.goto(live_server.url + "/library/")
    phone.get_by_label("搜索").fill("防流感")
    phone.get_by_role("button", name="搜索").click()
    phone.get_by_test_id("course-results").get_by_role("link", name=re.compile("冬春季防流感课")).click()
    phone.wait_for_url(re.compile(rf"/library/courses/{uid}/$"))
    phone.get_by_role("link", name="登录后记录学习进度").click()
    phone.get_by_label("用户名或手机号").fill("13700006789")
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(re.compile(rf"/library/courses/{uid}/$"))
    phone.get_by_test_id("start").click()
    phone.wait_for_url(re.compile(rf"/library/courses/{uid}/1/$"))
    assert phone.get_by_test_id("lesson").is_visible()
    phone.get_by_test_id("finish-lesson").click()

    phone.wait_for_url(re.compile(rf"/library/courses/{uid}/2/$"))
    assert "已学完第 1 课时" in phone.content()
    phone.goto(live_server.url + f"/library/courses/{uid}/")
    assert "已学 1/2 课时" in phone.get_by_test_id("course-progress").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(phone, "library-course-phone")
    citizen = User.objects.get(phone="13700006789")
    assert LessonProgress.objects.filter(user=citizen, completed_at__isnull=False).count() == 1
