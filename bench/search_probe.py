"""Full-text search probe: how fast `xinghuo.search` indexes and answers at scale, against the `icontains` scan
it replaces. Server time only (no HTTP): `.venv/bin/python bench/search_probe.py [--rows 100000]`.

What it does
    1. Recreates the database (default: PostgreSQL `xinghuo_search_probe` on 127.0.0.1; `--database-url
       sqlite:///…` for SQLite), migrates it and loads Tai'an's regions and base organisations
       (skipped with `--skip-setup`, which reuses the venues already there).
    2. Makes `--rows` synthetic venues with Chinese names, summaries and addresses (fixed seed): times the
       text processing alone (CPU), `search.bulk_create` (rows inserted with their index) and
       `search.rebuild` (`rebuild_search_index`: the index of rows already there, written again).
    3. For each query of QUERIES, a list page as the map or console would serve it: `count()` and the
       first 20 rows ordered by rank, `--repeat` times after a warm-up; and the same page with the `icontains`
       scan of name, summary and address (ordered by code). Prints p50/p95 of each in ms and the ratio.

It only ever talks to the database named in the URL.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/xinghuo_search_probe"

#: (query, what it exercises). Topics are each in ≈1.5 % of the rows, towns ≈1 %, kinds ≈7 %; 科普 is in most.
QUERIES = [
    ("天文", "a topic word"),
    ("垃圾分类", "a topic word"),
    ("防溺水", "a topic word"),
    ("粥店街道", "a town (address)"),
    ("泰山区 天文", "two terms"),
    ("tianwen", "pinyin of a topic"),
    ("ljfl", "initials of a topic"),
    ("kjg", "initials of a kind (≈7 %)"),
    ("科技馆", "a kind (≈7 %)"),
    ("技馆", "a piece of a name (≈7 %)"),
    ("科普", "in most rows: the worst case"),
]

TOPICS = [
    "天文", "航天", "火箭", "卫星", "气象", "地震", "地质", "矿物", "化石", "恐龙", "海洋", "湿地", "森林", "草原", "昆虫", "鸟类", "植物", "中草药", "农业", "种子",
    "水稻", "小麦", "果树", "茶叶", "食品安全", "营养", "健康", "中医", "急救", "防溺水", "防火", "防诈骗", "垃圾分类", "节能", "低碳", "光伏", "风电", "氢能", "电池",
    "新材料", "芯片", "人工智能", "机器人", "编程", "无人机", "物联网", "大数据", "区块链", "量子", "桥梁", "建筑", "交通", "汽车", "高铁", "数学", "物理", "化学", "生物",
    "心理",
]  # fmt: skip
KINDS = ["星火科技馆", "科普教育基地", "星火科普服务站", "开放实验室", "科普专家工作室", "企业展厅", "科技馆", "科普馆", "研学基地",
         "科普长廊", "科普角", "体验中心", "科普站", "展示馆", "科普园"]  # fmt: skip
SENTENCES = [
    "面向青少年开展科普展示与体验活动。", "常年开展应急科普与防灾减灾演练。", "设有互动展品、多媒体放映区和科普报告厅。",
    "组织科技志愿者进社区、进农村、进学校。", "展示泰山地质变迁与古老岩石。", "为老年人提供智惠助老健康讲座。",
    "承办全国科普日和科技活动周主场活动。", "与高校合作建设开放实验室。", "推广现代农业新品种、新技术。",
    "每周末开放，学校团体可预约参观。", "配备专职讲解员和科普辅导员。", "定期举办科学小实验和亲子课堂。",
]  # fmt: skip
STREETS = ["东岳大街", "灵山大街", "泰山大街", "迎胜路", "龙潭路", "环山路", "长城路", "擂鼓石大街", "温泉路", "财源大街"]


def setup(database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "XINGHUO_ENV": "demo", "PYTHONPATH": str(ROOT / "src")}
    if database_url.startswith("postgres"):
        name = database_url.rsplit("/", 1)[1]
        admin = database_url.rsplit("/", 1)[0] + "/postgres"
        for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
            subprocess.run(["psql", admin, "-q", "-c", sql], check=True)
    elif database_url.startswith("sqlite:///"):
        Path(database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    for command in (["migrate", "--noinput", "-v", "0"], ["load_regions", "3709"], ["load_base_data"]):
        subprocess.run([sys.executable, str(ROOT / "manage.py"), *command], check=True, env=env, stdout=subprocess.DEVNULL)


def make_venues(rows: int, jobs: int) -> None:
    from xinghuo import search
    from xinghuo.core import audit, context
    from xinghuo.organisations.models import Organisation
    from xinghuo.regions.models import Region, RegionLevel
    from xinghuo.venues.models import Venue

    rng = random.Random(2026)
    towns = list(Region.objects.filter(code__startswith="3709", level=RegionLevel.TOWN).select_related("county"))
    operator = Organisation.unscoped.get(code="KX370900")
    venues = []
    for i in range(rows):
        town = rng.choice(towns)
        county = town.county.name if town.county else ""
        topic = rng.choice(TOPICS)
        name = f"{county}{town.name}{topic}{rng.choice(KINDS)}" + (f"（{i}）" if rng.random() < 0.3 else "")
        summary = f"以{rng.choice(TOPICS)}为主题，" + "".join(rng.sample(SENTENCES, 2))
        venues.append(
            Venue(
                name=name[:120], venue_type="spark_hall", subtype="new_technology", status="registered", operator=operator, region=town,
                address=f"泰安市{county}{town.name}{rng.choice(STREETS)}{rng.randint(1, 300)}号", lat=36.2, lon=117.1, summary=summary,
            )
        )  # fmt: skip
    sample = venues[:5000]
    started = time.process_time()
    for v in sample:
        search.text.document(title=v.name, summary=v.summary, body=v.address)
    per_row = (time.process_time() - started) / len(sample)
    print(f"text processing: {1 / per_row:,.0f} rows per CPU second (one process), i.e. {per_row * 100_000:.0f} s per 100,000")

    with context.as_command("search_probe"), audit.bulk_write(model=Venue, description="检索探针：合成场馆"):
        started = time.perf_counter()
        search.bulk_create(Venue.unscoped, venues, batch_size=2000, jobs=jobs)
        took = time.perf_counter() - started
    print(f"search.bulk_create of {rows} venues with their index (jobs={jobs}): {took:.1f} s")
    started = time.perf_counter()
    search.rebuild(Venue, jobs=jobs)
    print(f"rebuild_search_index of {rows} venues (jobs={jobs}): {time.perf_counter() - started:.1f} s")


def _time(fn, repeat: int) -> tuple[float, float, int]:
    fn()  # warm-up (and jieba's dictionary, once)
    samples = []
    result = 0
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, round(0.95 * len(samples)) - 1)], result


def probe(repeat: int) -> None:
    from django.db import connection
    from django.db.models import Q

    from xinghuo.search import search
    from xinghuo.venues.models import Venue

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE venues_venue")
    total = Venue.unscoped.count()
    print(f"\n{connection.vendor}, {total} venues, {repeat} runs each; a page = count() + first 20 rows")
    print(f"{'query':<12} {'matches':>8} {'search p50':>11} {'p95':>7} {'icontains p50':>14} {'p95':>7} {'p50 ×':>6}  what")

    for query, what in QUERIES:

        def searched(query=query) -> int:
            qs = search(Venue.unscoped.all(), query)
            list(qs.order_by("-search_rank", "code").values_list("pk", "name")[:20])
            return qs.count()

        def scanned(query=query) -> int:
            qs = Venue.unscoped.filter(Q(name__icontains=query) | Q(summary__icontains=query) | Q(address__icontains=query))
            list(qs.order_by("code").values_list("pk", "name")[:20])
            return qs.count()

        s50, s95, matches = _time(searched, repeat)
        i50, i95, _ = _time(scanned, max(3, repeat // 5))
        print(f"{query:<12} {matches:>8} {s50:>11.1f} {s95:>7.1f} {i50:>14.1f} {i95:>7.1f} {i50 / s50:>6.0f}  {what}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=2, help="text-cutting processes for the bulk index")
    parser.add_argument("--skip-setup", action="store_true")
    args = parser.parse_args()

    if not args.skip_setup:
        setup(args.database_url)
    os.environ.update(DATABASE_URL=args.database_url, XINGHUO_ENV="demo", DJANGO_SETTINGS_MODULE="xinghuo.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    if not args.skip_setup:
        make_venues(args.rows, args.jobs)
    probe(args.repeat)


if __name__ == "__main__":
    main()
