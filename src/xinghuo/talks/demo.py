"""Demo requests for talks (点单式科普) in the home city: schools, companies and county associations asking for talks
in the weeks ahead, mostly still to arrange, some arranged through the services (each a draft activity of the asker
with its expert), some declined with a reason, a few withdrawn. Idempotent: seeded once. At `province` scale the
home city only (the other cities' staff would arrange their own)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta

from django.utils import timezone

from xinghuo.activities.demo.cast import CITY, cast_for
from xinghuo.activities.models import Brand
from xinghuo.core import audit
from xinghuo.core.demo import DemoContext
from xinghuo.core.errors import DomainError
from xinghuo.talent.models import Person, RoleKind, RoleStatus
from xinghuo.talks import services
from xinghuo.talks.models import TalkRequest, TalkStatus

#: topics asked for, by field of expertise, and the audience they are asked for
TOPICS = {
    "agriculture": [("小麦赤霉病绿色防控", "farmers"), ("设施蔬菜水肥一体化", "farmers"), ("泰山茶种植技术", "farmers")],
    "health": [
        ("高血压的家庭管理", "elderly"),
        ("儿童青少年近视防控", "youth"),
        ("慢性病合理用药", "elderly"),
        ("心肺复苏与急救", "public"),
    ],
    "new_tech": [("新能源汽车与储能", "workers"), ("智能制造与工业机器人", "workers")],
    "ecology": [("垃圾分类与循环利用", "public"), ("泰山生物多样性", "youth")],
    "safety": [("地震与地质灾害避险", "youth"), ("安全生产与应急自救", "workers")],
    "aerospace": [("中国空间站的故事", "youth")],
    "it": [("人工智能与我们的生活", "youth"), ("防范电信网络诈骗", "elderly")],
    "education": [("科学家精神进校园", "youth")],
}
DECLINED = ("该领域专家本月已排满，请下月再点", "主题更适合由卫生健康部门安排，已转告", "人数过少，建议与相邻村联合点单")


def seed(ctx: DemoContext) -> dict[str, int]:
    if TalkRequest.unscoped.exists():
        return {}
    cast = cast_for(CITY, {b.code: b for b in Brand.objects.all()})
    if cast is None:
        return {}
    rng, fake, today = ctx.rng, ctx.fake, timezone.localdate()
    experts: dict[str, list[Person]] = defaultdict(list)
    for person in Person.unscoped.filter(roles__kind=RoleKind.EXPERT, roles__status=RoleStatus.ACTIVE, region__city=cast.region):
        for field in person.fields:
            experts[field].append(person)
    fields = [f for f in TOPICS if experts.get(f)] or list(TOPICS)
    counties = [code for code in cast.counties if cast.towns.get(code)]
    talks = []
    for n in range(ctx.pick(12, 300, 300)):
        county = rng.choice(counties)
        field = rng.choice(fields)
        topic, audience = rng.choice(TOPICS[field])
        start = today + timedelta(days=rng.randint(7, 60))
        requester = rng.choice(cast.county_organisers[county])
        talks.append(TalkRequest(
            requester=requester, region=rng.choice(cast.towns[county]), topic=topic, field=field, audience=audience,
            expected_size=rng.choice((40, 60, 80, 120, 200, 300)), address=f"{requester.name}会议室" if n % 3 else "村党群服务中心",
            wanted_from=start, wanted_until=start + timedelta(days=rng.choice((7, 14, 30))), contact_name=fake.name(),
            contact_phone=f"1366{n:07d}", note="",
        ))  # fmt: skip
    for talk in talks[len(talks) // 2 :]:
        roll = rng.random()
        if roll < 0.15:
            talk.status, talk.decline_reason, talk.decided_at = TalkStatus.DECLINED, rng.choice(DECLINED), timezone.now()
        elif roll < 0.22:
            talk.status = TalkStatus.CANCELLED
    with audit.bulk_write(model=TalkRequest, description="演示数据：点单式科普") as summary:
        TalkRequest.unscoped.bulk_create(talks, batch_size=1000)
        summary["created"] = len(talks)
    arranged = 0
    for talk in talks[: ctx.pick(3, 30, 30)]:
        candidates = experts.get(talk.field)
        if not candidates:
            continue
        day = talk.wanted_from + timedelta(days=rng.randint(0, (talk.wanted_until - talk.wanted_from).days))
        starts = timezone.make_aware(datetime.combine(day, time(rng.choice((9, 14, 19)))))
        try:
            services.talk_confirm(actor=cast.counties[talk.region.county.code], talk=talk, expert=rng.choice(candidates),
                                  starts_at=starts, ends_at=starts + timedelta(hours=2))  # fmt: skip
        except DomainError:  # the expert drawn is busy then: the request stays to arrange
            continue
        arranged += 1
    return {"点单": len(talks), "已安排": arranged}
