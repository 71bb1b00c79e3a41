from django.db import models
from django.utils.translation import gettext_lazy as _

from socmon.lib.i18n import TranslatedNameMixin


class ClientCategory(TranslatedNameMixin):
    """A group of people served (R-2.3): disability group I/II/III, elderly unable to self-care, …"""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("client category")
        verbose_name_plural = _("client categories")


class ServiceKind(TranslatedNameMixin):
    """A service from the catalogue with its standard time norm (R-2.3, R-3.3)."""

    class Domain(models.TextChoices):
        HOUSEHOLD = "household", _("Household")
        PSYCHOLOGICAL = "psychological", _("Psychological")
        PEDAGOGICAL = "pedagogical", _("Pedagogical")
        LABOUR = "labour", _("Labour")
        CULTURAL = "cultural", _("Cultural and leisure")
        LEGAL = "legal", _("Legal")
        MEDICAL_SOCIAL = "medical_social", _("Medical and social")
        ECONOMIC = "economic", _("Economic")
        COMMUNICATIVE = "communicative", _("Communicative")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    domain = models.CharField(_("kind"), max_length=20, choices=Domain.choices)
    norm_minutes = models.PositiveSmallIntegerField(_("standard time (minutes)"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["domain", "code"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.CheckConstraint(condition=models.Q(norm_minutes__gt=0, norm_minutes__lte=480),
                                   name="service_norm_minutes_in_range"),
        ]
