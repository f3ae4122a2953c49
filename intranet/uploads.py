"""Uploaded XLSX workbooks, checked before anything parses them.

An XLSX file is a zip of XML parts, and a few hundred kB can unpack to hundreds of MB (one
sharedStrings part with millions of strings held a worker until it was killed: openpyxl's
read-only mode still loads every shared string into memory). So before openpyxl sees the
file, the zip's table of contents bounds the unpacked size, and the worksheets and shared
strings are streamed through expat, which counts rows, cells and strings and stops at the
first one over the limit. The same pass proves the XML well-formed and refuses DTDs (no
entity expansion). Only then is the workbook loaded, and whatever openpyxl still cannot
read is a message, too. Both imports (a round's follow-ups, a new plan) read through here.
"""

import io
import logging
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

from openpyxl import load_workbook

from intranet.numbers import spreadsheet_whole
from intranet.spreadsheets import unescape_cell
from intranet.translation import gettext as _

logger = logging.getLogger(__name__)

# The confirmation form carries the file back base64-encoded in a form field, and Flask
# refuses form fields over MAX_FORM_MEMORY_SIZE (500 kB by default): 350 kB stays below.
# A round's workbook is typically 10-50 kB.
MAX_UPLOAD_BYTES = 350_000
# Text compresses about 5-10 times; a full 350 kB workbook of long texts unpacks to a few MB.
MAX_UNPACKED_BYTES = 20_000_000
MAX_PARTS = 200
# A round has at most a few hundred sub-goals, a plan a few thousand rows over its sheets.
MAX_ROWS = 5_000
MAX_CELLS = 60_000
MAX_SHARED_STRINGS = 60_000
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


class _Refused(Exception):
    """Raised from inside the expat handlers to stop parsing at once."""


class _Counter:
    """Counts rows, cells and shared strings of the parts streamed through it."""

    def __init__(self):
        self.rows = 0
        self.cells = 0
        self.strings = 0

    def parse(self, stream) -> None:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = self._start
        parser.StartDoctypeDeclHandler = self._refuse
        parser.EntityDeclHandler = self._refuse
        while chunk := stream.read(_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)

    def _refuse(self, *_args):
        # Spreadsheet XML never declares a DTD; one here can only mean entity expansion.
        raise _Refused()

    def _start(self, name, _attributes):
        local = name.rpartition(" ")[2]
        if local == "row":
            self.rows += 1
        elif local == "c":
            self.cells += 1
        elif local == "si":
            self.strings += 1
        else:
            return
        if self.rows > MAX_ROWS or self.cells > MAX_CELLS or self.strings > MAX_SHARED_STRINGS:
            raise _Refused()


def _is_counted(name: str) -> bool:
    return name == "xl/sharedStrings.xml" or (
        name.startswith("xl/worksheets/") and name.endswith(".xml")
    )


def check_xlsx(content: bytes) -> None:
    """Raise UnreadableFile unless `content` is an XLSX file within every limit: its size,
    the unpacked size and number of its parts, and the rows, cells and shared strings of
    its XML. Reads the worksheets and shared strings as a stream; builds nothing."""
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
            if not _is_counted(member.filename):
                continue
            try:
                with archive.open(member) as stream:
                    counter.parse(stream)
            except _Refused as error:
                raise _too_much() from error
            except (
                expat.ExpatError,
                zipfile.BadZipFile,
                NotImplementedError,
                OSError,
                EOFError,
                RuntimeError,
                ValueError,
            ) as error:
                # Malformed or truncated XML, a broken or encrypted part.
                raise _unreadable() from error


def read_workbook(content: bytes):
    """The workbook in `content`, after check_xlsx; UnreadableFile when it is not one."""
    check_xlsx(content)
    try:
        # Not read-only: within the limits above the whole workbook is small, and loading it
        # all here means openpyxl's errors on odd content surface now, not mid-preview.
        return load_workbook(io.BytesIO(content), data_only=True)
    except Exception as error:  # openpyxl raises many kinds of errors on malformed parts
        logger.info("Uploaded workbook refused: %r", error)
        raise _unreadable() from error


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
