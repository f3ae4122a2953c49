"""Per-user write rate limit: every state-changing request of a signed-in user is counted in
the database (not history), so the limit holds across gunicorn workers and app servers.

WRITE_RATE_LIMIT is "<requests>/<unit>" (second, minute, hour or day), e.g. "120/minute",
or "0" / "off" for no limit. The window is fixed: it starts at the first write after the
previous one ended."""

import re
from datetime import timedelta

from flask import Flask, current_app, request
from flask_login import current_user
from werkzeug.exceptions import TooManyRequests

from intranet.core.clock import utc_now
from intranet.db.database import count_in_window
from intranet.extensions import db
from intranet.models import WriteCount

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Signing out must work whatever the count: it ends sessions, it changes no data.
EXEMPT_ENDPOINTS = frozenset({"accounts.logout"})
_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*(?:/\s*(second|minute|hour|day)s?)?\s*$")


def parse_rate(text: str | int | None) -> tuple[int, int] | None:
    """(requests, window in seconds) from "120/minute"; None when the limit is off.
    Raises ValueError for anything else, so a typo is found when the app starts."""
    value = str(text if text is not None else "").strip().lower()
    if value in ("", "0", "off", "none"):
        return None
    match = _RATE.match(value)
    if match is None or match.group(2) is None:
        raise ValueError(f"WRITE_RATE_LIMIT must look like 120/minute, not {text!r}")
    requests = int(match.group(1))
    return (requests, _UNITS[match.group(2)]) if requests else None


def count_write(user_id: int, window_seconds: int) -> tuple[int, int]:
    """Add one write to the user's count in one atomic upsert (parallel requests can never
    read the same count) and return the new count and the seconds left in its window."""
    now = utc_now()
    requests, window_start = count_in_window(
        WriteCount.__table__,
        {"user_id": user_id},
        "requests",
        now,
        now - timedelta(seconds=window_seconds),
    )
    left = window_seconds - (now - window_start).total_seconds()
    return requests, max(1, int(left + 0.999))


def check_write_allowed(user_id: int) -> None:
    """Count this write; raise TooManyRequests (429, with Retry-After) over the limit. The
    count is committed at once, before the view writes anything, so that parallel requests
    see it and a refused request has written nothing."""
    rate = parse_rate(current_app.config.get("WRITE_RATE_LIMIT"))
    if rate is None:
        return
    limit, window = rate
    requests, retry_after = count_write(user_id, window)
    db.session.commit()
    if requests > limit:
        raise TooManyRequests(retry_after=retry_after)


def _limit_writes() -> None:
    if request.method not in WRITE_METHODS or request.endpoint in EXEMPT_ENDPOINTS:
        return
    if current_user.is_authenticated:
        check_write_allowed(current_user.id)


def init_app(app: Flask) -> None:
    parse_rate(app.config.get("WRITE_RATE_LIMIT"))
    # After CSRFProtect's check (registered earlier): a forged request is refused uncounted.
    app.before_request(_limit_writes)
