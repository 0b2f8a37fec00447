"""Demo data of the expert pool, in the home city (Tai'an) at every scale, drawn from talent's demo people.

- Profiles: topics and a bio for the experts; one or two platform accounts for each influencer; a few expert studios
  in the city's venues, each with a lead expert and members.
- Last year: the three lists published — 12 首席泰山科普名家, 12 科普网红达人, 12 优秀科普人物 (the plan asks ≥10), each
  nominated by the person's county association, with a couple declined beside them.
- This year: the chief experts' selection in public notice since today (5 working days), one objection waiting for
  the city's answer; the other two lists taking nominations, some waiting for review.

Written in bulk (one audited record a table); idempotent: seeded once."""

from __future__ import annotations

import random
from datetime import date, datetime, time

from django.utils import timezone

from xinghuo.core import audit
from xinghuo.core.demo import DemoContext
from xinghuo.core.workdays import nth_working_day
from xinghuo.experts.models import (
    ROLE_OF_LIST,
    ExpertProfile,
    InfluencerAccount,
    ListKind,
    Nomination,
    NominationStatus,
    NominationStep,
    Objection,
    Platform,
    Selection,
    SelectionStatus,
    StepAction,
    Studio,
    StudioMember,
)
from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region
from xinghuo.talent.models import Person, RoleStatus
from xinghuo.venues.models import Venue

HOME = "370900"
LISTED, DECLINED, CANDIDATES, WAITING = 12, 2, 12, 4
TOPICS = {
    "agriculture": ["小麦病虫害防治", "果树修剪", "设施蔬菜栽培", "畜禽健康养殖", "泰山茶种植", "耕地保护"],
    "health": ["慢病管理", "合理膳食", "心肺复苏", "儿童近视防控", "老年人防跌倒", "中医养生"],
    "new_tech": ["人工智能", "新能源汽车", "北斗导航"], "ecology": ["泰山生态保护", "垃圾分类", "节水护水"],
    "safety": ["防灾减灾", "防范电信诈骗", "消防安全"], "aerospace": ["航天科普", "天文观测"],
    "it": ["网络安全", "数字生活"], "education": ["青少年科学实验", "科学家精神"], "other": ["科学辟谣"],
}  # fmt: skip
STUDIOS = ["农业科技", "健康科普", "生态环境", "应急安全", "青少年科学", "数字生活", "泰山地质", "中医药文化"]


def _people(kind: str, city: Region) -> list[Person]:
    return list(
        Person.unscoped.filter(city.subtree_q("region"), roles__kind=kind, roles__status=RoleStatus.ACTIVE)
        .select_related("region__county").order_by("id")
    )  # fmt: skip


def seed(ctx: DemoContext) -> dict[str, int]:
    if Selection.objects.exists():
        return {}
    city = Region.objects.filter(code=HOME).first()
    if city is None:
        return {}
    rng = random.Random(ctx.seed + 11)
    today = timezone.localdate()
    pools = {kind: _people(ROLE_OF_LIST[kind], city) for kind in ListKind}
    associations = {o.code: o for o in Organisation.unscoped.filter(code__startswith="KX").only("pk", "code", "name")}
    made = _profiles(rng, pools)
    made.update(_studios(rng, ctx, city, pools[ListKind.CHIEF]))

    def nominator(person: Person) -> Organisation:
        county = person.region.county or person.region
        return associations.get(f"KX{county.code}") or associations[f"KX{HOME}"]

    selections, nominations, steps, objections = [], [], [], []
    last = today.year - 1
    notice_start = date(last, 11, 2)
    for kind in ListKind:
        # last year's lists: published after a notice of five working days in November
        s = Selection(city=city, year=last, kind=kind, status=SelectionStatus.PUBLISHED, notice_starts=notice_start,
                      notice_ends=nth_working_day(notice_start, 5), note="演示数据",
                      published_at=timezone.make_aware(datetime.combine(date(last, 11, 20), time(10))))  # fmt: skip
        selections.append(s)
        people = rng.sample(pools[kind], min(len(pools[kind]), LISTED + DECLINED))
        for i, person in enumerate(people):
            status = NominationStatus.LISTED if i < LISTED else NominationStatus.DECLINED
            note = "事迹突出，予以列入" if status == NominationStatus.LISTED else "材料不够充分，本年度不予列入"
            nominations.append(Nomination(selection=s, person=person, nominator=nominator(person), reasons=_reasons(kind, person),
                                          status=status, review_note=note))  # fmt: skip
        # this year's: the chief experts in notice since today, the others still taking nominations
        in_notice = kind == ListKind.CHIEF
        start = today if in_notice else None
        this = Selection(city=city, year=today.year, kind=kind, note="演示数据",
                         status=SelectionStatus.IN_NOTICE if in_notice else SelectionStatus.NOMINATING,
                         notice_starts=start, notice_ends=nth_working_day(start, 5) if start else None)  # fmt: skip
        selections.append(this)
        count = CANDIDATES if in_notice else WAITING
        for person in rng.sample(pools[kind], min(len(pools[kind]), count)):
            status = NominationStatus.SHORTLISTED if in_notice else NominationStatus.SUBMITTED
            nominations.append(Nomination(selection=this, person=person, nominator=nominator(person), reasons=_reasons(kind, person),
                                          status=status, review_note="事迹突出，拟列入" if in_notice else ""))  # fmt: skip
    with audit.bulk_write(model=Selection, description="演示数据：名家库年度名单评选") as summary:
        Selection.objects.bulk_create(selections)
        summary["created"] = len(selections)
    with audit.bulk_write(model=Nomination, description="演示数据：名家库推荐") as summary:
        Nomination.unscoped.bulk_create(nominations, batch_size=2000)
        summary["created"] = len(nominations)
    for n in nominations:
        steps.append(NominationStep(nomination=n, action=StepAction.NOMINATE, to_status=NominationStatus.SUBMITTED,
                                    actor_label=n.nominator.name, note=n.reasons[:200]))  # fmt: skip
        decided = {NominationStatus.LISTED: StepAction.LIST, NominationStatus.DECLINED: StepAction.DECLINE,
                   NominationStatus.SHORTLISTED: StepAction.NOTICE}.get(NominationStatus(n.status))  # fmt: skip
        if decided:
            steps.append(NominationStep(nomination=n, action=decided, from_status=NominationStatus.SUBMITTED, to_status=n.status,
                                        actor_label="市科协科普部", note=n.review_note))  # fmt: skip
    candidates = [n for n in nominations if n.status == NominationStatus.SHORTLISTED]
    if candidates:
        objections.append(Objection(nomination=candidates[0], name="", contact="13800009876",
                                    reason="据了解，该同志推荐材料中所列的讲座场次与实际不符，请核实。"))  # fmt: skip
    with audit.bulk_write(model=NominationStep, description="演示数据：推荐办理环节") as summary:
        NominationStep.unscoped.bulk_create(steps, batch_size=5000)
        summary["created"] = len(steps)
    with audit.bulk_write(model=Objection, description="演示数据：名单公示异议") as summary:
        Objection.unscoped.bulk_create(objections)
        summary["created"] = len(objections)
    made.update({"年度名单评选": len(selections), "推荐": len(nominations), "公示异议": len(objections)})
    return made


def _reasons(kind: str, person: Person) -> str:
    title = person.title or "科普工作者"
    if kind == ListKind.INFLUENCER:
        return f"{person.name}（{title}）坚持创作科普短视频，内容科学准确、通俗易懂，累计播放量大，社会影响广泛。"
    if kind == ListKind.OUTSTANDING:
        return f"{person.name}（{title}）长期扎根基层开展科普工作，组织科普活动百余场，事迹突出，群众认可度高。"
    return f"{person.name}（{title}）专业造诣深厚，常年深入乡村、社区和学校开展科普讲座，带动形成品牌科普活动。"


def _profiles(rng: random.Random, pools: dict[str, list[Person]]) -> dict[str, int]:
    profiles = []
    for person in pools[ListKind.CHIEF]:
        topics = [t for f in person.fields for t in rng.sample(TOPICS.get(f, TOPICS["other"]), min(2, len(TOPICS.get(f, TOPICS["other"]))))]
        bio = f"{person.title or '科普专家'}，长期从事{'、'.join(person.field_labels()) or '科普'}领域的研究与科普工作。"
        profiles.append(ExpertProfile(person=person, topics="、".join(dict.fromkeys(topics))[:300], bio=bio))
    accounts, taken = [], set()
    platforms = [p for p in Platform.values if p != Platform.OTHER]
    for person in pools[ListKind.INFLUENCER]:
        for platform in rng.sample(platforms, rng.choice((1, 1, 2))):
            handle = f"kepu_{person.uid.hex[:8]}"
            if (platform, handle) not in taken:
                taken.add((platform, handle))
                accounts.append(InfluencerAccount(person=person, platform=platform, account=handle,
                                                  followers=int(rng.lognormvariate(11, 1.2))))  # fmt: skip
    with audit.bulk_write(model=ExpertProfile, description="演示数据：名家库专家档案") as summary:
        ExpertProfile.unscoped.bulk_create(profiles, batch_size=2000)
        summary["created"] = len(profiles)
    with audit.bulk_write(model=InfluencerAccount, description="演示数据：达人账号") as summary:
        InfluencerAccount.unscoped.bulk_create(accounts, batch_size=2000)
        summary["created"] = len(accounts)
    return {"专家档案": len(profiles), "达人账号": len(accounts)}


def _studios(rng: random.Random, ctx: DemoContext, city: Region, experts: list[Person]) -> dict[str, int]:
    venues = list(Venue.objects.filter(city.subtree_q("region")).exclude(status="draft").order_by("id")[:200])
    if not venues or not experts:
        return {}
    studios, members = [], []
    for theme in STUDIOS[: ctx.pick(3, 8, 8)]:
        studio = Studio(
            name=f"泰山科普名家{theme}工作室", venue=rng.choice(venues), description=f"聚焦{theme}，组织名家库专家开展科普讲座和咨询服务。"
        )
        studios.append(studio)
        chosen = rng.sample(experts, min(len(experts), rng.randint(2, 5)))
        members += [StudioMember(studio=studio, person=p, is_lead=(j == 0)) for j, p in enumerate(chosen)]
    with audit.bulk_write(model=Studio, description="演示数据：科普专家工作室") as summary:
        Studio.unscoped.bulk_create(studios)
        summary["created"] = len(studios)
    with audit.bulk_write(model=StudioMember, description="演示数据：工作室专家") as summary:
        StudioMember.unscoped.bulk_create(members)
        summary["created"] = len(members)
    return {"专家工作室": len(studios)}
