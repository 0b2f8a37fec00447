"""Who is acting, in which role, from where: set once per request (or command), read by the audit trail."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class ActorContext:
    user_id: int | None = None
    user_label: str = ""
    role_label: str = ""
    ip: str = ""
    user_agent: str = ""
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    source: str = "web"  # web | api | command | system


_current: ContextVar[ActorContext | None] = ContextVar("xinghuo_actor_context", default=None)


def current() -> ActorContext:
    ctx = _current.get()
    return ctx if ctx is not None else ActorContext(source="system", user_label="system")


@contextmanager
def acting(ctx: ActorContext) -> Iterator[ActorContext]:
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def update(**changes: Any) -> ActorContext:
    """Refine the current context (after login, after a role switch) for the rest of the request."""
    ctx = replace(current(), **changes)
    _current.set(ctx)
    return ctx


@contextmanager
def as_command(name: str) -> Iterator[ActorContext]:
    """Management commands act as the system, labelled with the command's name."""
    with acting(ActorContext(user_label=f"command:{name}", source="command")) as ctx:
        yield ctx
