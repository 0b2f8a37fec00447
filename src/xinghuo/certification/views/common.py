"""What the console pages of certification share: who may open them, the actor, breadcrumbs, and how one
posted step is run and answered."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from xinghuo.certification import permissions
from xinghuo.certification.errors import CertificationError as E
from xinghuo.console.steps import run_step as console_run_step

ROLES = permissions.VIEWER_ROLES


def actor_of(request: HttpRequest) -> Any:
    return request.xh_actor  # type: ignore[attr-defined]


def crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("阵地认定", reverse("certification_console:list")), *extra]


#: Refusals that mean the page was stale (someone acted first, or the record left the actor's reach): the form
#: that was posted is no longer shown, so the message goes to the top of the page instead.
MOVED_ON = {E.STATUS, E.REVIEW_STATUS, E.NOT_ALLOWED, E.NOTICE_CLOSED}


#: Every step of this module through the console's one way of running a posted step.
run_step = functools.partial(console_run_step, moved_on=MOVED_ON)
