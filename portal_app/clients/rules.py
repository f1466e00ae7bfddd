"""What a valid client record is, field by field: one set of rules for the services and the forms.

Each `clean_*` function takes what was typed, returns the value to store, or raises
InvalidClientField naming the field with a sentence the user understands.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from email_validator import validate_email
from flask import current_app, has_app_context

from ..clock import utcnow
from ..plaintext import CONTROL_CHARACTERS_MESSAGE, has_control_characters
from .errors import InvalidClientField
from .models import CLIENT_LANGUAGES

NAME_MAX = 100
ADDRESS_MAX = 400
EMAIL_MAX = 254
EARLIEST_BIRTH = date(1900, 1, 1)
PHONE_RE = re.compile(r"^[0-9 ()+\-.]+$")
PHONE_DIGITS = (7, 20)
ZIP_RE = re.compile(r"^[0-9]{5}(-[0-9]{4})?$")
LANGUAGE_LABELS = {"en": "English", "es": "Spanish"}  # the keys are CLIENT_LANGUAGES


def _plain(value: Any, field: str, *, multiline: bool = False) -> str:
    """Text without invisible control characters (a NUL byte would also break PostgreSQL)."""
    text = "" if value is None else str(value).strip()
    if has_control_characters(text, multiline=multiline):
        raise InvalidClientField(CONTROL_CHARACTERS_MESSAGE, field=field)
    return text


def _limited(text: str, field: str, maximum: int) -> str:
    if len(text) > maximum:
        raise InvalidClientField(f"Use at most {maximum} characters.", field=field)
    return text


def clean_name(value: Any, field: str, *, required: bool, label: str) -> str:
    """A first, middle or last name."""
    text = _limited(_plain(value, field), field, NAME_MAX)
    if required and not text:
        raise InvalidClientField(f"Enter the client\u2019s {label}.", field=field)
    return text


def clean_date_of_birth(value: date | None) -> date | None:
    """Optional; a real date between 1900 and today."""
    if value is None:
        return None
    if not isinstance(value, date):
        raise InvalidClientField("Enter the date of birth as a real date, like 1984-03-21.", field="date_of_birth")
    if value > utcnow().date():
        raise InvalidClientField("The date of birth cannot be in the future.", field="date_of_birth")
    if value < EARLIEST_BIRTH:
        raise InvalidClientField("Enter a date of birth after 1 January 1900.", field="date_of_birth")
    return value


def clean_phone(value: Any) -> str:
    """Optional; digits with spaces, ( ) + - . between them, 7 to 20 digits."""
    text = _limited(_plain(value, "phone"), "phone", 40)
    if not text:
        return ""
    digits = sum(ch.isdigit() for ch in text)
    if not PHONE_RE.match(text) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
        raise InvalidClientField(
            "Enter a phone number of 7 to 20 digits, like (541) 555-0101.", field="phone"
        )
    return text


def clean_email(value: Any) -> str:
    """Optional; a well-formed address (no DNS look-up)."""
    text = _limited(_plain(value, "email"), "email", EMAIL_MAX)
    if not text:
        return ""
    testing = has_app_context() and current_app.testing
    try:
        # `.test` addresses are only accepted while testing, as email_validator intends.
        validate_email(text, check_deliverability=False, test_environment=testing)
    except ValueError as err:  # EmailNotValidError and its kinds
        raise InvalidClientField("Enter a valid email address, like name@example.org.", field="email") from err
    return text


def clean_address(value: Any) -> str:
    return _limited(_plain(value, "address", multiline=True), "address", ADDRESS_MAX)


def clean_zip_code(value: Any) -> str:
    """Optional; a US ZIP code: 5 digits, or 5+4 (97401-1234)."""
    text = _plain(value, "zip_code")
    if text and not ZIP_RE.match(text):
        raise InvalidClientField("Enter a 5-digit ZIP code, or ZIP+4 like 97401-1234.", field="zip_code")
    return text


def clean_language(value: Any) -> str:
    if value not in CLIENT_LANGUAGES:
        raise InvalidClientField("Choose English or Spanish.", field="preferred_language")
    return value


def clean_client_data(
    *, first_name: str, last_name: str, middle_name: str = "", date_of_birth: date | None = None,
    phone: str = "", email: str = "", address: str = "", zip_code: str = "",
    preferred_language: str = "en", part2_protected: bool = False,
) -> dict[str, Any]:
    """Every field of a client record checked and normalised; the first broken rule is raised."""
    return {
        "first_name": clean_name(first_name, "first_name", required=True, label="first name"),
        "middle_name": clean_name(middle_name, "middle_name", required=False, label="middle name"),
        "last_name": clean_name(last_name, "last_name", required=True, label="last name"),
        "date_of_birth": clean_date_of_birth(date_of_birth),
        "phone": clean_phone(phone),
        "email": clean_email(email),
        "address": clean_address(address),
        "zip_code": clean_zip_code(zip_code),
        "preferred_language": clean_language(preferred_language),
        "part2_protected": bool(part2_protected),
    }
