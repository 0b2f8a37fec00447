"""Password policy: staff ≥ 12 characters with 3 of the 4 character classes; citizens ≥ 8 characters.
(Common passwords are refused by Django's CommonPasswordValidator for both.)"""

from __future__ import annotations

import string
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError


def _is_staff(user: Any) -> bool:
    return getattr(user, "kind", "staff") == "staff"


class PolicyLengthValidator:
    def validate(self, password: str, user: Any = None) -> None:
        policy = settings.XINGHUO_PASSWORD_POLICY
        minimum = policy["staff_min_length"] if _is_staff(user) else policy["citizen_min_length"]
        if len(password) < minimum:
            raise ValidationError(f"密码至少需要 {minimum} 个字符。", code="password_too_short")

    def get_help_text(self) -> str:
        policy = settings.XINGHUO_PASSWORD_POLICY
        return f"工作人员密码至少 {policy['staff_min_length']} 位，公众至少 {policy['citizen_min_length']} 位。"


def character_classes(password: str) -> int:
    classes = [
        any(c in string.ascii_lowercase for c in password),
        any(c in string.ascii_uppercase for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    ]
    return sum(classes)


class CharacterClassValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if not _is_staff(user):
            return
        needed = settings.XINGHUO_PASSWORD_POLICY["staff_min_classes"]
        if character_classes(password) < needed:
            raise ValidationError(f"工作人员密码须包含大写字母、小写字母、数字、符号中的至少 {needed} 类。", code="password_too_simple")

    def get_help_text(self) -> str:
        return "工作人员密码须包含大写字母、小写字母、数字、符号中的至少 3 类。"
