"""Every write analytics makes, by concern; re-exports the names used outside analytics (``bench/``)."""

from safeguard.analytics.services.entities import entity_index

__all__ = ["entity_index"]
