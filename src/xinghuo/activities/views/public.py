"""Citizen pages of activities: the public page of a published activity with its sign-up form, and “我的活动”
(the user's registrations with their status, place in the waiting line and check-in code) with cancel."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinghuo.accounts.models import UserKind
from xinghuo.activities import registrations as services
from xinghuo.activities import selectors
from xinghuo.activities.forms import RegistrationForm
from xinghuo.activities.models import ACTIVE_REGISTRATION_STATUSES, Activity, Registration, RegistrationStatus
from xinghuo.core.access import public, signed_in
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.lookup import get_by_uid
from xinghuo.core.masking import mask_phone
from xinghuo.core.scoping import public_reads


def _public_activity(uid: str) -> Activity:
    with public_reads():
        try:
            return selectors.get_public_activity(uid)
        except NotFound as exc:
            raise Http404 from exc


def _page(request: HttpRequest, activity: Activity, form: RegistrationForm | None) -> HttpResponse:
    user = request.user
    mine = None
    if user.is_authenticated:
        mine = Registration.unscoped.filter(activity=activity, user=user, status__in=ACTIVE_REGISTRATION_STATUSES).first()
    is_citizen = user.is_authenticated and getattr(user, "kind", None) == UserKind.CITIZEN
    if form is None and is_citizen and mine is None:
        form = RegistrationForm()
    return render(request, "activities/public_detail.html", {
        "activity": activity, "form": form, "mine": mine, "is_citizen": is_citizen,
        "remaining": max(activity.capacity - activity.seats_taken, 0),
        "my_phone": mask_phone(getattr(user, "phone", "")) if user.is_authenticated else "",
    }, status=400 if form is not None and form.errors else 200)  # fmt: skip


@public
@require_GET
def activity_view(request: HttpRequest, uid: str) -> HttpResponse:
    return _page(request, _public_activity(uid), None)


@signed_in
@require_http_methods(["POST"])
def register_view(request: HttpRequest, uid: str) -> HttpResponse:
    activity = _public_activity(uid)
    form = RegistrationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.registration_create(activity=activity, user=request.user, **data)  # type: ignore[arg-type]
        except DomainError as exc:
            if exc.field and exc.field in form.fields:
                form.add_domain_error(exc)
            else:
                messages.error(request, exc.message)
                return redirect("activities:detail", uid=activity.uid)
        else:
            if registration.status == RegistrationStatus.CONFIRMED:
                messages.success(request, f"报名成功，签到码 {registration.code}")
            else:
                messages.success(request, "名额已满，您已进入候补：有人取消时按先后顺序递补，递补成功会通知您")
            return redirect("activities:my_registrations")
    activity.refresh_from_db(fields=["seats_taken"])
    return _page(request, activity, form)


@signed_in
@require_GET
def my_registrations_view(request: HttpRequest) -> HttpResponse:
    with public_reads():
        rows = selectors.my_registrations(request.user)
        notices = selectors.my_notices(request.user)
    return render(request, "activities/my_registrations.html", {"registrations": rows, "notices": notices})


@signed_in
@require_POST
def my_registration_cancel_view(request: HttpRequest, uid: str) -> HttpResponse:
    try:
        registration = get_by_uid(Registration.unscoped.filter(user=request.user), uid)
    except NotFound as exc:
        raise Http404 from exc
    try:
        services.registration_cancel(registration=registration, by=request.user)  # type: ignore[arg-type]
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已取消报名")
    return redirect("activities:my_registrations")
