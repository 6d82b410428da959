"""Signals other apps may subscribe to; intake never imports them.

``report_received`` is sent once per report, after the transaction that stored it has
committed, with ``report_id``. Receivers run in the background task ``intake.tasks.report_follow_up``
that is enqueued together with the report (with the database task backend, in the same
transaction), so within seconds of the report, not in the request. Anything slow should still
enqueue a task of its own.
"""

from django.dispatch import Signal

report_received = Signal()  # kwargs: report_id
