"""What every console page needs: the menu for the actor's role, their memberships to switch between."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from xinghuo.accounts.actor import active_memberships
from xinghuo.console.menu import menu_for


def console_context(
    request: HttpRequest, *, title: str, crumbs: list[tuple[str, str | None]] | None = None, **extra: Any
) -> dict[str, Any]:
    actor = request.xh_actor  # type: ignore[attr-defined]
    return {
        "title": title,
        "crumbs": crumbs or [],
        "menu": menu_for(actor.role, request.path),
        "memberships": active_memberships(actor.user),
        **extra,
    }
