"""What the resource pages share: the actor, breadcrumbs, and how one posted step is run and answered."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from xinghuo.console.steps import run_step as console_run_step
from xinghuo.resources.errors import ResourceError as E


def actor_of(request: HttpRequest) -> Any:
    return request.xh_actor  # type: ignore[attr-defined]


def crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("科普资源", reverse("resources_console:list")), *extra]


#: Refusals that mean the page was stale (someone acted first, or it left the actor's reach).
MOVED_ON = {E.STATUS, E.NOT_ALLOWED}

run_step = functools.partial(console_run_step, moved_on=MOVED_ON)
