"""The library's search at province scale, server time only (no HTTP): the last part of `make bench`
(`bench/run.py` runs this file in a subprocess after the table and the rush; `--only library_search`).

Run on its own against the bench database: `.venv/bin/python bench/library_search.py [--repeat 30]` with the
environment of run.py's CHILD_ENV (run.py passes it; alone, DATABASE_URL defaults to the bench database).

What it does, in this process, with Django set up against the database (one connection, DEBUG off)
    1. `VACUUM ANALYZE resources_resource` (the seed has just written ≈100,000 rows), as search_probe.py does.
    2. For each query of QUERIES, the results page of `/library/?q=…` without its facets and courses: inside
       `public_reads()`, the count and the first 20 rows of `selectors.Found(q)` as the page does them (title and
       summary hits by rank, then body-only hits newest first; counted no further than `selectors.SEARCH_LISTED`:
       a query that matches more shows "more than 1,000", and its `matches` below says ">1000"),
       once to warm up, then `--repeat` times; and the same page done with a plain scan: published resources
       whose title, summary or body_text `icontains` the query, ordered by -published_at (`--scan-repeat` times,
       after a warm-up too).
    3. Prints per query and overall the p50/p95 of both (ms, nearest rank), the search's queries a second (one
       connection, one after the other) and the speed-up (scan p50 ÷ search p50; overall: the sum of the
       queries' scan p50s ÷ the sum of their search p50s, one of each query), and whether the targets are met:
       search p95 over all queries ≤ TARGET_P95_MS, overall speed-up ≥ TARGET_SPEEDUP. The whole page through
       gunicorn is the table's `library_search` scenario.

With `--out PATH` it writes its figures there as JSON (run.py adds them to results.json under `library_search`).
With no published resource in the database it says so and exits 0 (`{"skipped": …}`).
Exit status: 0 done (targets met or not: the figures say), 2 it could not run.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/xinghuo_bench"
NAME = "library_search"

TARGET_P95_MS = 50.0
TARGET_SPEEDUP = 20.0
PAGE = 20

#: (query, what it exercises), typical searches of the library's readers.
QUERIES = [
    ("高血压", "a health topic"),
    ("流感 疫苗", "two terms"),
    ("垃圾分类", "an environment topic"),
    ("人工智能", "a technology topic"),
    ("地震", "a short word"),
    ("儿童 防溺水", "two terms, audience and topic"),
    ("gaoxueya", "pinyin of 高血压"),
    ("gxy", "initials of 高血压"),
]


def percentile(ordered: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of an ascending sequence (as run.py's)."""
    return ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1]


def timed(fn: Callable[[], int], repeat: int) -> tuple[list[float], int]:
    """One warm-up call, then `repeat` timed ones: (the times in ms, ascending; what the last call returned)."""
    result = fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - started) * 1000)
    return sorted(samples), result


def measure(repeat: int, scan_repeat: int) -> dict:
    from django.core.paginator import Paginator
    from django.db import connection
    from django.db.models import Q

    from xinghuo.core.scoping import public_reads
    from xinghuo.resources import selectors
    from xinghuo.resources.models import Resource, ResourceStatus

    with public_reads():
        published = Resource.objects.filter(status=ResourceStatus.PUBLISHED)
        total = published.count()
        if not total:
            return {"skipped": f"no published resource in {connection.settings_dict['NAME']} (seed_demo --scale province makes them)"}
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE resources_resource")

        print(f"{'':<10}{connection.vendor}, {total:,} published resources; a page = count() + first {PAGE} rows; "
              f"search {repeat} runs, icontains {scan_repeat} runs each, after a warm-up", flush=True)  # fmt: skip
        rows = []
        for query, what in QUERIES:

            def searched(query: str = query) -> int:
                pages = Paginator(selectors.Found(query), PAGE)  # as the page
                list(pages.page(1).object_list)
                return pages.count + pages.object_list.capped  # SEARCH_LISTED + 1: "more than"

            def scanned(query: str = query) -> int:
                qs = published.filter(Q(title__icontains=query) | Q(summary__icontains=query) | Q(body_text__icontains=query))
                list(qs.select_related("organisation").order_by("-published_at", "-pk")[:PAGE])
                return qs.count()

            search_ms, matches = timed(searched, repeat)
            scan_ms, scan_matches = timed(scanned, scan_repeat)
            rows.append({
                "query": query, "what": what, "matches": matches, "icontains_matches": scan_matches, "search_ms": search_ms,
                "icontains_ms": scan_ms,
            })  # fmt: skip
    return {**summarise(total, repeat, scan_repeat, rows), "listed": selectors.SEARCH_LISTED}


def summarise(total: int, repeat: int, scan_repeat: int, rows: list[dict]) -> dict:
    queries = []
    for row in rows:
        s, i = row.pop("search_ms"), row.pop("icontains_ms")
        s50, i50 = percentile(s, 50), percentile(i, 50)
        queries.append({
            **row, "search_p50_ms": round(s50, 2), "search_p95_ms": round(percentile(s, 95), 2), "search_qps": round(len(s) / (sum(s) / 1000), 1),
            "icontains_p50_ms": round(i50, 2), "icontains_p95_ms": round(percentile(i, 95), 2), "speedup": round(i50 / s50, 1),
            "_s": s, "_i": i,
        })  # fmt: skip
    every_s = sorted(x for q in queries for x in q.pop("_s"))
    every_i = sorted(x for q in queries for x in q.pop("_i"))
    p95 = percentile(every_s, 95)
    speedup = sum(q["icontains_p50_ms"] for q in queries) / sum(q["search_p50_ms"] for q in queries)
    return {
        "published_resources": total, "repeat": repeat, "icontains_repeat": scan_repeat, "page": PAGE, "queries": queries,
        "overall": {
            "search_p50_ms": round(percentile(every_s, 50), 2), "search_p95_ms": round(p95, 2),
            "search_qps": round(len(every_s) / (sum(every_s) / 1000), 1),
            "icontains_p50_ms": round(percentile(every_i, 50), 2), "icontains_p95_ms": round(percentile(every_i, 95), 2),
            "speedup": round(speedup, 1), "lowest_speedup": min(q["speedup"] for q in queries),
        },
        "targets": {
            "p95_ms": TARGET_P95_MS, "p95_met": p95 <= TARGET_P95_MS, "speedup": TARGET_SPEEDUP, "speedup_met": speedup >= TARGET_SPEEDUP,
        },
    }  # fmt: skip


def print_block(r: dict) -> None:
    print(f"\n{NAME}: the library's results page (count + first {r['page']}) at {r['published_resources']:,} published "
          f"resources, server time in ms, in-process, one connection")  # fmt: skip
    head = f"{'query':<12}{'matches':>8}{'search p50':>12}{'p95':>8}{'q/s':>8}{'icontains p50':>15}{'p95':>9}{'×':>7}  what"
    print(head)
    print("-" * len(head))
    for q in r["queries"]:
        note = "" if q["matches"] == q["icontains_matches"] else f"; icontains finds {q['icontains_matches']}"
        matches = f">{r['listed']}" if q["matches"] > r["listed"] else str(q["matches"])
        # the query's display width: a CJK character takes two columns
        pad = 12 - sum(2 if ord(c) > 0x2E80 else 1 for c in q["query"])
        print(
            f"{q['query']}{' ' * max(1, pad)}{matches:>8}{q['search_p50_ms']:>12.1f}{q['search_p95_ms']:>8.1f}{q['search_qps']:>8.0f}"
            f"{q['icontains_p50_ms']:>15.1f}{q['icontains_p95_ms']:>9.1f}{q['speedup']:>7.0f}  {q['what']}{note}"
        )
    o, t = r["overall"], r["targets"]
    print(
        f"{'overall':<12}{'':>8}{o['search_p50_ms']:>12.1f}{o['search_p95_ms']:>8.1f}{o['search_qps']:>8.0f}"
        f"{o['icontains_p50_ms']:>15.1f}{o['icontains_p95_ms']:>9.1f}{o['speedup']:>7.0f}  (× = Σ icontains p50 ÷ Σ search p50; "
        f"lowest query {o['lowest_speedup']:.0f}×)"
    )
    print(f"targets   search p95 {o['search_p95_ms']:.1f} ms ≤ {t['p95_ms']:g} ms: {'met' if t['p95_met'] else 'NOT met'};  "
          f"{o['speedup']:.0f}× faster than icontains ≥ {t['speedup']:g}×: {'met' if t['speedup_met'] else 'NOT met'}")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed search pages per query")
    parser.add_argument("--scan-repeat", type=int, default=5, help="timed icontains pages per query")
    parser.add_argument("--out", type=Path, help="write the figures there as JSON")
    args = parser.parse_args(argv)

    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("XINGHUO_ENV", "demo")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinghuo.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    result = measure(max(1, args.repeat), max(1, args.scan_repeat))
    if "skipped" in result:
        print(f"{'note':<10}{NAME} skipped: {result['skipped']}", flush=True)
    else:
        print_block(result)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
