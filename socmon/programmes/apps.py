from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "socmon.programmes"
    label = "programmes"
    verbose_name = _("Programmes and M&E plans")
