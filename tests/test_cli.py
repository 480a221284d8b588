"""The kg command line on the curated graph: stats, export, queries."""

import json

from kg.cli import main


def run(capsys, *argv) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_stats_counts_per_category_predicate_and_document(capsys):
    out = run(capsys, "stats")
    for heading in ("nodes per category:", "edges per predicate:", "citations per document:", "edges per document:"):
        assert heading in out
    assert "biolink:Gene" in out and "precedes" in out and "anon_tme" in out


def test_nt_export_is_sorted_and_deterministic(capsys, tmp_path):
    first, second = tmp_path / "a.nt", tmp_path / "b.nt"
    run(capsys, "export", "--format", "nt", "-o", str(first))
    run(capsys, "export", "--format", "nt", "-o", str(second))
    lines = first.read_text(encoding="utf-8").splitlines()
    assert first.read_bytes() == second.read_bytes() and lines == sorted(lines) and len(lines) > 1000


def test_kgx_export_to_stdout(capsysbinary):
    assert main(["export", "--format", "kgx"]) == 0
    kgx = json.loads(capsysbinary.readouterr().out)
    edge = next(e for e in kgx["edges"] if e.get("original_subject") == "mkg:hypoxia"
                and e["object"] == "GO:0001525" and e["original_predicate"] == "mkg:promotes")
    assert edge["predicate"] == "biolink:affects" and edge["knowledge_level"] == "knowledge_assertion"
    assert edge["publications"]


def test_nquads_export(capsysbinary):
    assert main(["export", "--format", "nq"]) == 0
    quads = capsysbinary.readouterr().out.decode().splitlines()
    assert len(quads) > 1000 and quads == sorted(quads) and all(q.endswith(" .") for q in quads)


def test_validate_passes(capsys):
    assert "conform to the SHACL shapes" in run(capsys, "validate")


def test_query_commands_print_citations(capsys):
    assert "TGF-beta" in run(capsys, "search", "TGF-β")
    paths = run(capsys, "paths", "hypoxia", "metastasis", "--mode", "k_shortest", "-k", "2")
    assert "hypoxia" in paths and "@ introduction/" in paths
    assert "local invasion" in run(capsys, "neighbors", "EMT", "--predicate", "promotes")


def test_query_errors_exit_non_zero(capsys):
    assert main(["neighbors", "no such thing"]) != 0
    assert "no such thing" in capsys.readouterr().err


def test_explain_prints_a_cited_paragraph(capsys):
    text = run(capsys, "explain", "TGF-beta signaling pathway", "metastasis", "-k", "1")
    assert text.startswith("## How TGF-beta signaling pathway leads to metastasis")
    assert "epithelial-mesenchymal transition" in text and "### References" in text
    assert "raises metastasis" in text
    node = run(capsys, "explain", "hypoxia", "-k", "2")
    assert node.startswith("## What drives hypoxia, and what it drives") and "**Effects**" in node


def test_paths_pool_through_the_hierarchy_and_say_through_what(capsys):
    text = run(capsys, "paths", "TGF-β", "metastasis", "-k", "1")
    assert "through group TGF-beta signaling pathway -[promotes]-> epithelial-mesenchymal transition" in text
    plain = run(capsys, "paths", "TGF-β", "metastasis", "-k", "1", "--expand", "none", "--evidence", "asserted")
    assert "through group" not in plain and "-[promotes]-" in plain
    background = run(capsys, "neighbors", "cancer-associated fibroblast", "--predicate", "subclass_of")
    assert "background knowledge: CL:0000057 (infores:cl)" in background


def test_a_reader_that_stops_early_is_not_an_error():
    """`kg explain ... | true`: the pipe is closed before the writer writes; no traceback, exit status 0."""
    import subprocess
    import sys

    command = f"{sys.executable} -m kg explain 'TGF-β' metastasis -k 3 | true"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr) == (0, "")
