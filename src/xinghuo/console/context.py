"""What every console page needs: the menu for the actor's role, their memberships to switch between."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest

from xinghuo.console.menu import menu_for


def paginated(request: HttpRequest, queryset: Any, per_page: int = 20) -> dict[str, Any]:
    """A page of a list and the query strings its pagination and export links keep (the filters, not the page)."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    return {"page_obj": page, "querystring": encoded, "querystring_page": f"{encoded}&" if encoded else ""}


def console_context(
    request: HttpRequest, *, title: str, crumbs: list[tuple[str, str | None]] | None = None, **extra: Any
) -> dict[str, Any]:
    actor = request.xh_actor  # type: ignore[attr-defined]
    return {
        "title": title,
        "crumbs": crumbs or [],
        "menu": menu_for(actor.role, request.path),
        "memberships": actor.memberships,
        **extra,
    }
