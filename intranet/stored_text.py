"""Text we may store, and text every writer can take.

The data concern an ethnic minority (GDPR art. 9); the tool follows activities and groups,
never named individuals. Every stored text passes `clean_stored_text` and
`check_stored_text`: the model layer applies them to every String and Text column
(RuleChecked), the history to the change note (versioning.ChangeContextPlugin).

- Control characters are removed, not refused: C0 and C1 controls, DEL, lone surrogates and
  U+FFFE/U+FFFF. Nobody can see them, so nobody could find one to remove it; they carry no
  meaning, and they break the XML inside XLSX and DOCX files (PostgreSQL refuses NUL too).
  Multi-line text keeps tab, newline and carriage return; single-line text gets a space for
  each of them.
- A Swedish personal identity number (personnummer) or coordination number
  (samordningsnummer) is refused, however it is written: 10 or 12 digits, with "-", "+",
  spaces or nothing between date and serial, any Unicode dash or space, spaces around the
  separator, invisible format characters in between, full-width digits. The text is matched
  in a normalised copy (NFKC, dashes, spaces); what is stored is never changed by it. The
  date must be plausible (coordination numbers add 60 to the day) and the Luhn check digit
  right, so that years, amounts, codes and phone numbers pass.
- A text longer than its column's declared length is refused with the same message the
  forms give, so that a preview of in-memory objects refuses what the database would.

`printable` makes any string read back from the database safe for every writer (XLSX, DOCX,
PDF, CSV), for what was stored before these rules or around them.
"""

import calendar
import re
import unicodedata

from intranet.errors import RuleViolation
from intranet.translation import lazy_gettext as _l

# Never valid in XML 1.0, or control characters without a visible meaning.
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
_CONTROL_MULTILINE = re.compile(f"[{_CONTROL}]")
_LINE_BREAKS_AND_TABS = re.compile(r"\r\n|[\t\n\r]")


def clean_stored_text(text: str, multiline: bool) -> str:
    """`text` without control characters; single-line text gets a space for tabs and breaks."""
    if not multiline:
        text = _LINE_BREAKS_AND_TABS.sub(" ", text)
    return _CONTROL_MULTILINE.sub("", text)


def printable(value):
    """A value any writer accepts: strings lose their control characters (tab, newline and
    carriage return stay), everything else is returned as it is."""
    if isinstance(value, str):
        return _CONTROL_MULTILINE.sub("", value)
    return value


# Dashes that are not in Unicode's dash category (Pd) but are written as one.
_OTHER_DASHES = frozenset("\u2212\u2796\u02d7\u2043\ufe63")


class _MatchingTable(dict):
    """str.translate table built lazily, one character at a time, and kept."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        category = unicodedata.category(char)
        if category == "Pd" or char in _OTHER_DASHES:
            value = "-"
        elif category == "Zs" or char == "\t":
            value = " "
        elif category == "Cf":
            # Zero-width spaces, joiners, soft hyphens and direction marks: invisible.
            value = ""
        elif category == "Nd":
            value = str(unicodedata.decimal(char))
        else:
            value = char
        self[code] = value
        return value


_MATCHING = _MatchingTable()
# Only these characters can need mapping: ASCII and the Latin-1 letters never do, and
# looking up only the rest keeps long texts fast.
_MAYBE_MAPPED = re.compile(r"[^\x00-\x08\x0a-\x7f\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]")


def _mapped(match: re.Match) -> str:
    return _MATCHING[ord(match.group())]


def matching_form(text: str) -> str:
    """The text as the identity-number check reads it: NFKC, every dash "-", every space
    " ", invisible format characters removed, every decimal digit an ASCII digit."""
    return _MAYBE_MAPPED.sub(_mapped, unicodedata.normalize("NFKC", text))


# YYMMDD or CCYYMMDD, then "-" or "+" (with up to three spaces around it), one space or
# nothing, then the four-digit serial with its check digit. Exactly 10 or 12 digits.
_CANDIDATE = re.compile(
    r"(?<![0-9])(?P<century>18|19|20)?(?P<date>[0-9]{6})"
    r"(?: {0,3}[-+] {0,3}| ?)(?P<serial>[0-9]{4})(?![0-9])"
)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _plausible_date(century: str | None, date: str) -> bool:
    month, day = int(date[2:4]), int(date[4:6])
    if day > 60:
        day -= 60  # coordination numbers add 60 to the day of birth
    if not 1 <= month <= 12 or day < 1:
        return False
    # Without the century any year is possible, a leap year included.
    year = int(century + date[:2]) if century else 2000
    return day <= calendar.monthrange(year, month)[1]


def _is_identity_number(match: re.Match) -> bool:
    century, date, serial = match.group("century", "date", "serial")
    return _plausible_date(century, date) and _luhn_ok(date + serial)


_SIX_DIGITS = re.compile(r"[0-9]{6}")


def contains_identity_number(text: str | None) -> bool:
    if not text or not any(char.isnumeric() for char in text):
        return False
    text = matching_form(text)
    # Most texts hold no run of six digits, and that search is much quicker than the full one.
    if not _SIX_DIGITS.search(text):
        return False
    return any(_is_identity_number(match) for match in _CANDIDATE.finditer(text))


IDENTITY_NUMBER_MESSAGE = _l(
    "Texten innehåller ett personnummer eller samordningsnummer. Verktyget följer "
    "aktiviteter och grupper, aldrig enskilda personer – ta bort numret."
)


def refuse_identity_numbers(field: str, text: str | None) -> None:
    """Raise RuleViolation for `field` when its text holds a personal identity number."""
    if contains_identity_number(text):
        raise RuleViolation(field, IDENTITY_NUMBER_MESSAGE)


def too_long_message(limit: int):
    return _l("Texten får vara högst %(n)s tecken.", n=limit)


def check_stored_text(
    field: str, text: str | None, max_length: int | None = None, free_text: bool = True
) -> None:
    """Raise RuleViolation for `field` when `text` is too long or holds an identity number.

    `free_text=False` is for values that are not written by people (hashes, derived keys),
    where a digit run is no personal data."""
    if text is None:
        return
    if max_length is not None and len(text) > max_length:
        raise RuleViolation(field, too_long_message(max_length))
    if free_text:
        refuse_identity_numbers(field, text)
