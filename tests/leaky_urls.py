"""A URLconf with two deliberately broken routes, for the tests of the route walkers themselves."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from xinghuo.accounts.roles import Role
from xinghuo.config.urls import urlpatterns as platform_urlpatterns
from xinghuo.core.access import for_roles
from xinghuo.core.scoping import scopes_disabled
from xinghuo.organisations.models import Organisation


@for_roles(Role.COUNTY_STAFF)
def leaky_detail(request: HttpRequest, uid: str) -> HttpResponse:
    """Wrong on purpose: steps out of the actor's scope to fetch the record."""
    with scopes_disabled():
        org = Organisation.objects.get(uid=uid)
    return HttpResponse(org.name)


def undeclared(request: HttpRequest) -> HttpResponse:
    """Wrong on purpose: declares nobody who may use it."""
    return HttpResponse("ok")


urlpatterns = [
    path("leaky/<str:uid>/", leaky_detail, name="leaky_detail"),
    path("undeclared/", undeclared, name="undeclared"),
    *platform_urlpatterns,
]
