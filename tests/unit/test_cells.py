"""Every cell is checked up front against what the writers can publish, so none of them meets a bad one:
NaN and infinity in any spelling, numbers too large for a float, digits that are not 0-9."""
from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ntc_site.data import csvrows
from ntc_site.data.package import Field, Resource, TableSchema

NUMBER = Field("share", "number", {}, {})
INTEGER = Field("count", "integer", {}, {})
YEAR = Field("year", "year", {}, {})
DATE = Field("day", "date", {}, {})
NOT_FINITE = ["NaN", "nan", "NAN", "-nan", "+NaN", "sNaN", "inf", "-inf", "+inf", "INF", "Inf", "Infinity",
              "-Infinity", "+infinity", "iNfInItY", " nan", "inf "]


@pytest.mark.parametrize("field", [NUMBER, INTEGER])
@pytest.mark.parametrize("cell", NOT_FINITE)
def test_nan_and_infinity_in_any_spelling_are_refused(field: Field, cell: str):
    assert csvrows.cell_problem(cell, field) == (f"'{cell}' is not a number", "use an empty cell for unknown")


@pytest.mark.parametrize("field, cell, message", [
    (NUMBER, "1e999", "'1e999' is too large for a number"),
    (NUMBER, "1_000", "'1_000' is not a valid number"),
    (NUMBER, "١٢", "'١٢' is not a valid number"),
    (INTEGER, "1_000", "'1_000' is not a valid integer"),
    (INTEGER, " 5", "' 5' is not a valid integer"),
    (INTEGER, "9" * 5000, f"'{'9' * 5000}' is not a valid integer"),  # over Python's int() digit limit
    (YEAR, "١٢٣٤", "'١٢٣٤' is not a valid year"),
    (DATE, "2022-13-01", "'2022-13-01' is not a valid date"),
    (DATE, "28/02/2021", "'28/02/2021' is not a valid date"),
])
def test_cells_the_writers_cannot_convert_are_named(field: Field, cell: str, message: str):
    problem = csvrows.cell_problem(cell, field)
    assert problem is not None and problem[0] == message


@pytest.mark.parametrize("field, cell, value", [(NUMBER, "1.5", 1.5), (NUMBER, "-2", -2), (NUMBER, "1E5", 1e5),
                                                (NUMBER, ".5", 0.5), (INTEGER, "+7", 7), (YEAR, "2012", 2012),
                                                (NUMBER, "", None), (INTEGER, "", None)])
def test_good_cells_pass_and_convert(field: Field, cell: str, value):
    assert csvrows.cell_problem(cell, field) is None
    assert csvrows.typed(cell, field) == value


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([NUMBER, INTEGER, YEAR, DATE]),
       st.one_of(st.text(max_size=12), st.from_regex(r"\A[+-]?[0-9]{0,400}(\.[0-9]*)?([eE][+-]?[0-9]{1,4})?\Z"),
                 st.sampled_from(NOT_FINITE)))
def test_a_cell_that_passes_is_one_every_writer_can_publish(field: Field, cell: str):
    if csvrows.cell_problem(cell, field) is not None:
        return
    value = csvrows.typed(cell, field)
    json.dumps(csvrows.json_value(value), allow_nan=False)  # JSON has no NaN or Infinity
    if isinstance(value, float):
        assert math.isfinite(value)


def test_cell_problems_name_file_lines_and_record_files(tmp_path):
    source = tmp_path / "t.csv"
    source.write_text('count,share\n1,"multi\nline"\nnan,2\n3,inf\n', encoding="utf-8")
    schema = TableSchema((INTEGER, NUMBER))
    table = Resource("t", {}, {}, schema, "datasets/t/t.csv", source=source)
    found = [(row, name, p.format()) for row, name, p in csvrows.cell_problems(table)]
    assert found == [
        (2, "share", "datasets/t/t.csv:2: field 'share': 'multi\nline' is not a valid number — write digits 0-9"
                     " and '.' for decimals, e.g. 1200.5"),
        (3, "count", "datasets/t/t.csv:4: field 'count': 'nan' is not a number — use an empty cell for unknown"),
        (4, "share", "datasets/t/t.csv:5: field 'share': 'inf' is not a number — use an empty cell for unknown")]
    records = Resource("r", {}, {}, schema, "content/r/", cells=(("1", "2"), ("x", "")),
                       origins=("content/r/a.yaml", "content/r/b.yaml"))
    assert [p.format() for _, _, p in csvrows.cell_problems(records)] == [
        "content/r/b.yaml: field 'count': 'x' is not a valid integer — write digits 0-9 only, with no spaces or"
        " separators"]
