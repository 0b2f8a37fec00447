"""What the services refuse, each with a Chinese message beside its field, and that a refusal changes nothing;
the database holds the same invariants on its own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from xinghuo.activities import services
from xinghuo.activities.errors import ActivityError as E
from xinghuo.activities.models import (
    EMERGENCY_TOPICS,
    Activity,
    ActivityPhoto,
    ActivityStatus,
    ActivityStep,
    BrandTarget,
    Format,
    Level,
    Topic,
)
from xinghuo.activities.tests.conftest import SUMMARY, ZHOUDIAN, acting_as, brand, draft, fields, png, published, soon
from xinghuo.core.errors import DomainError
from xinghuo.regions.models import Region

pytestmark = pytest.mark.django_db


def _refused(actor, organiser, **overrides) -> DomainError:
    with acting_as(actor), pytest.raises(DomainError) as refused:
        services.activity_create(actor=actor, organiser=organiser, **fields(**overrides))
    assert not Activity.unscoped.exists()
    assert not ActivityStep.unscoped.exists()
    return refused.value


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"ends_at": soon(hour=8)}, "ends_at", "结束时间应晚于开始时间"),
        ({"address": ""}, "address", "请选择场馆或填写举办地址"),
        ({"format": Format.ONLINE, "address": ""}, "online_url", "请填写直播或观看链接"),
        ({"format": Format.BOTH, "online_url": "not a url"}, "online_url", ""),
        ({"audiences": []}, "audiences", "请选择面向人群"),
        ({"topics": ["astrology"]}, "topics", "无效"),
        ({"registration_opens": soon(hour=8), "registration_closes": soon(hour=7)}, "registration_closes", "晚于报名开始"),
        ({"registration_closes": soon(days=5)}, "registration_closes", "不能晚于活动结束时间"),
        ({"title": "  "}, "title", "请填写活动名称"),
    ],
)
def test_a_bad_draft_is_refused_beside_its_field_and_saves_nothing(cast, overrides, field, words):
    refused = _refused(cast.filer, cast.org_a, **overrides)

    assert refused.field == field
    assert words in refused.message


def test_a_grassroots_activity_needs_a_county_to_approve_it(cast):
    refused = _refused(cast.city, cast.org_a, region=Region.objects.get(code="370900"))

    assert refused.field == "region"
    assert "县市区" in refused.message


def test_a_filer_files_for_its_own_organisation_in_its_own_region_only(cast):
    elsewhere = _refused(cast.filer, cast.org_a, region=Region.objects.get(code=ZHOUDIAN))
    other_org = _refused(cast.filer, cast.org_b)
    county_b = _refused(cast.county_b, cast.org_a)

    assert elsewhere.code == other_org.code == county_b.code == E.NOT_ALLOWED


def test_an_inactive_brand_takes_no_new_activity(cast):
    free = brand("free")
    free.is_active = False
    free.save(update_fields=["is_active"])

    refused = _refused(cast.filer, cast.org_a, brand=free)

    assert refused.field == "brand"
    assert "已停用" in refused.message


def test_an_activity_at_a_venue_needs_no_address_but_the_venue_must_be_in_its_region(cast, make_venue):
    hall = make_venue(name="岱庙星火科技馆")
    daiyue_hall = make_venue(name="粥店科技馆", region=ZHOUDIAN, operator="KX370911")

    with acting_as(cast.filer):
        activity = services.activity_create(actor=cast.filer, organiser=cast.org_a, **fields(address="", venue=hall))
    refused = _refused_update(cast, activity, venue=daiyue_hall)

    assert activity.place.startswith("岱庙星火科技馆")
    assert refused.field == "venue"
    assert Activity.unscoped.get(pk=activity.pk).venue == hall


def _refused_update(cast, activity, **changes) -> DomainError:
    with acting_as(cast.filer), pytest.raises(DomainError) as refused:
        services.activity_update(actor=cast.filer, activity=activity, **changes)
    return refused.value


def test_only_a_draft_or_a_returned_activity_is_edited(cast):
    activity = published(cast)

    refused = _refused_update(cast, activity, title="改名")

    assert refused.code == E.STATUS
    assert Activity.unscoped.get(pk=activity.pk).title == "智能手机防诈骗讲座"


def test_an_activity_that_has_started_is_not_submitted(cast):
    activity = draft(cast.filer, cast.org_a)

    with pytest.raises(DomainError) as late:
        services.activity_submit(actor=cast.filer, activity=activity, now=activity.starts_at + timedelta(minutes=1))

    assert late.value.code == E.TOO_LATE
    assert Activity.unscoped.get(pk=activity.pk).status == ActivityStatus.DRAFT


def test_a_citizen_or_reviewer_files_nothing(cast, personas):
    from xinghuo.accounts.actor import actor_for

    for user in (personas.citizen, personas.reviewer):
        with pytest.raises(DomainError) as refused:
            services.activity_create(actor=actor_for(user), organiser=cast.org_a, **fields())
        assert refused.value.status == 403


def test_a_report_is_refused_whole_and_leaves_no_file(cast):
    activity = published(cast, format=Format.BOTH, online_url="https://live.example.cn/1")
    services.activity_mark_held(actor=cast.filer, activity=activity, now=activity.starts_at)
    fake = SimpleUploadedFile("照片.jpg", b"MZ this is a program", content_type="image/jpeg")

    with pytest.raises(DomainError) as not_image:
        services.activity_report(
            actor=cast.filer, activity=activity, attendance=50, online_views=900, summary=SUMMARY, photos=[png(), fake]
        )
    with pytest.raises(DomainError) as short:
        services.activity_report(actor=cast.filer, activity=activity, attendance=50, online_views=900, summary="很好", photos=[png()])
    with pytest.raises(DomainError) as no_views:
        services.activity_report(actor=cast.filer, activity=activity, attendance=50, online_views=None, summary=SUMMARY, photos=[png()])
    with pytest.raises(DomainError) as negative:
        services.activity_report(actor=cast.filer, activity=activity, attendance=-1, online_views=9, summary=SUMMARY, photos=[png()])

    assert not_image.value.field == "photos"
    assert short.value.field == "summary"
    assert no_views.value.field == "online_views"
    assert negative.value.code == E.REPORT_INVALID
    assert not ActivityPhoto.unscoped.exists()
    assert Activity.unscoped.get(pk=activity.pk).status == ActivityStatus.HELD


def test_an_online_activity_reports_views_and_needs_no_photo(cast):
    activity = published(cast, format=Format.ONLINE, address="", online_url="https://live.example.cn/2")
    services.activity_mark_held(actor=cast.filer, activity=activity, now=activity.starts_at)

    activity = services.activity_report(actor=cast.filer, activity=activity, attendance=None, online_views=3200, summary=SUMMARY)

    assert activity.status == ActivityStatus.REPORTED
    assert activity.online_views == 3200


def test_the_emergency_themes_of_the_work_plan_are_topics():
    labels = {str(Topic(t).label) for t in EMERGENCY_TOPICS}

    assert labels == {"疫情防控", "生命健康", "生态保护", "食品安全", "能源安全", "粮食安全"}


def test_the_2026_targets_of_the_action_plan_are_there():
    targets = {(t.brand.name, t.level): (t.minimum, t.maximum) for t in BrandTarget.objects.filter(year=2026).select_related("brand")}

    assert targets[("三百三进", Level.CITY)] == (10, 20)
    assert targets[("科普之春", Level.CITY)] == (8, 10)
    assert targets[("全国科普月", Level.CITY)] == (50, None)
    assert targets[("科普欢乐游", Level.CITY)] == (3, 5)
    assert targets[("东岳星空科普讲坛", Level.CITY)] == (1, 2)
    assert targets[("智惠助老", Level.CITY)] == (3, 5)


def test_the_database_holds_the_invariants_by_itself(cast):
    activity = draft(cast.filer, cast.org_a)
    start = activity.starts_at

    for bad in (
        {"ends_at": start},
        {"registration_opens": start, "registration_closes": start - timedelta(hours=1)},
        {"registration_closes": activity.ends_at + timedelta(minutes=1)},
        {"status": ActivityStatus.VERIFIED},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            _raw_update(activity, bad)
    with pytest.raises(IntegrityError), transaction.atomic():
        BrandTarget.objects.create(brand=brand("free"), year=2030, level=Level.CITY, minimum=5, maximum=3)


def _raw_update(activity: Activity, values: dict) -> None:
    """Past the services and the audited save: straight to the database."""
    from xinghuo.core import audit

    with audit.bulk_write(model=Activity, description="测试：绕过服务直接写库"):
        Activity.unscoped.filter(pk=activity.pk).update(**values)
