"""Uploaded XLSX workbooks, checked before anything parses them.

An XLSX file is a zip of XML parts, and a few hundred kB can unpack to hundreds of MB (one
sharedStrings part with millions of strings held a worker until it was killed: openpyxl's
read-only mode still loads every shared string into memory). A few kB can also declare
millions of cells: a merged range or hyperlink over A20:XFD1048576, one cell at XFD4999 or
a sheet dimension that large, and openpyxl builds or pads every cell up to it. So before
openpyxl sees the file, the zip's table of contents bounds the unpacked size, and every
XML part is streamed through expat, which counts rows, cells and strings, bounds where
every row, cell and referenced range lies, and stops at the first one over a limit. The
same pass proves the XML well-formed and refuses DTDs (no entity expansion). Only then is
the workbook loaded, read-only and within the same bounds, and whatever openpyxl still
cannot read is a message, too. Both imports (a round's follow-ups, a new plan) read
through here.
"""

import functools
import io
import logging
import posixpath
import re
import warnings
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

from openpyxl import load_workbook

from intranet.core.numbers import spreadsheet_whole
from intranet.core.translation import gettext as _
from intranet.web.spreadsheets import unescape_cell

logger = logging.getLogger(__name__)

# The confirmation form carries the file back base64-encoded in a form field, and Flask
# refuses form fields over MAX_FORM_MEMORY_SIZE (500 kB by default): 350 kB stays below.
# A round's workbook is typically 10-50 kB.
MAX_UPLOAD_BYTES = 350_000
# Text compresses about 5-10 times; a full 350 kB workbook of long texts unpacks to a few MB.
MAX_UNPACKED_BYTES = 20_000_000
MAX_PARTS = 200
# Only worksheets and the shared strings hold the data; every other part (styles, theme,
# workbook, relationships, drawings, images) is a few kB to a few hundred kB in any real
# workbook, and openpyxl parses several of them whole, so each is held far below that.
MAX_PART_BYTES = 2_000_000
MAX_SHEETS = 50
# All the text of a workbook: some 400 pages, far beyond a plan or a round's follow-ups.
MAX_CHARACTERS = 1_000_000
# A round has at most a few hundred sub-goals, a plan a few thousand rows over its sheets.
MAX_ROWS = 5_000
MAX_CELLS = 60_000
MAX_SHARED_STRINGS = 60_000
# Where a cell may be: a small file can place one cell at XFD1048576, or merge or link a
# range that large, and readers build every cell up to it. A plan's sheets are a few dozen
# columns wide and together at most MAX_ROWS long.
MAX_ROW_NUMBER = MAX_ROWS
MAX_COLUMNS = 100
# The furthest row times the furthest column of each part, summed: what padding missing
# rows and cells to a rectangle could build.
MAX_AREA = 250_000
# What openpyxl builds from a part is in proportion to its XML elements, not its bytes: a
# million empty <xf/>, <font> or <r> records fit in 12 kB zipped and cost seconds and
# hundreds of MB. Rows and shared strings are the data, bounded above; each one holds at
# most MAX_ITEM_ELEMENTS elements (cells, values, rich-text runs). Everything else in a
# part (styles, formats, fonts, fills, borders, colours, names, relationships, content
# types, merged cells, validations, extensions...) shares one budget per part. The total
# over the workbook covers the largest legitimate data: every cell with a formula and a
# value, every string with its text.
MAX_ELEMENTS = 500_000
MAX_PART_ELEMENTS = 20_000
MAX_ITEM_ELEMENTS = 10_000
MAX_RUNS = 20_000
# Real spreadsheet XML nests about a dozen levels deep (a chart two dozen), an element has
# at most a few dozen attributes, and no attribute is longer than a cell's text may be.
MAX_DEPTH = 64
MAX_ATTRIBUTES = 64
MAX_ATTRIBUTE_LENGTH = 32_767
# Cell references the scan itself reads (in sqref lists, ranges, names): bounded too, so
# that the check stays fast whatever the file holds.
MAX_REFERENCES = 20_000
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384
_CHUNK = 64 * 1024


class UnreadableFile(Exception):
    """Not an XLSX workbook we can read; the message says what to do."""


def _too_large() -> UnreadableFile:
    return UnreadableFile(
        _("Filen är för stor (högst 350 kB). Ta bort bilder och tomma blad och försök igen.")
    )


def _not_xlsx() -> UnreadableFile:
    return UnreadableFile(
        _("Filen är inte en Excelfil (.xlsx). Spara den som .xlsx och försök igen.")
    )


def _unreadable() -> UnreadableFile:
    return UnreadableFile(
        _("Filen kunde inte läsas som en Excelfil (.xlsx). Den kan vara skadad eller ofullständig.")
    )


def _too_much() -> UnreadableFile:
    return UnreadableFile(
        _(
            "Filen innehåller för mycket för att läsas in (högst %(rows)s rader, %(cells)s "
            "celler och %(strings)s texter). Ta bort tomma rader och blad eller dela upp filen.",
            rows=MAX_ROWS,
            cells=MAX_CELLS,
            strings=MAX_SHARED_STRINGS,
        )
    )


def _beyond(reference: str) -> UnreadableFile:
    return UnreadableFile(
        _(
            "Filen sträcker sig utanför de första %(rows)s raderna och %(columns)s kolumnerna "
            "(%(reference)s). Ta bort sammanfogade celler, länkar och formatering långt "
            "nedanför eller till höger om uppgifterna, eller kopiera uppgifterna till en ny fil.",
            rows=MAX_ROW_NUMBER,
            columns=MAX_COLUMNS,
            reference=reference,
        )
    )


def _too_complex(part: str, what: str) -> UnreadableFile:
    return UnreadableFile(
        _(
            "Filen innehåller för mycket för att läsas in: %(what)s i %(part)s. Spara den "
            "utan överflödig formatering, eller kopiera uppgifterna till en ny fil.",
            what=what,
            # A part's name is chosen by whoever made the file.
            part=part if len(part) <= 80 else part[:77] + "...",
        )
    )


def _too_many_bytes() -> str:
    return _("mer än %(count)s MB uppackat", count=MAX_PART_BYTES // 1_000_000)


class _Refused(Exception):
    """Raised from inside the expat handlers to stop parsing at once, with the reason."""

    def __init__(self, error: UnreadableFile | None = None):
        super().__init__()
        self.error = error or _too_much()


@functools.cache
def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


# One end of a reference: "A1", "$a$1", a whole column "C" or a whole row "7".
_CORNER = re.compile(r"\$?([A-Za-z]{1,3})?\$?([0-9]{1,7})?")


def _corner(text: str) -> tuple[int | None, int | None]:
    """(column, row) of one end of a reference, None for the part it leaves open."""
    match = _CORNER.fullmatch(text)
    if not text or not match:
        raise _Refused(_unreadable())
    letters, digits = match.groups()
    column = _column_number(letters) if letters else None
    row = int(digits) if digits else None
    if row == 0 or (row or 0) > EXCEL_ROWS or (column or 0) > EXCEL_COLUMNS:
        raise _Refused(_unreadable())
    return column, row


def _furthest(reference: str, open_allowed: bool) -> tuple[int, int]:
    """The furthest (row, column) a cell or range reaches; refused when malformed, or when
    it is a whole-column or whole-row range ("C:C", "1:3") where `open_allowed` is False."""
    ends = [_corner(end) for end in reference.split(":")]
    if len(ends) > 2:
        raise _Refused(_unreadable())
    columns = [column for column, _row in ends]
    rows = [row for _column, row in ends]
    closed = None not in columns and None not in rows
    whole_columns = len(ends) == 2 and None not in columns and rows == [None, None]
    whole_rows = len(ends) == 2 and None not in rows and columns == [None, None]
    if whole_columns or whole_rows:
        if not open_allowed:
            raise _Refused(_beyond(reference))
    elif not closed:
        raise _Refused(_unreadable())
    # An open side is not expanded by anything that reads it (a selection, a format, a
    # print title), so only the side it names is bounded.
    return max(row or 1 for row in rows), max(column or 1 for column in columns)


def _bounded(furthest: tuple[int, int], shown: str) -> tuple[int, int]:
    row, column = furthest
    if row > MAX_ROW_NUMBER or column > MAX_COLUMNS:
        raise _Refused(_beyond(shown))
    return furthest


def _bounded_references(text: str, open_allowed: bool) -> tuple[int, int]:
    """The furthest (row, column) of a whitespace-separated list of references, each one
    within MAX_ROW_NUMBER and MAX_COLUMNS."""
    furthest = (0, 0)
    for reference in text.split():
        row, column = _bounded(_furthest(reference, open_allowed), reference)
        furthest = (max(furthest[0], row), max(furthest[1], column))
    return furthest


def _whole_number(text: str) -> int:
    """A row number or column index as openpyxl reads it ("7", and also "7.0")."""
    try:
        number = float(text)
    except ValueError:
        raise _Refused(_unreadable()) from None
    if not number.is_integer() or number < 1:
        raise _Refused(_unreadable())
    return int(number)


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIP = "http://schemas.openxmlformats.org/package/2006/relationships Relationship"
_RELATIONSHIP_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships id"
# Excel 2010 extensions keep the ranges of their formats and validations in <xm:sqref>.
EXCEL_2006 = "http://schemas.microsoft.com/office/excel/2006/main"
# Attributes of SpreadsheetML elements that hold cell references. `ref` names cells a
# reader may create (merged cells, hyperlinks, the dimension, tables, filters, formulas):
# always a closed range. The others only describe cells (selections, formats,
# validations) and may name whole columns or rows.
_CLOSED_REFERENCES = ("ref",)
_OPEN_REFERENCES = ("sqref", "activeCell", "topLeftCell")
_CELL = f"{MAIN} c"
_VALUE = f"{MAIN} v"
_TEXT_REFERENCES = {f"{EXCEL_2006} sqref", f"{MAIN} definedName"}
# The data: a worksheet's rows and the shared strings, each bounded in number and in the
# elements it holds.
_ITEMS = {f"{MAIN} row", f"{MAIN} si"}
# The only parts that may be larger than MAX_PART_BYTES, by their root element.
_DATA_PARTS = {f"{MAIN} worksheet", f"{MAIN} sst"}
# A cell's own reference, as openpyxl reads it: lowercase letters, but no "$".
_CELL_REFERENCE = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")
# A range in a defined name (a print area, print titles): what follows "Blad1!".
_NAMED_RANGE = re.compile(r"!((?:\$?[A-Za-z]{1,3})?\$?[0-9]*(?::(?:\$?[A-Za-z]{1,3})?\$?[0-9]*)?)")


class _Counter:
    """Streams XML parts and bounds everything a reader would build from them: rows,
    cells and shared strings in number; the position of every row and cell (with or
    without its own reference, counted as openpyxl counts them); every range a worksheet,
    table or defined name refers to; and the area (furthest row × furthest column) of
    each part, summed over the workbook. Whatever else a part holds is bounded by its
    elements (per part, per row or string, per workbook), their nesting, attributes and
    attribute lengths, and the size of a part that holds no data."""

    def __init__(self):
        self.rows = 0
        self.cells = 0
        self.strings = 0
        self.area = 0
        self.elements = 0
        self.runs = 0
        self.sheets = 0
        self.references = 0
        self.characters = 0
        self.sheet_parts: set[str] = set()
        self.sheet_relationships: set[str] = set()

    def parse(self, stream, part: str = "", size: int = 0) -> None:
        self._part = part
        self._size = size
        self._depth = 0
        self._part_elements = 0
        # The depth of the row or shared string being read, None outside one.
        self._item_depth: int | None = None
        self._item_elements = 0
        self._row = self._column = 0
        self._extent = (0, 0)
        self._text: list[str] | None = None
        self._text_length = 0
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._characters
        parser.StartDoctypeDeclHandler = self._refuse
        parser.EntityDeclHandler = self._refuse
        while chunk := stream.read(_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
        self.area += self._extent[0] * self._extent[1]
        if self.area > MAX_AREA:
            raise _Refused()

    def _refuse(self, *_args):
        # Spreadsheet XML never declares a DTD; one here can only mean entity expansion.
        raise _Refused()

    def _too_complex(self, what: str) -> _Refused:
        return _Refused(_too_complex(self._part, what))

    def _reach(self, furthest: tuple[int, int]) -> None:
        self._extent = (max(self._extent[0], furthest[0]), max(self._extent[1], furthest[1]))

    def _count_element(self, name, attributes) -> None:
        """Bounds what every element adds, whatever it is: nesting, attributes, and the
        element budgets of its row or string, its part and the workbook."""
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise self._too_complex(_("XML nästlad djupare än %(count)s nivåer", count=MAX_DEPTH))
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise self._too_complex(_("fler än %(count)s XML-element", count=MAX_ELEMENTS))
        if attributes:
            if len(attributes) > MAX_ATTRIBUTES:
                raise self._too_complex(
                    _("fler än %(count)s attribut på ett element", count=MAX_ATTRIBUTES)
                )
            if max(map(len, attributes.values())) > MAX_ATTRIBUTE_LENGTH:
                raise self._too_complex(
                    _("ett attribut längre än %(count)s tecken", count=MAX_ATTRIBUTE_LENGTH)
                )
        if self._depth == 1 and name not in _DATA_PARTS and self._size > MAX_PART_BYTES:
            raise self._too_complex(_too_many_bytes())
        if self._item_depth is not None:
            self._item_elements += 1
            if self._item_elements > MAX_ITEM_ELEMENTS:
                raise self._too_complex(
                    _(
                        "fler än %(count)s XML-element i en rad eller text",
                        count=MAX_ITEM_ELEMENTS,
                    )
                )
        elif name in _ITEMS:
            self._item_depth = self._depth
            self._item_elements = 0
        else:
            self._part_elements += 1
            if self._part_elements > MAX_PART_ELEMENTS:
                raise self._too_complex(_("fler än %(count)s XML-element", count=MAX_PART_ELEMENTS))

    def _start(self, name, attributes):
        self._count_element(name, attributes)
        # Cells and their values are most of every worksheet: they take the shortest path.
        if name == _CELL:
            self._start_cell(attributes)
            return
        if name == _VALUE:
            return
        namespace, _space, local = name.rpartition(" ")
        if name == _RELATIONSHIP:
            self._name_sheet_part(attributes)
        if name in _TEXT_REFERENCES:
            self._text = []
            self._text_length = 0
        if namespace != MAIN:
            return
        if local == "row":
            self._start_row(attributes)
        elif local == "si":
            self.strings += 1
            if self.strings > MAX_SHARED_STRINGS:
                raise _Refused()
        elif local == "r":
            self.runs += 1
            if self.runs > MAX_RUNS:
                raise self._too_complex(
                    _("fler än %(count)s formaterade textavsnitt", count=MAX_RUNS)
                )
        elif local == "sheet":
            self.sheets += 1
            if self.sheets > MAX_SHEETS:
                raise self._too_complex(_("fler än %(count)s blad", count=MAX_SHEETS))
            if relationship := attributes.get(_RELATIONSHIP_ID):
                self._once(self.sheet_relationships, relationship)
        elif local == "col":
            self._start_column_range(attributes)
        for attribute in _CLOSED_REFERENCES:
            if attribute in attributes:
                text = attributes[attribute]
                self._count_references(len(text.split()))
                self._reach(_bounded_references(text, open_allowed=False))
        for attribute in _OPEN_REFERENCES:
            if attribute in attributes:
                text = attributes[attribute]
                self._count_references(len(text.split()))
                _bounded_references(text, open_allowed=True)

    def _name_sheet_part(self, attributes) -> None:
        """A worksheet is read once per sheet that names it: openpyxl would parse a part
        named by fifty sheets fifty times, and keep fifty copies of what it holds, while the
        bounds above count it once. So each sheet part may be named once."""
        if attributes.get("TargetMode") == "External":
            return
        if not attributes.get("Type", "").endswith(("/worksheet", "/chartsheet")):
            return
        target = attributes.get("Target", "")
        base = posixpath.dirname(posixpath.dirname(self._part))  # xl/_rels/x.rels → xl
        path = target[1:] if target.startswith("/") else posixpath.join(base, target)
        self._once(self.sheet_parts, posixpath.normpath(path).lower())

    def _once(self, seen: set, key: str) -> None:
        if key in seen:
            raise self._too_complex(_("ett blad som används mer än en gång"))
        seen.add(key)

    def _count_references(self, count: int) -> None:
        self.references += count
        if self.references > MAX_REFERENCES:
            raise self._too_complex(_("fler än %(count)s cellreferenser", count=MAX_REFERENCES))

    def _start_column_range(self, attributes) -> None:
        first = _whole_number(attributes.get("min", ""))
        last = _whole_number(attributes.get("max", ""))
        if max(first, last) > MAX_COLUMNS:
            shown = f"{_column_letters(min(first, EXCEL_COLUMNS))}:"
            raise _Refused(_beyond(shown + _column_letters(min(last, EXCEL_COLUMNS))))

    def _start_row(self, attributes) -> None:
        self.rows += 1
        if self.rows > MAX_ROWS:
            raise _Refused()
        reference = attributes.get("r")
        self._row = _whole_number(reference) if reference is not None else self._row + 1
        self._column = 0
        self._reach(_bounded((self._row, 1), f"{self._row}:{self._row}"))
        for span in attributes.get("spans", "").split():
            first, _colon, last = span.partition(":")
            last = _whole_number(last or first)
            if _whole_number(first) > last:
                raise _Refused(_unreadable())
            shown = f"A{self._row}:{_column_letters(min(last, EXCEL_COLUMNS))}{self._row}"
            self._reach(_bounded((self._row, last), shown))

    def _start_cell(self, attributes) -> None:
        self.cells += 1
        if self.cells > MAX_CELLS:
            raise _Refused()
        reference = attributes.get("r")
        if reference:
            # openpyxl takes a cell's row from its own reference, not from its row's.
            match = _CELL_REFERENCE.fullmatch(reference)
            if match is None:
                raise _Refused(_unreadable())
            row, column = int(match[2]), _column_number(match[1])
            if row == 0:
                raise _Refused(_unreadable())
            self._column = column
        else:
            self._column += 1
            row, column = self._row, self._column
        if row > MAX_ROW_NUMBER or column > MAX_COLUMNS:
            raise _Refused(_beyond(reference or f"{_column_letters(column)}{row}"))
        if row > self._extent[0] or column > self._extent[1]:
            self._reach((row, column))

    def _characters(self, data) -> None:
        # Every stored text is read by the identity-number guard; its cost grows with the
        # text, so the text of a workbook is bounded as its cells are.
        self.characters += len(data)
        if self.characters > MAX_CHARACTERS:
            raise self._too_complex(_("mer än %(count)s tecken text", count=MAX_CHARACTERS))
        if self._text is not None:
            self._text_length += len(data)
            if self._text_length > MAX_ATTRIBUTE_LENGTH:
                raise self._too_complex(
                    _("ett område längre än %(count)s tecken", count=MAX_ATTRIBUTE_LENGTH)
                )
            self._text.append(data)

    def _end(self, name) -> None:
        if self._depth == self._item_depth:
            self._item_depth = None
        self._depth -= 1
        if self._text is None:
            return
        text, self._text = "".join(self._text), None
        if name == f"{EXCEL_2006} sqref":
            self._count_references(len(text.split()))
            _bounded_references(text, open_allowed=True)
            return
        for match in _NAMED_RANGE.finditer(text):
            self._count_references(1)
            if not match.group(1) or _follows_a_name(text, match.end()):
                continue
            try:
                furthest = _furthest(match.group(1), open_allowed=True)
            except _Refused:
                # A name holds any formula; what is no reference creates no cells either.
                continue
            _bounded(furthest, match.group(1))


def _follows_a_name(text: str, end: int) -> bool:
    """Whether what _NAMED_RANGE matched is only the start of a longer name ("Blad1!Summa",
    a function "Blad1!LOG10(…)"), which is no reference at all."""
    return end < len(text) and (text[end].isalnum() or text[end] in "_.(")


def _looks_like_xml(head: bytes) -> bool:
    """Whether a part starts as an XML document would (in UTF-8 or UTF-16, with or without
    a byte-order mark): images and printer settings do not, and are not parsed."""
    for mark in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        head = head.removeprefix(mark)
    head = head.replace(b"\x00", b"").lstrip()
    return head.startswith(b"<")


def check_xlsx(content: bytes) -> None:
    """Raise UnreadableFile unless `content` is an XLSX file within every limit: its size,
    the unpacked size and number of its parts, and what _Counter bounds in its XML. Every
    part that is XML is read as a stream, wherever the workbook places it; builds nothing."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise _too_large()
    if not content.startswith(b"PK"):
        raise _not_xlsx()
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _unreadable() from error
    with archive:
        members = archive.infolist()
        names = {member.filename for member in members}
        if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
            raise _not_xlsx()
        # The declared sizes are binding: zipfile stops at them and checks the CRC.
        unpacked = sum(member.file_size for member in members)
        if len(members) > MAX_PARTS or unpacked > MAX_UNPACKED_BYTES:
            raise _too_much()
        counter = _Counter()
        for member in members:
            try:
                with archive.open(member) as stream:
                    if _looks_like_xml(stream.read(64)):
                        with archive.open(member) as part:
                            counter.parse(part, member.filename, member.file_size)
                    elif member.file_size > MAX_PART_BYTES:
                        # An image or a binary part is never read, but nothing legitimate
                        # this large compresses into a file of MAX_UPLOAD_BYTES.
                        raise _Refused(_too_complex(member.filename, _too_many_bytes()))
            except _Refused as refused:
                raise refused.error from None
            except expat.ExpatError as error:
                if not member.filename.endswith((".xml", ".rels")):
                    # Excel's VML drawings (comment boxes) are not well-formed XML, and no
                    # reader parses them; a worksheet hidden under such a name would not
                    # load either.
                    continue
                raise _unreadable() from error
            except (
                zipfile.BadZipFile,
                NotImplementedError,
                OSError,
                EOFError,
                RuntimeError,
                ValueError,
            ) as error:
                # Malformed or truncated XML, a broken or encrypted part.
                raise _unreadable() from error


@dataclass
class UploadedSheet:
    """A worksheet's title, visibility and cell values, row by row from row 1 (missing rows
    are empty tuples; a row ends at its last value)."""

    title: str
    sheet_state: str
    rows: list[tuple]


def read_workbook(content: bytes) -> list[UploadedSheet]:
    """The worksheets in `content`, after check_xlsx; UnreadableFile when it is not one."""
    check_xlsx(content)
    try:
        # Read-only, and every sheet read within explicit bounds: openpyxl otherwise pads
        # rows and columns out to the sheet's declared dimension. All values are read
        # here, so that openpyxl's errors on odd content surface now, not mid-preview.
        with warnings.catch_warnings():
            # openpyxl warns of what it leaves out (Excel 2010 extensions, formats on whole
            # columns, odd print areas): nothing the imports read.
            warnings.simplefilter("ignore", UserWarning)
            # Links to other workbooks are never needed, so never parsed.
            workbook = load_workbook(
                io.BytesIO(content), read_only=True, data_only=True, keep_links=False
            )
            return _read_sheets(workbook)
    except Exception as error:  # openpyxl raises many kinds of errors on malformed parts
        logger.info("Uploaded workbook refused: %r", error)
        raise _unreadable() from error


def _read_sheets(workbook) -> list[UploadedSheet]:
    try:
        return [
            UploadedSheet(
                sheet.title,
                sheet.sheet_state,
                [
                    _trimmed(row)
                    for row in sheet.iter_rows(
                        min_row=1,
                        max_row=MAX_ROW_NUMBER,
                        min_col=1,
                        max_col=MAX_COLUMNS,
                        values_only=True,
                    )
                ],
            )
            for sheet in workbook.worksheets
        ]
    finally:
        workbook.close()


def _trimmed(row: tuple) -> tuple:
    if row.count(None) == len(row):
        return ()
    end = len(row)
    while row[end - 1] is None:
        end -= 1
    return row[:end]


@dataclass
class ImportProblem:
    row: int | None
    column: str | None
    message: str

    @property
    def place(self) -> str:
        if self.row is None:
            return ""
        if self.column is None:
            return _("Rad %(row)s", row=self.row)
        return _("Rad %(row)s, kolumn %(column)s", row=self.row, column=self.column)


def cell_text(value) -> str | None:
    """A name, code or choice from a cell: trimmed, None when empty."""
    if value is None:
        return None
    text = unescape_cell(str(value).strip()).strip()
    return text or None


def cell_data(value) -> str | None:
    """Free text from a cell exactly as it was exported (see spreadsheets.safe_cell), so an
    unchanged row reads back unchanged; None when the cell is empty or blank."""
    if value is None:
        return None
    text = unescape_cell(str(value))
    return text if text.strip() else None


def cell_int(value) -> int | None:
    """A whole number the database can hold, or None (inf, nan, 1e20, 2.5, text)."""
    return spreadsheet_whole(value)
