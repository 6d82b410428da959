"""Configuration from the environment: clear one-line errors for what is missing or malformed."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from safeguard.config import ConfigError, Environment

KEY = base64.b64encode(b"k" * 32).decode()
ROOT = Path(__file__).resolve().parents[3]


def test_a_required_secret_names_both_variables() -> None:
    with pytest.raises(ConfigError, match=r"^Set SAFEGUARD_SECRET_KEY \(or SAFEGUARD_SECRET_KEY_FILE\)"):
        Environment({}).string("SECRET_KEY", secret=True)


def test_a_secret_can_come_from_a_file(tmp_path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    assert (
        Environment({"SAFEGUARD_SECRET_KEY_FILE": str(secret)}).string("SECRET_KEY", secret=True)
        == "from-a-file"
    )


def test_an_unreadable_secret_file_is_named(tmp_path) -> None:
    with pytest.raises(ConfigError, match=r"SAFEGUARD_SECRET_KEY_FILE points at .*missing"):
        Environment({"SAFEGUARD_SECRET_KEY_FILE": str(tmp_path / "missing")}).string(
            "SECRET_KEY", secret=True
        )


def test_a_value_and_its_file_together_are_refused(tmp_path) -> None:
    env = Environment({"SAFEGUARD_SECRET_KEY": "a", "SAFEGUARD_SECRET_KEY_FILE": str(tmp_path)})
    with pytest.raises(ConfigError, match="either SAFEGUARD_SECRET_KEY or SAFEGUARD_SECRET_KEY_FILE"):
        env.string("SECRET_KEY", secret=True)


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("true", True), ("ON", True), ("0", False), ("no", False)]
)
def test_booleans(value, expected) -> None:
    assert Environment({"SAFEGUARD_DEBUG": value}).boolean("DEBUG", False) is expected


def test_a_bad_boolean_says_what_is_accepted() -> None:
    with pytest.raises(ConfigError, match="SAFEGUARD_DEBUG must be true or false, not 'maybe'"):
        Environment({"SAFEGUARD_DEBUG": "maybe"}).boolean("DEBUG", False)


def test_a_bad_number_is_named() -> None:
    with pytest.raises(ConfigError, match="SAFEGUARD_SESSION_IDLE_MINUTES must be a whole number"):
        Environment({"SAFEGUARD_SESSION_IDLE_MINUTES": "ten"}).integer("SESSION_IDLE_MINUTES", 30)
    with pytest.raises(ConfigError, match="at least 1"):
        Environment({"SAFEGUARD_SESSION_IDLE_MINUTES": "0"}).integer("SESSION_IDLE_MINUTES", 30, minimum=1)


def test_field_keys_keep_their_order_the_first_encrypts() -> None:
    keys = Environment({"SAFEGUARD_FIELD_KEYS": f"new:{KEY}, old:{KEY}"}).field_keys()
    assert list(keys) == ["new", "old"]
    assert keys["new"] == b"k" * 32


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("nokeyid", "must be 'id:base64key"),
        (f"bad-id:{KEY}", "alphanumeric ids"),
        ("k1:not base64!", "must be base64"),
        ("k1:" + base64.b64encode(b"short").decode(), "must decode to 32 bytes"),
    ],
)
def test_malformed_field_keys_are_explained(value, message) -> None:
    with pytest.raises(ConfigError, match=message):
        Environment({"SAFEGUARD_FIELD_KEYS": value}).field_keys()


def run_check(**overrides: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("SAFEGUARD_")}
    env["SAFEGUARD_ENV_FILE"] = os.devnull
    env.update(
        {
            "SAFEGUARD_SECRET_KEY": "s" * 40,
            "SAFEGUARD_FIELD_KEYS": f"k1:{KEY}",
            "SAFEGUARD_BLIND_INDEX_KEY": KEY,
            "SAFEGUARD_DATABASE_URL": "sqlite:///:memory:",
        }
    )
    env.update(overrides)
    env = {key: value for key, value in env.items() if value != ""}
    return subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_start_up_succeeds_with_a_complete_configuration() -> None:
    result = run_check()
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"SAFEGUARD_SECRET_KEY": ""},
            "Configuration error: Set SAFEGUARD_SECRET_KEY (or SAFEGUARD_SECRET_KEY_FILE)",
        ),
        ({"SAFEGUARD_SECRET_KEY": "short"}, "SAFEGUARD_SECRET_KEY must be at least 32 characters"),
        ({"SAFEGUARD_FIELD_KEYS": ""}, "Set SAFEGUARD_FIELD_KEYS"),
        ({"SAFEGUARD_DEBUG": "perhaps"}, "SAFEGUARD_DEBUG must be true or false"),
        ({"SAFEGUARD_DATABASE_URL": "nosuchdb://x"}, "SAFEGUARD_DATABASE_URL is not a database URL"),
    ],
)
def test_bad_configuration_stops_start_up_with_one_clear_line(overrides, message) -> None:
    result = run_check(**overrides)

    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert message in result.stderr


def test_manage_py_reads_the_local_env_file_without_overriding_the_environment(tmp_path) -> None:
    env_file = tmp_path / "safeguard.env"
    env_file.write_text(f"SAFEGUARD_SECRET_KEY={'f' * 40}\nSAFEGUARD_DEBUG=perhaps\nOTHER=ignored\n")

    from_file = run_check(SAFEGUARD_ENV_FILE=str(env_file), SAFEGUARD_SECRET_KEY="")
    overridden = run_check(SAFEGUARD_ENV_FILE=str(env_file), SAFEGUARD_DEBUG="0")

    assert from_file.returncode == 2
    assert "SAFEGUARD_DEBUG must be true or false, not 'perhaps'" in from_file.stderr
    assert overridden.returncode == 0, overridden.stderr


def test_every_variable_the_code_reads_is_documented() -> None:
    # Settings read names without the prefix (env.integer("RETENTION_DAYS", …)); scripts spell it out.
    root = Path(__file__).resolve().parents[3]
    settings_source = (root / "safeguard" / "settings.py").read_text()
    names = {f"SAFEGUARD_{name}" for name in re.findall(r'env\.\w+\(\s*"([A-Z0-9_]+)"', settings_source)}
    for script in ("manage.py", "gunicorn.conf.py", "bin/serve", "bin/make-env"):
        names |= set(re.findall(r"SAFEGUARD_[A-Z0-9_]+", (root / script).read_text()))
    names -= {name for name in names if name.endswith("_FILE") and name != "SAFEGUARD_ENV_FILE"}
    documented = (root / "docs" / "configuration.md").read_text()
    # Grouped rows name siblings by suffix: `SAFEGUARD_EMAIL_HOST`, `_PORT`, …
    missing = sorted(
        name
        for name in names
        if f"`{name}`" not in documented and f"`_{name.split('_', 2)[-1]}`" not in documented
    )
    assert len(names) > 30
    assert missing == []
