import pytest


@pytest.fixture(autouse=True)
def _no_report_cache(settings):
    """Each test sees its own records: the dashboard's cache of closed periods is off unless a
    test turns it on."""
    settings.SAFEPATH_REPORT_CACHE_SECONDS = 0
