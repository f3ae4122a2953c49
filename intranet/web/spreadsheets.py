"""Writing tables to XLSX and CSV, reusable by every export, and a declared field's value in
a cell (intranet.core.fields.UserField), written and read back in any UI language.

Cells that a spreadsheet would run as a formula are written as text: an exported field
starting with "=" must never execute on the reader's machine. Control characters, which
XLSX cannot hold, are left out of every cell (intranet.core.stored_text.printable).
"""

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import force_locale
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from intranet.core.errors import RuleViolation
from intranet.core.fields import UserField
from intranet.core.stored_text import printable
from intranet.core.translation import gettext as _

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv; charset=utf-8"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The guard's own mark is escaped too, so that reading back is unambiguous: a text that
# itself starts with an apostrophe gets a second one.
_GUARDED_STARTS = (*_FORMULA_STARTS, "'")


def safe_cell(value):
    """A value to write: text a spreadsheet would run as a formula (or that starts with the
    guard's apostrophe) gets a leading apostrophe. unescape_cell is the exact inverse."""
    value = printable(value)
    if isinstance(value, str) and value.startswith(_GUARDED_STARTS):
        return "'" + value
    return value


def unescape_cell(text: str) -> str:
    """Text read back from a cell written by safe_cell, as it was before writing. (An
    apostrophe a person types first in Excel is not part of the cell's value.)"""
    return text[1:] if text.startswith("'") else text


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence] = ()
    widths: Sequence[int] = ()
    # Column index -> allowed values, offered as a drop-down list.
    choices: dict[int, Sequence[str]] = field(default_factory=dict)
    hidden_columns: Sequence[int] = ()
    hidden: bool = False
    # A line above the headers, e.g. that the data are historical and as of when.
    note: str | None = None
    # Columns of codes ("5.10"): formatted as text, so that a code typed in them stays one
    # instead of becoming the number 5.1.
    text_columns: Sequence[int] = ()


def as_of_note(moment_text: str) -> str:
    """What an export of the past says above its headers."""
    return _(
        "Historiska uppgifter: så som de såg ut %(date)s, inte dagens.",
        date=moment_text,
    )


def write_xlsx(sheets: Sequence[Sheet]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    lists = None
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.title[:31])
        first = 1
        if sheet.note:
            worksheet.append([safe_cell(sheet.note)])
            worksheet["A1"].font = Font(bold=True, italic=True)
            first = 2
        worksheet.append([printable(header) for header in sheet.headers])
        for cell in worksheet[first]:
            cell.font = Font(bold=True)
        worksheet.freeze_panes = f"A{first + 1}"
        count = 0
        for row in sheet.rows:
            worksheet.append([safe_cell(value) for value in row])
            count += 1
        for index, width in enumerate(sheet.widths, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
            if width >= 40:
                for (cell,) in worksheet.iter_rows(min_row=first + 1, min_col=index, max_col=index):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for index in sheet.text_columns:
            # The column's style covers the rows a person adds; the written cells carry it
            # themselves, as a cell's own style wins over its column's.
            letter = get_column_letter(index + 1)
            worksheet.column_dimensions[letter].number_format = "@"
            for (cell,) in worksheet.iter_rows(
                min_row=first + 1, min_col=index + 1, max_col=index + 1
            ):
                cell.number_format = "@"
        for index in sheet.hidden_columns:
            worksheet.column_dimensions[get_column_letter(index + 1)].hidden = True
        if sheet.hidden:
            worksheet.sheet_state = "hidden"
        for column, values in sheet.choices.items():
            # The allowed values live on a hidden sheet: inline lists are limited to 255 chars.
            if lists is None:
                lists = workbook.create_sheet("Listor")
                lists.sheet_state = "hidden"
            list_column = get_column_letter(lists.max_column + (1 if lists["A1"].value else 0))
            for row_number, value in enumerate(values, start=1):
                lists[f"{list_column}{row_number}"] = printable(value)
            validation = DataValidation(
                type="list",
                formula1=f"=Listor!${list_column}$1:${list_column}${len(values)}",
                allow_blank=True,
            )
            worksheet.add_data_validation(validation)
            letter = get_column_letter(column + 1)
            validation.add(f"{letter}{first + 1}:{letter}{max(count + first, first + 1)}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def code_cell(value):
    """A code for a CSV that a spreadsheet opens by double-click: one that it would read as
    a number ("5.10" becomes 5.1) is written as the text formula ="5.10", which Excel shows
    as the text 5.10. Only digits and separators are ever wrapped, so the formula holds no
    text of the user's; any other code goes through the formula guard as usual."""
    if isinstance(value, str) and _NUMBER_LIKE.fullmatch(value):
        return f'="{value}"'
    return safe_cell(value)


_NUMBER_LIKE = re.compile(r"\d+(?:[.,]\d+)*")


def write_csv(
    headers: Sequence[str],
    rows: Iterable[Sequence],
    note: str | None = None,
    text_columns: Sequence[int] = (),
) -> bytes:
    """Semicolon-separated UTF-8 with a byte-order mark, as Swedish Excel expects; `note`
    (e.g. that the data are historical) is a line of its own above the headers; the
    `text_columns` hold codes (code_cell)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    if note:
        writer.writerow([safe_cell(note)])
    writer.writerow([printable(header) for header in headers])
    for row in rows:
        writer.writerow(
            [
                "" if value is None else code_cell(value) if i in text_columns else safe_cell(value)
                for i, value in enumerate(row)
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def in_every_language(make):
    """`make()` in each UI language: a file downloaded in English reads back for a Swedish
    user, and the other way round."""
    results = []
    for language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            results.append(make())
    return results


def choice_lookup(choices: Mapping[str, object]) -> dict[str, str]:
    """A choice's code by its label in every UI language or by the code itself, case-folded."""
    found = {}
    for translated in in_every_language(
        lambda: {code: str(text) for code, text in choices.items()}
    ):
        for code, label in translated.items():
            found[label.casefold()] = code
            found[code.casefold()] = code
    return found


def field_cell(field: UserField, value):
    """What a spreadsheet cell shows for a declared field's `value` (a choice's label; the
    field's default for a record without one)."""
    if value is None:
        value = field.default
    if field.choices is not None and value is not None:
        return str(field.choices.get(value, value))
    return value


def field_from_cell(field: UserField, text: str | None, raw_text: str | None):
    """The value to store from a declared field's cell (`text` trimmed, `raw_text` as
    exported); raises RuleViolation(field.name) for a choice that is not in the list (or
    missing, if required)."""
    if field.choices is None:
        return raw_text
    if not text:
        if field.required:
            raise RuleViolation(field.name, field.invalid)
        return None
    code = choice_lookup(field.choices).get(text.casefold())
    if code is None:
        raise RuleViolation(field.name, field.invalid)
    return code
