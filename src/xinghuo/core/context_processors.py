from django.conf import settings
from django.http import HttpRequest

from xinghuo.core.views import LARGE_TEXT_COOKIE


def platform(request: HttpRequest) -> dict:
    return {
        "large_text": request.COOKIES.get(LARGE_TEXT_COOKIE) == "1",
        "actor": getattr(request, "xh_actor", None),
        "platform_name": "星火科普",
        "xinghuo_env": settings.XINGHUO_ENV,
    }
