"""What an app declares for the site shell: menu entries and dashboard panels.

An app adds menu entries by defining ``ITEMS`` in its ``navigation`` module, and dashboard
panels by defining ``panels(request) -> list[Panel]`` in its ``dashboard`` module. Each entry
names the ``access`` action a user needs to see it. ``safeguard.portal`` collects them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The pseudo-action of pages only platform administrators see (they hold no organisation role).
PLATFORM_ADMIN = "platform.admin"


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    action: str
    order: int = 100


@dataclass(frozen=True)
class Panel:
    title: Any
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100
