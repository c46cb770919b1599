import pytest


@pytest.fixture(autouse=True)
def _no_report_cache(settings):
    settings.SAFEPATH_REPORT_CACHE_SECONDS = 0
