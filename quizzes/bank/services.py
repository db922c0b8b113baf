"""Writes for the question bank: generating it from the event data, and teacher actions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext, ngettext

from quizzes.bank.versions import question_versions_refresh
from quizzes.dataset.report_words import COUNT_WORDS
from quizzes.events.selectors import facts_load
from quizzes.generation.bank import TemplateOutcome, questions_generate_reported
from quizzes.generation.drafts import GENERATOR_VERSION, QuestionDraft
from quizzes.generation.facts import Facts
from quizzes.generation.questions import RETIRED_TEMPLATES
from quizzes.i18n import counted, translated
from quizzes.models import Collection, Question, Topic
from quizzes.sources.errors import ContentWithoutEvidence

# Fields regeneration writes; a teacher's edit to any of them (Question.edited_fields) is kept.
GENERATED_FIELDS = ("template", "qtype", "stem", "options", "answer", "explanation", "fact_ids", "difficulty", "period_start", "period_end")
RETIRED_NO_EVIDENCE = "its facts or evidence no longer hold"
RETIRED_TEMPLATE = "template retired, below the item-writing bar"


@dataclass
class GenerateReport:
    counts: Counter = field(default_factory=Counter)
    by_type: Counter = field(default_factory=Counter)
    # collection slug -> per template: made, or skipped and why
    templates: dict[str, list[TemplateOutcome]] = field(default_factory=dict)
    # collection slug -> qtype -> questions generated
    by_collection: dict[str, Counter] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [counted(dict(sorted(self.counts.items())), COUNT_WORDS)]
        for slug, outcomes in self.templates.items():
            types = self.by_collection.get(slug, Counter())
            n = sum(types.values())
            said = ngettext("%(collection)s: %(n)d question of %(types)d types", "%(collection)s: %(n)d questions of %(types)d types", n)
            out.append(said % {"collection": slug, "n": n, "types": len(types)})
            out += [f"  {qtype}: {n}" for qtype, n in sorted(types.items())]
            out.append("  " + gettext("by template:"))
            out += [f"    {translated(o.line())}" for o in outcomes]
        return out


def _period(draft: QuestionDraft, facts: Facts) -> tuple[date | None, date | None]:
    spans = []
    for fact_id in draft.fact_ids:
        kind, slug = fact_id.split(":", 1)
        events = []
        if kind == "event":
            events = [facts.events.get(slug)]
        elif kind == "claim" and slug in facts.claims:
            claim = facts.claims[slug]
            if claim.date:
                spans.append((claim.date, claim.date))
            events = [facts.events.get(s) for s in claim.about]
        elif kind == "figure" and slug in facts.figures:
            events = [facts.events.get(facts.figures[slug].event)] if facts.figures[slug].event else []
        spans += [(e.earliest, e.latest) for e in events if e is not None]
    if not spans:
        return None, None
    return min(s for s, _ in spans), max(e for _, e in spans)


def _fields(draft: QuestionDraft, facts: Facts) -> dict:
    start, end = _period(draft, facts)
    return {
        "template": draft.template,
        "qtype": draft.qtype,
        "stem": draft.stem,
        "options": [
            {
                "id": o.id,
                "text": o.text,
                "explanation": o.explanation,
                "evidence": [e.passage_id for e in o.evidence],
                **({"side": o.side} if o.side else {}),
            }
            for o in draft.options
        ],
        "answer": draft.answer,
        "explanation": draft.explanation,
        "fact_ids": draft.fact_ids,
        "difficulty": draft.difficulty,
        "period_start": start,
        "period_end": end,
    }


def question_save_draft(*, draft: QuestionDraft, facts: Facts, topic_ids: dict[str, int], collection: Collection) -> str:
    """Create or update the collection's question with the draft's key, keeping teacher edits; say
    what was done. Refuses a draft that cites no evidence."""
    evidence = [e.passage_id for e in draft.all_evidence if e.passage_id is not None]
    if not evidence or not draft.evidence:
        raise ContentWithoutEvidence(gettext("question %(key)s cites no evidence") % {"key": draft.key})
    fields = _fields(draft, facts)
    question = Question.objects.filter(collection=collection, key=draft.key).first()
    if question is None:
        question = Question.objects.create(collection=collection, key=draft.key, generator_version=GENERATOR_VERSION, **fields)
        question.evidence.set(evidence)
        question.topics.set([topic_ids[t] for t in draft.topics if t in topic_ids])
        return "created"
    changed = [name for name, value in fields.items() if name not in question.edited_fields and getattr(question, name) != value]
    for name in changed:
        setattr(question, name, fields[name])
    if question.status == Question.Status.RETIRED and question.retired_reason == RETIRED_NO_EVIDENCE:
        question.status, question.retired_reason = Question.Status.PUBLISHED, ""
        changed += ["status", "retired_reason"]
    if question.generator_version != GENERATOR_VERSION:
        question.generator_version = GENERATOR_VERSION
        changed.append("generator_version")
    if changed:
        question.save(update_fields=[*changed, "updated_at"])
    if set(question.evidence.values_list("pk", flat=True)) != set(evidence):
        question.evidence.set(evidence)
        changed.append("evidence")
    topics = {topic_ids[t] for t in draft.topics if t in topic_ids}
    if "topics" not in question.edited_fields and set(question.topics.values_list("pk", flat=True)) != topics:
        question.topics.set(topics)
        changed.append("topics")
    return "updated" if changed else "unchanged"


@transaction.atomic
def question_bank_generate(
    *,
    seed: int = 0,
    event_slugs: Iterable[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    collection: Collection | str | None = None,
) -> GenerateReport:
    """Generate the bank of every collection (or one) from its own facts only: update questions in
    place by key, keep teacher edits, retire (never delete) generated questions whose facts or
    evidence no longer hold. With event_slugs, only questions about those events are generated and
    nothing is retired."""
    if isinstance(collection, str):
        collections = list(Collection.objects.filter(slug=collection))
    elif collection is not None:
        collections = [collection]
    else:
        collections = list(Collection.objects.order_by("position", "slug"))
    report = GenerateReport()
    plans = []
    for c in collections:
        facts = facts_load(c)
        drafts, outcomes = questions_generate_reported(facts, seed=seed)
        if event_slugs is not None:
            wanted = {f"event:{s}" for s in event_slugs}
            drafts = [d for d in drafts if wanted & set(d.fact_ids)]
        report.templates[c.slug] = outcomes
        plans.append((c, facts, drafts))
    total, done = sum(len(d) for _, _, d in plans), 0
    for c, facts, drafts in plans:
        topic_ids = dict(Topic.objects.filter(collection=c).values_list("slug", "pk"))
        types = report.by_collection.setdefault(c.slug, Counter())
        for draft in drafts:
            try:
                report.counts[question_save_draft(draft=draft, facts=facts, topic_ids=topic_ids, collection=c)] += 1
                report.by_type[draft.qtype] += 1
                types[draft.qtype] += 1
            except ContentWithoutEvidence:
                report.counts["refused (no evidence)"] += 1
            done += 1
            if progress:
                progress(done, total)
        if event_slugs is None:
            keys = {d.key for d in drafts}
            # Teachers' own copies are not generated: they are never stale.
            stale = Question.objects.filter(
                collection=c, status__in=[Question.Status.PUBLISHED, Question.Status.DRAFT], owner__isnull=True
            ).exclude(key__in=keys)
            for template, why in RETIRED_TEMPLATES.items():
                # A retired template's questions go with the reason, and stay retired on regeneration.
                report.counts["retired"] += stale.filter(template=template).update(
                    status=Question.Status.RETIRED, retired_reason=f"{RETIRED_TEMPLATE}: {why}"[:300]
                )
            report.counts["retired"] += stale.exclude(template__in=list(RETIRED_TEMPLATES)).update(
                status=Question.Status.RETIRED, retired_reason=RETIRED_NO_EVIDENCE
            )
        # Every question of the collection shows its current content to the next attempt (teachers'
        # copies too: their evidence quotes the same sources).
        question_versions_refresh(questions=Question.objects.filter(collection=c))
    if event_slugs is None:
        report.counts["retired"] += 0  # always reported, even when nothing was retired
    return report


def question_edit(*, question: Question, changes: dict) -> Question:
    """A teacher's edit: apply it and remember the fields, so regeneration never overwrites them."""
    for name, value in changes.items():
        if name not in (*GENERATED_FIELDS, "status"):
            raise ValueError(f"{name} cannot be edited")
        setattr(question, name, value)
    question.edited_fields = sorted(set(question.edited_fields) | (set(changes) - {"status"}))
    question.save()
    question_versions_refresh(questions=Question.objects.filter(pk=question.pk))
    question.refresh_from_db(fields=["current_version"])
    return question


def question_set_status(*, questions, status: str, reason: str = "") -> int:
    """Publish or retire questions (a teacher's decision, kept across regenerations)."""
    retired = status == Question.Status.RETIRED
    pks = list(questions.values_list("pk", flat=True))
    n = Question.objects.filter(pk__in=pks).update(status=status, retired_reason=(reason or "retired by a teacher") if retired else "")
    if not retired:  # publishing builds the version new attempts will show
        question_versions_refresh(questions=Question.objects.filter(pk__in=pks))
    return n


@transaction.atomic
def question_copy(*, question: Question, owner) -> Question:
    """A copy of a question owned by `owner`, which they may edit and put in their own quizzes; the
    original (and every quiz and class scored against it) is untouched. Evidence and topics are kept."""
    n = Question.objects.filter(copied_from=question, owner=owner).count() + 1
    key = f"{question.key}~copy:{owner.pk}:{n}"
    while Question.objects.filter(collection_id=question.collection_id, key=key).exists():
        n += 1
        key = f"{question.key}~copy:{owner.pk}:{n}"
    copy = Question.objects.create(
        collection_id=question.collection_id,
        key=key[:300],
        template=question.template,
        qtype=question.qtype,
        stem=question.stem,
        options=question.options,
        answer=question.answer,
        explanation=question.explanation,
        fact_ids=question.fact_ids,
        difficulty=question.difficulty,
        period_start=question.period_start,
        period_end=question.period_end,
        generator_version=question.generator_version,
        status=Question.Status.PUBLISHED,
        owner=owner,
        copied_from=question,
    )
    copy.evidence.set(question.evidence.all())
    copy.topics.set(question.topics.all())
    question_versions_refresh(questions=Question.objects.filter(pk=copy.pk))
    copy.refresh_from_db(fields=["current_version"])
    return copy
