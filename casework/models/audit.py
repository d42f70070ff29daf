"""Who saw what: one row per read of a person's data, written as the page is served."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessRecordQuerySet(models.QuerySet):
    def expired(self, now=None) -> AccessRecordQuerySet:
        """Rows older than the retention period (ACCESS_RECORD_RETENTION_DAYS)."""
        now = now or timezone.now()
        return self.filter(at__lt=now - timedelta(days=settings.ACCESS_RECORD_RETENTION_DAYS))


class AccessRecord(models.Model):
    """One read of a person's data: who, what, when, from which address, through which page.
    Written once and never changed; nothing in the interface edits or deletes it, and rows
    leave only when the retention period has passed."""

    class Kind(models.TextChoices):
        CLIENT = "client", _("client's record")
        CASE = "case", _("case")
        LETTER = "letter", _("letter PDF")
        LETTERS = "letters", _("merged letters PDF")
        ATTACHMENT = "attachment", _("attachment")
        EXPORT = "export", _("export")
        SEARCH = "search", _("search")

    at = models.DateTimeField(_("when"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("who"),
    )
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("client"),
    )
    page = models.CharField(_("page"), max_length=100)
    path = models.CharField(_("address of the page"), max_length=300)
    detail = models.CharField(_("search terms or table"), max_length=300, blank=True)
    address = models.GenericIPAddressField(_("from address"), null=True, blank=True)

    objects = AccessRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["client", "-at"], name="accessrecord_client_at"),
            models.Index(fields=["user", "-at"], name="accessrecord_user_at"),
            models.Index(fields=["at"], name="accessrecord_at"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.object_id} {self.at:%Y-%m-%d %H:%M}"

    @property
    def page_label(self) -> str:
        from casework.audit import page_label

        return page_label(self.page)
