"""One posted step of a workflow in the console (submit, review, decide…), run and answered the same way by every
module: a valid form goes to the service; success goes back to the record with a message; a refusal shows beside
its field (the page answered 400), or — when the record has moved on since the page was drawn (someone acted
first, or it left the actor's reach) — at the top of the record's page, since the posted form is no longer shown."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from xinghuo.core.errors import DomainError
from xinghuo.core.forms import Form


def run_step(
    request: HttpRequest, form: Form, act: Callable[[dict[str, Any]], Any], *, back: str, success: Callable[[Any], str],
    page: Callable[[Form], HttpResponse], moved_on: Collection[str],
) -> HttpResponse:  # fmt: skip
    """`act(cleaned_data)` calls the service; `moved_on` names the error codes that mean a stale page."""
    if form.is_valid():
        try:
            result = act(form.cleaned_data)
        except DomainError as exc:
            if exc.code in moved_on or exc.status == 404:
                messages.error(request, exc.message)
                return redirect(back)
            form.add_domain_error(exc)
        else:
            messages.success(request, success(result))
            return redirect(back)
    return page(form)
