"""Uploaded workbooks are bounded before parsing: zip bombs, too many rows, cells or shared
strings, malformed, truncated and non-XLSX files get a message next to the file field."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from intranet.web import uploads
from tests.rounds.test_services import _round

SHARED_STRINGS = "xl/sharedStrings.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _workbook_bytes() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Delmål", "Titel"])
    workbook.active.append(["1.1", "Text"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_part(name: str, data: bytes, base: bytes | None = None) -> bytes:
    """`base` (a real workbook) with the part `name` replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(base or _workbook_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for member in source.infolist():
            if member.filename != name:
                target.writestr(member.filename, source.read(member))
        target.writestr(name, data)
    return buffer.getvalue()


def _shared_strings(count: int, item: bytes = b"<si><t>a</t></si>") -> bytes:
    head = f'<?xml version="1.0"?><sst {NS} count="{count}" uniqueCount="{count}">'.encode()
    return head + item * count + b"</sst>"


def zip_bomb() -> bytes:
    """A few hundred kB that unpack to about 50 MB: three million shared strings."""
    return _with_part(SHARED_STRINGS, _shared_strings(3_000_000))


def many_small_strings() -> bytes:
    """Within the unpacked size limit, but a million shared strings: only counting finds it."""
    return _with_part(SHARED_STRINGS, _shared_strings(1_000_000, b"<si/>"))


def many_rows() -> bytes:
    rows = b"<row/>" * (uploads.MAX_ROWS + 1)
    sheet = f"<worksheet {NS}><sheetData>".encode() + rows + b"</sheetData></worksheet>"
    return _with_part("xl/worksheets/sheet1.xml", sheet)


def entity_expansion() -> bytes:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b"<sst " + NS.encode() + b"><si><t>&b;</t></si></sst>"
    )
    return _with_part(SHARED_STRINGS, laughs)


def malformed_sheet() -> bytes:
    return _with_part("xl/worksheets/sheet1.xml", f"<worksheet {NS}><sheetData><row>".encode())


def truncated() -> bytes:
    content = _workbook_bytes()
    return content[: len(content) // 2]


def not_a_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def nonsense_cell() -> bytes:
    sheet = f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="n"><v>abc</v></c></row>'
    return _with_part("xl/worksheets/sheet1.xml", (sheet + "</sheetData></worksheet>").encode())


TOO_MUCH = "Filen innehåller för mycket för att läsas in"
UNREADABLE = "Filen kunde inte läsas som en Excelfil (.xlsx)."
NOT_XLSX = "Filen är inte en Excelfil (.xlsx)."
BAD_FILES = {
    "zip bomb": (zip_bomb, TOO_MUCH),
    "a million shared strings": (many_small_strings, TOO_MUCH),
    "too many rows": (many_rows, TOO_MUCH),
    "entity expansion": (entity_expansion, TOO_MUCH),
    "malformed sheet XML": (malformed_sheet, UNREADABLE),
    "truncated file": (truncated, UNREADABLE),
    "a zip but no workbook": (not_a_workbook, NOT_XLSX),
    "a PDF": (lambda: b"%PDF-1.7\n" + b"0" * 100, NOT_XLSX),
    "a number cell holding text": (nonsense_cell, UNREADABLE),
}


def test_the_zip_bomb_is_small_but_unpacks_large():
    content = zip_bomb()
    assert len(content) < uploads.MAX_UPLOAD_BYTES
    unpacked = sum(m.file_size for m in zipfile.ZipFile(io.BytesIO(content)).infolist())
    assert unpacked > 40_000_000
    small = many_small_strings()
    unpacked = sum(m.file_size for m in zipfile.ZipFile(io.BytesIO(small)).infolist())
    assert unpacked < uploads.MAX_UNPACKED_BYTES


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_files_are_refused_before_parsing(app_context, name):
    build, message = BAD_FILES[name]
    with pytest.raises(uploads.UnreadableFile) as refused:
        uploads.read_workbook(build())
    assert message in str(refused.value)


def test_a_real_workbook_passes(app_context):
    (sheet,) = uploads.read_workbook(_workbook_bytes())
    assert sheet.rows == [("Delmål", "Titel"), ("1.1", "Text")]


def _upload(client, url, content, **data):
    return client.post_form(
        url,
        {"file": (io.BytesIO(content), "fil.xlsx"), **data},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize("name", BAD_FILES)
def test_both_imports_show_the_message_next_to_the_file_field(client, make, name):
    build, message = BAD_FILES[name]
    board = make.board()
    sub_goal = make.sub_goal(boards=[board])
    reporting_round = _round(sub_goal.plan, 2019)
    client.login(make.user("admin").username)
    content = build()
    for url in (f"/rounds/{reporting_round.id}/import", "/plans/import"):
        response = _upload(client, url, content)
        assert response.status_code == 422, (url, response.status_code)
        page = response.get_data(as_text=True)
        assert 'id="file-error"' in page, url
        error = page.split('id="file-error"')[1].split("</")[0]
        assert message in error, (url, error)
