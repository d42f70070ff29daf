"""{% stacked %}<table>…</table>{% endstacked %}: a table that becomes one card per row on a
phone (static/css/casework.css, `.table-cards`).

On a narrow screen the header row is out of sight, so every body cell is given the text of
its column header as `data-label`, which the stylesheet shows beside the value; headers that
sort the table stay in sight as a line of links, captioned "Sort by:" the same way. The
labels are read from the rendered header once, here, so no template repeats its headers cell
by cell and a renamed or added column cannot leave a wrong label behind."""

from html.parser import HTMLParser

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@register.tag
def stacked(parser, token):
    nodelist = parser.parse(("endstacked",))
    parser.delete_first_token()
    return StackedNode(nodelist)


class StackedNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context) -> str:
        html = label_cells(self.nodelist.render(context))
        return mark_safe(f'<div class="table-cards">{html}</div>')


def label_cells(html: str) -> str:
    """The table's HTML with `data-label="<column header>"` on each body cell. A cell that
    spans every column (the "nothing found" row), or whose column header is hidden from
    sight (a column of buttons), gets none."""
    reader = _TableReader()
    reader.feed(html)
    reader.close()
    labels = reader.column_labels()
    # HTMLParser gives positions as (line, column), counting lines by "\n" alone.
    line_starts = [0] + [i + 1 for i, char in enumerate(html) if char == "\n"]
    inserts = [
        (position, "<td", labels[first])
        for position, first, span in reader.cells
        if first < len(labels) and labels[first] and span < len(labels)
    ]
    if reader.sorts and reader.head_row_at:
        inserts.insert(0, (reader.head_row_at, "<tr", gettext("Sort by:")))
    out, done = [], 0
    for (line, column), tag, label in inserts:
        at = line_starts[line - 1] + column + len(tag)
        out += [html[done:at], f' data-label="{escape(label)}"']
        done = at
    out.append(html[done:])
    return "".join(out)


class _TableReader(HTMLParser):
    """Collects the header rows' cells (text, column and row spans) and the position and
    column of every `<td>` in the body."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.section = ""
        self.head_rows: list[list[tuple[str, int, int]]] = []
        self.cells: list[tuple[tuple[int, int], int, int]] = []  # position, column, colspan
        self.column = 0
        self.header: list[str] | None = None  # text of the header cell being read
        self.open: list[bool] = []  # inside a header cell: elements read (False: hidden)
        self.span = (1, 1)
        self.head_row_at: tuple[int, int] | None = None  # position of the first header row
        self.sorts = False  # a header cell holds a link (to sort by its column)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("thead", "tbody", "tfoot"):
            self.section = tag
        elif tag == "tr":
            self.column = 0
            if self.section == "thead":
                self.head_rows.append([])
                self.head_row_at = self.head_row_at or self.getpos()
        elif tag in ("th", "td"):
            span = _number(attrs.get("colspan")), _number(attrs.get("rowspan"))
            if self.section == "thead":
                self.header, self.open, self.span = [], [], span
            elif tag == "td" and "data-label" not in attrs:
                self.cells.append((self.getpos(), self.column, span[0]))
            self.column += span[0]
        elif self.header is not None and tag not in VOID:
            self.sorts = self.sorts or (tag == "a" and "href" in attrs)
            hidden = (
                "true" == attrs.get("aria-hidden")
                or "visually-hidden" in (attrs.get("class") or "").split()
            )
            self.open.append(not hidden)

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self.header is not None:
            text = " ".join("".join(self.header).split())
            self.head_rows[-1].append((text, *self.span))
            self.header = None
        elif self.header is not None and self.open:
            self.open.pop()
        elif tag in ("thead", "tbody", "tfoot"):
            self.section = ""

    def handle_data(self, data):
        if self.header is not None and all(self.open):
            self.header.append(data)

    def column_labels(self) -> list[str]:
        """One label per column: the headers above it, top row first (a group header and
        its own, as in "Reported · detained")."""
        grid: list[list[str | None]] = [[] for _ in self.head_rows]
        for row_number, row in enumerate(self.head_rows):
            column = 0
            for text, colspan, rowspan in row:
                while column < len(grid[row_number]) and grid[row_number][column] is not None:
                    column += 1
                for below in range(row_number, min(row_number + rowspan, len(grid))):
                    cells = grid[below]
                    cells.extend([None] * (column + colspan - len(cells)))
                    cells[column : column + colspan] = [text] * colspan
                column += colspan
        width = max((len(cells) for cells in grid), default=0)
        return [
            " · ".join(dict.fromkeys(c for cells in grid if i < len(cells) and (c := cells[i])))
            for i in range(width)
        ]


def _number(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1
