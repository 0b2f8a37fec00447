"""Masking of personal values wherever they are shown, logged or audited."""

from __future__ import annotations

import re

PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
ID_RE = re.compile(r"(?<![\dXx])(\d{4})(\d{10})(\d{3}[\dXx])(?![\dXx])")


def mask_phone(value: str | None) -> str:
    """13812341234 -> 138****1234; anything else keeps only its last four characters."""
    if not value:
        return ""
    digits = str(value).strip()
    if len(digits) == 11 and digits.isdigit():
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


def mask_id_number(value: str | None) -> str:
    """370902199001011234 -> 3709**********1234."""
    if not value:
        return ""
    text = str(value).strip()
    if len(text) <= 8:
        return "*" * len(text)
    return f"{text[:4]}{'*' * (len(text) - 8)}{text[-4:]}"


def mask_address(value: str | None) -> str:
    """Keep the first six characters (city and county), hide the rest."""
    if not value:
        return ""
    text = str(value)
    return text[:6] + "*" * min(len(text) - 6, 8) if len(text) > 6 else text


def mask_name(value: str | None) -> str:
    """张三丰 -> 张**."""
    if not value:
        return ""
    text = str(value)
    return text[0] + "*" * (len(text) - 1)


def mask_secret(value: object) -> str:
    return "******" if value else ""


MASKERS = {
    "phone": mask_phone,
    "id_number": mask_id_number,
    "address": mask_address,
    "name": mask_name,
    "secret": mask_secret,
}


def mask_text(text: str) -> str:
    """Mask every phone or ID number found inside free text (log lines, error messages)."""
    text = ID_RE.sub(lambda m: f"{m.group(1)}{'*' * 10}{m.group(3)[-4:]}", text)
    return PHONE_RE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
