"""The requests that `make bench` measures, in the order they run.

Append a `Scenario` to `SCENARIOS` to measure a new page or API call. Paths are relative to the
server the harness starts on 127.0.0.1; an absolute URL or a protocol-relative path is refused, so a
scenario can never send traffic anywhere else.

`FLOOR` names the reference scenario: the cheapest request through the same stack (gunicorn, the
Django middleware, no database work). Every other scenario is also reported relative to it, and
the harness always runs it, even with `--only`.

`SIGNUP_RUSH` is of another kind: not one request repeated but a one-shot crowd, every attempt a distinct
sign-up by a distinct signed-in citizen (`bench/rush.py` drives and checks it; `--only signup_rush`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

FLOOR = "floor"
RUSH = "signup_rush"


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    """One request, repeated: `name` is what `--only` selects and what the table shows."""

    name: str
    method: str
    path: str
    expected_status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None

    def __post_init__(self) -> None:
        if not self.name or "," in self.name:
            raise ValueError(f"scenario name must be non-empty and without commas: {self.name!r}")
        if not self.path.startswith("/") or self.path.startswith("//"):
            raise ValueError(f"scenario {self.name!r}: path must be relative to the server, e.g. '/healthz'")
        if self.method != self.method.upper():
            raise ValueError(f"scenario {self.name!r}: method must be upper case, got {self.method!r}")


SCENARIOS: list[Scenario] = [
    Scenario(name=FLOOR, method="GET", path="/healthz"),
    Scenario(name="home", method="GET", path="/"),
    Scenario(name="regions_village", method="GET", path="/api/v1/regions?within=370900&level=village"),
    # issue 3: the GeoJSON of every venue at province scale, and a bbox at city zoom (泰山区 and around it)
    Scenario(name="venues_geojson_all", method="GET", path="/api/v1/venues.geojson"),
    Scenario(name="venues_bbox_city", method="GET", path="/api/v1/venues.geojson?bbox=116.95,36.05,117.30,36.35"),
    Scenario(name="venues_nearest", method="GET", path="/api/v1/venues/nearest?lat=36.19&lon=117.12&limit=10"),
    # issue 3, later slices: the public lists of certification (the city's ≈140 certified venues), the map page
    # itself, and a trail of TAI科 points with its line
    Scenario(name="certified_list", method="GET", path="/certification/certified/"),
    Scenario(name="map_page", method="GET", path="/map/?type=spark_station"),
    Scenario(name="tai_trail", method="GET", path="/tai/trail/central/"),
    # the library's search page at province scale (≈100,000 published resources): count, first 20, facets, courses
    Scenario(name="library_search", method="GET", path="/library/?q=%E9%AB%98%E8%A1%80%E5%8E%8B"),  # ?q=高血压
]


@dataclass(frozen=True, slots=True, kw_only=True)
class SignupRush:
    """The moment registration opens for a popular activity: `people` signed-in citizens sign up for `seats` seats
    from `clients` concurrent clients, each citizen from an address of their own (X-Forwarded-For, as behind the
    production proxy). Every `repeat_every`-th citizen submits a second time once the first answer is back (a
    double click, a reload) and must be told "already registered". Runs after the other scenarios, once."""

    people: int = 2000
    seats: int = 200
    clients: int = 200
    repeat_every: int = 20  # 5 %: 100 second attempts, 2,100 attempts in all
    max_seconds: float = 180.0  # no attempt starts after this; the unsent ones count as errors

    @property
    def repeats(self) -> int:
        return len(range(0, self.people, self.repeat_every)) if self.repeat_every else 0

    @property
    def attempts(self) -> int:
        return self.people + self.repeats


SIGNUP_RUSH = SignupRush()

_names = [scenario.name for scenario in SCENARIOS]
if len(set(_names)) != len(_names) or FLOOR not in _names or RUSH in _names:
    raise ValueError(f"scenario names must be unique, include {FLOOR!r} and leave {RUSH!r} to the rush: {_names}")
