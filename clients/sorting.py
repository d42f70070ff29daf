"""Lists of any app sorted by a column header. The choice travels in the URL as `sort=key`
(ascending) or `sort=-key` (descending); anything else falls back to the list's default, so
an edited or stale link never breaks the page."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F


@dataclass(frozen=True)
class Column:
    """What a column header needs: its aria-sort value and the sort its link asks for."""

    aria: str
    next: str


@dataclass(frozen=True)
class Sorted:
    """The sort chosen for one request: its URL value, the ordering, and every header."""

    value: str
    ordering: list
    columns: dict[str, Column]


@dataclass(frozen=True)
class Sorting:
    """A list's sortable columns: the key in the URL and the fields it orders by, first
    field first. Nullable fields sort their empty values last either way; the primary key
    breaks ties in the same direction, so paging is stable and an index can serve it."""

    columns: dict[str, tuple[str, ...]]
    default: str
    nullable: frozenset[str] = field(default_factory=frozenset)

    def choose(self, value: str | None) -> Sorted:
        value = value if self._known(value) else self.default
        key = value.removeprefix("-")
        descending = value.startswith("-")
        ordering = [self._order(name, descending) for name in (*self.columns[key], "pk")]
        headers = {}
        for column in self.columns:
            if column != key:
                headers[column] = Column("none", column)
            elif descending:
                headers[column] = Column("descending", column)
            else:
                headers[column] = Column("ascending", f"-{column}")
        return Sorted(value, ordering, headers)

    def _known(self, value: str | None) -> bool:
        return bool(value) and value.removeprefix("-") in self.columns

    def _order(self, name: str, descending: bool):
        if name in self.nullable:
            return F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
        return f"-{name}" if descending else name
