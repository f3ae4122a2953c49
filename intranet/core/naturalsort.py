"""Natural ordering of codes such as "5.9" < "5.11", computable in SQL via a stored key."""

import re

_PARTS = re.compile(r"(\d+)")
# The stored key's column length. A code of 20 characters can expand beyond it ("1.1.1.…"
# pads each number to 8 digits): such keys are cut, which only affects how codes that share
# their first several parts sort among themselves.
KEY_LENGTH = 80


def natural_key(code: str) -> str:
    """A string that sorts like the code read by a person: digit runs compare as numbers.

    Stored in a column so that the database orders sub-goals without Python's help.
    """
    pieces = _PARTS.split((code or "").strip().lower())
    key = "".join(piece.zfill(8) if piece.isdigit() else piece for piece in pieces)
    return key[:KEY_LENGTH]
