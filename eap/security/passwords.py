"""Password hashing with Argon2id and the password rules (length, not composition)."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

_hasher = PasswordHasher()  # argon2-cffi's defaults are Argon2id, RFC 9106 low-memory profile

MIN_LENGTH = 12
MAX_LENGTH = 256  # over-long input is refused before any hashing

# A dummy hash verified for unknown accounts, so timing does not reveal whether one exists.
_DUMMY_HASH = _hasher.hash("not-a-real-password-but-similar-cost")

COMMON_PASSWORDS = frozenset(
    {
        "passwort1234", "password1234", "123456789012", "qwertzuiop12", "qwertyuiop12",
        "passwortpasswort", "passwordpassword", "hallohallo12", "iloveyou1234",
        "sommer2024!!", "winter2024!!", "willkommen12", "welcome12345", "adminadmin12",
        "letmein12345", "000000000000", "111111111111", "abcdefghijkl", "aaaaaaaaaaaa",
    }
)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; an unknown account still costs one verification."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> str | None:
    """A message explaining why a new password is refused, or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return _l("Please choose at least %(n)s characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("Please choose at most %(n)s characters.", n=MAX_LENGTH)
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 4:
        return _l("This password is too common. Please choose another one.")
    return None
