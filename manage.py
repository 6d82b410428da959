#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from pathlib import Path

# The local installation's settings written by `make demo`; variables already set win.
ENV_FILE = Path(
    os.environ.get("SAFEGUARD_ENV_FILE", Path(__file__).resolve().parent / "var" / "safeguard.env")
)


def load_env_file() -> None:
    if not ENV_FILE.is_file():
        return
    for line in ENV_FILE.read_text(encoding="utf-8").splitlines():
        key, separator, value = line.strip().partition("=")
        if separator and key.startswith("SAFEGUARD_"):
            os.environ.setdefault(key, value)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    load_env_file()
    from django.core.management import execute_from_command_line

    from safeguard.config import ConfigError

    try:
        execute_from_command_line(sys.argv)
    except ConfigError as error:
        sys.stderr.write(f"Configuration error: {error}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
