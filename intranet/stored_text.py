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
  (samordningsnummer) is refused however it is written or displayed: 10 or 12 digits,
  YYMMDD or CCYYMMDD then any short run of separators (spaces, line breaks, every dash,
  dots, slashes, plus, box drawing, middle dots, the katakana prolonged sound mark, ...)
  or nothing, then the serial; or the date itself written with separators (1981-12-18-9876).
  The text is matched in a normalised copy: NFKC, digits of every script made ASCII, and
  every character that draws no ink removed (format and control characters, combining
  marks such as U+034F and variation selectors, Hangul fillers, the braille blank, tag and
  bidi characters). When right-to-left characters or bidi controls could make a browser
  show the digits in another order than stored, the displayed orders are checked too. What
  is stored is never changed by it. The date must be plausible (coordination numbers add 60
  to the day) and the Luhn check digit right, and a comma or a following year or date
  makes a date and a number of what follows, so that years, amounts, date spans, codes,
  phone and diary numbers pass.
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


# Characters that draw no ink but are not format, control or combining characters:
# Hangul fillers and the braille blank look like nothing (or a space) wherever they stand.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u17b4\u17b5")
# Letters drawn as a horizontal stroke, read as a dash between digits (modifier letters
# such as the katakana prolonged sound mark U+30FC are handled by their category).
_DASH_LETTERS = frozenset("\u4e00\u3161\u1173\u2f00")
# Categories of characters that draw no ink of their own: format (zero-width spaces and
# joiners, soft hyphen, bidi controls, tag characters), control, combining and enclosing
# marks (U+034F, variation selectors), private use, surrogates and unassigned code points.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Mn", "Me", "Co", "Cs", "Cn"})


# Dashes that are not in Unicode's dash category (Pd) but are written as one.
_OTHER_DASHES = frozenset("\u2212\u2796\u02d7\u2043\ufe63")
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


class _MatchingTable(dict):
    """str.translate-like table built lazily, one character at a time, and kept."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        category = unicodedata.category(char)
        if category == "Nd":
            value = str(unicodedata.decimal(char))
        elif char in _LINE_BREAKS:
            value = "\n"
        elif char.isspace():
            # Every other space: tab, no-break, thin, ideographic, ...
            value = " "
        elif category == "Pd" or char in _OTHER_DASHES:
            value = "-"
        elif category in _INVISIBLE_CATEGORIES or char in _BLANK_LETTERS:
            value = ""
        elif category == "Lm" or char in _DASH_LETTERS:
            value = "-"
        else:
            value = char
        self[code] = value
        return value


_MATCHING = _MatchingTable()
# Only these characters can need mapping: printable ASCII, line feed and the Latin-1
# letters never do, and looking up only the rest keeps long texts fast.
_MAYBE_MAPPED = re.compile(r"[^\n\x20-\x7e\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]")


def _mapped(match: re.Match) -> str:
    return _MATCHING[ord(match.group())]


def _matching(normalised: str) -> str:
    # Mapping only the few characters that need it is quickest for Swedish text; for text in
    # other scripts, where most characters do, translating every character is.
    if len(_MAYBE_MAPPED.findall(normalised, 0, 1000)) > 60:
        return normalised.translate(_MATCHING)
    return _MAYBE_MAPPED.sub(_mapped, normalised)


def matching_form(text: str) -> str:
    """The text as the identity-number check reads it: NFKC; every line break "\\n" and
    every other space " "; every decimal digit of any script an ASCII digit; everything
    that draws no ink removed; every dash, modifier letter and dash-shaped letter "-"."""
    return _matching(unicodedata.normalize("NFKC", text))


# Right-to-left letters, Arabic digits and the bidi controls and marks: with any of them in
# a text, a browser or office program may show digits in another order than stored.
_RIGHT_TO_LEFT = re.compile(
    "[\u0590-\u08ff\u200f\u202a-\u202e\u2066-\u2069\ufb1d-\ufdff\ufe70-\ufefe"
    "\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_OVERRIDES = re.compile("[\u202d\u202e]")
_EMBEDDING_START = {"\u202a": False, "\u202b": False, "\u202d": False, "\u202e": True}
_EMBEDDING_START |= {"\u2066": False, "\u2067": False, "\u2068": False}
_EMBEDDING_END = frozenset("\u202c\u2069")
_PARAGRAPH_END = frozenset("\n\r\u2029\x1c\x1d\x1e\x85")
_BIDI_PARTS = re.compile("([\u202a-\u202e\u2066-\u2069\n\r\u2029\x1c-\x1e\x85])")


def _overrides_applied(text: str) -> str:
    """`text` with every right-to-left override (U+202E up to its U+202C, U+2069 or the end
    of the paragraph) reversed, as it is displayed."""
    parts: list[list[str]] = [[]]
    reversed_: list[bool] = []

    def close() -> None:
        content = "".join(parts.pop())
        parts[-1].append(content[::-1] if reversed_.pop() else content)

    for part in _BIDI_PARTS.split(text):
        if part in _EMBEDDING_START:
            reversed_.append(_EMBEDDING_START[part])
            parts.append([])
        elif part in _EMBEDDING_END:
            if reversed_:
                close()
        else:
            if part in _PARAGRAPH_END:
                while reversed_:
                    close()
            parts[-1].append(part)
    while reversed_:
        close()
    return "".join(parts[0])


_RUNS = re.compile(r"[0-9]+|[^0-9]+")


def _displayed_forms(normalised: str) -> list[str]:
    """What a reader may see: the stored order, and when right-to-left characters are
    present also the order after overrides, every character reversed (a number typed
    backwards inside an override), and the digit groups in reverse order (the order the
    bidi algorithm gives groups of digits separated by spaces or dashes beside
    right-to-left characters or marks)."""
    forms = [_matching(normalised)]
    if _RIGHT_TO_LEFT.search(normalised):
        displayed = forms[:]
        if _OVERRIDES.search(normalised):
            displayed.append(_matching(_overrides_applied(normalised)))
        for form in displayed:
            forms += [form[::-1], "".join(reversed(_RUNS.findall(form)))]
        forms += displayed[1:]
    return list(dict.fromkeys(forms))


# A separator is a bounded run of characters that are neither letters nor digits (any
# dash, dot, slash, plus, box-drawing, middle dot, ...); a run of spaces and line breaks
# counts as one character, so no amount of spacing hides a number.
_SEP = r"(?:\s++|[^\w\s]|_){1,6}"
# Between the date and the serial: no comma, colon, semicolon or (after a date written with
# separators) line break, which separate items, so that "2019-03-14, 1500 kr", "20190228,
# 2028" and a date ending a line before an amount are a date and a number.
_SERIAL_SEP = r"(?:\s++|[^\w\s,;:]|_){1,6}"
_SAME_LINE_SERIAL_SEP = r"(?:[^\S\n]++|[^\w\s,;:]|_){1,6}"

# The two shapes of a number, each with a quick search that every text holding one matches
# and most other texts do not (the full expressions cost about a microsecond per digit).
# YYMMDD or CCYYMMDD, a separator or nothing, and the four-digit serial with its check digit,
# not the first year of a span ("19900228 - 2028-2029"). Written out digit by digit, so that
# the expression engine skips quickly to the next digit; the lookbehind then makes sure no
# digit comes before.
_COMPACT = re.compile(
    rf"[0-9][0-9][0-9][0-9][0-9][0-9](?<![0-9]{{7}})(?:[0-9][0-9])?(?:{_SERIAL_SEP})?"
    r"[0-9][0-9][0-9][0-9](?![0-9])(?!\s*[-/]\s*[0-9])"
)
_COMPACT_HINT = re.compile(r"[0-9]{6}")
# YY-MM-DD or CCYY-MM-DD with separators in the date, then separator and serial on the same
# line, not followed by more digits (then it is a date span such as "2019-03-14 - 2020-12-31").
_SEPARATED = re.compile(
    rf"[0-9][0-9](?<![0-9]{{3}})(?:[0-9][0-9])?{_SEP}[0-9][0-9]{_SEP}[0-9][0-9]"
    rf"{_SAME_LINE_SERIAL_SEP}[0-9][0-9][0-9][0-9](?!(?:{_SEP})?[0-9])"
)
_SEPARATED_HINT = re.compile(r"[0-9][\W_]+[0-9][0-9][\W_]+[0-9][0-9][\W_]+[0-9]{4}")
_SHAPES = ((_COMPACT_HINT, _COMPACT), (_SEPARATED_HINT, _SEPARATED))
_NOT_DIGITS = re.compile(r"[^0-9]+")
_CENTURIES = frozenset({"18", "19", "20"})


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


def _is_identity_number(candidate: str) -> bool:
    digits = _NOT_DIGITS.sub("", candidate)
    century = digits[:-10] or None
    if century is not None and century not in _CENTURIES:
        return False
    return _plausible_date(century, digits[-10:-4]) and _luhn_ok(digits[-10:])


# Any decimal digit of any script; NFKC has made superscript, circled and other
# compatibility digits decimal ones already.
_ANY_DIGIT = re.compile(r"\d")


def contains_identity_number(text: str | None) -> bool:
    if not text:
        return False
    normalised = unicodedata.normalize("NFKC", text)
    if not _ANY_DIGIT.search(normalised):
        return False
    return any(_holds_identity_number(form) for form in _displayed_forms(normalised))


def _holds_identity_number(form: str) -> bool:
    for hint, shape in _SHAPES:
        if not hint.search(form):
            continue
        position = 0
        while match := shape.search(form, position):
            if _is_identity_number(match.group()):
                return True
            # The next candidate may start inside a refused one: its serial can be the year
            # of a date written after it ("600101-1985-12-18-9876").
            position = match.start() + 1
    return False


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
