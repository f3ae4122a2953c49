"""The minimum password policy, enforced in the model so the web, CLI and imports obey it."""

from intranet.core.errors import RuleViolation
from intranet.core.translation import lazy_gettext as _l

MIN_PASSWORD_LENGTH = 12

# The most used passwords of at least the minimum length (from public breach lists), and
# the local words people reach for first.
COMMON_PASSWORDS = frozenset(
    {
        "123456789012",
        "1234567890123",
        "12345678910111213",
        "qwertyuiopasdfgh",
        "qwertyuiop123",
        "qwerty123456",
        "password1234",
        "password12345",
        "passwordpassword",
        "iloveyou1234",
        "abcdefghijkl",
        "aaaaaaaaaaaa",
        "111111111111",
        "000000000000",
        "lösenord1234",
        "losenord1234",
        "sommar2024sommar",
        "hösten123456",
        "välkommen123",
        "valkommen123",
        "välkommen1234",
        "linköping123",
        "linkoping123",
        "kommunen1234",
        "handlingsplan",
        "handlingsplan1",
        "handlingsplan123",
    }
)


def check_password_policy(password: str, username: str | None) -> None:
    """Raise RuleViolation("password", ...) unless the password meets the policy."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RuleViolation(
            "password", _l("Lösenordet måste ha minst %(n)s tecken.", n=MIN_PASSWORD_LENGTH)
        )
    lowered = password.lower()
    name = (username or "").strip().lower()
    if name and name in lowered:
        raise RuleViolation("password", _l("Lösenordet får inte innehålla användarnamnet."))
    if lowered in COMMON_PASSWORDS or len(set(lowered)) < 4:
        raise RuleViolation(
            "password", _l("Lösenordet är för vanligt eller enkelt. Välj ett annat.")
        )
