"""Status distributions as stacked-bar charts, drawn server-side as SVG by a template.

The chart data carry their own text equivalent (a table), so a chart never relies on
colour or on seeing it.
"""

from dataclasses import dataclass

from intranet.core import clock
from intranet.core.translation import lazy_gettext as _l
from intranet.models import STATUSES
from intranet.reports.queries import Report, build_report

MISSING = "missing"
# Distinct in greyscale too; the segments also carry their labels and counts.
COLOURS = {
    "not_started": "#6b7480",
    "ongoing": "#0b5cad",
    "done": "#1d6b32",
    "partly_done": "#b07a00",
    "not_done": "#a4001d",
    "cancelled": "#6a2c8a",
    MISSING: "#ffffff",
}
TEXT_COLOURS = {"partly_done": "#1b1f24", MISSING: "#1b1f24"}


@dataclass
class Series:
    code: str
    label: str
    colour: str
    text_colour: str


@dataclass
class StackedChart:
    key: str
    title: str
    description: str
    category_heading: str
    categories: list[str]
    series: list[Series]
    values: list[list[int]]  # per category, per series

    @property
    def totals(self) -> list[int]:
        return [sum(row) for row in self.values]

    @property
    def max_total(self) -> int:
        return max(self.totals, default=0) or 1

    def segments(self, index: int, width: float):
        """(series, count, x, w) of the bar for one category, scaled to `width`."""
        x = 0.0
        for series, count in zip(self.series, self.values[index], strict=True):
            if count:
                w = width * count / self.max_total
                yield series, count, x, w
                x += w


def all_series() -> list[Series]:
    labels = {code: str(label) for code, label in STATUSES.items()}
    labels[MISSING] = str(_l("Ej rapporterad"))
    return [
        Series(code, label, COLOURS[code], TEXT_COLOURS.get(code, "#ffffff"))
        for code, label in labels.items()
    ]


def _status_of(sub_goal, year: int) -> str:
    for follow_up in sub_goal.follow_ups:
        if follow_up.year == year:
            return follow_up.status
    return MISSING


def status_per_year(report: Report) -> StackedChart:
    series = all_series()
    index = {s.code: i for i, s in enumerate(series)}
    values = []
    for year in report.years:
        row = [0] * len(series)
        for sub_goal in report.sub_goals:
            row[index[_status_of(sub_goal, year)]] += 1
        values.append(row)
    return StackedChart(
        key="per-year",
        title=str(_l("Status per år")),
        description=str(
            _l(
                "Antal delmål per status för varje år %(period)s, %(n)s delmål.",
                period=report.period,
                n=len(report.sub_goals),
            )
        ),
        category_heading=str(_l("År")),
        categories=[str(year) for year in report.years],
        series=series,
        values=values,
    )


def status_per_board(report: Report, year: int) -> StackedChart:
    series = all_series()
    index = {s.code: i for i, s in enumerate(series)}
    boards = sorted({name for sub_goal in report.sub_goals for name in sub_goal.boards})
    values = []
    for board in boards:
        row = [0] * len(series)
        for sub_goal in report.sub_goals:
            if board in sub_goal.boards:
                row[index[_status_of(sub_goal, year)]] += 1
        values.append(row)
    return StackedChart(
        key="per-board",
        title=str(_l("Status per nämnd %(year)s", year=year)),
        description=str(
            _l("Antal delmål per status för varje ansvarig nämnd år %(year)s.", year=year)
        ),
        category_heading=str(_l("Nämnd")),
        categories=boards,
        series=series,
        values=values,
    )


def board_chart_year(report: Report, today_year: int) -> int:
    """The report's year, or the last plan year that has begun."""
    if report.year:
        return report.year
    return max(report.start_year, min(report.end_year, today_year))


def report_charts(report: Report) -> list[StackedChart]:
    """The report's charts: status per year, and for all boards status per board."""
    result = [status_per_year(report)]
    if report.board_id is None:
        result.append(status_per_board(report, board_chart_year(report, clock.today().year)))
    return result


def plan_charts(plan_id: int) -> list[StackedChart]:
    """The charts on the plan page, from the current data (none for an empty plan)."""
    report = build_report(plan_id)
    if report is None or not report.sub_goals:
        return []
    return report_charts(report)
