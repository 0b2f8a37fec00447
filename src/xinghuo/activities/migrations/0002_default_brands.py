"""The city's activity brands (品牌活动) and their 2026 city-level targets, as the 星火科普 action plan sets them
(四(一) 1–3, 四(二) 1–3): 三百三进 10–20 demonstration activities a year, 科普之春 8–10, 全国科普月 no fewer than 50,
科普欢乐游 3–5, 东岳星空科普讲坛 1–2 in September, 智惠助老 3–5; the other brands carry no number in the plans.
City staff keep later years' targets; the counts toward them come from verified activities, never typed in."""

from django.db import migrations

# (code, name, season, description)
BRANDS = [
    ("sanbai", "三百三进", "全年", "“三百三进”科技服务专项行动：优化内容、征集需求，推动活动向基层倾斜，贯通科技科普服务基层“最后一百米”。"),
    ("spring", "科普之春", "每年春季", "围绕全市中心工作明确主题，举办“科普之春”系列主场活动和示范活动。"),
    ("science_month", "全国科普月", "每年9月", "总结历年“全国科普日”经验，加强主题策划，举办“全国科普月”系列主场活动和示范活动。"),
    ("happy_tour", "科普欢乐游", "全年", "场景式、体验式、沉浸式研学活动，发挥科普场馆联盟作用，面向青少年。"),
    ("dongyue_forum", "东岳星空科普讲坛", "每年9月（全国科普月期间）", "邀请高层次院士专家来泰举办高端科普报告，加大融媒体传播力度。"),
    ("smart_elderly", "智惠助老", "全年", "联合通信公司、金融机构、驻泰高校，围绕老年人智慧应用、防范金融电信诈骗开展科普。"),
    ("expert_roadshow", "科创专家讲科普（路演式）", "全年", "推动科创与科普融合，以“路演式”科普面向企业家、产业技术人员。"),
    ("mobile_museum", "流动科技馆进基层", "全年", "流动科技馆巡展进乡镇、进社区、进学校，整合资源向基层汇聚。"),
    ("open_day", "开放日", "全年", "科普场馆、实验室、企业展厅向公众开放。"),
    ("science_day", "全国科普日", "每年9月", "全国科普日主题活动。"),
    ("tech_week", "科技活动周", "每年5月", "科技活动周主题活动。"),
    ("free", "自主活动", "全年", "各地各单位结合实际自主开展的科普活动。"),
]

YEAR = 2026
# (brand code, level, minimum, maximum or None for "no fewer than")
TARGETS = [
    ("sanbai", "city", 10, 20),
    ("spring", "city", 8, 10),
    ("science_month", "city", 50, None),
    ("happy_tour", "city", 3, 5),
    ("dongyue_forum", "city", 1, 2),
    ("smart_elderly", "city", 3, 5),
]


def create(apps, schema_editor):
    Brand = apps.get_model("activities", "Brand")
    BrandTarget = apps.get_model("activities", "BrandTarget")
    for order, (code, name, season, description) in enumerate(BRANDS, start=1):
        if not Brand.objects.filter(code=code).exists():
            Brand.objects.create(code=code, name=name, season=season, description=description, order=order)
    for code, level, minimum, maximum in TARGETS:
        brand = Brand.objects.get(code=code)
        if not BrandTarget.objects.filter(brand=brand, year=YEAR, level=level).exists():
            BrandTarget.objects.create(brand=brand, year=YEAR, level=level, minimum=minimum, maximum=maximum)


def remove(apps, schema_editor):
    Brand = apps.get_model("activities", "Brand")
    BrandTarget = apps.get_model("activities", "BrandTarget")
    BrandTarget.objects.filter(year=YEAR, brand__code__in=[b[0] for b in BRANDS]).delete()
    Brand.objects.filter(code__in=[b[0] for b in BRANDS], activities__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_brands_activities_steps_photos")]
    operations = [migrations.RunPython(create, remove)]
