"""Argon2 with a small memory cost, for the test suite only (XINGHUO_ENV=test): same algorithm and
format as production, a fraction of the time."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class TestArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 1024
    parallelism = 1
