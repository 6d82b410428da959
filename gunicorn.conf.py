"""gunicorn settings for Safeguard, read automatically when gunicorn starts in this folder.

No access log is configured, on purpose: anonymous reporters' addresses must never be recorded.
"""

import os

worker_class = "gthread"
workers = int(os.environ.get("SAFEGUARD_WEB_WORKERS", "2"))
threads = int(os.environ.get("SAFEGUARD_WEB_THREADS", "4"))
# Load the application once in the master: workers start at once and share its memory.
preload_app = True
worker_tmp_dir = "/dev/shm"  # noqa: S108 - heartbeat files on shared memory, not disk
graceful_timeout = 10
loglevel = "warning"
accesslog = None


def when_ready(server: object) -> None:
    # Compile every template once in the master (workers inherit them), then move the objects
    # created while loading the app, which live for the whole process, out of the collector's
    # reach so that no worker scans them again and again (decision 181).
    from safeguard.core.warmup import ready_for_requests

    ready_for_requests()
