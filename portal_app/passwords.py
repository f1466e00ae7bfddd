"""argon2id password hashing (S1)."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters
MAX_PASSWORD = 128


def configure(time_cost: int | None = None, memory_cost: int | None = None) -> None:
    """Lower the cost in tests only; production keeps the defaults."""
    global _hasher, _DUMMY
    if time_cost or memory_cost:
        _hasher = PasswordHasher(time_cost=time_cost or 2, memory_cost=memory_cost or 65536)
        # An unknown email must cost what a known one costs (no timing oracle): same parameters.
        _DUMMY = _hasher.hash("caseport-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when the password matches; a missing hash still costs one verification."""
    try:
        return _hasher.verify(stored_hash or _DUMMY, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


_DUMMY = PasswordHasher().hash("caseport-dummy-password")
