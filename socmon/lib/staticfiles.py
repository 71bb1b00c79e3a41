"""How collected static files are stored for production and the demo (settings.STORAGES)."""

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed, compressed copies; JavaScript is copied as it is.

    The vendored scripts (Leaflet, the barcode reader) name source maps their packages do not ship: rewriting
    those references would stop collectstatic, and a browser only asks for a map when its developer tools
    are open. CSS keeps Django's rewriting, so the images and fonts it names get their hashed names.
    """

    patterns = tuple((glob, rules) for glob, rules in ManifestStaticFilesStorage.patterns if glob != "*.js")
