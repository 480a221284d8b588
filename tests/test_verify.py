"""Citations checked against the source documents, and the no-copy rule."""

import subprocess
import sys

import pytest

from kg.cli import main
from kg.curation import loader as curation
from kg.curation.verify import mentions, verify
from tests.conftest import PROJECT, SOURCES
from tests.test_curation import GOOD, write


@pytest.mark.parametrize("text, names, expected", [
    ("driven by TGF- $\\beta$ and FGF", ["TGF-β"], True),
    ("molecules like PD-\nL1.", ["PD-L1"], True),
    ("such as MMPs degrade", ["MMP"], True),
    ("the epithelial-\nto-mesenchymal transition", ["epithelial-to-mesenchymal transition"], True),
    ("Wnt/β-catenin, and Notch", ["Wnt/beta-catenin"], True),
    ("metastasis", ["stasis"], False),
    ("programs", ["RAS"], False),
])
def test_mentions_ignore_case_separators_greek_and_plurals_but_respect_word_boundaries(text, names, expected):
    assert mentions(text, names) is expected


def test_every_curated_citation_verifies_against_the_sources(sources):
    checked, failures = verify(curation.load(), sources)
    assert checked > 0
    assert failures == [], "\n".join(f"{f.document} {f.locator} {f.statement}: {f.problem}" for f in failures[:20])


def test_a_tampered_span_and_a_wrong_endpoint_are_reported(scratch_data, sources, capsys):
    from kg.curation.loader import locate_cited, write_passages

    write(scratch_data, GOOD.replace("object: angiogenesis", "object: lymphangiogenesis"))
    write_passages(list(locate_cited(sources, scratch_data)), scratch_data)
    checked, failures = verify(curation.load(scratch_data), sources)
    assert checked == 1 and "does not name the object" in failures[0].problem

    tsv = scratch_data / "passages.tsv"
    tsv.write_text(tsv.read_text().replace("\t2368\t", "\t2369\t"))
    with pytest.raises(SystemExit):
        main(["--data-dir", str(scratch_data), "verify-citations", "--sources", str(sources)])
    assert "locator now spans" in capsys.readouterr().out


def test_the_project_copies_no_sentence_of_the_documents(sources):
    checker = SOURCES.parent / "tools" / "verbatim_check.py"
    if not checker.is_file():
        pytest.skip(f"{checker} is not available")
    result = subprocess.run([sys.executable, str(checker), str(PROJECT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
