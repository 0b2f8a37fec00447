"""The console menu, by module; each item shows only to the roles whose routes it opens."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from xinghuo.accounts.roles import Role

BUSINESS = (Role.CITY_STAFF, Role.COUNTY_STAFF, Role.ORGANISER)
STAFF = (Role.CITY_STAFF, Role.COUNTY_STAFF)


@dataclass(frozen=True)
class MenuItem:
    title: str
    url_name: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class MenuGroup:
    title: str
    items: tuple[MenuItem, ...]


MENU: list[MenuGroup] = [
    MenuGroup("工作台", (MenuItem("首页", "console:home", tuple(Role.values)),)),
    MenuGroup("组织体系", (MenuItem("组织机构", "organisations:list", (*BUSINESS, Role.SYSTEM_ADMIN)),)),
    MenuGroup("宣传", (MenuItem("科协动态", "portal_console:news_list", STAFF),)),
    MenuGroup(
        "系统管理",
        (
            MenuItem("账号与角色", "accounts_console:user_list", (Role.SYSTEM_ADMIN,)),
            MenuItem("接口令牌", "accounts_console:token_list", (Role.SYSTEM_ADMIN,)),
            MenuItem("Django 管理", "admin:index", (Role.SYSTEM_ADMIN,)),
        ),
    ),
    MenuGroup("安全", (MenuItem("安全策略与锁定", "security:overview", (Role.SECURITY_ADMIN,)),)),
    MenuGroup("审计", (MenuItem("审计日志", "audit:list", (Role.AUDIT_ADMIN,)),)),
]


def menu_for(role: str | None, current_path: str) -> list[dict]:
    groups = []
    for group in MENU:
        items = []
        for item in group.items:
            if role not in item.roles:
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            active = current_path == url or (url != reverse("console:home") and current_path.startswith(url))
            items.append({"title": item.title, "url": url, "active": active})
        if items:
            groups.append({"title": group.title, "items": items})
    return groups
