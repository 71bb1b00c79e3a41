"""Checking and cleaning an uploaded photo: by its content (Pillow), never by its name or declared type.

A file is accepted only if Pillow reads it as a JPEG, PNG or WebP picture no larger than the settings allow.
It is then re-encoded as a new JPEG from its pixels alone: EXIF (the phone's position, its serial number),
XMP, comments and anything hidden after the picture are left behind. The orientation EXIF gave is applied to
the pixels first, so the photo still stands the right way up.
"""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    width: int
    height: int


def _error(message: str, code: str) -> ValidationError:
    return ValidationError({"photo": ValidationError(message, code=code)})


def too_large_message() -> str:
    from django.template.defaultfilters import filesizeformat

    return _("The photo is too large: choose one under %(size)s.") % {
        "size": filesizeformat(settings.SOCMON_PHOTO_MAX_BYTES)}


def clean_photo(upload) -> CleanPhoto:
    from PIL import Image, ImageOps, UnidentifiedImageError

    max_bytes = settings.SOCMON_PHOTO_MAX_BYTES
    max_pixels = settings.SOCMON_PHOTO_MAX_PIXELS
    if upload.size > max_bytes:
        raise _error(too_large_message(), "photo_too_large")
    not_a_photo = _error(_("This file is not a photo. Choose a JPEG, PNG or WebP picture."), "photo_not_image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise not_a_photo
                width, height = probe.size
                if max(width, height) > max_pixels:
                    raise _error(_("The photo is too large: its longer side may be at most %(pixels)s pixels.")
                                 % {"pixels": max_pixels}, "photo_too_many_pixels")
                probe.verify()
            upload.seek(0)
            with Image.open(upload) as picture:
                picture.load()
                upright = ImageOps.exif_transpose(picture)
                if upright.mode in ("RGBA", "LA", "P"):
                    background = Image.new("RGB", upright.size, "white")
                    rgba = upright.convert("RGBA")
                    background.paste(rgba, mask=rgba.getchannel("A"))
                    upright = background
                else:
                    upright = upright.convert("RGB")
                out = io.BytesIO()
                upright.save(out, format="JPEG", quality=85, optimize=True)  # no exif=: none is written
                return CleanPhoto(out.getvalue(), upright.width, upright.height)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        raise not_a_photo from None
