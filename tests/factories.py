"""factory_boy factories for the spine's models. Writes still go through services where they exist."""

from __future__ import annotations

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from xinghuo.accounts.models import User, UserKind
from xinghuo.accounts.services import membership_grant
from xinghuo.organisations.models import Organisation

PASSWORD = "Xh-Test-Pass-2026!"
_HASH: dict[str, str] = {}


def _hashed() -> str:
    if "h" not in _HASH:
        _HASH["h"] = make_password(PASSWORD)
    return _HASH["h"]


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"staff{n}")
    name = factory.Faker("name", locale="zh_CN")
    kind = UserKind.STAFF
    password = factory.LazyFunction(_hashed)
    password_changed_at = factory.LazyFunction(timezone.now)


class CitizenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    phone = factory.Sequence(lambda n: f"1370000{n:04d}")
    name = factory.Faker("name", locale="zh_CN")
    kind = UserKind.CITIZEN
    password = factory.LazyFunction(_hashed)


def make_staff(username: str, organisation: Organisation, role: str) -> User:
    user = StaffFactory(username=username)
    membership_grant(user=user, organisation=organisation, role=role)
    return user


def make_citizen(phone: str) -> User:
    return CitizenFactory(phone=phone)
