"""Demo data of the resource library and the cloud classroom.

At every scale: three experts in the review pool covering every field; the written-out articles taken through
both reviews by the services, and a few resources left at every other step (submitted, in first review, in the
red-line check, returned, withdrawn with its notice, corrected, an emergency release pinned); two courses.
At `city` scale ≈3,000 more published resources straight to the tables (with their review records), 30 courses
and learners' progress; at `province` ≈100,000 resources for the search benchmark and 300 courses."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from xinghuo import search
from xinghuo.accounts.actor import Actor, actor_for
from xinghuo.accounts.demo import _staff
from xinghuo.accounts.models import User, UserKind
from xinghuo.accounts.roles import Role
from xinghuo.core import audit
from xinghuo.core.demo import DemoContext
from xinghuo.organisations.models import Organisation, OrganisationKind
from xinghuo.resources import courses, services
from xinghuo.resources.courses import LessonSpec
from xinghuo.resources.demo_content import ARTICLES, piece
from xinghuo.resources.models import (
    Course,
    CourseCompletion,
    Field,
    Lesson,
    LessonProgress,
    NoticeKind,
    Resource,
    ResourceStatus,
    Review,
    Reviewer,
    Stage,
    Verdict,
)
from xinghuo.resources.redline import plain

EXPERTS = [
    ("reviewer", "吴专家", "泰安市中心医院 主任医师", [Field.HEALTH, Field.LIFE, Field.SAFETY, Field.HUMANITIES]),
    ("zhuanjia_nong", "郑专家", "山东农业大学 教授", [Field.AGRICULTURE, Field.ENERGY_ENV, Field.LIFE]),
    (
        "zhuanjia_ke",
        "冯专家",
        "泰山学院 教授",
        [Field.NEW_TECH, Field.EARTH, Field.SPACE, Field.PHYSICS, Field.ENGINEERING, Field.ENERGY_ENV],
    ),
]
CONTRIBUTOR_KINDS = [OrganisationKind.SOCIETY, OrganisationKind.COUNTY_ASSOCIATION, OrganisationKind.UNIVERSITY_ASSOCIATION,
                     OrganisationKind.ENTERPRISE_ASSOCIATION, OrganisationKind.DIRECT_UNIT]  # fmt: skip


def _experts(ctx: DemoContext, city: Actor) -> dict[str, Actor]:
    kpb = Organisation.unscoped.get(code="KX370900-KPB")
    experts = {}
    for username, name, title, fields in EXPERTS:
        user = (
            _staff(ctx, username, name, kpb, Role.REVIEWER, f"评审专家：{title}")
            if username != "reviewer"
            else User.objects.get(username=username)
        )
        services.reviewer_set(actor=city, user=user, fields=fields, title=title)
        experts[username] = actor_for(user)
    return experts


def _expert_for(experts: dict[str, Actor], field: str) -> Actor:
    for username, _name, _title, fields in EXPERTS:
        if field in fields:
            return experts[username]
    raise LookupError(field)


def _walk(ctx: DemoContext, city: Actor, experts: dict[str, Actor], organisation: Organisation, step: str, **fields) -> Resource:
    """One resource through the services to `step`: draft, submitted, first_review, second_review, returned or published."""
    resource = services.resource_create(actor=city, organisation=organisation, **fields)
    if step == "draft":
        return resource
    services.resource_submit(actor=city, resource=resource)
    if step == "submitted":
        return resource
    expert = _expert_for(experts, resource.field)
    services.resource_assign(actor=city, resource=resource, reviewer=expert.user)
    if step == "first_review":
        return resource
    if step == "returned":
        return services.resource_first_review(actor=expert, resource=resource, approve=False, reason="请补充数据来源，并核对第二段的数字。")
    due = timezone.localdate() + timedelta(days=ctx.rng.choice([180, 365, 730]))
    services.resource_first_review(actor=expert, resource=resource, approve=True, evidence="相关国家标准、行业指南及权威机构发布的科普资料",
                                   re_review_on=due)  # fmt: skip
    if step == "second_review":
        return resource
    return services.resource_second_review(actor=city, resource=resource, approve=True, reason="无底线红线问题")


def _through_services(ctx: DemoContext, city: Actor, experts: dict[str, Actor], orgs: list[Organisation]) -> list[Resource]:
    made = []
    for n, (title, field, audiences, topics, summary, paragraphs) in enumerate(ARTICLES):
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        made.append(_walk(ctx, city, experts, orgs[n % len(orgs)], "published", title=title, kind="article", field=field, summary=summary,
                          author=ctx.rng.choice(["张华（泰安市中心医院主任医师）", "李强（山东农业大学教授）", "刘洋（泰山学院副教授）"]),
                          body=body, audiences=audiences, topics=topics))  # fmt: skip
    emergency = _walk(ctx, city, experts, orgs[0], "published", title="流感高发季，这样防护更科学", kind="article", field=Field.HEALTH,
                      summary="勤洗手、戴口罩、早接种疫苗，出现症状及时就医。", author="陈静（泰安市疾病预防控制中心主管医师）",
                      body="<p>每年冬春季是流感高发季节。流感病毒主要通过飞沫传播，也可经接触被污染的物品传播。</p>"
                           "<p>接种流感疫苗是预防流感最有效的手段，老年人、儿童、慢性病患者等重点人群应尽早接种。日常要勤洗手、常通风，在人员密集场所佩戴口罩。</p>"
                           "<p>出现发热、咳嗽等症状时要及时就医，不要自行服用抗生素，抗生素对病毒感染无效。</p>",
                      audiences=["public", "elderly", "youth"], topics=["epidemic", "health"], is_emergency=True)  # fmt: skip
    made.append(emergency)
    generated = [piece(ctx.rng, n) for n in range(6)]
    for step, p in zip(["submitted", "first_review", "second_review", "returned", "draft", "published"], generated, strict=True):
        made.append(_walk(ctx, city, experts, orgs[len(made) % len(orgs)], step, title=p.title, kind="article", field=p.field,
                          summary=p.summary, author=p.author, body=p.body * 2, audiences=p.audiences, topics=p.topics))  # fmt: skip
    withdrawn = made[3]
    services.resource_withdraw(actor=city, resource=withdrawn, reason="资料已更新，待作者按新版指南修订后重新发布。")
    services.resource_notice(actor=city, resource=made[2], kind=NoticeKind.REBUTTAL,
                             text="网传“喝某某茶能根治高血压、可以停药”不实，请遵医嘱规范服药。")  # fmt: skip
    return made


def _orgs() -> list[Organisation]:
    return list(
        Organisation.unscoped.filter(kind__in=CONTRIBUTOR_KINDS, region__city__code="370900", is_active=True).select_related("region")
        .order_by("code")[:40]
    )  # fmt: skip


def _in_bulk(ctx: DemoContext, experts: dict[str, Actor], count: int) -> list[Resource]:
    """Published resources with their two review records, straight to the tables."""
    rng = random.Random(ctx.seed * 7919 + count)  # its own randomness: the bulk's size must not shift what follows
    orgs = list(Organisation.unscoped.filter(kind__in=CONTRIBUTOR_KINDS, is_active=True).select_related("region").order_by("code"))
    city = User.objects.get(username="kepu")
    now = timezone.now()
    rows, reviews = [], []
    for n in range(count):
        p = piece(rng, n)
        org = orgs[n % len(orgs)]
        expert = _expert_for(experts, p.field).user
        published = now - timedelta(days=rng.randint(1, 720), minutes=rng.randint(0, 1440))
        due = timezone.localdate(published) + timedelta(days=rng.choice([365, 730]))
        resource = Resource(
            title=p.title, kind=p.kind, field=p.field, summary=p.summary, body=p.body, author=p.author, organisation=org, region=org.region,
            status=ResourceStatus.PUBLISHED, round=1, reviewer=expert, submitted_at=published - timedelta(days=5), published_at=published,
            review_due=due, external_url="https://www.kepuchina.cn/" if p.kind in ("video", "audio", "courseware", "book") else "",
            is_emergency=False,
        )  # fmt: skip
        resource.audiences, resource.topics, resource.body_text = p.audiences, p.topics, plain(p.body)
        rows.append(resource)
    with audit.bulk_write(model=Resource, description="演示数据：科普资源") as summary:
        search.bulk_create(Resource.unscoped, rows, batch_size=2000, jobs=2 if count >= 20_000 else 1)  # with their index
        summary["created"] = len(rows)
    profiles = {r.user_id: r for r in Reviewer.objects.all()}
    for resource in rows:
        profile = profiles[resource.reviewer_id]
        reviews.append(Review(resource=resource, round=1, stage=Stage.FIRST, verdict=Verdict.PASS, reviewer_id=resource.reviewer_id,
                              reviewer_label=profile.user.name, reviewer_title=profile.title, reviewer_field=str(resource.get_field_display()),
                              evidence="相关国家标准、行业指南及权威机构发布的科普资料", re_review_on=resource.review_due))  # fmt: skip
        reviews.append(Review(resource=resource, round=1, stage=Stage.SECOND, verdict=Verdict.PASS, reviewer=city, reviewer_label=city.name,
                              reviewer_title="泰安市科学技术协会"))  # fmt: skip
    with audit.bulk_write(model=Review, description="演示数据：资源审核记录") as summary:
        Review.unscoped.bulk_create(reviews, batch_size=4000)
        summary["created"] = len(reviews)
    return rows


def _courses(ctx: DemoContext, city: Actor, contributor: Actor, orgs: list[Organisation], count: int) -> list[Course]:
    by_field: dict[str, list[Resource]] = {}
    for r in Resource.unscoped.filter(status=ResourceStatus.PUBLISHED).order_by("pk").only("pk", "title", "field", "status")[:20000]:
        by_field.setdefault(r.field, []).append(r)
    fields = [f for f, rs in by_field.items() if len(rs) >= 2]
    made = []
    for n in range(count):
        field = fields[n % len(fields)]
        pool = by_field[field]
        lessons = ctx.rng.sample(pool, min(len(pool), ctx.rng.randint(2, 6)))
        label = Field(field).label
        course = courses.course_save(
            actor=contributor, organisation=orgs[n % len(orgs)], title=f"{label}系列课（{n + 1}）" if n else f"{label}入门课",
            summary=f"由审核通过的{label}领域科普资源组成，{len(lessons)} 个课时，随时随地学。", audiences=["public"],
            topics=list(dict.fromkeys(t for r in lessons for t in r.topics))[:3] or ["other"],
            lessons=[LessonSpec(resource=r, minutes=ctx.rng.choice([8, 10, 15, 20])) for r in lessons],
        )  # fmt: skip
        made.append(courses.course_publish(actor=city, course=course))
    return made


def _learners(ctx: DemoContext, published: list[Course], count: int) -> int:
    """Citizens who began courses; most of them finished (progress and completions straight to the tables)."""
    rng = random.Random(ctx.seed * 104729 + count)
    learners = list(User.objects.filter(kind=UserKind.CITIZEN).order_by("pk").values_list("pk", flat=True)[:count])
    lessons: dict[int, list[int]] = {}
    for course_id, lesson_id in Lesson.unscoped.filter(course__in=published).values_list("course_id", "id"):
        lessons.setdefault(course_id, []).append(lesson_id)
    now = timezone.now()
    progress, completions = [], []
    for user_id in learners:
        for course in rng.sample(published, min(len(published), rng.randint(1, 3))):
            ids = lessons.get(course.pk, [])
            finished = rng.random() < 0.6
            done = ids if finished else ids[: rng.randint(0, max(len(ids) - 1, 0))]
            at = now - timedelta(days=rng.randint(0, 200))
            progress += [LessonProgress(user_id=user_id, lesson_id=lid, completed_at=at) for lid in done]
            if finished and ids:
                completions.append(CourseCompletion(user_id=user_id, course=course, completed_at=at))
    with audit.bulk_write(model=LessonProgress, description="演示数据：学习进度") as summary:
        LessonProgress.objects.bulk_create(progress, batch_size=5000, ignore_conflicts=True)
        summary["created"] = len(progress)
    with audit.bulk_write(model=CourseCompletion, description="演示数据：课程结业") as summary:
        CourseCompletion.objects.bulk_create(completions, batch_size=5000, ignore_conflicts=True)
        summary["created"] = len(completions)
    return len(completions)


def seed(ctx: DemoContext) -> dict[str, int]:
    if Resource.unscoped.exists() or not User.objects.filter(username="kepu").exists():
        return {}
    city = actor_for(User.objects.get(username="kepu"))
    experts = _experts(ctx, city)
    orgs = _orgs()
    made = _through_services(ctx, city, experts, orgs)
    bulk = _in_bulk(ctx, experts, ctx.pick(0, 3000, 100_000)) if ctx.scale != "small" else []
    published_courses = _courses(ctx, city, city, orgs, ctx.pick(2, 30, 300))
    completions = _learners(ctx, published_courses, ctx.pick(3, 2000, 10_000))
    return {"科普资源": len(made) + len(bulk), "云课堂课程": len(published_courses), "课程结业": completions}
