"""Reads for the case fragment on the client page, which the clients app renders without case data."""

from django import template

from ..access import can_open_case_for
from ..selectors import cases_for_client

register = template.Library()


@register.simple_tag
def cases_of(user, client):
    return cases_for_client(user, client)


@register.simple_tag
def may_open_case(user, client) -> bool:
    return can_open_case_for(user, client)
