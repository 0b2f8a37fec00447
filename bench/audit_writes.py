"""Audited writes from several threads: how many a second, and how long each takes, on PostgreSQL.

    XINGHUO_ENV=test DATABASE_URL=postgres://postgres@127.0.0.1:5432/SCRATCH .venv/bin/python bench/audit_writes.py \\
        [--writes 2000] [--threads 8] [--hold-ms 0]

SCRATCH is a database of its own, migrated, with `load_regions 3709` and `load_base_data` run once: the
script adds eight organisations to it and an audit record a write. Each thread updates its own organisation
(no row is shared), one transaction a write: lock the row, save it (one audit record), then keep the
transaction open for --hold-ms, as a real service goes on after its audit record (the sign-up's dozen round
trips). Prints writes/s and per-write latency, then checks the chain. Run the same against an earlier commit
for a before/after figure; the machine is shared, so alternate the two and compare medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinghuo.config.settings")

import django

django.setup()

from django.db import connections, transaction  # noqa: E402

from xinghuo.core import audit, context  # noqa: E402
from xinghuo.organisations.models import Organisation, OrganisationKind  # noqa: E402
from xinghuo.organisations.services import organisation_create  # noqa: E402
from xinghuo.regions.models import Region  # noqa: E402


def _organisations(n: int) -> list[Organisation]:
    region = Region.objects.get(code="370902001")
    parent = Organisation.unscoped.get(code="KX370902")
    found = []
    with context.as_command("bench"):
        for i in range(n):
            name = f"审计基准学校{i}"
            org = Organisation.unscoped.filter(name=name).first()
            found.append(org or organisation_create(name=name, kind=OrganisationKind.SCHOOL, region=region, parent=parent))
    connections.close_all()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--hold-ms", type=float, default=0.0)
    args = parser.parse_args()
    orgs = _organisations(args.threads)
    each = args.writes // args.threads
    latencies: list[float] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(args.threads + 1)

    def work(n: int) -> None:
        mine: list[float] = []
        try:
            with context.acting(context.ActorContext(user_label=f"bench{n}", source="test")):
                barrier.wait()
                for k in range(each):
                    started = time.perf_counter()
                    with transaction.atomic():
                        org = Organisation.unscoped.select_for_update().get(pk=orgs[n].pk)
                        org.contact_name = f"基准{k}"
                        org.save(update_fields=["contact_name", "updated_at"])
                        if args.hold_ms:
                            time.sleep(args.hold_ms / 1000)
                    mine.append(time.perf_counter() - started)  # after the commit, and its seal
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            latencies.extend(mine)
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(args.threads)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    if errors:
        raise SystemExit(f"{len(errors)} writers failed: {errors[0]!r}")
    q = statistics.quantiles(latencies, n=100)
    print(
        f"writes={len(latencies)} threads={args.threads} hold_ms={args.hold_ms:g} wall={wall:.2f}s "
        f"rate={len(latencies) / wall:.0f}/s p50={q[49] * 1000:.1f}ms p95={q[94] * 1000:.1f}ms p99={q[98] * 1000:.1f}ms"
    )
    if hasattr(audit, "seal_pending"):
        audit.seal_pending()
    checked, _broken, reason = audit.verify_chain()
    print(f"chain: {checked} records checked, {reason or 'intact'}")


if __name__ == "__main__":
    main()
