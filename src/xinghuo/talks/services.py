"""Writes of 点单式科普: ask for a talk, arrange it (the expert and the date; the talk becomes an activity), decline
or withdraw it, give feedback once it is held. Each in one transaction, the request's row locked; arranging also
locks the expert's row, so that two staff cannot book one expert twice for the same hours."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.activities import services as activities
from xinghuo.activities.models import Activity, ActivityStatus, Brand, Format, Level, Topic
from xinghuo.core.errors import DomainError
from xinghuo.core.phones import CONTACT_RE
from xinghuo.core.validation import validate
from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region
from xinghuo.talent.models import Expertise, Person, PersonRole, RoleKind, RoleStatus
from xinghuo.talks import permissions
from xinghuo.talks.errors import TalkError as E
from xinghuo.talks.models import TalkRequest, TalkStatus
from xinghuo.venues.models import Audience

NOT_FOUND = "您要找的记录不存在或无权查看。"
LONGEST_WINDOW = timedelta(days=180)  # a request names a time within half a year
DEFAULT_BRAND = "sanbai"  # 三百三进: "征集需求，推动活动向基层倾斜" — a talk asked for by the grassroots
HELD = (ActivityStatus.HELD, ActivityStatus.REPORTED, ActivityStatus.VERIFIED)
#: the activity's theme for an expert's field (the school may change it in the draft)
TOPIC_OF_FIELD = {
    "agriculture": Topic.AGRICULTURE, "health": Topic.HEALTH, "new_tech": Topic.INDUSTRY, "ecology": Topic.ECOLOGY,
    "safety": Topic.EARTH, "aerospace": Topic.SPACE, "it": Topic.DIGITAL, "education": Topic.SCIENCE_SPIRIT,
}  # fmt: skip


def _deny(message: str = "您的身份不能办理这一环节") -> DomainError:
    return DomainError(E.NOT_ALLOWED, message, status=403)


def _reaches(actor: Actor, talk: TalkRequest) -> bool:
    return actor.reaches(region_id=talk.region_id, organisation_id=talk.requester_id)


def _lock(actor: Actor, talk: TalkRequest, *statuses: str) -> TalkRequest:
    locked = TalkRequest.unscoped.select_for_update(of=("self",)).select_related("requester", "region").get(pk=talk.pk)
    if not _reaches(actor, locked):
        raise DomainError(E.NOT_ALLOWED, NOT_FOUND, status=404)
    if statuses and locked.status not in statuses:
        raise DomainError(E.STATUS, f"点单当前为“{locked.get_status_display()}”，不能办理这一环节")
    return locked


def talk_request(
    *, actor: Actor, requester: Organisation, region: Region, topic: str, field: str, audience: str, expected_size: int,
    wanted_from: date, wanted_until: date, contact_name: str, contact_phone: str, address: str, note: str = "",
) -> TalkRequest:  # fmt: skip
    """Ask for a talk, given where it takes place (an expert comes to the school, the community, the company): for the
    actor's own organisation (or one of its units), or, as staff, for one of their scope."""
    if not permissions.can_request(actor):
        raise _deny("您的身份不能点单")
    topic, contact_name, contact_phone = (topic or "").strip(), (contact_name or "").strip(), (contact_phone or "").strip()
    address = (address or "").strip()
    today = timezone.localdate()
    if not topic:
        raise DomainError(E.INVALID, "请填写希望讲的主题", field="topic")
    if field not in Expertise.values:
        raise DomainError(E.INVALID, "请选择专业领域", field="field")
    if audience not in Audience.values:
        raise DomainError(E.INVALID, "请选择听众", field="audience")
    if not expected_size or expected_size < 1:
        raise DomainError(E.INVALID, "请填写预计人数", field="expected_size")
    if wanted_from < today:
        raise DomainError(E.INVALID, "希望时间不能早于今天", field="wanted_from")
    if wanted_until < wanted_from:
        raise DomainError(E.INVALID, "希望时间的结束日期不能早于开始日期", field="wanted_until")
    if wanted_until - wanted_from > LONGEST_WINDOW:
        raise DomainError(E.INVALID, "希望时间请限定在半年之内", field="wanted_until")
    if not address:
        raise DomainError(E.INVALID, "请填写讲座地点（如学校礼堂、社区活动室）", field="address")
    if not contact_name:
        raise DomainError(E.INVALID, "请填写联系人", field="contact_name")
    if not CONTACT_RE.match(contact_phone):
        raise DomainError(E.INVALID, "请填写正确的联系电话（手机号或带区号的固定电话）", field="contact_phone")
    if not actor.reaches(region_id=region.pk, organisation_id=requester.pk) or not actor.reaches(
        region_id=requester.region_id, organisation_id=requester.pk
    ):
        raise DomainError(E.NOT_ALLOWED, "只能为您管理范围内的单位、在您管理范围内的区划点单", field="requester", status=403)
    if region.county_or_zone is None:
        raise DomainError(E.INVALID, "举办地请选到县市区（功能区）或以下：由所在县级科协安排", field="region")
    talk = TalkRequest(
        requester=requester, region=region, topic=topic, field=field, audience=audience, expected_size=expected_size,
        address=address, wanted_from=wanted_from, wanted_until=wanted_until, contact_name=contact_name,
        contact_phone=contact_phone, note=(note or "").strip(),
    )  # fmt: skip
    validate(talk)
    with transaction.atomic():
        talk.save()
    return talk


def busy(expert: Person, starts_at: datetime, ends_at: datetime, *, besides: TalkRequest | None = None) -> bool:
    """Whether the expert gives another arranged talk in these hours."""
    others = TalkRequest.unscoped.filter(
        expert=expert, status__in=(TalkStatus.CONFIRMED, TalkStatus.DONE), starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if besides is not None:
        others = others.exclude(pk=besides.pk)
    return others.exists()


def talk_confirm(
    *, actor: Actor, talk: TalkRequest, expert: Person, starts_at: datetime, ends_at: datetime, brand: Brand | None = None,
) -> TalkRequest:  # fmt: skip
    """Arrange the talk: this expert, these hours (within the weeks asked for). The talk becomes a draft activity of
    the asking organisation, which completes it (place, description) and files it as any other activity."""
    if not permissions.can_arrange(actor):
        raise _deny("只有县、市科协可以安排点单")
    if ends_at <= starts_at:
        raise DomainError(E.INVALID, "结束时间应晚于开始时间", field="ends_at")
    if starts_at <= timezone.now():
        raise DomainError(E.INVALID, "开始时间应晚于现在", field="starts_at")
    brand = brand or Brand.objects.get(code=DEFAULT_BRAND)
    with transaction.atomic():
        locked = _lock(actor, talk, TalkStatus.REQUESTED)
        day = timezone.localtime(starts_at).date()
        if not locked.wanted_from <= day <= locked.wanted_until:
            raise DomainError(E.INVALID, f"请安排在点单希望的时间内（{locked.wanted_from:%m月%d日}至{locked.wanted_until:%m月%d日}）",
                              field="starts_at")  # fmt: skip
        expert = Person.unscoped.select_for_update(of=("self",)).get(pk=expert.pk)  # one booking of an expert at a time
        if not PersonRole.unscoped.filter(person=expert, kind=RoleKind.EXPERT, status=RoleStatus.ACTIVE).exists():
            raise DomainError(E.EXPERT, f"{expert.name}不是名家库在任专家", field="expert")
        if busy(expert, starts_at, ends_at):
            raise DomainError(E.BUSY, f"{expert.name}在这一时段已有安排，请换一个时间或另选专家", field="starts_at")
        activity = activities.activity_create(
            actor=actor, title=f"{locked.topic}（{expert.name}主讲）"[:100], brand=brand, level=Level.GRASSROOTS,
            organiser=locked.requester, region=locked.region, starts_at=starts_at, ends_at=ends_at, format=Format.OFFLINE,
            audiences=[locked.audience], topics=[TOPIC_OF_FIELD.get(locked.field, Topic.OTHER)], capacity=0, address=locked.address,
            description=f"点单式科普：{locked.requester.name}点单，{expert.name}（{expert.title or '名家库专家'}）主讲。{locked.note}".strip(),
        )  # fmt: skip
        locked.status, locked.expert, locked.starts_at, locked.ends_at = TalkStatus.CONFIRMED, expert, starts_at, ends_at
        locked.activity, locked.decided_at = activity, timezone.now()
        validate(locked)
        locked.save()
    return locked


def talk_decline(*, actor: Actor, talk: TalkRequest, reason: str) -> TalkRequest:
    """The request cannot be met (no expert of the field, outside what the association does): with the reason."""
    if not permissions.can_arrange(actor):
        raise _deny("只有县、市科协可以办理点单")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(E.INVALID, "请填写未能安排的原因，点单单位会看到", field="reason")
    with transaction.atomic():
        locked = _lock(actor, talk, TalkStatus.REQUESTED)
        locked.status, locked.decline_reason, locked.decided_at = TalkStatus.DECLINED, reason[:300], timezone.now()
        locked.save(update_fields=["status", "decline_reason", "decided_at", "updated_at"])
    return locked


def talk_cancel(*, actor: Actor, talk: TalkRequest) -> TalkRequest:
    """The asker withdraws the request before it is arranged."""
    with transaction.atomic():
        locked = _lock(actor, talk, TalkStatus.REQUESTED)
        locked.status = TalkStatus.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
    return locked


def talk_feedback(*, actor: Actor, talk: TalkRequest, rating: int, comment: str = "") -> TalkRequest:
    """How the talk went, once its activity is held: 1–5 and a comment; it joins the expert's record."""
    if not rating or not 1 <= int(rating) <= 5:
        raise DomainError(E.FEEDBACK, "请给出 1 到 5 分的评分", field="rating")
    with transaction.atomic():
        locked = _lock(actor, talk, TalkStatus.CONFIRMED)
        status = Activity.unscoped.filter(pk=locked.activity_id).values_list("status", flat=True).first()
        if status not in HELD:
            raise DomainError(E.FEEDBACK, "讲座举办后才能反馈（活动标记为已举办后）")
        locked.status, locked.rating, locked.feedback = TalkStatus.DONE, int(rating), (comment or "").strip()[:2000]
        locked.feedback_at = timezone.now()
        locked.save(update_fields=["status", "rating", "feedback", "feedback_at", "updated_at"])
    return locked
