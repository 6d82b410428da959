"""Writes of family tracing, one module per concern: ``requests`` (tracing requests and their
actions), ``enquiries``, ``matches`` and ``reunification`` (best-interest assessment,
reunification, visits after it). Every service is keyword-only, checks the actor's permission
and reach itself, validates with ``full_clean()``, runs in one transaction and writes a timeline
event on the child's case (or, for an enquiry, an audit event)."""
