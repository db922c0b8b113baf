"""What the player shows about one question (PURE): its form before an answer, its feedback after.

`question_view` is everything the page may show before the learner answers: it never carries the
answer key or an explanation. `feedback_view` is built only once the item is answered (or, for
feedback at the end, once the attempt is submitted).
"""

from __future__ import annotations

import re
from datetime import date

from quizzes import dates
from quizzes.qtypes import QTYPES, number_text
from quizzes.sources.names import neutral_citation


def date_label(iso: str | None, precision: str = "day") -> str:
    """'2022-01-05' -> '5 January 2022' (or 'January 2022', '2022' at a coarser precision); '' for none."""
    if not iso:
        return ""
    return dates.date_label(date.fromisoformat(iso), precision or "day")


def evidence_view(evidence: list[dict], *, neutral: bool = False) -> list[dict]:
    """Evidence snapshots with the publisher and date as feedback shows them. `neutral` (scenarios):
    a source without an outlet is named by its kind, never by our label (quizzes.sources.names)."""
    out = []
    for e in evidence:
        kind = e.get("source_kind", "")
        if neutral:
            by, kind = neutral_citation(e.get("outlet"), kind, e.get("author"))
        else:
            by = e.get("outlet") or e.get("source_label") or e["source"]
        out.append({**e, "by": by, "kind": kind, "date": date_label(e.get("published_on"), e.get("published_precision") or "day")})
    return out


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“‘(\[A-Z0-9])")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text or "") if s.strip()]


def _key(sentence: str) -> str:
    return " ".join(sentence.casefold().split()).strip(" .!?:;,")


class Distinct:
    """Prints each sentence of the feedback once: `text()` gives back what is new in a text, sentence by
    sentence, or "" when nothing is (a text that only adds one word such as "Yes." or "No." to sentences
    already shown says nothing the verdict and the badges do not)."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def text(self, text: str) -> str:
        new = [s for s in _sentences(text) if _key(s) not in self.seen]
        self.seen |= {_key(s) for s in new}
        if all(len(_key(s).split()) <= 1 for s in new):
            return ""
        return " ".join(new)


def question_view(snapshot: dict, response: dict | None = None, order: list[str] | None = None) -> dict:
    """The question's form: stem, type, and the options as text only (with the learner's saved answer)."""
    qtype, options = snapshot["qtype"], snapshot["options"]
    text = {o["id"]: o["text"] for o in options}
    response = response or {}
    kind = QTYPES[qtype].form_kind if qtype in QTYPES else qtype
    view = {"qtype": qtype, "stem": snapshot["stem"], "kind": kind}
    if qtype in QTYPES and QTYPES[qtype].choice:
        chosen = set(response.get("choices", [])) | ({response["choice"]} if "choice" in response else set())
        view["options"] = [{"id": o["id"], "text": o["text"], "chosen": o["id"] in chosen} for o in options]
    elif kind == "numeric":
        view["value"] = response.get("value", "")
        view["unit"] = snapshot.get("answer", {}).get("unit", "")  # the unit is part of the question, not the key
    elif kind == "ordering":
        ids = order or response.get("order") or [o["id"] for o in options]
        view["items"] = [{"id": i, "text": text[i]} for i in ids if i in text]
    elif kind == "matching":
        pairs = response.get("pairs", {})
        view["choices"] = [{"id": o["id"], "text": o["text"]} for o in options if o.get("side") == "choice"]
        prompts = [o for o in options if o.get("side") == "prompt"]
        view["prompts"] = [{"id": o["id"], "text": o["text"], "chosen": pairs.get(o["id"], "")} for o in prompts]
    return view


_number = number_text


LONG_QUOTE = 200  # characters: over five lines of a 390 px phone screen


def _deciding(evidence: list[dict], ids: list[int]) -> tuple[dict | None, list[dict]]:
    """The quote that decides the item (the first one the right answer cites, else the first) and the rest."""
    if not evidence:
        return None, []
    first = next((e for i in ids for e in evidence if e.get("id") == i), evidence[0])
    return first, [e for e in evidence if e is not first]


def _credit(qtype: str, answer: dict, response: dict) -> dict | None:
    """How partial credit counted a response not wholly right (for the one line that explains it):
    right and of (pairs in order, matches, options), wrong picks, the percent the verdict shows."""
    kind = QTYPES.get(qtype)
    try:
        credit = kind.credit(answer, response) if kind else None
    except (KeyError, TypeError, ValueError):  # a response that does not fit its key: nothing to explain
        return None
    if credit is None:
        return None
    return {"right": credit.right, "of": credit.of, "wrong": credit.wrong, "percent": round(credit.points * 100)}


def feedback_view(snapshot: dict, response: dict | None, *, correct: bool | None, points: float | None) -> dict:
    """The verdict, one plain reason, the learner's answer beside the key, the quote that decides it,
    the other options folded (with their explanations), and further quotes as "more evidence".

    No sentence is printed twice: the generator's option explanations often repeat the item's
    explanation ("No." + the same sentence), and a true/false item gives both options the explanation
    of the item itself."""
    qtype, options, answer = snapshot["qtype"], snapshot["options"], snapshot["answer"]
    text = {o["id"]: o["text"] for o in options}
    response = response or {}
    once = Distinct()
    view = {
        "qtype": qtype,
        "stem": snapshot["stem"],
        "answered": bool(response),
        "correct": bool(correct),
        "partial": bool(points) and not correct,
        "points": points or 0.0,
        "reason": once.text(snapshot.get("explanation", "")),
        "others": [],
        "right_notes": [],
    }
    right_ids: list = []
    kind = QTYPES[qtype].feedback_kind if qtype in QTYPES else ""
    if kind == "choice":
        right = set(answer["correct"]) if isinstance(answer["correct"], list) else {answer["correct"]}
        chosen = set(response.get("choices", [])) | ({response["choice"]} if "choice" in response else set())
        view["kind"] = "choice"
        view["options"] = [  # every option with its own explanation (the teacher's review of the work)
            {"text": o["text"], "chosen": o["id"] in chosen, "right": o["id"] in right, "explanation": o.get("explanation", "")}
            for o in options
        ]
        shown = [o for o in options if o["id"] in chosen or o["id"] in right]
        # One plain reason: after a wrong pick the item's explanation says why the right answer is right, so the right
        # option's own note (often the same in other words) folds under "All options" with the other options.
        missed = bool(view["reason"]) and bool(chosen) and chosen.isdisjoint(right)
        view["shown"] = [  # the learner's answer and the right one, each explanation only where it says something new
            {
                "text": o["text"],
                "chosen": o["id"] in chosen,
                "right": o["id"] in right,
                "explanation": "" if missed and o["id"] in right else once.text(o.get("explanation", "")),
            }
            for o in shown
        ]
        view["right_notes"] = [n for o in shown if missed and o["id"] in right and (n := once.text(o.get("explanation", "")))]
        view["others"] = [{"text": o["text"], "explanation": once.text(o.get("explanation", ""))} for o in options if o not in shown]
        right_ids = [i for o in options if o["id"] in right for i in o.get("evidence", [])]
    elif kind == "numeric":
        view["kind"] = "numeric"
        view["given"], view["right"] = _number(response.get("value")), _number(answer["value"])
        view["tolerance"] = _number(answer["tolerance"]) if answer.get("tolerance") else ""
        view["unit"] = answer.get("unit", "")
    elif kind == "ordering":
        given = response.get("order", [])
        view["kind"] = "ordering"
        view["rows"] = [
            {
                "text": text[i],
                "right_pos": n,
                "given_pos": given.index(i) + 1 if i in given else None,
                "explanation": next((o.get("explanation", "") for o in options if o["id"] == i), ""),
            }
            for n, i in enumerate(answer["order"], start=1)
        ]
        for row in view["rows"]:
            row["note"] = once.text(row["explanation"])
    elif kind == "matching":
        given = response.get("pairs", {})
        view["kind"] = "matching"
        view["rows"] = [
            {"prompt": text[p], "right": text[c], "given": text.get(given.get(p, ""), "—"), "ok": given.get(p) == c}
            for p, c in answer["pairs"].items()
        ]
    view["credit"] = _credit(qtype, answer, response) if response and not correct else None
    view["evidence"] = evidence_view(snapshot.get("evidence", []))
    quote, view["more"] = _deciding(view["evidence"], right_ids)
    # A long deciding quote is clamped on a phone to its first lines, with "Read more" (a <details>, no script) for the rest.
    view["quote"] = {**quote, "long": len(quote["quote"]) > LONG_QUOTE} if quote else None
    view["quote_list"] = [view["quote"]] if view["quote"] else []
    view["explanation"] = snapshot.get("explanation", "")
    return view


def answer_text(snapshot: dict, response: dict | None) -> str:
    """A learner's answer in words, as a teacher reads it in a list ('Almaty', '33 police cars',
    'A → B → C'); '' when unanswered."""
    if not response:
        return ""
    kind = QTYPES.get(snapshot["qtype"])
    if kind is None:
        return str(response)
    return kind.answer_text(snapshot["options"], response, snapshot.get("answer", {}).get("unit", ""))


def key_text(snapshot: dict) -> str:
    """The right answer in words (the same form as answer_text)."""
    kind = QTYPES.get(snapshot["qtype"])
    return answer_text(snapshot, kind.key_response(snapshot["answer"])) if kind else ""
