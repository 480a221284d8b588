"""The segmenter and locator scheme, on synthetic layouts and on the five real documents."""

import pytest
import yaml

from kg.curation.loader import load_documents
from kg.curation.sources import locate, parse_locator, segment
from kg.errors import CurationError, NotFoundError
from tests.conftest import DATA


def texts(text, layout):
    return {s.locator: " ".join(text[s.start:s.end].split()) for s in segment(text, layout)}


def test_wrapped_text_joins_a_paragraph_split_by_a_stray_blank_line():
    text = "Title\n\nIntroduction\nFirst line of a\nwrapped sentence. Second one.\n\nStill the same paragraph [1].\n\n"
    got = texts(text, {"kind": "wrapped-text", "sections": ["Introduction"], "join_uncited_blocks": True})
    assert got == {"introduction/p1/s1": "First line of a wrapped sentence.",
                   "introduction/p1/s2": "Second one.",
                   "introduction/p1/s3": "Still the same paragraph [1]."}


def test_escaped_paragraphs_mask_the_running_header_and_join_across_the_page_break():
    text = ("Intro\n\nOne [1].\\n\\nTwo starts here and Header L. Vol 3\n\ncontinues after the break. Three [2].\n\n"
            "End\n\nignored")
    layout = {"kind": "escaped-paragraphs", "sections": ["Intro"], "end": "End",
              "noise": [r"Header L\. Vol 3"], "join_unterminated_blocks": True}
    sentences = segment(text, layout)
    assert [s.locator for s in sentences] == ["intro/p1/s1", "intro/p2/s1", "intro/p2/s2"]
    assert sentences[1].reference == 2  # governed by the [2] that follows in its paragraph
    assert "continues after the break" in text[sentences[1].start:sentences[1].end]


def test_yaml_field_paragraphs_and_numbered_points():
    text = "---\nanswer: >-\n    Intro sentence.\\n\\n1. **Point**: Body. More.\\n\\nSummary.\nsubject: x\n---\n"
    got = texts(text, {"kind": "yaml-field", "field": "answer"})
    assert got == {"answer/p1/s1": "Intro sentence.", "answer/p2/s1": "1. **Point**: Body.",
                   "answer/p2/s2": "More.", "answer/p3/s1": "Summary."}


def test_reference_governs_sentences_before_and_after_the_marker():
    text = "Intro\nA claim [3]. Its follow-up. Another topic [4]. And its detail.\n"
    refs = [s.reference for s in segment(text, {"kind": "wrapped-text", "sections": ["Intro"]})]
    assert refs == [3, 3, 4, 4]


@pytest.mark.parametrize("locator", ["intro/p1", "p1/s1", "intro/p1/s3-2", "Intro/p1/s1"])
def test_malformed_locators_are_refused(locator):
    with pytest.raises(CurationError):
        parse_locator(locator)


def test_the_five_documents_segment_as_curated(sources):
    expected = {"wolf2025": 41, "schneider2025": 71, "glimm2025": 32, "anon_tme": 22, "quicktakes2024": 23}
    for document in load_documents():
        text = document.read_source(sources)
        sentences = segment(text, document.layout)
        assert len(sentences) == expected[document.id], document.id
        assert all(text[s.start:s.end].strip() == text[s.start:s.end] for s in sentences)


def test_real_quirks_are_handled(sources):
    documents = {d.id: d for d in load_documents()}
    wolf = documents["wolf2025"].read_source(sources)
    # the anti-angiogenic sentence stays in the angiogenesis paragraph despite the stray blank line
    passage = locate("wolf2025", wolf, segment(wolf, documents["wolf2025"].layout), "introduction/p5/s4")
    assert wolf[passage.start:passage.end].startswith("Anti-angiogenic") and passage.reference == 5
    anon = documents["anon_tme"].read_source(sources)
    first = segment(anon, documents["anon_tme"].layout)[0]
    assert anon[first.start:first.end].startswith("The tumor microenvironment (TME)")  # repeated title dropped
    with pytest.raises(NotFoundError):
        locate("anon_tme", anon, segment(anon, documents["anon_tme"].layout), "body/p9/s1")


def test_documents_yaml_is_plain_yaml():
    assert len(yaml.safe_load(DATA.joinpath("documents.yaml").read_text(encoding="utf-8"))) == 5
