"""Changes to the shared catalogue: atomic, by a named administrator, audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from socmon.accounts.models import User
from socmon.audit.actions import AuditAction
from socmon.audit.services import record_event

from .access import may_manage_catalogue
from .models import ServiceKind

FIELDS = ["domain", "name", "name_i18n", "code", "norm_minutes", "is_active"]


def _check(by: User, norm_minutes: int) -> None:
    if not may_manage_catalogue(by):
        raise PermissionDenied
    if not 1 <= norm_minutes <= 480:
        raise ValidationError(_("The standard time must be between 1 and 480 minutes."), code="norm_range")


@transaction.atomic
def create_service_kind(*, by: User, domain: str, name: str, name_i18n: dict, code: str, norm_minutes: int,
                        is_active: bool = True) -> ServiceKind:
    _check(by, norm_minutes)
    service = ServiceKind.objects.create(domain=domain, name=name, name_i18n=name_i18n, code=code,
                                         norm_minutes=norm_minutes, is_active=is_active)
    record_event(by=by, action=AuditAction.SERVICE_KIND_CREATED, target=service, code=code, norm_minutes=norm_minutes)
    return service


@transaction.atomic
def update_service_kind(*, by: User, service: ServiceKind, domain: str, name: str, name_i18n: dict, code: str,
                        norm_minutes: int, is_active: bool) -> ServiceKind:
    _check(by, norm_minutes)
    before = service.norm_minutes
    service.domain, service.name, service.name_i18n, service.code = domain, name, name_i18n, code
    service.norm_minutes, service.is_active = norm_minutes, is_active
    service.save(update_fields=FIELDS)
    record_event(by=by, action=AuditAction.SERVICE_KIND_UPDATED, target=service, code=code, norm_minutes=norm_minutes,
                 norm_minutes_before=before)
    return service
