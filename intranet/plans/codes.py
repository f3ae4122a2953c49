"""Codes proposed for sub-goals that have none yet."""

import re
from collections.abc import Iterable


def next_code(existing_codes: Iterable[str | None], prefix: str) -> str:
    """The next free code under `prefix` (a focus area's number): one past the highest
    "<prefix>.<n>" among `existing_codes`, "<prefix>.1" when there is none. Codes of
    another form ("4.2a", "A") are kept but do not count; gaps stay gaps ("5.9", "5.11"
    gives "5.12")."""
    prefix = (prefix or "").strip().rstrip(".")
    pattern = re.compile(rf"{re.escape(prefix)}\.(\d+)") if prefix else re.compile(r"(\d+)")
    numbers = [
        int(found[1])
        for code in existing_codes
        if (found := pattern.fullmatch((code or "").strip()))
    ]
    number = max(numbers, default=0) + 1
    return f"{prefix}.{number}" if prefix else str(number)
