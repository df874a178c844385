"""CSV cells safe to open in a spreadsheet, and read back exactly.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is run as a
formula by Excel and LibreOffice, so an exported narrative could execute something on the
reader's machine (CSV injection). Such cells are written with a leading apostrophe, which
spreadsheets hide, and the importer removes it again. Plain numbers such as ``-0.1115`` are not
formulas and are left alone, so coordinates stay numeric.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


def escape_cell(value: str) -> str:
    if value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    if len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
