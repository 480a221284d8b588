"""What changed between two versions of the graph, claim by claim (``kg diff OLD NEW``).

Entities are added, removed or changed (label, category, identifiers). Claims are keyed by
(subject, predicate, object): a claim whose predicate changed between the same two entities is
reported as re-signed or re-typed (one change, not a removal and an addition); a claim kept
may change its citations: added, removed, moved (the same document's passage now under another
locator: same passage hash or same paraphrase), or changed in certainty, paraphrase or reference.

>>> cited = {("d", "body/p1/s1"): CitationRecord("stated", "x", 1, "h")}
>>> old = Snapshot({}, {("a", "promotes", "b"): Claim(1, False, cited)})
>>> moved = {("d", "body/p1/s2"): CitationRecord("hedged", "x", 1, "h")}
>>> new = Snapshot({}, {("a", "inhibits", "b"): Claim(-1, False, moved)})
>>> change = compare(old, new).claims_changed[0]
>>> change.predicate, change.sign, change.citations_moved
(('promotes', 'inhibits'), (1, -1), [('d', 'body/p1/s1', 'body/p1/s2')])
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from kg.errors import InvalidQueryError
from kg.release.snapshot import CitationRecord, Claim, Snapshot

FORMATS = ("text", "markdown", "json")
SIGN_WORDS = {1: "+", -1: "-", 0: "unsigned"}
SINGULAR = {"Entities": "entity", "Claims": "claim"}


@dataclass
class EntityChange:
    id: str
    fields: dict[str, tuple]  # field -> (old, new); xrefs as (removed, added)


@dataclass
class ClaimChange:
    subject: str
    object: str
    predicate: tuple[str, str]  # (old, new); equal when only the citations changed
    sign: tuple[int, int]
    citations_added: list[tuple[str, str]] = field(default_factory=list)
    citations_removed: list[tuple[str, str]] = field(default_factory=list)
    citations_moved: list[tuple[str, str, str]] = field(default_factory=list)  # document, old locator, new
    certainty: list[tuple[str, str, str, str]] = field(default_factory=list)  # document, locator, old, new
    paraphrase: list[tuple[str, str]] = field(default_factory=list)  # (document, locator) reworded
    reference: list[tuple[str, str, int | None, int | None]] = field(default_factory=list)


@dataclass
class Diff:
    entities_added: list[str] = field(default_factory=list)
    entities_removed: list[str] = field(default_factory=list)
    entities_changed: list[EntityChange] = field(default_factory=list)
    claims_added: list[tuple[str, str, str]] = field(default_factory=list)
    claims_removed: list[tuple[str, str, str]] = field(default_factory=list)
    claims_changed: list[ClaimChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(asdict(self).values())

    def summary(self) -> dict[str, int]:
        return {name: len(value) for name, value in asdict(self).items()}


def _entity_changes(old: Snapshot, new: Snapshot) -> list[EntityChange]:
    changes = []
    for node in sorted(old.entities.keys() & new.entities.keys()):
        before, after = old.entities[node], new.entities[node]
        fields = {name: (getattr(before, name), getattr(after, name)) for name in ("label", "category")
                  if getattr(before, name) != getattr(after, name)}
        if before.xrefs != after.xrefs:
            old_ids, new_ids = set(before.xrefs), set(after.xrefs)
            fields["xrefs"] = (sorted(old_ids - new_ids), sorted(new_ids - old_ids))
        if fields:
            changes.append(EntityChange(node, fields))
    return changes


def _citation_changes(change: ClaimChange, before: Claim, after: Claim) -> ClaimChange:
    """Fill ``change`` with what happened to the citations between two versions of a claim."""
    removed = {key: before.citations[key] for key in before.citations.keys() - after.citations.keys()}
    added = {key: after.citations[key] for key in after.citations.keys() - before.citations.keys()}
    for old_key, old_record in sorted(removed.items()):
        moved_to = next((key for key, record in sorted(added.items()) if key[0] == old_key[0] and (
            record.sha256 == old_record.sha256 or record.statement == old_record.statement)), None)
        if moved_to:
            change.citations_moved.append((old_key[0], old_key[1], moved_to[1]))
            added.pop(moved_to)
            _record_changes(change, old_key[0], moved_to[1], old_record, after.citations[moved_to])
        else:
            change.citations_removed.append(old_key)
    change.citations_added = sorted(added)
    for key in sorted(before.citations.keys() & after.citations.keys()):
        _record_changes(change, *key, before.citations[key], after.citations[key])
    return change


def _record_changes(change: ClaimChange, document: str, locator: str, old: CitationRecord, new: CitationRecord):
    if old.certainty != new.certainty:
        change.certainty.append((document, locator, old.certainty, new.certainty))
    if old.statement != new.statement:
        change.paraphrase.append((document, locator))
    if old.reference != new.reference:
        change.reference.append((document, locator, old.reference, new.reference))


def compare(old: Snapshot, new: Snapshot) -> Diff:
    """Every difference from ``old`` to ``new`` (see the module docstring)."""
    diff = Diff(entities_added=sorted(new.entities.keys() - old.entities.keys()),
                entities_removed=sorted(old.entities.keys() - new.entities.keys()),
                entities_changed=_entity_changes(old, new))
    removed = sorted(old.claims.keys() - new.claims.keys())
    added = sorted(new.claims.keys() - old.claims.keys())
    for key in removed:
        subject, _, obj = key
        retyped = [k for k in added if (k[0], k[2]) == (subject, obj)]
        if len(retyped) == 1 and sum((k[0], k[2]) == (subject, obj) for k in removed) == 1:
            added.remove(retyped[0])
            change = ClaimChange(subject, obj, (key[1], retyped[0][1]),
                                 (old.claims[key].sign, new.claims[retyped[0]].sign))
            diff.claims_changed.append(_citation_changes(change, old.claims[key], new.claims[retyped[0]]))
        else:
            diff.claims_removed.append(key)
    diff.claims_added = added
    for key in sorted(old.claims.keys() & new.claims.keys()):
        before, after = old.claims[key], new.claims[key]
        change = _citation_changes(ClaimChange(key[0], key[2], (key[1], key[1]), (before.sign, after.sign)),
                                   before, after)
        if any((change.citations_added, change.citations_removed, change.citations_moved, change.certainty,
                change.paraphrase, change.reference)):
            diff.claims_changed.append(change)
    diff.claims_changed.sort(key=lambda c: (c.subject, c.predicate, c.object))
    return diff


def _claim_lines(change: ClaimChange) -> list[str]:
    """What changed in one claim, one line a kind of change."""
    lines = []
    if change.predicate[0] != change.predicate[1]:
        lines.append(f"predicate {change.predicate[0]} -> {change.predicate[1]}"
                     + (f" (sign {SIGN_WORDS[change.sign[0]]} -> {SIGN_WORDS[change.sign[1]]})"
                        if change.sign[0] != change.sign[1] else ""))
    lines += [f"citation added: {d} {loc}" for d, loc in change.citations_added]
    lines += [f"citation removed: {d} {loc}" for d, loc in change.citations_removed]
    lines += [f"citation moved: {d} {old} -> {new}" for d, old, new in change.citations_moved]
    lines += [f"certainty {d} {loc}: {old} -> {new}" for d, loc, old, new in change.certainty]
    lines += [f"paraphrase reworded: {d} {loc}" for d, loc in change.paraphrase]
    lines += [f"reference {d} {loc}: {old} -> {new}" for d, loc, old, new in change.reference]
    return lines


def _entity_lines(change: EntityChange) -> list[str]:
    lines = [f"{name} {old!r} -> {new!r}" for name, (old, new) in change.fields.items() if name != "xrefs"]
    removed, added = change.fields.get("xrefs", ((), ()))
    lines += [f"identifier{'s' if len(ids) > 1 else ''} {verb} {', '.join(ids)}"
              for verb, ids in (("removed", removed), ("added", added)) if ids]
    return lines


def _count_noun(title: str, count: int) -> str:
    """``"Claims added"`` -> ``"claims added"``, or ``"claim added"`` for one."""
    noun, verb = title.split()
    return f"{noun.lower() if count > 1 else SINGULAR[noun]} {verb}"


def render(diff: Diff, fmt: str = "text", old_name: str = "old", new_name: str = "new") -> str:
    """The diff as plain text, Markdown or JSON.

    >>> print(render(Diff(claims_added=[("a", "promotes", "b")]), "markdown", "v1", "v2"))
    ## Changes from v1 to v2
    <BLANKLINE>
    1 claim added.
    <BLANKLINE>
    ### Claims added
    - a promotes b
    <BLANKLINE>
    """
    if fmt not in FORMATS:
        raise InvalidQueryError(f"unknown diff format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "json":
        return json.dumps({"old": old_name, "new": new_name, "summary": diff.summary(), **asdict(diff)},
                          indent=1, ensure_ascii=False) + "\n"
    sections = [
        ("Entities added", diff.entities_added),
        ("Entities removed", diff.entities_removed),
        ("Entities changed", [f"{c.id}: " + "; ".join(_entity_lines(c)) for c in diff.entities_changed]),
        ("Claims added", [" ".join(key) for key in diff.claims_added]),
        ("Claims removed", [" ".join(key) for key in diff.claims_removed]),
        ("Claims changed", [f"{c.subject} {c.predicate[1]} {c.object}: " + "; ".join(_claim_lines(c))
                            for c in diff.claims_changed]),
    ]
    counts = ", ".join(f"{len(items)} {_count_noun(title, len(items))}" for title, items in sections if items)
    markdown = fmt == "markdown"
    out = [f"## Changes from {old_name} to {new_name}" if markdown else f"changes from {old_name} to {new_name}", ""]
    out.append((counts[0].upper() + counts[1:] + ".") if counts else "No change.")
    for title, items in sections:
        if items:
            out += ["", f"### {title}" if markdown else f"{title}:"]
            out += [f"- {item}" if markdown else f"  {item}" for item in items]
    return "\n".join(out) + "\n"
