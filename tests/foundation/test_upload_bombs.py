"""Small workbooks that declare millions of cells, or hold millions of records of any
kind, are refused before openpyxl sees them.

Each bomb is a few kB: a real workbook with one construct that a reader would expand to
every cell it names (a merged range, a hyperlink, one far cell, the dimension, a format's
or validation's range, row spans, column ranges, a print area, a table, a comment). Both
upload routes answer each one at once with a message next to the file field, and
openpyxl's load_workbook is never called for it: the proof does not depend on timing.
The same holds for what is no cell at all but costs openpyxl as much: a million style
records, rich-text runs, relationships, names or comments, deep nesting, many or long
attributes, a large part that holds no data.
"""

import io
import re
import time
import zipfile

import pytest
from openpyxl import Workbook

from intranet.web import uploads
from tests.foundation.test_uploads import NS, UNREADABLE, _upload, _with_part
from tests.rounds.test_services import _round

SHEET = "xl/worksheets/sheet1.xml"
BEYOND = "Filen sträcker sig utanför de första"
TOO_MUCH = "Filen innehåller för mycket för att läsas in"
WHOLE_SHEET = "A1:XFD1048576"


def _sheet(
    before: str = "",
    after: str = "",
    data: str = '<row r="1"><c r="A1" t="inlineStr"><is><t>Delmål</t></is></c></row>',
    extension: str = "",
) -> bytes:
    """A worksheet with `before` ahead of its cells and `after` behind them, in the order
    the schema gives them."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS} '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" '
        'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
        f"{before}<sheetData>{data}</sheetData>{after}{extension}</worksheet>"
    ).encode()


def _workbook() -> bytes:
    workbook = Workbook()
    workbook.active.title = "Blad1"
    workbook.active.append(["Delmål", "Titel"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_sheet(**parts) -> bytes:
    return _with_part(SHEET, _sheet(**parts), _workbook())


def _with_defined_name(value: str, name: str = "_xlnm.Print_Area") -> bytes:
    base = _workbook()
    workbook_xml = zipfile.ZipFile(io.BytesIO(base)).read("xl/workbook.xml").decode()
    names = f'<definedNames><definedName name="{name}" localSheetId="0">{value}'
    names += "</definedName></definedNames>"
    workbook_xml = workbook_xml.replace("<calcPr", names + "<calcPr")
    assert names in workbook_xml
    return _with_part("xl/workbook.xml", workbook_xml.encode(), base)


def _spans_bomb() -> bytes:
    rows = "".join(f'<row r="{n}" spans="1:16384"/>' for n in range(1, 1000))
    return _with_sheet(data=rows)


def _data_validation(sqref: str) -> str:
    return (
        f'<dataValidations count="1"><dataValidation type="list" sqref="{sqref}">'
        '<formula1>"Ja,Nej"</formula1></dataValidation></dataValidations>'
    )


def _x14_validation(sqref: str) -> str:
    return (
        '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}"><x14:dataValidations '
        'count="1"><x14:dataValidation type="list"><x14:formula1><xm:f>Blad1!$A$1:$A$2</xm:f>'
        f"</x14:formula1><xm:sqref>{sqref}</xm:sqref></x14:dataValidation>"
        "</x14:dataValidations></ext></extLst>"
    )


def _conditional_format(sqref: str) -> str:
    return (
        f'<conditionalFormatting sqref="{sqref}"><cfRule type="containsBlanks" priority="1">'
        f"<formula>LEN(TRIM(A1))=0</formula></cfRule></conditionalFormatting>"
    )


def _part(name: str, xml: str) -> bytes:
    return _with_part(name, f'<?xml version="1.0"?>{xml}'.encode(), _workbook())


BOMBS = {
    "merged range to the last cell": lambda: _with_sheet(
        after='<mergeCells count="1"><mergeCell ref="A20:XFD1048576"/></mergeCells>'
    ),
    "merged range, lowercase and absolute": lambda: _with_sheet(
        after='<mergeCells count="1"><mergeCell ref="$a$20:$xfd$1048576"/></mergeCells>'
    ),
    "merged range of whole columns": lambda: _with_sheet(
        after='<mergeCells count="1"><mergeCell ref="A:B"/></mergeCells>'
    ),
    "hyperlink range": lambda: _with_sheet(
        after=f'<hyperlinks><hyperlink ref="{WHOLE_SHEET}" location="Blad1!A1"/></hyperlinks>'
    ),
    "one cell at XFD4999": lambda: _with_sheet(
        data='<row r="4999"><c r="XFD4999" t="inlineStr"><is><t>x</t></is></c></row>'
    ),
    "one cell at the last row": lambda: _with_sheet(
        data='<row r="1048576"><c r="A1048576"><v>1</v></c></row>'
    ),
    "a cell far right without its own reference": lambda: _with_sheet(
        data='<row r="1"><c r="CV1"><v>1</v></c><c><v>2</v></c></row>'
    ),
    "a row far down": lambda: _with_sheet(data='<row r="1048576"/>'),
    "a row number written as a float": lambda: _with_sheet(data='<row r="1e6"/>'),
    "huge dimension": lambda: _with_sheet(before=f'<dimension ref="{WHOLE_SHEET}"/>'),
    "rows spanning every column": _spans_bomb,
    "column range to the last column": lambda: _with_sheet(
        before='<cols><col min="1" max="16384" width="10" customWidth="1"/></cols>'
    ),
    "conditional formatting": lambda: _with_sheet(after=_conditional_format(WHOLE_SHEET)),
    "conditional formatting, second range of a list": lambda: _with_sheet(
        after=_conditional_format("A1:B2  C3:XFD1048576")
    ),
    "conditional formatting of whole rows": lambda: _with_sheet(
        after=_conditional_format("1:1048576")
    ),
    "data validation": lambda: _with_sheet(after=_data_validation(WHOLE_SHEET)),
    "data validation of every column": lambda: _with_sheet(after=_data_validation("A:XFD")),
    "data validation in an Excel 2010 extension": lambda: _with_sheet(
        extension=_x14_validation(WHOLE_SHEET)
    ),
    "auto filter": lambda: _with_sheet(after=f'<autoFilter ref="{WHOLE_SHEET}"/>'),
    "selection": lambda: _with_sheet(
        before=(
            '<sheetViews><sheetView workbookViewId="0"><selection activeCell="A1" '
            f'sqref="{WHOLE_SHEET}"/></sheetView></sheetViews>'
        )
    ),
    "shared formula range": lambda: _with_sheet(
        data=f'<row r="1"><c r="A1"><f t="shared" ref="{WHOLE_SHEET}" si="0">1</f></c></row>'
    ),
    "print area": lambda: _with_defined_name("Blad1!$A$1:$XFD$1048576"),
    "table": lambda: _part(
        "xl/tables/table1.xml",
        f'<table {NS} id="1" name="T" displayName="T" ref="{WHOLE_SHEET}">'
        f'<autoFilter ref="{WHOLE_SHEET}"/><tableColumns count="1">'
        '<tableColumn id="1" name="A"/></tableColumns></table>',
    ),
    "comment on the last cell": lambda: _part(
        "xl/comments1.xml",
        f"<comments {NS}><authors><author>a</author></authors><commentList>"
        '<comment ref="XFD1048576" authorId="0"><text><t>x</t></text></comment>'
        "</commentList></comments>",
    ),
    "a worksheet under another name": lambda: _with_part(
        "xl/elsewhere/data.bin",
        _sheet(data='<row r="4999"><c r="XFD4999"><v>1</v></c></row>'),
        _workbook(),
    ),
    "a wide and long sheet": lambda: _with_sheet(
        data='<row r="1"><c r="A1"><v>1</v></c></row><row r="4000"><c r="CV4000"><v>1</v></c></row>'
    ),
}
# Where the bomb is no reference at all: the file is broken, and says so.
MALFORMED = {
    "range without an end": lambda: _with_sheet(
        after='<mergeCells count="1"><mergeCell ref="A1:"/></mergeCells>'
    ),
    "row zero": lambda: _with_sheet(after=_data_validation("A0:B2")),
    "column past XFD": lambda: _with_sheet(after=_conditional_format("A1:XFE2")),
    "a cell and a column mixed": lambda: _with_sheet(
        after='<hyperlinks><hyperlink ref="A1:B" location="Blad1!A1"/></hyperlinks>'
    ),
    "a row number that is no number": lambda: _with_sheet(data='<row r="many"/>'),
    "column range that is no number": lambda: _with_sheet(
        before='<cols><col min="1" max="all"/></cols>'
    ),
}
STYLES = "xl/styles.xml"
SHARED_STRINGS = "xl/sharedStrings.xml"


def _too_complex(what: str, part: str) -> str:
    return f"{TOO_MUCH}: {what} i {part}."


PART_ELEMENTS = f"fler än {uploads.MAX_PART_ELEMENTS} XML-element"
# The tester's style bombs unpack to 5-10 MB: their size alone gives them away. The
# variants below stay under that size, so that their elements must.
PART_BYTES = "mer än 2 MB uppackat"
ITEM_ELEMENTS = f"fler än {uploads.MAX_ITEM_ELEMENTS} XML-element i en rad eller text"


def _styles(old: str, new: str) -> bytes:
    """The real styles of a workbook with `old` replaced by `new`."""
    base = _workbook()
    styles = zipfile.ZipFile(io.BytesIO(base)).read(STYLES).decode()
    assert old in styles
    return _with_part(STYLES, styles.replace(old, new, 1).encode(), base)


def _in_part(name: str, old: str, new: str) -> bytes:
    base = _workbook()
    xml = zipfile.ZipFile(io.BytesIO(base)).read(name).decode()
    assert old in xml
    return _with_part(name, xml.replace(old, new, 1).encode(), base)


def _style_records(list_name: str, record: str, count: int) -> bytes:
    """The list `list_name` of styles.xml, declaring and holding `count` records."""
    return _styles(f"<{list_name} ", f'<{list_name} count="{count}">{record * count}<x ')


def _shared_strings(items: str) -> bytes:
    xml = f'<?xml version="1.0"?><sst {NS} count="1" uniqueCount="1">{items}</sst>'
    return _with_part(SHARED_STRINGS, xml.encode(), _workbook())


def _nested(tag: str, depth: int) -> str:
    return f"<{tag}>" * depth + f"</{tag}>" * depth


def _many_references() -> bytes:
    """Selections naming the same cell over and over, each within the attribute length."""
    sqref = " ".join(["A1"] * 10_000)
    views = "".join(
        f'<sheetView workbookViewId="{n}"><selection sqref="{sqref}"/></sheetView>'
        for n in range(11)
    )
    return _with_sheet(before=f"<sheetViews>{views}</sheetViews>")


def _every_cell_holds_many_elements() -> bytes:
    """Within every count of rows, cells and strings, and each row within its own element
    budget, but more elements than any real workbook has: only the workbook's total finds it."""
    cell = '<c t="inlineStr"><is>' + "<t>a</t>" * 7 + "</is></c>"
    return _with_sheet(data=f"<row>{cell * 100}</row>" * 600)


def _sheets_sharing_a_part(same_id: bool) -> bytes:
    """Three sheets over the one worksheet part: by three relationships to it (written
    three ways), or all three by the same relationship."""
    base = _workbook()
    archive = zipfile.ZipFile(io.BytesIO(base))
    workbook_xml = archive.read("xl/workbook.xml").decode()
    relationships = archive.read("xl/_rels/workbook.xml.rels").decode()
    sheet = re.search(r"<sheet [^>]*/>", workbook_xml).group(0)
    sheets = [sheet] + [
        sheet.replace('sheetId="1"', f'sheetId="{n}"')
        .replace('name="Blad1"', f'name="Blad{n}"')
        .replace('r:id="rId1"', 'r:id="rId1"' if same_id else f'r:id="rId9{n}"')
        for n in (2, 3)
    ]
    workbook_xml = workbook_xml.replace(sheet, "".join(sheets))
    if not same_id:
        kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
        extra = "".join(
            f'<Relationship Type="{kind}" Target="{target}" Id="rId9{n}"/>'
            for n, target in (
                (2, "worksheets/sheet1.xml"),
                (3, "./worksheets/../Worksheets/sheet1.xml"),
            )
        )
        relationships = relationships.replace("</Relationships>", extra + "</Relationships>")
        base = _with_part("xl/_rels/workbook.xml.rels", relationships.encode(), base)
    return _with_part("xl/workbook.xml", workbook_xml.encode(), base)


# (how to build it, what the message names)
ELEMENT_BOMBS = {
    # The outside tester's four reproductions.
    "a million cell formats": (
        lambda: _style_records("cellXfs", "<xf/>", 1_000_000),
        _too_complex(PART_BYTES, STYLES),
    ),
    "300 000 fonts": (
        lambda: _style_records("fonts", '<font><b/><sz val="11"/></font>', 300_000),
        _too_complex(PART_BYTES, STYLES),
    ),
    "300 000 differential formats": (
        lambda: _styles(
            "<tableStyles",
            '<dxfs count="300000">' + "<dxf><font><b/></font></dxf>" * 300_000 + "</dxfs>"
            "<tableStyles",
        ),
        _too_complex(PART_BYTES, STYLES),
    ),
    "one shared string of 300 000 runs": (
        lambda: _shared_strings("<si>" + "<r><t>a</t></r>" * 300_000 + "</si>"),
        _too_complex(ITEM_ELEMENTS, SHARED_STRINGS),
    ),
    "300 000 nested extensions in a worksheet": (
        lambda: _with_sheet(extension=f"<extLst>{_nested('ext', 300_000)}</extLst>"),
        _too_complex(f"XML nästlad djupare än {uploads.MAX_DEPTH} nivåer", SHEET),
    ),
    # Every other list of records a reader builds objects from.
    "cell style formats": (
        lambda: _style_records("cellStyleXfs", "<xf/>", 30_000),
        _too_complex(PART_ELEMENTS, STYLES),
    ),
    "number formats": (
        lambda: _style_records("numFmts", '<numFmt numFmtId="164" formatCode="0"/>', 30_000),
        _too_complex(PART_ELEMENTS, STYLES),
    ),
    "borders": (
        lambda: _style_records("borders", "<border><left/><right/></border>", 30_000),
        _too_complex(PART_ELEMENTS, STYLES),
    ),
    "fills": (
        lambda: _style_records("fills", "<fill><patternFill/></fill>", 30_000),
        _too_complex(PART_ELEMENTS, STYLES),
    ),
    "colours": (
        lambda: _styles("<indexedColors>", "<indexedColors>" + '<rgbColor rgb="0"/>' * 30_000),
        _too_complex(PART_ELEMENTS, STYLES),
    ),
    "named cell styles": (
        lambda: _style_records("cellStyles", '<cellStyle name="a" xfId="0"/>', 30_000),
        _too_complex(PART_ELEMENTS, STYLES),
    ),
    "deep nesting in the styles": (
        lambda: _styles("<fonts ", f"{_nested('extLst', 100)}<fonts "),
        _too_complex(f"XML nästlad djupare än {uploads.MAX_DEPTH} nivåer", STYLES),
    ),
    "many attributes on a cell format": (
        lambda: _styles(
            "<xf ",
            "<xf " + " ".join(f'a{n}="0"' for n in range(10_000)) + " ",
        ),
        _too_complex(f"fler än {uploads.MAX_ATTRIBUTES} attribut på ett element", STYLES),
    ),
    "a very long attribute value": (
        lambda: _styles('name="Normal"', f'name="{"N" * 1_000_000}"'),
        _too_complex(f"ett attribut längre än {uploads.MAX_ATTRIBUTE_LENGTH} tecken", STYLES),
    ),
    "runs over many shared strings": (
        lambda: _shared_strings(("<si>" + "<r><t>a</t></r>" * 1_000 + "</si>") * 30),
        _too_complex(f"fler än {uploads.MAX_RUNS} formaterade textavsnitt", SHARED_STRINGS),
    ),
    "an inline string of many runs": (
        lambda: _with_sheet(
            data='<row r="1"><c r="A1" t="inlineStr"><is>'
            + "<r><t>a</t></r>" * 100_000
            + "</is></c></row>"
        ),
        _too_complex(ITEM_ELEMENTS, SHEET),
    ),
    "other elements in a row": (
        lambda: _with_sheet(data='<row r="1">' + "<x/>" * 100_000 + "</row>"),
        _too_complex(ITEM_ELEMENTS, SHEET),
    ),
    "many relationships": (
        lambda: _in_part(
            "xl/_rels/workbook.xml.rels",
            "</Relationships>",
            "".join('<Relationship Id="x" Type="t" Target="a.xml"/>' for _n in range(30_000))
            + "</Relationships>",
        ),
        _too_complex(PART_ELEMENTS, "xl/_rels/workbook.xml.rels"),
    ),
    "many content types": (
        lambda: _in_part(
            "[Content_Types].xml",
            "</Types>",
            '<Override PartName="/a.xml" ContentType="t"/>' * 30_000 + "</Types>",
        ),
        _too_complex(PART_ELEMENTS, "[Content_Types].xml"),
    ),
    "many defined names": (
        lambda: _in_part(
            "xl/workbook.xml",
            "<definedNames/>",
            "<definedNames>"
            + "".join('<definedName name="n">1</definedName>' for _n in range(30_000))
            + "</definedNames>",
        ),
        _too_complex(PART_ELEMENTS, "xl/workbook.xml"),
    ),
    "many sheets": (
        lambda: _in_part(
            "xl/workbook.xml",
            "</sheets>",
            "".join(f'<sheet name="B{n}" sheetId="{n + 2}"/>' for n in range(60)) + "</sheets>",
        ),
        _too_complex(f"fler än {uploads.MAX_SHEETS} blad", "xl/workbook.xml"),
    ),
    "many comments": (
        lambda: _part(
            "xl/comments1.xml",
            f"<comments {NS}><authors><author>a</author></authors><commentList>"
            + '<comment ref="A1" authorId="0"><text><t>x</t></text></comment>' * 30_000
            + "</commentList></comments>",
        ),
        _too_complex(PART_ELEMENTS, "xl/comments1.xml"),
    ),
    "a huge theme": (
        lambda: _in_part(
            "xl/theme/theme1.xml", "<a:themeElements>", " " * 3_000_000 + "<a:themeElements>"
        ),
        _too_complex("mer än 2 MB uppackat", "xl/theme/theme1.xml"),
    ),
    "a huge image": (
        lambda: _with_part("xl/media/image1.png", b"\x89PNG" + bytes(3_000_000), _workbook()),
        _too_complex("mer än 2 MB uppackat", "xl/media/image1.png"),
    ),
    "many cell references": (
        _many_references,
        _too_complex(f"fler än {uploads.MAX_REFERENCES} cellreferenser", SHEET),
    ),
    "a long range in an Excel 2010 extension": (
        lambda: _with_sheet(extension=_x14_validation("A1 " * 20_000)),
        _too_complex(f"ett område längre än {uploads.MAX_ATTRIBUTE_LENGTH} tecken", SHEET),
    ),
    # One worksheet named by several sheets: openpyxl reads it once per sheet.
    "one worksheet behind three sheets": (
        lambda: _sheets_sharing_a_part(same_id=False),
        _too_complex("ett blad som används mer än en gång", "xl/_rels/workbook.xml.rels"),
    ),
    "three sheets with one relationship": (
        lambda: _sheets_sharing_a_part(same_id=True),
        _too_complex("ett blad som används mer än en gång", "xl/workbook.xml"),
    ),
    # Text the identity-number guard would read for minutes (crafted to be slow to scan).
    "a million characters of text": (
        lambda: _shared_strings("<si><t>" + "1 | " * 300_000 + "</t></si>"),
        _too_complex(f"mer än {uploads.MAX_CHARACTERS} tecken text", SHARED_STRINGS),
    ),
    "every cell holding many elements": (
        _every_cell_holds_many_elements,
        _too_complex(f"fler än {uploads.MAX_ELEMENTS} XML-element", SHEET),
    ),
}
EXPECTED = {
    **{name: BEYOND for name in BOMBS},
    "a wide and long sheet": TOO_MUCH,
    **{name: UNREADABLE for name in MALFORMED},
    **{name: message for name, (_build, message) in ELEMENT_BOMBS.items()},
}
ALL = {**BOMBS, **MALFORMED, **{name: build for name, (build, _message) in ELEMENT_BOMBS.items()}}


@pytest.fixture
def openpyxl_calls(monkeypatch):
    """Every call of load_workbook from the uploads, which must stay empty for a bomb."""
    calls = []
    real = uploads.load_workbook

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(uploads, "load_workbook", spy)
    return calls


def test_the_bombs_are_small():
    for name, build in ALL.items():
        # The largest of the outside tester's files was 47 kB.
        assert len(build()) < 50_000, name


@pytest.mark.parametrize("name", ALL)
def test_bombs_are_refused_without_loading_the_workbook(app_context, openpyxl_calls, name):
    with pytest.raises(uploads.UnreadableFile) as refused:
        uploads.read_workbook(ALL[name]())
    assert EXPECTED[name] in str(refused.value)
    assert openpyxl_calls == []


def test_the_message_names_the_reference(app_context):
    with pytest.raises(uploads.UnreadableFile) as refused:
        uploads.read_workbook(BOMBS["merged range to the last cell"]())
    assert "(A20:XFD1048576)" in str(refused.value)
    assert "5000 raderna och 100 kolumnerna" in str(refused.value)


@pytest.mark.parametrize("name", ALL)
def test_both_upload_routes_refuse_each_bomb_at_once(client, make, openpyxl_calls, name):
    board = make.board()
    reporting_round = _round(make.sub_goal(boards=[board]).plan, 2019)
    client.login(make.user("admin").username)
    content = ALL[name]()
    for url in (f"/rounds/{reporting_round.id}/import", "/plans/import"):
        started = time.monotonic()
        response = _upload(client, url, content)
        elapsed = time.monotonic() - started
        assert response.status_code == 422, (url, response.status_code)
        page = response.get_data(as_text=True)
        error = page.split('id="file-error"')[1].split("</")[0]
        assert EXPECTED[name] in error, (url, error)
        # Loose: the deterministic proof is that openpyxl never ran.
        assert elapsed < 2, (url, elapsed)
    assert openpyxl_calls == []


# What Excel writes for ordinary work: a whole column selected, a format or a drop-down
# list on whole columns, header rows repeated on every printed page, a data validation
# over the rows in use, a comment box (VML, which is not well-formed XML).
LEGITIMATE = {
    "whole column selected": lambda: _with_sheet(
        before=(
            '<sheetViews><sheetView workbookViewId="0"><selection activeCell="C1" '
            'sqref="C:C"/></sheetView></sheetViews>'
        )
    ),
    "format on whole columns": lambda: _with_sheet(after=_conditional_format("E:E G:H")),
    "drop-down list on a whole column": lambda: _with_sheet(extension=_x14_validation("E:E")),
    "print titles": lambda: _with_defined_name("Blad1!$1:$1,Blad1!$A:$B", "_xlnm.Print_Titles"),
    "a name holding a formula": lambda: _with_defined_name("LOG10(Blad1!Summa)", "Tal"),
    "validation over the rows in use": lambda: _with_sheet(after=_data_validation("E2:E2001")),
    "dimension and cells within bounds": lambda: _with_sheet(
        before='<dimension ref="A1:CV50"/>',
        data='<row r="1" spans="1:2"><c r="a1" t="inlineStr"><is><t>Delmål</t></is></c>'
        '<c><v>2</v></c></row><row r="50"><c r="CV50"><v>1</v></c></row>',
    ),
    "comment box drawing": lambda: _with_part(
        "xl/drawings/vmlDrawing1.vml",
        b"<xml><v:shape><x:ClientData ObjectType='Note'><br></x:ClientData></v:shape></xml>",
        _workbook(),
    ),
}


@pytest.mark.parametrize("name", LEGITIMATE)
def test_what_excel_writes_for_ordinary_work_is_read(app_context, openpyxl_calls, name):
    sheets = uploads.read_workbook(LEGITIMATE[name]())
    assert sheets[0].rows[0][0] == "Delmål"
    assert [call.get("read_only") for call in openpyxl_calls] == [True]


def test_cells_beyond_a_too_small_dimension_are_still_read(app_context):
    """Read-only openpyxl trusts the declared dimension unless told the bounds: a file whose
    dimension is wrong must not lose the cells outside it."""
    content = _with_sheet(
        before='<dimension ref="A1"/>',
        data='<row r="1"><c r="A1" t="inlineStr"><is><t>Delmål</t></is></c></row>'
        '<row r="3"><c r="D3"><v>7</v></c></row>',
    )
    (sheet,) = uploads.read_workbook(content)
    assert sheet.rows == [("Delmål",), (), (None, None, None, 7)]


def test_the_application_s_own_files_are_read(app_context, make, openpyxl_calls):
    """The round export and the plan import template, as the application writes them, pass
    every bound and load."""
    from intranet.plans.imports import template_xlsx
    from intranet.rounds.exports import round_xlsx

    board = make.board()
    first = make.sub_goal(boards=[board])
    for _n in range(29):
        make.sub_goal(boards=[board], focus_area=first.focus_area)
    reporting_round = _round(first.plan, 2019)
    exported = uploads.read_workbook(round_xlsx(make.user("admin"), reporting_round))
    assert len(exported[0].rows) > 30
    template = uploads.read_workbook(template_xlsx())
    assert len(template) >= 4
    assert [call.get("read_only") for call in openpyxl_calls] == [True, True]


def _large_formatted_workbook() -> bytes:
    """As much as a plan may hold, formatted as people format it: every row of text,
    hundreds of distinct cell formats, rich text, a validation and a merged title."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Blad1"
    sheet.append(["Delmål", "Titel", "Kommentar"])
    for n in range(1, 4000):
        sheet.append([f"1.{n}", f"Delmål {n % 97}", n])
    for n in range(2, 600):
        cell = sheet.cell(row=n, column=4)
        cell.value = CellRichText("Ej ", TextBlock(InlineFont(b=True), "klar"), f" {n}")
        cell.font = Font(size=8 + n % 12, color=f"00{n:04X}00")
        cell.fill = PatternFill("solid", fgColor=f"00{n % 256:02X}{n:04X}")
    sheet.merge_cells("F1:H1")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_full_and_formatted_workbook_is_read(app_context, openpyxl_calls):
    content = _large_formatted_workbook()
    assert len(content) < uploads.MAX_UPLOAD_BYTES
    started = time.monotonic()
    (sheet,) = uploads.read_workbook(content)
    assert len(sheet.rows) == 4000
    assert str(sheet.rows[1][3]) == "Ej klar 2"
    assert openpyxl_calls
    # Loose: the bounds leave a legitimate file well within what a request may take.
    assert time.monotonic() - started < 10
