"""What the console pages of activities share: the actor, breadcrumbs, and how one posted step is run and answered."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from xinghuo.activities.errors import ActivityError as E
from xinghuo.core.errors import DomainError
from xinghuo.core.forms import Form


def actor_of(request: HttpRequest) -> Any:
    return request.xh_actor  # type: ignore[attr-defined]


def crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("科普活动", reverse("activities_console:list")), *extra]


#: Refusals that mean the page was stale (someone acted first, or the record left the actor's reach): the form
#: that was posted is no longer shown, so the message goes to the top of the page instead.
MOVED_ON = {E.STATUS, E.NOT_ALLOWED}


def run_step(request: HttpRequest, form: Form, act: Any, *, back: str, success: Any, page: Any) -> HttpResponse:
    """Run one posted step: a valid form goes to the service (`act(cleaned_data)`); success goes back to the
    record with `success(result)` as the message; a refusal shows beside its field (`page(form)`, answered 400),
    or — when the record has moved on since the page was drawn — at the top of the record's page."""
    if form.is_valid():
        try:
            result = act(form.cleaned_data)
        except DomainError as exc:
            if exc.code in MOVED_ON or exc.status == 404:
                messages.error(request, exc.message)
                return redirect(back)
            form.add_domain_error(exc)
        else:
            messages.success(request, success(result))
            return redirect(back)
    return page(form)
