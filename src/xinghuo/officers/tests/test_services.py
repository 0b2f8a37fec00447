"""Registering 科普中国 information officers: a person of the registry or a new one, one registration per person, one
person per account, only in the staff's scope; the INFO_OFFICER role given when missing; every write audited."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from xinghuo.core.errors import DomainError
from xinghuo.core.models import AuditEvent
from xinghuo.officers import services
from xinghuo.officers.errors import OfficerError as E
from xinghuo.officers.models import InfoOfficer
from xinghuo.officers.tests.conftest import DAIYUE, TAISHAN, officer, village
from xinghuo.organisations.models import Organisation
from xinghuo.talent.models import Person, PersonRole, RoleKind, RoleStatus
from xinghuo.talent.tests.conftest import ID_A, PHONE_A

pytestmark = pytest.mark.django_db


def kx(county: str = TAISHAN) -> Organisation:
    return Organisation.unscoped.get(code=f"KX{county}")


def refused(code: str, call) -> DomainError:
    with pytest.raises(DomainError) as info:
        call()
    assert info.value.code == code
    return info.value


def test_a_person_of_the_registry_is_registered_and_given_the_role_from_the_day_they_registered(cast):
    person = cast.enter(roles=[RoleKind.VOLUNTEER])

    registered = services.officer_register(actor=cast.county_a, person=person, account=" kp wang ", organisation=kx(),
                                           registered_on=date(2025, 3, 1))  # fmt: skip

    assert registered.account == "kpwang"
    role = PersonRole.unscoped.get(person=person, kind=RoleKind.INFO_OFFICER)
    assert (role.status, role.since) == (RoleStatus.ACTIVE, date(2025, 3, 1))
    assert AuditEvent.objects.filter(object_type="officers.infoofficer", action="create").count() == 1


def test_a_person_who_already_holds_the_role_keeps_it_as_it_was(cast):
    person = cast.enter(roles=[RoleKind.INFO_OFFICER])
    since = PersonRole.unscoped.get(person=person, kind=RoleKind.INFO_OFFICER).since

    services.officer_register(actor=cast.county_a, person=person, account="kp1", organisation=kx(), registered_on=date(2024, 1, 1))

    assert PersonRole.unscoped.get(person=person, kind=RoleKind.INFO_OFFICER).since == since


def test_a_new_person_is_entered_with_the_role_and_registered_at_once(cast):
    registered = services.officer_register_new(
        actor=cast.county_a, account="kp_new", organisation=kx(), consent_given=True, name="赵新", region=village(TAISHAN),
        phone=PHONE_A, id_number=ID_A,
    )  # fmt: skip

    assert registered.person.name == "赵新"
    assert PersonRole.unscoped.filter(person=registered.person, kind=RoleKind.INFO_OFFICER, status=RoleStatus.ACTIVE).exists()


def test_a_new_person_without_consent_or_with_a_taken_account_is_not_entered_at_all(cast):
    officer(cast, account="KP_TAKEN")

    refused("talent_consent_required", lambda: services.officer_register_new(
        actor=cast.county_a, account="kp_x", organisation=kx(), consent_given=False, name="赵新", region=village(TAISHAN), id_number=ID_A))  # fmt: skip
    refused(E.ACCOUNT_TAKEN, lambda: services.officer_register_new(
        actor=cast.county_a, account="kp_taken", organisation=kx(), consent_given=True, name="赵新", region=village(TAISHAN), id_number=ID_A))  # fmt: skip

    assert not Person.unscoped.filter(name="赵新").exists()


def test_one_registration_a_person_and_one_person_an_account_whatever_its_case(cast):
    first = officer(cast, account="KePu_01")
    other = cast.enter_b()

    refused(E.REGISTERED, lambda: services.officer_register(actor=cast.county_a, person=first.person, account="kp2", organisation=kx()))
    error = refused(E.ACCOUNT_TAKEN, lambda: services.officer_register(actor=cast.county_b, person=other, account="kepu_01",
                                                                       organisation=kx(DAIYUE)))  # fmt: skip

    assert "已登记在另一名信息员名下" in error.message
    assert InfoOfficer.unscoped.count() == 1


def test_an_account_that_is_a_phone_number_is_refused_so_that_no_list_shows_one(cast):
    person = cast.enter()

    error = refused(E.ACCOUNT, lambda: services.officer_register(actor=cast.county_a, person=person, account=PHONE_A, organisation=kx()))

    assert PHONE_A not in error.message


def test_the_date_and_the_organisation_are_checked(cast):
    person = cast.enter()
    tomorrow = timezone.localdate() + timedelta(days=1)

    refused(E.DATE, lambda: services.officer_register(actor=cast.county_a, person=person, account="kp", organisation=kx(),
                                                      registered_on=tomorrow))  # fmt: skip
    refused(E.ORGANISATION, lambda: services.officer_register(actor=cast.county_a, person=person, account="kp", organisation=None))
    assert not InfoOfficer.unscoped.exists()


def test_another_county_cannot_register_or_correct_a_countys_officer_and_organisers_keep_none(cast):
    person = cast.enter()
    registered = officer(cast)

    error = refused(E.NOT_ALLOWED, lambda: services.officer_register(actor=cast.county_b, person=person, account="kp",
                                                                     organisation=kx(DAIYUE)))  # fmt: skip
    assert error.status == 404
    refused(E.NOT_ALLOWED, lambda: services.officer_update(actor=cast.county_b, officer=registered, account="kp9",
                                                           organisation=kx(DAIYUE), registered_on=None))  # fmt: skip
    refused(E.NOT_ALLOWED, lambda: services.officer_register(actor=cast.organiser, person=person, account="kp", organisation=kx()))
    assert InfoOfficer.unscoped.get().account == registered.account


def test_staff_correct_a_registration(cast):
    registered = officer(cast, account="kp_old")
    officer(cast, account="kp_other")

    refused(E.ACCOUNT_TAKEN, lambda: services.officer_update(actor=cast.county_a, officer=registered, account="KP_OTHER",
                                                             organisation=kx(), registered_on=date(2025, 1, 1)))  # fmt: skip
    services.officer_update(actor=cast.city, officer=registered, account="kp_new", organisation=kx(), registered_on=date(2024, 6, 1))

    registered.refresh_from_db()
    assert (registered.account, registered.registered_on) == ("kp_new", date(2024, 6, 1))
    assert AuditEvent.objects.filter(object_type="officers.infoofficer", action="update").exists()
