"""Staff sign in by username, citizens by mobile number; both through this one backend."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from xinghuo.accounts.models import User, UserKind
from xinghuo.core.phones import MOBILE_RE


class UsernameOrPhoneBackend(ModelBackend):
    def authenticate(self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any) -> User | None:
        if not username or password is None:
            return None
        ident = username.strip()
        try:
            if MOBILE_RE.match(ident):
                user = User.objects.get(phone=ident, kind=UserKind.CITIZEN)
            else:
                user = User.objects.get(username=ident)
        except User.DoesNotExist:
            User().set_password(password)  # same work whether or not the account exists (timing)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User.objects.get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return False
