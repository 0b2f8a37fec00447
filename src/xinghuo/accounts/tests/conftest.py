"""What the accounts security tests share: signing in through the real login form, and the six digits an
authenticator app would show for a TOTP device."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.personas import PASSWORD

LOGIN_URL = "/accounts/login/"


@pytest.fixture
def sign_in() -> Callable[..., object]:
    """POST the login form as a browser would: `sign_in(client, "county_a")` or with a wrong password."""

    def _sign_in(client: Client, username: str, password: str = PASSWORD, **extra: str):
        return client.post(LOGIN_URL, {"username": username, "password": password, **extra})

    return _sign_in


@pytest.fixture
def totp_code() -> Callable[..., str]:
    """The code the user's authenticator app shows now for `device` (`steps` moves it by whole 30 s steps)."""

    def _code(device: TOTPDevice, *, steps: int = 0) -> str:
        totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift + steps)
        return f"{totp.token():0{device.digits}d}"

    return _code


@pytest.fixture
def wrong_code(totp_code) -> Callable[[TOTPDevice], str]:
    """Six digits that the device accepts at no step within its tolerance window."""

    def _wrong(device: TOTPDevice) -> str:
        valid = {totp_code(device, steps=s) for s in range(-device.tolerance - 1, device.tolerance + 2)}
        return next(f"{n:06d}" for n in range(123456, 1_000_000) if f"{n:06d}" not in valid)

    return _wrong
