"""Running every question template on one collection's facts, with a report (PURE).

What each template made, and when it made nothing, why: the data it needs, said in the terms of
the dataset format, so an author knows what to add. A template that fails is reported, not
raised, so one thin or unusual dataset never stops the others (a test asserts none fails).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from quizzes.generation.drafts import QuestionDraft
from quizzes.generation.facts import Facts
from quizzes.generation.matching import MATCHING_TEMPLATES
from quizzes.generation.questions import TEMPLATES, bank_rules_apply, dated_events
from quizzes.generation.thinking import THINKING_TEMPLATES
from quizzes.said import Said, _, joined


def _explicitly_dated(f: Facts) -> int:
    return len(dated_events(f))


# Template name -> what it needs, given the facts; shown when the template made nothing.
NEEDS: dict[str, Callable[[Facts], Said]] = {
    "t_when": lambda f: _("an event dated to a day or a year by a quote that states the date (such events: %(n)d)", n=len(dated_events(f))),
    "t_number": lambda f: _("a figure the sources do not dispute, with a reported number (figures: %(n)d)", n=len(f.figures)),
    "t_sources_disagree": lambda f: _("a figure whose reports give different numbers (figures: %(n)d)", n=len(f.figures)),
    "t_true_false": lambda f: _("events dated to the day by a quote that states the date (such events: %(n)d)", n=len(dated_events(f))),
    "t_ordering": lambda f: _(
        "3 events dated by quotes that state the date, each surely before the next (such events: %(n)d)", n=_explicitly_dated(f)
    ),
    "t_fact_or_claim": lambda f: _(
        "claims marked neutral and events with a `statement` that two sources state whole in their own voice (claims: %(n)d)",
        n=len(f.claims),
    ),
    "t_sources_agree": lambda f: _(
        "3 sources and an event that at least two of them report, each in quotes that state the whole title (sources: %(n)d)",
        n=len(f.sources),
    ),
    "t_source_kind": lambda f: _(
        "sources whose kind the text shows (sources.yaml `kind` with metadata_evidence; sources: %(n)d)", n=len(f.sources)
    ),
    "t_match_date": lambda f: _(
        "3 events dated to different days by quotes that state the date, titles naming no date (such events: %(n)d)",
        n=len(dated_events(f)),
    ),
    "t_figures_differ": lambda f: _("a figure whose reports differ and whose data say why (`differ`; figures: %(n)d)", n=len(f.figures)),
}


@dataclass
class TemplateOutcome:
    template: str  # the template function's name without "t_", e.g. "when"
    made: int = 0
    skipped: str = ""  # why it made nothing: what the data lack
    error: str = ""  # an exception it raised (a bug: the bank sweep test asserts there is none)

    def line(self) -> Said:
        """One line of the generator's report, in English; translated where shown (quizzes.i18n.translated)."""
        if self.error:
            return _("%(template)s: FAILED (%(error)s)", template=self.template, error=self.error)
        if self.made:
            return joined("%(name)s: %(made)d", name=self.template, made=self.made)
        return _("%(template)s: 0, skipped: needs %(need)s", template=self.template, need=self.skipped)


def questions_generate_reported(facts: Facts, *, seed: int = 0) -> tuple[list[QuestionDraft], list[TemplateOutcome]]:
    """Every draft the templates draw from one collection's facts (sorted by key, keys unique) and,
    per template, how many it made or why it made none."""
    drafts: dict[str, QuestionDraft] = {}
    made_by: dict[str, TemplateOutcome] = {}
    outcomes = []
    for template in [*TEMPLATES, *THINKING_TEMPLATES, *MATCHING_TEMPLATES]:
        name = template.__name__
        outcome = TemplateOutcome(name.removeprefix("t_"))
        try:
            made = list(template(facts, seed))
        except Exception as exc:  # noqa: BLE001 - reported per template, so the rest of the bank is still made
            outcome.error = f"{type(exc).__name__}: {exc}"
            outcomes.append(outcome)
            continue
        for draft in made:
            drafts.setdefault(draft.key, draft)
            made_by[draft.key] = outcome
        outcomes.append(outcome)
    # As questions_generate does: the bank-wide rules (citation lines, one number item per source
    # sentence, the key's position balanced per template); counted after them.
    out = bank_rules_apply([drafts[k] for k in sorted(drafts)], facts, seed=seed)
    for d in out:
        made_by[d.key].made += 1
    for outcome in outcomes:
        if not outcome.made and not outcome.error:
            template = next(t for t in [*TEMPLATES, *THINKING_TEMPLATES, *MATCHING_TEMPLATES] if t.__name__ == f"t_{outcome.template}")
            need = NEEDS.get(template.__name__)
            outcome.skipped = need(facts) if need else (template.__doc__ or "data it does not find").strip().splitlines()[0]
    return out, outcomes
