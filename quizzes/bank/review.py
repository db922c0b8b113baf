"""The bank as one Markdown file for a blind content review (see docs/question-bank.md)."""

from __future__ import annotations

from collections import Counter

from django.db.models import QuerySet

from quizzes.bank.selectors import question_drafts
from quizzes.generation.facts import Evidence
from quizzes.models import Question, Source
from quizzes.qtypes import QTYPES


def _source_line(ev: Evidence, sources: dict[str, Source]) -> str:
    s = sources.get(ev.source)
    if s is None:
        return ev.source
    who = s.outlet or s.author or "no outlet or author named"
    return f"{s.label} — {who}"


def bank_review_markdown(questions: QuerySet[Question]) -> tuple[str, int]:
    """Every question of the queryset, in key order, with options, key, explanations and evidence."""
    drafts = question_drafts(questions)
    sources = {s.slug: s for s in Source.objects.defer("text")}
    types = Counter(d.template for d in drafts)
    out = [
        "# Question bank for blind review",
        "",
        f"{len(drafts)} active questions. Per template: " + ", ".join(f"{t} {n}" for t, n in sorted(types.items())) + ".",
        "",
        "Sources: " + "; ".join(f"`{s.slug}` = {s.label} ({s.outlet or s.author or 'unsigned'})" for s in sources.values()),
        "",
    ]
    for n, d in enumerate(drafts, start=1):
        out += [f"## {n}. `{d.key}`", "", f"*type* {d.qtype} · *template* {d.template}", "", f"**{d.stem}**", ""]
        kind = QTYPES[d.qtype].feedback_kind
        if kind == "numeric":
            a = d.answer
            out.append(f"- KEY: {a.get('value')} {a.get('unit', '')} (tolerance {a.get('tolerance', 0)}, {a.get('qualifier', 'exact')})")
        elif kind == "ordering":
            by_id = {o.id: o for o in d.options}
            for o in d.options:
                out.append(f"- {o.id}. {o.text}" + (f" — _{o.explanation}_" if o.explanation else ""))
            out.append("- KEY (earliest first): " + " → ".join(by_id[i].text for i in d.answer.get("order", [])))
        elif kind == "matching":
            by_id = {o.id: o for o in d.options}
            for p, c in d.answer.get("pairs", {}).items():
                out.append(f"- KEY: {by_id[p].text} → {by_id[c].text}")
        else:
            for o in d.options:
                mark = "**✓ KEY**" if o.correct else "✗"
                out.append(f"- {o.id}) {o.text} {mark}" + (f" — _{o.explanation}_" if o.explanation else ""))
        out += ["", f"Explanation: {d.explanation}", "", "Evidence:"]
        for ev in d.all_evidence:
            out.append(f"> “{ev.quote}” — {_source_line(ev, sources)}")
        out.append("")
    return "\n".join(out) + "\n", len(drafts)
