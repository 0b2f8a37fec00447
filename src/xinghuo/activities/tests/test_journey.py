"""An activity from draft to verified through a return: it counts toward its brand's target only once verified,
every step is recorded with who, when and why, and a county can never approve another county's activity."""

from __future__ import annotations

from datetime import timedelta

import pytest

from xinghuo.activities import selectors, services
from xinghuo.activities.errors import ActivityError as E
from xinghuo.activities.models import Activity, ActivityPhoto, ActivityStatus, ActivityStep, BrandTarget, Level, StepAction
from xinghuo.activities.tests.conftest import SUMMARY, acting_as, brand, draft, png, published, reported, verified
from xinghuo.core.errors import DomainError
from xinghuo.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _progress(cast, year: int) -> list[selectors.Progress]:
    with acting_as(cast.city):
        return selectors.brand_progress(year)


def _count(cast, year: int, code: str, level: str) -> int:
    return next((r.verified for r in _progress(cast, year) if r.brand.code == code and r.level == level), 0)


def test_a_city_activity_from_draft_to_verified_through_a_return_counts_only_when_verified(cast):
    # Given a city demonstration 智惠助老 activity filed by a school, and the year's target of its brand
    activity = draft(cast.filer, cast.org_a, level=Level.CITY, title="智惠助老示范课：手机防诈骗")
    year = activity.starts_at.year
    target, _ = BrandTarget.objects.get_or_create(brand=brand(), year=year, level=Level.CITY, defaults={"minimum": 3, "maximum": 5})
    assert activity.status == ActivityStatus.DRAFT

    # When it is submitted, the county cannot approve a city-level activity; the city returns it with a reason
    services.activity_submit(actor=cast.filer, activity=activity)
    with pytest.raises(DomainError) as county:
        services.activity_review(actor=cast.county_a, activity=activity, approve=True)
    assert county.value.code == E.NOT_ALLOWED
    assert "市科协" in county.value.message
    with pytest.raises(DomainError) as no_reason:
        services.activity_review(actor=cast.city, activity=activity, approve=False, reason="  ")
    assert no_reason.value.code == E.REASON_REQUIRED
    activity = services.activity_review(actor=cast.city, activity=activity, approve=False, reason="请补充主讲专家和协办单位")
    assert activity.status == ActivityStatus.RETURNED

    # The filer mends and resubmits; the city approves and it is published
    with acting_as(cast.filer):
        services.activity_update(actor=cast.filer, activity=activity, co_organisers="泰安市老年医学会、中国移动泰安分公司")
    activity = services.activity_submit(actor=cast.filer, activity=activity)
    assert activity.round == 2
    activity = services.activity_review(actor=cast.city, activity=activity, approve=True, reason="同意发布")
    assert activity.status == ActivityStatus.PUBLISHED
    assert activity.published_at is not None

    # It cannot be marked held before it starts; after, it is held and reported — and still counts for nothing
    with pytest.raises(DomainError) as early:
        services.activity_mark_held(actor=cast.filer, activity=activity)
    assert early.value.code == E.TOO_EARLY
    activity = services.activity_mark_held(actor=cast.filer, activity=activity, now=activity.starts_at + timedelta(hours=1))
    with pytest.raises(DomainError) as no_photo:
        services.activity_report(actor=cast.filer, activity=activity, attendance=120, online_views=None, summary=SUMMARY)
    assert no_photo.value.code == E.PHOTO_INVALID
    activity = services.activity_report(actor=cast.filer, activity=activity, attendance=120, online_views=None, summary=SUMMARY,
                                        photos=[png()])  # fmt: skip
    assert activity.status == ActivityStatus.REPORTED
    assert _count(cast, year, "smart_elderly", Level.CITY) == 0

    # The city sends the report back; the filer reports again; only verification makes it count
    activity = services.activity_verify(actor=cast.city, activity=activity, approve=False, reason="请补充活动现场照片")
    assert activity.status == ActivityStatus.HELD
    assert _count(cast, year, "smart_elderly", Level.CITY) == 0
    activity = services.activity_report(actor=cast.filer, activity=activity, attendance=126, online_views=None, summary=SUMMARY,
                                        photos=[png("合影.png")])  # fmt: skip
    activity = services.activity_verify(actor=cast.city, activity=activity, approve=True)
    assert activity.status == ActivityStatus.VERIFIED
    assert activity.verified_at is not None

    # Then it counts toward its brand's city target (and not the grassroots one), and the drill-down lists it
    row = next(r for r in _progress(cast, year) if r.brand.code == "smart_elderly" and r.level == Level.CITY)
    assert row.verified == 1
    assert row.target == target
    assert not row.met
    assert _count(cast, year, "smart_elderly", Level.GRASSROOTS) == 0
    with acting_as(cast.city):
        assert list(selectors.brand_progress_activities(year=year, brand=brand(), level=Level.CITY)) == [activity]
    assert ActivityPhoto.unscoped.filter(activity=activity).count() == 2

    # Every step is recorded with who, in which role, from which status to which, and why
    steps = list(ActivityStep.unscoped.filter(activity=activity))
    assert [s.action for s in steps] == [
        StepAction.CREATE, StepAction.SUBMIT, StepAction.RETURN, StepAction.SUBMIT, StepAction.APPROVE, StepAction.HOLD,
        StepAction.REPORT, StepAction.REPORT_RETURN, StepAction.REPORT, StepAction.VERIFY,
    ]  # fmt: skip
    returned = steps[2]
    assert (returned.from_status, returned.to_status) == (ActivityStatus.SUBMITTED, ActivityStatus.RETURNED)
    assert returned.reason == "请补充主讲专家和协办单位"
    assert returned.actor == cast.city.user
    assert "市科协" in returned.actor_role
    assert AuditEvent.objects.filter(object_type="activities.activity", object_id=str(activity.uid)).count() >= 8


def test_a_county_can_never_approve_another_countys_activity(cast):
    # Given a grassroots activity of 泰山区 (county A), submitted
    activity = draft(cast.filer, cast.org_a)
    services.activity_submit(actor=cast.filer, activity=activity)
    steps_before = ActivityStep.unscoped.filter(activity=activity).count()

    # When 岱岳区 (county B) tries to approve or return it, it is "not found", and nothing changes
    for approve in (True, False):
        with pytest.raises(DomainError) as outsider:
            services.activity_review(actor=cast.county_b, activity=activity, approve=approve, reason="越权退回")
        assert outsider.value.status == 404
    # ... nor may the city approve a grassroots activity: that is the county's
    with pytest.raises(DomainError) as city:
        services.activity_review(actor=cast.city, activity=activity, approve=True)
    assert city.value.code == E.NOT_ALLOWED
    assert "县市区" in city.value.message
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.SUBMITTED
    assert ActivityStep.unscoped.filter(activity=activity).count() == steps_before

    # Then its own county approves it
    assert services.activity_review(actor=cast.county_a, activity=activity, approve=True).status == ActivityStatus.PUBLISHED


def test_a_county_cannot_verify_another_countys_report(cast):
    activity = reported(cast)

    with pytest.raises(DomainError) as outsider:
        services.activity_verify(actor=cast.county_b, activity=activity, approve=True)

    assert outsider.value.status == 404
    assert Activity.unscoped.get(pk=activity.pk).status == ActivityStatus.REPORTED


def test_only_verified_activities_count_in_the_year_they_started(cast):
    done = verified(cast)
    published(cast, title="尚未举办的讲座")
    reported(cast, title="已报送未核验的讲座")
    year = done.starts_at.year

    assert _count(cast, year, "smart_elderly", Level.GRASSROOTS) == 1
    assert all(r.verified == 0 for r in _progress(cast, year - 1))
