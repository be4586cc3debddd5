from pathlib import Path

from ntc_site.load import yamlfile


def test_duplicate_key_names_file_and_line():
    doc, problems = yamlfile.parse("a: 1\nb: 2\na: 3\n", "x.yaml")
    assert doc is None
    assert [(p.path, p.line, p.message) for p in problems] == [("x.yaml", 3, "duplicate key 'a'")]


def test_tab_indentation_is_refused_with_line():
    _, problems = yamlfile.parse("a:\n\tb: 1\n", "x.yaml")
    assert problems[0].line == 2 and "tab" in problems[0].message


def test_aliases_are_refused():
    _, problems = yamlfile.parse("a: &x [1, 2]\nb: *x\n", "x.yaml")
    assert "aliases" in problems[0].message and problems[0].line == 2


def test_object_tags_are_refused():
    _, problems = yamlfile.parse("a: !!python/object/apply:os.system ['true']\n", "x.yaml")
    assert "not allowed" in problems[0].message


def test_broken_yaml_reports_line_and_column():
    _, problems = yamlfile.parse("a: [1, 2\nb: 3\n", "x.yaml")
    assert problems[0].line >= 2 and problems[0].message.startswith("invalid YAML")


def test_line_offset_shifts_lines():
    doc, _ = yamlfile.parse("a: 1\nb: 2\n", "x.md", line_offset=1)
    assert doc is not None and doc.where(("b",))[0] == 3


def test_not_utf8_names_the_line():
    text, problems = yamlfile.decode(b"a: 1\nb: \xff\n", "x.yaml")
    assert text is None and problems[0].line == 2


def test_bom_and_crlf_are_normalised():
    text, problems = yamlfile.decode(b"\xef\xbb\xbfa: 1\r\nb: 2\r\n", "x.yaml")
    assert not problems and text == "a: 1\nb: 2\n"


def test_empty_file_is_a_problem():
    _, problems = yamlfile.parse("  \n", "x.yaml")
    assert problems[0].message == "file is empty"


def test_oversized_file_is_refused(tmp_path: Path):
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * (yamlfile.MAX_BYTES + 1))
    doc, problems = yamlfile.load_file(big, "big.yaml")
    assert doc is None and "too large" in problems[0].message


def test_dates_and_nested_lines():
    doc, _ = yamlfile.parse("when: 2024-01-02\nhq:\n  city: Roma\n", "x.yaml")
    assert str(doc.data["when"]) == "2024-01-02"
    assert doc.where(("hq", "city")) == (3, 3)


def test_parsed_documents_keep_no_yaml_nodes_alive():
    """The preview parses the records and interface strings on every rebuild: nothing of a parse may stay."""
    import gc

    import yaml

    def nodes() -> int:
        gc.collect()
        return sum(isinstance(o, yaml.Node) for o in gc.get_objects())

    yamlfile.parse("warm: up\n", "x.yaml")
    before = nodes()
    for n in range(50):
        doc, _ = yamlfile.parse(f"a: {n}\nb: [x, 'y', 2026-11-30]\nc: {{d: true}}\n", "x.yaml")
        assert doc is not None and doc.data["a"] == n
    assert nodes() <= before
