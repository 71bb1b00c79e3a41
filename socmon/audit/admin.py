from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    # `action` has choices, so the list shows its translated label; `who` says "system" for a job.
    list_display = ["at", "who", "action", "target_type", "target_id"]
    list_filter = ["action", "actor_kind"]

    @admin.display(description=_("who"), ordering="actor")
    def who(self, event: AuditEvent) -> str:
        return event.actor_label

    # The trail is append-only, in the admin too.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
