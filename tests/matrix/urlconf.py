"""Every URL pattern the project serves, found by walking the root URLconf (includes and all)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    """One URL pattern: ``key`` is its namespaced name, or ``route:<pattern>`` when it has none."""

    key: str
    route: str
    name: str | None
    params: frozenset[str] = frozenset()


def _walk(
    patterns: Sequence[URLPattern | URLResolver], prefix: str, namespace: str | None, prefix_params: frozenset[str]
) -> Iterator[Route]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part) or None
            own = frozenset(pattern.pattern.regex.groupindex)
            yield from _walk(pattern.url_patterns, route, inner, prefix_params | own)
            continue
        name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
        params = prefix_params | frozenset(pattern.pattern.regex.groupindex)
        yield Route(key=name or f"route:{route}", route=route, name=name, params=params)


def url_routes() -> list[Route]:
    """Every pattern, in URLconf order. A name used twice is keyed by name and route the second time,
    so neither pattern can hide behind the other's expectation."""
    seen: set[str] = set()
    routes = []
    for found in _walk(get_resolver().url_patterns, "/", None, frozenset()):
        if found.key in seen:
            found = Route(key=f"{found.key}@{found.route}", route=found.route, name=found.name, params=found.params)
        seen.add(found.key)
        routes.append(found)
    return routes
