from dataclasses import dataclass

from django.db import models

from .actions import AuditAction
from .models import AuditEvent


@dataclass(frozen=True)
class Actor:
    """Who acts when no signed-in person does; pass one of the two below as `by=`."""

    kind: str


SYSTEM = Actor(AuditEvent.ActorKind.SYSTEM)  # a scheduled job
PUBLIC = Actor(AuditEvent.ActorKind.PUBLIC)  # the holder of a client's code on a public page


def record_event(*, by, action: AuditAction, target: models.Model, org_path: str = "", **detail) -> AuditEvent:
    """Write one audit event for a change `by` (a signed-in user, `SYSTEM` or `PUBLIC`) made to `target`.

    Refuses an action outside `AuditAction` and a missing actor, so a typo or a forgotten `by=` fails
    the first test that reaches the call instead of writing a trail nobody can read.
    """
    if not isinstance(action, AuditAction):
        raise TypeError(f"record_event needs an AuditAction, not {action!r}")
    if isinstance(by, Actor):
        actor, kind = None, by.kind
    elif by is not None and by.is_authenticated:
        actor, kind = by, AuditEvent.ActorKind.USER
    else:
        raise TypeError("record_event needs by= a signed-in user, SYSTEM or PUBLIC")
    return AuditEvent.objects.create(
        actor=actor, actor_kind=kind, action=action, target_type=target._meta.label_lower,
        target_id=str(target.pk), org_path=org_path, detail=detail,
    )
