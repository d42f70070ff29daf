"""Every page of every role, in Russian, shows no English.

The pages are the access matrix's: every named URL of Casework's own apps, with the
matrix's world of records, so a page added to the application is read here too. Each role
opens every page it may open; the text a person sees (text nodes, option labels, button
values, placeholders, titles, accessible labels) may hold Latin-script words only where
they are data (a name in Latin script, a document or registry number) or one of the few
terms below that Russian-speaking lawyers write in Latin script themselves."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models

from tests.factories import UserFactory
from tests.security.test_access_matrix import MATRIX, url_of, world  # noqa: F401

pytestmark = pytest.mark.django_db

# Terms a Russian page may carry in Latin script: file formats, the product's name, the
# programs and devices a page names as their makers spell them.
ALLOWED = {
    "casework",
    "pdf",
    "csv",
    "xlsx",
    "jpeg",
    "png",
    "ics",
    "ip",
    "excel",
    "zip",
    "json",
    "url",
    "google",
    "outlook",
    "iphone",
    "ipad",
    "android",
}
ALLOWED_PHRASES = ("Google Calendar",)

# The language switch names the other language by its code.
LANGUAGE_NAMES = {"en"}

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
VISIBLE_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt", "data-label")
SKIPPED_TAGS = {"script", "style", "template", "noscript"}


class VisibleText(HTMLParser):
    """The words a person sees or hears from a screen reader on an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[str, str]] = []
        self._skipping: list[str] = []
        self._tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_TAGS:
            self._skipping.append(tag)
        if self._skipping:
            return
        attributes = dict(attrs)
        if tag not in ("br", "hr", "img", "input", "meta", "link", "source", "wbr"):
            self._tags.append(tag)
        for name in VISIBLE_ATTRIBUTES:
            if attributes.get(name):
                self.parts.append((f"<{tag} {name}>", attributes[name]))
        if tag == "input" and attributes.get("type") in ("submit", "button", "reset"):
            self.parts.append(("<input value>", attributes.get("value") or ""))

    def handle_endtag(self, tag):
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()
        if tag in self._tags:
            while self._tags and self._tags.pop() != tag:
                pass

    def handle_data(self, data):
        if not self._skipping and data.strip():
            where = self._tags[-1] if self._tags else "text"
            self.parts.append((f"<{where}>", data.strip()))


# The records people type in, whose Latin words are data: names in Latin script, numbers,
# codes. Reference data (countries, courts, rules, permit kinds, templates) is left out: its
# English columns are what a Russian page must not show.
DATA_MODELS = (
    "casework.user",
    "casework.office",
    "clients.client",
    "clients.identitydocument",
    "clients.residencepermit",
    "clients.registration",
    "casework.case",
    "casework.casenote",
    "casework.deadline",
    "casework.fine",
    "casework.hearing",
    "casework.incident",
    "casework.reminder",
    "documents.letter",
    "documents.attachment",
)


def stored_words() -> set[str]:
    """Latin words of the records people typed in, which pages show as they were typed."""
    words: set[str] = set()
    for label in DATA_MODELS:
        model = apps.get_model(label)
        text_fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField))
            and not f.choices
            and f.attname != "password"
        ]
        for row in model._default_manager.values_list(*text_fields):
            for value in row:
                if value:
                    words.update(w.casefold() for w in LATIN_WORD.findall(str(value)))
    return words


def english_on(html: str, allowed: set[str]) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    found = []
    for where, text in parser.parts:
        for phrase in ALLOWED_PHRASES:
            text = text.replace(phrase, "")
        for word in LATIN_WORD.findall(text):
            if word.casefold() not in allowed:
                found.append(f"{where} {word!r} in {text[:80]!r}")
    return found


@pytest.fixture
def administrator(office):
    return UserFactory(
        username="t-administrator", office=office, groups=["administrator"], is_staff=True
    )


ROLES = ["lawyer", "paralegal", "coordinator", "reader", "administrator"]
PAGES = sorted(
    name for name, (_key, how, _shows) in MATRIX.items() if how not in ("post", "own_post")
)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_opens_reads_in_russian(request, client, world, role):  # noqa: F811
    user = request.getfixturevalue(role)
    client.force_login(user)
    client.cookies["django_language"] = "ru"
    allowed = ALLOWED | LANGUAGE_NAMES | stored_words()
    allowed.update(w.casefold() for w in LATIN_WORD.findall(user.username))
    failures, opened = [], 0
    for name in PAGES:
        response = client.get(url_of(name, world), follow=True)
        if response.streaming or "text/html" not in response.get("Content-Type", ""):
            continue
        opened += 1
        for found in english_on(response.content.decode(), allowed):
            failures.append(f"{name} ({response.status_code}): {found}")
    assert opened > 20, f"only {opened} pages opened as {role}"
    assert not failures, "\n".join(failures)


def test_the_role_page_names_permissions_in_russian(client, django_user_model):
    """Django stores its permission names in English; the role page names them in Russian."""
    from django.contrib.auth.models import Group

    superuser = django_user_model.objects.create_superuser(
        "t-root", "root@example.org", "x-long-password-1"
    )
    client.force_login(superuser)
    client.cookies["django_language"] = "ru"
    role = Group.objects.get(name="lawyer")
    page = client.get(f"/admin/auth/group/{role.pk}/change/").content.decode()
    assert "может просматривать" in page and "Can view" not in page
    assert "Клиент | может изменять" in page and "История: клиенты" in page


def test_the_administration_index_names_everything_in_russian(client, django_user_model):
    superuser = django_user_model.objects.create_superuser(
        "t-root", "root@example.org", "x-long-password-1"
    )
    client.force_login(superuser)
    client.cookies["django_language"] = "ru"
    page = client.get("/admin/").content.decode()
    allowed = ALLOWED | LANGUAGE_NAMES | {"t", "root"}  # the username
    assert english_on(page, allowed) == []
