"""Which moment a request asks for with `as_of`, and the snapshot that reads it.

A moment maps to the last history transaction issued at or before it; what was in force
and visible at that transaction is intranet.snapshot's to decide.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, request
from flask_login import current_user
from sqlalchemy import func, select

from intranet.extensions import db
from intranet.models import Transaction
from intranet.permissions import can_read_past, require
from intranet.snapshot import Snapshot
from intranet.translation import lazy_gettext as _l


def transaction_at(moment: datetime) -> int | None:
    """The id of the last transaction issued at or before `moment` (naive UTC), or None."""
    return db.session.scalar(
        select(func.max(Transaction.id)).where(Transaction.issued_at <= moment)
    )


# --- which moment a request asks for ----------------------------------------------------

_AS_OF = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?$")
# Nothing the application holds is older; earlier years would also overflow the time-zone
# arithmetic (year 1 in Stockholm is still year 0 in UTC).
EARLIEST_DAY = date(1900, 1, 1)
TOO_EARLY = _l("Ange ett datum från och med %(day)s.", day=EARLIEST_DAY.isoformat())


class BadMoment(ValueError):
    """An as_of value that is not a date (and time) the app can use."""


@dataclass(frozen=True)
class Moment:
    text: str  # as the user gave it, normalised: "2020-12-31" or "2020-12-31 14:30"
    utc: datetime  # naive UTC, inclusive upper bound, never later than now


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def parse_as_of(value: str, now: datetime | None = None) -> Moment:
    """The one reading of `as_of` for every page, export and report.

    `YYYY-MM-DD` means the end of that day, `YYYY-MM-DDTHH:MM` (or with a space) the end of
    that minute, both in Europe/Stockholm. A later day than today (Stockholm) has not
    happened yet and is refused; a moment later today means now (`now`, naive UTC,
    defaults to the clock). Days before 1900 are refused too. Raises BadMoment with a
    message for the user.
    """
    match = _AS_OF.match((value or "").strip())
    if not match:
        raise BadMoment(
            _l("Ange datum som ÅÅÅÅ-MM-DD, eventuellt med klockslag: ÅÅÅÅ-MM-DD TT:MM.")
        )
    day_text, time_text = match.groups()
    try:
        day = date.fromisoformat(day_text)
        clock = time.fromisoformat(time_text) if time_text else None
    except ValueError:
        raise BadMoment(_l("Datumet eller tiden finns inte.")) from None
    now = now or utc_now()
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    today = now.replace(tzinfo=UTC).astimezone(zone).date()
    # Checked before any arithmetic, so that 9999-12-31 plus a day never overflows.
    if day > today:
        raise BadMoment(_l("Datumet kan inte ligga i framtiden."))
    if day < EARLIEST_DAY:
        raise BadMoment(TOO_EARLY)
    if clock is None:
        local_end = datetime.combine(day + timedelta(days=1), time())
    else:
        local_end = datetime.combine(day, clock) + timedelta(minutes=1)
    utc_end = local_end.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
    text = day_text if clock is None else f"{day_text} {time_text}"
    return Moment(text, min(utc_end - timedelta(microseconds=1), now))


@dataclass(frozen=True)
class AsOf:
    """What a request asked for with `as_of`: nothing (`value` empty), a moment, or an
    error message for the user."""

    value: str = ""
    moment: Moment | None = None
    error: str | None = None

    @property
    def asked(self) -> bool:
        return bool(self.value)


# --- who may ask for the past ----------------------------------------------------------

# `since` may name the user's own last meeting or ask for no marks: neither is a moment the
# user picks, and the meeting's purpose is to show what changed since the last one.
SINCE_LAST_MEETING = "last"
SINCE_NOTHING = "none"

# Every query parameter that reads the past (a moment to show data as they stood, or to
# count changes from), with the values of it that do not. Listed once, so that every view
# and the matrix's early 304 (intranet.matrix.conditional) refuse the same requests.
PAST_PARAMETERS: dict[str, frozenset[str]] = {
    "as_of": frozenset(),
    "since": frozenset({SINCE_LAST_MEETING, SINCE_NOTHING}),
}


def asks_for_past(args) -> bool:
    """Does the query string ask for the past in any of PAST_PARAMETERS (any value, valid
    or not; an empty value asks for nothing)?"""
    for name, not_past in PAST_PARAMETERS.items():
        value = (args.get(name) or "").strip()
        if value and value not in not_past:
            return True
    return False


def past_parameter(name: str) -> str:
    """The request's value of one of PAST_PARAMETERS (stripped, "" when not given).

    The one check of who may see the past: asking at all (any value, valid or not)
    without can_read_past is a 403, so a viewer learns nothing from the answer."""
    value = (request.args.get(name) or "").strip()
    if value and value not in PAST_PARAMETERS[name]:
        require(can_read_past(current_user))
    return value


def require_past_allowed() -> None:
    """Refuse (403) a request that asks for the past in any parameter without
    can_read_past: for views that may answer before reading them (a 304)."""
    if asks_for_past(request.args):
        require(can_read_past(current_user))


def as_of_from_request() -> AsOf:
    """The `as_of` of the current request, read by parse_as_of.

    Every view that accepts `as_of` reads it here (through past_parameter), so that one
    permission decides who may see the past. An empty value asks for nothing.
    """
    value = past_parameter("as_of")
    if not value:
        return AsOf()
    try:
        return AsOf(value, parse_as_of(value))
    except BadMoment as bad:
        return AsOf(value, error=str(bad.args[0]))


# --- what a page reads: now, or the moment asked for --------------------------------------


@dataclass(frozen=True)
class Reading:
    """The snapshot a page reads (None when the moment cannot be read), the `as_of` asked
    for, the transaction it maps to, and an error message for the banner."""

    as_of: AsOf
    snapshot: Snapshot | None
    transaction: Transaction | None = None
    error: str | None = None

    @property
    def past(self) -> bool:
        return self.as_of.asked

    @property
    def moment(self) -> Moment | None:
        return self.as_of.moment


def reading_from_request() -> Reading:
    """The snapshot for the request's `as_of` (see as_of_from_request): now when none is
    asked for, else the last transaction at or before the moment."""
    as_of = as_of_from_request()
    if not as_of.asked:
        return Reading(as_of, Snapshot.current())
    if as_of.error:
        return Reading(as_of, None, error=as_of.error)
    transaction_id = transaction_at(as_of.moment.utc)
    if transaction_id is None:
        return Reading(as_of, None, error=str(_l("Det finns ingen historik så långt tillbaka.")))
    return Reading(
        as_of,
        Snapshot.at(transaction_id, as_of.moment.utc),
        db.session.get(Transaction, transaction_id),
    )
