"""The responsible units a task may name: the organisations of the city that carry out work (its departments and
direct units, the county and zone associations, the societies, the university, enterprise and member units), grouped
by kind for the task form, where city staff tick units one by one or a whole kind at once ("各县市区科协"); any other
organisation of the city (a school, a venue's operator) is named by its full name or code.

`units_text` writes the units the way the plans do: a whole kind by its collective name (the names loading.KIND_NAMES
reads back), the rest by their names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from xinghuo.organisations.base_data import city_association
from xinghuo.organisations.models import Organisation, OrganisationKind

#: the kinds listed on the task form, in the form's order, each with its collective name
GROUPS: dict[str, str] = {
    OrganisationKind.COUNTY_ASSOCIATION: "县市区、功能区科协",
    OrganisationKind.DEPARTMENT: "市科协机关各部室",
    OrganisationKind.DIRECT_UNIT: "直属各单位",
    OrganisationKind.SOCIETY: "市级学会",
    OrganisationKind.UNIVERSITY_ASSOCIATION: "高校科协",
    OrganisationKind.ENTERPRISE_ASSOCIATION: "企业科协",
    OrganisationKind.MEMBER_UNIT: "科学素质领导小组成员单位",
}
#: the same names as the form shows them ("all of them" boxes), translated
GROUP_LABELS = {
    OrganisationKind.COUNTY_ASSOCIATION: _("全部县市区、功能区科协"),
    OrganisationKind.DEPARTMENT: _("市科协机关全部部室"),
    OrganisationKind.DIRECT_UNIT: _("全部直属单位"),
    OrganisationKind.SOCIETY: _("全部市级学会"),
    OrganisationKind.UNIVERSITY_ASSOCIATION: _("全部高校科协"),
    OrganisationKind.ENTERPRISE_ASSOCIATION: _("全部企业科协"),
    OrganisationKind.MEMBER_UNIT: _("全部科学素质领导小组成员单位"),
}
UNITS_TEXT_MAX = 300  # Task.units
SEPARATORS = re.compile(r"[、，,；;\s]+")


def candidates() -> QuerySet[Organisation]:
    """Every active organisation of the city (the association itself included)."""
    return Organisation.unscoped.filter(is_active=True, path__startswith=city_association().path)


def listed() -> QuerySet[Organisation]:
    """The organisations the form lists, by kind."""
    return candidates().filter(kind__in=list(GROUPS)).order_by("code")


@dataclass
class Group:
    kind: str
    label: str  # the kind's name
    all_label: str  # "全部县市区、功能区科协"
    units: list[tuple[Organisation, bool]] = field(default_factory=list)  # (unit, ticked)
    whole: bool = False  # the whole kind chosen


def groups(ticked: Iterable[str], kinds: Iterable[str] = ()) -> list[Group]:
    """The listed organisations by kind, each marked whether its uid is among `ticked`, and whether the kind was
    chosen whole (among `kinds`)."""
    chosen, whole = {str(uid) for uid in ticked}, set(kinds)
    by_kind = {kind: Group(kind, OrganisationKind(kind).label, str(GROUP_LABELS[kind])) for kind in GROUPS}
    for org in listed():
        by_kind[org.kind].units.append((org, str(org.uid) in chosen))
    out = [group for group in by_kind.values() if group.units]
    for group in out:
        group.whole = group.kind in whole
    return out


def find(names: str) -> tuple[list[Organisation], list[str]]:
    """The organisations of the city named in `names` (full names, short names or codes, separated by 、 or commas):
    those found, and the names that match none or more than one."""
    found: list[Organisation] = []
    unknown: list[str] = []
    for name in (n for n in SEPARATORS.split(names or "") if n):
        matches = list(candidates().filter(Q(code=name) | Q(name=name) | Q(short_name=name))[:2])
        if len(matches) == 1:
            found.append(matches[0])
        else:
            unknown.append(name)
    return found, unknown


def units_text(units: Iterable[Organisation]) -> str:
    """How the plans write these units: a kind the units cover wholly (of two or more) by its collective name, the
    others by name; cut short with "等" where it would not fit."""
    units = list(dict.fromkeys(units))
    chosen = {u.pk for u in units}
    by_kind: dict[str, set[int]] = {kind: set() for kind in GROUPS}
    for kind, pk in listed().values_list("kind", "pk"):
        by_kind[kind].add(pk)
    whole = {kind for kind, every in by_kind.items() if len(every) > 1 and every <= chosen}
    names = [GROUPS[kind] for kind in GROUPS if kind in whole] + [str(u) for u in units if u.kind not in whole]
    text = "、".join(names)
    if len(text) <= UNITS_TEXT_MAX:
        return text
    kept: list[str] = []
    for name in names:
        if len("、".join([*kept, name])) + 1 > UNITS_TEXT_MAX:
            break
        kept.append(name)
    return "、".join(kept) + "等"
