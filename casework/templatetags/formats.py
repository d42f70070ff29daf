"""Template side of casework.formats: {{ total|grouped }} for counts, {{ days|how_soon }}."""

from django import template

from casework import formats

register = template.Library()


@register.filter
def grouped(value) -> str:
    """A count with grouped thousands; anything not a number passes through unchanged."""
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    return formats.grouped(value)


@register.filter
def how_soon(days) -> str:
    return "" if days is None else formats.how_soon(days)
