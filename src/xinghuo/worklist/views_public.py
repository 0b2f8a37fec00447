"""The public page of exemplary practices (典型做法): the progress reports the city picked, published on the portal
for every county and unit to learn from. Shows the unit, the task and the report's text — nothing personal."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xinghuo.core.access import public
from xinghuo.core.scoping import public_reads
from xinghuo.worklist import selectors


@public
@require_GET
def practices_view(request: HttpRequest) -> HttpResponse:
    with public_reads():
        page = Paginator(selectors.exemplary_reports(), 20).get_page(request.GET.get("page"))
        return render(request, "worklist/public_practices.html", {"page_obj": page, "querystring_page": ""})
