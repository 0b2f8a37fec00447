"""Walking every registered route: does each declare who may use it, and does any leak another county's records?

`walk_urlpatterns()` lists every URL pattern with its callback and namespace; `declaration_problems()` names
routes with no access declaration; `leak_problems()` requests every route as one actor with the identifiers of
records that actor must not see and names each route that answers anything but "not found". The API's
operations are walked the same way through ninja's own registry.

A route with a path parameter must have a sample in RECORD_SAMPLES (url name → how to find a record of
county B for it). A new route without one fails the walk: every later route is covered the day it is added.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from xinghuo.core.access import access_of

PARAM_RE = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    pattern: str  # the full pattern, e.g. "console/organisations/<str:uid>/"
    name: str  # "namespace:name" or the pattern when unnamed
    callback: Callable
    namespace: str

    @property
    def params(self) -> list[str]:
        return [m.group("name") for m in PARAM_RE.finditer(self.pattern)]

    def path(self, kwargs: dict[str, Any]) -> str:
        def sub(match: re.Match) -> str:
            return str(kwargs[match.group("name")])

        return "/" + PARAM_RE.sub(sub, self.pattern)


def walk_urlpatterns(patterns: list | None = None, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            ns = ":".join(p for p in (namespace, entry.namespace or "") if p)
            yield from walk_urlpatterns(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or pattern)
            yield Route(pattern=pattern.lstrip("^").rstrip("$"), name=name, callback=entry.callback, namespace=namespace)


def declaration_problems(routes: list[Route]) -> list[str]:
    return [f"{r.name} ({r.pattern})" for r in routes if access_of(r.callback, r.namespace) is None]


def api_operations(api: Any) -> Iterator[tuple[str, str, dict]]:
    """(method, path, OpenAPI operation) for every operation of a NinjaAPI, read from its own schema."""
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation


def api_declaration_problems(api: Any) -> list[str]:
    problems = []
    for method, path, operation in api_operations(api):
        if not operation.get("security") and not operation.get("x-xinghuo-public"):
            problems.append(f"{method} {path}: no auth and not marked public (use core.access.PUBLIC_API)")
    return problems


NOT_FOUND = {404}


def leak_problems(
    client: Client,
    routes: list[Route],
    samples: dict[str, Callable[[], dict[str, Any]]],
    *,
    forbidden_texts: list[str],
    skip: set[str] = frozenset(),  # type: ignore[assignment]
) -> list[str]:
    """Request every route as the client's actor. Routes with parameters get another county's identifiers and
    must answer 404 (or 405 for a method the view refuses before it reads anything) — for a route whose parameter is
    not a record (an indicator's key), the sample's "?" names the other county in the query; routes without must not
    show any forbidden text."""
    problems = []
    for route in routes:
        if route.name in skip or route.namespace.startswith("admin") or route.name.startswith("api-1"):
            continue
        if route.params:
            if route.name not in samples:
                problems.append(f"{route.name}: no sample record in RECORD_SAMPLES — add one so this route is walked")
                continue
            params = dict(samples[route.name]())
            query = params.pop("?", "")  # a sample may name the other county in the query string instead (?county=…)
            path = route.path(params) + (f"?{query}" if query else "")
            for method in ("get", "post"):
                status = getattr(client, method)(path).status_code
                if status not in NOT_FOUND | {405}:  # 405: the view refuses the method before reading anything
                    problems.append(f"{route.name}: {method.upper()} {path} answered {status}, expected 404")
        else:
            path = route.path({})
            response = client.get(path)
            if response.status_code >= 500:
                problems.append(f"{route.name}: GET {path} answered {response.status_code}")
                continue
            body = b"".join(response.streaming_content) if response.streaming else response.content
            text = body.decode("utf-8", "ignore") if response.get("Content-Type", "").startswith(("text/", "application/json")) else ""
            problems += [f"{route.name}: GET {path} shows “{t}”" for t in forbidden_texts if t in text]
    return problems


def api_leak_problems(
    client: Client,
    api: Any,
    samples: dict[str, Callable[[], dict[str, Any]]],
    *,
    forbidden_texts: list[str],
    headers: dict[str, str] | None = None,
) -> list[str]:
    problems = []
    for method, path, _operation in api_operations(api):
        params = [m.group(1) for m in re.finditer(r"{(\w+)}", path)]
        key = f"{method} {path}"
        if params:
            if key not in samples:
                problems.append(f"{key}: no sample record in API_SAMPLES — add one so this operation is walked")
                continue
            params = dict(samples[key]())
            query = params.pop("?", "")  # as for the pages: the other county may be named in the query string
            url = path.format(**params) + (f"?{query}" if query else "")
            status = client.generic(method, url, headers=headers or {}).status_code
            if status != 404:
                problems.append(f"{key}: {url} answered {status}, expected 404")
        elif method == "GET":
            response = client.get(path, headers=headers or {})
            if response.status_code >= 500:
                problems.append(f"{key}: answered {response.status_code}")
                continue
            text = response.content.decode("utf-8", "ignore")
            problems += [f"{key}: shows “{t}”" for t in forbidden_texts if t in text]
    return problems
