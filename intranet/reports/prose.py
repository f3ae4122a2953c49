"""The report's wording: one source for the page, its PDF (rendered from the page) and its
DOCX, so that the three read alike and a rule of wording is tested once.

The report reads as the board's own text, not as a filled-in form: no form hints, the
board named in the genitive in the title, the status beside the year it belongs to,
responsibility written only where it says something, and a summary first.
"""

import re
from dataclasses import dataclass

from flask_babel import get_locale

from intranet.core.translation import gettext as _
from intranet.core.translation import ngettext
from intranet.models.followups import STATUSES
from intranet.reports.queries import AccountEntry, DeviationEntry, Report, ReportSubGoal

# The matrix's status glyphs (static/app.css, `.s-<status>::before`), so that a status is
# never told by colour alone; the DOCX has no style sheet and writes them as text.
STATUS_GLYPHS = {
    "not_started": "○",
    "ongoing": "◔",
    "done": "✓",
    "partly_done": "◑",
    "not_done": "✗",
    "cancelled": "⊘",
}

# A hint written for the person filling in a form, "(t.ex. pandemi)" or "(e.g. …)": the
# report's reader needs the choice, not the example.
_FORM_HINT = re.compile(r"\s*\((?:t\.\s?ex\.|e\.\s?g\.|till exempel|for example)[^)]*\)")


def without_form_hint(label: str | None) -> str:
    return _FORM_HINT.sub("", str(label or "")).strip()


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def board_genitive(name: str) -> str:
    """ "Social- och omsorgsnämnden" → "social- och omsorgsnämndens", as it reads inside a
    sentence; a name already ending in s (or x, z) takes no second s."""
    name = name.strip()
    text = lower_first(name)
    return text if text.endswith(("s", "S", "x", "z")) else text + "s"


def plan_without_period(report: Report) -> str:
    """The plan's title without its own period at the end ("… 2018–2021"), for a title or
    file name that states the report's period once."""
    for dash in ("–", "-", "—"):
        suffix = f"{report.start_year}{dash}{report.end_year}"
        if report.plan_title.rstrip().endswith(suffix):
            return report.plan_title.rstrip()[: -len(suffix)].rstrip(" ,–-")
    return report.plan_title


def plan_with_period(report: Report) -> str:
    """The plan as the title names it, with one period: the report's year, or the plan's."""
    if report.year:
        return _("%(plan)s, år %(year)s", plan=plan_without_period(report), year=report.year)
    return report.plan_title


def report_title(report: Report) -> str:
    """ "Redovisning av social- och omsorgsnämndens arbete med Handlingsplan för romsk
    inkludering 2018–2021": the board's own report; all boards' when none is chosen."""
    if report.board_name:
        # The Swedish sentence takes the board in the genitive; other languages name it as
        # it is called ("Report on the work of Social- och omsorgsnämnden on …").
        swedish = str(get_locale() or "sv") == "sv"
        return _(
            "Redovisning av %(board)s arbete med %(plan)s",
            board=board_genitive(report.board_name) if swedish else report.board_name,
            plan=plan_with_period(report),
        )
    return _("Redovisning av arbetet med %(plan)s", plan=plan_with_period(report))


def variant_labels(report: Report) -> list[str]:
    """What sets this report apart from the plain one, for titles and file names."""
    labels = []
    if report.focus_area:
        labels.append(_("Fokusområde %(n)s", n=report.focus_area))
    if report.earlier:
        labels.append(_("med tidigare år"))
    if report.as_of:
        labels.append(_("uppgifter per %(date)s", date=report.as_of.text))
    return labels


def account_line(entry: AccountEntry) -> tuple[str, str]:
    """ "2019 (pågår):" and what was done: the years with their status, then the account."""
    head = f"{entry.span} ({lower_first(entry.status_label)})"
    parts = [entry.outcome] if entry.outcome else []
    if entry.next_steps:
        parts.append(_("Nästa steg: %(text)s", text=entry.next_steps))
    if not parts:
        return head + ".", ""
    return head + ":", " ".join(parts)


def deviation_line(entry: DeviationEntry) -> tuple[str, str]:
    """ "Avvikelse 2020–2021. Orsak: yttre omständigheter." and the board's description."""
    head = _("Avvikelse %(years)s.", years=entry.span)
    reason = without_form_hint(entry.reason_label)
    if reason:
        head += " " + _("Orsak: %(reason)s.", reason=lower_first(reason))
    return head, entry.text or ""


def responsibility_lines(sub_goal: ReportSubGoal, own_board: str | None) -> list[str]:
    """Who else answers for the sub-goal. Nothing when it is the report's own board alone;
    the boards beside the main one are *medverkande*, in the plural only when several."""
    boards = sub_goal.boards
    if not boards:
        return []
    main, involved = boards[0], boards[1:]
    lines = []
    if own_board is None or main != own_board:
        lines.append(_("Huvudansvarig: %(board)s", board=main))
    others = [name for name in involved if name != own_board]
    if others:
        lines.append(
            ngettext(
                "Medverkande nämnd: %(boards)s",
                "Medverkande nämnder: %(boards)s",
                len(others),
                boards=", ".join(others),
            )
        )
    return lines


@dataclass
class SummaryCell:
    status: str
    glyph: str
    label: str


@dataclass
class SummaryRow:
    code: str
    title: str
    cells: list[SummaryCell | None]


@dataclass
class Summary:
    """Every sub-goal × year of the report with status glyph and word, and the count of
    each status over the period."""

    years: list[int]
    rows: list[SummaryRow]
    counts: list[tuple[str, str, str, int]]  # status, glyph, label, count

    @property
    def counts_text(self) -> str:
        return ", ".join(f"{glyph} {label} {count}" for _s, glyph, label, count in self.counts)


def report_summary(report: Report) -> Summary:
    years = report.years
    rows, counts = [], dict.fromkeys(STATUSES, 0)
    for sub_goal in report.sub_goals:
        by_year = {f.year: f for f in sub_goal.follow_ups}
        cells = []
        for year in years:
            follow_up = by_year.get(year)
            if follow_up is None or not follow_up.status:
                cells.append(None)
                continue
            counts[follow_up.status] = counts.get(follow_up.status, 0) + 1
            cells.append(
                SummaryCell(
                    follow_up.status,
                    STATUS_GLYPHS.get(follow_up.status, ""),
                    follow_up.status_label,
                )
            )
        rows.append(SummaryRow(sub_goal.code, sub_goal.title, cells))
    return Summary(
        years,
        rows,
        [
            (status, STATUS_GLYPHS.get(status, ""), str(STATUSES.get(status, status)), count)
            for status, count in counts.items()
            if count
        ],
    )
