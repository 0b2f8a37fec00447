"""Importing venues from Excel: the template's columns, and how a row becomes a venue (or a clear error)."""

from __future__ import annotations

import re
from typing import Any

from xinghuo.accounts.actor import Actor
from xinghuo.core.errors import DomainError
from xinghuo.core.excel_import import ImportColumn
from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region
from xinghuo.venues.errors import VenueError
from xinghuo.venues.models import SUBTYPES, WEEKDAYS, Audience, VenueStatus, VenueType
from xinghuo.venues.services import venue_build, venue_create

COLUMNS = [
    ImportColumn("名称", "name", required=True, example="泰山区新能源星火科技馆"),
    ImportColumn(
        "类型",
        "venue_type",
        required=True,
        example="星火科技馆",
        help="星火科技馆、星火科普服务站、科普教育基地、科技馆、科普专家工作室、开放实验室、企业展厅",
    ),
    ImportColumn(
        "细分类型",
        "subtype",
        example="新技术类",
        help="星火科技馆：公共资源类/新技术类/企业类/主题（专题）类；服务站：党群服务中心/新时代文明实践中心（站）/科技小院；科技馆：市级科技馆/县级科技馆",
    ),
    ImportColumn("运营单位", "operator", required=True, example="泰山区科学技术协会", help="平台中已有机构的名称或机构代码"),
    ImportColumn("区划代码", "region", required=True, example="370902001", help="乡镇（街道）9 位或社区（村）12 位统计区划代码"),
    ImportColumn("地址", "address", required=True, example="泰山区岱庙街道某路 1 号"),
    ImportColumn("纬度", "lat", required=True, example="36.195", help="WGS-84（GPS、天地图），不是高德/腾讯坐标"),
    ImportColumn("经度", "lon", required=True, example="117.121"),
    ImportColumn("开放时间", "hours", example="周二至周日 09:00-17:00", help="如“周一至周五 08:30-11:30,14:00-17:30；周六 09:00-12:00”"),
    ImportColumn("接待人数", "capacity", example="120"),
    ImportColumn(
        "服务对象", "audiences", example="青少年、公众", help="青少年、农民、产业工人、老年人、领导干部和公务员、公众，用顿号分隔"
    ),
    ImportColumn("联系人", "contact_name", example="张三"),
    ImportColumn("联系电话", "contact_phone", example="0538-8221234"),
    ImportColumn("状态", "status", example="已登记", help="草稿、已登记、已认定（历年已认定的场馆）"),
]

TYPE_BY_LABEL = {str(label): value for value, label in VenueType.choices}
AUDIENCE_BY_LABEL = {str(label): value for value, label in Audience.choices}
STATUS_BY_LABEL = {"草稿": VenueStatus.DRAFT, "已登记": VenueStatus.REGISTERED, "已认定": VenueStatus.CERTIFIED, "": VenueStatus.DRAFT}
DAY_NAMES = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
SEGMENT_RE = re.compile(r"^周([一二三四五六日天])(?:\s*[至到\-~]\s*周([一二三四五六日天]))?\s+(.+)$")


def parse_hours(text: str) -> dict[str, list[list[str]]]:
    """“周一至周五 08:30-11:30,14:00-17:30；周六 09:00-12:00” → the weekly pattern."""
    hours: dict[str, list[list[str]]] = {}
    for segment in re.split(r"[；;]", text or ""):
        segment = segment.strip()
        if not segment:
            continue
        match = SEGMENT_RE.match(segment)
        if not match:
            raise DomainError(VenueError.INVALID_HOURS, f"开放时间“{segment}”看不懂，应如“周二至周日 09:00-17:00”", field="hours")
        first, last = DAY_NAMES[match.group(1)], DAY_NAMES[match.group(2) or match.group(1)]
        spans = []
        for span in re.split(r"[,，、]", match.group(3)):
            parts = [p.strip() for p in re.split(r"[-–~至]", span)]
            if len(parts) != 2:
                raise DomainError(VenueError.INVALID_HOURS, f"开放时段“{span}”应如 09:00-17:00", field="hours")
            spans.append(parts)
        for day in range(first, last + 1) if first <= last else [*range(first, 7), *range(last + 1)]:
            hours.setdefault(WEEKDAYS[day], []).extend([list(s) for s in spans])
    return hours


def format_hours(hours: dict[str, list[list[str]]]) -> str:
    """The weekly pattern as the text parse_hours reads: days with the same spans run together."""
    names = "一二三四五六日"
    spans = [",".join(f"{a}-{b}" for a, b in (hours or {}).get(day, [])) for day in WEEKDAYS]
    parts, day = [], 0
    while day < 7:
        end = day
        while end + 1 < 7 and spans[end + 1] == spans[day]:
            end += 1
        if spans[day]:
            days = f"周{names[day]}" if day == end else f"周{names[day]}至周{names[end]}"
            parts.append(f"{days} {spans[day]}")
        day = end + 1
    return "；".join(parts)


def _number(value: Any, field: str, label: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise DomainError(VenueError.INVALID_LOCATION, f"{label}应为数字", field=field) from exc


def make_builder(actor: Actor):
    """A row → kwargs for venue_create, checked, within what the actor may file."""
    scope = actor.scope_region
    organisations = Organisation.objects.all()  # the actor's scope (the import runs inside the request)

    def build(row: dict[str, Any]) -> dict[str, Any]:
        vtype = TYPE_BY_LABEL.get(str(row["venue_type"]), str(row["venue_type"]))
        if vtype not in VenueType.values:
            raise DomainError(VenueError.INVALID_SUBTYPE, f"类型“{row['venue_type']}”无效", field="venue_type")
        subtype_label = str(row.get("subtype") or "")
        subtype = next((k for k, label in SUBTYPES.get(vtype, []) if label == subtype_label or k == subtype_label), subtype_label)
        ident = str(row["operator"])
        operator = organisations.filter(code=ident).first() or organisations.filter(name=ident).first()
        if operator is None:
            raise DomainError(VenueError.INVALID_REGION, f"运营单位“{ident}”不在您可管理的机构中", field="operator")
        code = str(row["region"]).split(".")[0]
        region = Region.objects.filter(code=code).first()
        if region is None or (scope is not None and not scope.filter(pk=region.pk).exists()):
            raise DomainError(VenueError.INVALID_REGION, f"区划代码“{code}”不存在或不在您的管理范围内", field="region")
        audiences = [a for a in re.split(r"[、,，\s]+", str(row.get("audiences") or "")) if a]
        unknown = [a for a in audiences if a not in AUDIENCE_BY_LABEL]
        if unknown:
            raise DomainError(VenueError.INVALID_AUDIENCE, f"服务对象“{'、'.join(unknown)}”无效", field="audiences")
        status = STATUS_BY_LABEL.get(str(row.get("status") or ""))
        if status is None:
            raise DomainError(VenueError.INVALID_SUBTYPE, "状态应为 草稿、已登记 或 已认定", field="status")
        capacity = row.get("capacity")
        try:
            capacity = int(float(capacity)) if capacity not in (None, "") else 0
        except (TypeError, ValueError) as exc:
            raise DomainError(VenueError.INVALID_SUBTYPE, "接待人数应为整数", field="capacity") from exc
        kwargs = {
            "operator": operator, "region": region, "name": str(row["name"]), "venue_type": vtype, "subtype": subtype,
            "address": str(row["address"]), "lat": _number(row["lat"], "lat", "纬度"), "lon": _number(row["lon"], "lon", "经度"),
            "opening_hours": parse_hours(str(row.get("hours") or "")), "capacity": capacity, "audiences": [AUDIENCE_BY_LABEL[a] for a in audiences],
            "contact_name": str(row.get("contact_name") or ""), "contact_phone": str(row.get("contact_phone") or "").split(".")[0],
        }  # fmt: skip
        try:
            venue_build(**kwargs)
        except DomainError as exc:
            raise DomainError(exc.code, exc.message, field={"opening_hours": "hours"}.get(exc.field or "", exc.field)) from exc
        return {**kwargs, "status": status}

    return build


def save(kwargs: dict[str, Any]) -> None:
    venue_create(**kwargs)
