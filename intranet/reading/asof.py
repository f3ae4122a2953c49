"""What a moment given as `as_of` means, and the snapshot that reads it (the request's
side, and who may ask for the past, is intranet.web.past).

A moment maps to the last history transaction issued at or before it; what was in force
and visible at that transaction is intranet.reading.snapshot's to decide.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from intranet.core.clock import local_day, utc_now
from intranet.core.clock import zone as municipality_zone
from intranet.core.translation import lazy_gettext as _l
from intranet.extensions import db
from intranet.models import Transaction
from intranet.reading.snapshot import Snapshot


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
    zone = municipality_zone()
    today = local_day(now)
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


# `since` may name the user's own last meeting or ask for no marks: neither is a moment the
# user picks, and the meeting's purpose is to show what changed since the last one.
SINCE_LAST_MEETING = "last"
SINCE_NOTHING = "none"


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


def reading_at(as_of: AsOf) -> Reading:
    """The snapshot for an `as_of`: now when none is asked for, else the last transaction
    at or before the moment."""
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
