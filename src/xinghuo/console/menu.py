"""The console menu, by module; each item shows only to the roles whose routes it opens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from xinghuo.accounts.roles import Role

BUSINESS = (Role.CITY_STAFF, Role.COUNTY_STAFF, Role.ORGANISER)
STAFF = (Role.CITY_STAFF, Role.COUNTY_STAFF)


@dataclass(frozen=True)
class MenuItem:
    title: Any
    url_name: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class MenuGroup:
    title: Any
    items: tuple[MenuItem, ...]


MENU: list[MenuGroup] = [
    MenuGroup(_("工作台"), (MenuItem(_("首页"), "console:home", tuple(Role.values)),)),
    MenuGroup(_("组织体系"), (MenuItem(_("组织机构"), "organisations:list", (*BUSINESS, Role.SYSTEM_ADMIN)),)),
    MenuGroup(
        _("科普阵地"),
        (
            MenuItem(_("场馆与服务站"), "venues_console:list", BUSINESS),
            MenuItem(_("参观预约"), "venues_console:bookings", BUSINESS),
            MenuItem(_("研学线路"), "tours_console:list", BUSINESS),
            MenuItem(_("研学预约"), "tours_console:bookings", BUSINESS),
            MenuItem(_("泰山TAI科"), "tours_console:tai_list", STAFF),
        ),
    ),
    MenuGroup(
        _("阵地认定"),
        (
            MenuItem(_("认定申请"), "certification_console:list", BUSINESS),
            MenuItem(_("年度复核"), "certification_console:reviews", BUSINESS),
            MenuItem(_("建设标准"), "certification_console:standards", BUSINESS),
        ),
    ),
    MenuGroup(
        _("科普活动"),
        (
            MenuItem(_("活动管理"), "activities_console:list", BUSINESS),
            MenuItem(_("品牌活动目标"), "activities_console:brands", BUSINESS),
        ),
    ),
    MenuGroup(
        _("科普资源"),
        (
            MenuItem(_("资源管理"), "resources_console:list", BUSINESS),
            MenuItem(_("云课堂课程"), "resources_console:courses", BUSINESS),
            MenuItem(_("我的审核"), "resources_console:queue", (Role.REVIEWER,)),
            MenuItem(_("审核专家库"), "resources_console:reviewers", (Role.CITY_STAFF,)),
            MenuItem(_("红线词库"), "resources_console:lexicon", (Role.CITY_STAFF,)),
        ),
    ),
    MenuGroup(
        _("人才队伍"),
        (
            MenuItem(_("人员库"), "talent_console:list", STAFF),
            MenuItem(_("宣传员覆盖"), "promoters_console:coverage", STAFF),
            MenuItem(_("点单式科普"), "talks_console:list", BUSINESS),
            MenuItem(_("名家库"), "experts_console:pool", BUSINESS),
            MenuItem(_("专家工作室"), "experts_console:studios", BUSINESS),
            MenuItem(_("年度名单评选"), "experts_console:selections", BUSINESS),
            MenuItem(_("科普中国信息员"), "officers_console:overview", STAFF),
            MenuItem(_("科技志愿者"), "volunteers_console:volunteers", STAFF),
            MenuItem(_("志愿服务队"), "volunteers_console:teams", BUSINESS),
            MenuItem(_("志愿服务记录"), "volunteers_console:records", BUSINESS),
            MenuItem(_("星级评定与公示"), "volunteers_console:awards", STAFF),
            MenuItem(_("嘉许激励"), "volunteers_console:commendations", STAFF),
        ),
    ),
    MenuGroup(
        _("工作清单与督办"),
        (
            MenuItem(_("专项工作清单"), "worklist_console:plans", BUSINESS),
            MenuItem(_("我单位的落实任务"), "worklist_console:mine", BUSINESS),
            MenuItem(_("实施方案备案"), "worklist_console:filings", BUSINESS),
            MenuItem(_("进展报送"), "worklist_console:reports", BUSINESS),
            MenuItem(_("督办"), "worklist_console:notices", BUSINESS),
            MenuItem(_("典型做法"), "worklist_console:exemplary", BUSINESS),
            MenuItem(_("提醒"), "worklist_console:reminders", BUSINESS),
            MenuItem(_("科普项目"), "projects_console:list", BUSINESS),
            MenuItem(_("项目申报批次"), "projects_console:calls", BUSINESS),
        ),
    ),
    MenuGroup(
        _("指标与数据驾驶舱"),
        (
            MenuItem(_("数据驾驶舱"), "indicators_console:dashboard", STAFF),
            MenuItem(_("进展报告与科普统计"), "indicators_console:statistics", STAFF),
            MenuItem(_("公开指标设置"), "indicators_console:publication", (Role.CITY_STAFF,)),
        ),
    ),
    MenuGroup(_("宣传"), (MenuItem(_("科协动态"), "portal_console:news_list", STAFF),)),
    MenuGroup(
        "系统管理",
        (
            MenuItem(_("账号与角色"), "accounts_console:user_list", (Role.SYSTEM_ADMIN,)),
            MenuItem(_("接口令牌"), "accounts_console:token_list", (Role.SYSTEM_ADMIN,)),
            MenuItem(_("Django 管理"), "admin:index", (Role.SYSTEM_ADMIN,)),
        ),
    ),
    MenuGroup(_("安全"), (MenuItem(_("安全策略与锁定"), "security:overview", (Role.SECURITY_ADMIN,)),)),
    MenuGroup(_("审计"), (MenuItem(_("审计日志"), "audit:list", (Role.AUDIT_ADMIN,)),)),
]


def menu_for(role: str | None, current_path: str) -> list[dict]:
    """The groups and items the role may open; the item whose address is the longest prefix of the page is active."""
    home = reverse("console:home")
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
            items.append({"title": item.title, "url": url, "active": False})
        if items:
            groups.append({"title": group.title, "items": items})
    matches = [
        i for g in groups for i in g["items"] if current_path == i["url"] or (i["url"] != home and current_path.startswith(i["url"]))
    ]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return groups
