from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A staff account. Clients have no login (they rate visits through the code they keep)."""

    language = models.CharField(_("interface language"), max_length=8, blank=True)
    # Set with a temporary password an administrator made (socmon.orgs.services.reset_password); every page
    # then sends the person to change it (PasswordChangeRequiredMiddleware) until they have.
    must_change_password = models.BooleanField(_("must change password at next sign-in"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    WORKER = "worker", _("Social worker")
    HEAD = "head", _("Department head")
    DIRECTOR = "director", _("Institution director")
    SPECIALIST = "specialist", _("Monitoring specialist")
    ANALYST = "analyst", _("Analyst")
    EVALUATOR = "evaluator", _("External evaluator")
    ADMIN = "admin", _("Administrator")


class Membership(models.Model):
    """A user holds a role at an org unit; the role's reach is that unit's subtree."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name=_("user"))
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="memberships",
                                 verbose_name=_("organisation unit"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "org_unit", "role"], name="membership_unique_role_at_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.org_unit}"
