"""The one scoping mechanism: every query on a scoped model runs inside the actor's scope, or raises.

Scoped models use `scoped_manager(...)` as their default manager (django-scopes, as pretix does). Two
dimensions: `region` (the records of a region's subtree) and `organisation` (an organisation's subtree).
A dimension's value is a queryset of regions/organisations, or None for "no limit on this dimension".
The access middleware opens the scope of the signed-in actor around every request; public views
select public records explicitly inside `public_reads()`; commands use `system_scope()`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django_scopes import ScopeError, scope, scopes_disabled

from xinghuo.core.models import BaseManager

__all__ = ["ScopeError", "public_reads", "scope", "scoped_manager", "scopes_disabled", "system_scope"]


def scoped_manager(*, region: str = "region", organisation: str = "organisation") -> Any:
    """A manager whose queries are filtered by the active scope and refused outside one."""
    from django_scopes import ScopedManager

    return ScopedManager(_manager_class=BaseManager, region=f"{region}__in", organisation=f"{organisation}__in")


@contextmanager
def system_scope() -> Iterator[None]:
    """For management commands, migrations and background jobs that act for the whole platform."""
    with scopes_disabled():
        yield


@contextmanager
def public_reads() -> Iterator[None]:
    """For public pages: the selector inside must itself filter to what the public may see."""
    with scopes_disabled():
        yield
