"""The report as files: a PDF rendered from the report page's own HTML, and an editable Word
document written from the same Report object.

Both are A4, in the request's UI language, with page numbers, repeated table headers, a
title and an author (the board, or all boards) in their metadata, and a file name that says
board, plan and period. Neither changes a character of the data.
"""

import mimetypes
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from html import escape
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlsplit

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, Twips
from flask import current_app, render_template, request, url_for
from flask_babel import get_locale, to_user_timezone
from PIL import ImageFont
from weasyprint import CSS, HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from intranet.core.stored_text import printable
from intranet.core.translation import gettext as _
from intranet.reports.charts import StackedChart
from intranet.reports.prose import (
    account_line,
    deviation_line,
    plan_without_period,
    report_summary,
    report_title,
    responsibility_lines,
    variant_labels,
)
from intranet.reports.queries import Report
from intranet.web.filenames import slug

# The languages a document can be written in, as Word and PDF readers name them.
DOCUMENT_LANGUAGES = {"sv": "sv-SE", "en": "en-GB"}


def report_subtitle(report: Report, today: date) -> str:
    parts = [_("Period: %(period)s", period=report.period)]
    if report.board_name:
        parts.append(_("Ansvarig nämnd: %(board)s", board=report.board_name))
    if report.focus_area:
        parts.append(_("Endast fokusområde %(n)s", n=report.focus_area))
    if report.as_of:
        parts.append(_("Uppgifter per %(date)s", date=report.as_of.text))
    else:
        parts.append(_("Uppgifter per %(date)s", date=today.isoformat()))
    return " · ".join(parts)


def document_title(report: Report) -> str:
    """The title a file carries in its metadata: the report's title and what sets this
    variant apart, so that two files of one plan can be told apart in a document list or a
    screen reader's window title."""
    return " – ".join([report_title(report), *variant_labels(report)])


def document_author(report: Report) -> str:
    """The board that hands the report in; all boards when the report covers them all."""
    return report.board_name or _("Alla nämnder")


def report_filename(report: Report, extension: str) -> str:
    """`uppföljning-<board>-<plan>-<period>[-fokusområde-<n>][-med-tidigare-år][-per-<date>]
    .<ext>`, with one period (the year's, or the plan's), in Unicode; the download gives
    browsers that cannot take it an ASCII form (see web.attachment)."""
    parts = [
        "uppföljning",
        slug(report.board_name or "alla nämnder"),
        slug(plan_without_period(report)),
    ]
    parts.append(f"år-{report.year}" if report.year else f"{report.start_year}-{report.end_year}")
    if report.focus_area:
        parts.append("fokusområde-" + slug(report.focus_area))
    if report.earlier:
        parts.append("med-tidigare-år")
    if report.as_of:
        parts.append("per-" + slug(report.as_of.text))
    return "-".join(parts) + "." + extension


# PDF ------------------------------------------------------------------------------------


class StaticFilesFetcher(URLFetcher):
    """Serves the application's static files to WeasyPrint straight from disk and refuses
    every other URL, so that rendering a report never makes a network request (nor a
    request to the application itself, which would wait for a worker)."""

    def __init__(self, static_url: str, static_folder: str):
        super().__init__(allowed_protocols=())
        self.static_url = static_url
        self.static_folder = Path(static_folder).resolve()
        self.fetched: list[str] = []

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        base = urlsplit(self.static_url)
        if (parts.scheme, parts.netloc) == (base.scheme, base.netloc) and parts.path.startswith(
            base.path
        ):
            path = (self.static_folder / unquote(parts.path[len(base.path) :])).resolve()
            if path.is_file() and path.is_relative_to(self.static_folder):
                self.fetched.append(url)
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(
                    url, path.read_bytes(), headers={"Content-Type": content_type}
                )
        # Fatal: a template that links anything else is a mistake the tests must show.
        raise FatalURLFetchingError(f"Not a static file of the application: {url}")


def report_pdf(report: Report, charts: list[StackedChart], plan, now: datetime) -> bytes:
    """A tagged PDF/UA-1 document rendered from the report page's own template, without
    its navigation and forms (`document=True`).

    The language, title and author come from that HTML (`<html lang>`, `<title>`,
    `<meta name="author">`), the page size, numbers and breaks from report-print.css,
    the words around the page numbers from the UI language (as in the Word footer)."""
    html = render_template(
        "reports/report.html",
        document=True,
        plan=plan,
        report=report,
        charts=charts,
        comment_form=None,
        document_title=document_title(report),
        document_author=document_author(report),
        document_created=now.isoformat(timespec="seconds"),
        document_date=to_user_timezone(now).date().isoformat(),
    )
    fetcher = StaticFilesFetcher(
        url_for("static", filename="", _external=True), current_app.static_folder
    )
    # Control characters stored before the model layer removed them would garble the PDF's
    # text; the markup itself has none.
    return pdf_from_html(printable(html), request.url, fetcher, page_numbers_css())


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ") + '"'


def page_numbers_css() -> str:
    """The page margin's "Sida 3 av 12" in the UI language. WeasyPrint keeps the page
    margin boxes out of the structure tree, so readers skip them as page furniture."""
    before, between, after = page_number_parts()
    content = " ".join(
        [_css_string(before), "counter(page)", _css_string(between), "counter(pages)"]
        + ([_css_string(after)] if after else [])
    )
    return f"@page {{ @bottom-right {{ content: {content}; }} }}"


_DC = "http://purl.org/dc/elements/1.1/"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def _xmp_language(document, pdf) -> None:
    """dc:language in the XMP metadata, which PDF/UA asks for beside the catalogue's
    /Lang and which WeasyPrint 70 does not write."""
    language = document.metadata.lang
    if not language:
        return
    description = (
        f'<rdf:Description xmlns:rdf="{_RDF}" xmlns:dc="{_DC}" rdf:about="">'
        f"<dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>"
        "</rdf:Description>"
    ).encode()
    for stream in pdf.objects:
        extra = getattr(stream, "extra", None)
        if not extra or extra.get("Type") != "/Metadata":
            continue
        for index, chunk in enumerate(stream.stream):
            if isinstance(chunk, bytes) and b"</rdf:RDF>" in chunk:
                stream.stream[index] = chunk.replace(b"</rdf:RDF>", description + b"</rdf:RDF>", 1)


def _header_scopes(document, pdf) -> None:
    """/Scope on every table header cell of the structure tree, from its `<th scope>`:
    WeasyPrint 70 uses the attribute to link cells to headers but does not write it."""

    def cells(box):
        mark = getattr(box, "mark", None)
        if box.element_tag == "th" and mark is not None and "A" in mark:
            scope = box.element.attrib.get("scope", "col")
            mark["A"]["Scope"] = "/Row" if scope in ("row", "rowgroup") else "/Column"
        for child in getattr(box, "children", ()):
            cells(child)

    for page in document.pages:
        cells(page._page_box)


def _finish(document, pdf) -> None:
    _xmp_language(document, pdf)
    _header_scopes(document, pdf)


def pdf_from_html(
    html: str, base_url: str, fetcher: StaticFilesFetcher, extra_css: str | None = None
) -> bytes:
    stylesheets = [CSS(string=extra_css, url_fetcher=fetcher)] if extra_css else []
    try:
        return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(
            pdf_variant="pdf/ua-1", stylesheets=stylesheets, finisher=_finish
        )
    except FatalURLFetchingError as error:
        # WeasyPrint's fatal error is a BaseException, which no error page would catch.
        raise RuntimeError(str(error)) from error


# DOCX -----------------------------------------------------------------------------------

A4_WIDTH, A4_HEIGHT = Twips(11906), Twips(16838)
_MARGIN = Cm(2)
_TEXT_WIDTH = A4_WIDTH - 2 * _MARGIN


@dataclass
class _Column:
    heading: str


# The tables' left and right cell margins (0.1 cm each, narrower than Word's 0.19 cm so that
# a nine-column status table fits its words at 8 pt), which a column's text cannot use.
_CELL_MARGIN = 57
_CELL_PADDING = Twips(2 * _CELL_MARGIN)
# The type sizes a table may use, largest first: a table too wide for its words at one size
# is set at the next.
_TABLE_SIZES = (11, 10, 9, 8)
_FONT_FILES = {
    False: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    True: "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
}
# Without the font file, an average glyph width in em; DejaVu Sans's, a wide font, so that
# Word's narrower Calibri (or LibreOffice's Carlito) fits in whatever it gives.
_AVERAGE_EM = {False: 0.62, True: 0.7}


@lru_cache(maxsize=32)
def _font(bold: bool, size: float):
    try:
        return ImageFont.truetype(_FONT_FILES[bold], size)
    except OSError:
        return None


def text_width(text: str, size: float, bold: bool = False) -> int:
    """The width of one line of text in EMU, measured in DejaVu Sans (wider than Word's
    Calibri, so a measure that fits here fits there)."""
    font = _font(bold, size)
    points = font.getlength(text) if font else len(text) * size * _AVERAGE_EM[bold]
    return int(Pt(points))


def words(text: str) -> list[str]:
    """The pieces a line may not break inside: words, split after a hyphen, a dash or a
    slash too (Word and LibreOffice break there)."""
    return [piece for word in text.split() for piece in re.findall(r"[^-–/]+[-–/]*|[-–/]+", word)]


def column_widths(rows: list[list[tuple[str, bool]]], total: int) -> tuple[list[int], int]:
    """Column widths (EMU) and a type size for a table of `rows` of (text, bold) cells: the
    largest size at which the longest word of every column fits its column, the rest of
    `total` shared out by how much more each column's full text would take. Only when
    the words do not fit even at the smallest size are the columns scaled down."""
    count = len(rows[0])
    for size in _TABLE_SIZES:
        least = [_CELL_PADDING] * count
        most = [_CELL_PADDING] * count
        for row in rows:
            for index, (text, bold) in enumerate(row):
                longest = max((text_width(w, size, bold) for w in words(text)), default=0)
                # Word keeps widths in twips: round up to one, or the word no longer fits.
                least[index] = max(least[index], -(-(longest + _CELL_PADDING) // 635) * 635)
                most[index] = max(most[index], text_width(text, size, bold) + _CELL_PADDING)
        if sum(least) <= total:
            break
    spare = total - sum(least)
    if spare < 0:
        return [int(width * total / sum(least)) for width in least], size
    wishes = [max(0, high - low) for high, low in zip(most, least, strict=True)]
    if sum(wishes) <= spare:
        # Everything fits on one line: the rest goes evenly.
        extra = [wish + (spare - sum(wishes)) / count for wish in wishes]
    else:
        extra = [spare * wish / sum(wishes) for wish in wishes]
    widths = [int(low + more // 635 * 635) for low, more in zip(least, extra, strict=True)]
    return widths, size


def _docx_text(text) -> str:
    # lxml refuses control characters, and one stored before the model layer removed them
    # must not make the report fail for everyone.
    return printable("" if text is None else str(text))


_AFTER_LANG = ("eastAsianLayout", "specVanish", "oMath")


def _set_language(document, language: str) -> None:
    """Word's proofing and hyphenation language, and the screen reader's: on the document
    defaults, on every paragraph and character style, and on the theme fonts."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rprs = [run_defaults]
    for style in document.styles:
        if style.type in (1, 2):  # paragraph, character
            rprs.append(style.element.get_or_add_rPr())
    for rpr in rprs:
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            # Word insists on the schema's order: only these three may follow w:lang.
            later = [rpr.find(qn(f"w:{name}")) for name in _AFTER_LANG]
            later = [element for element in later if element is not None]
            if later:
                later[0].addprevious(lang)
            else:
                rpr.append(lang)
        lang.set(qn("w:val"), language)
        lang.set(qn("w:eastAsia"), language)
    theme_lang = document.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), language)


def _add_field(paragraph, instruction: str, placeholder: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the pages."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.extend([begin, text, separate])
    paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


_FOOTER_SIZE = 8


def page_number_parts() -> tuple[str, str, str]:
    """ "Sida 3 av 12" in the UI language, as the text before, between and after the two
    numbers: the PDF's page margin and the Word footer both write it from this."""
    before, _page, rest = _("Sida %(page)s av %(pages)s").partition("%(page)s")
    between, _pages, after = rest.partition("%(pages)s")
    return before, between, after


def _fit(text: str, width: int, size: float) -> str:
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _page_setup(document, footer_text: str) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = A4_WIDTH, A4_HEIGHT
    section.left_margin = section.right_margin = _MARGIN
    section.top_margin = section.bottom_margin = _MARGIN
    # One line: the text at the left, "Sida 3 av 12" at a right tab stop on the margin. The
    # text is shortened to leave room for the widest page numbers a report will have.
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.LEFT
    footer.paragraph_format.tab_stops.add_tab_stop(_TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    before, between, after = page_number_parts()
    numbers = text_width(f"{before}999{between}999{after}", _FOOTER_SIZE)
    room = int(_TEXT_WIDTH) - numbers - int(Cm(1))
    footer.add_run(_fit(_docx_text(footer_text), room, _FOOTER_SIZE) + "\t")
    footer.add_run(before)
    _add_field(footer, "PAGE", "1")
    footer.add_run(between)
    _add_field(footer, "NUMPAGES", "1")
    footer.add_run(after)
    for run in footer.runs:
        run.font.size = Pt(_FOOTER_SIZE)


def _keep_headings_with_next(document) -> None:
    """A heading is never the last line of a page: every title, heading and caption
    paragraph keeps with the next one, in its style and on the paragraph itself."""
    for paragraph in document.paragraphs:
        name = paragraph.style.name
        if name == "Title" or name.startswith("Heading") or name == "Caption":
            paragraph.paragraph_format.keep_with_next = True


def _set_metadata(document, report: Report, language: str, now: datetime) -> None:
    properties = document.core_properties
    properties.title = _docx_text(document_title(report))
    properties.author = _docx_text(document_author(report))
    properties.last_modified_by = _docx_text(document_author(report))
    properties.subject = _docx_text(report.plan_title)
    properties.comments = ""
    properties.keywords = ""
    properties.language = language
    properties.revision = 1
    # python-docx's template says 2013; Word shows these as the file's dates.
    properties.created = properties.modified = now.replace(microsecond=0, tzinfo=None)
    # The template's preview picture shows python-docx's sample page, not this report.
    package_rels = document.part.package.rels
    for rel_id in [r for r, rel in package_rels.items() if rel.reltype.endswith("/thumbnail")]:
        package_rels.pop(rel_id)


def _table(document, columns: list[_Column], rows: list[list[str]], bold_first: bool = True):
    """A bordered table whose header row repeats on every page, its column widths fixed
    from its content (column_widths) so that no word is broken inside."""
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(_CELL_MARGIN))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.append(margins)
    cells = [[(_docx_text(column.heading), True) for column in columns]]
    cells += [
        [(_docx_text(value), bold_first and index == 0) for index, value in enumerate(row)]
        for row in rows
    ]
    widths, size = column_widths(cells, int(_TEXT_WIDTH))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    header = table.rows[0]
    header_properties = header._tr.get_or_add_trPr()
    header_properties.append(OxmlElement("w:tblHeader"))
    for cell, (text, _bold) in zip(header.cells, cells[0], strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(size)
    _fix_widths(header, widths)
    for row in rows:
        _add_row(table, row, bold_first, size)
    return table


def _fix_widths(row, widths) -> None:
    # Word reads the cells' widths, LibreOffice the grid's: both are set.
    for cell, width in zip(row.cells, widths, strict=True):
        cell.width = width


def _add_row(table, values: list[str], bold_first: bool, size: int) -> None:
    row = table.add_row()
    # A row is short; breaking one across pages only makes it hard to read.
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    _fix_widths(row, [column.width for column in table.columns])
    for index, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
        run = cell.paragraphs[0].add_run(_docx_text(value))
        run.bold = bold_first and index == 0
        run.font.size = Pt(size)


def focus_area_heading(area) -> str:
    return _("Fokusområde %(n)s. %(title)s", n=area.number, title=area.title)


def _paragraphs(document, text: str | None, style: str | None = None) -> None:
    for line in (text or "").split("\n"):
        if line.strip():
            document.add_paragraph(_docx_text(line), style=style)


def _labelled(document, label: str, text: str, style: str | None = None):
    paragraph = document.add_paragraph(style=style)
    paragraph.add_run(_docx_text(label)).bold = True
    if text:
        paragraph.add_run(" " + _docx_text(text))
    return paragraph


def _sub_goal_docx(document, sub_goal, shared_units: list[str], own_board) -> None:
    document.add_heading(_docx_text(f"{sub_goal.code} {sub_goal.title}"), level=2)
    responsibility = responsibility_lines(sub_goal, own_board)
    units = sub_goal.units if not shared_units else []
    if responsibility or units:
        paragraph = document.add_paragraph(_docx_text(". ".join(responsibility)))
        if units:
            if responsibility:
                paragraph.add_run(". ")
            paragraph.add_run(_("Utförare") + ":").bold = True
            paragraph.add_run(" " + _docx_text(", ".join(units)))
    if sub_goal.earlier:
        _labelled(
            document,
            _("Tidigare år") + ":",
            "; ".join(earlier.text for earlier in sub_goal.earlier),
        )
    if sub_goal.activities:
        _labelled(document, _("Aktiviteter"), "").paragraph_format.keep_with_next = True
        for activity in sub_goal.activities:
            text = f"{activity.title} ({activity.span}): {activity.status_label}"
            if activity.description:
                text += f". {activity.description}"
            document.add_paragraph(_docx_text(text), style="List Bullet")
    for entry in sub_goal.account:
        _labelled(document, *account_line(entry), style="List Bullet")
    for deviation in sub_goal.deviations:
        _labelled(document, *deviation_line(deviation))
    if not sub_goal.follow_ups and not sub_goal.activities:
        document.add_paragraph(_("Ingen uppföljning för perioden."))


def _summary_docx(document, report: Report) -> None:
    """Every sub-goal × year with status glyph and word, and the counts: the page's
    summary (reports/report.html), before everything else. The sub-goals by code alone,
    so that the summary keeps to one page; their titles head the account that follows."""
    summary = report_summary(report)
    if not summary.rows:
        return
    document.add_heading(_("Sammanfattning"), level=1)
    caption = document.add_paragraph(
        _("Status per delmål och år, %(period)s", period=report.period), style="Caption"
    )
    caption.paragraph_format.keep_with_next = True
    columns = [_Column(_("Delmål")), *(_Column(str(year)) for year in summary.years)]
    rows = [
        [row.code, *(f"{cell.glyph} {cell.label}" if cell else "–" for cell in row.cells)]
        for row in summary.rows
    ]
    _table(document, columns, rows)
    document.add_paragraph(
        _docx_text(
            _("Antal per status under %(period)s:", period=report.period)
            + " "
            + summary.counts_text
        )
    )


def report_docx(report: Report, charts: list[StackedChart], now: datetime) -> bytes:
    """The report as an A4 Word document in the UI language, with Word's heading styles
    (Title for the report, Heading 1 for its introduction, focus areas and closing
    sections, 2 for sub-goals), so that Word's navigation pane and table of contents work.
    The same sections, in the same order, as the report page (reports/report.html)."""
    language = DOCUMENT_LANGUAGES.get(str(get_locale()), DOCUMENT_LANGUAGES["sv"])
    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    _set_language(document, language)
    _page_setup(document, f"{document_author(report)} – {report.period}")
    _set_metadata(document, report, language, now)

    document.add_heading(_docx_text(report_title(report)), level=0)
    document.add_paragraph(_docx_text(report_subtitle(report, to_user_timezone(now).date())))
    _summary_docx(document, report)

    document.add_heading(_("Inledning"), level=1)
    document.add_paragraph(_docx_text(report.introduction_lead))
    for area in report.focus_areas:
        document.add_paragraph(_docx_text(focus_area_heading(area)), style="List Bullet")
    if not report.focus_areas:
        document.add_paragraph(_("Inga delmål för det valet."), style="List Bullet")
    _paragraphs(document, report.plan_description)
    document.add_paragraph(
        _(
            "Nedan redovisas delmålen under %(period)s.",
            period=report.period,
        )
    )

    for area in report.focus_areas:
        document.add_heading(_docx_text(focus_area_heading(area)), level=1)
        _paragraphs(document, area.description)
        if area.shared_units:
            _labelled(document, _("Utförare för delmålen nedan:"), ", ".join(area.shared_units))
        for sub_goal in area.sub_goals:
            _sub_goal_docx(document, sub_goal, area.shared_units, report.board_name)

    document.add_heading(_("Status i siffror"), level=1)
    for chart in charts:
        _chart_table_docx(document, chart)

    # An empty section says nothing: without comments there is no heading either.
    if report.closing_comments:
        document.add_heading(_("Avslutande kommentarer"), level=1)
        _paragraphs(document, report.closing_comments)

    _keep_headings_with_next(document)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _chart_table_docx(document, chart: StackedChart) -> None:
    caption = document.add_paragraph(_docx_text(chart.title), style="Caption")
    caption.paragraph_format.keep_with_next = True
    columns = [
        _Column(chart.category_heading),
        *(_Column(series.label) for series in chart.series),
        _Column(_("Totalt")),
    ]
    rows = [
        [category, *map(str, chart.values[index]), str(chart.totals[index])]
        for index, category in enumerate(chart.categories)
    ]
    _table(document, columns, rows)
