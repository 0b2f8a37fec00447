"""Writes of the indicators: the city chooses which figures the portal publishes, and in which order."""

from __future__ import annotations

from django.db import transaction

from xinghuo.accounts.actor import Actor
from xinghuo.accounts.roles import Role
from xinghuo.core.errors import DomainError
from xinghuo.indicators.errors import IndicatorError as E
from xinghuo.indicators.models import Publication


def publication_set(*, actor: Actor, keys: list[str]) -> list[Publication]:
    """Publish exactly these indicators, in this order (the others are withdrawn from the portal). Only city staff; an
    unknown key, or one without a data source or not for the public, changes nothing."""
    from xinghuo.indicators.selectors import all_indicators

    if actor.role != Role.CITY_STAFF:
        raise DomainError(E.NOT_ALLOWED, "只有市科协可以设置公开指标", status=403)
    known = {i.key: i for i in all_indicators()}
    wrong = [k for k in keys if k not in known or not known[k].available or not known[k].public]
    if wrong:
        raise DomainError(E.INVALID, f"这些指标不能公开：{'、'.join(wrong)}", field="keys")
    if len(set(keys)) != len(keys):
        raise DomainError(E.INVALID, "同一指标选了两次", field="keys")
    with transaction.atomic():
        existing = {p.key: p for p in Publication.objects.select_for_update()}
        for key, publication in existing.items():
            if key not in keys:
                publication.delete()
        out = []
        for order, key in enumerate(keys):
            publication = existing.get(key) or Publication(key=key)
            if publication.pk is None or publication.order != order:
                publication.order = order
                publication.save()
            out.append(publication)
        return out
