"""The indicators' API: GET /api/v1/indicators — every figure of the caller's scope for a year, with its target, its
state and its breakdown by county (or town) and by month; GET /api/v1/indicators/{key} — one, computed now. For city
and county staff (a county's staff get their county), the same figures as the dashboard."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from xinghuo.core.api import ErrorOut, require_role
from xinghuo.indicators import selectors
from xinghuo.indicators.registry import Figure

router = Router(tags=["指标"])


class PartOut(Schema):
    code: str = Field(..., description="县市区（乡镇）区划代码；空为本级")
    name: str
    value: float
    total: int = Field(..., description="覆盖率指标：该区域的总数（乡镇或社区数）")


class MonthOut(Schema):
    month: int
    value: float


class FigureOut(Schema):
    key: str
    name: str
    group: str
    unit: str
    per: str = Field(..., description="year：当年；空：截至目前")
    available: bool = Field(..., description="false：来源模块尚未建成，无数据")
    value: float | None
    total: int | None = Field(None, description="覆盖率指标的总数")
    target: str | None = Field(None, description="目标，如 ≥20家")
    state: str = Field(..., description="met | over | behind | no_target | no_data")
    parts: list[PartOut]
    months: list[MonthOut]


class BoardOut(Schema):
    scope: str
    scope_code: str
    year: int
    items: list[FigureOut]


def _out(f: Figure) -> dict:
    ratio = f.indicator.measure == "ratio"
    return {
        "key": f.indicator.key, "name": f.indicator.name, "group": f.indicator.group, "unit": f.indicator.unit, "per": f.indicator.per,
        "available": f.available, "value": None if f.value is None else float(f.value), "total": f.total if ratio else None,
        "target": f.target.label if f.target else None, "state": f.state,
        "parts": [{"code": p.code, "name": p.label, "value": float(p.value), "total": p.total} for p in f.parts],
        "months": [{"month": p.key, "value": float(p.value)} for p in f.months],
    }  # fmt: skip


def _year(year: int | None) -> int:
    return year or timezone.localdate().year


@router.get("/indicators", response={200: BoardOut, 404: ErrorOut, 422: ErrorOut}, summary="全部指标")
def board(request: HttpRequest, year: int | None = Query(None, ge=selectors.FIRST_YEAR, le=2100), county: str = ""):  # type: ignore[type-arg]
    """调用者范围内（市科协为全市，或用 `county` 指定县市区；县级为本县）当年的全部指标：数值、目标、状态、分区域与分月。
    数字由平台记录统计，可能有 5 分钟缓存。"""
    actor = require_role(request, *selectors.VIEWERS)
    within = selectors.scope_for(actor, county)
    current = selectors.board(within=within, year=_year(year))
    return {"scope": within.display_name, "scope_code": within.code, "year": current.year, "items": [_out(f) for f in current.figures]}


@router.get("/indicators/{key}", response={200: FigureOut, 404: ErrorOut, 422: ErrorOut}, summary="单项指标")
def one(request: HttpRequest, key: str, year: int | None = Query(None, ge=selectors.FIRST_YEAR, le=2100), county: str = ""):  # type: ignore[type-arg]
    """一项指标，按当前记录实时计算。"""
    actor = require_role(request, *selectors.VIEWERS)
    within = selectors.scope_for(actor, county)
    indicator = selectors.get_indicator(key)
    return _out(selectors.figure(indicator=indicator, within=within, year=_year(year)))
