"""Entering and changing people: the rules a county's staff meet, the ID number kept encrypted, one person with
many roles, a child only with a guardian — and a refusal changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import FieldError
from django.db import connection
from django.utils import timezone

from xinghuo.core import id_numbers
from xinghuo.core.errors import DomainError
from xinghuo.core.models import AuditAction, AuditEvent
from xinghuo.core.scoping import scope
from xinghuo.regions.models import Region
from xinghuo.talent import consent, services
from xinghuo.talent.errors import TalentError
from xinghuo.talent.models import Person, PersonRole, RoleKind, RoleStatus
from xinghuo.talent.tests.conftest import CHILD_ID, GUARDIAN_PHONE, ID_A, ZHOUDIAN, png

pytestmark = pytest.mark.django_db


def _raw(person: Person, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM talent_person WHERE id = %s", [person.pk])
        return cursor.fetchone()[0]


def test_the_id_number_is_stored_encrypted_and_read_back_in_clear(cast):
    person = cast.enter()

    stored = _raw(person, "id_number")
    assert ID_A not in stored
    assert ID_A[-8:] not in stored
    assert stored.startswith("v1:")
    assert Person.unscoped.get(pk=person.pk).id_number == ID_A
    assert _raw(person, "id_number_index") != ID_A
    assert len(_raw(person, "id_number_index")) == 64


def test_a_person_is_found_by_id_number_without_decrypting_anything(cast):
    person = cast.enter()
    cast.enter_b()

    assert list(Person.unscoped.filter(Person.id_number_lookup(ID_A.lower()))) == [person]


def test_the_encrypted_column_cannot_be_filtered_on_by_mistake():
    with pytest.raises(FieldError, match="blind index"):
        Person.unscoped.filter(id_number=ID_A)


def test_sex_and_birth_year_come_from_the_id_number(cast):
    person = cast.enter()

    assert (person.gender, person.birth_year) == ("male", 1978)


def test_a_second_entry_of_the_same_id_number_is_refused_even_from_another_county(cast):
    cast.enter()

    with pytest.raises(DomainError) as exc:
        cast.enter(cast.county_b, name="王建国", region=Region.objects.get(code=ZHOUDIAN), phone="", id_number=ID_A.lower())

    assert exc.value.code == TalentError.DUPLICATE
    assert exc.value.field == "id_number"
    assert Person.unscoped.count() == 1


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        pytest.param({"id_number": ID_A[:-1] + ("0" if ID_A[-1] != "0" else "1")}, TalentError.ID_NUMBER, "id_number", id="bad-check-digit"),
        pytest.param({"phone": "1381234567"}, TalentError.PHONE, "phone", id="phone-too-short"),
        pytest.param({"phone": "１３８１２３４５６７８"}, TalentError.PHONE, "phone", id="full-width-phone"),
        pytest.param({"consent_given": False}, TalentError.CONSENT_REQUIRED, "consent", id="no-consent"),
        pytest.param({"birth_year": 1980}, TalentError.INVALID, "birth_year", id="birth-year-not-the-id-numbers"),
        pytest.param({"gender": "female"}, TalentError.INVALID, "gender", id="sex-not-the-id-numbers"),
        pytest.param({"fields": ["astrology"]}, TalentError.INVALID, "fields", id="unknown-field"),
        pytest.param({"name": "  "}, TalentError.INVALID, "name", id="no-name"),
    ],
)  # fmt: skip
def test_bad_input_gets_a_chinese_message_beside_its_field_and_saves_nothing(cast, overrides, code, field):
    with pytest.raises(DomainError) as exc:
        cast.enter(**overrides)

    assert exc.value.code == code
    assert exc.value.field == field
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.message)
    assert not Person.unscoped.exists()


def test_a_county_cannot_enter_a_person_of_another_county(cast):
    with pytest.raises(DomainError) as exc:
        cast.enter(region=Region.objects.get(code=ZHOUDIAN))

    assert exc.value.code == TalentError.REGION
    assert not Person.unscoped.exists()


def test_an_organiser_cannot_keep_the_registry(cast):
    with pytest.raises(DomainError) as exc:
        cast.enter(cast.organiser)

    assert exc.value.code == TalentError.NOT_ALLOWED


def test_the_consent_keeps_the_text_that_was_shown(cast):
    person = cast.enter()

    assert person.consent.version == consent.VERSION
    assert person.consent.text == consent.TEXT
    assert person.consent_at is not None


def test_a_changed_consent_text_without_a_new_version_is_refused(cast, monkeypatch):
    cast.enter()
    monkeypatch.setattr(consent, "TEXT", consent.TEXT + "（补充一句）")

    with pytest.raises(DomainError, match="新版本号"):
        cast.enter_b()


def _child(cast, **overrides):
    fields = {"name": "王小明", "phone": "", "id_number": CHILD_ID, "fields": [], "title": ""}
    fields.update(overrides)
    return cast.enter(**fields)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({}, "guardian_name", id="no-guardian"),
        pytest.param({"guardian_name": "王建国"}, "guardian_phone", id="no-guardian-phone"),
        pytest.param({"guardian_name": "王建国", "guardian_phone": GUARDIAN_PHONE}, "guardian_consent", id="no-guardian-consent"),
    ],
)
def test_a_child_under_14_is_entered_only_with_a_guardian(cast, overrides, field):
    with pytest.raises(DomainError) as exc:
        _child(cast, **overrides)

    assert exc.value.code == TalentError.GUARDIAN_REQUIRED
    assert exc.value.field == field
    assert "14 周岁" in exc.value.message
    assert not Person.unscoped.exists()


def test_a_child_with_a_guardian_who_consented_is_entered(cast):
    child = _child(cast, guardian_name="王建国", guardian_phone=GUARDIAN_PHONE, guardian_consent=True)

    assert child.guardian_consent_at is not None


def test_a_child_known_only_by_birth_year_needs_a_guardian_too(cast):
    year = timezone.localdate().year - 10

    with pytest.raises(DomainError) as exc:
        _child(cast, id_number="", birth_year=year)

    assert exc.value.code == TalentError.GUARDIAN_REQUIRED


def test_a_child_turning_14_tomorrow_still_needs_a_guardian_and_one_who_turned_14_today_does_not(cast):
    today = timezone.localdate()
    born_14_years_ago_tomorrow = id_numbers.make("370902", date(today.year - 14, today.month, today.day) + timedelta(days=1), 104)
    born_14_years_ago_today = id_numbers.make("370902", date(today.year - 14, today.month, today.day), 106)

    with pytest.raises(DomainError):
        _child(cast, id_number=born_14_years_ago_tomorrow)
    assert _child(cast, id_number=born_14_years_ago_today).guardian_name == ""


def test_one_person_holds_many_roles_once_each(cast):
    person = cast.enter(roles=[RoleKind.VOLUNTEER, RoleKind.EXPERT])
    services.person_add_role(actor=cast.county_a, person=person, kind=RoleKind.PROMOTER)

    with pytest.raises(DomainError) as exc:
        services.person_add_role(actor=cast.county_a, person=person, kind=RoleKind.VOLUNTEER)

    assert exc.value.code == TalentError.ROLE
    kinds = set(PersonRole.unscoped.filter(person=person).values_list("kind", flat=True))
    assert kinds == {RoleKind.VOLUNTEER, RoleKind.EXPERT, RoleKind.PROMOTER}


def test_an_ended_role_stays_on_record_and_can_be_taken_up_again(cast):
    person = cast.enter(roles=[RoleKind.VOLUNTEER])

    ended = services.person_remove_role(actor=cast.county_a, person=person, kind=RoleKind.VOLUNTEER)
    assert (ended.status, ended.ended_on) == (RoleStatus.INACTIVE, timezone.localdate())

    again = services.person_add_role(actor=cast.county_a, person=person, kind=RoleKind.VOLUNTEER)
    assert again.pk == ended.pk
    assert (again.status, again.ended_on) == (RoleStatus.ACTIVE, None)


def test_a_role_cannot_start_in_the_future(cast):
    person = cast.enter()

    with pytest.raises(DomainError, match="不能晚于今天"):
        services.person_add_role(actor=cast.county_a, person=person, kind=RoleKind.EXPERT, since=timezone.localdate() + timedelta(days=1))


def test_county_b_cannot_change_county_as_person(cast):
    person = cast.enter()

    with pytest.raises(DomainError) as exc:
        services.person_update(actor=cast.county_b, person=person, title="改")
    with pytest.raises(DomainError):
        services.person_add_role(actor=cast.county_b, person=person, kind=RoleKind.EXPERT)

    assert exc.value.status == 404
    person.refresh_from_db()
    assert person.title == "高级农艺师"


def test_an_update_keeps_what_it_is_not_given_and_is_audited_masked(cast):
    person = cast.enter()

    services.person_update(actor=cast.city, person=person, phone="13912340009", title="推广研究员")

    person = Person.unscoped.get(pk=person.pk)
    assert (person.id_number, person.phone, person.title) == (ID_A, "13912340009", "推广研究员")
    change = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="talent.person").latest("id")
    assert change.changes["phone"] == ["137****0001", "139****0009"]
    assert "id_number_index" not in change.changes


def test_a_photo_is_kept_in_private_storage(cast):
    person = cast.enter(photo=png())

    assert person.photo.name.startswith("talent/")
    assert person.photo.storage.exists(person.photo.name)


def test_a_county_sees_only_its_own_people(cast):
    mine = cast.enter()
    cast.enter_b()

    with scope(**cast.county_a.scope_kwargs()):
        assert list(Person.objects.all()) == [mine]
    with scope(**cast.city.scope_kwargs()):
        assert Person.objects.count() == 2
