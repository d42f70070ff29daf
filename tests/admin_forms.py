"""What a browser would post back from a rendered administration change form, inlines and
all, so a test can change one field and save the rest as they are."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self.select: str | None = None
        self.textarea: str | None = None

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs) -> None:
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        kind = attrs.get("type", "text")
        if tag == "input" and name and kind not in ("submit", "button", "file", "image"):
            if kind not in ("checkbox", "radio") or "checked" in attrs:
                self._add(name, attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self._add(self.select, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea = name
            self._add(name, "")

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.data[self.textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def change_form_data(html: str, form_id: str) -> dict[str, list[str] | str]:
    """The values of the form `form_id` as the page shows them (a textarea's first newline,
    which browsers drop, dropped too)."""
    reader = _FormReader(form_id)
    reader.feed(html)
    data: dict[str, list[str] | str] = {}
    for name, values in reader.data.items():
        values = [v[1:] if v.startswith("\n") else v for v in values]
        data[name] = values if len(values) > 1 else values[0]
    return data
