"""Primary keys and unique fields of CSV sources, checked in a streaming pass (ntc_site/data/keys.py)."""
from __future__ import annotations

from pathlib import Path

from ntc_site.data import keys
from ntc_site.data.package import Field, Resource, TableSchema


def resource(tmp_path: Path, text: str, primary_key=("a",), unique=("b",)) -> Resource:
    file = tmp_path / "t.csv"
    file.write_text(text, encoding="utf-8", newline="")
    fields = tuple(Field(n, "string", {"it": n, "en": n}, {"it": n, "en": n},
                         constraints=(("unique", True),) if n in unique else ()) for n in ("a", "b", "c"))
    return Resource("t", {"it": "t", "en": "t"}, {"it": "t", "en": "t"},
                    TableSchema(fields, tuple(primary_key)), "datasets/x/t.csv", source=file)


def messages(r: Resource) -> list[str]:
    return [p.format() for p in keys.key_problems(r, r.path)]


def test_no_duplicates_no_problems(tmp_path: Path):
    assert messages(resource(tmp_path, "a,b,c\r\n1,x,\r\n2,y,\r\n3,,\r\n4,,\r\n")) == []  # empty cells repeat freely


def test_each_duplicate_names_its_line_and_the_first_one(tmp_path: Path):
    text = 'a,b,c\r\n1,x,"two\nlines"\r\n2,y,\r\n1,z,\r\n3,x,\r\n1,w,\r\n'
    assert messages(resource(tmp_path, text)) == [
        "datasets/x/t.csv:5: field 'a': duplicate of line 2",
        "datasets/x/t.csv:6: field 'b': duplicate of line 2",
        "datasets/x/t.csv:7: field 'a': duplicate of line 2",
    ]


def test_composite_keys_compare_all_their_cells(tmp_path: Path):
    text = "a,b,c\r\n1,x,\r\n1,y,\r\n1,x,\r\n"
    found = messages(resource(tmp_path, text, primary_key=("a", "b"), unique=()))
    assert found == ["datasets/x/t.csv:4: key (a, b): duplicate of line 2"]


def test_a_cell_with_the_separator_is_not_confused_with_two_cells(tmp_path: Path):
    text = "a,b,c\r\n1\x1fx,y,\r\n1,x\x1fy,\r\n"
    assert messages(resource(tmp_path, text, primary_key=("a", "b"), unique=())) == []
