"""Names stored in several languages (data, not UI strings: service kinds, org levels)."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


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
        language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        return self.name_i18n.get(language) or self.name
