"""Whole numbers read from requests and spreadsheets, bounded to what the database holds.

Every id, year and lock version that arrives as text goes through here, so that a number
too large for the database's integer columns (or written with other digits than 0-9) is
"not a valid value" like any other, never a database error.
"""

import math

# PostgreSQL's `integer`; SQLite holds more, but nothing may depend on that.
MAX_INTEGER = 2**31 - 1
# Transaction ids are `bigint`.
MAX_BIG_INTEGER = 2**63 - 1


def parse_whole(value, low: int = 0, high: int = MAX_INTEGER) -> int | None:
    """`value` (text of ASCII digits, surrounding spaces allowed) as an int within
    [low, high], else None. Unicode digits such as "²" or "٣" are not numbers here."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        # The length check first: int() of a huge text is slow, and nothing fits anyway.
        if not (text.isascii() and text.isdigit()) or len(text) > len(str(high)):
            return None
        number = int(text)
    return number if low <= number <= high else None


def parse_id(value) -> int | None:
    """A record id: a positive integer the database's integer key can hold, else None."""
    return parse_whole(value, 1)


def coerce_id(value):
    """For a WTForms choice field of ids: None when empty, -1 (no choice has it, so the
    field reports its message) when not an id."""
    if value in (None, "", "None"):
        return None
    parsed = parse_id(value)
    return -1 if parsed is None else parsed


def spreadsheet_whole(value, low: int = 0, high: int = MAX_INTEGER) -> int | None:
    """A whole number from a spreadsheet cell (a number or its text, e.g. 12 or "12" or
    12.0), else None: fractions, inf, nan and numbers beyond the bounds are not ids."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        # ASCII only, no "1_000": what int() and float() accept beyond that is not a number
        # a person wrote in a cell.
        if not text or not text.isascii() or "_" in text:
            return None
        try:
            value = float(text) if any(c in text for c in ".eE") else int(text)
        except ValueError:
            return None
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None
        value = int(value)
    if not isinstance(value, int):
        return None
    return value if low <= value <= high else None
