"""Test configuration, loaded as a pytest plugin (``-p safeguard.testing.env``) so that it is in
place before pytest-django reads the settings. Real deployments set these themselves."""

import base64
import os

os.environ.setdefault("SAFEGUARD_SECRET_KEY", "test-secret-key-not-for-production-0123456789")
os.environ.setdefault("SAFEGUARD_FIELD_KEYS", "t1:" + base64.b64encode(b"k" * 32).decode())
os.environ.setdefault("SAFEGUARD_BLIND_INDEX_KEY", base64.b64encode(b"b" * 32).decode())
os.environ.setdefault("SAFEGUARD_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("SAFEGUARD_SECURE_COOKIES", "0")
os.environ.setdefault("SAFEGUARD_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "var", "test"))
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
