"""Dates inside sentences: `{{ day|in_text:"l, j E Y" }}` (names in the case the language wants mid-sentence)
and `{{ sentence|one_full_stop }}` (a sentence ending in "2026 г." gets no second full stop)."""

from django import template

from socmon.lib import dates

register = template.Library()


@register.filter
def in_text(day, format="DATE_FORMAT"):
    return dates.in_text(day, format) if day else ""


@register.filter
def one_full_stop(text):
    return dates.one_full_stop(str(text))
