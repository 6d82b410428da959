"""Role-aware navigation and dashboard panels, collected from every app.

Each app declares ``ITEMS`` in its ``navigation`` module and ``panels(request)`` in its
``dashboard`` module (see ``safeguard.core.navigation``); this module gathers them for a user.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import import_module
from types import ModuleType
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from safeguard.accounts.access import actor_for
from safeguard.core.navigation import PLATFORM_ADMIN, NavItem, Panel


def _app_modules(name: str) -> list[ModuleType]:
    # A plug-in point, not an optional app: apps without menu entries have no such module.
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("safeguard."):
            continue
        try:
            found.append(import_module(f"{config.name}.{name}"))
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.{name}":
                raise
    return found


@cache
def all_items() -> list[NavItem]:
    items = [item for module in _app_modules("navigation") for item in getattr(module, "ITEMS", [])]
    return sorted(items, key=lambda item: item.order)


@cache
def panel_providers() -> list[Callable[[HttpRequest], list[Panel]]]:
    return [module.panels for module in _app_modules("dashboard") if hasattr(module, "panels")]


def items_for(request: HttpRequest) -> list[dict[str, Any]]:
    actor = actor_for(request)
    return [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "active": request.path.startswith(reverse(item.url_name)),
        }
        for item in all_items()
        if actor.can(item.action) or (item.action == PLATFORM_ADMIN and actor.user.is_platform_admin)
    ]


def panels_for(request: HttpRequest) -> list[Panel]:
    panels = [panel for provider in panel_providers() for panel in provider(request)]
    return sorted(panels, key=lambda panel: panel.order)


ITEMS = [
    NavItem(_("Dashboard"), "portal:dashboard", "dashboard.view", order=0),
    NavItem(_("Audit log"), "portal:audit", "audit.view", order=900),
    NavItem(_("Platform audit log"), "portal:platform_audit", PLATFORM_ADMIN, order=905),
]
