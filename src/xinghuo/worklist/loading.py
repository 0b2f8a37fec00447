"""Loading the work list from data (worklist/data.py: the two seeds' tasks, extracted by hand): plans, tasks with
their sub-tasks and targets, and an action for each responsible unit the platform knows. Idempotent: a second load
updates the text of what is there and adds what is new; it never removes an action (a unit's reports hang on it).

The plans name units as people say them ("县市区、功能区科协", "市级学会", "市科技馆"); `units_for` maps a name to
the organisations it stands for. A name it does not know stays on the task as written, without an action."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from xinghuo.organisations.models import Organisation, OrganisationKind
from xinghuo.worklist.models import Action, Plan, Target, Task

#: names of units that stand for every organisation of a kind
KIND_NAMES: dict[str, tuple[str, ...]] = {
    "县市区、功能区科协": (OrganisationKind.COUNTY_ASSOCIATION,),
    "县市区科协": (OrganisationKind.COUNTY_ASSOCIATION,),
    "各县市区科协": (OrganisationKind.COUNTY_ASSOCIATION,),
    "功能区科协": (OrganisationKind.COUNTY_ASSOCIATION,),
    "县市区": (OrganisationKind.COUNTY_ASSOCIATION,),
    "功能区": (OrganisationKind.COUNTY_ASSOCIATION,),
    "各县市区（功能区）科协": (OrganisationKind.COUNTY_ASSOCIATION,),
    "全市各级科协": (OrganisationKind.COUNTY_ASSOCIATION,),
    "各地各单位": (OrganisationKind.COUNTY_ASSOCIATION,),  # 各地: each county (zone), whose association answers for it
    "各地各相关单位": (OrganisationKind.COUNTY_ASSOCIATION,),
    "全市各级科协组织": (OrganisationKind.COUNTY_ASSOCIATION,),
    "全市各级科协及所属组织、单位": (OrganisationKind.COUNTY_ASSOCIATION,),
    "市级学会": (OrganisationKind.SOCIETY,),
    "有关市级学会": (OrganisationKind.SOCIETY,),
    "高校": (OrganisationKind.UNIVERSITY_ASSOCIATION,),
    "企事业科协": (OrganisationKind.ENTERPRISE_ASSOCIATION,),
    "市科协机关各部室": (OrganisationKind.DEPARTMENT,),
    "直属各单位": (OrganisationKind.DIRECT_UNIT,),
    "相关市级学会": (OrganisationKind.SOCIETY,),
    "各级学会": (OrganisationKind.SOCIETY,),
    "高校科协": (OrganisationKind.UNIVERSITY_ASSOCIATION,),
    "企业科协": (OrganisationKind.ENTERPRISE_ASSOCIATION,),
}


def units_for(name: str, city: Organisation) -> list[Organisation]:
    """The organisations of the city that a unit's name stands for (a department or direct unit by its name)."""
    name = name.strip()
    kinds = KIND_NAMES.get(name)
    orgs = Organisation.unscoped.filter(is_active=True).filter(path__startswith=city.path)
    if kinds:
        return list(orgs.filter(kind__in=kinds).order_by("code"))
    found = list(orgs.filter(name=name)[:2]) or list(orgs.filter(short_name=name)[:2])
    return found if len(found) == 1 else []


@dataclass
class Loaded:
    plans: int = 0
    tasks: int = 0
    targets: int = 0
    actions: int = 0
    unknown_units: set[str] = field(default_factory=set)


def load(*, plans: Iterable[dict[str, Any]], tasks: Iterable[dict[str, Any]], city: Organisation, refresh: bool = False) -> Loaded:
    """Put the plans' tasks in the database. A task already there is left as the city keeps it (its text, units,
    targets and actions, which city staff may have edited) unless `refresh`: then it is written again from the data,
    its targets replaced, and an action added for each of its units that now has an organisation on the platform (for
    a platform whose organisations were entered after the first load, and the demo). New tasks are always added."""
    loaded = Loaded()
    with transaction.atomic():
        by_code = {}
        for p in plans:
            plan, _ = Plan.objects.update_or_create(
                code=p["code"], defaults={"title": p["title"], "seed": p.get("seed", ""), "issued": p.get("issued", "")}
            )
            by_code[plan.code] = plan
            loaded.plans += 1
        for order, t in enumerate(tasks, start=1):
            _task(t, plan=by_code[t["plan"]], parent=None, order=order, city=city, loaded=loaded, refresh=refresh)
    return loaded


def _task(t: dict[str, Any], *, plan: Plan, parent: Task | None, order: int, city: Organisation, loaded: Loaded,
          refresh: bool) -> Task:  # fmt: skip
    defaults = {
        "plan": plan, "parent": parent, "order": order, "section": t.get("section", "")[:200], "title": t["title"][:200],
        "text": t["text"], "lead": "、".join(t.get("lead", []))[:200], "units": "、".join(t.get("units", []))[:300],
        "period": t.get("period", "")[:40],
    }  # fmt: skip
    existing = Task.objects.filter(code=t["code"]).first()
    if existing is not None and not refresh:
        for n, child in enumerate(t.get("children", []), start=1):
            _task(child, plan=plan, parent=existing, order=n, city=city, loaded=loaded, refresh=refresh)
        return existing
    task, _ = Task.objects.update_or_create(code=t["code"], defaults=defaults)
    loaded.tasks += 1
    task.targets.all().delete()
    for target in t.get("targets", []):
        Target.objects.create(
            task=task, text=target["text"][:200], unit=target.get("unit", "")[:20], per=target.get("per", "")[:20],
            indicator=target.get("indicator", "")[:60], minimum=_number(target.get("min")), maximum=_number(target.get("max")),
        )  # fmt: skip
        loaded.targets += 1
    have = set(Action.unscoped.filter(task=task).values_list("organisation_id", flat=True))
    for name in t.get("units", []):
        orgs = units_for(name, city)
        if not orgs:
            loaded.unknown_units.add(name)
        for org in orgs:
            if org.pk not in have:
                Action.unscoped.create(task=task, organisation=org)
                have.add(org.pk)
                loaded.actions += 1
    for n, child in enumerate(t.get("children", []), start=1):
        _task(child, plan=plan, parent=task, order=n, city=city, loaded=loaded, refresh=refresh)
    return task


def _number(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))
