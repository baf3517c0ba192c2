import pytest


@pytest.fixture(autouse=True)
def throttle_counts_of_this_test_only(settings):
    """A fresh in-memory cache per test: DRF's throttles count requests in the default cache,
    which is a folder under var/ shared by every run, so repeated runs would meet 429s."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "api-tests",
        }
    }
    from django.core.cache import cache

    cache.clear()
