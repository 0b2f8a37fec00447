"""Importing teams and their members from Excel (a society's or a school's roster, kept in a spreadsheet): each row
puts one volunteer of the people registry in one team of an organisation — the team is set up on its first row
when it does not exist yet. Every row goes through the same services as the pages (the organisation must be the
importer's own or of their scope, the volunteer found by name and phone or ID number, at most five teams a person),
and nothing is saved if any row is wrong; the report names the row and the column."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from xinghuo.accounts.actor import Actor
from xinghuo.core.errors import DomainError
from xinghuo.core.excel_import import ImportColumn
from xinghuo.organisations.models import Organisation
from xinghuo.talent.models import Person
from xinghuo.volunteers import permissions, services
from xinghuo.volunteers.errors import VolunteerError as E
from xinghuo.volunteers.models import Team

COLUMNS = [
    ImportColumn(
        "服务队名称", "team", required=True, example="泰山区科普讲解志愿服务队", help="本单位已有的服务队，或要新建的服务队的名称"
    ),
    ImportColumn("所属单位", "organisation", example="", help="单位全称或机构代码；不填则为您所在的单位"),
    ImportColumn("志愿者姓名", "name", required=True, example="张三", help="须与人员库中的姓名一致"),
    ImportColumn("手机号", "phone", example="", help="11 位手机号；手机号与身份证号至少填一项"),
    ImportColumn("身份证号", "id_number", example="", help="18 位身份证号；已填手机号时可不填"),
]


@dataclass(frozen=True)
class Row:
    organisation: Organisation
    team: str
    person: Person


def make_builder(actor: Actor) -> Callable[[dict[str, Any]], Row]:
    """Check one row (no write): the organisation, the volunteer, and the same person twice in one team in the file."""
    seen: set[tuple[int, str, int]] = set()
    own = permissions.acting_organisation(actor)

    def build(values: dict[str, Any]) -> Row:
        typed = str(values.get("organisation") or "").strip()
        if typed:
            org = Organisation.objects.filter(Q(code=typed) | Q(name=typed) | Q(short_name=typed), is_active=True).first()
            if org is None:
                raise DomainError(E.INVALID, f"找不到单位“{typed}”，请填写全称或机构代码", field="organisation")
        elif own is None:
            raise DomainError(E.INVALID, "请填写服务队所属单位", field="organisation")
        else:
            org = own
        if not permissions.can_create_team_for(actor, org):
            raise DomainError(E.INVALID, f"不能为“{org.name}”导入服务队：只能是本单位或本辖区的单位", field="organisation")
        key = str(values.get("phone") or "").strip() or str(values.get("id_number") or "").strip()
        person = services.volunteer_find(key=key, name=str(values["name"]), field="phone")
        team = str(values["team"]).strip()[:100]
        if (org.pk, team, person.pk) in seen:
            raise DomainError(E.ALREADY_MEMBER, f"表中已有{person.name}加入“{team}”的一行", field="name")
        seen.add((org.pk, team, person.pk))
        return Row(organisation=org, team=team, person=person)

    return build


def make_saver(actor: Actor) -> Callable[[Row], None]:
    """Write one checked row: the team (set up on its first row) and the membership, through the services."""

    def save(row: Row) -> None:
        team = Team.unscoped.filter(organisation=row.organisation, name=row.team).first()
        if team is None:
            team = services.team_create(actor=actor, organisation=row.organisation, name=row.team)
        services.member_add(actor=actor, team=team, person=row.person)

    return save
