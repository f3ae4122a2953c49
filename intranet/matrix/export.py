"""The filtered goal matrix as a spreadsheet: what the screen shows, one row per sub-goal."""

from intranet.core import clock
from intranet.core.translation import gettext as _
from intranet.matrix.queries import Matrix
from intranet.web.spreadsheets import (
    CSV_MIMETYPE,
    XLSX_MIMETYPE,
    Sheet,
    as_of_note,
    write_csv,
    write_xlsx,
)

# The sub-goal's code (the focus area is written with its title).
CODE_COLUMNS = (2,)


def matrix_file(matrix: Matrix, file_format: str, as_of_text: str | None):
    """The matrix as CSV or XLSX: (content, mimetype, file name). A matrix of the past says
    so above its headers; the code column stays text in a spreadsheet."""
    headers, rows = matrix_table(matrix)
    filename = f"malmatris-{as_of_text or clock.today().isoformat()}.{file_format}"
    note = as_of_note(as_of_text) if as_of_text else None
    if file_format == "csv":
        return write_csv(headers, rows, note, CODE_COLUMNS), CSV_MIMETYPE, filename
    sheet = Sheet(
        _("Målmatris"),
        headers,
        rows,
        widths=[30, 28, 8, 50, 26],
        note=note,
        text_columns=CODE_COLUMNS,
    )
    return write_xlsx([sheet]), XLSX_MIMETYPE, filename


def matrix_table(matrix: Matrix) -> tuple[list[str], list[list]]:
    """Headers and rows: the sub-goal, its boards, and per year the status and deviation."""
    headers = [_("Plan"), _("Fokusområde"), _("Delmål"), _("Titel"), _("Ansvarig nämnd")]
    for year in matrix.years:
        headers += [_("Status %(year)s", year=year), _("Avvikelseorsak %(year)s", year=year)]
    rows = []
    for plan in matrix.plans:
        for area in plan.areas:
            for row in area.rows:
                values = [
                    plan.title,
                    f"{area.number}. {area.title}",
                    row.code,
                    row.title,
                    row.board_names,
                ]
                for cell in row.cells:
                    if not cell.in_plan:
                        values += ["", ""]
                    else:
                        values += [
                            cell.status_label or _("Ej rapporterad"),
                            cell.deviation_label or "",
                        ]
                rows.append(values)
    return headers, rows
