"""gunicorn settings for Safeguard, read automatically when gunicorn starts in this folder.

No access log is configured, on purpose: anonymous reporters' addresses must never be recorded.
"""

import gc
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
    # Objects created while loading the app live for the whole process; moving them out of the
    # collector's reach saves every worker from scanning them again and again.
    gc.freeze()
