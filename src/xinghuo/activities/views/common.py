"""What the console pages of activities share: the actor, breadcrumbs, and how one posted step is run and answered."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from xinghuo.activities.errors import ActivityError as E
from xinghuo.console.steps import run_step as console_run_step


def actor_of(request: HttpRequest) -> Any:
    return request.xh_actor  # type: ignore[attr-defined]


def crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("科普活动", reverse("activities_console:list")), *extra]


#: Refusals that mean the page was stale (someone acted first, or the record left the actor's reach): the form
#: that was posted is no longer shown, so the message goes to the top of the page instead.
MOVED_ON = {E.STATUS, E.NOT_ALLOWED}


#: Every step of this module through the console's one way of running a posted step.
run_step = functools.partial(console_run_step, moved_on=MOVED_ON)
