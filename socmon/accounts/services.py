"""Changes a person makes to their own account: atomic, audited."""

from django.db import transaction

from socmon.audit.actions import AuditAction
from socmon.audit.services import record_event

from .models import User


@transaction.atomic
def change_own_password(*, by: User, password: str) -> User:
    """`by` sets their own new password (already checked by the form: current password, validators).

    Ends a temporary password's "must change" state in the same write. The caller keeps the current session
    (allauth updates its hash); every other session of the person ends with the old password's hash."""
    user = User.objects.select_for_update().get(pk=by.pk)
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    by.password, by.must_change_password = user.password, False
    record_event(by=by, action=AuditAction.PASSWORD_CHANGED, target=user)
    return user
