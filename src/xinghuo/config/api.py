"""The JSON API at /api/v1/: one NinjaAPI, a router per module, one error shape {"code", "detail"}."""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.errors import HttpError as NinjaHttpError

from xinghuo.core.access import public
from xinghuo.core.api import BearerActorAuth, SessionActorAuth
from xinghuo.core.errors import DomainError
from xinghuo.core.renderers import UTF8JSONRenderer

api = NinjaAPI(
    title="星火科普 API",
    version="1",
    description="泰安市“星火科普”统一平台接口。浏览器用登录会话；其他系统用系统管理员签发的令牌（Authorization: Bearer）。"
    '错误统一为 {"code": …, "detail": …}；列表统一为 {"count": N, "items": [...]}，参数 page、page_size。',
    urls_namespace="api-1",
    auth=[SessionActorAuth(), BearerActorAuth()],
    docs_decorator=public,
    renderer=UTF8JSONRenderer(),
)

FIELD_LABELS = {"within": "区划代码", "level": "层级", "page": "页码", "page_size": "每页条数", "kind": "类型", "region": "区划"}


def _describe(error: dict) -> str:
    loc = [str(p) for p in error.get("loc", []) if p not in ("query", "body", "path", "payload", "filters")]
    name = loc[-1] if loc else ""
    label = FIELD_LABELS.get(name, name)
    kind = error.get("type", "")
    ctx = error.get("ctx", {}) or {}
    if kind in ("literal_error", "enum"):
        return f"参数“{label}”的值无效，应为 {ctx.get('expected', '')} 之一"
    if kind in ("int_parsing", "int_type"):
        return f"参数“{label}”应为整数"
    if kind == "greater_than_equal":
        return f"参数“{label}”不能小于 {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"参数“{label}”不能大于 {ctx.get('le')}"
    if kind == "missing":
        return f"缺少参数“{label}”"
    return f"参数“{label}”不正确"


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    body = {"code": exc.code, "detail": exc.message}
    if exc.field:
        body["field"] = exc.field
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    messages = [_describe(e) for e in exc.errors]
    return api.create_response(request, {"code": "invalid", "detail": "；".join(messages), "errors": exc.errors}, status=422)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"code": "auth_required", "detail": "请先登录，或提供有效的接口令牌"}, status=401)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"code": "not_found", "detail": "您要找的记录不存在或无权查看。"}, status=404)


@api.exception_handler(NinjaHttpError)
def on_http_error(request: HttpRequest, exc: NinjaHttpError) -> HttpResponse:
    return api.create_response(request, {"code": "error", "detail": str(exc.message)}, status=exc.status_code)


api.add_router("/regions", "xinghuo.regions.api.router")
api.add_router("/organisations", "xinghuo.organisations.api.router")
api.add_router("", "xinghuo.venues.api.router")
api.add_router("", "xinghuo.activities.api.router")
api.add_router("", "xinghuo.talent.api.router")
api.add_router("", "xinghuo.indicators.api.router")
