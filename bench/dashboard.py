"""The dashboard (数据驾驶舱) at city and province scale, server side only (no HTTP): the last part of `make bench`
(`bench/run.py` runs this file in a subprocess after the volunteers; `--only dashboard`).

Run on its own: `.venv/bin/python bench/dashboard.py` with the environment of run.py's CHILD_ENV (run.py passes it;
alone, DATABASE_URL defaults to the bench database and REDIS_URL to none, i.e. the cache in-process).

The two scales, each measured in a fresh Python process of its own (so that its first request is a process's first)
    province   the bench database `xinghuo_bench` (DATABASE_URL), seeded by run.py's SETUP_COMMANDS at province scale:
               the 16 cities of Shandong in the region, venue, activity, talent and resource tables, and Tai'an's
               ≈1,000,000 volunteer service records. The main figure is Tai'an's (370900) own dashboard there.
    city       a database of its own, `xinghuo_bench_city` on the same server, seeded with `seed_demo --scale city`
               (Tai'an alone: the same Tai'an people, volunteers and service records, a third of its venues, 3,000
               resources instead of the province's 100,000). It is made when it is missing (≈3 minutes; the output
               says how long) and reused when it exists; `--recreate-city` (run.py passes it on a run without
               --skip-setup) drops and seeds it again, so that it follows the seeders as the province database does.

What it measures in each, with Django set up against that database (DEBUG off, the cache as configured: Redis in
`make bench`, as in production), after a `VACUUM (ANALYZE)` of it (as autovacuum keeps a production database: freshly
seeded tables have no visibility map, so no index-only scan, and the local server may run with autovacuum off), through Django's test Client signed in as the demo's staff (no HTTP, no gunicorn:
the handler's own time, middleware, view, queries and template included), for this year:
    1. the city staff's dashboard `GET /console/indicators/` (login kepu, Tai'an):
         first     the process's first request, the dashboard's cache keys deleted before it (it includes what any
                   first request of a process costs, loading the URLconf and every app's views: a fresh process's
                   first `/healthz` is timed too, for reference);
         cold      the cache keys deleted before each of `--cold` requests (5): what a user meets when the figures'
                   five minutes (indicators.selectors.CACHE_SECONDS) are up; median and max;
         warm      `--warm` (20) requests after it, the figures in the cache: median and p95;
         queries   one more cold request with every query recorded (connection.execute_wrapper, perf_counter): how
                   many, the time spent in them, and the slowest.
    2. the same for a county's staff (login taishan, 泰山区): the county's own dashboard;
    3. the pages of two heavy indicators, always computed live (no cache): volunteer_hours (a sum over the service
       records) and villages_with_promoter (a coverage ratio over every village), first, median of `--cold`, queries;
    4. the cold dashboard taken apart, the city's: each indicator's `registry.compute` timed on its own (queries and
       SQL time), the coverage map and the targets, the slowest first; and EXPLAIN (ANALYZE, BUFFERS) of the slowest
       query of them all, kept in the JSON (and printed when the cold target is missed).

Targets (issue 7), judged at province scale on the city staff's dashboard: cold (median) under 1 s, warm (p95) under
50 ms. The city scale and the county's dashboard are shown beside them against the same targets.

With `--out PATH` it writes its figures there as JSON (run.py adds them to results.json under `dashboard`).
Without the demo's staff in a database it says so for that scale and goes on (`{"skipped": …}`).
Exit status: 0 done (targets met or not: the figures say), 2 it could not run.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOST, PG_PORT = "127.0.0.1", 5432
DEFAULT_URL = f"postgres://postgres@{HOST}:{PG_PORT}/xinghuo_bench"
CITY_DB = "xinghuo_bench_city"
CITY_URL = f"postgres://postgres@{HOST}:{PG_PORT}/{CITY_DB}"
# the city database's setup: run.py's SETUP_COMMANDS without collectstatic (the static files are the province run's)
CITY_SETUP: list[tuple[str, ...]] = [
    ("migrate", "--noinput"),
    ("load_regions", "3709"),
    ("load_base_data",),
    ("seed_demo", "--scale", "city", "--seed", "1", "--quiet"),
]
NAME = "dashboard"
PATH = "/console/indicators/"
TARGET_COLD_MS = 1000.0
TARGET_WARM_MS = 50.0
CITY_LOGIN, COUNTY_LOGIN = "kepu", "taishan"
HEAVY = ("volunteer_hours", "villages_with_promoter")
SCALES = ("city", "province")


# --- the parent: one child process per scale -------------------------------------------------------------------------


def psql(sql: str, *, database: str = "postgres") -> str:
    command = ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", HOST, "-p", str(PG_PORT), "-U", "postgres", "-d", database]
    done = subprocess.run([*command, "-c", sql], check=False, capture_output=True, text=True, env={**os.environ, "PGCONNECT_TIMEOUT": "10"})
    if done.returncode != 0:
        raise RuntimeError(f"psql failed ({sql}): {done.stderr.strip()[-500:]}")
    return done.stdout.strip()


def city_database(*, recreate: bool, log_path: Path) -> str:
    """Make the city-scale database when it is missing (or `recreate`), else bring its migrations up to date."""
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{CITY_DB}'") == "1"  # noqa: S608 (a constant)
    env = {**os.environ, "DATABASE_URL": CITY_URL}
    commands = CITY_SETUP if recreate or not exists else [("migrate", "--noinput")]
    if recreate or not exists:
        psql(f"DROP DATABASE IF EXISTS {CITY_DB} WITH (FORCE)")
        psql(f"CREATE DATABASE {CITY_DB} ENCODING 'UTF8' TEMPLATE template0")
    started = time.perf_counter()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("a") as log:
        for args in commands:
            shown = " ".join(["manage.py", *args])
            print(f"{'city':<10}{shown} ...", end=" ", flush=True)
            t = time.perf_counter()
            done = subprocess.run(
                [sys.executable, str(ROOT / "manage.py"), *args], check=False, cwd=ROOT, env=env, capture_output=True, text=True
            )
            log.write(f"$ DATABASE_URL={CITY_URL} {shown}  (exit {done.returncode})\n{done.stdout}{done.stderr}\n")
            if done.returncode != 0:
                print(f"FAILED (exit {done.returncode})", flush=True)
                raise RuntimeError(f"{shown} failed on {CITY_DB}; output in {log_path}")
            print(f"ok ({time.perf_counter() - t:.1f} s)", flush=True)
    seconds = time.perf_counter() - started
    return f"seeded in {seconds:.0f} s" if commands is CITY_SETUP else "reused"


def measure_scale(scale: str, database_url: str, args: argparse.Namespace) -> dict:
    """This file again with --child, against one database; its figures come back on its last line of output. Then once
    more with --startup: what a fresh process's first request costs whatever the page (`/healthz`), for reference."""
    print(f"{'measure':<10}{NAME} at {scale} scale ({database_url.rsplit('/', 1)[-1]}) ...", flush=True)
    env = {**os.environ, "DATABASE_URL": database_url}
    out = {}
    for command in ([sys.executable, __file__, "--child", scale, "--cold", str(args.cold), "--warm", str(args.warm)],
                    [sys.executable, __file__, "--startup"]):  # fmt: skip
        done = subprocess.run(command, check=False, cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"the {scale} measurement failed (exit {done.returncode}): {done.stderr.strip()[-3000:]}")
        out |= json.loads(done.stdout.strip().splitlines()[-1])
    return out


# --- the child: one scale ---------------------------------------------------------------------------------------------


def setup_django() -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("XINGHUO_ENV", "demo")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("XINGHUO_OTP_REQUIRED", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinghuo.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def startup() -> dict:
    """A fresh process: Django's setup, then its first and second requests of `/healthz` (a view that costs nothing):
    the first one loads the URLconf and with it every app's views, what any first request of a worker pays."""
    started = time.perf_counter()
    setup_django()
    setup_ms = (time.perf_counter() - started) * 1000
    from django.test import Client

    client = Client(HTTP_HOST=HOST)
    first = get(client, "/healthz")
    return {"startup": {"django_setup_ms": r1(setup_ms), "first_healthz_ms": r1(first), "second_healthz_ms": r1(get(client, "/healthz"))}}


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank, as run.py's."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1]


def r1(value: float) -> float:
    return round(value, 1)


class Recorder:
    """Every query of the connection while installed (connection.execute_wrapper): SQL, parameters, milliseconds."""

    def __init__(self) -> None:
        self.queries: list[tuple[float, str, Any]] = []

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(((time.perf_counter() - started) * 1000, sql, params))

    @property
    def ms(self) -> float:
        return sum(q[0] for q in self.queries)


def recorded(fn: Callable[[], Any]) -> tuple[float, Recorder, Any]:
    from django.db import connection

    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        started = time.perf_counter()
        result = fn()
        elapsed = (time.perf_counter() - started) * 1000
    return elapsed, recorder, result


def signed_in(username: str):
    """A test Client signed in as a demo staff member, as the login page leaves a session (the second factor is off
    in the bench's environment, XINGHUO_OTP_REQUIRED=0)."""
    from django.test import Client
    from django.utils import timezone

    from xinghuo.accounts.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        return None, None
    client = Client(HTTP_HOST=HOST)
    client.force_login(user, backend="xinghuo.accounts.backends.UsernameOrPhoneBackend")
    session = client.session
    session["xh_login_at"] = session["xh_seen_at"] = timezone.now().timestamp()
    session.save()
    return client, user


def forget(within, year: int) -> None:
    """The dashboard's cache keys of a scope and a year (its figures and its coverage map), as when they expire."""
    from django.core.cache import cache

    from xinghuo.indicators import selectors

    cache.delete_many([selectors._cache_key(within, year), f"indicators:coverage:v1:{within.pk}"])


def get(client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"GET {path}: status {response.status_code}, expected 200")
    return elapsed


def slowest(recorder: Recorder, n: int = 3) -> list[dict]:
    return [{"ms": r1(ms), "sql": sql[:600]} for ms, sql, _ in sorted(recorder.queries, key=lambda q: -q[0])[:n]]


def page(client, path: str, *, cold: int, warm: int, before: Callable[[], None]) -> dict:
    """`before` runs ahead of each cold request (deleting the cache keys); the warm requests follow without it."""
    before()
    first = get(client, path)
    colds = []
    for _ in range(cold):
        before()
        colds.append(get(client, path))
    before()
    total, recorder, _ = recorded(lambda: get(client, path))
    out = {
        "path": path, "first_ms": r1(first), "cold_ms": [r1(t) for t in colds], "cold_median_ms": r1(statistics.median(colds)),
        "cold_max_ms": r1(max(colds)), "queries": len(recorder.queries), "sql_ms": r1(recorder.ms), "recorded_ms": r1(total),
        "slowest_queries": slowest(recorder),
    }  # fmt: skip
    if warm:
        warms = [get(client, path) for _ in range(warm)]
        out |= {"warm_ms": [r1(t) for t in warms], "warm_median_ms": r1(statistics.median(warms)), "warm_p95_ms": r1(percentile(warms, 95))}
        _, recorder, _ = recorded(lambda: get(client, path))
        out["warm_queries"], out["warm_sql_ms"] = len(recorder.queries), r1(recorder.ms)
    return out


def sizes() -> dict[str, int]:
    """What the scale is: the rows of the big tables the indicators read (all cities)."""
    from django.db import connection

    tables = {
        "cities": "SELECT count(*) FROM regions_region WHERE level = 'city'",
        "towns": "SELECT count(*) FROM regions_region WHERE level = 'town'",
        "villages": "SELECT count(*) FROM regions_region WHERE level = 'village'",
        "venues": "SELECT count(*) FROM venues_venue",
        "activities": "SELECT count(*) FROM activities_activity",
        "people": "SELECT count(*) FROM talent_person",
        "person_roles": "SELECT count(*) FROM talent_personrole",
        "promoter_areas": "SELECT count(*) FROM promoters_promoterarea",
        "service_records": "SELECT count(*) FROM volunteers_servicerecord",
        "resources": "SELECT count(*) FROM resources_resource",
        "course_completions": "SELECT count(*) FROM resources_coursecompletion",
    }
    out = {}
    with connection.cursor() as cursor:
        for name, sql in tables.items():
            cursor.execute(sql)
            out[name] = cursor.fetchone()[0]
    return out


def breakdown(within, year: int) -> dict:
    """The cold dashboard's computation taken apart: each indicator's figure, the coverage map, the targets."""
    from django.db import connection

    from xinghuo.indicators import registry, selectors

    goals = selectors.targets(year)
    rows = []
    worst: tuple[float, str, Any] = (0.0, "", None)
    for indicator in selectors.all_indicators():
        ms, recorder, _ = recorded(lambda i=indicator: registry.compute(i, within=within, year=year, target=goals.get(i.key)))
        rows.append({"key": indicator.key, "ms": r1(ms), "queries": len(recorder.queries), "sql_ms": r1(recorder.ms)})
        worst = max([worst, *recorder.queries], key=lambda q: q[0])
    forget(within, year)
    extra = {}
    for label, fn in (("coverage_map", lambda: selectors.coverage_map(within)), ("targets", lambda: selectors.targets(year))):
        ms, recorder, _ = recorded(fn)
        extra[label] = {"ms": r1(ms), "queries": len(recorder.queries), "sql_ms": r1(recorder.ms)}
        worst = max([worst, *recorder.queries], key=lambda q: q[0])
    rows.sort(key=lambda r: -r["ms"])
    plan = ""
    if worst[1]:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {worst[1]}", worst[2])
            plan = "\n".join(line for (line,) in cursor.fetchall())
    return {
        "indicators": rows, "indicators_ms": r1(sum(r["ms"] for r in rows)), **extra,
        "slowest_query": {"ms": r1(worst[0]), "sql": worst[1], "explain_analyze": plan},
    }  # fmt: skip


def measure(scale: str, *, cold: int, warm: int) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from xinghuo.accounts.actor import actor_for
    from xinghuo.indicators import selectors

    city_client, city_user = signed_in(CITY_LOGIN)
    county_client, county_user = signed_in(COUNTY_LOGIN)
    if city_client is None or county_client is None:
        return {"skipped": f"no demo staff {CITY_LOGIN} / {COUNTY_LOGIN} in the database (seed_demo makes them)"}
    year = timezone.localdate().year
    city, county = actor_for(city_user).region, actor_for(county_user).region
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        database = cursor.fetchone()[0]
        started = time.perf_counter()
        cursor.execute("VACUUM (ANALYZE)")  # as autovacuum keeps a production database (the bench server may run without)
        vacuum_s = time.perf_counter() - started
    result: dict[str, Any] = {
        "scale": scale, "database": database, "year": year, "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "rows": sizes(), "indicators": len(selectors.all_indicators()), "load_average": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
        "vacuum_s": round(vacuum_s, 1),
    }  # fmt: skip
    result["city"] = {"login": CITY_LOGIN, "scope": f"{city.code} {city.display_name}"}
    result["city"] |= page(city_client, PATH, cold=cold, warm=warm, before=lambda: forget(city, year))
    result["county"] = {"login": COUNTY_LOGIN, "scope": f"{county.code} {county.display_name}"}
    result["county"] |= page(county_client, PATH, cold=cold, warm=warm, before=lambda: forget(county, year))
    result["heavy"] = {
        key: page(city_client, f"{PATH}{key}/", cold=cold, warm=0, before=lambda: None) for key in HEAVY
    }  # always live: nothing to forget
    result["breakdown"] = breakdown(city, year)
    return result


# --- the block ----------------------------------------------------------------------------------------------------------


def verdict(value: float, target: float) -> str:
    return f"< {target:g} ms: {'met' if value < target else 'NOT met'}"


def targets_of(scale: dict) -> dict:
    c = scale["city"]
    return {
        "cold_ms": TARGET_COLD_MS, "cold_met": c["cold_median_ms"] < TARGET_COLD_MS,
        "warm_ms": TARGET_WARM_MS, "warm_met": c["warm_p95_ms"] < TARGET_WARM_MS,
    }  # fmt: skip


def describe(rows: dict[str, int]) -> str:
    return (f"{rows['cities']} cities, {rows['towns']:,} towns, {rows['villages']:,} villages, {rows['venues']:,} venues, "
            f"{rows['activities']:,} activities, {rows['person_roles']:,} person roles, {rows['promoter_areas']:,} promoter areas, "
            f"{rows['service_records']:,} service records, {rows['resources']:,} resources, "
            f"{rows['course_completions']:,} course completions")  # fmt: skip


def print_block(result: dict) -> None:
    print(f"\n{NAME}: the dashboard's server time (Django test Client, no HTTP), cold = cache keys deleted, warm = cached")
    for name in SCALES:
        s = result.get(name)
        if s is None:
            continue
        if "skipped" in s:
            print(f"{name:<10}skipped: {s['skipped']}")
            continue
        print(f"{name:<10}{s['database']} ({s.get('setup', 'given')}): {describe(s['rows'])}; {s['indicators']} indicators, "
              f"year {s['year']}, cache {s['cache']}, load {s['load_average']:g} on {s['cpus']} CPUs")  # fmt: skip
        up = s["startup"]
        print(f"  start   a fresh process's first request, whatever the page (/healthz): {up['first_healthz_ms']:.0f} ms "
              f"(the second: {up['second_healthz_ms']:.1f} ms), part of every 'first' below")  # fmt: skip
        for who in ("city", "county"):
            p = s[who]
            print(f"  {who:<8}{p['login']} ({p['scope']}): first {p['first_ms']:.0f} ms ({verdict(p['first_ms'], TARGET_COLD_MS)}), "
                  f"cold median {p['cold_median_ms']:.0f} / max {p['cold_max_ms']:.0f} ms ({verdict(p['cold_median_ms'], TARGET_COLD_MS)}; "
                  f"{p['queries']} queries, {p['sql_ms']:.0f} ms in SQL), warm median {p['warm_median_ms']:.1f} / p95 {p['warm_p95_ms']:.1f} ms "
                  f"({verdict(p['warm_p95_ms'], TARGET_WARM_MS)}; {p['warm_queries']} queries)")  # fmt: skip
        for key, p in s["heavy"].items():
            print(f"  page    {key}: first {p['first_ms']:.0f} ms, cold median {p['cold_median_ms']:.0f} / max {p['cold_max_ms']:.0f} ms "
                  f"({p['queries']} queries, {p['sql_ms']:.0f} ms in SQL)")  # fmt: skip
        b = s["breakdown"]
        top = ", ".join(f"{r['key']} {r['ms']:.0f}" for r in b["indicators"][:5])
        print(f"  parts   Σ compute {b['indicators_ms']:.0f} ms (slowest: {top}), coverage map {b['coverage_map']['ms']:.0f} ms, "
              f"targets {b['targets']['ms']:.0f} ms; slowest query {b['slowest_query']['ms']:.0f} ms")  # fmt: skip
    main = result.get("province")
    if main and "skipped" not in main:
        t = main["targets"]
        print(f"target    province, {main['city']['scope']} city staff: cold median {main['city']['cold_median_ms']:.0f} ms "
              f"(< {t['cold_ms']:g} ms: {'met' if t['cold_met'] else 'NOT met'}), warm p95 {main['city']['warm_p95_ms']:.1f} ms "
              f"(< {t['warm_ms']:g} ms: {'met' if t['warm_met'] else 'NOT met'})")  # fmt: skip
        if not t["cold_met"]:
            q = main["breakdown"]["slowest_query"]
            print(f"          the slowest query ({q['ms']:.0f} ms): {q['sql'][:400]}\n{q['explain_analyze']}")


# --- command line --------------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write the figures there as JSON")
    parser.add_argument("--cold", type=int, default=5, help="cold requests per page (cache keys deleted before each)")
    parser.add_argument("--warm", type=int, default=20, help="warm requests per dashboard")
    parser.add_argument("--scales", default=",".join(SCALES), help="comma separated: city, province")
    parser.add_argument("--recreate-city", action="store_true", help=f"drop and seed {CITY_DB} again")
    parser.add_argument("--setup-log", type=Path, default=ROOT / "var" / "bench" / "setup.log", help="the city setup's output")
    parser.add_argument("--child", choices=SCALES, help=argparse.SUPPRESS)  # one scale, in this process
    parser.add_argument("--startup", action="store_true", help=argparse.SUPPRESS)  # a fresh process's first request
    args = parser.parse_args(argv)
    args.cold, args.warm = max(1, args.cold), max(1, args.warm)
    if args.startup:
        print(json.dumps(startup()))
        return 0
    if args.child:
        setup_django()
        print(json.dumps(measure(args.child, cold=args.cold, warm=args.warm), ensure_ascii=False))
        return 0
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    wanted = [s for s in SCALES if s in {x.strip() for x in args.scales.split(",")}]
    result: dict[str, Any] = {"targets": {"cold_ms": TARGET_COLD_MS, "warm_ms": TARGET_WARM_MS}}
    try:
        for scale in wanted:
            url, setup = os.environ["DATABASE_URL"], "make bench's setup"
            if scale == "city":
                url, setup = CITY_URL, city_database(recreate=args.recreate_city, log_path=args.setup_log)
            result[scale] = {**measure_scale(scale, url, args), "setup": setup}
            if scale == "province" and "skipped" not in result[scale]:
                result[scale]["targets"] = targets_of(result[scale])
    except RuntimeError as exc:
        print(f"{'errors':<10}{NAME}: {exc}", file=sys.stderr, flush=True)
        return 2
    print_block(result)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
