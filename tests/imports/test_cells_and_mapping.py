from __future__ import annotations

import pytest

from umbrella.imports.cells import escape_cell, unescape_cell
from umbrella.imports.mapping import MappingError, load_mapping


@pytest.mark.parametrize(
    ("plain", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-- abuse", "'-- abuse"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("-0.1416", "-0.1416"),
        ("-2+3", "'-2+3"),
        ("Outside the shop", "Outside the shop"),
        ("'quoted already", "'quoted already"),
        ("", ""),
    ],
)
def test_cells_are_escaped_for_spreadsheets_and_read_back_exactly(plain, written):
    assert escape_cell(plain) == written
    assert unescape_cell(written) == plain


def test_shipped_mappings_load():
    assert load_mapping("umbrella_export").source_system == "umbrella"
    police = load_mapping("police_uk_street")
    assert police.fields["kind"].value == "other_crime"
    assert police.on_duplicate == "skip"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[source]\nsystem='x'\n", "reference_column"),
        ("[source]\nsystem='x'\nreference_column='Ref'\n[fields.kind]\nvalue='nchi'\n", "must fill reported_at"),
        ("[source]\nsystem='x'\nreference_column='Ref'\n[fields.colour]\ncolumn='C'\n", "no field called 'colour'"),
        ("[source]\nsystem='x'\nreference_column='Ref'\n[fields.kind]\ncolumn='K'\nvalue='nchi'\n", "exactly one of"),
        ("[source\n", "not valid TOML"),
    ],
)
def test_a_wrong_mapping_is_explained(tmp_path, text, message):
    path = tmp_path / "mine.toml"
    path.write_text(text)
    with pytest.raises(MappingError, match=message):
        load_mapping(path)
