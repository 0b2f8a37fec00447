"""Telephone numbers as the platform accepts them: ASCII digits only ("\\d" would let full-width digits make a
look-alike of an existing number). A mobile number is a citizen's login; a contact number may be a landline."""

from __future__ import annotations

import re

MOBILE_PATTERN = r"^1[3-9][0-9]{9}$"
CONTACT_PATTERN = r"^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$"

MOBILE_RE = re.compile(MOBILE_PATTERN)
CONTACT_RE = re.compile(CONTACT_PATTERN)
