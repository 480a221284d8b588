"""The loader's and the CLI's messages for bad curated rows: each names file:line and the fix."""


import pytest

from kg.cli import main
from kg.curation import loader as curation
from kg.errors import CurationError
from tests.conftest import write_statements

GOOD = """\
document: wolf2025
statements:
  - subject: hypoxia
    predicate: promotes
    object: angiogenesis
    citations:
      - locator: introduction/p4/s3
        certainty: stated
        statement: Low oxygen drives vessel growth.
"""
PASSAGES = ("document\tlocator\tstart\tend\tsha256\treference\n"
            "wolf2025\tintroduction/p4/s3\t2237\t2368\t" + "0" * 64 + "\t4\n")


def write(data, body, passages=PASSAGES):
    write_statements(data, body, passages)


def test_a_good_row_loads_with_its_located_span_and_reference(scratch_data):
    write(scratch_data, GOOD)
    graph = curation.load(scratch_data)
    (statement,) = graph.statements
    (citation,) = statement.citations
    assert statement.key == ("hypoxia", "promotes", "angiogenesis")
    assert (citation.start, citation.end, citation.reference) == (2237, 2368, 4)


@pytest.mark.parametrize("change, message", [
    (("object: angiogenesis", "object: angiogenesys"), "wolf2025.yaml:3: unknown object node 'angiogenesys'"),
    (("predicate: promotes", "predicate: boosts"), "wolf2025.yaml:3: unknown predicate 'boosts'"),
    (("certainty: stated", "certainty: sure"), "wolf2025.yaml:7: certainty must be one of stated, hedged, implied"),
    (("locator: introduction/p4/s3", "locator: intro-p4"),
     "wolf2025.yaml:7: locator 'intro-p4' is not of the form section/pN/sM"),
    (("locator: introduction/p4/s3", "locator: introduction/p4/s2"), "is not located in data/passages.tsv"),
    (("        statement: Low oxygen drives vessel growth.\n", ""), "wolf2025.yaml:7: citation lacks statement"),
    (("    citations:\n", "    citations: []\n"), "statement lacks citations"),
])
def test_bad_rows_fail_with_file_line_and_reason(scratch_data, change, message):
    body = GOOD.replace(*change)
    if change[0].startswith("    citations:"):
        body = body.split("    citations: []")[0] + "    citations: []\n"
    write(scratch_data, body)
    with pytest.raises(CurationError) as error:
        curation.load(scratch_data)
    assert message in str(error.value)


def test_duplicate_statement_in_one_file_is_refused(scratch_data):
    write(scratch_data, GOOD + GOOD.split("statements:\n", 1)[1])
    with pytest.raises(CurationError, match=r"wolf2025.yaml:10: duplicate statement hypoxia promotes angiogenesis"):
        curation.load(scratch_data)


def test_duplicate_node_id_is_refused(scratch_data):
    (scratch_data / "nodes" / "extra.yaml").write_text(
        "- {id: hypoxia, label: again, category: PhenotypicFeature, definition: twice}\n")
    write(scratch_data, GOOD)
    with pytest.raises(CurationError, match=r"extra.yaml:1: duplicate node id 'hypoxia'"):
        curation.load(scratch_data)


def test_unknown_reference_number_is_refused(scratch_data):
    write(scratch_data, GOOD.replace("        statement:", "        reference: 11\n        statement:"))
    with pytest.raises(CurationError, match="wolf2025 has no reference \\[11\\]"):
        curation.load(scratch_data)


def test_cli_build_prints_the_error_and_exits_non_zero(scratch_data, capsys, tmp_path):
    write(scratch_data, GOOD.replace("object: angiogenesis", "object: nowhere"))
    code = main(["--data-dir", str(scratch_data), "build", "-o", str(tmp_path / "g.nt")])
    assert code == 1
    err = capsys.readouterr().err
    assert "kg build:" in err and "wolf2025.yaml:3: unknown object node 'nowhere'" in err
    assert not (tmp_path / "g.nt").exists()


@pytest.mark.parametrize("change, message", [
    (("introduction/p4/s3", "intro-p4"), "passages.tsv:2: locator 'intro-p4' is not of the form section/pN/sM"),
    (("\t2237\t", "\t22x7\t"), "passages.tsv:2: start and end must be character offsets"),
    (("\t2368\t", "\t2000\t"), "passages.tsv:2: start and end must be character offsets, start before end"),
    (("0" * 64, "0" * 63), "passages.tsv:2: sha256 must be 64 lowercase hexadecimal digits"),
    (("\t4\n", "\tiv\n"), "passages.tsv:2: reference must be a reference number or empty"),
    (("\t4\n", "\n"), "passages.tsv:2: a passage has 6 tab-separated fields"),
    (("sha256\t", "hash\t"), "passages.tsv:1: the header must be the tab-separated columns"),
])
def test_bad_passage_rows_fail_with_file_line_and_reason(scratch_data, change, message):
    write(scratch_data, GOOD, passages=PASSAGES.replace(*change))
    with pytest.raises(CurationError) as error:
        curation.load(scratch_data)
    assert message in str(error.value)


def test_cli_build_names_the_file_and_line_of_a_malformed_locator(scratch_data, capsys, tmp_path):
    write(scratch_data, GOOD.replace("locator: introduction/p4/s3", "locator: introduction/4/3"))
    assert main(["--data-dir", str(scratch_data), "build", "-o", str(tmp_path / "g.nt")]) == 1
    err = capsys.readouterr().err
    assert "kg build:" in err and "wolf2025.yaml:7: locator 'introduction/4/3' is not of the form" in err


def test_cli_locate_names_the_file_and_line_of_a_locator_the_document_lacks(scratch_data, sources, capsys):
    write(scratch_data, GOOD.replace("locator: introduction/p4/s3", "locator: introduction/p99/s1"))
    assert main(["--data-dir", str(scratch_data), "locate", "--sources", str(sources)]) == 1
    assert "wolf2025.yaml:7: wolf2025 has no passage introduction/p99/s1" in capsys.readouterr().err


@pytest.mark.parametrize("content, message", [
    (b"document: wolf2025\nstatements: [\n  - subject: hypoxia\n", "wolf2025.yaml:3:3: not valid YAML"),
    ("document: wolf2025\n# caf\u00e9\n".encode("latin-1"), "wolf2025.yaml:2: not UTF-8 text"),
])
def test_unreadable_yaml_names_file_and_line(scratch_data, content, message):
    write(scratch_data, GOOD)
    (scratch_data / "statements" / "wolf2025.yaml").write_bytes(content)
    with pytest.raises(CurationError, match=message):
        curation.load(scratch_data)
