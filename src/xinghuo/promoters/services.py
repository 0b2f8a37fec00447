"""Writes: a promoter takes on villages (社区/村), and gives one up. Each in one transaction, the person's row locked
first (as the people registry locks it), audited by the models' saves."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.core.errors import DomainError
from xinghuo.core.validation import validate
from xinghuo.promoters import permissions
from xinghuo.promoters.errors import PromoterError as E
from xinghuo.promoters.models import PromoterArea
from xinghuo.regions.models import Region, RegionLevel
from xinghuo.talent.models import Person, PersonRole, RoleKind, RoleStatus

NOT_FOUND = "您要找的记录不存在或无权查看。"


def _deny() -> DomainError:
    return DomainError(E.NOT_ALLOWED, "您的身份不能维护宣传员的负责区域", status=403)


def _lock_promoter(actor: Actor, person: Person) -> Person:
    locked = Person.unscoped.select_for_update(of=("self",)).select_related("region").get(pk=person.pk)
    if not actor.sees_region(locked.region):
        raise DomainError(E.NOT_ALLOWED, NOT_FOUND, status=404)
    if not PersonRole.unscoped.filter(person=locked, kind=RoleKind.PROMOTER, status=RoleStatus.ACTIVE).exists():
        raise DomainError(E.NOT_PROMOTER, f"{locked.name}不是在任的星火科普宣传员，请先在人员库中为其添加这一角色")
    return locked


def promoter_assign(*, actor: Actor, person: Person, villages: Sequence[Region], since: date | None = None) -> list[PromoterArea]:
    """The promoter takes on these villages from `since` (today by default); all of them or none."""
    if not permissions.can_assign(actor):
        raise _deny()
    today = timezone.localdate()
    since = since or today
    if since > today:
        raise DomainError(E.DATE, "起始日期不能晚于今天", field="since")
    if not villages:
        raise DomainError(E.VILLAGE, "请填写负责的社区（村）", field="villages")
    for village in villages:
        if village.level != RegionLevel.VILLAGE:
            raise DomainError(E.VILLAGE, f"“{village.name}”不是社区（村），宣传员按社区（村）分配", field="villages")
        if not permissions.can_assign(actor, village):
            raise DomainError(E.VILLAGE, f"“{village.name}”不在您的管辖范围内", field="villages")
    with transaction.atomic():
        locked = _lock_promoter(actor, person)
        held = set(PromoterArea.unscoped.filter(person=locked, ended_on__isnull=True).values_list("village_id", flat=True))
        again = [v.name for v in villages if v.pk in held]
        if again:
            raise DomainError(E.ASSIGNED, f"{locked.name}已负责：{'、'.join(again)}", field="villages")
        areas = []
        for village in dict.fromkeys(villages):  # a village typed twice is taken on once
            area = PromoterArea(person=locked, village=village, since=since)
            validate(area)
            area.save()
            areas.append(area)
    return areas


def promoter_release(*, actor: Actor, area: PromoterArea, on: date | None = None) -> PromoterArea:
    """The promoter gives up one village: the area ends (today by default) and stays on the record."""
    if not permissions.can_assign(actor):
        raise _deny()
    on = on or timezone.localdate()
    with transaction.atomic():
        Person.unscoped.select_for_update(of=("self",)).get(pk=area.person_id)
        locked = PromoterArea.unscoped.select_for_update(of=("self",)).select_related("village").get(pk=area.pk)
        if not actor.sees_region(locked.village):
            raise DomainError(E.NOT_ALLOWED, NOT_FOUND, status=404)
        if locked.ended_on is not None:
            raise DomainError(E.ASSIGNED, f"该区域已于 {locked.ended_on:%Y-%m-%d} 结束")
        if on < locked.since:
            raise DomainError(E.DATE, f"结束日期不能早于起始日期 {locked.since:%Y-%m-%d}", field="on")
        locked.ended_on = on
        locked.save(update_fields=["ended_on", "updated_at"])
    return locked
