"""Load benchmark for Xinghuo: `make bench`, i.e. `.venv/bin/python bench/run.py [options]`.

What it does
    1. Recreates the PostgreSQL database `xinghuo_bench` (starting the local server if needed) and
       runs the `manage.py` commands in `SETUP_COMMANDS` (skipped with `--skip-setup`).
    2. Serves the platform with gunicorn (gthread workers, no access log) on a free port of 127.0.0.1
       and waits for `/healthz` to answer 200.
    3. Drives every scenario of `bench/scenarios.py` from this process with one asyncio httpx client:
       `--concurrency` simulated clients, each with its own keep-alive connection and sending its next
       request as soon as the previous answer is read; a short warm-up, then a fixed number of requests,
       each scenario bounded by `--max-seconds`.
    4. Last, the sign-up rush (`SIGNUP_RUSH`, driven by `bench/rush.py`; `--only signup_rush` runs just it and
       the floor): `manage.py prepare_signup_rush` (also with `--skip-setup`: it empties the rush's activity
       and makes fresh sessions) before gunicorn starts, then 2,000 signed-in citizens sign up from 200 clients
       for 200 seats, and the database is checked afterwards. Its own options are in scenarios.py, not here.
    5. Stops gunicorn (also on Ctrl-C) and prints a table, then the rush's block.
    6. Then the library's search at province scale (`bench/library_search.py`, in a subprocess with the children's
       environment; `--only library_search` runs it with the table's `library_search` scenario and the floor):
       server time of a results page (count + first 20) of `resources.selectors.Found(q)` for a handful of
       queries, against a plain `icontains` scan of the same rows in the same run; skipped, with a note, when the
       database holds no published resource.
    7. Then the volunteers (`bench/volunteers.py`, a subprocess likewise; `--only volunteers` runs it with the floor):
       the Excel import of 100,000 service records (time and peak memory, targets < 60 s and < 500 MB) and the star
       computation over the seeded ≈1,000,000 records (time); both rolled back.
    8. Then the dashboard (`bench/dashboard.py`, a subprocess likewise; `--only dashboard` runs it with the floor): the
       server time of `/console/indicators/` for the city's and a county's staff, cold (its cached figures deleted) and
       warm, and of two heavy indicators' pages, at province scale (this database) and at city scale (a database of its
       own, `xinghuo_bench_city`, seeded when missing and again on a run without --skip-setup); targets at province
       scale: cold under 1 s, warm under 50 ms. Last, writes `var/bench/results.json`.

How to read the figures
    requests   measured requests that completed (the warm-up is not counted).
    errors     responses whose status is not the scenario's expected status, plus transport failures
               (refused connection, timeout). Any error makes the run exit with status 1.
    req/s      completed requests divided by the wall-clock time of the measured phase, with every
               client busy all the time: the throughput of this server and this client on this machine.
    p50/95/99  latency of one request as a client sees it, from sending it to having read the whole body,
               in milliseconds (nearest-rank percentiles). With more clients than server threads this
               includes the time spent queueing in gunicorn, as a user would experience it under load.
    floor      the reference: `/healthz`, a trivial view behind the same gunicorn, middleware and client.
               It measures what the stack and the client cost on this machine and is always run.
    p95 ÷ floor p95
               how many times longer than a no-op request the slow tail of this scenario is:
               1 means the view costs nothing beyond the stack; 10 means ten times the floor's tail.
    req/s ÷ floor
               the share of the floor's throughput this scenario keeps: 0.25 means a quarter.

    The client runs on the same machine as the server and is itself Python (about 1 ms of CPU per request),
    so absolute figures depend on the machine, and on a small one the floor is partly limited by the
    client. The ratios divide that out and are what to compare between machines and over time; between
    runs on the same machine, differences of 10-15 % are noise.

    The sign-up rush has its own block, explained in bench/rush.py: how its answers are counted (accepted,
    waitlisted, duplicate, busy, rate-limited, 5xx, transport, other), its p50/p95/p99, sign-ups a second,
    and its p99 against the floor's measured again at the rush's 200 clients (the table's ratios, too,
    compare at one concurrency); the target is under 10. It fails on any seat oversold, any 5xx (a "busy"
    answer included), any answer other than the expected one, and any disagreement with the database.

    The library's search has its own block, explained in bench/library_search.py: per query and overall, the
    p50/p95 ms of the search page and of the icontains page, the search's queries a second, and the speed-up;
    the targets are a search p95 of at most 50 ms and a speed-up of at least 20. Missing a target does not
    fail the run (the figures say it); the measurement failing to run does.

    The volunteers have their own block, explained in bench/volunteers.py: the import's wall time and peak resident
    memory against the targets, the star computation's time and how many it would put in notice, and whether the
    running totals agree with the records. A missed target does not fail the run; the measurement failing does.

    The dashboard has its own block, explained in bench/dashboard.py: per scale, the first, cold and warm server times
    of the city's and the county's dashboard with their queries, the heavy indicators' pages, the slowest indicators;
    then the province target's verdict. A missed target does not fail the run; the measurement failing does.

Exit status: 0 all good, 1 a scenario (or the rush) had errors or the library's search, the volunteers or the
dashboard could not be measured, 2 the setup or the server failed, 130 interrupted.
Logs: var/bench/setup.log (output of the setup commands) and var/bench/gunicorn.log.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import contextvars
import importlib.util
import json
import math
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

import httpx

import dashboard
import library_search
import rush
import volunteers
from scenarios import FLOOR, RUSH, SCENARIOS, SIGNUP_RUSH, Scenario

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
OUT_DIR = ROOT / "var" / "bench"
BIN = Path(sys.executable).parent

HOST = "127.0.0.1"  # the only host this harness ever sends a request to
PG_PORT = 5432
DB_NAME = "xinghuo_bench"
DATABASE_URL = f"postgres://postgres@{HOST}:{PG_PORT}/{DB_NAME}"

# `manage.py` commands run in this order on a fresh database before the server starts.
# Append here when a feature needs its own data, e.g. ("seed_demo", "--scale", "province").
SETUP_COMMANDS: list[tuple[str, ...]] = [
    ("migrate", "--noinput"),
    ("collectstatic", "--noinput"),
    ("load_regions", "3709"),
    ("load_base_data",),
    # province scale: ≈9,000 venues over the 16 cities of Shandong, for the map scenarios, ≈48,000 activities
    # with ≈120,000 registrations, and Tai'an's ≈1,000,000 volunteer service records (about 3 minutes)
    ("seed_demo", "--scale", "province", "--seed", "1", "--quiet"),
]

# The sign-up rush's data: made by this command before gunicorn starts (also with --skip-setup), read by the client.
RUSH_DATA = OUT_DIR / "signup_rush.json"
RUSH_PREPARE: tuple[str, ...] = (
    "prepare_signup_rush", "--people", str(SIGNUP_RUSH.people), "--seats", str(SIGNUP_RUSH.seats), "--out", str(RUSH_DATA),
)  # fmt: skip

# The library's search measurement (bench/library_search.py): run after the rush, its figures written here.
LIBRARY_SEARCH = library_search.NAME
LIBRARY_SEARCH_DATA = OUT_DIR / "library_search.json"
# The volunteers' Excel import and star computation (bench/volunteers.py): run last, its figures written here.
VOLUNTEERS = volunteers.NAME
VOLUNTEERS_DATA = OUT_DIR / "volunteers.json"
# The dashboard at city and province scale (bench/dashboard.py): run after the volunteers, its figures written here.
DASHBOARD = dashboard.NAME
DASHBOARD_DATA = OUT_DIR / "dashboard.json"

# The environment of every child process (setup commands and gunicorn), on top of ours.
CHILD_ENV: dict[str, str] = {
    "DATABASE_URL": DATABASE_URL,
    "XINGHUO_ENV": "demo",
    "DEBUG": "0",
    "XINGHUO_OTP_REQUIRED": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    # as behind the production proxy (nginx): the client's address is the last X-Forwarded-For entry. The sign-up
    # rush gives each citizen an address of their own there, so that the per-address rate limit (30 a minute)
    # counts citizens, as in production, and not this one machine; requests without the header count as 127.0.0.1.
    "XINGHUO_PROXY_COUNT": "1",
    "PYTHONPATH": str(SRC),
    "DJANGO_SETTINGS_MODULE": "xinghuo.config.settings",
}

WSGI_APP = "xinghuo.config.wsgi:application"
HEALTH_PATH = "/healthz"
WORKERS = max(2, os.cpu_count() or 1)  # gunicorn's worker processes by default: see parse_args
HEALTH_TIMEOUT_S = 60.0
PG_START_TIMEOUT_S = 30.0
REQUEST_TIMEOUT_S = 30.0  # per request; a scenario can overrun --max-seconds by at most this much
STOP_TIMEOUT_S = 15.0
# gunicorn closes a keep-alive connection idle for 2 s (its --keep-alive default). The rush's clients idle while
# the others open the activity's page, and one that reused its connection just as gunicorn closed it lost its
# sign-up (a ReadError); they give up an idle connection before gunicorn does, as browsers do before servers.
RUSH_KEEPALIVE_S = 1.0


class BenchError(Exception):
    """The harness cannot go on (setup failed, server did not start); the message says why."""


# --- Setup --------------------------------------------------------------------------------


# Cache and sessions in Redis, as in production (settings.py: REDIS_URL), in a database of the bench's own; without
# a Redis on 127.0.0.1:6379 the run goes on in-process, and the results say so. An exported REDIS_URL wins.
BENCH_REDIS_URL = f"redis://{HOST}:6379/14"  # 15 is the test suite's


def redis_url() -> str:
    if "REDIS_URL" in os.environ:
        return os.environ["REDIS_URL"]
    try:
        with socket.create_connection((HOST, 6379), timeout=1):
            return BENCH_REDIS_URL
    except OSError:
        step("redis", f"no Redis on {HOST}:6379: cache and sessions in-process (production uses Redis)")
        return ""


REDIS = ""  # set by bench(): redis_url()


def empty_bench_redis() -> None:
    """The bench's own Redis database starts empty: no page cached from a database since dropped, no session."""
    import redis  # django-redis's client, in the platform's requirements

    redis.Redis.from_url(BENCH_REDIS_URL).flushdb()
    step("redis", f"{BENCH_REDIS_URL} emptied: cache and sessions there, as in production")


def child_env() -> dict[str, str]:
    return {**os.environ, **CHILD_ENV, "REDIS_URL": REDIS}


def step(label: str, detail: str) -> None:
    print(f"{label:<10}{detail}", flush=True)


def tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def require_tools(*names: str) -> None:
    missing = [name for name in names if shutil.which(name) is None]
    if missing:
        raise BenchError(f"needed on PATH but missing: {', '.join(missing)} (install the PostgreSQL client)")


def psql(sql: str, *, database: str = "postgres") -> str:
    command = ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", HOST, "-p", str(PG_PORT), "-U", "postgres"]
    command += ["-d", database, "-c", sql]
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    done = subprocess.run(command, check=False, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise BenchError(f"psql failed ({sql}):\n{tail(done.stderr or done.stdout)}")
    return done.stdout.strip()


def postgres_ready() -> bool:
    command = ["pg_isready", "-q", "-h", HOST, "-p", str(PG_PORT), "-t", "2"]
    return subprocess.run(command, check=False, capture_output=True).returncode == 0


def ensure_postgres() -> None:
    require_tools("psql", "pg_isready")
    if postgres_ready():
        step("postgres", f"{HOST}:{PG_PORT} is up")
        return
    clusters = Path("/etc/postgresql")
    names = [path.name for path in clusters.iterdir()] if clusters.is_dir() else []
    versions = sorted(names, key=lambda name: [int(part) for part in name.split(".") if part.isdigit()])
    if not versions:
        raise BenchError(f"PostgreSQL is not answering on {HOST}:{PG_PORT} and no cluster is in /etc/postgresql")
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"]
    step("postgres", f"not running, starting it: {' '.join(command)}")
    done = subprocess.run(command, check=False, capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError(f"could not start PostgreSQL (exit {done.returncode}):\n{tail(done.stderr + done.stdout)}")
    deadline = time.monotonic() + PG_START_TIMEOUT_S
    while not postgres_ready():
        if time.monotonic() > deadline:
            raise BenchError(f"PostgreSQL did not accept connections within {PG_START_TIMEOUT_S:.0f} s")
        time.sleep(0.5)
    step("postgres", f"{HOST}:{PG_PORT} is up")


def recreate_database() -> None:
    psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    psql(f"CREATE DATABASE {DB_NAME} ENCODING 'UTF8' TEMPLATE template0")
    step("database", f"{DB_NAME} recreated")


def check_reusable_database() -> None:
    """For --skip-setup: the database must exist and have every migration of the code applied."""
    if psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'") != "1":  # noqa: S608 (a constant)
        raise BenchError(f"database {DB_NAME} does not exist: run once without --skip-setup")
    command = [sys.executable, str(ROOT / "manage.py"), "migrate", "--check", "--noinput"]
    done = subprocess.run(command, check=False, cwd=ROOT, env=child_env(), capture_output=True, text=True)
    if done.returncode != 0:
        output = tail(done.stdout + done.stderr, 10)
        detail = f":\n{output}" if output else ""
        raise BenchError(f"database {DB_NAME} is behind the code's migrations, run without --skip-setup{detail}")
    step("database", f"{DB_NAME} reused (--skip-setup), migrations up to date")


def run_setup(log_path: Path) -> None:
    log_path.write_text("")
    for args in SETUP_COMMANDS:
        manage(args, log_path)


def manage(args: Sequence[str], log_path: Path, label: str = "setup") -> None:
    """Run one `manage.py` command in the bench's environment; its output goes to the end of `log_path`."""
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    shown = " ".join(["manage.py", *args])
    print(f"{label:<10}{shown} ...", end=" ", flush=True)
    started = time.perf_counter()
    done = subprocess.run(command, check=False, cwd=ROOT, env=child_env(), capture_output=True, text=True)
    output = done.stdout + done.stderr
    with log_path.open("a") as log:
        log.write(f"$ {shown}  (exit {done.returncode})\n{output}\n")
    if done.returncode != 0:
        print(f"FAILED (exit {done.returncode})", flush=True)
        raise BenchError(f"{shown} failed; last lines (full output in {log_path}):\n{tail(output)}")
    print(f"ok ({time.perf_counter() - started:.1f} s)", flush=True)


# --- The server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def wait_until_healthy(base_url: str, server: subprocess.Popen[bytes] | None, log_path: Path | None) -> None:
    """Poll /healthz until it answers 200; fail early if the server process exits."""
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    last = "no answer"
    with httpx.Client(base_url=base_url, timeout=5.0, trust_env=False) as client:
        while time.monotonic() < deadline:
            if server is not None and server.poll() is not None:
                raise BenchError(f"gunicorn exited with status {server.returncode}{log_tail(log_path)}")
            try:
                response = client.get(HEALTH_PATH)
            except httpx.TransportError as exc:
                last = type(exc).__name__
            else:
                if response.status_code == httpx.codes.OK:
                    return
                last = f"status {response.status_code}"
            time.sleep(0.25)
    waited = f"{HEALTH_TIMEOUT_S:.0f} s ({last})"
    raise BenchError(f"{base_url}{HEALTH_PATH} did not answer 200 within {waited}{log_tail(log_path)}")


def log_tail(log_path: Path | None) -> str:
    if log_path is None or not log_path.exists():
        return ""
    return f"; last lines of {log_path}:\n{tail(log_path.read_text(errors='replace'))}"


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the gunicorn master (graceful), then SIGKILL to whatever is left of its process group."""
    try:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=STOP_TIMEOUT_S)
    except (subprocess.TimeoutExpired, KeyboardInterrupt):
        pass
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)  # the group is gunicorn's own session (start_new_session)
        server.wait()


@contextlib.contextmanager
def gunicorn(workers: int, threads: int, log_path: Path) -> Iterator[str]:
    """Serve the platform on a free loopback port; yield its base URL; always stop it."""
    port = free_port()
    command = [
        str(BIN / "gunicorn"),
        WSGI_APP,
        "--chdir",
        str(SRC),
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--graceful-timeout",
        "5",
        "--no-control-socket",  # the default socket path is shared by every gunicorn of this user
    ]  # no --access-logfile: the access log stays off
    base_url = f"http://{HOST}:{port}"
    with log_path.open("wb") as log:
        # Own session: Ctrl-C reaches only this process, which then stops gunicorn in order.
        server = subprocess.Popen(command, cwd=ROOT, env=child_env(), stdout=log, stderr=log, start_new_session=True)
    try:
        step("gunicorn", f"starting on {base_url} ({workers} workers x {threads} threads, log in {log_path})")
        started = time.perf_counter()
        wait_until_healthy(base_url, server, log_path)
        step("gunicorn", f"healthy after {time.perf_counter() - started:.1f} s")
        yield base_url
    finally:
        stop_server(server)
        step("gunicorn", "stopped")


# --- Measuring ----------------------------------------------------------------------------


@dataclass(slots=True)
class Tally:
    """What the clients saw during one phase (warm-up or measurement) of a scenario."""

    latencies: list[float] = field(default_factory=list)  # seconds, one per completed request
    outcomes: Counter[str] = field(default_factory=Counter)  # status code or exception name -> count
    errors: int = 0
    body_bytes: int = 0
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class Result:
    name: str
    method: str
    path: str
    expected_status: int
    planned: int
    requests: int
    errors: int
    warmup_errors: int
    seconds: float
    rps: float
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    mean_ms: float | None
    max_ms: float | None
    mean_body_bytes: float | None
    outcomes: dict[str, int]
    truncated: bool  # stopped by --max-seconds before `planned` requests


def percentile(ordered: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile of an ascending sequence: the smallest value >= q % of the values."""
    if not ordered:
        return None
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 3)


async def refuse_other_hosts(request: httpx.Request) -> None:
    if request.url.host != HOST:
        raise RuntimeError(f"the benchmark only targets {HOST}, refusing {request.url}")


_lane: contextvars.ContextVar[int] = contextvars.ContextVar("bench_lane")


class LaneTransport(httpx.AsyncBaseTransport):
    """The client's connection pool, as one keep-alive connection per simulated client ("lane").

    httpcore's shared pool rescans all its connections on every request and response; with 32 connections
    that costs the client about three times the CPU per request and the client, not the server, sets the
    pace. Giving each client task its own one-connection pool keeps the same total (`concurrency`
    connections) and is also how independent browsers behave. A task picks its lane with `_lane`.

    `keepalive_expiry` (seconds) closes a connection that has been idle that long instead of reusing it.
    """

    def __init__(self, lanes: int, keepalive_expiry: float | None = 5.0) -> None:  # 5.0: httpx's default
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1, keepalive_expiry=keepalive_expiry)
        self._lanes = [httpx.AsyncHTTPTransport(limits=limits) for _ in range(lanes)]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._lanes[_lane.get()].handle_async_request(request)

    async def aclose(self) -> None:
        for lane in self._lanes:
            await lane.aclose()


def skip_sniffio_probe() -> None:
    """httpcore tries `import sniffio` on every request to tell asyncio from trio. When sniffio is not
    installed, each failed import searches sys.path again, a measurable share of the client's CPU.
    Recording it as absent makes the import fail at once, with the same outcome: asyncio."""
    if importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


async def drive(client: httpx.AsyncClient, scenario: Scenario, count: int, concurrency: int, deadline: float) -> Tally:
    """Send `count` requests from `concurrency` workers; no new request starts after `deadline`."""
    tally = Tally()
    remaining = count
    method, path, headers, body = scenario.method, scenario.path, scenario.headers, scenario.body

    async def worker(lane: int) -> None:
        nonlocal remaining
        _lane.set(lane)  # each task runs in its own copy of the context
        while remaining > 0 and time.perf_counter() < deadline:
            remaining -= 1
            request = client.build_request(method, path, headers=headers, content=body)
            started = time.perf_counter()
            try:
                response = await client.send(request)
            except httpx.HTTPError as exc:
                tally.latencies.append(time.perf_counter() - started)
                tally.outcomes[type(exc).__name__] += 1
                tally.errors += 1
                continue
            tally.latencies.append(time.perf_counter() - started)
            tally.outcomes[str(response.status_code)] += 1
            tally.body_bytes += len(response.content)
            if response.status_code != scenario.expected_status:
                tally.errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker(lane) for lane in range(max(1, min(concurrency, count)))))
    tally.seconds = time.perf_counter() - started
    return tally


async def measure(scenario: Scenario, base_url: str, args: Options) -> Result:
    timeout = httpx.Timeout(min(REQUEST_TIMEOUT_S, args.max_seconds))
    deadline = time.perf_counter() + args.max_seconds  # warm-up included
    async with httpx.AsyncClient(
        base_url=base_url,
        transport=LaneTransport(args.concurrency),  # at most `concurrency` connections in all
        timeout=timeout,
        trust_env=False,  # never through a proxy from the environment
        event_hooks={"request": [refuse_other_hosts]},
    ) as client:
        warmup = await drive(client, scenario, args.warmup, args.concurrency, deadline) if args.warmup else Tally()
        run = await drive(client, scenario, args.requests, args.concurrency, deadline)
    ordered = sorted(run.latencies)
    done = len(ordered)
    return Result(
        name=scenario.name,
        method=scenario.method,
        path=scenario.path,
        expected_status=scenario.expected_status,
        planned=args.requests,
        requests=done,
        errors=run.errors,
        warmup_errors=warmup.errors,
        seconds=round(run.seconds, 3),
        rps=round(done / run.seconds, 1) if run.seconds > 0 else 0.0,
        p50_ms=ms(percentile(ordered, 50)),
        p95_ms=ms(percentile(ordered, 95)),
        p99_ms=ms(percentile(ordered, 99)),
        mean_ms=ms(sum(ordered) / done) if done else None,
        max_ms=ms(ordered[-1]) if done else None,
        mean_body_bytes=round(run.body_bytes / done, 1) if done else None,
        outcomes=dict(sorted(run.outcomes.items())),
        truncated=done < args.requests,
    )


async def measure_all(scenarios: Sequence[Scenario], base_url: str, args: Options) -> list[Result]:
    results = []
    for scenario in scenarios:
        step("measure", f"{scenario.name}: {scenario.method} {scenario.path}")
        results.append(await measure(scenario, base_url, args))
    return results


async def measure_rush(base_url: str, args: Options, floor: Result | None) -> rush.RushResult:
    """The sign-up rush (bench/rush.py): the floor again at the rush's concurrency, for its ratio; then every
    client opens the activity's page once, and the sign-ups go; then the database is read."""
    data = rush.RushData.load(RUSH_DATA)
    clients = SIGNUP_RUSH.clients
    step("measure", f"{FLOOR} again at the rush's {clients} clients")
    floor_at_load = await measure(next(s for s in SCENARIOS if s.name == FLOOR), base_url, replace(args, concurrency=clients))
    step(
        "measure",
        f"{RUSH}: {len(data.people)} citizens sign up for {data.capacity} seats from {clients} clients (POST {data.register_path})",
    )
    async with httpx.AsyncClient(
        base_url=base_url,
        transport=LaneTransport(clients, keepalive_expiry=RUSH_KEEPALIVE_S),
        timeout=httpx.Timeout(REQUEST_TIMEOUT_S),
        trust_env=False,
        event_hooks={"request": [refuse_other_hosts]},
        cookies=rush.no_cookie_jar(),
    ) as client:
        await rush.open_pages(client, data, clients, _lane)
        run = await rush.drive(client, data, SIGNUP_RUSH, _lane)
    found = rush.ledger(lambda sql: psql(sql, database=DB_NAME), data.activity)
    return rush.result(
        SIGNUP_RUSH, data, run, found, floor_p99_ms=floor.p99_ms if floor else None, floor_at_load_p99_ms=floor_at_load.p99_ms,
        floor_at_load_errors=floor_at_load.errors,
    )  # fmt: skip


# --- Reporting ----------------------------------------------------------------------------


def ratio(value: float | None, reference: float | None) -> float | None:
    if value is None or not reference:
        return None
    return round(value / reference, 2)


def ratios(result: Result, floor: Result | None) -> tuple[float | None, float | None]:
    if floor is None:
        return None, None
    return ratio(result.p95_ms, floor.p95_ms), ratio(result.rps, floor.rps)


def fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def print_table(results: Sequence[Result], floor: Result | None) -> None:
    headers = [
        "scenario",
        "requests",
        "errors",
        "req/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "p95 ÷ floor p95",
        "req/s ÷ floor",
    ]
    rows = []
    for result in results:
        p95_ratio, rps_ratio = ratios(result, floor)
        rows.append(
            [
                result.name,
                str(result.requests),
                str(result.errors),
                fmt(result.rps),
                fmt(result.p50_ms),
                fmt(result.p95_ms),
                fmt(result.p99_ms),
                fmt(p95_ratio, 2),
                fmt(rps_ratio, 2),
            ]
        )
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        return "  ".join([first, *(cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))])

    print()
    print(line(headers))
    print(line(["-" * width for width in widths]))
    for row in rows:
        print(line(row))
    print()
    for result in results:
        if result.errors:
            seen = ", ".join(f"{outcome} x{count}" for outcome, count in result.outcomes.items())
            print(f"errors    {result.name}: expected {result.expected_status}, got {seen}")
        if result.truncated:
            done = f"{result.requests} of {result.planned} requests"
            print(f"note      {result.name}: stopped by --max-seconds after {done}")


def git_commit() -> str | None:
    done = subprocess.run(["git", "rev-parse", "HEAD"], check=False, cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


def measure_library_search() -> dict | None:
    """bench/library_search.py in a subprocess, against the bench database: its block goes to our output, its
    figures come back through LIBRARY_SEARCH_DATA; None if it failed."""
    step("measure", f"{LIBRARY_SEARCH}: server time of the library's search, in-process, against icontains")
    LIBRARY_SEARCH_DATA.unlink(missing_ok=True)
    command = [sys.executable, str(Path(library_search.__file__)), "--out", str(LIBRARY_SEARCH_DATA)]
    done = subprocess.run(command, check=False, cwd=ROOT, env=child_env())
    if done.returncode != 0 or not LIBRARY_SEARCH_DATA.exists():
        print(f"errors    {LIBRARY_SEARCH}: bench/library_search.py exited with status {done.returncode}")
        return None
    return json.loads(LIBRARY_SEARCH_DATA.read_text())


def measure_volunteers() -> dict | None:
    """bench/volunteers.py in a subprocess, against the bench database: its block goes to our output, its figures
    come back through VOLUNTEERS_DATA; None if it failed."""
    step("measure", f"{VOLUNTEERS}: Excel import of service records and the star computation, in-process")
    VOLUNTEERS_DATA.unlink(missing_ok=True)
    command = [sys.executable, str(Path(volunteers.__file__)), "--out", str(VOLUNTEERS_DATA)]
    done = subprocess.run(command, check=False, cwd=ROOT, env=child_env())
    if done.returncode != 0 or not VOLUNTEERS_DATA.exists():
        print(f"errors    {VOLUNTEERS}: bench/volunteers.py exited with status {done.returncode}")
        return None
    return json.loads(VOLUNTEERS_DATA.read_text())


def measure_dashboard(args: Options) -> dict | None:
    """bench/dashboard.py in a subprocess: the province scale on the bench database, the city scale on its own database
    (seeded again when the bench's was, i.e. without --skip-setup); its block goes to our output, its figures come back
    through DASHBOARD_DATA; None if it failed."""
    step("measure", f"{DASHBOARD}: server time of the dashboard, cold and warm, at city and province scale, in-process")
    DASHBOARD_DATA.unlink(missing_ok=True)
    command = [sys.executable, str(Path(dashboard.__file__)), "--out", str(DASHBOARD_DATA), "--setup-log", str(OUT_DIR / "setup.log")]
    if not args.skip_setup:
        command.append("--recreate-city")
    done = subprocess.run(command, check=False, cwd=ROOT, env=child_env())
    if done.returncode != 0 or not DASHBOARD_DATA.exists():
        print(f"errors    {DASHBOARD}: bench/dashboard.py exited with status {done.returncode}")
        return None
    return json.loads(DASHBOARD_DATA.read_text())


def write_json(
    path: Path,
    results: Sequence[Result],
    floor: Result | None,
    args: Options,
    load: float,
    signup_rush: rush.RushResult | None,
    search: dict | None = None,
    volunteer_figures: dict | None = None,
    dashboard_figures: dict | None = None,
) -> None:
    scenarios = []
    for result in results:
        p95_ratio, rps_ratio = ratios(result, floor)
        scenarios.append({**asdict(result), "p95_vs_floor": p95_ratio, "rps_vs_floor": rps_ratio})
    document = {
        "meta": {
            "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "git_commit": git_commit(),
            "python": platform.python_version(),
            "machine": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average_at_start": round(load, 2),
            "server": args.base_url or f"gunicorn gthread, {args.workers} workers x {args.threads} threads",
            "database": None if args.base_url else DATABASE_URL,
            "redis": bool(REDIS),
            "requests": args.requests,
            "warmup": args.warmup,
            "concurrency": args.concurrency,
            "max_seconds": args.max_seconds,
            "setup": None if args.skip_setup or args.base_url else [" ".join(command) for command in SETUP_COMMANDS],
            "percentiles": "nearest-rank, milliseconds, send to full body read",
        },
        "scenarios": scenarios,
        RUSH: signup_rush.as_json() if signup_rush else None,
        LIBRARY_SEARCH: search,
        VOLUNTEERS: volunteer_figures,
        DASHBOARD: dashboard_figures,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    step("results", str(path))


# --- Command line -------------------------------------------------------------------------


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, got {value}")
    return value


def loopback_url(text: str) -> str:
    url = httpx.URL(text)
    if url.scheme != "http" or url.host != HOST or url.path not in {"", "/"}:
        raise argparse.ArgumentTypeError(f"must look like http://{HOST}:PORT, got {text!r}")
    return f"http://{HOST}:{url.port or 80}"


@dataclass(frozen=True, slots=True)
class Options:
    """The command line, typed (see `parse_args` for the meaning of each option)."""

    requests: int
    concurrency: int
    warmup: int
    max_seconds: float
    only: str
    skip_setup: bool
    workers: int
    threads: int
    base_url: str | None
    json: Path


def parse_args(argv: Sequence[str] | None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=positive_int, default=2000, help="measured requests per scenario")
    parser.add_argument("--concurrency", type=positive_int, default=32, help="simulated clients, one connection each")
    parser.add_argument("--warmup", type=non_negative_int, default=50, help="unmeasured requests before each scenario")
    parser.add_argument("--max-seconds", type=positive_float, default=60.0, help="time bound per scenario")
    parser.add_argument("--only", default="", help="comma separated scenario names (the floor always runs)")
    parser.add_argument("--skip-setup", action="store_true", help=f"reuse the {DB_NAME} database as it is")
    # One worker process per CPU, as the platform should be deployed: Python runs one thread of a process at a time,
    # so more processes than CPUs only take turns on them, and each keep-alive connection stays with the process
    # that accepted it, so the clients of a process that gets fewer turns wait longer (the rush's p99 doubled with
    # 4 workers on 2 CPUs). The threads cover the waits on the database.
    parser.add_argument("--workers", type=positive_int, default=WORKERS, help="gunicorn worker processes (default: one per CPU)")
    parser.add_argument("--threads", type=positive_int, default=8, help="threads per gunicorn worker")
    parser.add_argument(
        "--base-url",
        type=loopback_url,
        help=f"measure a server already listening on http://{HOST}:PORT instead (no setup, no gunicorn)",
    )
    parser.add_argument("--json", type=Path, default=OUT_DIR / "results.json", help="where to write the results")
    return Options(**vars(parser.parse_args(argv)))


def select(only: str) -> tuple[list[Scenario], bool, bool, bool, bool]:
    """The scenarios to measure, whether the sign-up rush runs too, the library's search measurement, the
    volunteers' one and the dashboard's."""
    wanted = {name.strip() for name in only.split(",") if name.strip()}
    known = {scenario.name for scenario in SCENARIOS} | {RUSH, VOLUNTEERS, DASHBOARD}
    unknown = sorted(wanted - known)
    if unknown:
        raise BenchError(f"unknown scenario(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    if not wanted:
        return list(SCENARIOS), True, True, True, True
    chosen = [scenario for scenario in SCENARIOS if scenario.name in wanted or scenario.name == FLOOR]
    return chosen, RUSH in wanted, LIBRARY_SEARCH in wanted, VOLUNTEERS in wanted, DASHBOARD in wanted


def interrupt(signum: int, frame: FrameType | None) -> None:
    signal.raise_signal(signal.SIGINT)  # SIGTERM takes the same road as Ctrl-C, through every `finally`


def bench(args: Options) -> int:
    scenarios, with_rush, with_search, with_volunteers, with_dashboard = select(args.only)
    if with_rush and args.base_url:
        if RUSH in args.only:
            raise BenchError(f"{RUSH} prepares its data in {DB_NAME}: it cannot run against --base-url")
        with_rush = False
        step("note", f"{RUSH} skipped: it needs the harness's own database and server, not --base-url")
    if with_search and args.base_url:
        with_search = False
        step("note", f"{LIBRARY_SEARCH}'s server-time measurement skipped: it needs the harness's own database")
    if with_volunteers and args.base_url:
        with_volunteers = False
        step("note", f"{VOLUNTEERS}' measurement skipped: it needs the harness's own database")
    if with_dashboard and args.base_url:
        with_dashboard = False
        step("note", f"{DASHBOARD}'s measurement skipped: it needs the harness's own database")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    rush_note = f", then {RUSH} ({SIGNUP_RUSH.attempts:,} attempts, {SIGNUP_RUSH.clients} clients)" if with_rush else ""
    step(
        "bench",
        f"{len(scenarios)} scenarios, {args.requests} requests each (+{args.warmup} warm-up), "
        f"{args.concurrency} clients, at most {args.max_seconds:g} s each{rush_note}"
        + (f", then {LIBRARY_SEARCH}'s server time" if with_search else "")
        + (f", then {VOLUNTEERS}' import and star computation" if with_volunteers else "")
        + (f", then the {DASHBOARD}'s server time" if with_dashboard else ""),
    )
    global REDIS  # one value for the run, read by child_env
    REDIS = redis_url()
    if REDIS == BENCH_REDIS_URL and not args.base_url:
        empty_bench_redis()
    load, cpus = os.getloadavg()[0], os.cpu_count() or 1
    if load > cpus:
        step("note", f"the machine is busy (load {load:.1f} on {cpus} CPUs): expect noisy figures")
    signup_rush = None
    search: dict | None = None
    search_failed = False
    volunteer_figures: dict | None = None
    volunteers_failed = False
    dashboard_figures: dict | None = None
    dashboard_failed = False
    if args.base_url:
        wait_until_healthy(args.base_url, None, None)
        results = asyncio.run(measure_all(scenarios, args.base_url, args))
    else:
        ensure_postgres()
        if args.skip_setup:
            check_reusable_database()
        else:
            recreate_database()
            run_setup(OUT_DIR / "setup.log")
        if with_rush:
            manage(RUSH_PREPARE, OUT_DIR / "setup.log", label="rush")
        with gunicorn(args.workers, args.threads, OUT_DIR / "gunicorn.log") as base_url:
            results = asyncio.run(measure_all(scenarios, base_url, args))
            floor = next((result for result in results if result.name == FLOOR), None)
            if with_rush:
                try:
                    signup_rush = asyncio.run(measure_rush(base_url, args, floor))
                except rush.RushError as exc:
                    raise BenchError(str(exc)) from exc

    floor = next((result for result in results if result.name == FLOOR), None)
    print_table(results, floor)
    if signup_rush is not None:
        rush.print_block(signup_rush, args.concurrency)
        print()
    if with_search:
        search = measure_library_search()
        search_failed = search is None
        print()
    if with_volunteers:
        volunteer_figures = measure_volunteers()
        volunteers_failed = volunteer_figures is None
        print()
    if with_dashboard:
        dashboard_figures = measure_dashboard(args)
        dashboard_failed = dashboard_figures is None
        print()
    write_json(args.json, results, floor, args, load, signup_rush, search, volunteer_figures, dashboard_figures)
    failed = [result.name for result in results if result.errors or not result.requests]
    if signup_rush is not None and signup_rush.failed:
        failed.append(RUSH)
    if search_failed:
        failed.append(f"{LIBRARY_SEARCH} (server time)")
    if volunteers_failed:
        failed.append(VOLUNTEERS)
    if dashboard_failed:
        failed.append(DASHBOARD)
    if failed:
        print(f"FAILED    errors or no completed request in: {', '.join(failed)}")
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    # Ctrl-C raises KeyboardInterrupt (asyncio.run turns it into a clean cancellation) even when the
    # shell started us with SIGINT ignored, and SIGTERM is handled the same way.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, interrupt)
    skip_sniffio_probe()
    try:
        return bench(args)
    except BenchError as exc:
        print(f"\nbench: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nbench: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
