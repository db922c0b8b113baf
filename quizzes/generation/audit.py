"""The bank linter (PURE): every machine-checkable item-writing rule, as functions over drafts.

`audit_bank(drafts, facts)` returns one `Finding` per broken rule per item (or per template, for
rules about a whole set such as key position balance); `audit_quiz(drafts)` checks the items
that sit together in one quiz. Nothing here knows any episode: the rules hold for every dataset.
The `audit_bank` management command runs them over the stored bank; the sweep tests assert that
the generator's drafts give no finding at all.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from quizzes.generation.drafts import CHOICE_TYPES, QuestionDraft
from quizzes.generation.facts import ANAPHORIC, EventFact, Facts, ReportFact, dangling_quotes
from quizzes.qtypes import QTYPES
from quizzes.said import Said, _, joined, ngettext
from quizzes.sources.kinds import kind_named

# The rules, in the order they are reported.
RULES = (
    "key-position",
    "stem-key-overlap",
    "distractor-kind",
    "pronoun-gender",
    "evidence-support",
    "contested-as-fact",
    "attributed-twice",
    "answer-in-unit",
    "duplicate",
    "grammar",
    "generator-working",
    "quiz-same-fact",
    "quiz-giveaway",
    "bank-giveaway",
    "dangling-quote",
    "disagree-scope",
    "key-rotation",
    "too-few-distractors",
    "background-item",
    "bare-lower-bound",
    "one-quantity",
    "kind-in-stem",
    "matching-pairs",
    "order-display",
    "date-rank",
    "distractor-hedge",
    "one-number-per-sentence",
    "headline-statement",
    "citation-evidence",
    "speaker-wording",
    "source-kind-options",
    "same-figure",
    "invented-figure",
    "distractor-also-true",
    "evidence-names-subject",
    "order-period",
)

# Words that name a producer's type: in a source-kind stem they give the answer away.
KIND_WORDS = re.compile(
    r"\b(?:institute|think[- ]tank|centre|center|foundation|universit(?:y|ies)|student|blog|studies|live|analysis)\b", re.I
)
# A tag on data for events and figures before the episode itself (docs/question-bank.md).
BACKGROUND = "background"
# A figures-differ item needs this many wrong reasons, or its key follows from the wording.
MIN_WRONG_REASONS = 2

STOP = {
    "the",
    "and",
    "that",
    "this",
    "with",
    "from",
    "have",
    "were",
    "which",
    "what",
    "when",
    "these",
    "those",
    "their",
    "there",
    "they",
    "been",
    "into",
    "about",
    "according",
    "sources",
    "source",
    "give",
    "gives",
    "does",
    "happened",
    "happen",
    "said",
    "says",
    "more",
    "than",
    "after",
    "before",
    "other",
}
GENERIC_ANSWERS = {"true", "false", "yes", "no"}
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
# Nationality and other proper adjectives English always capitalises (general English, no episode).
DEMONYMS = (
    "russian|kazakh|kazakhstani|chinese|american|british|english|french|german|armenian|belarusian|kyrgyz|tajik|"
    "uzbek|uzbekistani|turkish|turkic|european|soviet|iranian|ukrainian|afghan|arab|african|asian"
)
GRAMMAR = [
    (re.compile(r"\ba (?=[aeiouAEIOU])(?!one\b|uni|use|usu|euro|Euro|U\.|UN\b|US\b|U\b)\w"), _("'a' before a vowel sound")),
    (re.compile(r"\ban (?=[b-df-hj-np-tv-z])(?!hour|honest|honou?r)\w"), _("'an' before a consonant sound")),
    (
        re.compile(
            r"(?<![\d,.])\b1 (?!January|February|March|April|May|June|July|August|September|October|November|December)"
            r"(?:[a-z]+s|people|police officers|children|men|women)\b"
        ),
        _("plural after 1"),
    ),
    (re.compile(rf"\b(?:{DEMONYMS})\b"), _("lower-case proper adjective")),
    (re.compile(r"\b(\w+) \1\b", re.I), _("doubled word")),
    (re.compile(r" [,.;:?!]"), _("space before punctuation")),
    (re.compile(r"\.\.(?!\.)|,,|\?\.|\.\?"), _("doubled punctuation")),
    (re.compile(r"  "), _("double space")),
    # A plural subject ("Spokespeople for the airport", "Officials") with a singular verb: the head
    # noun may be followed by "for/of/at/in <Name ...>" and a bracket before the verb.
    (
        re.compile(
            r"\b(?:[Ss]pokes(?:people|persons|men|women)|[Pp]eople|[Oo]fficials|[Aa]uthorities|[Ww]itnesses|[Pp]rotesters|"
            r"[Dd]emonstrators|[Rr]esidents|[Ll]eaders|[Mm]inisters|[Ss]ources|[Rr]eports|[Aa]ides|[Aa]nalysts)\b"
            r"(?:\s+(?:for|of|from|at|in)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:of\s+)?[A-Z][\w’'-]*)*)?(?:\s*\([^)]*\))?"
            r"\s+(?:gives|does|dates|says|states|reports|mentions|claims|counts|puts|is|was|has)\b"
        ),
        _("plural subject with a singular verb"),
    ),
]
WORKING = re.compile(
    r"=|\{|\}|#|\bNone\b|\bnan\b|\bnull\b|\b(?:event|entity|claim|figure|dispute|link|source)/|\b[a-z]+_[a-z]+\b|\(in times|\bTODO\b"
)
PRONOUN = re.compile(r"\b(?:he|him|his|she|her|hers|himself|herself)\b", re.I)
ATTRIBUTION = re.compile(r"\baccording to\b", re.I)
EXPLICIT_DAY = r"(?:{m} {d}\b|\b{d} {m})"


@dataclass(frozen=True)
class Finding:
    rule: str
    template: str
    key: str
    detail: str


def _words(text: str) -> set[str]:
    out = set()
    for w in re.findall(r"[A-Za-z][A-Za-z’'-]+", text.lower()):
        w = w.strip("’'-")
        if len(w) < 4 or w in STOP:
            continue
        out.add(w[:-1] if w.endswith("s") and len(w) > 4 else w)
    return out


PLACES = {"stem": _("stem"), "explanation": _("explanation"), "left-hand item": _("left-hand item")}


def place(where: str) -> Said | str:
    """Where in an item a finding is ("stem", "option b", "option b explanation"), said where it is shown."""
    if where in PLACES:
        return PLACES[where]
    if m := re.fullmatch(r"option (\S+) explanation", where):
        return _("option %(id)s explanation", id=m.group(1))
    if m := re.fullmatch(r"option (\S+)", where):
        return _("option %(id)s", id=m.group(1))
    return where


def _learner_texts(d: QuestionDraft) -> list[tuple[str, str]]:
    """(where, text) for every sentence a learner reads."""
    texts = [("stem", d.stem), ("explanation", d.explanation)]
    for o in d.options:
        texts.append((f"option {o.id}", o.text))
        if o.explanation:
            texts.append((f"option {o.id} explanation", o.explanation))
    return texts


def _correct(d: QuestionDraft) -> list[str]:
    return [o.text for o in d.options if o.correct]


def _wrong(d: QuestionDraft) -> list[str]:
    return [o.text for o in d.options if not o.correct and o.side != "prompt"]


def _quotes(d: QuestionDraft) -> str:
    return " \n ".join(e.quote for e in d.all_evidence)


def _words_under_1000(n: int) -> list[str]:
    """English words for 0..999, with and without "and" ("one hundred fifty", "one hundred and fifty")."""
    if n < 20:
        return [_ONES[n]]
    if n < 100:
        tens, ones = divmod(n, 10)
        return [_TENS[tens] + (f"-{_ONES[ones]}" if ones else ""), _TENS[tens] + (f" {_ONES[ones]}" if ones else "")]
    hundreds, rest = divmod(n, 100)
    head = f"{_ONES[hundreds]} hundred"
    if not rest:
        return [head, "hundred" if hundreds == 1 else head]
    return [f"{head}{sep}{w}" for w in _words_under_1000(rest) for sep in (" ", " and ")]


def number_forms(value: Decimal) -> list[str]:
    """Ways a text may write a number: 1300, 1,300, "one thousand three hundred", 1.8 million."""
    n = Decimal(value)
    if n != n.to_integral_value():
        return [f"{n.normalize():f}"]
    i = int(n)
    forms = [str(i), f"{i:,}"]
    if i < 1000:
        forms += _words_under_1000(i)
    for big, word in ((10**6, "million"), (1000, "thousand")):
        if i >= big and i % (big // 10) == 0:
            head, rest = divmod(i, big)
            if rest == 0 and head < 1000:
                forms += [f"{w} {word}" for w in _words_under_1000(head)] + [f"{head} {word}"]
            elif big == 10**6 and rest % 100000 == 0:
                forms.append(f"{head}.{rest // 100000} million")
    return forms


def number_in(value: Decimal, text: str) -> bool:
    """The number is written in the text (as digits or words, whole-word)."""
    text = text.replace("\u00a0", " ")
    return any(re.search(rf"(?<![\d,.]){re.escape(f)}(?![\d,]|\.\d)", text, re.I) for f in number_forms(value))


# --- the item rules --------------------------------------------------------------------------


def check_key_rotation(drafts: Iterable[QuestionDraft]) -> list[Finding]:
    """In bank (key) order, a template's key positions must not step through a fixed cycle
    (a, b, c, d, a ... or True, False, True ...): a learner who sees it needs no knowledge."""
    groups: dict[tuple[str, int], list[tuple[QuestionDraft, int]]] = defaultdict(list)
    for d in sorted(drafts, key=lambda d: d.key):
        if d.qtype not in CHOICE_TYPES or d.qtype == "multi":
            continue
        positions = [i for i, o in enumerate(d.options) if o.correct]
        if len(positions) == 1:
            groups[(d.template, len(d.options))].append((d, positions[0]))
    out = []
    for (template, n), items in groups.items():
        if len(items) < 4:
            continue
        steps = [(b - a) % n for (_, a), (_, b) in zip(items, items[1:], strict=False)]
        common, count = Counter(steps).most_common(1)[0]
        if common != 0 and count >= 0.8 * len(steps):
            shown = "".join("abcdefgh"[p] for _, p in items)
            out += [
                Finding("key-rotation", template, d.key, _("key positions in bank order: %(positions)s", positions=shown))
                for d, _position in items
            ]
    return out


def _quantity_stem(d: QuestionDraft) -> str:
    """A number stem without its ', in <unit>' tail: conversions of one quantity share it."""
    return re.sub(r",\s+in\s+[^?]*\?$", "?", d.stem)


def check_one_quantity(drafts: Iterable[QuestionDraft]) -> list[Finding]:
    """One number item per quantity: two items on the same quotes whose stems differ only in the
    unit ('..., in British pounds' / '..., in US dollars') ask one figure twice."""
    seen: dict[tuple[str, frozenset[tuple[str, str]]], str] = {}
    out = []
    for d in sorted(drafts, key=lambda d: d.key):
        if d.qtype != "numeric":
            continue
        ident = (_quantity_stem(d), frozenset((e.source, e.quote) for e in d.evidence))
        if ident in seen:
            out.append(Finding("one-quantity", d.template, d.key, _("the same quantity as %(key)s", key=seen[ident])))
        else:
            seen[ident] = d.key
    return out


def check_key_position(drafts: Iterable[QuestionDraft]) -> list[Finding]:
    """Per template and option count, the key sits in every position about equally often."""
    groups: dict[tuple[str, int], list[tuple[QuestionDraft, int]]] = defaultdict(list)
    for d in drafts:
        if d.qtype not in CHOICE_TYPES or d.qtype == "multi":
            continue
        positions = [i for i, o in enumerate(d.options) if o.correct]
        if len(positions) == 1:
            groups[(d.template, len(d.options))].append((d, positions[0]))
    out = []
    for (template, n_options), items in groups.items():
        if len(items) < n_options * 2:
            continue
        counts = Counter(p for _, p in items)
        expected = len(items) / n_options
        over = [p for p in range(n_options) if counts[p] > expected + max(1.5, 0.25 * expected)]
        under = [p for p in range(n_options) if counts[p] < expected - max(1.5, 0.25 * expected)]
        if over or under:
            shown = ", ".join(f"{'abcdefgh'[p]}:{counts[p]}" for p in range(n_options))
            for d, p in items:
                if p in over:
                    out.append(
                        Finding(
                            "key-position",
                            template,
                            d.key,
                            _("key at %(position)s; positions %(positions)s", position="abcdefgh"[p], positions=shown),
                        )
                    )
    return out


def check_item(d: QuestionDraft, facts: Facts | None = None) -> list[Finding]:
    """Every per-item rule."""
    out: list[Finding] = []

    def flag(rule: str, detail: str) -> None:
        out.append(Finding(rule, d.template, d.key, detail))

    right, wrong = _correct(d), _wrong(d)
    if facts is not None:
        # Options naming sources are the same list in every such item: their words say nothing.
        citations = {s.citation.lower() for s in facts.sources.values()}
        right = [t for t in right if t.lower() not in citations]
        wrong = [t for t in wrong if t.lower() not in citations]
    # stem/key overlap: a word of the key that the stem repeats and no wrong option shares
    if d.qtype in CHOICE_TYPES and d.qtype != "true_false":
        stem_words = _words(d.stem)
        wrong_words = set().union(*(_words(w) for w in wrong)) if wrong else set()
        wrong_echo = any(_words(w) & stem_words for w in wrong)  # a stem that names every option gives none away
        for text in right:
            shared = (_words(text) & stem_words) - wrong_words
            if shared and not wrong_echo:
                flag("stem-key-overlap", _("%(words)s in stem and key %(key)s", words=sorted(shared), key=repr(text)))
        for text in right:
            if text.lower() not in GENERIC_ANSWERS and len(text) >= 4 and text.lower() in d.stem.lower():
                flag("stem-key-overlap", _("the key %(key)s is in the stem", key=repr(text)))
    # distractor kind and pronouns, where options are entities
    if facts is not None and d.qtype in CHOICE_TYPES:
        by_name = {n: e for e in facts.entities.values() for n in e.names}
        ents = [by_name.get(o.text) for o in d.options if o.side != "prompt"]
        if ents and all(ents):
            kinds = {_kind_group(e.kind) for e in ents if e}
            if len(kinds) > 1:
                flag("distractor-kind", _("options mix %(kinds)s", kinds=sorted(kinds)))
            pronoun = PRONOUN.search(d.stem)
            if "person" in kinds and pronoun:
                flag("pronoun-gender", _("gendered pronoun in a stem with people as options: %(pronoun)s", pronoun=repr(pronoun.group(0))))
    # evidence shows what it is cited for
    quotes = _quotes(d)
    if not d.evidence:
        flag("evidence-support", _("no evidence for the key"))
    if d.qtype == "numeric" and "value" in d.answer and not number_in(Decimal(str(d.answer["value"])), quotes):
        flag("evidence-support", _("the number %(number)s is in no quote", number=d.answer["value"]))
    if d.qtype == "date":
        for text in right:
            if not _date_supported(text, quotes, d.explanation):
                flag("evidence-support", _("no quote dates %(key)s and no weekday conversion is shown", key=repr(text)))
    if facts is not None:
        by_name = {n: e for e in facts.entities.values() for n in e.names}
        for text in right:
            ent = by_name.get(text)
            if ent is not None and not any(re.search(rf"\b{re.escape(n)}\b", quotes) for n in ent.names):
                flag("evidence-support", _("the key %(key)s is named in no quote", key=repr(text)))
        cites = {s.citation.lower(): slug for slug, s in facts.sources.items()}
        for o in d.options:
            slug = cites.get(o.text.lower())
            if slug and o.correct and not any(e.source == slug for e in d.all_evidence):
                flag("evidence-support", _("keyed source %(source)s has no quote", source=repr(o.text)))
    # contested facts only as attributed or as ranges
    if facts is not None:
        for fid in d.fact_ids:
            kind, _sep, slug = fid.partition(":")
            if kind == "event" and QTYPES[d.qtype].states_event_day and slug in facts.events:
                ev = facts.events[slug]
                if not ev.exact_day and ev.precision == "day":
                    flag("contested-as-fact", _("%(slug)s has only a span of dates but is asked as one day", slug=slug))
            contested_figure = kind == "figure" and slug in facts.figures and facts.figures[slug].contested
            if contested_figure and d.qtype == "numeric" and not ATTRIBUTION.search(d.stem):
                flag("contested-as-fact", _("contested figure %(slug)s asked without attribution", slug=slug))
            if kind == "claim" and slug in facts.claims:
                text = d.stem + " " + d.explanation
                if not re.search(r"\bsaid\b|\bsays\b|according to|claim", text, re.I):
                    flag("contested-as-fact", _("claim %(slug)s not attributed", slug=slug))
    # item-writing rules of the historical-thinking and number templates
    if d.template == "figures-differ" and len(wrong) < MIN_WRONG_REASONS:
        flag("too-few-distractors", _("%(n)d wrong reason(s): the key follows from the wording", n=len(wrong)))
    if d.template == "fact-or-claim" and BACKGROUND in d.topics:
        flag("background-item", _("a background event or claim is no one side's version"))
    if d.template == "fact-or-claim" and any(f.startswith("event:") for f in d.fact_ids):
        statement = re.search(r"“([^”]*)”", d.stem)
        said = statement.group(1) if statement else ""
        for o in d.options:
            for e in o.evidence if o.correct and said else ():
                if not quote_states(e.quote, said):
                    flag("evidence-support", _("quote does not itself state the statement: %(quote)s", quote=repr(e.quote[:60])))
    kind_word = KIND_WORDS.search(d.stem) if d.template == "source-kind" else None
    if kind_word:
        flag("kind-in-stem", _("the stem names the producer's type: %(word)s", word=repr(kind_word.group(0))))
    lower_bound = d.answer.get("qualifier") in ("at_least", "more_than", "over")
    if d.qtype == "numeric" and lower_bound and Decimal(str(d.answer.get("value", 2))) <= 1:
        flag("bare-lower-bound", _("the answer is the bound of 'at least one': no figure to learn"))
    # attribute once; the unit never holds the answer
    if len(ATTRIBUTION.findall(d.stem)) > 1:
        flag("attributed-twice", _("the stem attributes twice"))
    if d.qtype == "numeric":
        unit = str(d.answer.get("unit", ""))
        if re.search(r"\d|=|\(", unit):
            flag("answer-in-unit", _("unit %(unit)s", unit=repr(unit)))
    # grammar and generator working
    for where, text in _learner_texts(d):
        if text and not (text[0].isupper() or text[0].isdigit() or text[0] in "“\"‘'("):
            flag("grammar", _("%(where)s starts in lower case: %(text)s", where=place(where), text=repr(text[:40])))
        if text.count("“") != text.count("”"):
            flag("grammar", _("%(where)s: unbalanced quotation marks", where=place(where)))
        for pattern, what in GRAMMAR:
            m = pattern.search(_unquoted(text))
            if m:
                flag("grammar", joined("%(where)s: %(what)s: %(text)s", where=place(where), what=what, text=repr(m.group(0))))
        working = WORKING.search(text)
        if working:
            flag("generator-working", joined("%(where)s: %(text)s", where=place(where), text=repr(working.group(0))))
    if not d.stem.rstrip().endswith(("?", ":")):
        flag("grammar", _("the stem ends in neither ? nor :"))
    out += check_order_display(d) + check_statement(d, facts) + check_citation_evidence(d)
    if facts is not None:
        out += check_figure_distractors(d, facts) + check_speaker_wording(d, facts) + check_source_kind_options(d, facts)
        out += check_stem_names_in_evidence(d, facts) + check_order_period(d, facts)
        # A keyed source of a "which sources report it?" item: its quotes state the whole title.
        if d.template == "sources-agree":
            title = statement_of(d)
            for o in d.options:
                if o.correct and not quote_states(" ".join(e.quote for e in o.evidence), title):
                    flag(
                        "evidence-support",
                        _("the quotes of %(source)s do not state the whole of %(title)s", source=repr(o.text), title=repr(title)),
                    )
    return out


# Who an item depends on: these kinds must be shown by its quotes. A place is often shown by the
# article's own setting ("the city", "the airport"), which a quote need not repeat.
SUBJECT_KINDS = ("person", "organisation", "group")
NAME_FILLER = {"of", "the", "for", "and", "in", "on"}


def _name_words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[\w-]+", re.sub(r"[’']s\b", "", text)) if w.lower() not in NAME_FILLER}


def check_stem_names_in_evidence(d: QuestionDraft, facts: Facts) -> list[Finding]:
    """Every person, organisation or group the stem names is named in at least one of the item's quotes
    (by any of its names, in any word order: "Kazakhstan's Foreign Ministry" names the "Foreign Ministry
    of Kazakhstan"): a quote cut after the name ("which includes ...", "a military alliance made up of
    ...") or before the speaker does not show whose words or what body it is about. A source named as
    the teller ("according to Meduza") is shown by the quote's source, not by its words."""
    stem = _unquoted(d.stem)
    tellers = {s.citation.lower() for s in facts.sources.values()}
    out = []
    for ent in facts.entities.values():
        if ent.kind not in SUBJECT_KINDS:
            continue
        # `n in stem` first: the word-bounded search only for a name the stem holds at all.
        named = [n for n in ent.names if len(n) >= 3 and n in stem and re.search(rf"\b{re.escape(n)}\b", stem)]
        if not named or any(n.lower() in tellers for n in ent.names):
            continue
        quote_words = _name_words(" ".join(e.quote for e in d.all_evidence))
        places = {w for e in facts.entities.values() if e.kind in ("place", "country") for n in e.names for w in _name_words(n)}
        # A body named with its place ("Foreign Ministry of Kazakhstan") is shown without the place.
        required = [_name_words(n) - places for n in ent.names]
        if not any(words <= quote_words for words in required if words):
            out.append(
                Finding("evidence-names-subject", d.template, d.key, _("the stem names %(name)s; no quote does", name=repr(named[0])))
            )
    return out


def _unquoted(text: str) -> str:
    """Text outside quotation marks: a source's own words are quoted as they stand."""
    return re.sub(r"“[^”]*”", "“”", text)


def _kind_group(kind: str) -> str:
    return {"group": "organisation", "country": "state"}.get(kind, kind)


def _date_supported(text: str, quotes: str, explanation: str) -> bool:
    m = re.fullmatch(r"(\d{1,2}) (\w+) (\d{4})", text)
    if not m:
        return bool(re.fullmatch(r"\w+ \d{4}|\d{4}", text)) and text.split()[-1] in quotes
    day, month = m.group(1), m.group(2)
    if re.search(EXPLICIT_DAY.format(m=month, d=day), quotes):
        return True
    conversion = re.search(rf"“[^”]*\b(?:{'|'.join(WEEKDAYS)})\b[^”]*” \({day} {month}", explanation)
    return bool(conversion)


def check_duplicates(drafts: list[QuestionDraft]) -> list[Finding]:
    """No two items with the same stem and options, or on the same facts by the same template."""
    out = []
    seen: dict[tuple[object, ...], str] = {}
    for d in drafts:
        for sig in [
            ("text", d.stem, tuple(sorted(o.text for o in d.options))),
            ("facts", d.template, tuple(sorted(d.fact_ids)), tuple(sorted(_correct(d)))),
        ]:
            if sig in seen:
                out.append(
                    Finding(
                        "duplicate",
                        d.template,
                        d.key,
                        (_("same text as %(key)s", key=seen[sig]) if sig[0] == "text" else _("same facts as %(key)s", key=seen[sig])),
                    )
                )
            else:
                seen[sig] = d.key
    return out


def audit_bank(drafts: list[QuestionDraft], facts: Facts | None = None) -> list[Finding]:
    """All findings for a bank."""
    findings = check_key_position(drafts) + check_key_rotation(drafts) + check_duplicates(drafts) + check_one_quantity(drafts)
    findings += check_date_rank(drafts) + check_one_number_per_sentence(drafts, facts) + check_same_figure(drafts)
    findings += check_invented_figures(drafts, facts) + check_bank_giveaways(drafts)
    for d in drafts:
        findings += check_item(d, facts) + check_matching(d) + check_dangling_quotes(d)
        if facts is not None:
            findings += check_also_true(d, facts) + check_disagree_scope(d, facts)
    return findings


def names_in(text: str, names: Iterable[str]) -> bool:
    return any(len(n) >= 4 and n.lower() not in GENERIC_ANSWERS and re.search(rf"\b{re.escape(n)}\b", text, re.I) for n in names)


def key_texts(d: QuestionDraft) -> list[str]:
    """What a learner answers: the keyed options' texts, or a numeric key's number as written."""
    if d.qtype == "numeric" and "value" in d.answer:
        return number_forms(Decimal(str(d.answer["value"])))[:2]
    return [t for t in _correct(d) if t.lower() not in GENERIC_ANSWERS]


def _names_key(text: str, keys: list[str]) -> bool:
    for k in keys:
        if re.fullmatch(r"[\d,.]+", k):
            if re.search(rf"(?<![\d,.]){re.escape(k)}(?![\d]|[,.]\d)", text):
                return True
        elif names_in(text, [k]):
            return True
    return False


def same_fact(a: QuestionDraft, b: QuestionDraft) -> str:
    """The fact two items share ("" none): answering one answers the other."""
    base = {f.split("#")[0] for f in a.fact_ids} & {f.split("#")[0] for f in b.fact_ids}
    return sorted(base)[0] if base else ""


def gives_away(x: QuestionDraft, y: QuestionDraft) -> Said | str:
    """Why what a learner reads of x (its stem, options, feedback and evidence quotes) gives y's key
    away ("" when it does not)."""
    # A matching item's key is its pairs: a text naming both sides of one gives it away.
    for left, right in matching_pairs(y):
        texts = [x.stem, x.explanation, *(o.explanation for o in x.options)]
        if any(left.lower() in t.lower() and right.lower() in t.lower() for t in texts):
            return _("%(key)s names a pair of %(other)s", key=x.key, other=y.key)
    if _names_key(x.stem, key_texts(y)):
        return _("%(key)s names the key of %(other)s", key=x.key, other=y.key)
    # Feedback is read during the quiz too (immediate feedback): it must not give another
    # item's key. Only distinctive keys count here (a name, a date, a number of two digits or
    # more), or every "1" and "one" in an explanation would clash.
    # A "which sources report it?" key is a source's name, which feedback names freely.
    keys = key_texts(y) if y.template != "sources-agree" else []
    distinctive = [k for k in keys if (len(k) >= 4 and not k.isdigit()) or (k.replace(",", "").isdigit() and len(k) >= 2)]
    feedback = " ".join([x.explanation, *(o.explanation for o in x.options)])
    if distinctive and _names_key(feedback, distinctive):
        return _("the feedback of %(key)s names the key of %(other)s", key=x.key, other=y.key)
    # The feedback also shows x's evidence quotes: a quote that proves y's key, or y's figure
    # in any form ("nearly ten thousand" for 10,000; figures of two digits or more), gives it away.
    proof = {(e.source, e.quote) for e in y.evidence} & {(e.source, e.quote) for e in x.all_evidence}
    if proof:
        return _("%(key)s quotes what proves the key of %(other)s: %(quote)s", key=x.key, other=y.key, quote=repr(sorted(proof)[0][1][:60]))
    shown = " ".join([x.stem, feedback, *(e.quote for e in x.all_evidence)])
    for value in key_figures(y):
        if number_in(value, shown):
            return _("%(key)s shows the figure %(value)s that %(other)s asks for", key=x.key, value=f"{value:f}", other=y.key)
    return ""


def shown_before_answer(d: QuestionDraft) -> str:
    """What an item asserts before it is answered: its stem (a statement is part of it) and a matching
    item's left-hand items. Options are candidates, not assertions (a date among four, a figure a
    source may or may not give), and feedback and quotes come after the answer."""
    return " \n ".join([d.stem, *(o.text for o in d.options if o.side == "prompt")])


def key_dates(d: QuestionDraft) -> list[str]:
    """The ways a date item's key is written: '2011'; '5 January 2022', '5 January', 'January 5'."""
    if d.qtype != "date":
        return []
    out = []
    for text in _correct(d):
        if not DATE_LABEL.fullmatch(text):
            continue
        out.append(text)
        if m := re.fullmatch(r"(\d{1,2}) (\w+) \d{4}", text):
            out += [f"{m[1]} {m[2]}", f"{m[2]} {m[1]}"]
    return out


def asked_kind(d: QuestionDraft) -> str:
    """The kind of text a source-kind item keys ('live-report'; "" for any other item)."""
    if d.template != "source-kind":
        return ""
    by_label = {v: k for k, v in SOURCE_KIND_LABELS.items()}
    return next((by_label.get(t, "") for t in _correct(d)), "")


def bank_giveaway(x: QuestionDraft, y: QuestionDraft) -> Said | str:
    """Why what x asserts before it is answered (stem, statement, left-hand items) prints y's key, a
    figure, year or date ("" when it does not): in a bank served for practice any item may come first.
    A source-kind item's key is given away by any text a learner reads of x, its feedback too ("Meduza's
    33 comes from its live report", r11): only another source-kind item, whose options and feedback
    weigh kinds against each other about its own source, may name kinds."""
    kind = asked_kind(y)
    if kind and x.template != "source-kind":
        for where, text in _learner_texts(x):
            if word := kind_named(text, kind):
                return _(
                    "the %(where)s of %(key)s names the kind %(word)s that %(other)s asks",
                    where=place(where),
                    key=x.key,
                    word=repr(word),
                    other=y.key,
                )
    shown = shown_before_answer(x)
    for value in key_figures(y):
        if number_in(value, shown):
            return _("%(key)s shows the figure %(value)s that %(other)s asks for", key=x.key, value=f"{value:f}", other=y.key)
    for text in key_dates(y):
        if re.search(rf"(?<![\w,.]){re.escape(text)}(?![\w]|[,.]\d)", shown):
            return _("%(key)s shows the date %(value)s that %(other)s asks for", key=x.key, value=text, other=y.key)
    return ""


def bank_giveaways(drafts: list[QuestionDraft]) -> dict[str, Said | str]:
    """The items whose key another item of the bank prints before it is answered, with why. Taken in
    key order: an item already given away prints nothing that counts (it is not served), so of two
    items that give each other away only the first goes."""
    out: dict[str, Said | str] = {}
    for y in drafts:
        for x in drafts:
            # Two items on one fact (a figure asked of each source) show each other's figures by design:
            # they never sit in one quiz (quiz-same-fact), and each asks which source gives which.
            if x is not y and x.key not in out and not same_fact(x, y) and (why := bank_giveaway(x, y)):
                out[y.key] = why
                break
    return out


def item_dangling_quotes(d: QuestionDraft) -> list[str]:
    """The item's evidence quotes (its own, each option's) that open by pointing back to what they do not
    show ("The city’s police chief ...", "and declared ..."): the learner cannot check the stem's place or
    actor from them. The data extends such a quote back to the sentence naming the referent."""
    return [q for evidence in [d.evidence, *(o.evidence for o in d.options)] for q in dangling_quotes(evidence, ANAPHORIC)]


def check_dangling_quotes(d: QuestionDraft) -> list[Finding]:
    return [
        Finding("dangling-quote", d.template, d.key, _("a quote points back to something it does not show: %(quote)s", quote=repr(q[:60])))
        for q in item_dangling_quotes(d)
    ]


def check_disagree_scope(d: QuestionDraft, facts: Facts) -> list[Finding]:
    """ "The sources give more than one figure for X" says the figures count one thing: only where the data
    says they count the same scope (FigureFact.one_scope); otherwise the stem asks plainly (r10)."""
    if d.qtype != "sources_disagree" or "more than one figure" not in d.stem:
        return []
    figs = [facts.figures[f.removeprefix("figure:")] for f in d.fact_ids if f.removeprefix("figure:") in facts.figures]
    if any(not fig.one_scope for fig in figs):
        return [
            Finding(
                "disagree-scope",
                d.template,
                d.key,
                _("the stem says the sources give more than one figure, but the data does not say they count one scope"),
            )
        ]
    return []


def check_bank_giveaways(drafts: list[QuestionDraft]) -> list[Finding]:
    """No item's key (figure, year, date) printed in another item's stem or statement."""
    by_key = {d.key: d for d in drafts}
    return [Finding("bank-giveaway", by_key[k].template, k, why) for k, why in bank_giveaways(drafts).items()]


def quiz_conflict(a: QuestionDraft, b: QuestionDraft) -> Said | str:
    """Why two items must not sit in one quiz ("" when they may): the same fact, or what a learner
    reads of one (stem, feedback, evidence quotes) giving the other's key. Both ways: a quiz may be
    shuffled, and its stems are all shown before any feedback."""
    fact = same_fact(a, b)
    if fact:
        return _("same fact %(fact)s", fact=fact)
    return gives_away(a, b) or gives_away(b, a)


def later_conflict(earlier: QuestionDraft, later: QuestionDraft) -> Said | str:
    """Why `later` must not come in a later quiz of the module that showed `earlier` ("" when it may):
    the same fact, or `earlier` giving `later`'s key (the other way round is no giveaway: `earlier`
    was answered first)."""
    fact = same_fact(earlier, later)
    return _("same fact %(fact)s", fact=fact) if fact else gives_away(earlier, later)


def key_figures(d: QuestionDraft) -> list[Decimal]:
    """The figures a learner answers with (a numeric key, a keyed figure option) of two digits or more:
    smaller ones ("two", "five") are in too many sentences to give anything away."""
    values = [Decimal(str(d.answer["value"]))] if d.qtype == "numeric" and "value" in d.answer else []
    if d.qtype == "sources_disagree":  # figure options; a date item's "2019" or "16 February" is no figure
        values += [got[1] for o in d.options if o.correct and (got := _number_of(o.text)) is not None]
    return [v for v in values if v >= 10]


# Matching shows a dropdown per item (on a phone, one line): each right-hand item stays short.
MATCH_CHOICE_MAX = 24
DATE_LABEL = re.compile(rf"\d{{1,2}} (?:{'|'.join(MONTHS)}) \d{{4}}|(?:{'|'.join(MONTHS)} )?\d{{4}}")
DATE_TEXT = re.compile(rf"\b(?:{'|'.join(MONTHS)})\b|\b\d{{4}}\b")


def matching_pairs(d: QuestionDraft) -> list[tuple[str, str]]:
    """A matching item's key as (left-hand text, right-hand text) pairs."""
    by_id = {o.id: o.text for o in d.options}
    pairs = d.answer.get("pairs", {}) if d.qtype == "matching" else {}
    return [(by_id[p], by_id[c]) for p, c in sorted(pairs.items()) if p in by_id and c in by_id]


def check_matching(d: QuestionDraft) -> list[Finding]:
    """A matching item: 3 or 4 pairs, short and distinct right-hand items, at least one more than
    the pairs (no last pair by elimination); left-hand items listed neither in their keys' order nor
    its reverse; no left-hand item or stem naming a right-hand one (or, for dates, any date); and
    every pair's right-hand item stated by a quote of its left-hand item."""
    if d.qtype != "matching":
        return []
    out: list[Finding] = []

    def flag(rule: str, detail: str) -> None:
        out.append(Finding(rule, d.template, d.key, detail))

    prompts = [o for o in d.options if o.side == "prompt"]
    choices = [o for o in d.options if o.side == "choice"]
    pairs = d.answer.get("pairs", {})
    if not 3 <= len(prompts) <= 4:
        flag("matching-pairs", ngettext("%(n)d pair (3 or 4 make an item)", "%(n)d pairs (3 or 4 make an item)", len(prompts)))
    if len(choices) <= len(prompts):
        flag("matching-pairs", _("no spare right-hand item: the last pair follows by elimination"))
    texts = [c.text for c in choices]
    if len(set(texts)) != len(texts) or len(set(pairs.values())) != len(pairs):
        flag("matching-pairs", _("two left-hand items share a right-hand item, or two right-hand items read the same"))
    for c in choices:
        if len(c.text) > MATCH_CHOICE_MAX:
            flag("matching-pairs", _("right-hand item longer than %(n)d characters: %(text)s", n=MATCH_CHOICE_MAX, text=repr(c.text)))
    # In the order the learner sees the left-hand items (not the key's dict order).
    choice_ids = [c.id for c in choices]
    order = [choice_ids.index(pairs[p.id]) for p in prompts if pairs.get(p.id) in choice_ids]
    if len(order) >= 3 and (order == sorted(order) or order == sorted(order, reverse=True)):
        flag("matching-pairs", _("left-hand items listed in the order of their keys"))
    dates = bool(texts) and all(DATE_LABEL.fullmatch(t) for t in texts)
    for where, text in [("stem", d.stem), *(("left-hand item", p.text) for p in prompts)]:
        if any(len(t) >= 4 and t.lower() in text.lower() for t in texts) or (dates and DATE_TEXT.search(text)):
            flag("stem-key-overlap", _("the %(where)s names a right-hand item or a date: %(text)s", where=place(where), text=repr(text)))
    by_id = {o.id: o for o in d.options}
    for p, c in pairs.items():
        prompt, choice = by_id.get(p), by_id.get(c)
        if prompt is None or choice is None:
            continue
        quotes = " \n ".join(e.quote for e in prompt.evidence)
        if not prompt.evidence:
            flag("evidence-support", _("no evidence for the pair %(item)s", item=repr(prompt.text)))
        elif dates and not _date_supported(choice.text, quotes, prompt.explanation):
            flag("evidence-support", _("no quote of %(item)s dates it %(choice)s", item=repr(prompt.text), choice=repr(choice.text)))
        elif not dates and choice.text.lower() not in quotes.lower():
            flag("evidence-support", _("no quote of %(item)s gives %(choice)s", item=repr(prompt.text), choice=repr(choice.text)))
    return out


def audit_quiz(drafts: list[QuestionDraft], quiz: str = "") -> list[Finding]:
    """Items of one quiz: never two on the same fact, never one naming another's key."""
    out = []
    for i, a in enumerate(drafts):
        for b in drafts[i + 1 :]:
            why = quiz_conflict(a, b)
            if why:
                rule = "quiz-same-fact" if why.startswith("same fact") else "quiz-giveaway"
                out.append(Finding(rule, a.template, f"{quiz}:{a.key}" if quiz else a.key, _("with %(key)s: %(why)s", key=b.key, why=why)))
    return out


def audit_module(quizzes: list[list[QuestionDraft]], module: str = "") -> list[Finding]:
    """Quizzes of one module, in their order: no item of a later quiz on a fact an earlier quiz asked,
    or whose key an earlier quiz's stems, feedback or quotes gave away (each quiz by itself: audit_quiz)."""
    out = []
    for i, quiz in enumerate(quizzes):
        for earlier in (d for q in quizzes[:i] for d in q):
            for d in quiz:
                why = later_conflict(earlier, d)
                if why:
                    rule = "quiz-same-fact" if why.startswith("same fact") else "quiz-giveaway"
                    out.append(
                        Finding(
                            rule,
                            d.template,
                            f"{module}:{d.key}" if module else d.key,
                            _("after %(key)s: %(why)s", key=earlier.key, why=why),
                        )
                    )
    return out


def summary(findings: list[Finding]) -> dict[str, Counter[str]]:
    """Counts per rule, per template."""
    out: dict[str, Counter[str]] = {r: Counter() for r in RULES}
    for f in findings:
        out.setdefault(f.rule, Counter())[f.template] += 1
    return out


# --- rules from the third blind review: display order, date ranks, figure distractors, sentences ---

# A reference-list, bibliography or footnote line: it shows nothing by itself.
CITATION_LINE = re.compile(
    r"https?://|www\.|\bdoi:|\b(?:Retrieved|Accessed|Archived)\b|\bibid\b|^\s*\[?\d{1,3}[\].]?\s+[A-Z“\"]"
    r"|[,.]\s*[”\"]\s*[A-Z][\w.&’' -]{1,60},\s+(?:(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s+\d{1,2},\s+)?\d{4}\b"
    r"|,\s*[”\"]?\s*(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2},\s+\d{4},?\s*$",
    re.M,
)
QUALIFIER_TEXT = re.compile(r"^(about|approximately|around|nearly|almost|at least|more than|over|less than|fewer than|under|some)\s+", re.I)
SIMPLE_RATIOS = (2, 3, 4, 5, 10, 100, 1000)
# Hedges that bound a figure from below or above (as data qualifiers and as option wording).
LOWER_BOUNDS = {"at_least", "more_than", "over", "at least", "more than"}
UPPER_BOUNDS = {"less_than", "less than", "fewer than", "under"}
AUXILIARIES = re.compile(
    r"\b(?:is|are|was|were|be|been|being|has|have|had|do|does|did|will|would|can|could|may|might|must|shall|should)\b", re.I
)
# Wording that rules speakers in or out by gender or by standing, when the options are people.
GENDER_WORDS = re.compile(
    r"\b(?:spokes(?:wo)?man|chair(?:wo)?man|business(?:wo)?man|congress(?:wo)?man|(?:wo)?man|Mrs?|Ms|Madam|Sir|king|queen|"
    r"prince(?:ss)?|widow(?:er)?|wife|husband|mother|father|son|daughter|brother|sister)\b",
    re.I,
)
# Finite verbs without -s or -ed: a statement with one of them is a sentence.
IRREGULAR_PAST = set(
    re.findall(
        r"\w+",
        "began became broke brought came fell fled fought gave went grew held kept led left lost made met paid ran rose said "
        "sent spread stood struck took told thought threw won wrote sought saw shot cut hit put let shut sat sold hid bore "
        "drove flew forbade forgave froze knew lay rode rang sang slid spoke stole swore swept tore woke wore",
    )
)
STATEMENT_STOP = {
    "with",
    "from",
    "that",
    "this",
    "they",
    "their",
    "against",
    "were",
    "was",
    "have",
    "been",
    "into",
    "also",
    "over",
    "some",
    "more",
    "than",
    "after",
    "during",
    "began",
    "begin",
    "begins",
    "start",
    "started",
    "starts",
    "other",
    "them",
    "there",
    "which",
    "while",
}


def citation_line(quote: str) -> bool:
    """Whether a quote is a reference-list, bibliography or footnote line (a cited article's
    title, outlet and date; a link; a numbered note): it shows nothing by itself."""
    return bool(CITATION_LINE.search(quote))


@functools.lru_cache(maxsize=4096)
def content_words(text: str) -> frozenset[str]:
    """A statement's content words, by their first five letters (so "cancelled" meets "canceled").
    Cached: every claim is held against the same source sentences."""
    return frozenset(w.lower()[:5] for w in re.findall(r"[A-Za-z]{4,}", text) if w.lower() not in STATEMENT_STOP)


def quote_states(quote: str, statement: str) -> bool:
    """Whether a quote states the whole proposition: it holds every content word of the statement
    (one in five may be missing, for longer statements), never only half of it. A citation line
    states nothing."""
    if citation_line(quote):
        return False
    words = content_words(statement)
    missing = words - content_words(quote)
    return len(words) >= 2 and len(missing) <= len(words) // 5


def headline_style(text: str) -> bool:
    """A headline, not a sentence: no auxiliary and no finite verb but a bare participle
    ("Flights at Almaty airport cancelled", "President's residence seized"), or a noun phrase."""
    words = re.findall(r"[A-Za-z’'-]+", text)
    if len(words) < 3:
        return True
    if AUXILIARIES.search(text):
        return False
    # A finite verb in the simple present or past: a word after the subject ending in -s or -ed
    # is taken as one only when it is not the last word (a headline's bare participle ends it).
    last = words[-1].lower()
    if last.endswith("ed") or last in {"seized", "held", "shot", "cut", "set", "hit", "begun", "done", "made"}:
        return True
    return not any(re.fullmatch(r"[a-z]+(?:s|ed)", w) or w in IRREGULAR_PAST for w in words[1:])


def _number_of(text: str) -> tuple[str, Decimal] | None:
    """An option's figure: its hedge ("about", "more than", "" exact) and its number."""
    qual = QUALIFIER_TEXT.match(text.strip())
    rest = text.strip()[qual.end() :] if qual else text.strip()
    m = re.match(r"(\d[\d,]*(?:\.\d+)?)\b", rest)
    if not m:
        return None
    return ((qual.group(1).lower() if qual else ""), Decimal(m.group(1).replace(",", "")))


def simple_ratio(a: Decimal, b: Decimal) -> bool:
    """Whether one number is a simple multiple or fraction of the other (x2, x3, x10, half ...)."""
    if a <= 0 or b <= 0:
        return False
    r = max(a, b) / min(a, b)
    return any(abs(r - k) <= Decimal("0.02") * k for k in SIMPLE_RATIOS)


def check_order_display(d: QuestionDraft) -> list[Finding]:
    """An ordering item never shows its events in the key's order or its reverse (the display
    order is the stored options' order, which the player, the exports and the review show)."""
    if d.qtype != "ordering":
        return []
    shown = [o.id for o in d.options]
    key = list(d.answer.get("order", []))
    if len(key) >= 2 and shown in (key, key[::-1]):
        how = _("events shown in the key's order") if shown == key else _("events shown in the reverse of the key's order")
        return [Finding("order-display", d.template, d.key, how)]
    return []


def check_order_period(d: QuestionDraft, facts: Facts) -> list[Finding]:
    """An ordering set's events lie within one period (Facts.one_period): a set mixing background years with the
    episode's own days is ordered by its wording alone (the state's founding first, the crisis day last)."""
    if d.qtype != "ordering":
        return []
    events = [facts.events[f.partition(":")[2]] for f in d.fact_ids if f.startswith("event:") and f.partition(":")[2] in facts.events]
    if facts.one_period(events):
        return []
    years = sorted({e.date.year for e in events})
    return [
        Finding(
            "order-period",
            d.template,
            d.key,
            _("the set mixes periods (%(years)s): its order follows from the wording", years=", ".join(str(y) for y in years)),
        )
    ]


def _date_value(text: str) -> datetime | None:
    for fmt in ("%d %B %Y", "%B %Y", "%Y"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def check_date_rank(drafts: Iterable[QuestionDraft]) -> list[Finding]:
    """Over a template's date items, the key's rank among the options in calendar order is
    balanced (first, last or between equally often), so a learner cannot pick the middle date;
    and no item's dates leave the key alone by a gap (the odd one out)."""
    groups: dict[tuple[str, int], list[tuple[QuestionDraft, int]]] = defaultdict(list)
    out = []
    for d in drafts:
        if d.qtype != "date":
            continue
        values = [_date_value(o.text) for o in d.options]
        dated = [(v, o.correct) for v, o in zip(values, d.options, strict=True) if v is not None]
        if not dated or len(dated) != len(values) or sum(ok for _, ok in dated) != 1:
            continue
        ranked = sorted(dated, key=lambda p: p[0])
        rank = next(i for i, (_, ok) in enumerate(ranked) if ok)
        groups[(d.template, len(dated))].append((d, rank))
        gaps = [(b[0] - a[0]) for a, b in zip(ranked, ranked[1:], strict=False)]
        # The key at an end with a wider gap to its neighbour than any other gap stands apart.
        if len(gaps) >= 2 and ((rank == 0 and gaps[0] > max(gaps[1:])) or (rank == len(ranked) - 1 and gaps[-1] > max(gaps[:-1]))):
            out.append(Finding("date-rank", d.template, d.key, _("the key stands apart from the other dates by a gap")))
    for (template, n), items in groups.items():
        if len(items) < n:
            # Too few to balance, but a learner who always rules out the earliest and latest date must
            # not win every one: some key sits at an end (r11: three keys, all inside their window).
            if n > 2 and len(items) >= 2 and all(0 < r < n - 1 for _, r in items):
                out += [
                    Finding("date-rank", template, d.key, _("no key of these date items is the earliest or latest option"))
                    for d, _r in items
                ]
            continue
        counts = Counter(r for _, r in items)
        expected = len(items) / n
        slack = max(1.5, 0.25 * expected)
        over = [r for r in range(n) if counts[r] > expected + slack]
        under = [r for r in range(n) if counts[r] < expected - slack]
        middle = sum(counts[r] for r in range(1, n - 1))
        too_middle = n > 2 and middle > (n - 2) / n * len(items) + slack
        if over or under or too_middle:
            shown = ", ".join(f"{r + 1}:{counts[r]}" for r in range(n))
            out += [
                Finding("date-rank", template, d.key, _("key's calendar rank %(rank)d; ranks %(ranks)s", rank=r + 1, ranks=shown))
                for d, r in items
            ]
    return out


def check_figure_distractors(d: QuestionDraft, facts: Facts) -> list[Finding]:
    """Figure options: a made-up figure is hedged like the key ("about 8,000" beside "about
    10,000") and is no simple multiple or fraction of the key or of a reported figure."""
    if d.qtype not in CHOICE_TYPES:
        return []
    reported: set[Decimal] = set()
    for fid in d.fact_ids:
        kind, _sep, slug = fid.partition(":")
        fig = facts.figures.get(slug.split("#")[0]) if kind == "figure" else None
        if fig is not None:
            reported |= {r.number for r in fig.reports if r.number is not None}
    if not reported:
        return []
    keyed = [_number_of(o.text) for o in d.options if o.correct]
    if len(keyed) != 1 or keyed[0] is None:
        return []
    hedge, key_value = keyed[0]
    out = []
    # Every figure option in one form: digits (a "One region" among "2 regions", "3 regions" stands out).
    worded = [o.text for o in d.options if _number_of(o.text) is None]
    if worded:
        out.append(
            Finding(
                "distractor-hedge",
                d.template,
                d.key,
                _("%(option)s is not written in digits like the other options", option=repr(worded[0])),
            )
        )
    for o in d.options:
        got = _number_of(o.text)
        if o.correct or got is None or got[1] in reported:
            continue
        if got[0] != hedge:
            out.append(
                Finding(
                    "distractor-hedge",
                    d.template,
                    d.key,
                    _("%(option)s is not hedged like the key (%(hedge)s)", option=repr(o.text), hedge=hedge or "exact"),
                )
            )
        if (hedge in LOWER_BOUNDS and got[1] < key_value) or (hedge in UPPER_BOUNDS and got[1] > key_value):
            out.append(
                Finding(
                    "distractor-hedge",
                    d.template,
                    d.key,
                    _("%(option)s follows from the key %(hedge)s %(value)s", option=repr(o.text), hedge=hedge, value=key_value),
                )
            )
        if key_value >= 10 and any(simple_ratio(got[1], v) for v in reported):
            out.append(
                Finding(
                    "distractor-hedge",
                    d.template,
                    d.key,
                    _("%(option)s is a simple multiple or fraction of a reported figure", option=repr(o.text)),
                )
            )
    return out


def _sentence(source_text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence of a source text that holds the span start..end (its bounds)."""
    head = max((m.end() for m in re.finditer(r"[.!?][”\"’)]*\s+|\n", source_text[:start])), default=0)
    tail = re.search(r"[.!?](?=[”\"’)]*\s|[”\"’)]*$)|\n", source_text[max(end - 1, start) :])
    return head, (max(end - 1, start) + tail.end()) if tail else len(source_text)


def number_sentences(d: QuestionDraft, facts: Facts | None) -> set[tuple[str, int]]:
    """The source sentences a number item's figure is read from (source, sentence start): for a
    'what figure does X give?' item, the keyed version's quotes."""
    if d.qtype == "numeric":
        evidence = list(d.evidence)
    elif d.qtype == "sources_disagree":
        evidence = [e for o in d.options if o.correct for e in o.evidence]
    else:
        return set()
    out = set()
    for e in evidence:
        src = facts.sources.get(e.source) if facts is not None else None
        if src is not None and src.text and src.text[e.start : e.end] == e.quote:
            out.add((e.source, _sentence(src.text, e.start, e.end)[0]))
        else:
            out.add((e.source, hash(e.quote)))
    return out


def check_one_number_per_sentence(drafts: Iterable[QuestionDraft], facts: Facts | None = None) -> list[Finding]:
    """At most one number item per source sentence: two quantities read from one sentence give
    each other away, or test the same reading."""
    seen: dict[tuple[str, int], str] = {}
    out = []
    for d in sorted(drafts, key=lambda d: d.key):
        spots = number_sentences(d, facts)
        clash = next((seen[s] for s in spots if s in seen), None)
        if clash:
            out.append(Finding("one-number-per-sentence", d.template, d.key, _("read from the same sentence as %(key)s", key=clash)))
            continue
        for s in spots:
            seen[s] = d.key
    return out


def statement_of(d: QuestionDraft) -> str:
    """The statement a fact-or-claim stem quotes."""
    m = re.search(r"“([^”]*)”", d.stem)
    return m.group(1) if m else ""


def check_statement(d: QuestionDraft, facts: Facts | None) -> list[Finding]:
    """A fact-or-claim statement is a full declarative sentence, never an event's headline title."""
    if d.template != "fact-or-claim":
        return []
    said = statement_of(d)
    titles = {e.title.rstrip(".").lower() for e in facts.events.values()} if facts is not None else set()
    if said.rstrip(".").lower() in titles:
        return [Finding("headline-statement", d.template, d.key, _("the statement is an event's title: %(text)s", text=repr(said)))]
    if headline_style(said):
        return [Finding("headline-statement", d.template, d.key, _("a headline, not a sentence: %(text)s", text=repr(said)))]
    return []


def check_citation_evidence(d: QuestionDraft) -> list[Finding]:
    """No reference-list, bibliography or footnote line as evidence."""
    return [
        Finding("citation-evidence", d.template, d.key, _("a citation line as evidence: %(quote)s", quote=repr(e.quote[:60])))
        for e in d.all_evidence
        if citation_line(e.quote)
    ]


def check_speaker_wording(d: QuestionDraft, facts: Facts) -> list[Finding]:
    """With people as options, the stem neither names a gender (spokeswoman, Mr, she ...) nor a
    post that not every option's person holds (a "president" among ministers)."""
    by_name = {n: e for e in facts.entities.values() for n in e.names}
    ents = [by_name.get(o.text) for o in d.options if o.side != "prompt"]
    if d.qtype not in CHOICE_TYPES or not ents or not all(ents) or not any(e and e.kind == "person" for e in ents):
        return []
    out = []
    stem = _unquoted(d.stem)
    gender = GENDER_WORDS.search(stem)
    if gender:
        out.append(Finding("speaker-wording", d.template, d.key, _("the stem names a gender: %(word)s", word=repr(gender.group(0)))))
    role_words = {w.lower() for e in ents if e for r in e.roles for w in re.findall(r"[A-Za-z]{4,}", r.core)} - STOP
    for word in sorted(role_words):
        if re.search(rf"\b{word}\b", stem, re.I):
            holders = [e for e in ents if e and any(word in r.core for r in e.roles)]
            if len(holders) != len(ents):
                out.append(
                    Finding("speaker-wording", d.template, d.key, _("the stem's post %(word)s fits only some options", word=repr(word)))
                )
    return out


# Source kinds as options read: each defined so that no two overlap (docs/question-bank.md).
SOURCE_KIND_LABELS = {
    "live-report": "A live report, updated as events unfolded",
    "news-report": "A news report, written once and not updated",
    "analysis": "An analysis, arguing a view of the events",
    "think-tank-paper": "A think-tank paper, by a research institute",
    "journalist-analysis": "An analysis by a newspaper or magazine journalist",
    "student-paper": "A student paper, written for a course",
    "reposted-report": "A report reposted from another site",
}
# Kinds defined by who made the text: offered as wrong only when the text names its producer.
PRODUCER_KINDS = {"think-tank-paper", "journalist-analysis", "student-paper"}
# The genre nearest each kind: always among the options, so the key is not the odd one out.
NEAREST_KIND = {"live-report": "news-report", "think-tank-paper": "journalist-analysis", "analysis": "news-report"}


def check_source_kind_options(d: QuestionDraft, facts: Facts) -> list[Finding]:
    """A source-kind item offers only labels that do not overlap, always the key's nearest genre,
    and never a producer-defined kind as wrong for a text that does not name its producer."""
    if d.template != "source-kind":
        return []
    by_label = {v: k for k, v in SOURCE_KIND_LABELS.items()}
    kinds = [(by_label.get(o.text), o.correct) for o in d.options]
    out = []
    unknown = [o.text for o in d.options if o.text not in by_label]
    if unknown:
        out.append(
            Finding(
                "source-kind-options", d.template, d.key, _("a label not defined to exclude the others: %(label)s", label=repr(unknown[0]))
            )
        )
    key = next((k for k, ok in kinds if ok), None)
    if key in NEAREST_KIND and NEAREST_KIND[key] not in [k for k, _ in kinds]:
        out.append(
            Finding(
                "source-kind-options",
                d.template,
                d.key,
                _("the nearest genre to %(kind)s (%(nearest)s) is not offered", kind=key, nearest=NEAREST_KIND[key]),
            )
        )
    slug = next((f.split(":", 1)[1] for f in d.fact_ids if f.startswith("source:")), "")
    src = facts.sources.get(slug)
    if src is not None and not (src.outlet or src.author):
        for k, ok in kinds:
            if k in PRODUCER_KINDS and not ok:
                out.append(
                    Finding(
                        "source-kind-options", d.template, d.key, _("%(kind)s offered as wrong, but the text names no producer", kind=k)
                    )
                )
    return out


def check_same_figure(drafts: Iterable[QuestionDraft]) -> list[Finding]:
    """No two number items with the same figure as their answer (for different quantities they
    invite a mix-up; for the same one they repeat)."""
    seen: dict[Decimal, str] = {}
    out = []
    for d in sorted(drafts, key=lambda d: d.key):
        if d.qtype != "numeric" or "value" not in d.answer:
            continue
        value = Decimal(str(d.answer["value"]))
        if value in seen:
            out.append(Finding("same-figure", d.template, d.key, _("the same figure as %(key)s", key=seen[value])))
        else:
            seen[value] = d.key
    return out


# A made-up wrong figure's feedback says no source gives it; a figure of ten or more must then be in
# no source's text at all (a learner who remembers "fifteen" from another passage is not told it is
# not there). Small counts (one, two ...) are in every text as words, and are not checked.
INVENTED_FEEDBACK = "no source gives this figure"
_OPTION_NUMBER = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\d,.])\d+(?![\d,])")


def invented_figure_in_sources(value: Decimal, facts: Facts) -> str | None:
    """The slug of a source whose text writes this number (digits or words), if any, for values of ten or more."""
    if value < 10:
        return None
    return next((slug for slug, src in sorted(facts.sources.items()) if src.text and number_in(value, src.text)), None)


def check_invented_figures(drafts: Iterable[QuestionDraft], facts: Facts | None) -> list[Finding]:
    """A wrong option offered as a figure no source gives is written in no source."""
    if facts is None:
        return []
    out = []
    for d in drafts:
        for o in d.options:
            if o.correct or INVENTED_FEEDBACK not in o.explanation.lower():
                continue
            for m in _OPTION_NUMBER.findall(o.text):
                slug = invented_figure_in_sources(Decimal(m.replace(",", "")), facts)
                if slug:
                    out.append(
                        Finding(
                            "invented-figure",
                            d.template,
                            d.key,
                            _(
                                "%(option)s is said to be in no source, but %(source)s writes %(number)s",
                                option=repr(o.text),
                                source=slug,
                                number=m,
                            ),
                        )
                    )
    return out


# --- a wrong option the data supports as true too --------------------------------------------

_DAY_IN_TEXT = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)? ({'|'.join(MONTHS)})(?:,? (\d{{4}}))?\b"
    rf"|\b({'|'.join(MONTHS)}) (\d{{1,2}})(?:st|nd|rd|th)?\b(?:,? (\d{{4}}))?"
)
# An option that is true whenever another is: "Both", "Either of them", "All of the above".
BOTH_OPTION = re.compile(r"^(?:both\b|either\b|all of (?:the above|these|them)\b|any of (?:the above|these|them)\b)", re.I)


def days_in(text: str, year: int) -> set[date]:
    """Every day a text states ('7 January', 'January 7, 2022'); a day without a year is in `year`."""
    out = set()
    for m in _DAY_IN_TEXT.finditer(text):
        day, month, y = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(5), m.group(4), m.group(6))
        try:
            out.add(date(int(y) if y else year, MONTHS.index(month) + 1, int(day)))
        except ValueError:
            continue
    return out


def supported_days(ev: EventFact, facts: Facts) -> set[date]:
    """Every day the data lets the event have happened on: each day of its span (a day, or date to
    date_end), and each day stated by a quote of it or by a dispute about it (quotes and accounts)."""
    out: set[date] = set()
    if ev.precision == "day":
        out |= {ev.date + timedelta(days=i) for i in range((ev.latest - ev.date).days + 1)}
    texts = [e.quote for e in ev.evidence]
    for dispute in facts.disputes.values():
        if ev.slug in dispute.events:
            texts += [a.account for a in dispute.accounts] + [e.quote for a in dispute.accounts for e in a.evidence]
    for text in texts:
        out |= days_in(text, ev.date.year)
    return out


def supported_years(ev: EventFact) -> set[int]:
    """The years the event's span covers (a year item's wrong options must lie outside it)."""
    return set(range(ev.date.year, ev.latest.year + 1))


def same_giver(key: ReportFact, other: ReportFact) -> bool:
    """Whether a stem naming the key report's giver (its sources, and its speaker if any) names the
    other report's giver too: then the other's figure is also an answer to "what does X give?"."""
    if not set(key.sources) & set(other.sources):
        return False
    return key.reported_by is None or key.reported_by == other.reported_by


# A sentence that attributes what it reports to someone else does not state it as fact.
ATTRIBUTED = re.compile(
    r"\b(?:said|says|say|saying|claim(?:s|ed)?|reportedly|according to|told|reports?|reported|announced|allegedly|"
    r"rumou?rs?|unconfirmed|speculat\w*|described|called|accused|blamed|argu\w*|believes?)\b",
    re.I,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[.!?][”\"’)])\s+|\n+")


def own_voice_sentences(facts: Facts, statement: str) -> list[tuple[str, str]]:
    """(source, sentence) for every sentence of a source's text that states the whole statement in the
    source's own voice (attributing it to no one): there, "an established fact" is defensible too."""
    if not statement:
        return []
    out = []
    for slug, src in facts.sources.items():
        for sentence in _SENTENCE_END.split(src.text):
            if not ATTRIBUTED.search(sentence) and quote_states(sentence, statement):
                out.append((slug, sentence.strip()))
    return out


def check_also_true(d: QuestionDraft, facts: Facts) -> list[Finding]:
    """No wrong option that the data supports as true too, unless the stem tells them apart: a
    day the event's span or a quote of it (or a dispute about it) gives; a figure the same source
    and speaker also give; a "both"/"either"/"all of the above" option beside a single key; a
    true/false item keyed False on a day the data gives for the event."""
    out: list[Finding] = []

    def flag(detail: str) -> None:
        out.append(Finding("distractor-also-true", d.template, d.key, detail))

    wrong = [o for o in d.options if not o.correct and o.side != "prompt"]
    if d.qtype in CHOICE_TYPES and QTYPES[d.qtype].single_key:
        for o in wrong:
            if BOTH_OPTION.match(o.text.strip()):
                flag(_("%(option)s is true whenever another option is", option=repr(o.text)))
    events = [facts.events[f.split(":", 1)[1]] for f in d.fact_ids if f.startswith("event:") and f.split(":", 1)[1] in facts.events]
    if d.qtype == "date" and len(events) == 1:
        ev = events[0]
        days, years = supported_days(ev, facts), supported_years(ev)
        for o in wrong:
            when = _date_value(o.text)
            if when is None:
                continue
            as_year = ev.precision == "year" and re.fullmatch(r"\d{4}", o.text.strip()) is not None
            if (as_year and when.year in years) or (ev.precision == "day" and when.date() in days):
                flag(_("the data supports %(option)s for %(event)s too", option=repr(o.text), event=ev.slug))
    if d.qtype == "true_false" and len(events) == 1 and any(o.correct and o.text == "False" for o in d.options):
        ev = events[0]
        for stated in days_in(_unquoted(d.stem), ev.date.year):
            if stated in supported_days(ev, facts):
                flag(_("keyed False, but the data gives %(date)s for %(event)s", date=stated.isoformat(), event=ev.slug))
    if d.qtype == "matching":
        by_title = {e.title.rstrip("."): e for e in facts.events.values()}
        choices = [o.text for o in d.options if o.side == "choice"]
        for left, right in matching_pairs(d):
            paired = by_title.get(left.rstrip("."))
            if paired is None:
                continue
            days = supported_days(paired, facts)
            for text in choices:
                when = _date_value(text)
                if text != right and when is not None and when.date() in days:
                    flag(_("the data supports %(option)s for %(event)s too", option=repr(text), event=repr(left)))
    if d.template == "fact-or-claim" and any(f.startswith("claim:") for f in d.fact_ids):
        said = re.search(r"“([^”]*)”", d.stem)
        for slug, sentence in own_voice_sentences(facts, said.group(1) if said else ""):
            flag(_("keyed a claim, but %(source)s states it in its own voice: %(sentence)s", source=slug, sentence=repr(sentence[:60])))
    if d.qtype == "sources_disagree":
        m = re.search(r"figure/([^#]+)#(\d+)$", d.key)
        fig = facts.figures.get(m.group(1)) if m else None
        if m and fig is not None and int(m.group(2)) < len(fig.reports):
            keyed = fig.reports[int(m.group(2))]
            # Another source's figure is a fair wrong option only while the stem names whose figure it asks for.
            givers = [facts.sources[s].citation for s in keyed.sources if s in facts.sources]
            if keyed.reported_by in facts.entities:
                givers += list(facts.entities[keyed.reported_by].names)
            named = any(g.lower().removeprefix("the ") in d.stem.lower() for g in givers)
            for o in wrong:
                got = _number_of(o.text)
                if got is None:
                    continue
                for r in fig.reports:
                    if r is keyed or r.number != got[1] or r.number == keyed.number:
                        continue
                    if same_giver(keyed, r):
                        flag(_("%(option)s is a figure the stem's source gives too", option=repr(o.text)))
                    elif not named:
                        flag(
                            _("%(option)s is another source's figure, and the stem names no source to tell them apart", option=repr(o.text))
                        )
    return out
