"""Demo accounts: one login for every role (printed by seed_demo), and citizens."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.utils import timezone

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

    citizens = ctx.pick(5, 500, 2000)
    existing = set(User.objects.filter(kind=UserKind.CITIZEN).values_list("phone", flat=True))
    hashed = make_password(DEMO_PASSWORD)
    now = timezone.now()
    fresh = []
    for i in range(citizens):
        phone = f"1380000{i:04d}"
        if phone in existing:
            continue
        fresh.append(User(phone=phone, name=ctx.fake.name(), kind=UserKind.CITIZEN, password=hashed, password_changed_at=now,
                          consent_version="2026-01", consent_at=now))  # fmt: skip
    if fresh:
        with audit.bulk_write(model=User, description="演示数据：公众账号") as summary:
            User.objects.bulk_create(fresh, batch_size=1000)
            summary["created"] = len(fresh)
    ctx.logins.append(("公众", "13800000000", "公众（手机号登录）"))
    made = User.objects.count() - before
    return {"账号": made} if made else {}
