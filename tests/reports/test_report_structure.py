"""The report is built like the board's own (the seed 000_18a2cdc70cc3af08.txt): an
introduction, each focus area with its text, and per sub-goal its responsibility,
activities, the years' account and each deviation once; no longer than 1.5 times the
board's own text while holding what that text says of each sub-goal."""

import io
import re

import lxml.html
import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy import select

from intranet.demo import data
from intranet.extensions import db
from intranet.models import Plan
from intranet.reports.queries import build_report
from tests.conftest import DEMO_PASSWORD
from tests.demo.test_loader import SEED_CODES
from tests.reports.helpers import demo_plan, docx_text, social_board

# Words in the board's own report, /work/shared/seeds/000_18a2cdc70cc3af08.txt (wc -w).
SEED_WORDS = 1086
MAX_RATIO = 1.5

# What the board's own report says of each sub-goal, in its words: the report must say it.
SEED_FACTS = {
    "4.1": ["kvinnogrupper", "röster hörda", "individnivå"],
    "4.2": ["studie- och yrkesvägledaren", "vuxenutbildningen", "motiverande stödsamtal"],
    "4.3": ["fritidssysselsättningar", "Skäggetorpsskolan", "12 timmar"],
    "4.4": ["trygg mötesplats", "professionellt samtalsstöd", "skolkuratorerna"],
    "4.5": ["uteblivit", "covid-19", "individuellt anpassat stöd"],
    "4.6": ["Kartläggningen", "Arbetsmarknadscentrum", "uteblivit", "covid-19"],
    "5.1": ["tränat svenska", "romani chib", "lämna hushållet", "uteblivit helt"],
    "5.2": ["VC/BVC-sköterska", "uteblivit helt"],
    "5.3": ["tjejgrupper", "skolkuratorerna", "hösten 2020", "socialt nätverk", "romska kulturen"],
    "5.4": ["Killgruppen", "romska kulturen", "utflykter"],
    "5.5": ["tillitsskapande", "goda resultat", "inkluderade", "hem och skola"],
    "5.6": ["mammagrupper", "MVC, BVC och barnavård"],
    "5.7": ["BVC", "inte närvarat fysiskt"],
    "5.8": ["familjecentralen", "kvalificerade ärenden", "familjepedagog", "juni 2021"],
    "5.9": ["jämställdhet mellan könen", "svårt att få pojkar", "fin respons"],
    "5.11": ["Kontakt Linköping", "Lambohov", "anhörigcenter", "IFO-mottagningen"],
}


def _words(text: str) -> int:
    return len(text.split())


def _docx_sections(content: bytes) -> dict[str, str]:
    """The text under each sub-goal heading (Heading 2), by code."""
    sections: dict[str, list[str]] = {}
    current = None
    for paragraph in Document(io.BytesIO(content)).paragraphs:
        if paragraph.style.name == "Heading 2":
            current = paragraph.text.split(" ", 1)[0]
            sections[current] = []
        elif paragraph.style.name.startswith("Heading"):
            current = None
        elif current:
            sections[current].append(paragraph.text)
    return {code: "\n".join(lines) for code, lines in sections.items()}


def _html_text(page: str) -> str:
    """The report's text as a reader sees it: the article without the application's forms
    and without the charts' pictures (whose text alternative repeats their tables)."""
    article = lxml.html.fromstring(page).xpath("//article")[0]
    for element in article.xpath(".//form | .//*[local-name()='svg']"):
        element.getparent().remove(element)
    return " ".join(article.text_content().split())


def _expected_statuses(code: str) -> set[str]:
    from intranet.models.followups import STATUSES

    return {str(STATUSES[values[0]]).lower() for values in data.FOLLOW_UPS_2018[code].values()}


def _board_report_is_like_the_boards_own(client, plan, board):
    docx = client.get(f"/plans/{plan.id}/report.docx?board_id={board.id}").data
    text = docx_text(docx)
    # Introduction: board, förvaltning, plan, focus areas, period, the plan's own text.
    intro = text.split("Fokusområde 4. Rätten till jämlika villkor\nFokusområde 5.")[0]
    assert "Social- och omsorgsnämnden (Social- och omsorgsförvaltningen) har ansvar" in intro
    assert "Handlingsplan för romsk inkludering 2018–2021" in intro
    assert "Period: 2018–2021" in intro
    assert data.PLAN_2018["description"] in text
    # Each focus area's own text, once, under its heading.
    for _number, _title, description in data.FOCUS_AREAS_2018:
        assert text.count(description) == 1
    assert data.CLOSING_COMMENTS_2018.split("\n")[0] in text

    shared = "Utförare för delmålen nedan: Vårt Nygård (Leanlink Råd och stöd)"
    assert text.count(shared) == len(data.FOCUS_AREAS_2018) == 2
    sections = _docx_sections(docx)
    assert list(sections) == SEED_CODES
    for code, section in sections.items():
        # The report's own board answering alone is not named under each sub-goal; the
        # unit they all share is written once under the focus area instead.
        assert "Ansvar" not in section and "Social- och omsorgsnämnden" not in section, code
        assert "huvudansvarig" not in section.lower() and "Utförare" not in section, code
        for fact in SEED_FACTS[code]:
            assert fact.lower() in section.lower(), (code, fact)
        # The status beside its years: "2019 (pågår): …".
        for status in _expected_statuses(code):
            assert re.search(rf"^20\d\d(–20\d\d)? \({re.escape(status)}\)[:.]", section, re.M), (
                code,
                status,
            )
        # Each deviation text once, however many years it covers; no paragraph twice.
        texts = {v[3] for v in data.FOLLOW_UPS_2018[code].values() if v[3]}
        for deviation in texts:
            assert section.count(deviation) == 1, (code, deviation)
        lines = [line for line in section.split("\n") if line]
        assert len(lines) == len(set(lines)), code
    # A deviation the same in 2020 and 2021 is written once with the years it covers, its
    # reason without the form's hint.
    assert "Avvikelse 2020–2021. Orsak: yttre omständigheter. Under" in sections["4.1"]
    assert "Avvikelse 2020. Orsak: yttre omständigheter." in sections["5.8"]
    assert "Avvikelse 2021. Orsak: samverkanspart saknas eller har slutat." in sections["5.8"]
    assert "(t.ex." not in text and "t.ex. pandemi" not in text
    # Equal years are written once; empty fields are left out, not printed as "none".
    assert "2018–2019 (ej påbörjad)" in sections["4.5"]
    for empty in ("Ingen redovisning", "Inga kommentarer", "None", "Ingen uppföljning"):
        assert empty not in text
    assert text.count("pandemi") <= 30

    ratio = _words(text) / SEED_WORDS
    assert ratio <= MAX_RATIO, ratio

    page = client.get(f"/plans/{plan.id}/report?board_id={board.id}").get_data(as_text=True)
    html = _html_text(page)
    assert _words(html) / SEED_WORDS <= MAX_RATIO, _words(html) / SEED_WORDS
    assert re.findall(r"<h3>(\d+\.\d+) ", page) == SEED_CODES
    assert "Social- och omsorgsnämnden (Social- och omsorgsförvaltningen) har ansvar" in html
    for code in SEED_CODES:
        for fact in SEED_FACTS[code]:
            assert fact.lower() in html.lower(), (code, fact)
    for description in (data.PLAN_2018["description"], data.FOCUS_AREAS_2018[1][2]):
        assert html.count(description) == 1
    assert "(t.ex." not in html and "Ansvar:" not in html
    assert "Avvikelse 2020–2021. Orsak: yttre omständigheter." in html

    pdf = PdfReader(io.BytesIO(client.get(f"/plans/{plan.id}/report.pdf?board_id={board.id}").data))
    pdf_text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert "Inledning" in pdf_text and "Avslutande kommentarer" in pdf_text
    assert "(t.ex." not in pdf_text and "Ansvar:" not in pdf_text
    assert "Avvikelse 2020–2021. Orsak: yttre omständigheter." in pdf_text
    # Shared by 4.1 and 4.2, each for 2020 and 2021: written once per sub-goal.
    assert pdf_text.count("främst arbetat med motiverande stödsamtal") == 2
    assert pdf_text.count("Avvikelse 2020–2021") == html.count("Avvikelse 2020–2021") == 9
    # The summary comes first, with every sub-goal and year, before the introduction.
    summary, account = pdf_text.split(" Inledning ", 1)
    assert "Sammanfattning Status per delmål och år, 2018–2021" in summary
    assert all(f" {code} " in summary for code in SEED_CODES)
    # The PDF as pdftotext reads it too: page numbers, chart legend and headers included.
    # The summary table, which the board's own text has no counterpart of, is not counted.
    assert _words(account) / SEED_WORDS <= MAX_RATIO, _words(account) / SEED_WORDS


def _pilot_report_shows_its_activities(client):
    pilot = db.session.scalar(select(Plan).where(Plan.title == data.PLAN_2012["title"]))
    report = build_report(pilot.id)
    assert sum(len(s.activities) for s in report.sub_goals) == len(data.ACTIVITIES_2012) == 21
    assert all(s.units == [data.UNIT] for s in report.sub_goals)
    text = docx_text(client.get(f"/plans/{pilot.id}/report.docx").data)
    assert "Ingen uppföljning för perioden" not in text
    # Every board's report: each responsible board named with its förvaltning.
    lead = report.introduction_lead
    assert lead.startswith("Ansvariga nämnder: ") and lead in text
    for name, administration in data.BOARDS:
        if name in report.board_names:
            assert f"{name} ({administration})" in lead
    for _code, title, start, end in data.ACTIVITIES_2012:
        years = str(start) if start == end else f"{start}–{end}"
        assert f"{title} ({years}): Genomförd" in text
    page = client.get(f"/plans/{pilot.id}/report").get_data(as_text=True)
    assert "Ingen uppföljning för perioden" not in page
    assert page.count("): Genomförd") == 21
    # The PDF, from the same template, too.
    pdf = PdfReader(io.BytesIO(client.get(f"/plans/{pilot.id}/report.pdf").data))
    pdf_text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert "Start av tjejgrupp i september för flickor i femte och sjätte klass (2012): " in (
        pdf_text
    )
    assert "Ingen uppföljning för perioden" not in pdf_text
    # One year: the activities planned for it alone.
    report_2015 = build_report(pilot.id, year=2015)
    assert [a.title for s in report_2015.sub_goals for a in s.activities] == [
        "Se över den gemensamma utvecklingsplanen för stadsdelsutveckling",
        "Genomföra lärandekonferenser för och tillsammans med romer, tjänstemän, "
        "politiker och andra berörda",
    ]


def _report_limited_to_one_focus_area(client, plan, board):
    report = build_report(plan.id, board.id, focus_area="5")
    assert [a.number for a in report.focus_areas] == ["5"]
    assert report.sub_goals[0].code == "5.1"
    assert build_report(plan.id, focus_area="9").focus_area is None  # not the plan's: all

    page = client.get(f"/plans/{plan.id}/report?board_id={board.id}&focus_area=5")
    html = _html_text(page.get_data(as_text=True))
    assert "Endast fokusområde 5" in html
    assert "Fokusområde 5. Rätten till en god hälsa" in html
    assert "Fokusområde 4." not in html and "4.1 " not in html
    docx = client.get(f"/plans/{plan.id}/report.docx?board_id={board.id}&focus_area=5")
    assert "-fokusomrade-5.docx" in docx.headers["Content-Disposition"]
    assert "Fokusområde 4." not in docx_text(docx.data)
    bad = client.get(f"/plans/{plan.id}/report?focus_area=9")
    assert bad.status_code == 422
    assert 'name="focus_area"' in bad.get_data(as_text=True)


@pytest.mark.slow
def test_the_report_is_the_boards_own(client, demo):
    plan, board = demo_plan(), social_board()
    client.login("auditor", DEMO_PASSWORD)
    _board_report_is_like_the_boards_own(client, plan, board)
    _pilot_report_shows_its_activities(client)
    _report_limited_to_one_focus_area(client, plan, board)
