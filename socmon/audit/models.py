from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .actions import AuditAction


class AuditEvent(models.Model):
    """Append-only record of who changed what. Services write one per change; nothing updates them."""

    class ActorKind(models.TextChoices):
        USER = "user", _("person")
        # A scheduled job (nightly planning, missed visits): no person pressed a button.
        SYSTEM = "system", _("system")
        # Someone holding a client's rating code on the public page: no account.
        PUBLIC = "public", _("client's code")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              related_name="+", verbose_name=_("who"))
    actor_kind = models.CharField(_("acted as"), max_length=10, choices=ActorKind.choices, default=ActorKind.USER)
    action = models.CharField(_("action"), max_length=60, choices=AuditAction.choices)
    target_type = models.CharField(_("record type"), max_length=60)
    target_id = models.CharField(_("record"), max_length=40)
    # The org-unit path the record belongs to, so the trail itself can be scoped by subtree.
    org_path = models.CharField(max_length=255, blank=True, db_index=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        constraints = [
            # A person's event names the person; the system's and the public's name nobody.
            models.CheckConstraint(
                condition=Q(actor_kind="user", actor__isnull=False) | (~Q(actor_kind="user") & Q(actor=None)),
                name="audit_actor_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_type}#{self.target_id}"

    @property
    def actor_label(self) -> str:
        if self.actor_kind == self.ActorKind.USER:
            return str(self.actor)
        return str(self.get_actor_kind_display())
