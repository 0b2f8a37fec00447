"""The review workflow of the resource library: two reviews with a return, the expert's evidence and re-review date,
publication, re-review, withdrawal and notices, the red-line flags, and who may do what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from xinghuo.resources import redline, services
from xinghuo.resources.errors import ResourceError as E
from xinghuo.resources.models import Notice, NoticeKind, Resource, ResourceStatus, ResourceStep, Review, Stage, StepAction, Verdict
from xinghuo.resources.tests.conftest import ARTICLE, draft, in_first_review, in_second_review, published

pytestmark = pytest.mark.django_db

S = ResourceStatus


def raises(code: str, call, status: int | None = None):
    with pytest.raises(services.DomainError) as info:
        call()
    assert info.value.code == code
    if status is not None:
        assert info.value.status == status
    return info.value


def fresh(resource: Resource) -> Resource:
    return Resource.unscoped.get(pk=resource.pk)


def test_a_resource_goes_through_both_reviews_with_a_return_and_is_published_with_its_record(cast):
    resource = draft(cast)
    services.resource_submit(actor=cast.contributor, resource=resource)
    services.resource_assign(actor=cast.county_a, resource=resource, reviewer=cast.expert.user)
    due = timezone.localdate() + timedelta(days=365)

    # the expert returns it first: the evidence is missing a source for a figure
    services.resource_first_review(actor=cast.expert, resource=resource, approve=False, reason="请注明诊断标准的出处")
    assert fresh(resource).status == S.RETURNED
    services.resource_update(actor=cast.contributor, resource=resource, summary="依据《中国高血压防治指南》，学会家庭自测血压。")
    services.resource_submit(actor=cast.contributor, resource=resource)
    assert fresh(resource).reviewer_id is None  # a new round is assigned afresh
    services.resource_assign(actor=cast.county_a, resource=resource, reviewer=cast.expert.user)
    services.resource_first_review(actor=cast.expert, resource=resource, approve=True, evidence="《中国高血压防治指南（2024年修订版）》",
                                   re_review_on=due)  # fmt: skip
    assert fresh(resource).status == S.SECOND_REVIEW
    services.resource_second_review(actor=cast.city, resource=resource, approve=True)

    resource = fresh(resource)
    assert resource.status == S.PUBLISHED
    assert resource.review_due == due
    assert resource.round == 2
    reviews = list(Review.unscoped.filter(resource=resource).order_by("id"))
    assert [(r.round, r.stage, r.verdict) for r in reviews] == [
        (1, Stage.FIRST, Verdict.RETURN), (2, Stage.FIRST, Verdict.PASS), (2, Stage.SECOND, Verdict.PASS),
    ]  # fmt: skip
    first = reviews[1]
    assert (first.reviewer_title, first.reviewer_field) == ("泰安市中心医院 主任医师", "医疗卫生与健康")
    actions = list(ResourceStep.unscoped.filter(resource=resource).values_list("action", flat=True))
    assert actions == ["create", "submit", "assign", "first_return", "submit", "assign", "first_pass", "second_pass"]


def test_the_second_review_can_return_with_reasons(cast):
    resource = in_second_review(cast)

    raises(E.REASON_REQUIRED, lambda: services.resource_second_review(actor=cast.city, resource=resource, approve=False))
    services.resource_second_review(actor=cast.city, resource=resource, approve=False, reason="配图涉及未成年人肖像，请更换")

    assert fresh(resource).status == S.RETURNED


def test_a_first_review_needs_evidence_and_a_future_re_review_date_within_three_years(cast):
    resource = in_first_review(cast)
    today = timezone.localdate()

    no_evidence = raises(E.INVALID, lambda: services.resource_first_review(
        actor=cast.expert, resource=resource, approve=True, re_review_on=today + timedelta(days=30)))  # fmt: skip
    past = raises(E.INVALID, lambda: services.resource_first_review(
        actor=cast.expert, resource=resource, approve=True, evidence="指南", re_review_on=today))  # fmt: skip
    too_far = raises(E.INVALID, lambda: services.resource_first_review(
        actor=cast.expert, resource=resource, approve=True, evidence="指南", re_review_on=today + timedelta(days=4 * 365)))  # fmt: skip

    assert (no_evidence.field, past.field, too_far.field) == ("evidence", "re_review_on", "re_review_on")
    assert fresh(resource).status == S.FIRST_REVIEW
    assert not Review.unscoped.filter(resource=resource).exists()


def test_only_the_assigned_expert_reviews_and_only_an_expert_of_the_field_is_assigned(cast):
    resource = draft(cast)
    services.resource_submit(actor=cast.contributor, resource=resource)

    wrong_field = raises(
        E.REVIEWER, lambda: services.resource_assign(actor=cast.county_a, resource=resource, reviewer=cast.other_expert.user)
    )
    services.resource_assign(actor=cast.county_a, resource=resource, reviewer=cast.expert.user)
    other = raises(E.NOT_ALLOWED, lambda: services.resource_first_review(actor=cast.other_expert, resource=resource, approve=False,
                                                                         reason="不是我的"), status=404)  # fmt: skip
    staff = raises(E.NOT_ALLOWED, lambda: services.resource_first_review(actor=cast.city, resource=resource, approve=False, reason="x"))

    assert "医疗卫生与健康领域" in wrong_field.message
    assert other.status == 404
    assert staff.status == 403
    assert fresh(resource).status == S.FIRST_REVIEW


def test_an_expert_of_the_contributing_unit_is_not_offered(cast):
    resource = draft(cast, actor=cast.contributor_b, organisation=cast.org_b)  # the expert belongs to org B
    services.resource_submit(actor=cast.contributor_b, resource=resource)

    assert cast.expert.user not in [r.user for r in services.reviewer_candidates(resource)]
    raises(E.REVIEWER, lambda: services.resource_assign(actor=cast.county_b, resource=resource, reviewer=cast.expert.user))


def test_a_county_cannot_touch_another_countys_drafts_or_assign_their_reviews(cast):
    resource = draft(cast)

    edit = raises(E.NOT_ALLOWED, lambda: services.resource_update(actor=cast.county_b, resource=resource, title="改个标题"), status=404)
    submit = raises(E.NOT_ALLOWED, lambda: services.resource_submit(actor=cast.contributor_b, resource=resource), status=404)
    services.resource_submit(actor=cast.contributor, resource=resource)
    assign = raises(E.NOT_ALLOWED, lambda: services.resource_assign(actor=cast.county_b, resource=resource, reviewer=cast.expert.user))

    assert (edit.status, submit.status, assign.status) == (404, 404, 404)
    assert fresh(resource).title == "高血压的家庭管理"
    assert fresh(resource).status == S.SUBMITTED


def test_only_the_city_does_the_second_review(cast):
    resource = in_second_review(cast)

    raises(E.NOT_ALLOWED, lambda: services.resource_second_review(actor=cast.county_a, resource=resource, approve=True), status=403)

    assert fresh(resource).status == S.SECOND_REVIEW


def test_a_resource_must_be_complete_before_review(cast):
    short = draft(cast, body="太短了")
    video = draft(cast, kind="video", body="")

    assert raises(E.INVALID, lambda: services.resource_submit(actor=cast.contributor, resource=short)).field == "body"
    assert raises(E.INVALID, lambda: services.resource_submit(actor=cast.contributor, resource=video)).field == "media"
    services.resource_update(actor=cast.contributor, resource=video, external_url="https://v.example.cn/kepu/123")
    services.resource_submit(actor=cast.contributor, resource=video)


def test_an_emergency_resource_needs_an_emergency_topic_and_is_pinned_for_a_week_when_published(cast):
    with pytest.raises(services.DomainError) as info:
        draft(cast, is_emergency=True, topics=["digital"])
    resource = published(cast, is_emergency=True, topics=["epidemic", "health"])

    assert info.value.field == "is_emergency"
    assert fresh(resource).pinned_until > timezone.now() + timedelta(days=6)


def test_the_body_is_cleaned_of_scripts_and_plain_text_becomes_paragraphs(cast):
    dirty = draft(cast, body=ARTICLE + '<script>alert(1)</script><p onclick="x()">点我</p><a href="javascript:x()">链接</a>')
    plain = draft(cast, body="第一段\n\n第二段")

    assert "<script" not in dirty.body
    assert "onclick" not in dirty.body
    assert "javascript:" not in dirty.body
    assert plain.body == "<p>第一段</p><p>第二段</p>"


class TestAfterPublication:
    def test_a_due_re_review_passes_with_a_new_date_or_fails_and_withdraws_with_the_reason_shown(self, cast):
        kept, failed = published(cast), published(cast, title="高血压饮食误区")
        later = timezone.now() + timedelta(days=400)
        today_later = timezone.localdate(later)

        services.resource_first_review(actor=cast.expert, resource=kept, approve=True, evidence="指南未更新", now=later,
                                       re_review_on=today_later + timedelta(days=365))  # fmt: skip
        services.resource_first_review(actor=cast.expert, resource=failed, approve=False, reason="新版指南已修改诊断标准", now=later)

        assert fresh(kept).status == S.PUBLISHED
        assert fresh(kept).review_due == today_later + timedelta(days=365)
        assert fresh(failed).status == S.WITHDRAWN
        notice = Notice.objects.get(resource=failed)
        assert notice.kind == NoticeKind.WITHDRAWAL
        assert "新版指南已修改诊断标准" in notice.text
        assert Review.unscoped.filter(resource=kept, stage=Stage.RE_REVIEW, verdict=Verdict.PASS).count() == 1

    def test_a_re_review_before_its_date_is_refused(self, cast):
        resource = published(cast)

        raises(E.STATUS, lambda: services.resource_first_review(actor=cast.expert, resource=resource, approve=False, reason="早了"))

    def test_the_city_withdraws_with_a_reason_and_adds_corrections_and_rebuttals(self, cast):
        resource, other = published(cast), published(cast, title="“酸碱体质”是伪科学")

        raises(E.REASON_REQUIRED, lambda: services.resource_withdraw(actor=cast.city, resource=resource, reason=" "))
        services.resource_notice(actor=cast.city, resource=other, kind=NoticeKind.REBUTTAL, text="网传“碱性水防癌”没有科学依据。")
        services.resource_notice(actor=cast.city, resource=other, kind=NoticeKind.CORRECTION, text="第二段的数据已更正为 2024 年数据。")
        services.resource_withdraw(actor=cast.city, resource=resource, reason="内容已过时，待作者修订")

        assert fresh(resource).status == S.WITHDRAWN
        assert fresh(resource).is_public  # the page stays, with only the notice
        assert [n.kind for n in Notice.objects.filter(resource=other)] == [NoticeKind.CORRECTION, NoticeKind.REBUTTAL]
        assert ResourceStep.unscoped.filter(resource=resource, action=StepAction.WITHDRAW).exists()

    def test_a_withdrawn_resource_is_revised_and_reviewed_afresh(self, cast):
        resource = published(cast)
        services.resource_withdraw(actor=cast.city, resource=resource, reason="待修订")

        services.resource_update(actor=cast.contributor, resource=resource, summary="修订后的摘要：学会家庭自测血压。")
        services.resource_submit(actor=cast.contributor, resource=resource)

        assert fresh(resource).status == S.SUBMITTED
        assert fresh(resource).round == 2

    def test_nobody_but_the_city_withdraws(self, cast):
        resource = published(cast)

        raises(E.NOT_ALLOWED, lambda: services.resource_withdraw(actor=cast.county_a, resource=resource, reason="x"), status=403)
        raises(E.NOT_ALLOWED, lambda: services.resource_withdraw(actor=cast.expert, resource=resource, reason="x"), status=403)


class TestRedLine:
    def test_a_planted_passage_is_flagged_with_its_context_and_recorded_on_the_review(self, cast):
        planted = ARTICLE + "<p>某保健品宣称<strong>包治百病</strong>，还说喝了能量水就能降压，这些都是骗局。</p>"
        resource = in_second_review(cast, body=planted)

        found = redline.flags(title=resource.title, summary=resource.summary, body=resource.body)
        review = Review.unscoped.get(resource=resource, stage=Stage.FIRST)

        assert [(f.term, f.category) for f in found] == [("包治百病", "medical"), ("能量水", "pseudoscience")]
        assert found[0].where == "正文"
        assert "某保健品宣称【包治百病】，还说喝了" in found[0].passage
        assert [f["term"] for f in review.flags] == ["包治百病", "能量水"]

    def test_markup_inside_a_term_does_not_hide_it(self, cast):
        found = redline.flags(title="", summary="", body="<p>包<b>治</b>百病</p><p>算</p><p>命</p>")

        assert [f.term for f in found] == ["包治百病"]  # a paragraph break does part words

    def test_a_clean_text_has_no_flags_and_a_retired_term_stops_flagging(self, cast):
        assert redline.flags(title="高血压", summary="", body=ARTICLE) == []
        services.red_line_term_set(actor=cast.city, term="能量水", category="pseudoscience", is_active=False)
        services.red_line_term_set(actor=cast.city, term="降压神器", category="medical")

        found = redline.flags(title="降压神器与能量水", summary="", body="")

        assert [f.term for f in found] == ["降压神器"]

    def test_only_the_city_keeps_the_lexicon(self, cast):
        raises(E.NOT_ALLOWED, lambda: services.red_line_term_set(actor=cast.county_a, term="风水", category="superstition"))
