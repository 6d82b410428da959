"""Work done once before a web process answers its first request, so that no visitor pays for it."""

from __future__ import annotations

import gc
from pathlib import Path

from django.template import Engine
from django.urls import get_resolver


def template_names() -> list[str]:
    """Every template of the project's template folders and of each installed app."""
    names: set[str] = set()
    for loader in Engine.get_default().template_loaders:
        for folder in getattr(loader, "get_dirs", list)():  # the file-system and app loaders have it
            root = Path(folder)
            if root.is_dir():
                names.update(str(path.relative_to(root)) for path in root.rglob("*.html"))
                names.update(str(path.relative_to(root)) for path in root.rglob("*.txt"))
    return sorted(names)


def ready_for_requests() -> int:
    """Load the URL conf, compile every template into the cached loader, then move what was
    built out of the garbage collector's reach. Returns how many templates were compiled.

    Without it the first requests of each worker compile the templates they use (over 100 ms
    for the case list) and every later full collection scans those long-lived objects again."""
    get_resolver().url_patterns  # noqa: B018  # importing every view module is the point
    engine = Engine.get_default()
    compiled = 0
    for name in template_names():
        engine.get_template(name)  # a template that does not compile stops start-up, loudly
        compiled += 1
    gc.collect()
    gc.freeze()
    return compiled
