from datetime import date

from flask import Blueprint, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from intranet.history.asof import as_of_from_request, transaction_at
from intranet.matrix.export import matrix_table
from intranet.matrix.filters import REFRESH_CHOICES, MatrixFilters, parse_filters
from intranet.matrix.queries import FilterOptions, build_matrix, filter_options
from intranet.models import DEVIATION_REASONS, STATUSES, ReportingRound
from intranet.snapshot import Snapshot
from intranet.spreadsheets import (
    CSV_MIMETYPE,
    XLSX_MIMETYPE,
    Sheet,
    as_of_note,
    write_csv,
    write_xlsx,
)
from intranet.views import attachment, page_or_block

bp = Blueprint("matrix", __name__)


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


def _matrix_from_request():
    as_of = as_of_from_request()
    options = filter_options()
    filters = parse_filters(request.args, options, as_of)
    snapshot = Snapshot.current()
    if filters.as_of is not None:
        # Before the first transaction nothing existed: an id no version is in force at.
        snapshot = Snapshot.at(transaction_at(filters.as_of) or 0)
    return options, filters, build_matrix(filters, snapshot)


@bp.get("/matrix.<any(xlsx, csv):file_format>")
@login_required
def export(file_format: str):
    """The matrix with the same filters as on screen (an invalid filter is ignored there too,
    but for an unusable date: today's data are no answer to a question about the past)."""
    options, filters, matrix = _matrix_from_request()
    if "as_of" in filters.errors:
        return _matrix_page(options, filters, matrix)
    headers, rows = matrix_table(matrix)
    stamp = filters.as_of_text or date.today().isoformat()
    filename = f"malmatris-{stamp}.{file_format}"
    note = as_of_note(filters.as_of_text) if filters.as_of is not None else None
    if file_format == "csv":
        return attachment(write_csv(headers, rows, note), CSV_MIMETYPE, filename)
    sheet = Sheet(
        _("Målmatris"), headers, rows, widths=[30, 28, 8, 50, 26], note=note, text_columns=[2]
    )
    return attachment(write_xlsx([sheet]), XLSX_MIMETYPE, filename)


@bp.get("/matrix")
@login_required
def show():
    return _matrix_page(*_matrix_from_request())


def _matrix_page(options: FilterOptions, filters: MatrixFilters, matrix):
    return page_or_block(
        "matrix/matrix.html",
        "matrix_page",
        status=422 if filters.errors else 200,
        matrix=matrix,
        filters=filters,
        options=options,
        statuses=STATUSES,
        deviation_reasons=DEVIATION_REASONS,
        refresh_choices=REFRESH_CHOICES,
        choices=_choices(options, filters),
        here=url_for("matrix.show", **filters.query_args()),
        locked_years=ReportingRound.closed_years(),
        read_only=filters.meeting or filters.as_of is not None,
    )
