"""Frozen copies of what a learner was shown, stored with their answer (see Response.snapshot)."""

from __future__ import annotations

from typing import Any

from quizzes.models import Passage, Question


def evidence_snapshot(passage: Passage) -> dict[str, Any]:
    """A passage as feedback shows it: the quote, who published it and when, and its anchor."""
    source = passage.source
    return {
        "id": passage.pk,
        "quote": passage.quote,
        "source": source.slug,
        "collection": source.collection_id,
        "source_label": source.label,
        "outlet": source.outlet,
        "source_kind": (source.kind or "").replace("-", " "),
        "published_on": source.published_on.isoformat() if source.published_on else None,
        "published_precision": source.published_precision,
        "anchor": passage.anchor,
    }


def question_snapshot(question: Question) -> dict[str, Any]:
    """The question as shown; expects evidence (with source) and topics prefetched."""
    return {
        "collection": question.collection_id,  # topics and fact ids are only unique within it
        "key": question.key,
        "qtype": question.qtype,
        "stem": question.stem,
        "options": question.options,
        "answer": question.answer,
        "explanation": question.explanation,
        "fact_ids": question.fact_ids,
        "topics": sorted(t.slug for t in question.topics.all()),
        "evidence": [evidence_snapshot(p) for p in question.evidence.all()],
        "generator_version": question.generator_version,
    }
