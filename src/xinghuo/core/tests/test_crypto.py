"""Personal values encrypted at rest (core.crypto) and ID numbers checked as GB 11643 has them (core.id_numbers)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import override_settings

from xinghuo.core import crypto, id_numbers

VALID = id_numbers.make("370902", date(1990, 1, 1), 123)


def test_a_value_decrypts_to_itself_and_never_encrypts_the_same_twice():
    first = crypto.encrypt(VALID, context="talent.person.id_number")
    second = crypto.encrypt(VALID, context="talent.person.id_number")

    assert first != second  # a fresh nonce each time: equal values do not show as equal ciphertext
    assert VALID not in first
    assert crypto.decrypt(first, context="talent.person.id_number") == VALID


def test_a_value_copied_into_another_column_does_not_decrypt():
    token = crypto.encrypt(VALID, context="talent.person.id_number")

    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="talent.person.phone")


def test_another_key_cannot_decrypt_and_gives_another_blind_index():
    token = crypto.encrypt(VALID, context="x")
    index = crypto.blind_index(VALID, purpose="x")

    with override_settings(FIELD_ENCRYPTION_KEY="another key of at least thirty-two characters"):
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(token, context="x")
        assert crypto.blind_index(VALID, purpose="x") != index


def test_the_blind_index_is_the_same_for_two_spellings_of_one_number():
    lower = VALID[:-1] + VALID[-1].lower()

    assert crypto.blind_index(f" {lower} ", purpose="p") == crypto.blind_index(VALID.upper(), purpose="p")
    assert crypto.blind_index(VALID, purpose="p") != crypto.blind_index(VALID, purpose="q")


def test_a_number_with_the_right_check_character_is_accepted():
    assert id_numbers.validate("11010519491231002X") == "11010519491231002X"  # the standard's own example
    assert id_numbers.validate("11010519491231002x") == "11010519491231002X"
    assert id_numbers.validate(VALID) == VALID


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param("110105194912310021", "校验位不正确", id="wrong-check-digit"),
        pytest.param("11010519491231002", "应为 18 位", id="too-short"),
        pytest.param(VALID[:15] + "9" + VALID[16:], "校验位不正确", id="one-digit-mistyped"),
        pytest.param("370902" + "19900230" + "1234", "出生日期不是有效日期", id="30-february"),
        pytest.param("990902199001011234", "地址码", id="no-such-province"),
    ],
)
def test_a_wrong_number_is_refused_with_a_chinese_reason(value, message):
    with pytest.raises(id_numbers.InvalidIdNumber, match=message):
        id_numbers.validate(value)


def test_a_birth_date_in_the_future_is_refused():
    tomorrow_born = id_numbers.make("370902", date(2031, 1, 1), 1)

    with pytest.raises(id_numbers.InvalidIdNumber, match="不合理"):
        id_numbers.validate(tomorrow_born, today=date(2026, 12, 2))


def test_sex_and_age_are_read_from_the_number():
    man = id_numbers.make("370902", date(2012, 12, 3), 11)
    woman = id_numbers.make("370902", date(2012, 12, 2), 12)

    assert id_numbers.is_male(man)
    assert not id_numbers.is_male(woman)
    assert id_numbers.age_on(id_numbers.birth_date(man), date(2026, 12, 2)) == 13
    assert id_numbers.age_on(id_numbers.birth_date(woman), date(2026, 12, 2)) == 14
