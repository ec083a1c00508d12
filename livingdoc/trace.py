"""Traceability: each edition of the help article, sentence by sentence, each sentence linked to the rules that
encode it.

The link is the rule's own quotation. A rule quotes its source in its description: `Help article: "..."` (the
article, "the app" in place of the brand's name) or, tagged `@sync-matrix`, `Sync Matrix: "..."` (the Sync Matrix as
the research notes quote it, "[app]" for the brand). A quoted passage is cut into sentences; each quoted sentence
covers the sentences of the source it is part of. The article's lists count item by item: an item is read with the
line that introduces it ("... picks up changes made in QuickBooks to: Vendors"), and a quotation covers it only if it
names the item. A line that introduces a list is covered by the rules of its items.

The sources are read where they are published, beside the checkout (`Sources.published`): the folder `seeds/`
holds one edition of the article per brand (told apart by the brand's name in it), `reference/` the research notes
the Sync Matrix is quoted from. `features/TRACE.md`'s table lists the sentences that are no rule (a heading, an image,
a pointer to another article) and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from livingdoc.brands import BRANDS, in_edition
from livingdoc.model import Feature, Rule

#: Where the published sources are: beside the checkout (or where $SPEC_SOURCES or --sources says).
DEFAULT_SOURCES = Path(__file__).resolve().parent.parent.parent / "shared"
ARTICLE_SOURCE = "Help article"
MATRIX_SOURCE = "Sync Matrix"
MATRIX_TAG = "sync-matrix"
RESEARCH_FILE = Path("reference", "sync-rules-research.md")
NOT_RULES_FILE = "TRACE.md"


@dataclass
class Sources:
    """The files the spec encodes: an edition of the article per brand, the research notes, and the table of the
    sentences that are no rule."""

    articles: dict[str, Path]
    research: Path | None
    not_rules: Path | None = None

    @classmethod
    def published(cls, folder: Path, not_rules: Path | None = None) -> Sources:
        """The sources as published in `folder` (its `seeds/` and `reference/`); none there, none found."""
        articles: dict[str, Path] = {}
        seeds = folder / "seeds"
        for path in sorted(seeds.iterdir()) if seeds.is_dir() else []:
            text = path.read_text(encoding="utf-8") if path.is_file() else ""
            named = [brand for brand, name in BRANDS.items() if name in text]
            if len(named) == 1:
                articles.setdefault(named[0], path)
        research = folder / RESEARCH_FILE
        return cls(articles, research if research.is_file() else None, not_rules)

_BULLET = re.compile(r"^(\s*)(?:[-•*]|\d+\.)\s+")
_SENTENCE_END = re.compile(r'(?<=[.!?])"?\s+(?=["(]?[A-Z])')
_QUOTE_END = re.compile(r'[.,;]?(?:\s+and\s+"|\s*$|\s+[A-Z(])|[.,;]\s')
_AND_QUOTE = re.compile(r'[.,;]?\s+and\s+(?=")')


def norm(text: str, brand: str | None = None) -> str:
    """Text for comparison: the brand's name (or "[app]") as "the app", no quotation marks, one case, one space."""
    if brand:
        text = text.replace(BRANDS[brand], "the app")
    text = text.replace("[app]", "the app")
    text = re.sub(r'["“”]', "", text)
    return " ".join(text.lower().split())


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s.strip()]


@dataclass
class RuleLink:
    """A rule that encodes a sentence."""

    feature: Feature
    rule: Rule


@dataclass
class Sentence:
    """One sentence of a source; a list item with the line that introduces it (`full`)."""

    text: str
    full: str
    depth: int = 0  # list depth: 0 for a plain line
    is_lead_in: bool = False
    items: list[Sentence] = field(default_factory=list)  # a lead-in's items
    rules: list[RuleLink] = field(default_factory=list)
    not_a_rule: str | None = None

    @property
    def covered(self) -> bool:
        return bool(self.rules) or self.not_a_rule is not None


@dataclass
class Source:
    """An edition of the article (`brand` set) or the passages of the research notes the rules quote."""

    key: str
    title: str
    brand: str | None
    sentences: list[Sentence]

    def uncovered(self) -> list[Sentence]:
        return [s for s in self.sentences if not s.covered]


@dataclass
class Misquote:
    """A quoted sentence found in no source the rule belongs to, or a source the rule belongs to that has none of
    its quoted sentences."""

    feature: Feature
    rule: Rule
    source: str
    quoted: str


def read_article(text: str) -> list[Sentence]:
    """An edition of the article as published (lines, "- " or "•" list items, nested by indentation)."""
    sentences: list[Sentence] = []
    lead_in: Sentence | None = None
    for raw in text.splitlines():
        if not raw.strip():
            continue
        bullet = _BULLET.match(raw)
        line = raw[bullet.end():].strip() if bullet else raw.strip()
        depth = (1 + len(bullet.group(1).expandtabs()) // 4) if bullet else 0
        if bullet and lead_in is not None:
            for part in split_sentences(line):
                item = Sentence(text=part, full=f"{lead_in.text} {part}", depth=depth)
                lead_in.items.append(item)
                sentences.append(item)
            continue
        lead_in = None
        parts = split_sentences(line)
        for part in parts:
            sentences.append(Sentence(text=part, full=part, depth=depth))
        if parts and parts[-1].endswith(":"):
            sentences[-1].is_lead_in = True
            lead_in = sentences[-1]
    return sentences


def quotations(rule: Rule) -> tuple[str, list[str]]:
    """The source a rule quotes ("Help article" or "Sync Matrix") and its quoted sentences: each `Source: "..."`
    (or `Source (a note): "..."`), possibly followed by `and "..."`."""
    source = MATRIX_SOURCE if MATRIX_TAG in rule.tags else ARTICLE_SOURCE
    text = " ".join(rule.description.split())
    quoted: list[str] = []
    for marker in re.finditer(re.escape(source) + r'(?: \([^)]*\))?: (?=")', text):
        pos = marker.end()
        while True:
            begin = end = pos + 1
            while True:
                end = text.find('"', end)
                if end == -1 or _QUOTE_END.match(text, end + 1):
                    break
                end += 1
            quoted.extend(split_sentences(text[begin:end if end != -1 else len(text)]))
            more = _AND_QUOTE.match(text, end + 1) if end != -1 else None
            if more is None:
                break
            pos = more.end()
    return source, quoted


def _covers(quoted: str, sentence: Sentence, brand: str | None) -> bool:
    q = norm(quoted).rstrip(".:")
    if q not in norm(sentence.full, brand):
        return False
    return sentence.depth == 0 or sentence.full == sentence.text or norm(sentence.text, brand) in q


def _not_rules(path: Path | None) -> dict[str, str]:
    """Sentence (normalised) -> why it is no rule, from the table of TRACE.md."""
    table: dict[str, str] = {}
    if path is None or not path.exists():
        return table
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 2 and not set(cells[0]) <= {"-", " "} and cells[0] != "sentence":
            table[norm(cells[0].strip("`"))] = cells[1]
    return table


def _research(path: Path | None, quoted: list[str]) -> list[Sentence]:
    """The passages (lines) of the research notes that contain a quoted sentence, sentence by sentence."""
    if path is None or not quoted:
        return []
    sentences: list[Sentence] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if any(norm(q) in norm(line) for q in quoted):
            sentences.extend(Sentence(text=s, full=s) for s in split_sentences(_BULLET.sub("", line)))
    return sentences


def trace(features: list[Feature], found: Sources) -> tuple[list[Source], list[Misquote]]:
    """Each edition found and the research passages quoted, linked to the rules; and every quoted sentence that is
    not in a source its rule belongs to."""
    not_rules = _not_rules(found.not_rules)
    sources = [
        Source(key=brand, title=f"The {name} edition of the help article", brand=brand,
               sentences=read_article(found.articles[brand].read_text(encoding="utf-8")))
        for brand, name in BRANDS.items() if brand in found.articles
    ]
    quotes = [(f, r, *quotations(r)) for f in features for r in f.rules]
    matrix_quotes = [q for _, _, source, quoted in quotes if source == MATRIX_SOURCE for q in quoted]
    research = Source(key="sync-matrix", title="The Sync Matrix (documented beyond the article)", brand=None,
                      sentences=_research(found.research, matrix_quotes))
    if research.sentences:
        sources.append(research)
    misquotes: list[Misquote] = []
    for feature, rule, source_name, quoted in quotes:
        tags = [*feature.tags, *rule.tags]
        targets = [research] if source_name == MATRIX_SOURCE else [
            s for s in sources if s.brand is not None and in_edition(tags, s.brand)]
        found_in: set[str] = set()
        for q in quoted:
            hits = [(source, s) for source in targets for s in source.sentences if _covers(q, s, source.brand)]
            if not hits:
                misquotes.append(Misquote(feature, rule, " or ".join(t.title for t in targets), q))
            for source, sentence in hits:
                found_in.add(source.key)
                if not any(link.rule is rule for link in sentence.rules):
                    sentence.rules.append(RuleLink(feature, rule))
        misquotes.extend(Misquote(feature, rule, t.title, "(none of its quotations)")
                         for t in targets if t.key not in found_in and quoted)
    for source in sources:
        for sentence in source.sentences:
            if sentence.is_lead_in:
                for item in sentence.items:
                    sentence.rules.extend(link for link in item.rules
                                          if not any(link.rule is have.rule for have in sentence.rules))
            if not sentence.rules:
                sentence.not_a_rule = not_rules.get(norm(sentence.text, source.brand))
    return sources, misquotes
