"""The portal's entrances (map, activities, classroom, quiz): each module registers its own.

An entrance whose module is not installed yet renders as "建设中" without a link, so the home page never
links to a page that does not exist; the day a module adds its URL name, its entrance opens.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Entrance:
    key: str
    title: Any
    description: Any
    icon: str  # a symbol id in core/static/core/icons.svg
    url_name: str

    @property
    def url(self) -> str | None:
        return _url_of(self.url_name, get_urlconf())


@functools.lru_cache(maxsize=64)
def _url_of(url_name: str, urlconf: object) -> str | None:
    """Looked up once per URLconf: a missing module costs a NoReverseMatch, not one on every page view."""
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None


ENTRANCES = [
    Entrance("map", _("科普云地图"), _("星火科技馆、服务站、科普教育基地，就在身边"), "map", "venues:map"),
    Entrance("activities", _("科普活动"), _("科普之春、全国科普月、三百三进……报名参加"), "calendar", "activities:calendar"),
    Entrance("classroom", _("泰山科普云课堂"), _("文章、视频、课程，随时随地学科学"), "book", "library:home"),
    Entrance("quiz", _("科学素质知识竞赛"), _("答题闯关，检验科学素质"), "trophy", "quiz:home"),
    Entrance("experts", _("泰山科普名家"), _("首席泰山科普名家、科普网红达人、优秀科普人物"), "user", "experts:lists"),
    Entrance("practices", _("典型做法"), _("各地各单位星火科普的好做法"), "news", "worklist:practices"),
    Entrance("figures", _("工作成效"), _("星火科技馆、服务站、宣传员覆盖……由平台记录实时统计"), "chart", "indicators:public"),
]
