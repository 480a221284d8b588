"""Propose what a curator should review in a new document: candidate statements between the
known nodes it names, and frequent terms the graph has no node for (``kg curate suggest``).

Every sentence is tagged with the nodes it names (``kg.curation.mentions``). Each pair of nodes
named in one sentence, and each pair across two sentences where the second opens with an anaphor
(``This``, ``These``, ``Such`` …), becomes a candidate: the cue words between the two mentions give
the predicate and its sign (``drive`` → promotes, ``suppress`` → inhibits, ``such as`` → the second
is a subclass of the first, a passive ``by`` swaps subject and object; "A by/through/via B" makes B
the means of A, which it drives; an unsigned cue takes the sign of a means after its object,
"affect B by promoting C"), the words before the first mention bend the cue ("loss of A" turns
its sign round, "changes in A" leave it unsigned), a hedge in the sentence
(may, can, suggest, aim …) makes the certainty ``hedged``, and a pair with no cue between its
mentions is ``implied``: it takes what the graph's other documents state about the pair, else a
reading from the nodes' categories (a cell named with a process takes part in it, a process "in" a
place happens there), else a bare ``associated_with``. Categories also check a cue (a subclass
shares its class's category; only a treatment treats; a treatment acts, it is not acted on, and
one said to aim at stopping something targets it). A pair joined only by ``and``/``or``/commas
is a list, not a claim, and is skipped unless the graph already relates the two. Candidates of one triple are
merged, one citation per locator, the paraphrase left empty: the candidates file never quotes the
document, and ``kg build`` refuses a citation without one.

>>> nodes = {name: Node(name, name, "BiologicalProcess", "") for name in ("hypoxia", "angiogenesis")}
>>> text = "Hypoxia may drive angiogenesis."
>>> sentences = segment(text, {"kind": "wrapped-text"})
>>> tags = sentence_mentions(text, sentences, NameMatcher({name: [name] for name in nodes}))
>>> [(c.subject, c.predicate, c.object, c.sign, c.citations[0].certainty)
...  for c in suggest_statements(text, sentences, tags, PairReader(nodes), {"promotes": 1})]
[('hypoxia', 'promotes', 'angiogenesis', 1, 'hedged')]
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field, replace

import yaml

from kg.curation.mentions import Mention, NameMatcher, singular_keys, words
from kg.curation.model import CuratedGraph, Document, Node
from kg.curation.sources import Sentence, mask, segment

# The ending of a verb cue: an inflection, never a noun or adjective made from it ("inhibitor",
# "expression", "regulatory" name things; they do not make a claim).
VERB_ENDING = r"(?!\w*(?:ion|ions|ors?|ers?|ments?|ances?|ory|ories|ive|able|ity|ities)\b)\w*"
# (cue, predicate, reversed); ``\w*`` in a cue stands for VERB_ENDING. The cue nearest the second
# mention wins, the longer on a tie. reversed: the second mention is the subject ("A such as B").
CUES = tuple((re.compile(rf"\b(?:{pattern})".replace(r"\w*", VERB_ENDING), re.I), predicate, flipped)
             for pattern, predicate, flipped in (
    (r"such as|e\.g\.|for example|for instance|including|like|notably|known as|called|termed|referred to as",
     "subclass_of", True),
    (r"(?:is|are) (?:a|an)\s+(?:\w+\s+)?(?:type|kind|form|class|subset) of", "subclass_of", False),
    (r"(?:a|an|the|one) (?:\w+ )?(?:step|stage|phase|part|hallmark|feature|component|aspect) (?:in|of)|"
     r"(?:a|an|one) (?:\w+ )?process in(?! which)", "part_of", False),
    (r"involved in|participat\w* in|take part|undergo\w*|engag\w* in", "participates_in", False),
    (r"composed of|made up of|consist\w* of|compris\w*", "component_of", True),
    (r"involv\w*|includ\w*|encompass\w*", "part_of", True),
    (r"(?:deriv|originat)\w* (?:from|in)|shed\w* from|detach\w* from|break\w* away from", "derives_from", False),
    (r"metastasi[sz]\w* to|spread\w* to|disseminat\w* to|home\w* to", "metastasizes_to", False),
    (r"lead\w* to|led to|result\w* in|caus\w*|gives? rise to|responsible for|(?:a|the) source of", "causes", False),
    (r"stem\w* from|aris\w* from|arose from|result\w* from|due to|owing to|because of|thanks to",
     "contributes_to", True),
    (r"contribut\w*|role in|key players? in|essential for|crucial for|critical for|required for|"
     r"necessary for|important for|vital for|central to|key to|hallmark", "contributes_to", False),
    (r"enabl\w*|allow\w*|permit\w*|let\w*|help\w*|equip\w*", "enables", False),
    (r"secret\w*|releas\w*|produc\w*", "secretes", False),
    (r"(?:secret|releas|produc)\w* from", "secretes", True),
    (r"express\w*|upregulat\w*|overexpress\w*", "expresses", False),
    (r"recruit\w*|attract\w*", "recruits", False),
    (r"degrad\w*|break\w* down|breakdown|digest\w*|cleav\w*|remodel\w*", "degrades", False),
    (r"suppress\w*|inhibit\w*|block\w*|reduc\w*|prevent\w*|impair\w*|limit\w*|decreas\w*|hinder\w*|"
     r"restrain\w*|counteract\w*|eliminat\w*|kill\w*|attack\w*|destroy\w*|disrupt\w*|abrogat\w*|"
     r"attenuat\w*|diminish\w*|dampen\w*|evad\w*|halt\w*|overcom\w*|combat\w*|"
     r"downregulat\w*|lower\w*|against|resist\w*|hamper\w*|neutrali[sz]\w*|lose|loss|"
     r"(?:obstacle|barrier|impediment|hurdle)s? to", "inhibits", False),
    (r"target\w*", "targets", False),
    (r"treat\w*|therap\w* for", "treats", False),
    (r"promot\w*|driv\w*|enhanc\w*|facilitat\w*|increas\w*|induc\w*|trigger\w*|stimulat\w*|fuel\w*|"
     r"boost\w*|accelerat\w*|activat\w*|favou?r\w*|foster\w*|potentiat\w*|amplif\w*|support\w*|"
     r"aid\w*|prepar\w*|fertile|pav\w*|spur\w*|sustain\w*|provid\w*|creat\w*|form\w*|generat\w*|"
     r"gain\w*|acquir\w*|confer\w*|initiat\w*|start\w*|establish\w*", "promotes", False),
    (r"interact\w*|cross-?talk|communicat\w*", "interacts_with", False),
    (r"associat\w* with|link\w* (?:to|with)|correlat\w*", "associated_with", False),
    (r"biomarker|marker|indicator|predict\w*|prognos\w*", "biomarker_for", False),
    (r"preced\w*|followed by|prior to|before|then|subsequent\w*", "precedes", False),
    (r"regulat\w*|modulat\w*|influenc\w*|shap\w*|control\w*|govern\w*|orchestrat\w*|mediat\w*|"
     r"affect\w*|alter\w*|impact\w*|modif\w*|reprogram\w*|determin\w*|steer\w*|dictat\w*", "regulates", False),
    (r"carr(?:y|ies|ied|ying)|transport\w*|contain\w*", "carries", False),
    (r"located in|resid\w* in|found in|within|inside|express\w* (?:in|on)", "located_in", False),
    (r"mutat\w* in", "mutated_in", False),
))
# the causal predicates without a direction
UNSIGNED = ("regulates", "associated_with", "interacts_with")
# the predicates that name what a thing is or is made of: no passive reading swaps them
STRUCTURAL = ("subclass_of", "part_of", "component_of")
COPULA = re.compile(r"^\s*(?:is|are|was|were|remains?)\s*$", re.I)
CLAUSE_BREAK = re.compile(r"[,;:]")
# who can take part in a process (participates_in), and what a process is, by Biolink category
PARTICIPANTS = frozenset(("Cell", "CellularComponent", "AnatomicalEntity"))
PROCESSES = frozenset(("BiologicalProcess", "Pathway"))
# a subclass has its superclass's category; a gene, or a gene family, is a member of its class
MEMBERS = {("Gene", "GeneFamily"): "member_of", ("Gene", "MolecularEntity"): "member_of",
           ("GeneFamily", "MolecularEntity"): "member_of"}
# "A by/through B", "the remodelling of the [ECM] by B": B is how A comes about (its means or agent)
MEANS = re.compile(r"^[\s,(]*(?:of (?:the |an? )?\s*)?(?:by means of|by|through|via)\b", re.I)
PASSIVE_BY = re.compile(r"\b(?:is|are|was|were|be|been|being)?\s*\w+ed by\b|\bby\b", re.I)
# words before a mention that name its loss: what the loss of X does, X does the other way round
NEGATED = re.compile(r"\b(?:loss|lack|absence|inhibition|suppression|blockade|depletion|knockdown|deficiency|reduction|"
                     r"ablation|silencing|disruption|inhibiting|suppressing|blocking|disrupting|targeting|reducing|"
                     r"depleting|eliminating)\s+(?:of\s+)?(?:(?:the|an?|this|these|their|its)\s+)?$", re.I)
# words before a mention that say it changes without saying which way
UNDIRECTED = re.compile(r"\b(?:changes?|alterations?|shifts?|variations?)\s+(?:in|of)\s+(?:(?:the|their|its)\s+)?$",
                        re.I)
# the signed causal predicates, each with the one a negated subject turns it into
OPPOSITE = {"promotes": "inhibits", "enables": "inhibits", "causes": "inhibits", "contributes_to": "inhibits",
            "inhibits": "promotes"}
# a treatment's aim, right before the cue ("aim to disrupt the", "designed to prevent", "focusing on blocking")
PURPOSE = re.compile(r"\b(?:aim|focus|design|intend)\w*\s+(?:to|on|at)\s+(?:\w+ly\s+)?\w+\s+"
                     r"(?:(?:the|a|an|this|these)\s+)?$", re.I)
# a process "in", "at" or "of" a place happens there
PLACE = re.compile(r"^[\s()]*(?:in|at|of|within|inside)\s+(?:(?:the|a|an)\s+)?$", re.I)
HEDGES = re.compile(r"\b(?:may|might|could|can|suggest\w*|potential\w*|likely|possibl\w*|appear\w*|aim\w*|"
                    r"hypothes\w*|propos\w*|thought to|believed|perhaps|promising|emerging|seem\w*)\b", re.I)
# a pair joined only by these is a list of things, not a claim about them
JOINERS = re.compile(r"^[\s,;:()\-–]*(?:(?:and|or|as well as|and/or|both|either|nor)[\s,;:()\-–]*)*$", re.I)
ANAPHOR = re.compile(r"^\W*(?:This|These|Such|It|They|Its|Their|Those|In turn|Thereby|Here|This\s+\w+)\b")
STOPWORDS = frozenset((
    "a", "about", "above", "after", "again", "against", "all", "also", "although", "among", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "between", "both", "but", "by", "can", "could",
    "did", "do", "does", "during", "each", "either", "et", "etc", "few", "for", "from", "further", "had", "has",
    "have", "having", "here", "how", "however", "if", "in", "into", "is", "it", "its", "itself", "key", "many",
    "may", "might", "more", "most", "much", "must", "new", "no", "nor", "not", "of", "often", "on", "once", "one",
    "only", "or", "other", "our", "out", "over", "own", "per", "rather", "same", "several", "should", "so", "some",
    "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "through",
    "thus", "to", "too", "two", "under", "until", "up", "upon", "very", "via", "was", "were", "what", "when",
    "where", "whether", "which", "while", "who", "whom", "why", "will", "with", "within", "without", "would", "yet",
    "al", "fig", "figure", "table", "role", "process", "processes", "cells", "cell", "factors", "factor",
    "including", "various", "different", "specific", "certain", "important", "critical", "crucial", "essential",
    "significant", "major", "well", "like", "ability", "associated", "potential", "study", "studies",
))


@dataclass
class CandidateCitation:
    locator: str
    certainty: str
    basis: str  # what the proposal rests on: cue, graph, categories or co-mention
    cue: str | None = None  # the words that gave the predicate
    statement: str = ""  # the curator's paraphrase, always empty in a proposal


@dataclass
class Candidate:
    """A proposed statement: a triple, its sign, and one citation per passage that suggests it."""

    subject: str
    predicate: str
    object: str
    sign: int
    citations: list[CandidateCitation] = field(default_factory=list)


@dataclass(frozen=True)
class TermCandidate:
    """A term the document uses often that no node names: maybe a node to add."""

    term: str
    count: int
    first: str  # the locator of its first use


@dataclass
class Suggestions:
    """What ``kg curate suggest`` proposes for one document."""

    document: str
    candidates: list[Candidate]
    new_terms: list[TermCandidate]
    mention_count: int
    sentence_count: int


def sentence_mentions(masked: str, sentences: list[Sentence], matcher: NameMatcher) -> dict[str, list[Mention]]:
    """The mentions of known nodes in each sentence, keyed by locator."""
    return {s.locator: matcher.tag(masked, s.start, s.end) for s in sentences}


def gap_text(masked: str, run: list[Mention]) -> str:
    """The text between the first and the last mention of ``run``, without the mentions in between:
    their names are neither cues nor claims ("A and B drive C" reads " and  drive " for A and C),
    unless one opens with a cue ("A helps breaking down C" keeps the verb of its mention of C
    degradation).

    >>> gap_text("A, B and C", [Mention("a", 0, 1, "A"), Mention("b", 3, 4, "B"), Mention("c", 9, 10, "C")])
    ',  and '
    >>> gap_text("A in killing B", [Mention("a", 0, 1, "A"), Mention("k", 5, 12, "killing"), Mention("b", 13, 14, "B")])
    ' in killing '
    """
    kept = [mention.surface if opening_cue(mention) else "" for mention in run[1:-1]] + [""]
    return "".join(masked[one.end:two.start] + inner for one, two, inner in zip(run, run[1:], kept, strict=False))


def read_cue(between: str) -> tuple[str, bool, str] | None:
    """(predicate, reversed, cue words) for the text between two mentions; the cue nearest the
    second mention governs it, a passive ``by`` after it swaps the roles, and an example marker
    (``such as``, ``known as``) counts only right after the first mention. Opening with ``by``,
    ``through`` or ``via`` (after a noun's ``of the``), the gap names the second as the means or
    agent of the first, which it drives (or, by blocking it, works against) unless a clause
    break hands the cue that follows to another clause.

    >>> read_cue(" is driven\\nby ")
    ('promotes', True, 'driven')
    >>> read_cue(", such as ")
    ('subclass_of', True, 'such as')
    >>> read_cue(" secretes factors such as ")
    ('secretes', False, 'secretes')
    >>> read_cue(" can kill tumour cells, others such as ") is None  # the examples are of "others"
    True
    >>> read_cue(" by forming clusters with "), read_cue(" of the  by ")
    (('promotes', True, 'by forming'), ('promotes', True, 'by'))
    >>> read_cue(" through growth factors, allowing ")
    ('enables', False, 'allowing')
    >>> read_cue(" and ") is None
    True
    """
    between = re.sub(r"\s+", " ", between)  # a wrapped line must not hide "essential\nfor"
    cue = _nearest_cue(between)
    means = MEANS.match(between)
    if means and not (cue and CLAUSE_BREAK.search(between, means.end(), cue[2].start())):
        words = " ".join(filter(None, (means.group().split()[-1], cue and cue[2].group())))
        return ("inhibits" if cue and cue[0] == "inhibits" else "promotes"), True, words
    return cue and (cue[0], cue[1], cue[2].group())


def _nearest_cue(between: str) -> tuple[str, bool, re.Match] | None:
    """The cue of ``read_cue`` without the means reading, with its match."""
    found = [(m.end(), len(m.group()), predicate, flipped, m)
             for pattern, predicate, flipped in CUES for m in pattern.finditer(between)]
    examples = [f for f in found if f[2:4] == ("subclass_of", True) and between[:f[4].start()].strip(" ,;:(-–")]
    found = [f for f in found if f not in examples]
    if not found:
        return None
    *_, predicate, flipped, match = max(found, key=lambda f: f[:2])
    if examples and CLAUSE_BREAK.search(between, match.end(), examples[-1][4].start()):
        return None
    if predicate not in STRUCTURAL and PASSIVE_BY.search(between, match.end()):
        flipped = not flipped
    return predicate, flipped, match


@dataclass(frozen=True)
class Reading:
    """What a pair of mentions suggests: the triple, its certainty and what it rests on."""

    subject: str
    predicate: str
    object: str
    certainty: str
    basis: str  # cue | graph | categories | co-mention
    cue: str | None = None


class PairReader:
    """Reads the relation between two mentions from the cue words between them; without a cue,
    from what the graph already states about the pair (``known``: (subject, predicate, object)
    triples of other documents), from the nodes' categories (a cell named with a process takes
    part in it, a process named "in" a place happens there), or as a bare co-mention
    (``associated_with``, implied)."""

    def __init__(self, nodes: dict[str, Node], known=()):
        self.categories = {node.id: node.category for node in nodes.values()}
        self.known: dict[frozenset, tuple[str, str, str]] = {}
        for subject, predicate, obj in known:
            self.known.setdefault(frozenset((subject, obj)), (subject, predicate, obj))

    def read(self, first: Mention, second: Mention, between: str, context: tuple[str, str],
             hedged: bool) -> Reading | None:
        """The reading of two mentions in reading order (``context``: the sentence up to the first,
        and the text after the second up to the next mention), or None when nothing but a list
        separates them and the graph does not relate them."""
        before, after = context
        pair = frozenset((first.node, second.node))
        if first.node == second.node:
            return None
        if JOINERS.match(between):  # a list; only a relation the graph already holds is worth a look
            return Reading(*self.known[pair], "implied", "graph") if pair in self.known else None
        certainty = "hedged" if hedged else "stated"
        cue = _signed_by_means(read_cue(between), after)
        if cue is None and COPULA.match(between):
            # "the step that drives X is Y": the cue before X governs Y as its subject
            cue = read_cue(CLAUSE_BREAK.split(before)[-1])
            cue = cue and (cue[0], not cue[1], cue[2])
        if cue is not None:
            reading = self._typed(*cue, first.node, second.node, certainty, between)
            if reading is not None:
                return _modified(reading, before)
        if pair in self.known:
            return Reading(*self.known[pair], "implied", "graph")
        return self._by_categories(first.node, second.node, between, certainty)

    def _by_categories(self, first: str, second: str, between: str, certainty: str) -> Reading:
        """The reading of a pair without a cue, from the nodes' categories, else a co-mention."""
        for one, other in ((first, second), (second, first)):
            kinds = (self.categories[one], self.categories[other])
            if kinds[0] in PROCESSES and kinds[1] == "AnatomicalEntity" and PLACE.match(between):
                return Reading(one, "located_in", other, certainty, "categories", between.strip(" ()"))
        for one, other in ((first, second), (second, first)):
            if self.categories[one] in PARTICIPANTS and self.categories[other] in PROCESSES:
                return Reading(one, "participates_in", other, "implied", "categories")
        return Reading(first, "associated_with", second, "implied", "co-mention")

    def _typed(self, predicate: str, flipped: bool, cue: str, first: str, second: str,
               certainty: str, between: str) -> Reading | None:
        """The cue's reading, checked against the nodes' categories: a subclass shares its class's
        category (else the example is of something unnamed, and the cue says nothing of this pair),
        only an entity takes part in a process, only a treatment treats, a treatment acts and is
        not acted on (though a procedure may serve it), and a treatment said to aim at stopping
        something targets it (the aim, not an effect); an unsigned cue defers to the signed
        statement the graph already holds about the pair."""
        subject, obj = (second, first) if flipped else (first, second)
        kinds = (self.categories[subject], self.categories[obj])
        if predicate == "subclass_of" and kinds[0] != kinds[1]:
            if kinds not in MEMBERS:
                return None
            predicate = MEMBERS[kinds]
        if predicate == "participates_in" and kinds[0] not in PARTICIPANTS:
            predicate = "contributes_to"  # a process "involved in" another drives it
        if kinds[1] == "Treatment" and kinds[0] not in ("Treatment", "Procedure"):
            subject, obj = obj, subject
        if self.categories[subject] != "Treatment":
            if predicate == "treats":
                return None
        elif predicate == "inhibits" and PURPOSE.search(between):
            predicate = "targets"
        known = self.known.get(frozenset((subject, obj)))
        if predicate in UNSIGNED and known and known[1] not in UNSIGNED:
            return Reading(*known, certainty, "cue+graph", cue)
        return Reading(subject, predicate, obj, certainty, "cue", cue)


def opening_cue(mention: Mention) -> str | None:
    """The predicate of the cue a mention opens with: a node named by a verb phrase ("breaking
    down" for ECM degradation, "eliminate cancer cells" for cell survival) says what is done.

    >>> opening_cue(Mention("cell_survival", 0, 22, "eliminate cancer cells"))
    'inhibits'
    >>> opening_cue(Mention("drug_resistance", 0, 15, "drug resistance")) is None
    True
    """
    return next((predicate for pattern, predicate, _ in CUES if pattern.match(mention.surface)), None)


def _signed_by_means(cue: tuple[str, bool, str] | None, after: str) -> tuple[str, bool, str] | None:
    """An unsigned cue takes the sign of the means that follows its object: to affect B "by
    promoting" something is to raise B.

    >>> _signed_by_means(("regulates", False, "affect"), " by promoting ")
    ('promotes', False, 'affect by promoting')
    >>> _signed_by_means(("regulates", False, "affect"), ", which ")
    ('regulates', False, 'affect')
    """
    means = read_cue(after) if cue and cue[0] in UNSIGNED and MEANS.match(after) else None
    if means is None or means[2] == "by":
        return cue
    return means[0], cue[1], f"{cue[2]} {means[2]}"


def _modified(reading: Reading, before: str) -> Reading:
    """A cue's reading as the words before the first mention bend it: named by its loss ("loss
    of", "blocking"), the first does the opposite of what its loss does; named by its change
    ("changes in"), it has no direction.

    >>> promotes = Reading("ecadherin", "promotes", "metastasis", "stated", "cue", "drives")
    >>> _modified(promotes, "The loss of ").predicate, _modified(promotes, "Changes in ").predicate
    ('inhibits', 'regulates')
    """
    if reading.predicate not in OPPOSITE:
        return reading
    if UNDIRECTED.search(before):
        return replace(reading, predicate="regulates")
    if NEGATED.search(before):
        return replace(reading, predicate=OPPOSITE[reading.predicate])
    return reading


def _proposals(masked: str, sentences: list[Sentence], tags: dict[str, list[Mention]], reader: PairReader):
    """(locator, reading) for every pair of mentions worth a look."""
    for i, sentence in enumerate(sentences):
        mentions = tags[sentence.locator]
        hedged = bool(HEDGES.search(masked, sentence.start, sentence.end))
        for a, first in enumerate(mentions):
            for b, second in enumerate(mentions[a + 1:], a + 1):
                after = masked[second.end:mentions[b + 1].start if b + 1 < len(mentions) else sentence.end]
                reading = reader.read(first, second, gap_text(masked, mentions[a:b + 1]),
                                      (masked[sentence.start:first.start], after), hedged)
                if reading:
                    yield sentence.locator, reading
        following = sentences[i + 1] if i + 1 < len(sentences) else None
        if (following is None or (following.section, following.paragraph) != (sentence.section, sentence.paragraph)
                or not mentions or not ANAPHOR.match(masked[following.start:following.end])):
            continue
        # the anaphor stands for what the first sentence spoke of: its first-named node
        run = f"{sentence.locator}-{following.index}"
        hedged = bool(HEDGES.search(masked, following.start, following.end))
        named_again = {m.node for m in tags[following.locator]}
        for second in tags[following.locator]:
            reading = reader.read(mentions[0], second, masked[following.start:second.start], ("", ""), hedged)
            if reading and mentions[0].node not in named_again:
                yield run, reading


def suggest_statements(masked: str, sentences: list[Sentence], tags: dict[str, list[Mention]], reader: PairReader,
                       signs: dict[str, int]) -> list[Candidate]:
    """Candidate statements, one per triple, with a citation per locator, in document order;
    ``signs`` gives each predicate's sign."""
    candidates: dict[tuple[str, str, str], Candidate] = {}
    for locator, r in _proposals(masked, sentences, tags, reader):
        candidate = candidates.setdefault((r.subject, r.predicate, r.object),
                                          Candidate(r.subject, r.predicate, r.object, signs[r.predicate]))
        if all(c.locator != locator for c in candidate.citations):
            candidate.citations.append(CandidateCitation(locator, r.certainty, r.basis, r.cue))
    return list(candidates.values())




def unknown_terms(masked: str, sentences: list[Sentence], tags: dict[str, list[Mention]],
                  minimum: int = 2, limit: int = 30) -> list[TermCandidate]:
    """Runs of one to three content words outside every mention, used ``minimum`` times or more,
    most frequent (then longest) first; a run inside a longer one used as often is left out.

    >>> text = "Osteoclast activity rises. Osteoclast activity falls."
    >>> [t.term for t in unknown_terms(text, segment(text, {"kind": "wrapped-text"}), {})]
    ['Osteoclast activity']
    """
    counts: Counter[str] = Counter()
    surface, first = {}, {}
    for sentence in sentences:
        covered = [(m.start, m.end) for m in tags.get(sentence.locator, [])]
        run: list = []
        for word in [*words(masked, sentence.start, sentence.end), None]:
            content = (word is not None and word.key not in STOPWORDS and len(word.key) > 2
                       and not word.key.isdigit() and not any(s <= word.start < e for s, e in covered)
                       and not any(p.fullmatch(masked[word.start:word.end]) for p, _, _ in CUES))
            if content:
                run.append(word)
                continue
            for n in range(len(run)):
                for m in range(n + 1, min(len(run), n + 3) + 1):
                    key = singular_keys("".join(w.key for w in run[n:m]))[-1 if m - n == 1 else 0]
                    counts[key] += 1
                    surface.setdefault(key, " ".join(masked[w.start:w.end] for w in run[n:m]))
                    first.setdefault(key, sentence.locator)
            run = []
    frequent = {k: c for k, c in counts.items() if c >= minimum}
    kept = [k for k in frequent if not any(k != o and k in o and frequent[o] >= frequent[k] for o in frequent)]
    kept.sort(key=lambda k: (-frequent[k], -len(surface[k]), k))
    return [TermCandidate(surface[k], frequent[k], first[k]) for k in kept[:limit]]


def suggest(document: Document, text: str, curated: CuratedGraph) -> Suggestions:
    """Candidate statements and unknown terms of ``document`` (its source ``text``), reading the
    nodes of the curated graph and what its other documents state (never ``document``'s own
    statements, so that suggesting for a curated document shows what a curator would have got)."""
    masked = mask(text, document.layout)
    sentences = segment(text, document.layout)
    matcher = NameMatcher({node.id: node.names for node in curated.nodes.values()})
    known = [s.key for s in curated.statements if any(c.document != document.id for c in s.citations)]
    tags = sentence_mentions(masked, sentences, matcher)
    signs = {name: predicate.sign for name, predicate in curated.predicates.items()}
    candidates = suggest_statements(masked, sentences, tags, PairReader(curated.nodes, known), signs)
    return Suggestions(document.id, candidates, unknown_terms(masked, sentences, tags),
                       sum(map(len, tags.values())), len(sentences))


def candidates_yaml(suggestions: Suggestions) -> str:
    """The candidates file: proposals shaped like ``data/statements`` records, to move over once the
    curator has checked the predicate and direction and written each paraphrase.

    >>> proposal = Candidate("a", "promotes", "b", 1, [CandidateCitation("body/p1/s1", "stated", "cue", "drives")])
    >>> text = candidates_yaml(Suggestions("doc", [proposal], [TermCandidate("X cell", 2, "body/p1/s1")], 2, 1))
    >>> print(text[text.index("document:"):])
    document: doc
    new_terms:
    - {term: X cell, count: 2, first: body/p1/s1}
    candidates:
    - subject: a
      predicate: promotes
      object: b
      sign: 1
      citations:
      - {locator: body/p1/s1, certainty: stated, basis: cue, cue: drives, statement: ''}
    <BLANKLINE>
    """
    header = (f"# Candidates for {suggestions.document} from `kg curate suggest` ({len(suggestions.candidates)} "
              f"statements, {suggestions.mention_count} mentions in {suggestions.sentence_count} sentences).\n"
              f"# Not part of the graph. `kg curate accept {suggestions.document} N [N...]` moves candidates N (1 is "
              f"the first below)\n# to data/statements/{suggestions.document}.yaml; there check the predicate and "
              "direction, and write each citation's\n# statement (the paraphrase, in your own words): `kg build` "
              "refuses a citation without one.\n")
    return header + records_yaml(records(suggestions))


def records_yaml(content: dict) -> str:
    """The candidates file's content (``records``) as YAML, each citation and term on one line."""
    return yaml.dump(content, Dumper=_FlowCitations, sort_keys=False, allow_unicode=True, width=120)


def records(suggestions: Suggestions) -> dict:
    """The content of the candidates file as plain data (what ``kg curate review`` reads back)."""
    return {"document": suggestions.document,
            "new_terms": [asdict(t) for t in suggestions.new_terms],
            "candidates": [asdict(c, dict_factory=_without_none) for c in suggestions.candidates]}


def _without_none(items) -> dict:
    return {key: value for key, value in items if value is not None}


class _FlowCitations(yaml.SafeDumper):
    """Writes each citation and term on one line, the rest in block style."""

    def represent_dict(self, data):
        flow = set(data) <= {"term", "count", "first", "locator", "certainty", "basis", "cue", "statement"}
        return self.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


_FlowCitations.add_representer(dict, _FlowCitations.represent_dict)
