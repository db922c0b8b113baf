"""Quiz export to the two formats Moodle (and most other LMSs) import: Moodle XML and GIFT.

Both are written from one neutral form (`_Item`), so the two files always carry the same
questions, answers, grades and feedback. Texts are written as HTML (escaped from our plain text),
so the general feedback can list the evidence quotes, each with its source: evidence is the point
of this app, and a teacher who imports the quiz gets it too.

How our types map (each type names its mapping in quizzes/qtypes/, BUILDERS below builds it):
- single and the other one-answer choices (date, attribution, sources_disagree, cause_effect):
  multichoice with one right answer (GIFT {=right ~wrong}).
- multi: multichoice, several answers; each right option +100/n, each wrong one -100/n (n right
  options), the same partial credit as quizzes.scoring (right picks minus wrong picks, floored at 0).
- true_false: truefalse (GIFT {TRUE} / {FALSE}).
- numeric: numerical with the same absolute tolerance as scoring (GIFT {#33:0}).
- matching: matching (GIFT {=prompt -> choice}); choices that answer no prompt become distractors.
- ordering: Moodle has no ordering type in every install (qtype_ordering is a plugin), so it is
  exported as matching: each position ("1st", "2nd", ...) is paired with the event that goes there,
  and the question text says so.
"""

from __future__ import annotations

import hashlib
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse

from quizzes.dates import date_label
from quizzes.models import Passage, Question, Quiz, QuizQuestion
from quizzes.models.sources import Source
from quizzes.qtypes import QTYPES
from quizzes.sources.quotes import shown_quote

FORMATS = {
    # fmt: (file suffix, content type)
    "moodle": (".xml", "application/xml; charset=utf-8"),
    "gift": (".gift.txt", "text/plain; charset=utf-8"),
}
NAME_MAX = 60
# Characters XML 1.0 cannot carry at all; dropped rather than producing a file Moodle refuses.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Moodle's own GIFT writer (qformat_gift::repchar) escapes exactly these; newlines become \n.
_GIFT_SPECIAL = re.compile(r"([\\~=#{}:])")
_FACT_KIND = re.compile(r"\b(?:event|entity|claim|figure|link|dispute|source)/")


@dataclass
class _Answer:
    text: str  # HTML
    fraction: float  # percent, as Moodle writes it: 100, 50, -33.33333, 0
    feedback: str = ""  # HTML


@dataclass
class _Item:
    """One question in the shape both formats share."""

    moodle_type: str  # Moodle's: multichoice, truefalse, numerical, matching
    key: str
    source_qtype: str
    name: str
    text: str  # HTML
    general_feedback: str  # HTML: explanation and evidence
    single: bool = True
    answers: list[_Answer] = field(default_factory=list)
    # truefalse
    correct_true: bool = True
    feedback_true: str = ""
    feedback_false: str = ""
    # numerical
    value: float = 0.0
    tolerance: float = 0.0
    unit: str = ""
    # matching: (prompt HTML, answer plain text); an empty prompt is a distractor
    pairs: list[tuple[str, str]] = field(default_factory=list)
    shuffle: bool = False
    note: str = ""


def _h(text: str) -> str:
    """Our plain text as an HTML fragment (Moodle's html format)."""
    return _XML_ILLEGAL.sub("", html.escape(text or "", quote=False)).replace("\r\n", "\n").replace("\n", "<br>")


def _plain(text: str) -> str:
    return _XML_ILLEGAL.sub("", text or "").replace("\r\n", "\n").replace("\n", " ")


def _percent(value: float) -> str:
    # Moodle matches imported grades to its list (1/2, 1/3, ... 1/10) to 1e-5, so 5 decimals of a percent suffice.
    return f"{value:.5f}".rstrip("0").rstrip(".") or "0"


def _number(value: float) -> str:
    # Plain decimal notation (never 1e-05 or 1800000.0): what Moodle's is_numeric and GIFT readers expect.
    text = format(Decimal(repr(float(value))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _name(key: str, number: int) -> str:
    """Short, unique, readable: the key without fact kinds, cut with a hash of the whole key."""
    short = _FACT_KIND.sub("", key)
    if len(short) > NAME_MAX:
        digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:6]
        short = f"{short[: NAME_MAX - 8].rstrip()}… {digest}"
    return f"{number:02d} {short}"


def _source_name(source: Source) -> str:
    return source.outlet or source.author or source.label


def _source_date(source: Source) -> str:
    d = source.published_on
    if d is None:
        return ""
    return date_label(d, source.published_precision or "day")


def _evidence_html(passages: list[Passage], base_url: str) -> str:
    items = []
    for p in passages:
        cite = _h(_source_name(p.source))
        if date := _source_date(p.source):
            cite += f", {_h(date)}"
        if base_url:
            # Deep link to the passage highlighted on our source reader.
            url = f"{base_url.rstrip('/')}{reverse('web:source-detail', args=[p.source.slug])}?in={p.source.collection_id}#{p.anchor}"
            cite += f' (<a href="{html.escape(url)}">read in the source</a>)'
        items.append(f"<li>“{_h(shown_quote(p.quote))}” — {cite}</li>")
    return f"<p>Evidence:</p><ul>{''.join(items)}</ul>" if items else ""


def _truefalse(item: _Item, question: Question, options: dict[str, dict]) -> None:
    item.moodle_type = "truefalse"
    right = options[question.answer["correct"]]
    wrong = next((o for o in question.options if o["id"] != right["id"]), {"explanation": ""})
    item.correct_true = right["text"].strip().lower() == "true"
    true, false = (right, wrong) if item.correct_true else (wrong, right)
    item.feedback_true, item.feedback_false = _h(true["explanation"]), _h(false["explanation"])


def _multichoice(item: _Item, question: Question, options: dict[str, dict]) -> None:
    correct = question.answer["correct"]
    item.answers = [_Answer(_h(o["text"]), 100 if o["id"] == correct else 0, _h(o["explanation"])) for o in question.options]


def _multiresponse(item: _Item, question: Question, options: dict[str, dict]) -> None:
    item.single = False
    right = set(question.answer["correct"])
    # Moodle accepts only grades in its list (1/2 ... 1/10, 1/20), which covers any realistic n.
    share = 100 / len(right)
    item.answers = [_Answer(_h(o["text"]), share if o["id"] in right else -share, _h(o["explanation"])) for o in question.options]


def _numerical(item: _Item, question: Question, options: dict[str, dict]) -> None:
    answer = question.answer
    item.moodle_type = "numerical"
    item.value, item.tolerance, item.unit = float(answer["value"]), float(answer.get("tolerance") or 0), answer.get("unit") or ""


def _matching(item: _Item, question: Question, options: dict[str, dict]) -> None:
    pairs = question.answer["pairs"]
    item.moodle_type, item.shuffle = "matching", True
    item.pairs = [(_h(options[p]["text"]), _plain(options[c]["text"])) for p, c in pairs.items()]
    used = set(pairs.values())
    item.pairs += [("", _plain(o["text"])) for o in question.options if o.get("side") == "choice" and o["id"] not in used]


def _ordering_as_matching(item: _Item, question: Question, options: dict[str, dict]) -> None:
    order = question.answer["order"]
    item.moodle_type = "matching"
    item.note = "ordering exported as matching: each position is paired with the event that goes there"
    item.text += (
        f"<p><em>For each position ({', '.join(_ordinal(i) for i in range(1, len(order) + 1))}),"
        " choose the event that goes there; the 1st is the earliest.</em></p>"
    )
    item.pairs = [(_ordinal(i), _plain(options[e]["text"])) for i, e in enumerate(order, start=1)]


# The Moodle mapping each question type declares (quizzes.qtypes: QType.export) -> how it is built.
BUILDERS: dict[str, Callable[[_Item, Question, dict[str, dict]], None]] = {
    "truefalse": _truefalse,
    "multichoice": _multichoice,
    "multiresponse": _multiresponse,
    "numerical": _numerical,
    "matching": _matching,
    "ordering_as_matching": _ordering_as_matching,
}


def _item(question: Question, number: int, base_url: str) -> _Item:
    item = _Item(
        moodle_type="multichoice",
        key=question.key,
        source_qtype=question.qtype,
        name=_name(question.key, number),
        text=f"<p>{_h(question.stem)}</p>",
        general_feedback=f"<p>{_h(question.explanation)}</p>{_evidence_html(list(question.evidence.all()), base_url)}",
    )
    kind = QTYPES.get(question.qtype)
    build = BUILDERS.get(kind.export) if kind else None
    if build is None:
        raise ValueError(f"question {question.key}: no export for type {question.qtype!r}")
    build(item, question, {o["id"]: o for o in question.options})
    return item


def _items(quiz: Quiz, base_url: str) -> list[_Item]:
    rows = (
        QuizQuestion.objects.filter(quiz=quiz)
        .exclude(question__status=Question.Status.RETIRED)
        .select_related("question")
        .order_by("position")
        .prefetch_related(Prefetch("question__evidence", queryset=Passage.objects.with_source().order_by("source__slug", "start")))
    )
    return [_item(row.question, number, base_url) for number, row in enumerate(rows, start=1)]


def _category(quiz: Quiz) -> str:
    # Moodle separates category levels with "/" and reads "//" as a literal slash.
    return "$course$/top/KZLearn/" + _plain(quiz.title).replace("/", "//")


# ---- Moodle XML ----


def _text(parent: ET.Element, tag: str, text: str, fmt: str | None = "html") -> ET.Element:
    el = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(el, "text").text = text
    return el


def _moodle_question(item: _Item) -> ET.Element:
    q = ET.Element("question", type=item.moodle_type)
    _text(q, "name", item.name, fmt=None)
    _text(q, "questiontext", item.text)
    _text(q, "generalfeedback", item.general_feedback)
    ET.SubElement(q, "defaultgrade").text = "1"
    ET.SubElement(q, "penalty").text = "1" if item.moodle_type == "truefalse" else "0.3333333"
    ET.SubElement(q, "hidden").text = "0"
    if item.moodle_type in ("multichoice", "matching"):
        if item.moodle_type == "multichoice":
            ET.SubElement(q, "single").text = "true" if item.single else "false"
            # The generator's option order is deliberate (dates run in order), so keep it.
            ET.SubElement(q, "shuffleanswers").text = "false"
            ET.SubElement(q, "answernumbering").text = "abc"
            ET.SubElement(q, "showstandardinstruction").text = "1"
        else:
            # Positions stay in order; Moodle always shuffles the choices of a matching question.
            ET.SubElement(q, "shuffleanswers").text = "true" if item.shuffle else "false"
        for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
            _text(q, tag, "")
        ET.SubElement(q, "shownumcorrect")
    if item.moodle_type == "multichoice":
        for a in item.answers:
            el = ET.SubElement(q, "answer", fraction=_percent(a.fraction), format="html")
            ET.SubElement(el, "text").text = a.text
            _text(el, "feedback", a.feedback)
    elif item.moodle_type == "truefalse":
        for value, feedback in (("true", item.feedback_true), ("false", item.feedback_false)):
            right = (value == "true") == item.correct_true
            el = ET.SubElement(q, "answer", fraction="100" if right else "0", format="moodle_auto_format")
            ET.SubElement(el, "text").text = value
            _text(el, "feedback", feedback)
    elif item.moodle_type == "numerical":
        el = ET.SubElement(q, "answer", fraction="100", format="moodle_auto_format")
        ET.SubElement(el, "text").text = _number(item.value)
        _text(el, "feedback", "")
        ET.SubElement(el, "tolerance").text = _number(item.tolerance)
        if item.unit:
            unit = ET.SubElement(ET.SubElement(q, "units"), "unit")
            ET.SubElement(unit, "multiplier").text = "1"
            ET.SubElement(unit, "unit_name").text = _plain(item.unit)
        ET.SubElement(q, "unitgradingtype").text = "0"
        ET.SubElement(q, "unitpenalty").text = "0.1000000"
        # 3: units are not graded; the stem already names the unit.
        ET.SubElement(q, "showunits").text = "3"
        ET.SubElement(q, "unitsleft").text = "0"
    elif item.moodle_type == "matching":
        for prompt, answer in item.pairs:
            sub = _text(q, "subquestion", prompt)
            ET.SubElement(ET.SubElement(sub, "answer"), "text").text = answer
    return q


def _comment(text: str) -> ET.Element[Any]:  # ET.Comment's element has a callable tag, not a str
    # "--" may not occur inside an XML comment.
    return ET.Comment(" " + _plain(text).replace("--", "- -") + " ")


def quiz_export_moodle_xml(*, quiz: Quiz, base_url: str = "") -> str:
    """The quiz's questions (not retired, in position order) as a Moodle XML question file,
    in a category named after the quiz. With base_url, evidence links to our source reader."""
    root = ET.Element("quiz")
    root.append(_comment(f"KZLearn quiz {quiz.slug}: {quiz.title}"))
    category = ET.SubElement(root, "question", type="category")
    _text(category, "category", _category(quiz), fmt=None)
    _text(category, "info", f"<p>{_h(quiz.description)}</p>" if quiz.description else "")
    for item in _items(quiz, base_url):
        root.append(_comment(f"key: {item.key} ({item.source_qtype})" + (f"; {item.note}" if item.note else "")))
        root.append(_moodle_question(item))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# ---- GIFT ----


def gift_escape(text: str) -> str:
    """Text safe inside GIFT: ~ = # { } : and backslash escaped, newlines as \\n (as Moodle writes it)."""
    return _GIFT_SPECIAL.sub(r"\\\1", text).replace("\r", "").replace("\n", "\\n")


def _gift_mark(single: bool, fraction: float) -> str:
    # "=" marks the one right answer; with several right answers Moodle needs every option weighed
    # (and no "=" at all, which is how it tells a multiple-answer question).
    if single:
        return "=" if fraction == 100 else "~"
    return f"~%{_percent(fraction)}%"


def _gift_question(item: _Item) -> str:
    e = gift_escape
    head = f"::{e(item.name)}::[html]{e(item.text)}"
    general = f"\t####{e(item.general_feedback)}\n"
    if item.moodle_type == "multichoice":
        lines = []
        for a in item.answers:
            lines.append(f"\t{_gift_mark(item.single, a.fraction)}{e(a.text)}" + (f"#{e(a.feedback)}" if a.feedback else "") + "\n")
        body = "".join(lines)
    elif item.moodle_type == "truefalse":
        right, wrong = (item.feedback_true, item.feedback_false) if item.correct_true else (item.feedback_false, item.feedback_true)
        # Moodle reads {TRUE#feedback if wrong#feedback if right}.
        body = f"\t{'TRUE' if item.correct_true else 'FALSE'}#{e(wrong)}#{e(right)}\n"
    elif item.moodle_type == "numerical":
        # The "#" after the brace marks a numerical answer: value:tolerance.
        return f"{head}{{#\n\t={_number(item.value)}:{_number(item.tolerance)}\n{general}}}\n"
    else:  # matching; an empty prompt is a distractor
        body = "".join(f"\t={e(prompt)} -> {e(answer)}\n" for prompt, answer in item.pairs)
    return f"{head}{{\n{body}{general}}}\n"


def quiz_export_gift(*, quiz: Quiz, base_url: str = "") -> str:
    """The quiz's questions (not retired, in position order) as GIFT text for Moodle's import,
    in a category named after the quiz. With base_url, evidence links to our source reader."""
    items = _items(quiz, base_url)
    parts = [
        f"// KZLearn quiz {_plain(quiz.slug)}: {_plain(quiz.title)} ({len(items)} questions)\n"
        "// Texts are HTML; each general feedback (after ####) quotes the evidence with its source.\n\n"
        f"$CATEGORY: {_category(quiz)}\n"
    ]
    for item in items:
        comment = f"// key: {_plain(item.key)} ({item.source_qtype})" + (f"; {item.note}" if item.note else "")
        parts.append(f"{comment}\n{_gift_question(item)}")
    return "\n".join(parts)


def quiz_export(*, quiz: Quiz, fmt: str, base_url: str = "") -> tuple[str, str, str]:
    """The quiz exported as (filename, content type, content); fmt is "moodle" (XML) or "gift"."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    suffix, content_type = FORMATS[fmt]
    exporter = quiz_export_moodle_xml if fmt == "moodle" else quiz_export_gift
    return f"{quiz.slug}{suffix}", content_type, exporter(quiz=quiz, base_url=base_url)
