"""The sign-up rush of `make bench` (`SIGNUP_RUSH` in scenarios.py): drive it, classify every answer, check the
database afterwards, and report.

The data comes from `manage.py prepare_signup_rush` (a JSON file: the activity's paths and, for each citizen, the
session cookie, the CSRF cookie and the form's token). Each simulated client holds one keep-alive connection; all of
them first open the activity's page once (not measured: people wait on the page for registration to open, and a
page without the sign-up form means the sessions do not sign in), then send the sign-ups as fast as the answers
come back, one POST per attempt, as the page's form would.

What a sign-up answers (activities/views/public.py, `register_view`) and how it is counted:
    accepted     302 to “我的活动” with the message “报名成功，签到码 …”
    waitlisted   302 to “我的活动” with the message “名额已满，您已进入候补 …”
    duplicate    302 back to the activity with “您已报名过这个活动 …” (expected for a second attempt, and only then)
    busy         302 back to the activity with “报名的人太多了，请稍后再试”: the activity's row lock was not had within
                 3 s (core.locking, DomainError BUSY, status 503); the page shows it as a message, and the bench
                 counts it as the 5xx it stands for
    rate-limited 429 (activities/throttle.py: 10 a minute per citizen, 30 per address)
    5xx          any status from 500 up
    transport    no answer: refused, reset, timed out
    other        anything else (a 403 from the CSRF check, a 400 form, a redirect to the login page, ...)
The message is read from the `messages` cookie the answer sets (Django's cookie message storage: base64 JSON,
zlib-compressed when marked so, then signed; read here, not verified), as the next page would display it.

Errors are the attempts whose answer is not the expected one: accepted or waitlisted for a first attempt,
duplicate for a second. The run fails on any error, on any attempt left unsent, and on any finding in the database:
a seat oversold (`seats_taken` or the confirmed seats above the capacity), the counter apart from the confirmed
seats, a seat left free while someone waits, a person with two active registrations, or the answers' counts apart
from the rows'.
"""

from __future__ import annotations

import asyncio
import base64
import http.cookiejar
import json
import math
import random
import time
import uuid
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx

from scenarios import SignupRush

ACCEPTED, WAITLISTED, DUPLICATE = "accepted", "waitlisted", "duplicate"
BUSY, RATE_LIMITED, SERVER_ERROR, TRANSPORT, OTHER = "busy", "rate-limited", "5xx", "transport", "other"
CLASSES = (ACCEPTED, WAITLISTED, DUPLICATE, BUSY, RATE_LIMITED, SERVER_ERROR, TRANSPORT, OTHER)

# The messages of register_view (activities/views/public.py) and of registration_create's refusals
# (activities/registrations.py), by a part of their text that tells them apart.
MESSAGES_COOKIE = "messages"
SUCCESS_LEVEL, ERROR_LEVEL = 25, 40
ACCEPTED_TEXT = "签到码"
WAITLISTED_TEXT = "候补"
DUPLICATE_TEXT = "已报名过"
BUSY_TEXT = "报名的人太多了"


class RushError(Exception):
    """The rush cannot run (its data is missing or does not sign in); the message says why."""


@dataclass(frozen=True, slots=True)
class Person:
    index: int
    session: str
    csrf_cookie: str
    csrf_token: str


@dataclass(frozen=True, slots=True)
class RushData:
    activity: str
    capacity: int
    detail_path: str
    register_path: str
    mine_path: str
    session_cookie: str
    csrf_cookie: str
    people: list[Person]

    @classmethod
    def load(cls, path: Path) -> RushData:
        try:
            raw = json.loads(path.read_text())
            people = [Person(i, p["session"], p["csrf_cookie"], p["csrf_token"]) for i, p in enumerate(raw["people"])]
            data = cls(
                activity=str(uuid.UUID(raw["activity"])),  # a UUID, and nothing else, goes into the SQL below
                capacity=int(raw["capacity"]),
                detail_path=raw["detail_path"],
                register_path=raw["register_path"],
                mine_path=raw["mine_path"],
                session_cookie=raw["session_cookie"],
                csrf_cookie=raw["csrf_cookie"],
                people=people,
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise RushError(f"cannot read the rush's data from {path}: {exc!r}") from exc
        for route in (data.detail_path, data.register_path, data.mine_path):
            if not route.startswith("/") or route.startswith("//"):
                raise RushError(f"{path}: paths must be relative to the server, got {route!r}")
        return data


def address(index: int) -> str:
    """Each citizen's own client address, as the proxy in front of gunicorn would forward it."""
    n = index + 1
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def read_messages(response: httpx.Response) -> list[tuple[int, str]]:
    """(level, text) of the messages the answer leaves for the next page, from Django's `messages` cookie."""
    raw = response.cookies.get(MESSAGES_COOKIE)
    if not raw:
        return []
    payload = raw.strip('"').split(":", 1)[0]  # payload:timestamp:signature
    compressed, payload = payload.startswith("."), payload.lstrip(".")
    try:
        data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        items = json.loads(zlib.decompress(data) if compressed else data)
    except (ValueError, zlib.error):
        return []
    return [(item[2], item[3]) for item in items if isinstance(item, list) and len(item) >= 4 and item[0] == "__json_message"]


def classify(response: httpx.Response, data: RushData) -> str:
    status = response.status_code
    if status >= 500:
        return SERVER_ERROR
    if status == 429:
        return RATE_LIMITED
    if status != 302:
        return OTHER
    location = response.headers.get("location", "")
    messages = read_messages(response)

    def said(level: int, text: str) -> bool:
        return any(lv == level and text in msg for lv, msg in messages)

    if location == data.mine_path:
        if said(SUCCESS_LEVEL, ACCEPTED_TEXT):
            return ACCEPTED
        if said(SUCCESS_LEVEL, WAITLISTED_TEXT):
            return WAITLISTED
    elif location == data.detail_path:
        if said(ERROR_LEVEL, DUPLICATE_TEXT):
            return DUPLICATE
        if said(ERROR_LEVEL, BUSY_TEXT):
            return BUSY
    return OTHER


def no_cookie_jar() -> http.cookiejar.CookieJar:
    """The client keeps no cookie: every request carries its own citizen's, never another's."""
    return http.cookiejar.CookieJar(policy=http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))


@dataclass(slots=True)
class Attempt:
    person: int
    repeat: bool
    outcome: str
    status: str  # the status code, or the transport error's name
    seconds: float
    done_at: float  # seconds from the start of the rush to the answer

    @property
    def expected(self) -> bool:
        return self.outcome == DUPLICATE if self.repeat else self.outcome in (ACCEPTED, WAITLISTED)


@dataclass(slots=True)
class RushRun:
    attempts: list[Attempt] = field(default_factory=list)
    unsent: int = 0
    seconds: float = 0.0


def _headers(data: RushData, person: Person, origin: str) -> dict[str, str]:
    return {
        "Cookie": f"{data.session_cookie}={person.session}; {data.csrf_cookie}={person.csrf_cookie}",
        "X-Forwarded-For": address(person.index),
        "Origin": origin,  # a browser's form post says where it comes from, and Django's CSRF check compares it
        "Referer": origin + data.detail_path,
    }


async def open_pages(client: httpx.AsyncClient, data: RushData, clients: int, lane: ContextVar[int]) -> None:
    """Each client opens the activity's page once as one citizen (unmeasured): it opens the connections and fails
    early when the sessions do not sign in (the sign-up form is shown to a signed-in citizen only)."""
    origin = str(client.base_url).rstrip("/")
    failures: Counter[str] = Counter()

    async def one(i: int) -> None:
        lane.set(i)
        person = data.people[i % len(data.people)]
        headers = _headers(data, person, origin)
        try:
            response = await client.get(data.detail_path, headers=headers)
        except httpx.HTTPError as exc:
            failures[type(exc).__name__] += 1
            return
        if response.status_code != 200 or data.register_path not in response.text:
            failures[f"status {response.status_code}" + ("" if response.status_code != 200 else " without the sign-up form")] += 1

    await asyncio.gather(*(one(i) for i in range(clients)))
    if failures:
        seen = ", ".join(f"{what} x{n}" for what, n in failures.items())
        raise RushError(f"the activity's page did not offer the sign-up form to the prepared citizens: {seen}")


async def drive(client: httpx.AsyncClient, data: RushData, rush: SignupRush, lane: ContextVar[int]) -> RushRun:
    """Every citizen signs up once, in a shuffled order, from `rush.clients` clients; every `repeat_every`-th citizen
    signs up again once the first answer is back (the second attempt joins the end of the queue)."""
    run = RushRun()
    origin = str(client.base_url).rstrip("/")
    order = list(range(len(data.people)))
    random.Random(1).shuffle(order)
    queue: asyncio.Queue[tuple[int, bool]] = asyncio.Queue()
    for index in order:
        queue.put_nowait((index, False))
    body = {p.index: urlencode({"csrfmiddlewaretoken": p.csrf_token, "seats": "1"}).encode() for p in data.people}
    begun = deadline = 0.0  # set when the clients start

    async def send(person: Person, repeat: bool) -> Attempt:
        headers = {**_headers(data, person, origin), "Content-Type": "application/x-www-form-urlencoded"}
        request = client.build_request("POST", data.register_path, headers=headers, content=body[person.index])
        started = time.perf_counter()
        try:
            response = await client.send(request)
        except httpx.HTTPError as exc:
            now = time.perf_counter()
            return Attempt(person.index, repeat, TRANSPORT, type(exc).__name__, now - started, now - begun)
        now = time.perf_counter()
        return Attempt(person.index, repeat, classify(response, data), str(response.status_code), now - started, now - begun)

    async def worker(n: int) -> None:
        lane.set(n)
        while True:
            index, repeat = await queue.get()
            try:
                if time.perf_counter() > deadline:
                    run.unsent += 1
                    continue
                run.attempts.append(await send(data.people[index], repeat))
                if not repeat and rush.repeat_every and index % rush.repeat_every == 0:
                    queue.put_nowait((index, True))
            finally:
                queue.task_done()

    begun = time.perf_counter()
    deadline = begun + rush.max_seconds
    workers = [asyncio.create_task(worker(n)) for n in range(rush.clients)]
    try:
        await queue.join()
    finally:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
    run.seconds = time.perf_counter() - begun
    return run


# --- The database, afterwards ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ledger:
    """The rush activity's seats and registrations as the database holds them after the run."""

    capacity: int
    seats_taken: int
    confirmed_seats: int
    confirmed: int
    waitlisted: int
    cancelled: int
    doubled_people: int  # people with two or more active registrations
    line_in_order: bool  # every confirmed registration came before every waitlisted one


def ledger(query: Callable[[str], str], activity: str) -> Ledger:
    """Read with `query` (psql: one row, fields separated by |) — the activity's uid is a parsed UUID."""
    where = f"a.uid = '{activity}'"
    row = query(
        "SELECT a.capacity, a.seats_taken,"  # noqa: S608 (a UUID, parsed)
        " COALESCE(SUM(r.seats) FILTER (WHERE r.status = 'confirmed'), 0),"
        " COUNT(r.id) FILTER (WHERE r.status = 'confirmed'),"
        " COUNT(r.id) FILTER (WHERE r.status = 'waitlisted'),"
        " COUNT(r.id) FILTER (WHERE r.status = 'cancelled'),"
        " (SELECT COUNT(*) FROM (SELECT d.user_id FROM activities_registration d WHERE d.activity_id = a.id"
        "   AND d.status IN ('confirmed', 'waitlisted') GROUP BY d.user_id HAVING COUNT(*) > 1) twice),"
        " COALESCE(MAX(r.created_at) FILTER (WHERE r.status = 'confirmed')"
        "   <= MIN(r.created_at) FILTER (WHERE r.status = 'waitlisted'), true)"
        f" FROM activities_activity a LEFT JOIN activities_registration r ON r.activity_id = a.id WHERE {where}"
        " GROUP BY a.id"
    )
    if not row:
        raise RushError(f"the rush's activity {activity} is not in the database")
    fields = row.split("|")
    return Ledger(*(int(value) for value in fields[:7]), line_in_order=fields[7] == "t")


# --- Report ---------------------------------------------------------------------------------


def percentile(ordered: Sequence[float], q: float) -> float | None:
    """Nearest-rank, as for the table."""
    if not ordered:
        return None
    return ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1]


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def _ratio(value: float | None, reference: float | None) -> float | None:
    return None if value is None or not reference else round(value / reference, 2)


@dataclass(frozen=True, slots=True)
class RushResult:
    people: int
    clients: int
    seats: int
    attempts: int
    second_attempts: int
    unsent: int
    answers: dict[str, int]
    errors: int
    seconds: float
    seats_gone_s: float | None  # from the start to the answer that confirmed the last seat
    attempts_per_s: float
    signups_per_s: float  # accepted + waitlisted: registrations made, a second
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    max_ms: float | None
    statuses: dict[str, int]
    floor_p99_ms: float | None  # the table's floor (its concurrency)
    floor_at_load_p99_ms: float | None  # the floor again, at the rush's concurrency
    floor_at_load_clients: int
    p99_vs_floor: float | None
    p99_vs_floor_at_load: float | None
    ledger: dict[str, int | bool]
    problems: list[str]

    @property
    def failed(self) -> bool:
        return bool(self.problems)

    def as_json(self) -> dict[str, object]:
        return asdict(self)


def result(
    rush: SignupRush, data: RushData, run: RushRun, found: Ledger, *, floor_p99_ms: float | None, floor_at_load_p99_ms: float | None,
    floor_at_load_errors: int,
) -> RushResult:  # fmt: skip
    answers = Counter(dict.fromkeys(CLASSES, 0))
    answers.update(a.outcome for a in run.attempts)
    errors = sum(not a.expected for a in run.attempts)
    made = answers[ACCEPTED] + answers[WAITLISTED]
    ordered = sorted(a.seconds for a in run.attempts)
    accepted = [a for a in run.attempts if a.outcome == ACCEPTED]
    p99 = _ms(percentile(ordered, 99))
    problems = []
    if errors:
        wrong = Counter(f"{'second' if a.repeat else 'first'} attempt {a.outcome} ({a.status})" for a in run.attempts if not a.expected)
        problems.append(f"{errors} attempts without the expected answer: " + ", ".join(f"{k} x{n}" for k, n in wrong.most_common()))
    if floor_at_load_errors:
        problems.append(f"{floor_at_load_errors} errors in the floor at {rush.clients} clients")
    if run.unsent:
        problems.append(f"{run.unsent} attempts not sent within {rush.max_seconds:g} s")
    if found.seats_taken > found.capacity or found.confirmed_seats > found.capacity:
        problems.append(f"OVERSOLD: {found.capacity} seats, seats_taken {found.seats_taken}, confirmed seats {found.confirmed_seats}")
    if found.seats_taken != found.confirmed_seats:
        problems.append(f"the seat counter ({found.seats_taken}) is not the confirmed seats ({found.confirmed_seats})")
    if found.waitlisted and found.confirmed_seats < found.capacity:
        problems.append(f"{found.capacity - found.confirmed_seats} seats free while {found.waitlisted} wait")
    if not found.line_in_order:
        problems.append("a registration was confirmed after one that was put on the waiting list")
    if found.doubled_people:
        problems.append(f"{found.doubled_people} people hold two active registrations")
    if (found.confirmed, found.waitlisted, found.cancelled) != (answers[ACCEPTED], answers[WAITLISTED], 0):
        problems.append(
            f"the answers (accepted {answers[ACCEPTED]}, waitlisted {answers[WAITLISTED]}) are not the rows "
            f"(confirmed {found.confirmed}, waitlisted {found.waitlisted}, cancelled {found.cancelled})"
        )
    return RushResult(
        people=len(data.people),
        clients=rush.clients,
        seats=data.capacity,
        attempts=len(run.attempts),
        second_attempts=sum(a.repeat for a in run.attempts),
        unsent=run.unsent,
        answers=dict(answers),
        errors=errors,
        seconds=round(run.seconds, 3),
        seats_gone_s=round(max(a.done_at for a in accepted), 3) if accepted and len(accepted) >= data.capacity else None,
        attempts_per_s=round(len(run.attempts) / run.seconds, 1) if run.seconds else 0.0,
        signups_per_s=round(made / run.seconds, 1) if run.seconds else 0.0,
        p50_ms=_ms(percentile(ordered, 50)),
        p95_ms=_ms(percentile(ordered, 95)),
        p99_ms=p99,
        max_ms=_ms(ordered[-1]) if ordered else None,
        statuses=dict(sorted(Counter(a.status for a in run.attempts).items())),
        floor_p99_ms=floor_p99_ms,
        floor_at_load_p99_ms=floor_at_load_p99_ms,
        floor_at_load_clients=rush.clients,
        p99_vs_floor=_ratio(p99, floor_p99_ms),
        p99_vs_floor_at_load=_ratio(p99, floor_at_load_p99_ms),
        ledger=asdict(found),
        problems=problems,
    )


TARGET_VS_FLOOR = 10.0  # the rush's p99 under ten times the floor's, at the same concurrency


def _n(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def print_block(r: RushResult, floor_clients: int) -> None:
    a = r.answers
    target = "-" if r.p99_vs_floor_at_load is None else ("met" if r.p99_vs_floor_at_load < TARGET_VS_FLOOR else "NOT met")
    found = r.ledger
    lines = [
        (
            f"signup_rush  {r.attempts:,} attempts ({r.attempts - r.second_attempts:,} citizens + {r.second_attempts} second attempts)"
            f" from {r.clients} concurrent clients for {r.seats} seats, in {r.seconds:.1f} s"
        ),
        (
            f"  answers    accepted {a[ACCEPTED]:,}  waitlisted {a[WAITLISTED]:,}  duplicate {a[DUPLICATE]:,}  busy {a[BUSY]}"
            f"  rate-limited {a[RATE_LIMITED]}  5xx {a[SERVER_ERROR]}  transport {a[TRANSPORT]}  other {a[OTHER]}"
        ),
        f"  errors     {r.errors}" + (f"  (+{r.unsent} not sent)" if r.unsent else ""),
        f"  latency    p50 {_n(r.p50_ms)} ms  p95 {_n(r.p95_ms)} ms  p99 {_n(r.p99_ms)} ms  max {_n(r.max_ms)} ms",
        f"  rate       {_n(r.signups_per_s)} sign-ups/s (accepted + waitlisted)  {_n(r.attempts_per_s)} attempts/s"
        + (f"  all {r.seats} seats taken after {r.seats_gone_s:.1f} s" if r.seats_gone_s is not None else ""),
        (
            f"  floor p99  {_n(r.floor_at_load_p99_ms)} ms at {r.floor_at_load_clients} clients"
            f"  ({_n(r.floor_p99_ms)} ms at {floor_clients}, the table's)"
        ),
        (
            f"  p99 ÷ floor p99  {_n(r.p99_vs_floor_at_load, 2)} at the same {r.floor_at_load_clients} clients"
            f" (target < {TARGET_VS_FLOOR:g}: {target});  {_n(r.p99_vs_floor, 2)} against the table's floor"
        ),
        (
            f"  database   {found['capacity']} seats: seats_taken {found['seats_taken']}, confirmed {found['confirmed']}"
            f" ({found['confirmed_seats']} seats), waitlisted {found['waitlisted']:,}, people registered twice {found['doubled_people']},"
            f" line in order {'yes' if found['line_in_order'] else 'NO'}"
        ),
    ]
    print()
    print("\n".join(lines))
    if r.problems:
        for problem in r.problems:
            print(f"  FAILED     {problem}")
    else:
        print("  ok         no seat oversold, no 5xx, every answer as expected")
