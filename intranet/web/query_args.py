"""Filters read from a query string, one way for every page that has them (the matrix, the
audit log, the report): each value is checked, an unusable one is dropped and explained in
`errors` (keyed by the parameter's name, shown next to its filter), and the rest still
apply."""

from datetime import date

from intranet.core.fields import CHOOSE_FROM_LIST
from intranet.core.numbers import parse_id, parse_whole
from intranet.core.translation import lazy_gettext as _l
from intranet.reading.asof import EARLIEST_DAY, TOO_EARLY


class QueryArgs:
    def __init__(self, args, errors: dict[str, str] | None = None):
        self.args = args
        self.errors = {} if errors is None else errors

    def raw(self, name: str) -> str:
        return (self.args.get(name) or "").strip()

    def refuse(self, name: str, message) -> None:
        self.errors[name] = str(message)

    def id(self, name: str, allowed=None, message=CHOOSE_FROM_LIST, empty=("",)) -> int | None:
        """A record id (one of `allowed`, when given); None when empty or refused."""
        raw = self.raw(name)
        if raw in empty:
            return None
        number = parse_id(raw)
        if number is None or (allowed is not None and number not in allowed):
            self.refuse(name, message)
            return None
        return number

    def code(self, name: str, allowed, message=CHOOSE_FROM_LIST, empty=("",)) -> str | None:
        """One of the `allowed` codes; None when empty or refused."""
        raw = self.raw(name)
        if raw in empty:
            return None
        if raw not in allowed:
            self.refuse(name, message)
            return None
        return raw

    def year(self, name: str, bounds: tuple[int, int]) -> int | None:
        raw = self.raw(name)
        if not raw:
            return None
        year = parse_whole(raw, bounds[0], bounds[1])
        if year is None:
            self.refuse(name, _l("Ange ett år mellan %(a)s och %(b)s.", a=bounds[0], b=bounds[1]))
        return year

    def day(self, name: str) -> date | None:
        """A date written YYYY-MM-DD, not before 1900."""
        raw = self.raw(name)
        if not raw:
            return None
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            self.refuse(name, _l("Ange datumet som ÅÅÅÅ-MM-DD."))
            return None
        if day < EARLIEST_DAY:
            # Nothing is older, and year 1 in Stockholm is year 0 in UTC: out of range.
            self.refuse(name, TOO_EARLY)
            return None
        return day
