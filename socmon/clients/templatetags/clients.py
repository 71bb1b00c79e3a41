from django import template

from socmon.clients.units import with_parent as _with_parent

register = template.Library()


@register.filter
def with_parent(name: str, parent: str | None) -> str:
    """`{{ unit.name|with_parent:unit.parent_name }}`: "Home Care · Riverside Centre" in a list of units."""
    return _with_parent(name, parent)
