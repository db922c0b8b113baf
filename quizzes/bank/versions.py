"""Question versions: the immutable content learners are shown and scored against.

A version is built from the question as it stands (stem, options, key, explanations, evidence with
its sources, topics) and identified by a hash of that content, so rebuilding an unchanged question
finds the version it already has. `Question.current_version` points at the one new attempts show.
It is rebuilt by every service that changes what a question shows (generation, a teacher's edit or
copy, publishing, loading the sources it quotes); a save made elsewhere clears it (model signals),
and the next start rebuilds it (`versions_for`), so an attempt never shows a stale version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet

from quizzes.models import Passage, Question, QuestionVersion
from quizzes.sources.kinds import kind_words


def evidence_content(passage: Passage) -> dict[str, Any]:
    """A passage as feedback shows it: the quote, who published it and when, and its anchor."""
    source = passage.source
    return {
        "id": passage.pk,
        "quote": passage.quote,
        "source": source.slug,
        "collection": source.collection_id,
        "source_label": source.label,
        "outlet": source.outlet,
        "author": source.author,
        "source_kind": kind_words(source.kind),
        "published_on": source.published_on.isoformat() if source.published_on else None,
        "published_precision": source.published_precision,
        "anchor": passage.anchor,
    }


def question_content(question: Question) -> dict[str, Any]:
    """The question as shown; expects evidence (with source) and topics prefetched (`with_content`)."""
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
        "evidence": [evidence_content(p) for p in question.evidence.all()],
        "generator_version": question.generator_version,
    }


def owned_content_hash(owner: str, owner_id: int, content: dict[str, Any]) -> str:
    """Identifies one content of one versioned thing (a question, a scenario step): sha256 of canonical JSON
    {owner: id, "content": content}, so key order and spacing do not count."""
    canonical = json.dumps({owner: owner_id, "content": content}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def content_hash(question_id: int, content: dict[str, Any]) -> str:
    """Identifies one content of one question."""
    return owned_content_hash("question", question_id, content)


def with_content(questions: QuerySet[Question]) -> QuerySet[Question]:
    """Questions with what `question_content` reads, in the order feedback lists evidence."""
    return questions.prefetch_related(
        Prefetch("evidence", queryset=Passage.objects.with_source().order_by("source__slug", "start")), "topics"
    )


def question_versions_refresh(*, questions: QuerySet[Question]) -> int:
    """Build (or find) the version of each question's current content and point the question at it.

    A handful of queries whatever the number of questions; returns how many questions now point at
    another version. Existing versions are never changed."""
    rows = list(with_content(questions.select_related(None)))
    if not rows:
        return 0
    built = {}
    for q in rows:
        content = question_content(q)
        built[q.pk] = (content_hash(q.pk, content), content)
    QuestionVersion.objects.bulk_create(
        [QuestionVersion(question_id=pk, content_hash=h, content=c) for pk, (h, c) in built.items()], ignore_conflicts=True
    )
    ids = dict(QuestionVersion.objects.filter(content_hash__in=[h for h, _ in built.values()]).values_list("content_hash", "pk"))
    moved = [q for q in rows if q.current_version_id != ids[built[q.pk][0]]]
    for q in moved:
        q.current_version_id = ids[built[q.pk][0]]
    # Not save(): a version pointer is not an edit (updated_at and the signals stay out of it).
    Question.objects.bulk_update(moved, ["current_version"], batch_size=500)
    return len(moved)


def versions_for(question_ids: Iterable[int]) -> dict[int, int]:
    """Question id -> the id of its current version, for starting an attempt: one query when every
    version is built (the usual case: generation, edits and publishing build them); the missing ones
    are built here."""
    wanted = list(question_ids)
    current = dict(Question.objects.filter(pk__in=wanted).order_by().values_list("pk", "current_version_id"))
    missing = [pk for pk in wanted if current.get(pk) is None]
    if missing:
        question_versions_refresh(questions=Question.objects.filter(pk__in=missing))
        current.update(Question.objects.filter(pk__in=missing).order_by().values_list("pk", "current_version_id"))
    return current


# Content of versions by content hash, in this process. A version never changes and its hash names
# its content, so an entry can never be stale (even where a database reuses an id after a rollback,
# the hash read with the id names the content). Bounded: a long-running server sees many quizzes.
_CONTENT: dict[str, dict[str, Any]] = {}
_CONTENT_MAX = 4096


def version_content(version_id: int, content_hash: str) -> dict[str, Any]:
    """The content of version `version_id` (whose hash is `content_hash`): from this process's cache,
    or one query the first time. Read-only: callers must not change the dict they get."""
    found = _CONTENT.get(content_hash)
    if found is None:
        found = QuestionVersion.objects.filter(pk=version_id).values_list("content", flat=True).get()
        if len(_CONTENT) >= _CONTENT_MAX:
            _CONTENT.clear()
        _CONTENT[content_hash] = found
    return found


def versions_content(versions: Iterable[tuple[int, str]]) -> dict[int, dict[str, Any]]:
    """Version id -> content for (version id, content hash) pairs: from this process's cache, the
    versions it does not hold yet in one query. Read-only, as version_content."""
    wanted = list(versions)
    out = {pk: _CONTENT[h] for pk, h in wanted if h in _CONTENT}
    missing = [pk for pk, _ in wanted if pk not in out]
    if missing:
        for pk, h, content in QuestionVersion.objects.filter(pk__in=missing).values_list("pk", "content_hash", "content"):
            if len(_CONTENT) >= _CONTENT_MAX:
                _CONTENT.clear()
            _CONTENT[h] = out[pk] = content
    return out
