"""Demo accounts: one login for every role (printed by seed_demo), and citizens.

Citizens sign in with made-up mobile numbers in one range, 13800000000–13800999999 (`citizen_phone`), so that demo
data is known by its numbers (real-looking, so they may well be someone's: a demo must not send text messages); the
activities demo signs them up, a city's share each.
At province scale every other city of Shandong gets its staff too (`city_login`, `county_login`): the 科普部 of
its association and each county's association, so that its activities are filed and approved by its own people."""

from __future__ import annotations

import random

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from faker import Faker

from xinghuo.accounts.models import Membership, User, UserKind
from xinghuo.accounts.roles import Role
from xinghuo.accounts.services import membership_grant, user_create_staff
from xinghuo.core import audit
from xinghuo.core.demo import DEMO_PASSWORD, DemoContext
from xinghuo.organisations.models import Organisation, OrganisationKind

COUNTY_LOGINS = {
    "370902": "taishan", "370911": "daiyue", "370921": "ningyang", "370923": "dongping", "370982": "xintai",
    "370983": "feicheng", "370971": "gaoxin", "370972": "jingqu", "370973": "lvyou",
}  # fmt: skip
CITY = "370900"
#: Citizens at each scale: thousands in Tai'an, so that a year of activities finds people enough to sign up; at
#: province scale 2,000 more for each other city, where the activities demo signs up fewer (activities.demo.year).
CITIZENS = {"small": 5, "city": 6000, "province": 6000 + 15 * 2000}


def citizen_phone(i: int) -> str:
    """The i-th demo citizen's mobile number (login): 13800000000 is the first, printed with the logins."""
    return f"13800{i:06d}"


def city_login(city_code: str) -> str:
    """The username of a city's 科普部 staff member: `kepu` in Tai'an, `kepu3701` in Jinan."""
    return "kepu" if city_code == CITY else f"kepu{city_code[:4]}"


def county_login(county_code: str) -> str:
    """The username of a county association's staff member: Tai'an's by name, the others `kx370102`."""
    return COUNTY_LOGINS.get(county_code) or f"kx{county_code}"


def _staff(ctx: DemoContext, username: str, name: str, org: Organisation, role: str, note: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create_staff(username=username, name=name, password=DEMO_PASSWORD)
    if not Membership.objects.filter(user=user, organisation=org, role=role).exists():
        membership_grant(user=user, organisation=org, role=role)
    ctx.logins.append((Role(role).label, username, note))
    return user


def seed(ctx: DemoContext) -> dict[str, int]:
    before = User.objects.count()
    city = Organisation.unscoped.get(code="KX370900")
    office = Organisation.unscoped.get(code="KX370900-BGS")
    kpb = Organisation.unscoped.get(code="KX370900-KPB")
    _staff(ctx, "sysadmin", "王系统", office, Role.SYSTEM_ADMIN, "系统管理员：账号、角色、令牌")
    _staff(ctx, "secadmin", "李安全", office, Role.SECURITY_ADMIN, "安全管理员：安全策略、解除锁定")
    _staff(ctx, "auditadmin", "赵审计", office, Role.AUDIT_ADMIN, "审计管理员：审计日志")
    _staff(ctx, "kepu", "陈科普", kpb, Role.CITY_STAFF, "市科协科普部")
    _staff(ctx, "xuehui", "刘学会", Organisation.unscoped.get(code="KX370900-XHB"), Role.CITY_STAFF, "市科协学会部")
    for code, login in COUNTY_LOGINS.items():
        assoc = Organisation.unscoped.filter(code=f"KX{code}").first()
        if assoc is not None:
            _staff(ctx, login, f"{assoc.short_name or assoc.name}管理员", assoc, Role.COUNTY_STAFF, f"{assoc.short_name}工作人员")
    society = Organisation.unscoped.filter(kind=OrganisationKind.SOCIETY, parent=city).order_by("name").first()
    if society is not None:
        _staff(ctx, "xuehui_org", "孙填报", society, Role.ORGANISER, f"填报单位：{society.name}")
    school = Organisation.unscoped.filter(kind=OrganisationKind.SCHOOL, parent__code="KX370902").order_by("name").first()
    if school is not None:
        _staff(ctx, "school_org", "周老师", school, Role.ORGANISER, f"填报单位：{school.name}")
    reviewer = _staff(ctx, "reviewer", "吴专家", kpb, Role.REVIEWER, "评审专家：只看分配给自己的事项")
    del reviewer

    hashed = make_password(DEMO_PASSWORD)
    if ctx.scale == "province":
        _other_cities_staff(ctx, hashed)
    _citizens(ctx, hashed)
    ctx.logins.append(("公众", citizen_phone(0), "公众（手机号登录）"))
    made = User.objects.count() - before
    return {"账号": made} if made else {}


def _citizens(ctx: DemoContext, hashed: str) -> None:
    """Names from a few hundred surnames and given names (Faker's name() costs 40 µs: too much a hundred thousand
    times), drawn with randomness of their own: however many citizens a scale has, the seeders after this one
    draw what they drew before."""
    existing = set(User.objects.filter(kind=UserKind.CITIZEN).values_list("phone", flat=True))
    fake, rng = Faker("zh_CN"), random.Random(ctx.seed)
    fake.seed_instance(ctx.seed)
    surnames = sorted({fake.last_name() for _ in range(400)})
    given = sorted({fake.first_name() for _ in range(600)})
    now = timezone.now()
    fresh = []
    for i in range(CITIZENS[ctx.scale]):
        name = rng.choice(surnames) + rng.choice(given)
        if (phone := citizen_phone(i)) in existing:
            continue
        fresh.append(User(phone=phone, name=name, kind=UserKind.CITIZEN, password=hashed, password_changed_at=now,
                          consent_version="2026-01", consent_at=now))  # fmt: skip
    if fresh:
        with audit.bulk_write(model=User, description="演示数据：公众账号") as summary:
            User.objects.bulk_create(fresh, batch_size=2000)
            summary["created"] = len(fresh)


def _other_cities_staff(ctx: DemoContext, hashed: str) -> None:
    """The 科普部 of every other city's association and each of its county associations: one staff login each,
    written in bulk (one password hash for all, as the citizens') and listed once among the printed logins."""
    wanted: list[tuple[str, Organisation, str]] = []
    for city_code in ctx.shared["cities"]:
        if city_code == CITY:
            continue
        department = Organisation.unscoped.filter(code=f"KX{city_code}-KPB").first()
        if department is not None:
            wanted.append((city_login(city_code), department, Role.CITY_STAFF))
        counties = Organisation.unscoped.filter(kind=OrganisationKind.COUNTY_ASSOCIATION, region__city__code=city_code)
        wanted += [(county_login(org.region.code), org, Role.COUNTY_STAFF) for org in counties.select_related("region").order_by("code")]
    ctx.logins.append(("其他城市工作人员", "kepu3701", "济南市科协科普部；各市 kepu37xx，各县 kx + 县级区划代码"))
    taken = set(User.objects.filter(username__in=[w[0] for w in wanted]).values_list("username", flat=True))
    wanted = [w for w in wanted if w[0] not in taken]
    if not wanted:
        return
    now = timezone.now()
    users = [User(username=username, name=ctx.fake.name(), kind=UserKind.STAFF, password=hashed, password_changed_at=now)
             for username, _, _ in wanted]  # fmt: skip
    with audit.bulk_write(model=User, description="演示数据：各市、县科协工作人员账号") as summary:
        User.objects.bulk_create(users, batch_size=1000)
        summary["created"] = len(users)
    memberships = [Membership(user=user, organisation=org, role=role) for user, (_, org, role) in zip(users, wanted, strict=True)]
    with audit.bulk_write(model=Membership, description="演示数据：各市、县科协工作人员角色") as summary:
        Membership.objects.bulk_create(memberships, batch_size=1000)
        summary["created"] = len(memberships)
