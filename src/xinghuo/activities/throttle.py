"""The sign-up rate limit: at most so many attempts a minute per person and per client address, counted in the
cache (LocMem in tests, Redis in production), so a script cannot hammer the registration of a popular activity."""

from __future__ import annotations

from django.core.cache import cache

WINDOW_SECONDS = 60
PER_USER = 10  # attempts a minute by one account
PER_IP = 30  # attempts a minute from one address (a school's or a community centre's shared line)


def _hit(key: str, limit: int) -> bool:
    """Count one attempt in the window opened by the first; True while within the limit."""
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr: this attempt opens the next one
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count <= limit


def signup_allowed(*, user_id: int, ip: str) -> bool:
    """Count the attempt against both limits (both are counted, so neither can be dodged by the other)."""
    by_user = _hit(f"signup-rate:user:{user_id}", PER_USER)
    by_ip = _hit(f"signup-rate:ip:{ip or 'unknown'}", PER_IP)
    return by_user and by_ip
