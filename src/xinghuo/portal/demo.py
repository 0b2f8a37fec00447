"""Demo news for the portal: the association's notices and work news, and the counties' news."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from xinghuo.accounts.models import User
from xinghuo.core import audit
from xinghuo.core.demo import DemoContext
from xinghuo.organisations.models import Organisation, OrganisationKind
from xinghuo.portal.models import News, NewsCategory, NewsStatus

TITLES = [
    ("notice", "关于开展{year}年“科普之春”系列活动的通知"),
    ("notice", "关于组织参加全国科学素质网络知识竞赛的通知"),
    ("notice", "关于征集{year}年度“星火科技馆”培育单位的通知"),
    ("notice", "关于推荐{year}年度首席泰山科普名家的通知"),
    ("work", "市科协召开“星火科普”专项行动推进会"),
    ("work", "“东岳星空科普讲坛”邀请院士专家来泰作报告"),
    ("work", "“智惠助老”科普专项行动走进社区"),
    ("work", "“科普欢乐游”研学线路正式发布"),
    ("work", "科创专家讲科普活动走进高新区企业"),
    ("county", "{county}开展“三百三进”科技服务进乡村活动"),
    ("county", "{county}星火科普服务站揭牌运行"),
    ("county", "{county}举办全国科普月主场活动"),
]
BODY = (
    "为深入学习宣传贯彻《中华人民共和国科学技术普及法》，落实《泰安市“星火科普”专项行动实施方案》，"
    "{org}近日组织开展相关工作。活动围绕公众需求，聚焦青少年、农民、产业工人、老年人、领导干部和公务员等重点人群，"
    "通过科普讲座、互动体验、展品展示等形式，普及科学知识，弘扬科学精神。\n\n"
    "下一步，{org}将持续推进科普阵地建设和科普人才队伍建设，推动科普工作高质量发展。"
)


def seed(ctx: DemoContext) -> dict[str, int]:
    if News.objects.exists():
        return {}
    author = User.objects.get(username="kepu")
    city = Organisation.unscoped.get(code="KX370900")
    counties = list(Organisation.unscoped.filter(kind=OrganisationKind.COUNTY_ASSOCIATION, region__city__code="370900").order_by("code"))
    total = ctx.pick(12, 60, 150)
    now = timezone.now()
    year = timezone.localtime().year
    items = []
    for i in range(total):
        category, title = TITLES[i % len(TITLES)]
        org = counties[i % len(counties)] if category == "county" else city
        published = i % 9 != 8
        items.append(News(
            title=title.format(year=year, county=org.short_name or org.name), category=category,
            summary="", body=BODY.format(org=org.short_name or org.name), organisation=org, region=org.region, author=author,
            status=NewsStatus.PUBLISHED if published else NewsStatus.DRAFT,
            published_at=now - timedelta(days=i * 3, hours=ctx.rng.randint(0, 10)) if published else None,
        ))  # fmt: skip
    with audit.bulk_write(model=News, description="演示数据：科协动态") as summary:
        News.objects.bulk_create(items)
        summary["created"] = len(items)
    return {"动态": len(items)}


__all__ = ["NewsCategory", "seed"]
