from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UsedFormKey(models.Model):
    """The one-time key of a form whose write was stored (socmon.lib.forms.once_per_form_key).

    Written in the same transaction as the write itself, so a form sent twice (an answer lost on a dropped
    connection, a double click, a reload) stores once; `url` is where the first sending led."""

    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    url = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return self.key


class Holiday(models.Model):
    """A public holiday: not a working day for deadlines (socmon.lib.dates.add_working_days). Without a unit it
    holds in the whole country; with one, only in that unit's subtree (a regional holiday). Reference data,
    kept by administrators in the Django admin."""

    date = models.DateField(_("date"), db_index=True)
    name = models.CharField(_("name"), max_length=200)
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+", verbose_name=_("only in"),
                                 help_text=_("Leave empty for a holiday in the whole country."))

    class Meta:
        ordering = ["date"]
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        constraints = [models.UniqueConstraint(fields=["date", "org_unit"], name="lib_holiday_once_per_unit"),
                       models.UniqueConstraint(fields=["date"], condition=models.Q(org_unit=None),
                                               name="lib_holiday_once_nationally")]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}"
