"""Which moment a request asks for, and who may ask: the request's side of
intranet.reading.asof."""

from flask import request
from flask_login import current_user

from intranet.auth.policies import can_read_past, require
from intranet.reading.asof import (
    SINCE_LAST_MEETING,
    SINCE_NOTHING,
    AsOf,
    BadMoment,
    Reading,
    parse_as_of,
    reading_at,
)

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


def reading_from_request() -> Reading:
    """The snapshot for the request's `as_of` (see as_of_from_request)."""
    return reading_at(as_of_from_request())
