"""Volunteers at city scale, server side only (no HTTP): the last part of `make bench` (`bench/run.py` runs this file
in a subprocess after the library's search; `--only volunteers`).

Run on its own against the bench database: `.venv/bin/python bench/volunteers.py [--rows 100000]` with the
environment of run.py's CHILD_ENV (run.py passes it; alone, DATABASE_URL defaults to the bench database).

What it does, with Django set up against the database (one connection, DEBUG off)
    1. The import of service records from Excel (`volunteers.importer.run`, what the console's upload page runs), of
       `--rows` rows (100,000): the demo society (login xuehui_org) keeps a city-wide team of 5,000 of Tai'an's demo
       volunteers (made once, reused by --skip-setup runs); a generated .xlsx gives each member 20 team services on
       distinct days of the past year (1–8 hours, names and phones as in the registry). The file is written first,
       unmeasured; then a fresh Python process (so that its peak memory is the import's, on top of Django's)
       reads, checks and saves it — in one transaction that it rolls back at the end, so the database keeps the
       seeded figures for the next step and the next run. Measured: the import's wall time and the process's peak
       resident memory (ru_maxrss), against the targets (< 60 s, < 500 MB).
    2. The star computation (`volunteers.services.star_candidates` and `star_notices_open`, what the city's
       "计算星级并公示" button runs) over the seeded records (≈1,000,000 at province or city scale): its wall time,
       the volunteers it puts in notice (rolled back as well), and, for reference, the same totals summed from
       the records themselves (what the running totals spare it) and whether they agree with the running totals.

With `--out PATH` it writes its figures there as JSON (run.py adds them to results.json under `volunteers`).
With no volunteer records in the database it says so and exits 0 (`{"skipped": …}`).
Exit status: 0 done (targets met or not: the figures say), 2 it could not run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/xinghuo_bench"
NAME = "volunteers"
TARGET_IMPORT_S = 60.0
TARGET_IMPORT_MB = 500.0
MEMBERS = 5000
TEAM_NAME = "【性能基准】全市科技志愿服务总队"


def setup_django() -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("XINGHUO_ENV", "demo")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinghuo.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def recorder():
    from xinghuo.accounts.actor import actor_for
    from xinghuo.accounts.models import User

    user = User.objects.filter(username="xuehui_org").first()
    return actor_for(user) if user is not None else None


def bench_team(actor, rng: random.Random):
    """The society's city-wide team of MEMBERS volunteers who are in fewer than 5 teams (made once)."""
    from django.db.models import Count

    from xinghuo.core import audit
    from xinghuo.talent.models import PersonRole, RoleKind, RoleStatus
    from xinghuo.volunteers.models import MAX_TEAMS, Team, TeamMembership
    from xinghuo.volunteers.permissions import acting_organisation

    organisation = acting_organisation(actor)
    team = Team.unscoped.filter(organisation=organisation, name=TEAM_NAME).first()
    if team is not None:
        return team
    full = TeamMembership.unscoped.values("person_id").annotate(n=Count("id")).filter(n__gte=MAX_TEAMS).values("person_id")
    volunteers = list(
        PersonRole.unscoped.filter(kind=RoleKind.VOLUNTEER, status=RoleStatus.ACTIVE, person__region__city__code="370900")
        .exclude(person_id__in=full)
        .exclude(person__phone="")
        .order_by("person_id")
        .values_list("person_id", flat=True)
    )
    chosen = rng.sample(volunteers, min(MEMBERS, len(volunteers)))
    with audit.bulk_write(model=Team, description="性能基准：服务队"):
        team = Team(organisation=organisation, name=TEAM_NAME)
        Team.unscoped.bulk_create([team])
    from django.utils import timezone

    with audit.bulk_write(model=TeamMembership, description="性能基准：服务队成员"):
        TeamMembership.unscoped.bulk_create(
            [TeamMembership(team=team, person_id=p, joined_on=timezone.localdate() - timedelta(days=400)) for p in chosen], batch_size=5000
        )
    return Team.unscoped.get(pk=team.pk)


def write_file(path: Path, team, rows: int, rng: random.Random) -> int:
    """An .xlsx of `rows` team services: each member on distinct days of the past year (constant memory)."""
    import xlsxwriter
    from django.utils import timezone

    from xinghuo.volunteers import importer
    from xinghuo.volunteers.models import TeamMembership

    members = list(TeamMembership.unscoped.filter(team=team).order_by("person_id").values_list("person__name", "person__phone"))
    per_member = -(-rows // len(members))
    today = timezone.localdate()
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("志愿服务记录")
    for c, column in enumerate(importer.COLUMNS):
        sheet.write(0, c, column.title)
    written = 0
    contents = ["社区科普宣讲", "科普展品讲解", "青少年科学实验辅导", "防诈骗知识宣传", "健康义诊与科普"]
    for name, phone in members:
        for ago in sorted(rng.sample(range(1, 366), per_member)):
            if written == rows:
                break
            written += 1
            values = [name, phone, "", (today - timedelta(days=ago)).isoformat(), rng.choice((1, 1.5, 2, 3, 4, 6, 8)),
                      rng.choice(contents), "", team.name]  # fmt: skip
            for c, value in enumerate(values):
                sheet.write(written, c, value)
    book.close()
    return written


def import_in_this_process(path: Path) -> dict:
    """The child's part: import the file as the society, roll back, report time, rows and peak memory."""
    setup_django()
    from django.db import transaction

    from xinghuo.core import context
    from xinghuo.volunteers import importer

    actor = recorder()
    started = time.perf_counter()
    with context.as_command("bench"), transaction.atomic():
        with path.open("rb") as upload:
            outcome = importer.run(actor, upload, size=path.stat().st_size)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "seconds": round(elapsed, 2), "peak_rss_mb": round(peak_mb, 1), "saved": outcome.report.saved,
        "errors": [f"{e.row} {e.column}: {e.message}" for e in outcome.report.errors[:5]] + ([outcome.error] if outcome.error else []),
    }  # fmt: skip


def measure_import(rows: int) -> dict:
    from xinghuo.core import context

    actor = recorder()
    if actor is None:
        return {"skipped": "no demo society login xuehui_org (seed_demo makes it)"}
    rng = random.Random(2026)
    with context.as_command("bench"):
        team = bench_team(actor, rng)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "service-records.xlsx"
        started = time.perf_counter()
        written = write_file(path, team, rows, rng)
        generated = time.perf_counter() - started
        size = path.stat().st_size
        done = subprocess.run([sys.executable, __file__, "--import-file", str(path)], check=False, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"the import's process failed: {done.stderr[-2000:]}")
    child = json.loads(done.stdout.strip().splitlines()[-1])
    return {
        "rows": written, "file_mb": round(size / 1024 / 1024, 1), "file_written_s": round(generated, 1), **child,
        "targets": {
            "seconds": TARGET_IMPORT_S, "seconds_met": child["seconds"] < TARGET_IMPORT_S and child["saved"] == written,
            "peak_rss_mb": TARGET_IMPORT_MB, "peak_rss_met": child["peak_rss_mb"] < TARGET_IMPORT_MB,
        },
    }  # fmt: skip


def measure_stars() -> dict:
    from django.db import connection, transaction
    from django.db.models import Sum

    from xinghuo.accounts.actor import actor_for
    from xinghuo.accounts.models import User
    from xinghuo.core import context
    from xinghuo.volunteers import services
    from xinghuo.volunteers.models import RecordStatus, ServiceRecord, VolunteerHours

    records = ServiceRecord.unscoped.count()
    city = actor_for(User.objects.get(username="kepu"))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE volunteers_servicerecord, volunteers_volunteerhours, volunteers_staraward")
    with context.as_command("bench"), transaction.atomic():
        started = time.perf_counter()
        opened = services.star_notices_open(actor=city)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    started = time.perf_counter()
    summed = dict(
        ServiceRecord.unscoped.filter(status=RecordStatus.CONFIRMED).values("volunteer_id").annotate(s=Sum("hours")).values_list("volunteer_id", "s")
    )  # fmt: skip
    sum_seconds = time.perf_counter() - started
    kept = dict(VolunteerHours.unscoped.values_list("person_id", "confirmed_hours"))
    mismatches = sum(1 for p in set(summed) | set(kept) if summed.get(p, 0) != kept.get(p, 0))
    return {
        "records": records, "volunteers_with_hours": len(kept), "seconds": round(elapsed, 2), "noticed": opened,
        "sum_from_records_s": round(sum_seconds, 2), "running_total_mismatches": mismatches,
    }  # fmt: skip


def print_block(r: dict) -> None:
    print(f"\n{NAME}: Excel import of service records and the star computation, server side, one connection")
    i, s = r["import"], r["stars"]
    if "skipped" in i:
        print(f"import    skipped: {i['skipped']}")
    else:
        t = i["targets"]
        print(f"import    {i['rows']:,} rows ({i['file_mb']} MB .xlsx, written in {i['file_written_s']} s, unmeasured): {i['seconds']:.1f} s "
              f"(< {t['seconds']:g} s: {'met' if t['seconds_met'] else 'NOT met'}), peak RSS {i['peak_rss_mb']:.0f} MB "
              f"(< {t['peak_rss_mb']:g} MB: {'met' if t['peak_rss_met'] else 'NOT met'}); {i['saved']:,} saved, rolled back")  # fmt: skip
        for error in i["errors"]:
            print(f"          {error}")
    print(f"stars     over {s['records']:,} service records of {s['volunteers_with_hours']:,} volunteers: {s['seconds']:.2f} s, "
          f"{s['noticed']:,} put in notice (rolled back); summing the records instead: {s['sum_from_records_s']:.2f} s; "
          f"running totals off the records: {s['running_total_mismatches']}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the imported Excel file")
    parser.add_argument("--out", type=Path, help="write the figures there as JSON")
    parser.add_argument("--import-file", type=Path, help=argparse.SUPPRESS)  # the child process's part
    args = parser.parse_args(argv)
    if args.import_file:
        print(json.dumps(import_in_this_process(args.import_file)))
        return 0
    setup_django()
    from xinghuo.volunteers.models import ServiceRecord

    if not ServiceRecord.unscoped.exists():
        result: dict = {"skipped": "no volunteer service record in the database (seed_demo --scale city or province makes them)"}
        print(f"{'note':<10}{NAME} skipped: {result['skipped']}", flush=True)
    else:
        result = {"import": measure_import(max(1, args.rows)), "stars": measure_stars()}
        print_block(result)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
