from django.conf import settings
from django.db import models
from django.utils import timezone


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
