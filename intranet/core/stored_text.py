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
  (samordningsnummer) is refused however it is written or displayed. The text is matched
  in a normalised copy: NFKC; digits of every script, dingbat and circled digits made ASCII;
  every character that draws no ink removed (format and control characters, combining marks
  such as U+034F and variation selectors, Hangul fillers, the braille blank, tag and bidi
  characters); dashes, modifier letters and letters drawn as a stroke made "-"; letters and
  signs drawn like a digit read as that digit beside digits (bars also as separators). When
  right-to-left characters or bidi controls could make a browser show the digits in another
  order than stored, the displayed orders are checked too. What is stored is never changed
  by it. The copy is read as chains of digit groups joined by runs of up to twelve
  characters that are neither letters nor digits; a number is a date part (YYMMDD or
  CCYYMMDD in one group, possibly with digits glued in front; YY or CCYY, MM and DD; pairs;
  one digit at a time) and a serial of four digits (one group, pairs after pairs, or single
  digits), or one unbroken group of exactly 10 or 12 digits. The date must be plausible
  (coordination numbers add 60 to the day) and the Luhn check digit right. Digits after
  the serial change nothing, except that a serial that is the year of a following date
  (a date span) and a date written with separators, then a list separator (", ", "; ",
  ": ", a line break) and four digits (a date and an amount) pass.
- A text longer than its column's declared length is refused with the same message the
  forms give, so that a preview of in-memory objects refuses what the database would.

`printable` makes any string read back from the database safe for every writer (XLSX, DOCX,
PDF, CSV), for what was stored before these rules or around them.
"""

import calendar
import re
import unicodedata

from intranet.core.errors import RuleViolation
from intranet.core.translation import lazy_gettext as _l

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
# Letters drawn as a stroke, slash, dot or bar, read as a separator between digits (modifier
# letters such as the katakana prolonged sound mark U+30FC are handled by their category):
# CJK "one" and the Kangxi radical, Hangul eu (letter, jamo, half-width), Canadian syllabics
# finals (short horizontal stroke, acute, grave, plus, down tack), Latin clicks (dental,
# lateral, alveolar), Tifinagh yan, katakana no and the CJK slash, dot and vertical stroke,
# Hangul i, Lisu tone letters and punctuation-like letters.
_DASH_LETTERS = frozenset(
    "\u4e00\u2f00\u3161\u1173\uffda\u1428\u141f\u1420\u1429\u142a\u01c1\u01c3"
    "\u30ce\u4e3f\u4e36\u318d\ua4f8\ua4f9\ua4fa\ua4fb\ua4fc\ua4fd"
)
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
        if unicodedata.digit(char, None) is not None:
            # Decimal digits of every script, and the digits that are not decimal: dingbat
            # and circled digits (U+2780..U+2789, U+24EA), superscripts, ...
            value = str(unicodedata.digit(char))
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
    every other space " "; every digit of any script (decimal, dingbat, circled) an ASCII
    digit; everything that draws no ink removed; every dash, modifier letter and
    stroke-shaped letter "-". Look-alike digits are read on top of it (_lookalikes_read)."""
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


# --- Digit groups and the shapes a number is written in ---------------------------------
#
# The matching form is read as chains of digit groups. Between two groups of a chain stands
# a separator: a run of at most _MAX_SEPARATOR characters that are neither letters nor
# digits (every dash, dot, slash, comma, colon, box drawing, ...; letter-shaped separators
# are "-" already), where a run of spaces and line breaks counts as one character. A letter
# or a longer run ends the chain. A candidate is a few consecutive groups of one chain that
# together are written like a number: a date part then a serial of four digits.
_MAX_SEPARATOR = 12
_SEPARATOR = rf"(?>(?:\s++|[^\w\s]|_){{1,{_MAX_SEPARATOR}}})"
_CHAIN = re.compile(rf"[0-9]++(?:{_SEPARATOR}[0-9]++)*+")
_GROUPS_AND_SEPARATORS = re.compile(r"([0-9]+)")
_NOT_DIGIT = re.compile(r"[^0-9]+")
# Between items of a list: a comma, semicolon or colon followed by a space, or a line break.
_PROSE_SEPARATORS = frozenset({" ", " - ", " § ", " (", " §", "§ "})
_LIST_SEPARATOR = re.compile(r"[^\S\n]*[,;:]\s+|.*\n.*", re.S)
_CENTURIES = frozenset({"18", "19", "20"})
_YEAR_LIKE = re.compile(r"(?:18|19|20)[0-9][0-9]")


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


def _is_identity_number(digits: str) -> bool:
    """`digits` (10 or 12) are a date that exists and a serial with a right check digit."""
    century = digits[:-10] or None
    if century is not None and century not in _CENTURIES:
        return False
    return _plausible_date(century, digits[-10:-4]) and _luhn_ok(digits[-10:])


def _date_parts(groups: list[str], seps: list[str], singles: list[int], i: int):
    """Every way the groups from `i` on can be the date part: (digits, index of the next
    group, kind). Kinds: "compact" (YYMMDD or CCYYMMDD in one group), "separated" (YY or
    CCYY, MM, DD), "pairs" (YY MM DD or CC YY MM DD, one separator throughout) and
    "singles" (one digit per group, one separator throughout)."""
    first = groups[i]
    size = len(first)
    # The first group may carry digits in front ("0811218-1006"): a digit glued to the date
    # is as likely a slip or a prefix as another number, and the separator still shows
    # where the serial begins. Only the first group: inside a date or serial a longer group
    # is another shape (a date span "20190101-20191231", a diary number "2021-00123").
    # A group of exactly the length with the century is read with it ("19000229-1003" is no
    # leap day), a longer one both ways.
    if size >= 6 and size != 8:
        yield first[-6:], i + 1, "compact"
    if size >= 8:
        yield first[-8:], i + 1, "compact"
    if size >= 2 and i + 2 < len(groups) and len(groups[i + 1]) == len(groups[i + 2]) == 2:
        tail = groups[i + 1] + groups[i + 2]
        if size != 4:
            yield first[-2:] + tail, i + 3, "separated"
        if size == 2 and seps[i] == seps[i + 1]:
            yield first + tail, i + 3, "pairs"
        if size >= 4:
            yield first[-4:] + tail, i + 3, "separated"
        if (
            size == 2
            and i + 3 < len(groups)
            and len(groups[i + 3]) == 2
            and seps[i] == seps[i + 1] == seps[i + 2]
        ):
            yield first + tail + groups[i + 3], i + 4, "pairs"
    if size == 1:
        for count in (6, 8):
            if singles[i] >= count:
                yield "".join(groups[i : i + count]), i + count, "singles"


def _single_runs(groups: list[str], seps: list[str]) -> list[int]:
    """For each group, how many one-digit groups start there with one separator between
    them all that is not a list separator, so that a list of codes ("1.1, 1.2, 1.3") is no
    number."""
    runs = [0] * (len(groups) + 1)
    for i in range(len(groups) - 1, -1, -1):
        if len(groups[i]) != 1:
            continue
        runs[i] = 1
        if runs[i + 1] and not _LIST_SEPARATOR.fullmatch(seps[i]):
            # The run from the next group goes on with this one if its separator is the
            # same; otherwise this group and the next are a run of two.
            runs[i] = runs[i + 1] + 1 if runs[i + 1] > 1 and seps[i] == seps[i + 1] else 2
    return runs


def _serials(groups, seps, singles, j: int, kind: str, pairs_sep: str | None):
    """Every way the groups from `j` on can be the serial: (digits, index after it)."""
    if j >= len(groups):
        return
    if len(groups[j]) == 4:
        yield groups[j], j + 1
    # Serial in pairs only after a date in pairs, all with the same separator
    # ("81.12.18.10.06"); a date then a time ("2019-03-14 13.00") or a list of times
    # ("10.15 11.30 13.00") has separators that differ.
    if (
        kind == "pairs"
        and j + 1 < len(groups)
        and len(groups[j]) == len(groups[j + 1]) == 2
        and seps[j - 1] == seps[j] == pairs_sep
    ):
        yield groups[j] + groups[j + 1], j + 2
    if singles[j] >= 4:
        yield "".join(groups[j : j + 4]), j + 4


def _date_span(groups: list[str], seps: list[str], serial_end: int, serial: str) -> bool:
    """The serial is the year of a date written after it ("2019-03-14 – 2020-12-31")."""
    k = serial_end
    if not _YEAR_LIKE.fullmatch(serial) or k + 1 >= len(groups):
        return False
    month, day = groups[k], groups[k + 1]
    return len(month) == len(day) == 2 and _plausible_date(serial[:2], serial[2:] + month + day)


def _chain_holds_identity_number(groups: list[str], seps: list[str]) -> bool:
    singles = _single_runs(groups, seps)
    for i, group in enumerate(groups):
        # One unbroken group of exactly 10 or 12 digits. A longer or shorter unbroken run
        # (an account, invoice or reference number) has nothing that shows where a date
        # would start or a serial end, so it is another number.
        if len(group) in (10, 12) and _is_identity_number(group):
            return True
        for date, j, kind in _date_parts(groups, seps, singles, i):
            pairs_sep = seps[i] if kind == "pairs" else None
            for serial, end in _serials(groups, seps, singles, j, kind, pairs_sep):
                if not _is_identity_number(date + serial):
                    continue
                # Digits after the serial do not make it something else ("811218-1006-2",
                # "811218-1006/2024"), with two exceptions that keep ordinary text:
                # - the serial is the year of a date that follows (a date span);
                if end - j == 1 and _date_span(groups, seps, end, serial):
                    continue
                # - a date written with separators, then a comma, semicolon or colon and a
                #   space, or a line break, then four digits is a list: a date and an amount
                #   ("2019-03-14, 1500 kr"). A compact date followed by four digits is the
                #   shape of a number with any separator ("811218,1006").
                if kind != "compact" and _LIST_SEPARATOR.fullmatch(seps[j - 1]):
                    continue
                # - an ISO date ("2021-03-15") followed as prose follows it, by one space, a
                #   spaced dash, "§" or "(": a date and a time, a count or a paragraph
                #   ("Möte 2021-03-15 1300", "Beslut 2021-03-15 § 1441") are everyday text.
                #   A number written from a date keeps its dash ("1981-12-18-1006") or
                #   another shape ("1981 12 18 1006", "1981/12/18/1006").
                if (
                    kind == "separated"
                    and len(date) == 8
                    and seps[i] == seps[i + 1] == "-"
                    and seps[j - 1] in _PROSE_SEPARATORS
                ):
                    continue
                return True
    return False


def _holds_identity_number(form: str) -> bool:
    for match in _CHAIN.finditer(form):
        chain = match.group()
        # Fewer than ten digits in a chain hold no number.
        if len(chain) < 10 or len(_NOT_DIGIT.sub("", chain)) < 10:
            continue
        parts = _GROUPS_AND_SEPARATORS.split(chain)
        if _chain_holds_identity_number(parts[1::2], parts[2:-1:2]):
            return True
    return False


# Letters and signs drawn like a digit (after NFKC, which has made full-width, mathematical
# and Roman-numeral forms plain letters), from Unicode's confusables for the digits. They
# are read as digits only when glued to digits, or (letters only) as a word of their own a
# separator away from a digit ("8ll2l8-l006", "811218-1ОО6", "811218 - lOO6"), so that
# words stay words and a bar in a table stays a separator.
_LOOKALIKE_DIGITS = {
    "0": "OoОоΟοՕօ〇ㅇⵔ○◯",
    "1": "lI|ІіӀӏΙıǀⵏ׀ㅣ丨ꓲ",
    "2": "Ƨ",
    "3": "ЗзƷʒӠӡ",
    "4": "ЧчᏎ",
    "5": "Ƽƽ",
    "6": "бᏮ",
    "8": "Ȣȣ",
}
_AS_DIGITS = str.maketrans({c: d for d, cs in _LOOKALIKE_DIGITS.items() for c in cs})
# Letters only: a bar in the separators between words of letters stays a separator.
_LETTERS_AS_DIGITS = {code: digit for code, digit in _AS_DIGITS.items() if chr(code).isalpha()}
_ALL_LOOKALIKES = "".join(_LOOKALIKE_DIGITS.values())
_LOOKALIKE = "[" + re.escape(_ALL_LOOKALIKES) + "]"
_LOOKALIKE_LETTER = "[" + re.escape("".join(c for c in _ALL_LOOKALIKES if c.isalpha())) + "]"
# A separator that is no bar, so that a bar after it can be read as a one ("8 1 | 2").
_SEPARATOR_NO_BAR = rf"(?>(?:\s++|[^\w\s|\u05c0]|_){{1,{_MAX_SEPARATOR}}})"
# Each expression starts by looking at the character itself, which fails quickest.
_LOOKALIKE_BY_DIGITS = re.compile(
    rf"(?={_LOOKALIKE})(?<=[0-9]){_LOOKALIKE}+|{_LOOKALIKE}+(?=[0-9])"
)
# Words of look-alike letters a separator away from digits, one after another ("8 l O 2"
# in one match).
_LOOKALIKE_WORD_BY_DIGITS = re.compile(
    rf"(?<=[0-9])(?:{_SEPARATOR}{_LOOKALIKE_LETTER}+(?![^\W_]))+"
    rf"|(?={_LOOKALIKE_LETTER})(?<![^\W_])(?:{_LOOKALIKE_LETTER}+{_SEPARATOR})+(?=[0-9])"
)
# The same with bars and circles alone, read so in a reading of their own ("8 1 | 2").
_LOOKALIKE_SIGN_BY_DIGITS = re.compile(
    rf"(?<=[0-9])(?:{_SEPARATOR_NO_BAR}{_LOOKALIKE}+(?![^\W_]))+"
    rf"|(?={_LOOKALIKE})(?<![^\W_])(?:{_LOOKALIKE}+{_SEPARATOR_NO_BAR})+(?=[0-9])"
)
# A quick search that every text needing the readings below matches and most others do not.
_LOOKALIKE_HINT = re.compile(
    rf"[0-9]{_LOOKALIKE}|{_LOOKALIKE}[0-9]|[0-9]{_SEPARATOR_NO_BAR}{_LOOKALIKE}+(?![^\W_])"
    rf"|(?={_LOOKALIKE})(?<![^\W_]){_LOOKALIKE}+{_SEPARATOR_NO_BAR}[0-9]"
)
# Signs drawn as a vertical stroke are a one or a separator ("811218ǀ1006", "811218|1006").
_STROKES = re.compile("[" + re.escape(_LOOKALIKE_DIGITS["1"]) + "]+")
# Those that are no Latin, Greek or Cyrillic letter are read as separators all at once too,
# for a date written with them ("81ǀ12ǀ18ǀ1OO6" with Latin l and O as digits).
_BARS = re.compile("[|ǀⵏ׀ㅣ丨]")
# A number with the longest separators spans less than this on either side of a stroke.
_STROKE_REACH = 12 * (_MAX_SEPARATOR + 2)
_MAX_STROKE_READINGS = 64


def _glued_read(read: str) -> str:
    return _LOOKALIKE_BY_DIGITS.sub(lambda m: m.group().translate(_AS_DIGITS), read)


def _words_read(words: re.Pattern, table: dict, read: str) -> str:
    # A word read as digits can make digits of what is glued to it ("68.|З") and bring the
    # next word within reach.
    for _ in range(12):
        changed = _glued_read(words.sub(lambda m: m.group().translate(table), read))
        if changed == read:
            break
        read = changed
    return read


def _lookalikes_read(form: str):
    """`form`, and when look-alikes stand by digits: look-alikes read as digits (words of
    letters, then also words of signs such as bars and circles), and then bars read as
    separators, and each run of strokes among them read as a separator in turn (the rest
    as digits) in the stretch of text around it that one number could cover."""
    if not _LOOKALIKE_HINT.search(form):
        yield form
        return
    read = _words_read(_LOOKALIKE_WORD_BY_DIGITS, _LETTERS_AS_DIGITS, _glued_read(form))
    readings = [read]
    if _LOOKALIKE_SIGN_BY_DIGITS.search(read):
        readings.append(_words_read(_LOOKALIKE_SIGN_BY_DIGITS, _AS_DIGITS, read))
    for read in readings:
        yield read
        yield from _strokes_as_separators(form, read)


def _strokes_as_separators(form: str, read: str):
    # Every translation above maps one character to one, so positions agree.
    bars = [m.start() for m in _BARS.finditer(form) if read[m.start()] != form[m.start()]]
    if bars:
        characters = list(read)
        for position in bars:
            characters[position] = "-"
        yield "".join(characters)
    strokes = [m for m in _STROKES.finditer(form) if read[m.start()] != form[m.start()]]
    if len(strokes) > _MAX_STROKE_READINGS:
        # Too many to read one at a time: all of them as separators at once.
        yield _STROKES.sub(lambda m: "-" * len(m.group()), read)
        return
    for stroke in strokes:
        start, end = stroke.span()
        begin, stop = max(0, start - _STROKE_REACH), min(len(read), end + _STROKE_REACH)
        # Do not cut a digit group in two, which would make another number of it.
        while begin > 0 and read[begin - 1].isdigit():
            begin -= 1
        while stop < len(read) and read[stop].isdigit():
            stop += 1
        for first, last in _separator_parts(end - start):
            yield read[begin : start + first] + "-" * (last - first) + read[start + last : stop]


def _separator_parts(length: int):
    """Which part of a run of strokes is the separator, the rest being ones ("ǀl006"):
    every part of a short run, each single stroke or the whole of a long one."""
    if length <= 6:
        return [(i, j) for i in range(length) for j in range(i + 1, length + 1)]
    return [(i, i + 1) for i in range(length)] + [(0, length)]


_ASCII_DIGIT = re.compile(r"[0-9]")


def contains_identity_number(text: str | None) -> bool:
    if not text:
        return False
    normalised = unicodedata.normalize("NFKC", text)
    forms = _displayed_forms(normalised)
    if not _ASCII_DIGIT.search(forms[0]):
        return False
    return any(
        _holds_identity_number(reading) for form in forms for reading in _lookalikes_read(form)
    )


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
