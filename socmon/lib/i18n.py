"""Names stored in several languages (data, not UI strings: service kinds, org levels)."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def translated_name(name: str, names: dict | None, language: str | None = None) -> str:
    """`names[language]` (the active language by default), or `name` when that translation is blank."""
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return (names or {}).get(language) or name


class TranslatedNameMixin(models.Model):
    """`name` is the fallback; `name_i18n` holds {"ru": "...", "kk": "..."} per language code."""

    name = models.CharField(_("name"), max_length=200)
    name_i18n = models.JSONField(_("name in other languages"), default=dict, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return translated_name(self.name, self.name_i18n)
