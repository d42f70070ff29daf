"""{{ fine.amount|money:fine.currency }}: the display side of casework.money."""

from django import template

from casework.money import format_money

register = template.Library()


@register.filter
def money(amount, currency: str = "KZT") -> str:
    return format_money(amount, currency)
