"""Importing teams and members from Excel: a school's roster puts its volunteers in its teams (a team is set up on its
first row); a wrong row — an unknown volunteer, another county's organisation, a sixth team, the same row twice —
is named by row and column and nothing is saved."""

from __future__ import annotations

import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from xinghuo.volunteers import team_import
from xinghuo.volunteers.models import Team, TeamMembership
from xinghuo.volunteers.tests.conftest import ID_B, PHONE_A, team_of

pytestmark = pytest.mark.django_db
HEAD = [c.title for c in team_import.COLUMNS]


def upload(rows: list[list[object]]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate([HEAD, *rows]):
        for c, value in enumerate(row):
            sheet.write_string(r, c, str(value))
    book.close()
    return SimpleUploadedFile("队员.xlsx", buffer.getvalue())


def test_a_school_imports_its_roster_and_its_teams_are_set_up(client, login, cast):
    other = cast.volunteer("孙志愿", 7)
    login(client, cast.school_a.user)

    response = client.post("/console/volunteers/teams/import/", {"file": upload([
        ["岱庙小学科普讲解队", "", "赵志愿", PHONE_A, ""],
        ["岱庙小学科普讲解队", "", "孙志愿", other.phone, ""],
        ["岱庙小学科技辅导队", "", "赵志愿", PHONE_A, ""],
    ])})  # fmt: skip

    assert response.status_code == 200
    teams = {t.name: set(TeamMembership.unscoped.filter(team=t).values_list("person__name", flat=True)) for t in Team.unscoped.all()}
    assert teams == {"岱庙小学科普讲解队": {"赵志愿", "孙志愿"}, "岱庙小学科技辅导队": {"赵志愿"}}
    assert {t.organisation for t in Team.unscoped.all()} == {cast.school_org}


def test_wrong_rows_are_named_and_nothing_is_saved(client, login, cast):
    for n in range(5):
        team_of(cast.county_a, cast.school_org, name=f"已有队{n}", members=(cast.vol_a,))
    login(client, cast.school_a.user)
    before = TeamMembership.unscoped.count()

    response = client.post("/console/volunteers/teams/import/", {"file": upload([
        ["新队", "", "钱志愿", "", ID_B],  # fine
        ["新队", "", "钱志愿", "", ID_B],  # the same row again
        ["新队", "", "无此人", "13700000000", ""],  # not in the registry
        ["新队", "粥店街道中心小学", "钱志愿", "", ID_B],  # another county's school
        ["新队", "", "赵志愿", PHONE_A, ""],  # a sixth team
    ])})  # fmt: skip

    text = response.content.decode()
    assert response.status_code == 400
    assert "表中已有钱志愿加入“新队”的一行" in text
    assert "人员库中没有姓名为“无此人”" in text
    assert "找不到单位“粥店街道中心小学”" in text  # outside the school's reach it is not found, like a missing one
    assert "最多加入 5 支" in text
    assert TeamMembership.unscoped.count() == before
    assert not Team.unscoped.filter(name="新队").exists()
