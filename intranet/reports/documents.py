"""The report as a Word document (editable) and as a PDF, from the same Report object."""

from datetime import date
from io import BytesIO

from docx import Document
from docx.shared import Pt
from flask_babel import gettext as _
from fpdf import FPDF

from intranet.reports.charts import StackedChart
from intranet.reports.queries import Report
from intranet.stored_text import printable


def report_title(report: Report) -> str:
    return _("Redovisning: %(plan)s", plan=report.plan_title)


def report_subtitle(report: Report) -> str:
    parts = [_("Period: %(period)s", period=report.period)]
    if report.board_name:
        parts.append(_("Ansvarig nämnd: %(board)s", board=report.board_name))
    if report.as_of:
        parts.append(_("Uppgifter per %(date)s", date=report.as_of.text))
    else:
        parts.append(_("Uppgifter per %(date)s", date=date.today().isoformat()))
    return " · ".join(parts)


def _follow_up_lines(follow_up) -> list[tuple[str, str]]:
    lines = [(_("Redovisning"), follow_up.outcome or _("Ingen redovisning."))]
    if follow_up.is_deviation:
        lines.append(
            (_("Avvikelse"), f"{follow_up.deviation_label}. {follow_up.deviation_text or ''}")
        )
    if follow_up.next_steps:
        lines.append((_("Nästa steg"), follow_up.next_steps))
    return lines


def _docx_text(text) -> str:
    # lxml refuses control characters, and one stored before the model layer removed them
    # must not make the report fail for everyone.
    return printable("" if text is None else str(text))


def report_docx(report: Report, charts: list[StackedChart]) -> bytes:
    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(_docx_text(report_title(report)), level=0)
    document.add_paragraph(_docx_text(report_subtitle(report)))

    document.add_heading(_("Ansvar per fokusområde"), level=1)
    for area in report.focus_areas:
        document.add_paragraph(
            _docx_text(_("Fokusområde %(n)s. %(title)s", n=area.number, title=area.title))
        )
        table = document.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        table.rows[0].cells[0].text = _("Delmål")
        table.rows[0].cells[1].text = _("Ansvarig nämnd")
        for sub_goal in area.sub_goals:
            cells = table.add_row().cells
            cells[0].text = _docx_text(f"{sub_goal.code} {sub_goal.title}")
            cells[1].text = _docx_text(", ".join(sub_goal.boards))

    document.add_heading(_("Redovisning per fokusområde och delmål"), level=1)
    for area in report.focus_areas:
        document.add_heading(
            _docx_text(_("Fokusområde %(n)s. %(title)s", n=area.number, title=area.title)),
            level=2,
        )
        for sub_goal in area.sub_goals:
            document.add_heading(_docx_text(f"{sub_goal.code} {sub_goal.title}"), level=3)
            if not sub_goal.follow_ups:
                document.add_paragraph(_("Ingen uppföljning för perioden."))
            for follow_up in sub_goal.follow_ups:
                paragraph = document.add_paragraph()
                paragraph.add_run(
                    _docx_text(f"{follow_up.year}: {follow_up.status_label}")
                ).bold = True
                for heading, text in _follow_up_lines(follow_up):
                    paragraph = document.add_paragraph()
                    paragraph.add_run(_docx_text(f"{heading}: ")).italic = True
                    paragraph.add_run(_docx_text(text))

    document.add_heading(_("Avvikelser"), level=1)
    if report.deviations:
        table = document.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, heading in zip(
            table.rows[0].cells,
            (_("Delmål"), _("År"), _("Status"), _("Orsak"), _("Beskrivning")),
            strict=True,
        ):
            cell.text = _docx_text(heading)
        for deviation in report.deviations:
            cells = table.add_row().cells
            cells[0].text = _docx_text(f"{deviation.sub_goal.code} {deviation.sub_goal.title}")
            cells[1].text = str(deviation.follow_up.year)
            cells[2].text = _docx_text(deviation.follow_up.status_label)
            cells[3].text = _docx_text(deviation.follow_up.deviation_label)
            cells[4].text = _docx_text(deviation.follow_up.deviation_text or "")
    else:
        document.add_paragraph(_("Inga avvikelser under perioden."))

    document.add_heading(_("Status i siffror"), level=1)
    for chart in charts:
        _chart_table_docx(document, chart)

    document.add_heading(_("Avslutande kommentarer"), level=1)
    for paragraph in (report.closing_comments or _("Inga kommentarer.")).split("\n"):
        document.add_paragraph(_docx_text(paragraph))

    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _chart_table_docx(document, chart: StackedChart) -> None:
    document.add_paragraph(_docx_text(chart.title)).runs[0].bold = True
    table = document.add_table(rows=1, cols=len(chart.series) + 2)
    table.style = "Table Grid"
    headings = [chart.category_heading, *(s.label for s in chart.series), _("Totalt")]
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        cell.text = _docx_text(heading)
    for index, category in enumerate(chart.categories):
        values = [category, *map(str, chart.values[index]), str(chart.totals[index])]
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = _docx_text(value)


# The PDF uses the built-in Helvetica (no font files to ship), which covers Latin-1:
# Swedish letters are fine, typographic dashes and quotes are mapped to plain ones.
_PDF_REPLACEMENTS = str.maketrans(
    {"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "•": "-"}
)


def _pdf_text(text) -> str:
    text = printable(str(text or "")).translate(_PDF_REPLACEMENTS)
    return text.encode("latin-1", "replace").decode("latin-1")


class _ReportPDF(FPDF):
    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.cell(0, 8, _pdf_text(_("Sida %(n)s", n=self.page_no())), align="C")


def report_pdf(report: Report, charts: list[StackedChart]) -> bytes:
    pdf = _ReportPDF(format="A4")
    pdf.set_title(_pdf_text(report_title(report)))
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()

    def heading(text, size):
        pdf.set_font("Helvetica", "B", size)
        pdf.multi_cell(0, size * 0.55, _pdf_text(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)

    def paragraph(text, style=""):
        pdf.set_font("Helvetica", style, 10)
        pdf.multi_cell(0, 5, _pdf_text(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    heading(report_title(report), 16)
    paragraph(report_subtitle(report))

    heading(_("Ansvar per fokusområde"), 13)
    for area in report.focus_areas:
        paragraph(_("Fokusområde %(n)s. %(title)s", n=area.number, title=area.title), "B")
        for sub_goal in area.sub_goals:
            paragraph(f"{sub_goal.code} {sub_goal.title} - {', '.join(sub_goal.boards)}")

    heading(_("Redovisning per fokusområde och delmål"), 13)
    for area in report.focus_areas:
        heading(_("Fokusområde %(n)s. %(title)s", n=area.number, title=area.title), 12)
        for sub_goal in area.sub_goals:
            paragraph(f"{sub_goal.code} {sub_goal.title}", "B")
            if not sub_goal.follow_ups:
                paragraph(_("Ingen uppföljning för perioden."))
            for follow_up in sub_goal.follow_ups:
                paragraph(f"{follow_up.year}: {follow_up.status_label}", "I")
                for label, text in _follow_up_lines(follow_up):
                    paragraph(f"{label}: {text}")

    heading(_("Avvikelser"), 13)
    for deviation in report.deviations or []:
        paragraph(
            f"{deviation.sub_goal.code} ({deviation.follow_up.year}, "
            f"{deviation.follow_up.status_label}): {deviation.follow_up.deviation_label}. "
            f"{deviation.follow_up.deviation_text or ''}"
        )
    if not report.deviations:
        paragraph(_("Inga avvikelser under perioden."))

    heading(_("Status i siffror"), 13)
    for chart in charts:
        _chart_pdf(pdf, chart)

    heading(_("Avslutande kommentarer"), 13)
    paragraph(report.closing_comments or _("Inga kommentarer."))
    return bytes(pdf.output())


def _hex(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def _chart_pdf(pdf: FPDF, chart: StackedChart) -> None:
    """The same stacked bars, with counts written on them and a legend in words."""
    pdf.set_font("Helvetica", "B", 10)
    pdf.multi_cell(0, 5, _pdf_text(chart.title), new_x="LMARGIN", new_y="NEXT")
    label_width, bar_width, row = 50.0, 110.0, 7.0
    if pdf.get_y() + row * len(chart.categories) + 20 > pdf.page_break_trigger:
        pdf.add_page()
    pdf.set_draw_color(27, 31, 36)
    for index, category in enumerate(chart.categories):
        y = pdf.get_y()
        pdf.set_font("Helvetica", size=8)
        pdf.set_text_color(27, 31, 36)
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(label_width - 2, row, _pdf_text(category)[:32], align="R")
        for series, count, x, w in chart.segments(index, bar_width):
            pdf.set_fill_color(*_hex(series.colour))
            pdf.rect(pdf.l_margin + label_width + x, y + 1, w, row - 2, style="DF")
            if w >= 5:
                pdf.set_text_color(*_hex(series.text_colour))
                pdf.set_xy(pdf.l_margin + label_width + x, y)
                pdf.cell(w, row, str(count), align="C")
        pdf.set_text_color(84, 93, 104)
        pdf.set_xy(pdf.l_margin + label_width + bar_width + 2, y)
        pdf.cell(10, row, str(chart.totals[index]))
        pdf.set_xy(pdf.l_margin, y + row)
    pdf.set_text_color(27, 31, 36)
    pdf.set_font("Helvetica", size=8)
    x = pdf.l_margin
    for series in chart.series:
        width = pdf.get_string_width(_pdf_text(series.label)) + 9
        if x + width > pdf.w - pdf.r_margin:
            x = pdf.l_margin
            pdf.ln(5)
        y = pdf.get_y()
        pdf.set_fill_color(*_hex(series.colour))
        pdf.rect(x, y + 1, 3, 3, style="DF")
        pdf.set_xy(x + 4, y)
        pdf.cell(width - 4, 5, _pdf_text(series.label))
        x += width
    pdf.ln(6)
    pdf.ln(3)
