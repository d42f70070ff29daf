"""django-allauth's own wording that Casework says differently in Russian. Listed here so
that makemessages keeps them in locale/ru, which Django reads before the library's."""

from django.utils.translation import gettext_noop

LIBRARY_STRINGS = [
    gettext_noop("Authenticator secret"),
    gettext_noop(
        "You can store this secret and use it to reinstall your authenticator app at a later time."
    ),
    gettext_noop(
        "Your account is protected by two-factor authentication. Please enter an "
        "authenticator code:"
    ),
    gettext_noop("Use a security key"),
    # The library writes "E-mail" in Latin script; Russian pages say "эл. почта".
    gettext_noop("Email"),
    gettext_noop("Email (again)"),
    gettext_noop("Email (optional)"),
    gettext_noop("Add Email"),
    gettext_noop("Change Email"),
]
