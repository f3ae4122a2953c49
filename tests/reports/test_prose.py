"""The report's wording rules (intranet.reports.prose), which the page, its PDF and its
DOCX all use."""

from intranet.demo import data
from intranet.reading.asof import parse_as_of
from intranet.reports.prose import (
    account_line,
    board_genitive,
    deviation_line,
    report_summary,
    report_title,
    responsibility_lines,
    variant_labels,
    without_form_hint,
)
from intranet.reports.queries import (
    AccountEntry,
    DeviationEntry,
    Report,
    ReportFocusArea,
    ReportFollowUp,
    ReportSubGoal,
)


def _report(**changes) -> Report:
    values = dict(
        plan_id=1,
        plan_title="Handlingsplan för romsk inkludering 2018–2021",
        start_year=2018,
        end_year=2021,
        year=None,
        board_id=1,
        board_name=data.SOCIAL_BOARD,
        as_of=None,
        focus_areas=[],
        closing_comments="",
    )
    values.update(changes)
    return Report(**values)


def test_board_names_in_the_genitive():
    assert board_genitive("Social- och omsorgsnämnden") == "social- och omsorgsnämndens"
    assert board_genitive("Kommunstyrelsen") == "kommunstyrelsens"
    assert board_genitive("Utbildningsnämnden") == "utbildningsnämndens"
    # Already ending in s: no second s.
    assert board_genitive("Kommunens revisorers kansli") == "kommunens revisorers kanslis"
    assert board_genitive("Fritids- och kulturnämndens AU") == "fritids- och kulturnämndens AUs"
    assert board_genitive("Stadsbyggnadsnämndens presidiums") == (
        "stadsbyggnadsnämndens presidiums"
    )
    assert board_genitive("Överförmyndarnämnden ") == "överförmyndarnämndens"
    for name, _administration in data.BOARDS:
        genitive = board_genitive(name)
        assert genitive.endswith("s") and genitive[0].islower()


def test_the_title_is_the_boards_own_with_one_period(app_context):
    assert report_title(_report()) == (
        "Redovisning av social- och omsorgsnämndens arbete med "
        "Handlingsplan för romsk inkludering 2018–2021"
    )
    assert report_title(_report(year=2020)) == (
        "Redovisning av social- och omsorgsnämndens arbete med "
        "Handlingsplan för romsk inkludering, år 2020"
    )
    assert report_title(_report(board_name=None, board_id=None)) == (
        "Redovisning av arbetet med Handlingsplan för romsk inkludering 2018–2021"
    )
    assert "Redovisning:" not in report_title(_report())


def test_variants_are_named(app_context):
    report = _report(focus_area="5", earlier=True, as_of=parse_as_of("2019-06-01"))
    assert variant_labels(report) == [
        "Fokusområde 5",
        "med tidigare år",
        "uppgifter per 2019-06-01",
    ]
    assert variant_labels(_report()) == []


def test_no_form_hints(app_context):
    assert without_form_hint("Yttre omständigheter (t.ex. pandemi)") == "Yttre omständigheter"
    assert without_form_hint("External circumstances (e.g. a pandemic)") == (
        "External circumstances"
    )
    assert without_form_hint("Annat skäl") == "Annat skäl"
    head, text = deviation_line(
        DeviationEntry([2020, 2021], "Yttre omständigheter (t.ex. pandemi)", "Pandemin.")
    )
    assert head == "Avvikelse 2020–2021. Orsak: yttre omständigheter."
    assert text == "Pandemin."
    assert deviation_line(DeviationEntry([2020], None, "Text")) == ("Avvikelse 2020.", "Text")


def test_the_status_stands_beside_its_years(app_context):
    entry = AccountEntry([2019], "ongoing", "Pågår", "Grupperna har träffats.", None)
    assert account_line(entry) == ("2019 (pågår):", "Grupperna har träffats.")
    entry = AccountEntry([2018, 2019], "not_started", "Ej påbörjad", None, None)
    assert account_line(entry) == ("2018–2019 (ej påbörjad).", "")
    entry = AccountEntry([2021], "done", "Genomförd", "Klart.", "Fortsätta.")
    assert account_line(entry) == ("2021 (genomförd):", "Klart. Nästa steg: Fortsätta.")


def _sub_goal(boards) -> ReportSubGoal:
    return ReportSubGoal(1, "4.1", "Delmål", boards)


def test_responsibility_only_where_it_says_something(app_context):
    own = data.SOCIAL_BOARD
    assert responsibility_lines(_sub_goal([own]), own) == []
    assert responsibility_lines(_sub_goal([own, "Kommunstyrelsen"]), own) == [
        "Medverkande nämnd: Kommunstyrelsen"
    ]
    assert responsibility_lines(_sub_goal([own, "Kommunstyrelsen", "Utbildningsnämnden"]), own) == [
        "Medverkande nämnder: Kommunstyrelsen, Utbildningsnämnden"
    ]
    # The report's board takes part in another's sub-goal: that board is named main.
    assert responsibility_lines(_sub_goal(["Kommunstyrelsen", own]), own) == [
        "Huvudansvarig: Kommunstyrelsen"
    ]
    # All boards' report: each sub-goal's main board.
    assert responsibility_lines(_sub_goal([own]), None) == [f"Huvudansvarig: {own}"]


def test_the_summary_has_every_sub_goal_and_year(app_context):
    def follow_up(year, status):
        return ReportFollowUp(year, status, None, None, None, None)

    goals = [
        ReportSubGoal(1, "4.1", "Ett", ["A"], [follow_up(2018, "done"), follow_up(2019, "done")]),
        ReportSubGoal(2, "4.2", "Två", ["A"], [follow_up(2018, "ongoing")]),
    ]
    report = _report(
        end_year=2019,
        plan_title="Plan 2018–2019",
        focus_areas=[ReportFocusArea("4", "Område", sub_goals=goals)],
    )
    summary = report_summary(report)
    assert summary.years == [2018, 2019]
    assert [row.code for row in summary.rows] == ["4.1", "4.2"]
    assert [(c.glyph, c.label) for c in summary.rows[0].cells] == [
        ("✓", "Genomförd"),
        ("✓", "Genomförd"),
    ]
    assert summary.rows[1].cells[1] is None
    assert summary.counts_text == "◔ Pågår 1, ✓ Genomförd 2"
