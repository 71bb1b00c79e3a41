from socmon.catalogue.models import ClientCategory, ServiceKind


def services_by_domain(*, include_inactive: bool = False) -> list[tuple[str, list[ServiceKind]]]:
    """Services grouped by their kind (domain), in the order of ServiceKind.Domain, with the kind's label."""
    services = ServiceKind.objects.all() if include_inactive else ServiceKind.objects.filter(is_active=True)
    groups: dict[str, list[ServiceKind]] = {}
    for service in services.order_by("domain", "name"):
        groups.setdefault(service.domain, []).append(service)
    return [(label, groups[value]) for value, label in ServiceKind.Domain.choices if value in groups]


def active_categories():
    return ClientCategory.objects.filter(is_active=True)
