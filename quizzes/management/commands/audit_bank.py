from django.core.management.base import CommandError
from django.utils.translation import gettext, gettext_lazy, ngettext

from quizzes.bank.selectors import bank_questions, question_drafts
from quizzes.events.selectors import facts_load
from quizzes.generation.audit import RULES, audit_bank, audit_module, audit_quiz, summary
from quizzes.i18n import translated
from quizzes.management.base import Command as BaseCommand
from quizzes.models import Collection, Module, Quiz
from quizzes.models.collections import collection_label


class Command(BaseCommand):
    help = gettext_lazy(
        "Lint the question bank against every machine-checkable item-writing rule (quizzes.generation.audit): "
        "prints counts per rule and template, then every finding with its item key. Also checks each quiz."
    )

    def add_arguments(self, parser):
        parser.add_argument("--collection", help=gettext_lazy("Only this collection's bank."))
        parser.add_argument("--fail", action="store_true", help=gettext_lazy("Exit with status 1 when any rule has a finding."))
        parser.add_argument("--quiet", action="store_true", help=gettext_lazy("Counts only, no list of findings."))

    def handle(self, *args, collection, fail, quiet, **options):
        try:
            bank_questions(collection=collection)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        drafts, findings = [], []
        by_key = {}  # (collection id, question key): question keys, like quiz slugs, are unique within a collection only
        # Each collection's bank is linted against its own facts.
        for c in Collection.objects.filter(slug=collection) if collection else Collection.objects.order_by("position", "slug"):
            mine = question_drafts(bank_questions(collection=c.slug) if collection else bank_questions().filter(collection=c))
            findings += audit_bank(mine, facts_load(c))
            drafts += mine
            by_key.update({(c.pk, d.key): d for d in mine})
        keys = {d.key for d in drafts}
        for quiz in Quiz.objects.select_related("collection").prefetch_related("items__question").order_by("slug", "collection__slug"):
            chosen = [(i.question.collection_id, i.question.key) for i in quiz.items.all().order_by("position")]
            if chosen and set(chosen) <= by_key.keys():
                findings += audit_quiz([by_key[k] for k in chosen], quiz=f"{collection_label(quiz)}/{quiz.slug}")
        # A module's quizzes in their order: a later one asks nothing an earlier one asked or gave away.
        for module in Module.objects.select_related("collection").prefetch_related("items__quiz__items__question").order_by("position"):
            quizzes = [
                [(i.question.collection_id, i.question.key) for i in item.quiz.items.all()]
                for item in sorted(module.items.all(), key=lambda item: item.position)
                if item.quiz is not None
            ]
            if len(quizzes) > 1 and all(set(q) <= by_key.keys() for q in quizzes):
                label = f"{collection_label(module)}/{module.slug}"
                findings += audit_module([[by_key[k] for k in q] for q in quizzes], module=label)
        templates = sorted({d.template for d in drafts})
        flagged = {f.key.split(":", 1)[-1] if f.rule.startswith("quiz-") else f.key for f in findings}
        self.stdout.write(
            gettext("%(questions)d active questions, %(flagged)d with a finding, %(findings)d findings")
            % {"questions": len(drafts), "flagged": len(flagged & keys), "findings": len(findings)}
        )
        per_rule = summary(findings)
        for rule in RULES:
            counts = per_rule[rule]
            detail = ", ".join(f"{t} {n}" for t, n in sorted(counts.items()))
            self.stdout.write(f"  {rule:<20} {sum(counts.values()):>4}" + (f"   ({detail})" if detail else ""))
        self.stdout.write(
            gettext("questions per template:") + " " + ", ".join(f"{t} {sum(d.template == t for d in drafts)}" for t in templates)
        )
        if not quiet:
            for f in sorted(findings, key=lambda f: (RULES.index(f.rule) if f.rule in RULES else 99, f.key)):
                self.stdout.write(f"{f.rule}\t{f.key}\t{translated(f.detail)}")
        if fail and findings:
            raise CommandError(ngettext("%(n)d finding", "%(n)d findings", len(findings)) % {"n": len(findings)})
