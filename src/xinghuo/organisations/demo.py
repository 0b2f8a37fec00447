"""Demo organisations: the base data of each city, then societies, university and enterprise associations,
member units of the science-literacy leading group, schools, companies and venue operators."""

from __future__ import annotations

import uuid

from xinghuo.core.demo import DemoContext
from xinghuo.organisations.base_data import load_base_data
from xinghuo.organisations.models import Organisation, OrganisationKind
from xinghuo.organisations.services import organisation_bulk_create
from xinghuo.regions.models import Region, RegionLevel

SOCIETY_FIELDS = [
    "医学会", "农学会", "气象学会", "地质学会", "林学会", "护理学会", "药学会", "电子学会", "计算机学会", "机械工程学会",
    "水利学会", "老科技工作者协会", "老年医学会", "营养学会", "天文学会", "科普作家协会", "中医药学会", "畜牧兽医学会",
    "土木建筑学会", "环境科学学会", "植物保护学会", "园艺学会", "蚕学会", "茶叶学会", "食品科学技术学会", "心理学会",
    "预防医学会", "口腔医学会", "康复医学会", "抗癌协会", "地理学会", "生态学会", "数学学会", "物理学会", "化学化工学会",
    "汽车工程学会", "电机工程学会", "自动化学会", "人工智能学会", "新能源学会", "材料学会", "纺织工程学会", "造纸学会",
    "测绘地理信息学会", "档案学会", "图书馆学会", "科技馆协会", "青少年科技教育协会", "农村专业技术协会", "养蜂学会",
    "水产学会", "林业经济学会", "应急管理学会", "安全生产协会", "消防协会", "无线电协会", "航空航天学会", "模型运动协会",
    "创新方法研究会", "科技咨询协会",
]  # fmt: skip
UNIVERSITIES = ["山东农业大学", "山东第一医科大学", "泰山学院", "山东科技大学泰安校区", "泰山职业技术学院", "山东服装职业学院", "泰山护理职业学院", "山东财经大学东方学院"]  # fmt: skip
MEMBER_UNITS = [
    "市委宣传部", "市教育局", "市科学技术局", "市工业和信息化局", "市民政局", "市人力资源和社会保障局", "市自然资源和规划局",
    "市生态环境局", "市农业农村局", "市文化和旅游局", "市卫生健康委员会", "市应急管理局", "市市场监督管理局", "市气象局",
    "市地震局", "市总工会", "共青团泰安市委", "市妇女联合会", "市融媒体中心", "市图书馆",
]  # fmt: skip
SCHOOL_KINDS = ["中心小学", "实验小学", "第一中学", "实验中学", "中心幼儿园", "职业中专"]


def _city_counts(ctx: DemoContext) -> dict[str, int]:
    if ctx.scale == "small":
        return {"societies": 6, "universities": 2, "enterprises": 3, "members": 5, "schools": 2, "companies": 1, "operators": 1}
    return {"societies": 60, "universities": 6, "enterprises": 40, "members": 20, "schools": 25, "companies": 15, "operators": 5}


def seed(ctx: DemoContext) -> dict[str, int]:
    made: dict[str, int] = {}
    for city_code in ctx.shared["cities"]:
        result = load_base_data(city_code=city_code)
        if result.created:
            made["基础机构"] = made.get("基础机构", 0) + result.created
        city = Region.objects.get(code=city_code)
        association = Organisation.unscoped.get(code=f"KX{city_code}")
        if Organisation.unscoped.filter(path__startswith=association.path, kind=OrganisationKind.SOCIETY).exists():
            continue  # this city was seeded before
        counts = _city_counts(ctx)
        prefix = city.name[:-1] if city.name.endswith("市") else city.name
        items: list[Organisation] = []

        def add(name: str, kind: str, region: Region, parent: Organisation | None, items: list = items, **extra: str) -> Organisation:
            org = Organisation(uid=uuid.UUID(int=ctx.rng.getrandbits(128)), name=name, kind=kind, region=region, parent=parent, **extra)
            items.append(org)
            return org

        for field_name in SOCIETY_FIELDS[: counts["societies"]]:
            add(f"{prefix}市{field_name}", OrganisationKind.SOCIETY, city, association, short_name=f"市{field_name}")
        for uni in UNIVERSITIES[: counts["universities"]]:
            add(
                f"{uni}科学技术协会" if city_code == "370900" else f"{prefix}{uni[-4:]}科学技术协会",
                OrganisationKind.UNIVERSITY_ASSOCIATION,
                city,
                association,
            )
        for _ in range(counts["enterprises"]):
            add(f"{ctx.fake.company()}科学技术协会", OrganisationKind.ENTERPRISE_ASSOCIATION, city, association)
        for unit in MEMBER_UNITS[: counts["members"]]:
            add(f"{prefix}{unit}", OrganisationKind.MEMBER_UNIT, city, None)
        counties = Region.objects.filter(city=city, level__in=[RegionLevel.COUNTY, RegionLevel.ZONE]).order_by("code")
        for county in counties:
            county_assoc = Organisation.unscoped.get(code=f"KX{county.code}")
            towns = list(Region.objects.filter(county.subtree_q(), level=RegionLevel.TOWN).order_by("code"))
            if not towns:
                continue
            for i in range(counts["schools"]):
                town = towns[i % len(towns)]
                add(f"{county.display_name}{town.name}{SCHOOL_KINDS[i % len(SCHOOL_KINDS)]}", OrganisationKind.SCHOOL, town, county_assoc,
                    contact_name=ctx.fake.name(), contact_phone=ctx.fake.phone_number(), address=f"{county.name}{town.name}{ctx.fake.street_address()}")  # fmt: skip
            for _ in range(counts["companies"]):
                town = ctx.rng.choice(towns)
                add(f"{county.display_name}{ctx.fake.company()}", OrganisationKind.COMPANY, town, county_assoc,
                    contact_name=ctx.fake.name(), contact_phone=ctx.fake.phone_number(), address=f"{county.name}{town.name}{ctx.fake.street_address()}")  # fmt: skip
            for i in range(counts["operators"]):
                town = towns[(i * 7) % len(towns)]
                add(
                    f"{town.name}新时代文明实践所" if i % 2 == 0 else f"{county.display_name}科普教育基地管理中心{i}",
                    OrganisationKind.VENUE_OPERATOR,
                    town,
                    county_assoc,
                )
        # Names must be unique under one parent: de-duplicate deterministically.
        seen: set[tuple[int, str]] = set()
        unique_items = []
        for org in items:
            key = (id(org.parent), org.name)
            if key in seen:
                continue
            seen.add(key)
            unique_items.append(org)
        organisation_bulk_create(items=unique_items, description=f"演示数据：{city.name}的机构")
        made["机构"] = made.get("机构", 0) + len(unique_items)
    ctx.shared["city_association"] = Organisation.unscoped.get(code="KX370900")
    return made
