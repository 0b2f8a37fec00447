"""The index on real venues, on both databases: the committed query set, ranking, composing with querysets,
and the index kept in step with saves, deletes, bulk loads and rebuilds."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from xinghuo import search
from xinghuo.core import audit
from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region
from xinghuo.search.backends import fts_table
from xinghuo.venues.models import Venue, VenueStatus
from xinghuo.venues.services import venue_create, venue_update

from .test_text import NASTY
from .venue_queries import CASES, VENUES

pytestmark = pytest.mark.django_db

SUBTYPES = {"spark_hall": "new_technology", "spark_station": "party_service_center", "science_museum": "county"}


def make(
    name: str, *, region: str = "370902001", address: str = "泰安市测试路1号", summary: str = "", venue_type: str = "spark_hall"
) -> Venue:
    return venue_create(
        operator=Organisation.unscoped.get(code="KX370902"), region=Region.objects.get(code=region), status=VenueStatus.REGISTERED,
        name=name, venue_type=venue_type, subtype=SUBTYPES.get(venue_type, ""), address=address, summary=summary,
        lat=36.19, lon=117.12, audiences=["public"],
    )  # fmt: skip


def found(query: str, queryset=None) -> list[str]:
    return list(
        search.search(queryset if queryset is not None else Venue.unscoped.all(), query)
        .order_by("-search_rank", "pk")
        .values_list("name", flat=True)
    )


@pytest.fixture
def venues() -> dict[str, Venue]:
    return {v.key: make(v.name, region=v.region, address=v.address, summary=v.summary, venue_type=v.venue_type) for v in VENUES}


def test_the_committed_query_set(venues):
    names = {key: v.name for key, v in venues.items()}
    failures = []
    for case in CASES:
        got = set(found(case.query))
        missing = {names[k] for k in case.finds} - got
        wrong = got & {names[k] for k in case.not_finds}
        if missing or wrong:
            failures.append(f"{case.query!r} ({case.why}): missing {sorted(missing)}, should not find {sorted(wrong)}")

    assert not failures, "\n".join(failures)


def test_a_title_hit_ranks_above_a_summary_hit(venues):
    assert found("天文") == ["泰安天文台科普教育基地", "肥城市青少年活动中心"]
    assert found("机器人") == ["高新区开放实验室", "肥城市青少年活动中心"]  # 机器人 in both summaries: the shorter wins


def test_a_name_ranks_above_an_address(venues):
    assert found("泰山区") == ["泰山区科技馆", "泰安市新能源星火科技馆"]
    assert found("泰山区科技馆") == ["泰山区科技馆", "泰安市新能源星火科技馆"]


def test_the_result_is_a_queryset_that_filters_counts_and_pages_in_sql(venues, django_assert_num_queries):
    museums = search.search(Venue.unscoped.filter(venue_type="science_museum"), "科技馆")

    with django_assert_num_queries(1):
        assert museums.count() == 2
    with django_assert_num_queries(1):
        first = list(museums.order_by("-search_rank", "code")[:1])
    assert first[0].search_rank > 0


@pytest.mark.parametrize("query", NASTY)
def test_no_query_raises(venues, query):
    results = search.search(Venue.unscoped.all(), query)

    assert len(list(results.order_by("-search_rank"))) == results.count()


def test_an_empty_query_matches_nothing_and_still_orders_by_rank(venues):
    assert list(search.search(Venue.unscoped.all(), "  ，").order_by("-search_rank")) == []


def test_a_renamed_venue_is_found_by_its_new_name_only(venues):
    venue_update(venue=venues["lab"], name="泰安高新区人工智能实验中心")

    assert found("开放实验室") == []
    assert found("人工智能实验") == ["泰安高新区人工智能实验中心"]


def test_a_status_change_keeps_the_venue_indexed(venues):
    lab = Venue.unscoped.get(pk=venues["lab"].pk)
    lab.status = VenueStatus.CLOSED
    lab.save(update_fields=["status", "updated_at"])

    assert found("实验室") == ["高新区开放实验室"]


def test_a_deleted_venue_leaves_no_entry(venues):
    Venue.unscoped.filter(pk=venues["dongping_museum"].pk).delete()

    assert "东平县科技馆" not in found("科技馆")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT count(*) FROM "{fts_table(Venue)}"')
            assert cursor.fetchone()[0] == len(VENUES) - 1


def _stations(template: Venue, count: int, name: str) -> list[Venue]:
    return [
        Venue(name=f"泰山第{i}号{name}", venue_type="spark_hall", subtype="new_technology", status=VenueStatus.REGISTERED,
              operator_id=template.operator_id, region_id=template.region_id, address="泰安市", lat=36.2, lon=117.1)
        for i in range(count)
    ]  # fmt: skip


def test_a_bulk_load_is_indexed_as_it_is_created(venues):
    with audit.bulk_write(model=Venue, description="测试：批量导入"):
        search.bulk_create(Venue.unscoped, _stations(venues["lab"], 30, "科普驿站"))

    assert len(found("科普驿站")) == 30
    assert len(found("yizhan")) == 30


def test_rows_written_without_signals_are_indexed_by_index_objects(venues):
    rows = _stations(venues["lab"], 20, "科普小屋")
    with audit.bulk_write(model=Venue, description="测试：批量导入"):
        Venue.unscoped.bulk_create(rows)
        assert found("科普小屋") == []  # bulk_create sends no signal
        assert search.index_objects(Venue, rows[:10]) == 10
        assert search.index_objects(Venue, [r.pk for r in rows[10:]]) == 10

    assert len(found("科普小屋")) == 20


def test_rebuild_search_index_restores_a_lost_index(venues):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f'DELETE FROM "{fts_table(Venue)}"')
            cursor.execute(f"INSERT INTO \"{fts_table(Venue)}\"(rowid, title) VALUES (999999, '孤儿')")  # a row long gone
        else:
            cursor.execute('UPDATE "venues_venue" SET "search_vector" = NULL')
    assert found("科技馆") == []

    out = StringIO()
    call_command("rebuild_search_index", "--batch-size", "3", stdout=out)

    assert f"已索引 {len(VENUES)} 条" in out.getvalue()
    assert len(found("科技馆")) == 3
    assert found("孤儿") == []


def test_the_map_and_the_console_search_by_pinyin(client, venues, login, personas):
    on_map = client.get("/map/", {"q": "kjg"}).content.decode()
    login(client, personas.city_staff)
    on_console = client.get("/console/venues/", {"q": "taishan"}).content.decode()

    assert "泰山区科技馆" in on_map
    assert "东平县科技馆" in on_map
    assert "高新区开放实验室" not in on_map
    assert "泰山地质公园科普教育基地" in on_console
    assert "东平县科技馆" not in on_console
