"""Web pages by concern: ``public`` (report and follow-up), ``triage`` (the queue and a report's
page), ``escalation`` (to law enforcement and the liaison's pages), ``admin`` (routing rules,
partner channels) and ``notifications``. Views validate and call one service."""
