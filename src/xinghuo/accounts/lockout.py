"""django-axes counts failures per login name; it stores a keyed hash of the name, never the name
itself (a citizen's login name is a phone number, personal data)."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings


def username_key(request: Any, credentials: dict[str, Any] | None) -> str | None:
    raw = (credentials or {}).get("username") or request.POST.get("username") if request is not None else None
    if not raw:
        return None
    ident = str(raw).strip().lower()
    return hmac.new(settings.SECRET_KEY.encode(), ident.encode(), hashlib.sha256).hexdigest()[:40]
