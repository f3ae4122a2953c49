from datetime import datetime

from flask import Blueprint, request, url_for
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError

from intranet.core.translation import gettext as _
from intranet.extensions import db
from intranet.matrix import conditional
from intranet.matrix.changes import changes_since, parse_since, since_meeting
from intranet.matrix.conditional import MatrixValidator, rendered_cache, revalidated_early
from intranet.matrix.export import matrix_file
from intranet.matrix.filters import REFRESH_CHOICES, MatrixFilters, parse_filters
from intranet.matrix.queries import FilterOptions, build_matrix, filter_options
from intranet.meetings.services import take_part
from intranet.models import DEVIATION_REASONS, STATUSES, Meeting, ReportingRound
from intranet.reading.asof import SINCE_LAST_MEETING, SINCE_NOTHING, BadMoment, transaction_at
from intranet.reading.snapshot import Snapshot
from intranet.web.past import as_of_from_request, past_parameter
from intranet.web.views import attachment, page_or_block, wants_fragment

bp = Blueprint("matrix", __name__)
bp.record_once(lambda state: conditional.init_app(state.app))


def _choices(options: FilterOptions, filters: MatrixFilters) -> dict[str, list[tuple]]:
    """(value, label) pairs for each select; focus areas only of the chosen plan."""
    return {
        "plan": [(plan.id, plan.title) for plan in options.plans],
        "board": [(board.id, board.label) for board in options.boards],
        "focus_area": [
            (area.id, area.label)
            for area in options.focus_areas
            if filters.plan_id is None or area.plan_id == filters.plan_id
        ],
        "district": [(tag.id, tag.label) for tag in options.districts],
        "target_group": [(tag.id, tag.label) for tag in options.target_groups],
    }


def _filters_from_request():
    as_of = as_of_from_request()
    options = filter_options()
    filters = parse_filters(request.args, options, as_of, past_parameter("since"))
    snapshot = Snapshot.current()
    if filters.as_of is not None:
        # Before the first transaction nothing existed: an id no version is in force at.
        snapshot = Snapshot.at(transaction_at(filters.as_of) or 0, filters.as_of)
    return options, filters, snapshot


@bp.get("/matrix.<any(xlsx, csv):file_format>")
@login_required
def export(file_format: str):
    """The matrix with the same filters as on screen (an invalid filter is ignored there too,
    but for an unusable date: today's data are no answer to a question about the past).

    A download is a copy the user keeps, not a page to revalidate: like every export it
    is `no-store` (the default for signed-in users) and carries no validator."""
    validator = MatrixValidator(f"export-{file_format}")
    options, filters, snapshot = _filters_from_request()
    if "as_of" in filters.errors:
        return _matrix_page(validator, options, filters, snapshot)
    content, mimetype, filename = matrix_file(
        build_matrix(filters, snapshot), file_format, filters.as_of_text
    )
    return attachment(content, mimetype, filename)


@bp.get("/matrix")
@revalidated_early(lambda: "fragment" if wants_fragment() else "page")
@login_required
def show():
    validator = MatrixValidator("fragment" if wants_fragment() else "page")
    if validator.matches():
        return validator.not_modified()
    return validator.stamp(_matrix_page(validator, *_filters_from_request()))


def _since(filters: MatrixFilters, last_meeting: Meeting | None):
    """The moment the "changes since" marks count from, or None; a bad one is explained
    next to its field like every filter. In meeting mode it defaults to the start of the
    last ended meeting over the plan in view."""
    raw = filters.since
    meeting_default = not raw and filters.meeting and filters.as_of is None
    if raw == SINCE_LAST_MEETING or meeting_default:
        if last_meeting is not None:
            return since_meeting(last_meeting)
        if raw:
            filters.errors["since"] = _("Inget möte har avslutats ännu.")
        return None
    if not raw or raw == SINCE_NOTHING:
        return None
    try:
        return parse_since(raw)
    except BadMoment as error:
        filters.errors["since"] = str(error)
        return None


def _meetings(filters: MatrixFilters) -> dict:
    """The running meeting over the plan in view, and the last ended one the user took part
    in, where they matter. Having the meeting-mode matrix open is taking part."""
    if not (filters.meeting or filters.since == SINCE_LAST_MEETING) or filters.as_of:
        return {"meeting": None, "last_meeting": None}
    running = Meeting.running(filters.plan_id) if filters.meeting else None
    if running is not None and take_part(current_user, running):
        try:
            db.session.commit()  # a reading position, like the start page's visit
        except IntegrityError:  # the same user in a second tab at the same moment
            db.session.rollback()
    return {
        "meeting": running,
        "last_meeting": Meeting.last_ended(filters.plan_id, attended_by=current_user.id),
    }


def _locked_by_plan(closed: set[tuple[int, int]]) -> dict[int, set[int]]:
    by_plan: dict[int, set[int]] = {}
    for plan_id, year in closed:
        by_plan.setdefault(plan_id, set()).add(year)
    return by_plan


def _matrix_page(
    validator: MatrixValidator, options: FilterOptions, filters: MatrixFilters, snapshot
):
    """The page (or its htmx block); the matrix region comes from the cache when the same
    state was rendered for the same scope before."""
    context = dict(
        filters=filters,
        options=options,
        statuses=STATUSES,
        deviation_reasons=DEVIATION_REASONS,
        refresh_choices=REFRESH_CHOICES,
        choices=_choices(options, filters),
        here=url_for("matrix.show", **filters.query_args()),
        read_only=filters.meeting or filters.as_of is not None,
    )
    context.update(_meetings(filters))
    since = _since(filters, context["last_meeting"])
    context.update(since=since, since_last=SINCE_LAST_MEETING, since_nothing=SINCE_NOTHING)
    cache = rendered_cache()
    # What the marks count from may be the user's own last meeting: part of the key.
    region_key = validator.region_key_for(since.transaction_id if since else None)
    region = cache.get(region_key) if validator.reusable else None
    if region is None:
        matrix = build_matrix(filters, snapshot)
        changes = {}
        if since is not None and not snapshot.is_past:
            changes = changes_since(
                since.transaction_id,
                [row.sub_goal_id for row in matrix.rows],
                filters.years,
                current_user,
            )
        context.update(
            matrix=matrix,
            changes=changes,
            change_list=sorted(
                changes.values(), key=lambda c: c.changed_at or datetime.min, reverse=True
            ),
            field_labels={
                "status": _("Status"),
                "outcome": _("Redovisning"),
                "deviation_reason": _("Avvikelseorsak"),
                "deviation_text": _("Beskrivning av avvikelsen"),
            },
            codes={row.sub_goal_id: row.code for row in matrix.rows},
            locked_by_plan=_locked_by_plan(ReportingRound.closed_years()),
            deviation_reasons_labels={
                code: str(label) for code, label in DEVIATION_REASONS.items()
            },
        )
        region = render_block("matrix/matrix.html", "matrix_region", **context)
        if validator.reusable and not filters.errors:
            cache.put(region_key, region)
    return page_or_block(
        "matrix/matrix.html",
        "matrix_page",
        status=422 if filters.errors else 200,
        region_html=Markup(region),
        **context,
    )
