"""The administrator's security settings: which roles must sign in with a second factor."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityPolicy(models.Model):
    """One row (pk 1), edited in the administration."""

    second_factor_roles = models.ManyToManyField(
        Group,
        blank=True,
        related_name="+",
        verbose_name=_("roles that must use a second factor"),
        help_text=_(
            "Members of these roles must sign in with an authenticator app or a passkey; "
            "without one they are asked to add one before anything else. Superusers always "
            "must. A change applies from each person's next sign-in."
        ),
    )

    class Meta:
        verbose_name = _("security policy")
        verbose_name_plural = _("security policy")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="security_policy_single_row")
        ]

    def __str__(self) -> str:
        return str(_("Security policy"))

    @classmethod
    def current(cls) -> SecurityPolicy:
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy

    def requires_second_factor(self, user) -> bool:
        if user.is_superuser:
            return True
        return self.second_factor_roles.filter(user=user).exists()
