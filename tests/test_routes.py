"""Every route declares who may use it; no route shows county B's records to county A — by any URL.

The walk covers every registered URL pattern and every API operation, so a route added later is walked the day
it is added (and fails until it has a sample record below)."""

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.urls import get_resolver
from django.utils import timezone

from tests.routes import api_declaration_problems, api_leak_problems, declaration_problems, leak_problems, walk_urlpatterns
from xinghuo.accounts.models import Membership
from xinghuo.accounts.services import token_issue
from xinghuo.activities.models import ActivityPhoto, Brand, Registration
from xinghuo.activities.services import activity_create
from xinghuo.certification.models import AnnualReview, Application, Evidence, Objection, Standard
from xinghuo.config.api import api
from xinghuo.core import id_numbers
from xinghuo.core.models import AuditEvent
from xinghuo.core.scoping import ScopeError
from xinghuo.experts.models import InfluencerAccount, Nomination, Selection, Studio, StudioMember
from xinghuo.experts.models import Objection as ExpertObjection
from xinghuo.officers.models import InfoOfficer, MonthlyFigures
from xinghuo.organisations.models import Organisation
from xinghuo.portal.services import news_create
from xinghuo.projects.models import Project, ProjectCall, ProjectDocument
from xinghuo.promoters.models import PromoterArea
from xinghuo.regions.models import Region
from xinghuo.resources.models import Course, Lesson
from xinghuo.resources.services import resource_create
from xinghuo.talent.services import person_create
from xinghuo.talks.models import TalkRequest
from xinghuo.tours.models import RouteBooking
from xinghuo.tours.services import point_create, route_create
from xinghuo.venues.booking import slot_create
from xinghuo.venues.models import Booking, VenuePhoto
from xinghuo.venues.services import venue_create
from xinghuo.volunteers.models import Certificate, ServiceRecord, StarAward, StarObjection, Team, TeamMembership
from xinghuo.worklist.models import Action, Attachment, Filing, Plan, ProgressReport, Reminder, SupervisionNotice, Task

pytestmark = pytest.mark.django_db

SECRET_NEWS_TITLE = "岱岳区内部草稿：仅本县可见"
SECRET_ACTIVITY_TITLE = "岱岳区内部科普活动草稿"
SECRET_RESOURCE_TITLE = "岱岳区内部科普资源草稿"
SECRET_PERSON_NAME = "岱岳区内部人员"


@pytest.fixture
def county_b_records(personas):
    """Records of county B (岱岳区) that county A (泰山区) must never see."""
    actor_b = personas.actor(personas.county_b)
    draft = news_create(actor=actor_b, title=SECRET_NEWS_TITLE, body="草稿正文", category="county")
    membership_b = Membership.objects.get(user=personas.county_b)
    token_b, _ = token_issue(membership=membership_b, name="岱岳区对接")
    attempt = AccessAttempt.objects.create(username="x" * 40, failures_since_start=5, ip_address="10.0.0.1", user_agent="t")
    # a county-B venue that is not on the map yet (a draft), its open slot, and a booking of someone else's
    venue = venue_create(
        operator=Organisation.unscoped.get(code="KX370911"), region=Region.objects.get(code="370911001"), name="岱岳区内部场馆",
        venue_type="education_base", address="岱岳区某路", lat=36.19, lon=117.04,
    )  # fmt: skip
    venue.code = "XH-JD-370911-9998"
    venue.save(update_fields=["code"])
    start = timezone.now() + timedelta(days=2)
    slot = slot_create(venue=venue, starts_at=start, ends_at=start + timedelta(hours=1), capacity=5)
    booking = Booking.unscoped.create(slot=slot, user=personas.citizen, contact_name="某人", contact_phone="13800001111")
    # its certification application (not in public notice), a file, an objection and a yearly re-check
    application = Application.unscoped.create(venue=venue, standard=Standard.objects.get(venue_type="education_base", is_active=True))
    evidence = Evidence.unscoped.create(
        venue=venue, application=application, file="certification/none.pdf", name="内部材料.pdf", content_type="application/pdf",
        size=1, sha256="0" * 64,
    )  # fmt: skip
    objection = Objection.unscoped.create(
        application=application, content="岱岳区内部异议", contact_name="某人", contact_phone="13800002222"
    )
    review = AnnualReview.unscoped.create(venue=venue, year=2026)
    photo = VenuePhoto.unscoped.create(venue=venue, image="venues/none.jpg", caption="岱岳区内部照片")
    # a county-B research-tour route (a draft: no public page) and a booking of someone else's on it
    route = route_create(operator=venue.operator, region=venue.region.county, name="岱岳区内部研学线路")
    route_booking = RouteBooking.unscoped.create(route=route, user=personas.citizen, date=start.date(), group_name="某校", party_size=30,
                                                 contact_name="某人", contact_phone="13800001111")  # fmt: skip
    tai_point = point_create(owner=venue.operator, region=venue.region, name="岱岳区内部科普点", trail="taohuayu", theme="ecology",
                             body="草稿", lat=36.26, lon=117.05)  # fmt: skip
    # a county-B activity (a draft) and a report photo of it
    activity = activity_create(
        actor=actor_b, title=SECRET_ACTIVITY_TITLE, brand=Brand.objects.get(code="free"), level="grassroots", organiser=personas.org_b,
        region=venue.region, starts_at=start, ends_at=start + timedelta(hours=2), address="粥店街道某社区", audiences=["public"],
        topics=["health"],
    )  # fmt: skip
    activity_photo = ActivityPhoto.unscoped.create(activity=activity, image="activities/none.jpg")
    registration = Registration.unscoped.create(activity=activity, user=personas.citizen, status="confirmed", code="ROUTEB01",
                                                contact_phone="13800001111")  # fmt: skip
    # a county-B resource (a draft: no public page, nobody else's to review)
    resource = resource_create(
        actor=actor_b, organisation=personas.org_b, title=SECRET_RESOURCE_TITLE, kind="article", field="health", summary="岱岳区内部摘要",
        author="某人", body="草稿正文", audiences=["public"], topics=["health"],
    )  # fmt: skip
    course = Course.unscoped.create(title=SECRET_RESOURCE_TITLE, summary="岱岳区内部课程", organisation=personas.org_b,
                                    region=personas.org_b.region, audience_codes=",public,", topic_codes=",health,")  # fmt: skip
    Lesson.unscoped.create(course=course, order=1, title="内部课时", resource=resource)
    # a county-B person of the people registry, with a role
    person = person_create(
        actor=actor_b, name=SECRET_PERSON_NAME, region=venue.region, phone="13712349999",
        id_number=id_numbers.make("370911", date(1980, 2, 3), 555), consent_given=True, roles=["volunteer", "promoter"],
    )  # fmt: skip
    # who is also a promoter, covering a village of county B
    area = PromoterArea.unscoped.create(person=person, village=Region.objects.filter(level="village", county__code="370911").first(),
                                        since=date(2025, 3, 1))  # fmt: skip
    # a request for a talk (点单) of county B's school
    talk = TalkRequest.unscoped.create(
        requester=personas.org_b, region=Region.objects.get(code="370911001"), topic="岱岳区内部点单", field="health", audience="youth",
        expected_size=50, address="粥店街道中心小学", wanted_from=date.today() + timedelta(days=7),
        wanted_until=date.today() + timedelta(days=14), contact_name="刘老师", contact_phone="13912349999",
    )  # fmt: skip
    # county B's part in a task of the work list
    plan = Plan.objects.create(code="routes", title="路由测试方案")
    task = Task.objects.create(plan=plan, code="R-1", title="路由测试任务", text="内容")
    county_b = Organisation.unscoped.get(code="KX370911")
    action = Action.unscoped.create(task=task, organisation=county_b)
    filing = Filing.unscoped.create(organisation=county_b, plan=plan, title="岱岳区实施方案", content="内容")
    report = ProgressReport.unscoped.create(action=action, period="2026-10", due=date(2026, 11, 5))
    notice = SupervisionNotice.unscoped.create(organisation=county_b, text="岱岳区督办", answer_by=date.today() + timedelta(days=5))
    # a file of its filing, and a reminder of its report
    attachment = Attachment.unscoped.create(organisation=county_b, filing=filing, file="worklist/none.pdf", name="岱岳区实施方案.pdf",
                                            content_type="application/pdf", size=1, sha256="0" * 64)  # fmt: skip
    reminder = Reminder.unscoped.create(organisation=county_b, kind="upcoming", report=report, text="岱岳区提醒", link="/console/",
                                        due=date(2026, 11, 5))  # fmt: skip
    # who is also nominated (by county B) for this year's list of outstanding figures, with an objection, an influencer
    # account, and a seat in a studio of county B's venue
    selection = Selection.objects.create(city=Region.objects.get(code="370900"), year=timezone.localdate().year, kind="outstanding")
    nomination = Nomination.unscoped.create(selection=selection, person=person, nominator=Organisation.unscoped.get(code="KX370911"),
                                            reasons="岱岳区内部推荐理由")  # fmt: skip
    expert_objection = ExpertObjection.unscoped.create(nomination=nomination, contact="13800003333", reason="岱岳区内部异议")
    account = InfluencerAccount.unscoped.create(person=person, platform="douyin", account="daiyue_inside", followers=10)
    studio = Studio.unscoped.create(name="岱岳区内部工作室", venue=venue)
    member = StudioMember.unscoped.create(studio=studio, person=person)
    # and a 科普中国 information officer, with a month's figures
    officer = InfoOfficer.unscoped.create(person=person, account="daiyue_secret_officer", organisation=personas.org_b,
                                          registered_on=date(2025, 3, 1))  # fmt: skip
    MonthlyFigures.unscoped.create(officer=officer, year=2025, month=4, shares=3, reads=40)
    # county B's volunteer service: a team of its school with the person in it, a service record, a star (withdrawn:
    # a star in notice or awarded is public by design) with an objection, and a certificate
    today = timezone.localdate()
    team = Team.unscoped.create(organisation=personas.org_b, name="岱岳区内部服务队")
    TeamMembership.unscoped.create(team=team, person=person, joined_on=today)
    service = ServiceRecord.unscoped.create(volunteer=person, date=today - timedelta(days=1), hours=2, content="内部服务", team=team,
                                            organisation=personas.org_b)  # fmt: skip
    award = StarAward.unscoped.create(person=person, level=1, hours=120, notice_starts=today - timedelta(days=10),
                                      notice_ends=today - timedelta(days=3), status="withdrawn", withdrawn_on=today)  # fmt: skip
    star_objection = StarObjection.unscoped.create(award=award, content="岱岳区内部异议内容", channel="phone", contact_name="某人",
                                                   contact_phone="13800002222", received_on=today, recorded_by=personas.city_staff)  # fmt: skip
    certificate = Certificate.unscoped.create(number="ZY-ROUT-EBBB-CCCC-DDDD", kind="service", person=person, name=person.name,
                                              period_start=today, period_end=today, hours=2, records=1, issued_on=today,
                                              issuer="岱岳区科协")  # fmt: skip
    # a funded project (科普项目) of county B's school, with its application form
    call = ProjectCall.objects.create(year=today.year, title="路由测试批次", total_budget=100000, deadline=today + timedelta(days=9))
    project = Project.unscoped.create(call=call, code="KP-2099-999", title="岱岳区内部科普项目", applicant=personas.org_b,
                                      region=personas.org_b.region, category="activity", brief="内部", requested=1000,
                                      period_start=today, period_end=today)  # fmt: skip
    project_document = ProjectDocument.unscoped.create(project=project, kind="application", file="projects/none.pdf", name="内部申报书.pdf",
                                                       content_type="application/pdf", size=1, sha256="0" * 64, uploaded_by="某人")  # fmt: skip
    event = AuditEvent.objects.order_by("-id").first()
    return {
        "news": draft, "membership": membership_b, "token": token_b, "attempt": attempt, "event": event,
        "venue": venue, "slot": slot, "booking": booking, "application": application, "evidence": evidence,
        "objection": objection, "review": review, "photo": photo, "route": route, "route_booking": route_booking,
        "tai_point": tai_point, "activity": activity, "activity_photo": activity_photo,
        "registration": registration, "resource": resource, "course": course, "person": person, "area": area,
        "talk": talk, "action": action, "filing": filing, "report": report, "notice": notice, "attachment": attachment,
        "reminder": reminder,
        "nomination": nomination, "expert_objection": expert_objection, "account": account, "studio": studio, "member": member,
        "officer": officer,
        "team": team, "service": service, "award": award, "star_objection": star_objection, "certificate": certificate,
        "project": project, "project_document": project_document,
    }  # fmt: skip


def record_samples(personas, records) -> dict[str, Callable[[], dict[str, Any]]]:
    org_b = {"uid": personas.org_b.uid}
    news = {"uid": records["news"].uid}
    application = {"uid": records["application"].uid}
    user_b = {"uid": personas.county_b.uid}
    return {
        "portal:news_detail": lambda: news,
        "organisations:detail": lambda: org_b,
        "organisations:edit": lambda: org_b,
        "organisations:reveal_phone": lambda: org_b,
        "accounts_console:user_detail": lambda: user_b,
        "accounts_console:user_grant": lambda: user_b,
        "accounts_console:user_toggle_active": lambda: user_b,
        "accounts_console:user_reset_password": lambda: user_b,
        "accounts_console:user_reveal_phone": lambda: user_b,
        "accounts_console:membership_revoke": lambda: {"uid": records["membership"].uid},
        "accounts_console:token_revoke": lambda: {"uid": records["token"].uid},
        "portal_console:news_detail": lambda: news,
        "portal_console:news_edit": lambda: news,
        "portal_console:news_publish": lambda: news,
        "portal_console:news_withdraw": lambda: news,
        "audit:detail": lambda: {"pk": records["event"].pk},
        "security:unlock": lambda: {"pk": records["attempt"].pk},
        # Public plaque pages answer for listed venues only: a draft of county B has no code to reach it by.
        "venues:public_detail": lambda: {"code": "XH-KJG-370911-9999"},
        "venues:qr_svg": lambda: {"code": "XH-KJG-370911-9999"},
        "venues:qr_png": lambda: {"code": "XH-KJG-370911-9999"},
        "venues:book": lambda: {"code": records["venue"].code, "slot_uid": records["slot"].uid},
        "venues:my_booking_cancel": lambda: {"uid": records["booking"].uid},
        "venues_console:booking_action": lambda: {"uid": records["booking"].uid, "action": "cancel"},
        "venues_console:slots": lambda: {"uid": records["venue"].uid},
        "venues_console:detail": lambda: {"uid": records["venue"].uid},
        "venues_console:photo_upload": lambda: {"uid": records["venue"].uid},
        "venues_console:photo": lambda: {"uid": records["photo"].uid},
        "venues_console:photo_delete": lambda: {"uid": records["photo"].uid},
        "venues:photo": lambda: {"code": records["venue"].code, "uid": records["photo"].uid},
        # Certification: county B's application, its file, objection and yearly re-check. Standards are the city's
        # reference data (nothing of county B's): a missing one answers 404 like any missing record.
        "certification:objection": lambda: application,
        **{f"certification_console:{name}": lambda: application for name in APPLICATION_ROUTES},
        "certification_console:objection_answer": lambda: {**application, "objection_uid": records["objection"].uid},
        "certification_console:evidence": lambda: {"uid": records["evidence"].uid},
        "certification_console:evidence_delete": lambda: {"uid": records["evidence"].uid},
        **{f"certification_console:{name}": lambda: {"uid": records["review"].uid} for name in REVIEW_ROUTES},
        **{f"certification_console:{name}": lambda: {"uid": uuid.uuid4()} for name in STANDARD_ROUTES},
        "tours:detail": lambda: {"key": records["route"].uid},
        "tours:book": lambda: {"key": records["route"].uid},
        "tours:my_booking_cancel": lambda: {"uid": records["route_booking"].uid},
        # TAI科 pages answer for published points only, on the four trails
        "tours:tai_trail": lambda: {"trail": "no-such-trail"},
        "tours:tai_point": lambda: {"code": "TAI-ZL-999"},
        "tours:tai_qr_svg": lambda: {"code": "TAI-ZL-999"},
        "tours:tai_qr_png": lambda: {"code": "TAI-ZL-999"},
        "tours:tai_picture": lambda: {"code": records["tai_point"].code},  # not published: no public address
        "tours_console:tai_picture": lambda: {"uid": records["tai_point"].uid},
        "tours_console:edit": lambda: {"uid": records["route"].uid},
        "tours_console:publish": lambda: {"uid": records["route"].uid},
        "tours_console:withdraw": lambda: {"uid": records["route"].uid},
        "tours_console:booking_action": lambda: {"uid": records["route_booking"].uid, "action": "cancel"},
        "tours_console:tai_edit": lambda: {"uid": records["tai_point"].uid},
        # Activities: county B's draft activity, every step on it, and a report photo of it
        **{f"activities_console:{name}": lambda: {"uid": records["activity"].uid} for name in ACTIVITY_ROUTES},
        "activities_console:photo": lambda: {"uid": records["activity_photo"].uid},
        "activities_console:registration_cancel": lambda: {"uid": records["registration"].uid},
        "activities_console:photo_delete": lambda: {"uid": records["activity_photo"].uid},
        # the public page of an activity answers for published ones only; a registration for its registrant only
        "activities:detail": lambda: {"uid": records["activity"].uid},
        "activities:register": lambda: {"uid": records["activity"].uid},
        "activities:event_ics": lambda: {"uid": records["activity"].uid},
        "activities:my_registration_cancel": lambda: {"uid": records["registration"].uid},
        "activities:my_registration_qr": lambda: {"uid": records["registration"].uid},
        # Resources: county B's draft, every step on it, and its public page and files (answered for published ones only)
        **{f"resources_console:{name}": lambda: {"uid": records["resource"].uid} for name in RESOURCE_ROUTES},
        **{f"library:{name}": lambda: {"uid": records["resource"].uid} for name in ("resource", "media", "cover")},
        # and its draft course (no public pages until the city publishes it)
        "resources_console:course_edit": lambda: {"uid": records["course"].uid},
        "resources_console:course_publish": lambda: {"uid": records["course"].uid},
        "library:course": lambda: {"uid": records["course"].uid},
        "library:course_cover": lambda: {"uid": records["course"].uid},
        **{f"library:{name}": lambda: {"uid": records["course"].uid, "order": 1} for name in ("lesson", "lesson_done", "lesson_position")},
        # Talent: county B's person, its roles and its personal values
        **{f"talent_console:{name}": lambda: {"uid": records["person"].uid} for name in ("detail", "edit", "photo", "role_add")},
        "talent_console:role_remove": lambda: {"uid": records["person"].uid, "kind": "volunteer"},
        "talent_console:reveal": lambda: {"uid": records["person"].uid, "field": "id_number"},
        # Promoters: the same person of county B as a promoter, and the village they cover
        "promoters_console:person": lambda: {"uid": records["person"].uid},
        "promoters_console:release": lambda: {"uid": records["area"].uid},
        # 点单式科普: county B's request, every step on it; the expert page answers for experts of the pool only
        **{
            f"talks_console:{name}": lambda: {"uid": records["talk"].uid} for name in ("detail", "confirm", "decline", "cancel", "feedback")
        },
        "talks_console:expert": lambda: {"uid": records["person"].uid},
        # the work list: county B's action; plans and tasks are the city's, read by every unit (a missing one: 404)
        "worklist_console:action_update": lambda: {"uid": records["action"].uid},
        "worklist_console:task": lambda: {"uid": uuid.uuid4()},
        "worklist_console:plan": lambda: {"code": "no-such-plan"},
        "worklist_console:plan_export": lambda: {"code": "no-such-plan"},
        "worklist_console:filing_create": lambda: {"code": "no-such-plan"},
        "worklist_console:plan_filing_due": lambda: {"code": "no-such-plan"},
        # planning is the city's: county B's task and its plan, asked for by county A (a county never plans)
        **{f"worklist_console:{name}": lambda: {"uid": records["action"].task.uid} for name in ("task_edit", "task_weights")},
        **{f"worklist_console:{name}": lambda: {"code": records["action"].task.plan.code} for name in ("plan_status", "task_create")},
        **{f"worklist_console:{name}": lambda: {"uid": records["filing"].uid} for name in ("filing", "filing_decide")},
        **{f"worklist_console:{name}": lambda: {"uid": records["report"].uid} for name in ("report", "report_exemplary")},
        **{f"worklist_console:{name}": lambda: {"uid": records["notice"].uid} for name in ("notice", "notice_answer", "notice_close")},
        # a file of county B's filing, and county B's reminder
        **{f"worklist_console:{name}": lambda: {"uid": records["attachment"].uid} for name in ("attachment", "attachment_delete")},
        "worklist_console:reminder_read": lambda: {"uid": records["reminder"].uid},
        # Experts: the city's selections are the whole city's (a missing one answers 404); county B's nomination of that
        # person, its objection, their influencer account and the studio of county B's venue. The public pages answer
        # for published years, candidates in notice and listed people only.
        **{f"experts_console:{name}": lambda: {"uid": uuid.uuid4()} for name in SELECTION_ROUTES},
        **{f"experts_console:{name}": lambda: {"uid": records["nomination"].uid} for name in NOMINATION_ROUTES},
        "experts_console:objection_answer": lambda: {"uid": records["nomination"].uid, "objection_uid": records["expert_objection"].uid},
        "experts_console:pool_person": lambda: {"uid": records["person"].uid},
        "experts_console:account_add": lambda: {"uid": records["person"].uid},
        "experts_console:account_remove": lambda: {"uid": records["account"].uid},
        "experts_console:studio": lambda: {"uid": records["studio"].uid},
        "experts_console:member_remove": lambda: {"uid": records["member"].uid},
        "experts:year": lambda: {"year": 2021},
        "experts:objection": lambda: {"uid": records["nomination"].uid},
        "experts:photo": lambda: {"uid": records["nomination"].uid},
        # Information officers: the same person of county B as an officer, and their months
        **{f"officers_console:{name}": lambda: {"uid": records["officer"].uid} for name in ("person", "edit", "person_export")},
        # Volunteers: county B's volunteer, team, service record, star, objection and certificate. The public verify page
        # answers for issued numbers (with the name masked): a number never issued answers 404.
        **{f"volunteers_console:{name}": lambda: {"uid": records["person"].uid} for name in ("volunteer", "certificate_issue")},
        **{f"volunteers_console:{name}": lambda: {"uid": records["certificate"].uid} for name in ("certificate_pdf", "certificate_revoke")},
        **{f"volunteers_console:{name}": lambda: {"uid": records["team"].uid} for name in ("team", "member_add")},
        "volunteers_console:member_remove": lambda: {"uid": records["team"].uid, "person_uid": records["person"].uid},
        **{f"volunteers_console:{name}": lambda: {"uid": records["service"].uid} for name in ("record_delete", "record_unconfirm")},
        **{f"volunteers_console:{name}": lambda: {"uid": records["award"].uid} for name in ("award", "objection_record", "star_withdraw")},
        "volunteers_console:objection_decide": lambda: {"uid": records["award"].uid, "objection_uid": records["star_objection"].uid},
        "volunteers:verify": lambda: {"number": "ZY-AAAA-BBBB-CCCC-DDDD"},
        # Indicators: any figure, asked for county B's scope
        **{
            f"indicators_console:{name}": lambda: {"key": "service_stations", "?": "county=370911"}
            for name in ("indicator", "indicator_export")
        },
        # Funded projects: county B's project, every step on it, and its document; calls are the city's (a missing one: 404)
        **{f"projects_console:{name}": lambda: {"uid": records["project"].uid} for name in PROJECT_ROUTES},
        **{f"projects_console:{name}": lambda: {"uid": records["project_document"].uid} for name in ("document", "document_delete")},
        **{f"projects_console:{name}": lambda: {"uid": uuid.uuid4()} for name in ("call_edit", "call_status")},
    }


APPLICATION_ROUTES = ("detail", "self_assessment", "evidence_upload", "submit", "withdraw", "county_review", "city_review",
                      "objection_record", "decide")  # fmt: skip
SELECTION_ROUTES = ("selection", "selection_export", "nominate", "start_notice", "publish")
NOMINATION_ROUTES = ("nomination", "review", "resubmit", "withdraw")
REVIEW_ROUTES = ("review", "review_report", "review_spot_check", "review_decide")
STANDARD_ROUTES = ("standard", "standard_version", "standard_activate")
RESOURCE_ROUTES = ("detail", "edit", "submit", "assign", "first_review", "second_review", "withdraw", "notice", "pin", "media",
                   "cover")  # fmt: skip
PROJECT_ROUTES = ("detail", "edit", "submit", "document_upload", "allocate", "decline", "start", "spending", "acceptance", "verdict",
                  "evaluate")  # fmt: skip
ACTIVITY_ROUTES = ("detail", "edit", "submit", "review", "held", "report", "verify", "cancel", "checkin", "registrations_export")


def api_samples(personas, records) -> dict[str, Callable[[], dict[str, Any]]]:
    return {
        "GET /api/v1/organisations/{uid}": lambda: {"uid": personas.org_b.uid},
        # county B's draft: not public, so not found by anyone through the public operation
        "GET /api/v1/activities/{uid}": lambda: {"uid": records["activity"].uid},
        # any figure, asked for county B's scope
        "GET /api/v1/indicators/{key}": lambda: {"key": "service_stations", "?": "county=370911"},
    }


def forbidden_texts(personas) -> list[str]:
    return [
        personas.org_b.name,
        SECRET_NEWS_TITLE,
        SECRET_ACTIVITY_TITLE,
        SECRET_RESOURCE_TITLE,
        SECRET_PERSON_NAME,
        "daiyue_secret_officer",
        "岱岳区内部科普项目",
        "岱岳区提醒",
    ]


def test_every_route_declares_who_may_use_it():
    routes = list(walk_urlpatterns())

    assert len(routes) > 30
    assert declaration_problems(routes) == []


def test_every_api_operation_needs_auth_or_is_marked_public():
    assert api_declaration_problems(api) == []


def test_county_a_never_reaches_county_b_by_any_route(client, login, personas, county_b_records):
    login(client, personas.county_a)
    routes = list(walk_urlpatterns())

    problems = leak_problems(client, routes, record_samples(personas, county_b_records), forbidden_texts=forbidden_texts(personas))

    assert problems == []


def test_county_a_never_reaches_county_b_by_any_api_operation_with_a_session(client, login, personas, county_b_records):
    login(client, personas.county_a)

    problems = api_leak_problems(client, api, api_samples(personas, county_b_records), forbidden_texts=forbidden_texts(personas))

    assert problems == []


def test_county_a_never_reaches_county_b_by_any_api_operation_with_a_token(client, personas, county_b_records):
    _, key = token_issue(membership=Membership.objects.get(user=personas.county_a), name="泰山区对接")

    problems = api_leak_problems(
        client,
        api,
        api_samples(personas, county_b_records),
        forbidden_texts=forbidden_texts(personas),
        headers={"Authorization": f"Bearer {key}"},
    )

    assert problems == []


def test_the_django_admin_is_the_system_admins_only(client, login, personas):
    login(client, personas.county_a)

    assert client.get("/sysadmin/").status_code == 404
    assert client.get("/sysadmin/organisations/organisation/").status_code == 404


def test_county_a_does_see_its_own_records(client, login, personas):
    """The walk is not vacuous: the same pages do show county A its own records."""
    login(client, personas.county_a)

    assert client.get(f"/console/organisations/{personas.org_a.uid}/").status_code == 200
    assert personas.org_a.name in client.get("/console/organisations/").content.decode()
    api_names = [o["name"] for o in client.get("/api/v1/organisations", {"page_size": 100}).json()["items"]]
    assert personas.org_a.name in api_names


def test_a_query_outside_any_scope_fails_loudly_instead_of_leaking():
    with pytest.raises(ScopeError):
        list(Organisation.objects.all())


# --- the walkers themselves catch what they are for ---------------------------------------------------------


@pytest.mark.urls("tests.leaky_urls")
def test_the_declaration_walk_catches_a_route_that_declares_nobody():
    routes = list(walk_urlpatterns(get_resolver("tests.leaky_urls").url_patterns))

    assert any("undeclared" in p for p in declaration_problems(routes))


@pytest.mark.urls("tests.leaky_urls")
def test_the_leak_walk_catches_a_leaky_route(client, login, personas, county_b_records):
    login(client, personas.county_a)
    routes = [r for r in walk_urlpatterns(get_resolver("tests.leaky_urls").url_patterns) if r.name == "leaky_detail"]
    samples = {"leaky_detail": lambda: {"uid": personas.org_b.uid}}

    problems = leak_problems(client, routes, samples, forbidden_texts=[])

    assert problems == [
        f"leaky_detail: GET /leaky/{personas.org_b.uid}/ answered 200, expected 404",
        f"leaky_detail: POST /leaky/{personas.org_b.uid}/ answered 200, expected 404",
    ]


def test_the_leak_walk_fails_a_new_route_without_a_sample(client, login, personas):
    login(client, personas.county_a)
    routes = [r for r in walk_urlpatterns() if r.name == "organisations:detail"]

    assert leak_problems(client, routes, {}, forbidden_texts=[]) == [
        "organisations:detail: no sample record in RECORD_SAMPLES — add one so this route is walked"
    ]
