from django.db import models

from .models import AuditEvent


def record_event(*, by, action: str, target: models.Model, org_path: str = "", **detail) -> AuditEvent:
    """Write one audit event for a change `by` made to `target`."""
    return AuditEvent.objects.create(
        actor=by if by and by.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        org_path=org_path,
        detail=detail,
    )
