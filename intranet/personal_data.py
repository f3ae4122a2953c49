"""Guard against Swedish personal identity and coordination numbers in free text.

The data concern an ethnic minority (GDPR art. 9); the tool follows activities and
groups, never named individuals, so such numbers are refused wherever text is stored.
"""

import re

from flask_babel import lazy_gettext as _l

from intranet.errors import RuleViolation

# YYMMDD-NNNN, YYMMDD+NNNN, YYYYMMDD-NNNN, YYYYMMDDNNNN, YYMMDDNNNN (with or without separator)
_CANDIDATE = re.compile(r"(?<!\d)(\d{2})?(\d{2})(\d{2})(\d{2})[-+ ]?(\d{4})(?!\d)")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _is_identity_number(match: re.Match) -> bool:
    _century, year, month, day, tail = match.groups()
    month_number, day_number = int(month), int(day)
    if not 1 <= month_number <= 12:
        return False
    # Coordination numbers (samordningsnummer) add 60 to the day.
    if not (1 <= day_number <= 31 or 61 <= day_number <= 91):
        return False
    return _luhn_ok(f"{year}{month}{day}{tail}")


def contains_identity_number(text: str | None) -> bool:
    if not text:
        return False
    return any(_is_identity_number(match) for match in _CANDIDATE.finditer(text))


def refuse_identity_numbers(field: str, text: str | None) -> None:
    """Raise RuleViolation for `field` when its text holds a personal identity number."""
    if contains_identity_number(text):
        raise RuleViolation(
            field,
            _l(
                "Texten innehåller ett personnummer eller samordningsnummer. Verktyget följer "
                "aktiviteter och grupper, aldrig enskilda personer – ta bort numret."
            ),
        )
