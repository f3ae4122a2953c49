"""The filtered goal matrix as a spreadsheet: what the screen shows, one row per sub-goal."""

from flask_babel import gettext as _

from intranet.matrix.queries import Matrix


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
