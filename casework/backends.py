"""Signing in: Django's model backend, loading the user together with their office."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserWithOfficeBackend(ModelBackend):
    """Every page's header names the user's office: fetching it with the user on each
    request saves a query on every page (the unread badge spends it instead)."""

    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("office").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        return await sync_to_async(self.get_user)(user_id)
