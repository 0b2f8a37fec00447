"""The named test personas and how to sign a test client in as one of them."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_citizen, make_staff
from xinghuo.accounts.actor import SESSION_KEY, Actor, actor_for
from xinghuo.accounts.models import Membership, User
from xinghuo.accounts.roles import Role
from xinghuo.organisations.models import Organisation, OrganisationKind
from xinghuo.organisations.services import organisation_create
from xinghuo.regions.models import Region

PASSWORD = "Xh-Test-Pass-2026!"


@dataclass
class Personas:
    city_staff: User
    county_a: User
    county_b: User
    organiser: User
    reviewer: User
    citizen: User
    sysadmin: User
    secadmin: User
    auditadmin: User
    org_a: Organisation  # a school under 泰山区科协 (county A)
    org_b: Organisation  # a school under 岱岳区科协 (county B)
    society: Organisation

    def actor(self, user: User) -> Actor:
        return actor_for(user)


def _org(code: str) -> Organisation:
    return Organisation.unscoped.get(code=code)


def make_personas() -> Personas:
    city = _org("KX370900")
    kpb = _org("KX370900-KPB")
    office = _org("KX370900-BGS")
    county_a_assoc = _org("KX370902")
    county_b_assoc = _org("KX370911")
    society = organisation_create(name="泰安市医学会", kind=OrganisationKind.SOCIETY, region=city.region, parent=city)
    org_a = organisation_create(
        name="岱庙街道中心小学", kind=OrganisationKind.SCHOOL, region=Region.objects.get(code="370902001"), parent=county_a_assoc
    )
    org_b = organisation_create(
        name="粥店街道中心小学", kind=OrganisationKind.SCHOOL, region=Region.objects.get(code="370911001"), parent=county_b_assoc
    )
    return Personas(
        city_staff=make_staff("city_staff", kpb, Role.CITY_STAFF),
        county_a=make_staff("county_a", county_a_assoc, Role.COUNTY_STAFF),
        county_b=make_staff("county_b", county_b_assoc, Role.COUNTY_STAFF),
        organiser=make_staff("organiser", society, Role.ORGANISER),
        reviewer=make_staff("reviewer", kpb, Role.REVIEWER),
        citizen=make_citizen("13912345678"),
        sysadmin=make_staff("sysadmin", office, Role.SYSTEM_ADMIN),
        secadmin=make_staff("secadmin", office, Role.SECURITY_ADMIN),
        auditadmin=make_staff("auditadmin", office, Role.AUDIT_ADMIN),
        org_a=org_a,
        org_b=org_b,
        society=society,
    )


def login_client(client: Client, user: User, *, verified: bool = True, membership: Membership | None = None) -> Client:
    """Sign the client in as `user`; staff pass the second factor unless `verified=False`."""
    client.force_login(user, backend="xinghuo.accounts.backends.UsernameOrPhoneBackend")
    session = client.session
    from django.utils import timezone

    now = timezone.now().timestamp()
    session["xh_login_at"] = now
    session["xh_seen_at"] = now
    if user.kind == "staff" and verified:
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    if membership is not None:
        session[SESSION_KEY] = str(membership.uid)
    session.save()
    return client
