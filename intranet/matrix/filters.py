"""The matrix filters: parsed from the query string, every bad value explained in Swedish."""

from dataclasses import dataclass, field, replace
from datetime import datetime

from werkzeug.datastructures import MultiDict

from intranet.core.numbers import parse_whole
from intranet.core.translation import lazy_gettext as _l
from intranet.models import DEVIATION_REASONS, STATUSES
from intranet.reading.asof import AsOf
from intranet.web.query_args import QueryArgs

MAX_SEARCH_LENGTH = 200
MAX_YEAR_SPAN = 21
REFRESH_CHOICES = (0, 30, 60, 300)


@dataclass
class MatrixFilters:
    plan_id: int | None = None
    board_id: int | None = None
    focus_area_id: int | None = None
    status: str | None = None
    deviation: str | None = None
    district_id: int | None = None
    target_group_id: int | None = None
    from_year: int | None = None
    to_year: int | None = None
    text: str = ""
    meeting: bool = False
    # One row per line: a sub-goal with the earlier ones it continues (intranet.lineage).
    lines: bool = False
    refresh: int = 0
    as_of: datetime | None = None  # naive UTC
    as_of_text: str = ""
    since: str = ""  # "changes since" (checked by the view: intranet.matrix.changes)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def years(self) -> range:
        return range(self.from_year, self.to_year + 1)

    def query_args(self, **changes) -> dict:
        """The query string of these filters (for links that keep them), with changes."""
        values = replace(self, **changes) if changes else self
        args = {
            "plan": values.plan_id if values.plan_id is not None else "all",
            "board": values.board_id,
            "focus_area": values.focus_area_id,
            "status": values.status,
            "deviation": values.deviation,
            "district": values.district_id,
            "target_group": values.target_group_id,
            "from_year": values.from_year,
            "to_year": values.to_year,
            "q": values.text,
            "meeting": 1 if values.meeting else None,
            "lines": 1 if values.lines else None,
            "refresh": values.refresh or None,
            "as_of": values.as_of_text or None,
            "since": values.since or None,
        }
        return {key: value for key, value in args.items() if value not in (None, "")}


def meeting_mode(args) -> bool:
    return args.get("meeting") in ("1", "on", "true")


def parse_filters(
    args: MultiDict, options, as_of: AsOf | None = None, since: str = ""
) -> MatrixFilters:
    """Read the filters from the query string; unknown or out-of-range values are dropped and
    explained in `errors`, keyed by the parameter name. `as_of` and `since` read the past:
    they are read (and allowed) by intranet.web.past (as_of_from_request, past_parameter), like
    on every page that shows the past."""
    query = QueryArgs(args)
    errors = query.errors
    filters = MatrixFilters(errors=errors)

    def one_of(name: str, records) -> int | None:
        return query.id(name, {record.id for record in records}, empty=("", "all"))

    plan_raw = query.raw("plan")
    if not plan_raw:
        filters.plan_id = options.default_plan_id
    else:
        filters.plan_id = one_of("plan", options.plans)
        if filters.plan_id is None and plan_raw != "all":
            filters.plan_id = options.default_plan_id
    filters.board_id = one_of("board", options.boards)
    filters.focus_area_id = one_of("focus_area", options.focus_areas)
    filters.district_id = one_of("district", options.districts)
    filters.target_group_id = one_of("target_group", options.target_groups)
    filters.status = query.code("status", STATUSES)
    filters.deviation = query.code("deviation", DEVIATION_REASONS)

    bounds = options.year_bounds
    plan = options.plan(filters.plan_id)
    default_span = (plan.start_year, plan.end_year) if plan else options.all_plans_span
    filters.from_year = query.year("from_year", bounds) or default_span[0]
    filters.to_year = query.year("to_year", bounds) or default_span[1]
    if filters.from_year > filters.to_year:
        errors["to_year"] = str(_l("Slutåret kan inte ligga före startåret."))
        filters.from_year, filters.to_year = default_span
    if filters.to_year - filters.from_year + 1 > MAX_YEAR_SPAN:
        errors["to_year"] = str(_l("Välj högst %(n)s år åt gången.", n=MAX_YEAR_SPAN))
        filters.to_year = filters.from_year + MAX_YEAR_SPAN - 1

    text = (args.get("q") or "").strip()
    if len(text) > MAX_SEARCH_LENGTH:
        errors["q"] = str(_l("Söktexten får vara högst %(n)s tecken.", n=MAX_SEARCH_LENGTH))
        text = text[:MAX_SEARCH_LENGTH]
    filters.text = text
    filters.since = since.strip()[:40]
    filters.meeting = meeting_mode(args)
    filters.lines = args.get("lines") in ("1", "on", "true")
    refresh = (args.get("refresh") or "0").strip()
    filters.refresh = parse_whole(refresh) if parse_whole(refresh) in REFRESH_CHOICES else 0

    if as_of is not None and as_of.error:
        errors["as_of"] = as_of.error
    elif as_of is not None and as_of.moment is not None:
        filters.as_of = as_of.moment.utc
        filters.as_of_text = as_of.moment.text
    return filters
