"""No personal value in clear: the maskers, the audit trail's changes and names, and the logs."""

from __future__ import annotations

import json
import logging
from io import StringIO

import pytest
from tests.factories import PASSWORD

from xinghuo.accounts.models import User
from xinghuo.core import audit
from xinghuo.core.logging import MaskPersonalDataFilter
from xinghuo.core.masking import mask_address, mask_id_number, mask_name, mask_phone, mask_secret, mask_text
from xinghuo.core.models import AuditAction, AuditEvent
from xinghuo.organisations.models import Organisation

PHONE = "13812345678"
PHONE_MASKED = "138****5678"
ID_NUMBER = "370902199001011234"
ID_MASKED = "3709**********1234"
CITIZEN_PHONE = "13912345678"  # the citizen persona's
CITIZEN_MASKED = "139****5678"


def _as_text(event: AuditEvent) -> str:
    """Everything a record holds, as its seal's hash covers it (the place in the chain is no personal data)."""
    return json.dumps(audit.event_fields(event, seq=0, prev_hash=audit.GENESIS), ensure_ascii=False)


def _trail_text(events: list[AuditEvent]) -> str:
    assert events, "the act left no record to look into"
    return "\n".join(_as_text(e) for e in events)


# --- the maskers ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "masked"),
    [(PHONE, PHONE_MASKED), ("0538-8221234", "********1234"), ("123", "***"), ("", ""), (None, "")],
)
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [(ID_NUMBER, ID_MASKED), ("37090219900101123X", "3709**********123X"), ("12345678", "********"), ("", ""), (None, "")],
)
def test_mask_id_number(value, masked):
    assert mask_id_number(value) == masked


def test_mask_name_address_and_secret():
    assert mask_name("张三丰") == "张**"
    assert mask_address("山东省泰安市泰山区岱庙街道1号") == "山东省泰安市********"
    assert mask_secret("argon2$argon2id$v=19$m=8,t=1,p=1$abc") == "******"
    assert mask_secret("") == ""


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"市民 {PHONE} 报名", f"市民 {PHONE_MASKED} 报名"),
        (f"身份证{ID_NUMBER}，电话:{PHONE}", f"身份证{ID_MASKED}，电话:{PHONE_MASKED}"),
        ("身份证 37090219900101123x 已核验", "身份证 3709**********123x 已核验"),
        (f"tel={PHONE}&id={ID_NUMBER}", f"tel={PHONE_MASKED}&id={ID_MASKED}"),
        ("订单号 202601011234567890123 与 12345678901", "订单号 202601011234567890123 与 12345678901"),  # not a phone or an ID
    ],
)
def test_mask_text_masks_every_phone_and_id_number_in_free_text(text, masked):
    assert mask_text(text) == masked


# --- the audit trail ------------------------------------------------------------------------------------------


def test_a_staff_account_created_in_the_console_is_recorded_masked(personas, client, login, watch_trail):
    login(client, personas.sysadmin)
    watch = watch_trail()

    response = client.post(
        "/console/accounts/users/new/", {"username": "zhanglaoshi", "name": "张老师", "phone": PHONE, "password": "Kp9#Tx4!Wm2@Lq"}
    )

    assert response.status_code == 302
    user = User.objects.get(username="zhanglaoshi")
    event = watch.one(AuditAction.CREATE)
    assert event.object_id == str(user.uid)
    assert event.changes["phone"] == [None, PHONE_MASKED]
    assert event.changes["password"] == [None, "******"]
    text = _trail_text(watch.events())
    assert PHONE not in text
    assert user.password not in text
    assert "argon2" not in text


def test_a_citizen_registering_is_recorded_masked(db, client, watch_trail):
    watch = watch_trail()

    response = client.post(
        "/accounts/register/", {"phone": PHONE, "name": "", "password": "Taishan-2026", "password2": "Taishan-2026", "consent": "on"}
    )

    assert response.status_code == 302
    user = User.objects.get(phone=PHONE)
    create, login = watch.one(AuditAction.CREATE), watch.one(AuditAction.LOGIN)
    assert create.changes["phone"] == [None, PHONE_MASKED]
    assert create.object_repr == f"用户 {PHONE_MASKED}"
    assert login.actor_label == PHONE_MASKED
    text = _trail_text(watch.events())
    assert PHONE not in text
    assert user.password not in text


def test_a_changed_phone_is_recorded_masked_on_both_sides(personas, watch_trail):
    citizen = personas.citizen
    watch = watch_trail()

    citizen.phone = PHONE
    citizen.save(update_fields=["phone", "updated_at"])

    assert watch.one(AuditAction.UPDATE).changes == {"phone": [CITIZEN_MASKED, PHONE_MASKED]}
    assert CITIZEN_PHONE not in _trail_text(watch.events())


def test_a_changed_password_is_recorded_only_as_stars(personas, client, login, watch_trail):
    login(client, personas.county_a)
    old_hash = personas.county_a.password
    watch = watch_trail()

    client.post("/accounts/password/", {"old_password": PASSWORD, "new_password": "Qz7#Lm2!Vw9@Rt4", "new_password2": "Qz7#Lm2!Vw9@Rt4"})

    personas.county_a.refresh_from_db()
    update = watch.one(AuditAction.UPDATE)
    assert update.changes["password"] == ["******", "******"]
    text = _trail_text(watch.events())
    assert old_hash not in text
    assert personas.county_a.password not in text
    assert "Qz7#Lm2!Vw9@Rt4" not in text


def test_a_deleted_account_is_recorded_masked(personas, watch_trail):
    citizen = personas.citizen
    watch = watch_trail()

    citizen.delete()

    event = watch.one(AuditAction.DELETE)
    assert event.changes["phone"] == [CITIZEN_MASKED, None]
    assert event.changes["password"] == ["******", None]
    assert CITIZEN_PHONE not in _trail_text(watch.events())


def test_an_organisation_contact_phone_is_recorded_masked(personas, client, login, watch_trail):
    login(client, personas.city_staff)
    parent = Organisation.unscoped.get(code="KX370902")
    watch = watch_trail()

    client.post(
        "/console/organisations/new/",
        {"name": "泰山区实验学校", "kind": "school", "parent": str(parent.uid), "region": "370902001", "contact_phone": PHONE},
    )
    org = Organisation.unscoped.get(name="泰山区实验学校")
    client.post(
        f"/console/organisations/{org.uid}/edit/",
        {"name": org.name, "kind": "school", "region": "370902001", "contact_phone": CITIZEN_PHONE},
    )

    assert Organisation.unscoped.get(pk=org.pk).contact_phone == CITIZEN_PHONE
    assert watch.one(AuditAction.CREATE).changes["contact_phone"] == [None, PHONE_MASKED]
    assert watch.one(AuditAction.UPDATE).changes["contact_phone"] == [PHONE_MASKED, CITIZEN_MASKED]
    text = _trail_text(watch.events())
    assert PHONE not in text
    assert CITIZEN_PHONE not in text


def test_revealing_a_phone_records_that_it_was_seen_but_not_the_number(personas, client, login, watch_trail):
    login(client, personas.sysadmin)
    watch = watch_trail()

    response = client.post(f"/console/accounts/users/{personas.citizen.uid}/reveal-phone/")

    assert CITIZEN_PHONE in response.content.decode()
    assert watch.one(AuditAction.VIEW_PERSONAL).changes == {"phone": [None, CITIZEN_MASKED]}
    assert CITIZEN_PHONE not in _trail_text(watch.events())


def test_a_failed_login_with_a_citizen_phone_records_it_masked(personas, client, watch_trail):
    watch = watch_trail()

    client.post("/accounts/login/", {"username": CITIZEN_PHONE, "password": "wrong-password"})

    assert watch.one(AuditAction.LOGIN_FAILED).object_repr == f"登录名 {CITIZEN_MASKED}"
    assert CITIZEN_PHONE not in _trail_text(watch.events())


def test_a_citizen_signing_in_is_named_by_the_masked_phone(personas, client, watch_trail):
    watch = watch_trail()

    client.post("/accounts/login/", {"username": CITIZEN_PHONE, "password": PASSWORD})

    event = watch.one(AuditAction.LOGIN)
    assert (event.actor_label, event.object_repr) == (CITIZEN_MASKED, f"用户 {CITIZEN_MASKED}")
    assert CITIZEN_PHONE not in _trail_text(watch.events())


def test_a_citizen_locked_out_leaves_no_phone_in_the_trail(personas, client, watch_trail):
    watch = watch_trail()

    for _ in range(5):
        client.post("/accounts/login/", {"username": CITIZEN_PHONE, "password": "wrong-password"})

    assert len(watch.events(AuditAction.LOGIN_FAILED)) == 4
    watch.one(AuditAction.LOCKOUT)
    assert CITIZEN_PHONE not in _trail_text(watch.events())


@pytest.mark.parametrize("typed", ["139 1234 5678", "139-1234-5678", "+8613912345678"])
def test_a_failed_login_with_a_phone_typed_with_separators_records_it_masked(personas, client, watch_trail, typed):
    watch = watch_trail()

    client.post("/accounts/login/", {"username": typed, "password": "wrong-password"})

    event = watch.one(AuditAction.LOGIN_FAILED)
    assert "1234" not in event.object_repr
    assert event.object_repr.endswith("5678")


# --- the logs -------------------------------------------------------------------------------------------------


@pytest.fixture
def console_log():
    """What the configured console handler (settings.LOGGING, with its masking filter) writes."""
    [handler] = [h for h in logging.getLogger().handlers if any(isinstance(f, MaskPersonalDataFilter) for f in h.filters)]
    stream = StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


def test_the_log_masks_phones_and_id_numbers_in_messages_and_arguments(console_log):
    log = logging.getLogger("xinghuo.registrations")

    log.warning("市民 %s 报名失败", PHONE)
    log.warning(f"身份证 {ID_NUMBER} 核验失败")  # noqa: G004 (an f-string is what a careless caller writes)

    text = console_log.getvalue()
    assert f"市民 {PHONE_MASKED} 报名失败" in text
    assert f"身份证 {ID_MASKED} 核验失败" in text
    assert PHONE not in text
    assert ID_NUMBER not in text


def test_the_filter_leaves_other_messages_and_their_arguments_alone(caplog):
    caplog.handler.addFilter(MaskPersonalDataFilter())
    try:
        logging.getLogger("xinghuo.test").warning("导入 %d 行，用时 %s 秒", 12345678901, "3.5")
    finally:
        caplog.handler.filters.clear()

    [record] = caplog.records
    assert record.getMessage() == "导入 12345678901 行，用时 3.5 秒"
    assert record.args == (12345678901, "3.5")


def test_the_filter_masks_a_record_seen_through_caplog(caplog):
    caplog.handler.addFilter(MaskPersonalDataFilter())
    try:
        logging.getLogger("xinghuo.test").warning("联系电话 %s，证件 %s", PHONE, ID_NUMBER)
    finally:
        caplog.handler.filters.clear()

    assert caplog.records[0].getMessage() == f"联系电话 {PHONE_MASKED}，证件 {ID_MASKED}"
    assert PHONE not in caplog.text


def test_the_log_masks_a_phone_inside_a_logged_exception(console_log):
    log = logging.getLogger("django.request")

    try:
        raise ValueError(f'duplicate key value violates unique constraint "accounts_user_phone_key" DETAIL: Key (phone)=({PHONE})')
    except ValueError:
        log.exception("Internal Server Error: /accounts/register/")

    text = console_log.getvalue()
    assert "Internal Server Error" in text
    assert PHONE not in text
