"""CSV downloads that are safe to open in a spreadsheet (no formula injection), and reading our own guard back."""

import csv
import io
from collections.abc import Iterable

from flask import Response

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")
#: The guard: a leading apostrophe, which spreadsheets hide and read as "this cell is text".
GUARD = "'"


def safe_cell(value) -> str:
    """Return a CSV cell that a spreadsheet shows as text: formula-looking values get a leading apostrophe.

    A value that itself starts with an apostrophe gets one too, so `unguard_cell` gives every value back exactly.
    """
    if value is None:
        return ""
    text = str(value)
    if text.startswith((*_FORMULA_START, GUARD)):
        return GUARD + text
    return text


def unguard_cell(text: str) -> str:
    """Undo `safe_cell` on a cell read back from one of our CSV files: drop the guard it added, and only that."""
    if text.startswith(GUARD) and text[1:].startswith((*_FORMULA_START, GUARD)):
        return text[1:]
    return text


def csv_text(header: Iterable[str], rows: Iterable[Iterable]) -> str:
    """Write rows to CSV text with a UTF-8 BOM (so spreadsheets detect the encoding), every cell made safe."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def csv_response(filename: str, header: Iterable[str], rows: Iterable[Iterable]) -> Response:
    """A CSV download response."""
    return Response(
        csv_text(header, rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
