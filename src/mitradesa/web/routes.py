"""The app's routes as a flat list (FastAPI nests included routers lazily)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts


@dataclass(frozen=True)
class RouteInfo:
    path: str
    name: str
    methods: frozenset[str]


def all_routes(app: FastAPI) -> list[RouteInfo]:
    routes = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        methods = getattr(route, "methods", None)
        if methods is None or context.path is None:
            continue  # mounts (static files)
        routes.append(RouteInfo(context.path, route.name, frozenset(methods) - {"HEAD"}))
    return routes
