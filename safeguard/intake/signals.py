"""Signals other apps may subscribe to; intake never imports them.

``report_received`` is sent once per report, after the transaction that stored it has
committed, with ``report_id``. Receivers run in the request (or task) that stored the report,
so anything slow should enqueue a task.
"""

from django.dispatch import Signal

report_received = Signal()  # kwargs: report_id
