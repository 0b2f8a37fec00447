"""Writes: registering a person as a 科普中国 information officer (one already in the people registry, or one entered
now through talent's services), and correcting a registration. Each in one transaction, the person's row locked first
(as the people registry locks it), checked against the actor's scope under the lock, audited by the models' saves.
The monthly figures are written by the import (importer.py), in bulk."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.core.errors import DomainError
from xinghuo.core.masking import ID_RE, PHONE_RE
from xinghuo.core.validation import validate
from xinghuo.officers import permissions
from xinghuo.officers.errors import OfficerError as E
from xinghuo.officers.models import InfoOfficer
from xinghuo.organisations.models import Organisation
from xinghuo.talent import services as talent
from xinghuo.talent.models import Person, PersonRole, RoleKind, RoleStatus
from xinghuo.talent.selectors import organisation_choices

NOT_FOUND = "您要找的记录不存在或无权查看。"
SPACES = re.compile(r"\s+")


def _deny() -> DomainError:
    return DomainError(E.NOT_ALLOWED, "您的身份不能维护科普中国信息员", status=403)


def normalise_account(text: Any) -> str:
    """An account as typed or read from a sheet: trimmed, inner spaces dropped (a number cell loses its “.0”)."""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    return SPACES.sub("", str(text or ""))


def _clean(actor: Actor, *, account: str, organisation: Organisation | None, registered_on: date | None) -> tuple[str, date]:
    account = normalise_account(account)
    if not account:
        raise DomainError(E.ACCOUNT, "请填写科普中国账号", field="account")
    if len(account) > 50:
        raise DomainError(E.ACCOUNT, "科普中国账号最多 50 个字符", field="account")
    if PHONE_RE.search(account) or ID_RE.search(account):
        # the account is shown unmasked on every list: a phone or ID number must not hide in it
        raise DomainError(E.ACCOUNT, "科普中国账号请填写账号 ID 或昵称，不要填写手机号或身份证号（手机号在人员库中登记，各处脱敏显示）",
                          field="account")  # fmt: skip
    if organisation is None:
        raise DomainError(E.ORGANISATION, "请填写注册单位", field="organisation")
    if not organisation_choices(actor).filter(pk=organisation.pk).exists():
        raise DomainError(E.ORGANISATION, "注册单位须为本市平台机构名录中在用的机构", field="organisation")
    today = timezone.localdate()
    registered_on = registered_on or today
    if registered_on > today:
        raise DomainError(E.DATE, "注册日期不能晚于今天", field="registered_on")
    return account, registered_on


def _account_taken(account: str, officer: InfoOfficer | None = None) -> bool:
    return InfoOfficer.unscoped.filter(account__iexact=account).exclude(pk=officer.pk if officer else None).exists()


def _taken() -> DomainError:
    return DomainError(E.ACCOUNT_TAKEN, "该科普中国账号已登记在另一名信息员名下（可能在其他县市区）；同一账号只能登记一次", field="account")


def _save(officer: InfoOfficer, **kwargs: Any) -> None:
    """Save; an account registered beside the check (two staff at once) is the same Chinese refusal."""
    try:
        with transaction.atomic():
            officer.save(**kwargs)
    except IntegrityError as exc:
        if _account_taken(officer.account, officer):
            raise _taken() from exc
        if InfoOfficer.unscoped.filter(person_id=officer.person_id).exclude(pk=officer.pk).exists():
            raise DomainError(E.REGISTERED, "该人员已登记为科普中国信息员", field="person") from exc
        raise


def _validate(officer: InfoOfficer) -> None:
    """full_clean; an account another writer registered a moment ago (the unique index's check) is our refusal."""
    try:
        validate(officer, exclude=["person"])
    except DomainError:
        if _account_taken(officer.account, officer if officer.pk else None):
            raise _taken() from None
        raise


def _lock_person(actor: Actor, person: Person) -> Person:
    locked = Person.unscoped.select_for_update(of=("self",)).select_related("region").get(pk=person.pk)
    if not permissions.can_edit(actor, locked):
        raise DomainError(E.NOT_ALLOWED, NOT_FOUND, status=404)
    return locked


def officer_register(
    *, actor: Actor, person: Person, account: str, organisation: Organisation | None, registered_on: date | None = None,
    note: str = "",
) -> InfoOfficer:  # fmt: skip
    """Register a person of the actor's scope as an information officer; one who does not hold the INFO_OFFICER role
    yet is given it (from the day they registered), through the people registry's service."""
    if not permissions.can_edit(actor):
        raise _deny()
    account, registered_on = _clean(actor, account=account, organisation=organisation, registered_on=registered_on)
    with transaction.atomic():
        locked = _lock_person(actor, person)
        if InfoOfficer.unscoped.filter(person=locked).exists():
            raise DomainError(E.REGISTERED, f"{locked.name}已登记为科普中国信息员", field="person")
        if _account_taken(account):
            raise _taken()
        role = PersonRole.unscoped.filter(person=locked, kind=RoleKind.INFO_OFFICER).first()
        if role is None or role.status != RoleStatus.ACTIVE:
            talent.person_add_role(actor=actor, person=locked, kind=RoleKind.INFO_OFFICER, since=registered_on)
        officer = InfoOfficer(person=locked, account=account, organisation=organisation, registered_on=registered_on,
                              note=(note or "").strip()[:200])  # fmt: skip
        _validate(officer)
        _save(officer)
    return officer


def officer_register_new(
    *, actor: Actor, account: str, organisation: Organisation | None, registered_on: date | None = None, note: str = "",
    consent_given: bool, **person_fields: Any,
) -> InfoOfficer:  # fmt: skip
    """Enter a new person in the people registry (talent's rules: consent, ID number, region, …) with the INFO_OFFICER
    role, and register them; both or neither."""
    if not permissions.can_edit(actor):
        raise _deny()
    account, registered_on = _clean(actor, account=account, organisation=organisation, registered_on=registered_on)
    if _account_taken(account):
        raise _taken()
    with transaction.atomic():
        # the role is given by officer_register, from the day they registered
        person = talent.person_create(actor=actor, consent_given=consent_given, **person_fields)
        return officer_register(actor=actor, person=person, account=account, organisation=organisation, registered_on=registered_on,
                                note=note)  # fmt: skip


def officer_update(
    *, actor: Actor, officer: InfoOfficer, account: str, organisation: Organisation | None, registered_on: date | None, note: str = ""
) -> InfoOfficer:
    """Correct a registration of the actor's scope: the account, the organisation, the day, the note."""
    if not permissions.can_edit(actor):
        raise _deny()
    account, registered_on = _clean(actor, account=account, organisation=organisation, registered_on=registered_on)
    with transaction.atomic():
        _lock_person(actor, officer.person)
        locked = InfoOfficer.unscoped.select_for_update(of=("self",)).get(pk=officer.pk)
        if _account_taken(account, locked):
            raise _taken()
        locked.account, locked.organisation, locked.registered_on = account, organisation, registered_on
        locked.note = (note or "").strip()[:200]
        _validate(locked)
        _save(locked)
    return locked
