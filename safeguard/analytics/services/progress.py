"""How batch services report progress: a callback of (phase, percent) for status pages and commands."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int], None]  # (phase, percent)


def no_progress(phase: str, percent: int) -> None:
    return None
