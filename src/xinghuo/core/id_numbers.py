"""Resident identity card numbers (居民身份证号码, GB 11643-1999): 6 digits of the address code, the birth date
(YYYYMMDD), a 3-digit sequence code (odd for men, even for women) and the ISO 7064 MOD 11-2 check character."""

from __future__ import annotations

import re
from datetime import date

from django.utils import timezone

ID_NUMBER_RE = re.compile(r"^[0-9]{17}[0-9X]$")
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
#: The provinces' codes (the first two digits of an address code).
PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43", "44", "45",
    "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
})  # fmt: skip


class InvalidIdNumber(ValueError):
    """The message says in Chinese what is wrong, without repeating the number."""


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalise(value: str) -> str:
    """Blanks removed, full-width digits and a small x read as what they are meant to be."""
    text = "".join(str(value or "").split())
    text = text.translate({0xFF10 + i: ord("0") + i for i in range(10)} | {ord("x"): "X", 0xFF38: "X", 0xFF58: "X"})
    return text


def birth_date(number: str) -> date:
    """The birth date inside a well-formed number (InvalidIdNumber when it is no date)."""
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise InvalidIdNumber("身份证号中的出生日期不是有效日期") from exc


def is_male(number: str) -> bool:
    return int(number[16]) % 2 == 1


def validate(value: str, *, today: date | None = None) -> str:
    """The normalised number, or InvalidIdNumber with a Chinese message."""
    number = normalise(value)
    if not ID_NUMBER_RE.match(number):
        raise InvalidIdNumber("身份证号应为 18 位：前 17 位是数字，最后一位是数字或 X")
    if number[:2] not in PROVINCES:
        raise InvalidIdNumber("身份证号的前 6 位不是有效的地址码")
    born = birth_date(number)
    today = today or timezone.localdate()
    if born > today or born.year < 1900:
        raise InvalidIdNumber("身份证号中的出生日期不合理")
    if check_char(number[:17]) != number[17]:
        raise InvalidIdNumber("身份证号校验位不正确，请核对是否有数字输错")
    return number


def make(address: str, born: date, sequence: int) -> str:
    """A well-formed number (for demo data and tests): address code, birth date, sequence code, check character."""
    first17 = f"{address}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
