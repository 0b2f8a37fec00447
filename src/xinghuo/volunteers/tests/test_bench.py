"""The benchmark's import file (bench/volunteers.py): on the demo, the society's city-wide team and the generated
.xlsx import without a wrong row — so that `make bench` times an import that saves, not a report of errors."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest
from django.core.management import call_command

from xinghuo.core.scoping import system_scope
from xinghuo.volunteers import importer
from xinghuo.volunteers.models import ServiceRecord, TeamMembership

pytestmark = pytest.mark.django_db
BENCH = Path(__file__).resolve().parents[4] / "bench" / "volunteers.py"


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_volunteers", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_the_generated_file_imports_every_row(tmp_path, monkeypatch):
    # given the small demo and the bench's team of (here) 10 volunteers
    call_command("seed_demo", "--scale", "small", "--quiet")
    bench = _bench_module()
    monkeypatch.setattr(bench, "MEMBERS", 10)
    actor = bench.recorder()
    rng = random.Random(1)
    with system_scope():
        team = bench.bench_team(actor, rng)
        assert TeamMembership.unscoped.filter(team=team).count() == 10
        before = ServiceRecord.unscoped.count()

        # when it writes 200 rows and the importer reads them
        path = tmp_path / "records.xlsx"
        assert bench.write_file(path, team, 200, rng) == 200
        with path.open("rb") as upload:
            outcome = importer.run(actor, upload)

    # then every row is saved
    assert outcome.error == ""
    assert outcome.report.errors == []
    assert outcome.report.saved == 200
    assert ServiceRecord.unscoped.count() == before + 200
