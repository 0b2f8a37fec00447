"""Writes of the people registry: entering a person, changing them, giving and ending roles.

Each write checks the actor's role and — under the person's row lock — their scope, validates everything before it
writes anything (a refused write changes nothing), and is audited: the person's own record by BaseModel (phone and
ID number masked, the blind index left out), the consent by pointing at the text shown."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.core import id_numbers
from xinghuo.core.errors import DomainError
from xinghuo.core.files import written_files
from xinghuo.core.images import clean_image
from xinghuo.core.phones import MOBILE_RE
from xinghuo.core.validation import validate
from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region
from xinghuo.talent import consent, permissions
from xinghuo.talent.errors import TalentError as E
from xinghuo.talent.models import GUARDIAN_AGE, Expertise, Gender, Person, PersonRole, RoleKind, RoleStatus
from xinghuo.talent.selectors import PERSON_LEVELS, organisation_choices

NOT_FOUND = "您要找的记录不存在或无权查看。"
#: What an editor may change on a person (the consent and its time are set once, when the person is entered).
PERSON_FIELDS = frozenset({
    "name", "gender", "birth_year", "organisation", "title", "fields", "region", "phone", "id_number", "guardian_name",
    "guardian_phone", "note",
})  # fmt: skip
TEXT_FIELDS = ("name", "title", "phone", "guardian_name", "guardian_phone", "note")
DUPLICATE = "该身份证号已在人员库中登记（可能由其他县市区录入），请勿重复录入；如需调整请联系市科协"


def _deny() -> DomainError:
    return DomainError(E.NOT_ALLOWED, "您的身份不能维护人员库", status=403)


def _apply(person: Person, fields: dict[str, Any]) -> None:
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise TypeError(sorted(unknown))
    for key, value in fields.items():
        if key in TEXT_FIELDS:
            value = str(value or "").strip()
        if key == "fields":
            person.fields = list(value or [])
        elif key == "id_number":
            person.id_number = id_numbers.normalise(value) if value else ""
        else:
            setattr(person, key, value)


def is_minor(person: Person, today: date) -> bool:
    """Under 14 today: by the birth date in the ID number, or — with only a birth year — unless they are surely 14
    (a child born 14 years ago this year may not have had their birthday yet)."""
    if person.id_number:
        return id_numbers.age_on(id_numbers.birth_date(person.id_number), today) < GUARDIAN_AGE
    if person.birth_year:
        return today.year - person.birth_year <= GUARDIAN_AGE
    return False


def _check(actor: Actor, person: Person, *, consent_given: bool, guardian_consent: bool, now: datetime) -> None:
    """Everything a person's record must satisfy, with the message beside the field it concerns."""
    today = timezone.localdate(now)
    if not person.name:
        raise DomainError(E.INVALID, "请填写姓名", field="name")
    if len(person.name) > 50:
        raise DomainError(E.INVALID, "姓名最多 50 个字", field="name")
    region: Region | None = person.region if person.region_id else None
    if region is None or region.level not in PERSON_LEVELS or not actor.sees_region(region):
        raise DomainError(E.REGION, "所在区划须为您管理范围内的县市区、乡镇（街道）或社区（村）", field="region")
    org: Organisation | None = person.organisation if person.organisation_id else None
    if org is not None and not organisation_choices(actor).filter(pk=org.pk).exists():
        raise DomainError(E.ORGANISATION, "工作单位须为本市平台机构名录中在用的机构", field="organisation")
    if person.gender and person.gender not in Gender.values:
        raise DomainError(E.INVALID, "性别无效", field="gender")
    unknown = [f for f in person.fields if f not in Expertise.values]
    if unknown:
        raise DomainError(E.INVALID, f"专业领域“{'、'.join(unknown)}”无效", field="fields")
    if person.phone and not MOBILE_RE.match(person.phone):
        raise DomainError(E.PHONE, "手机号应为 11 位数字，以 13–19 开头", field="phone")
    if person.id_number:
        try:
            person.id_number = id_numbers.validate(person.id_number, today=today)
        except id_numbers.InvalidIdNumber as exc:
            raise DomainError(E.ID_NUMBER, str(exc), field="id_number") from exc
        born = id_numbers.birth_date(person.id_number)
        if person.birth_year and person.birth_year != born.year:
            raise DomainError(E.INVALID, f"出生年份与身份证号中的 {born.year} 年不一致", field="birth_year")
        gender = Gender.MALE if id_numbers.is_male(person.id_number) else Gender.FEMALE
        if person.gender and person.gender != gender:
            raise DomainError(E.INVALID, f"性别与身份证号不一致（身份证号为{gender.label}）", field="gender")
        person.birth_year, person.gender = born.year, gender
        person.id_number_index = Person._meta.get_field("id_number_index").index_of(person.id_number)  # type: ignore[attr-defined]
        if Person.unscoped.filter(id_number_index=person.id_number_index).exclude(pk=person.pk).exists():
            raise DomainError(E.DUPLICATE, DUPLICATE, field="id_number")
    else:
        person.id_number_index = None
    if person.birth_year is not None and not (1900 <= person.birth_year <= today.year):
        raise DomainError(E.INVALID, f"出生年份应在 1900 至 {today.year} 之间", field="birth_year")
    if not consent_given and person.consent_id is None:
        raise DomainError(E.CONSENT_REQUIRED, "须经本人阅读并同意《个人信息告知同意书》后才能录入", field="consent")
    if is_minor(person, today):
        if not person.guardian_name:
            raise DomainError(E.GUARDIAN_REQUIRED, f"不满 {GUARDIAN_AGE} 周岁的未成年人须填写监护人姓名", field="guardian_name")
        if not MOBILE_RE.match(person.guardian_phone):
            raise DomainError(E.GUARDIAN_REQUIRED, f"不满 {GUARDIAN_AGE} 周岁的未成年人须填写监护人手机号（11 位）", field="guardian_phone")
        if person.guardian_consent_at is None:
            if not guardian_consent:
                raise DomainError(E.GUARDIAN_REQUIRED, f"不满 {GUARDIAN_AGE} 周岁的未成年人须经监护人同意", field="guardian_consent")
            person.guardian_consent_at = now
    else:  # an adult needs no guardian: nothing is kept that is not needed
        person.guardian_name, person.guardian_phone, person.guardian_consent_at = "", "", None
    if len(person.title) > 100:
        raise DomainError(E.INVALID, "职称/职务最多 100 个字", field="title")
    validate(person, exclude=["consent", "consent_at", "id_number_index", "photo"])


def _save(person: Person, **kwargs: Any) -> None:
    """Save; a duplicate that slipped in beside the check (two imports at once) is the same Chinese refusal."""
    try:
        with transaction.atomic():
            person.save(**kwargs)
    except IntegrityError as exc:
        if Person.unscoped.filter(id_number_index=person.id_number_index).exclude(pk=person.pk).exists():
            raise DomainError(E.DUPLICATE, DUPLICATE, field="id_number") from exc
        raise


def person_build(
    *, actor: Actor, consent_given: bool, guardian_consent: bool = False, now: datetime | None = None, **fields: Any
) -> Person:
    """A new person, checked but not saved: what person_create saves, and what an import checks each row with."""
    if not permissions.can_edit(actor):
        raise _deny()
    now = now or timezone.now()
    person = Person()
    _apply(person, fields)
    _check(actor, person, consent_given=consent_given, guardian_consent=guardian_consent, now=now)
    return person


def _store_photo(person: Person, photo: UploadedFile, written: list) -> None:
    image = clean_image(photo, max_side=800, field="photo")
    person.photo.save(f"{person.uid.hex}-{timezone.now():%Y%m%d%H%M%S}.jpg", image.content, save=False)
    written.append(person.photo)


def person_create(
    *, actor: Actor, consent_given: bool, guardian_consent: bool = False, roles: Iterable[str] = (), photo: UploadedFile | None = None,
    now: datetime | None = None, **fields: Any,
) -> Person:  # fmt: skip
    """Enter a person with the consent they gave (and their guardian's, for a child) and their first roles."""
    now = now or timezone.now()
    person = person_build(actor=actor, consent_given=consent_given, guardian_consent=guardian_consent, now=now, **fields)
    roles = list(dict.fromkeys(roles))
    bad = [r for r in roles if r not in RoleKind.values]
    if bad:
        raise DomainError(E.ROLE, f"角色“{'、'.join(bad)}”无效", field="roles")
    if photo is not None:
        clean_image(photo, max_side=800, field="photo")  # refused before anything is written
    with written_files() as written, transaction.atomic():
        person.consent = consent.current()
        person.consent_at = now
        if photo is not None:
            _store_photo(person, photo, written)
        _save(person)
        for kind in roles:
            PersonRole(person=person, kind=kind, since=timezone.localdate(now)).save()
    return person


def _lock(actor: Actor, person: Person) -> Person:
    if not permissions.can_edit(actor):
        raise _deny()
    locked = Person.unscoped.select_for_update(of=("self",)).select_related("region", "organisation").get(pk=person.pk)
    if not permissions.can_edit(actor, locked):
        raise DomainError(E.NOT_ALLOWED, NOT_FOUND, status=404)
    return locked


def person_update(
    *, actor: Actor, person: Person, guardian_consent: bool = False, photo: UploadedFile | None = None, now: datetime | None = None,
    **fields: Any,
) -> Person:  # fmt: skip
    """Change a person of the actor's scope; a child's record needs the guardian's consent once."""
    now = now or timezone.now()
    if photo is not None:
        clean_image(photo, max_side=800, field="photo")
    with written_files() as written, transaction.atomic():
        locked = _lock(actor, person)
        old_photo = locked.photo.name
        _apply(locked, fields)
        _check(actor, locked, consent_given=False, guardian_consent=guardian_consent, now=now)
        if photo is not None:
            _store_photo(locked, photo, written)
        _save(locked)
        if photo is not None and old_photo:
            storage, name = locked.photo.storage, old_photo
            transaction.on_commit(lambda: storage.delete(name))
    return locked


def person_add_role(*, actor: Actor, person: Person, kind: str, since: date | None = None, note: str = "") -> PersonRole:
    """Give the person a role (or take up again one that ended)."""
    if kind not in RoleKind.values:
        raise DomainError(E.ROLE, "请选择有效的角色", field="kind")
    today = timezone.localdate()
    since = since or today
    if since > today:
        raise DomainError(E.ROLE, "起始日期不能晚于今天", field="since")
    note = (note or "").strip()[:200]
    with transaction.atomic():
        locked = _lock(actor, person)
        role = PersonRole.unscoped.filter(person=locked, kind=kind).first()
        if role is not None and role.is_active:
            raise DomainError(E.ROLE, f"{locked.name}已是{role.get_kind_display()}", field="kind")
        if role is None:
            role = PersonRole(person=locked, kind=kind)
        role.status, role.since, role.ended_on, role.note = RoleStatus.ACTIVE, since, None, note
        validate(role)
        role.save()
    return role


def person_remove_role(*, actor: Actor, person: Person, kind: str) -> PersonRole:
    """End a role: it stays on the record, inactive, with the day it ended."""
    with transaction.atomic():
        locked = _lock(actor, person)
        role = PersonRole.unscoped.select_for_update().filter(person=locked, kind=kind, status=RoleStatus.ACTIVE).first()
        if role is None:
            raise DomainError(E.ROLE, "该人员没有这一在任角色", field="kind")
        role.status, role.ended_on = RoleStatus.INACTIVE, max(timezone.localdate(), role.since)
        role.save(update_fields=["status", "ended_on", "updated_at"])
    return role
