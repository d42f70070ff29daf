"""django-axes, named in the administration in the reader's language. In a module of its own:
a second AppConfig in casework/apps.py would stop Django from choosing CaseworkConfig, whose
ready() connects the receivers."""

from axes.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignInAttemptsConfig(AppConfig):
    verbose_name = _("Sign-in attempts")
