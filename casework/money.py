"""Amounts of money as a Russian-speaking reader writes them: "43 250,00 ₸"."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# The currencies Casework meets, by ISO code; any other prints its code.
SYMBOLS = {
    "KZT": "₸",
    "RUB": "₽",
    "KGS": "сом",
    "UZS": "сўм",
    "TJS": "сомони",
    "USD": "$",
    "EUR": "€",
}

# A non-breaking space keeps "43 250,00 ₸" on one line in a letter and in a table cell.
NBSP = "\u00a0"


def format_money(amount, currency: str = "KZT") -> str:
    """Thousands grouped by a non-breaking space, a comma before the kopecks, then the
    currency's symbol (or its code when it has none): "43 250,00 ₸". Empty for no amount."""
    if amount is None or amount == "":
        return ""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    whole, fraction = f"{abs(value):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    code = (currency or "").upper()
    symbol = SYMBOLS.get(code, code)
    number = f"{sign}{NBSP.join(groups)},{fraction}"
    return f"{number}{NBSP}{symbol}" if symbol else number
