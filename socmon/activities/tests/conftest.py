import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Photos go to a folder of the test's own, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
