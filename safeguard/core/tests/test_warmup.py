import gc

from django.template import Engine
from django.template.loaders.cached import Loader as CachedLoader

from safeguard.core.warmup import ready_for_requests, template_names


def test_every_template_is_compiled_before_the_first_request() -> None:
    names = template_names()
    assert "portal/audit_log.html" in names
    assert "cases/list.html" in names
    try:
        compiled = ready_for_requests()
        assert compiled == len(names)
        assert gc.get_freeze_count() > 0
        cached = Engine.get_default().template_loaders[0]
        assert isinstance(cached, CachedLoader)
        # The cached loader answers from memory: every template is in its cache.
        assert set(names) <= set(cached.get_template_cache)
    finally:
        gc.unfreeze()
