from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext_lazy, ngettext

from quizzes.bank.review import bank_review_markdown
from quizzes.bank.selectors import bank_questions
from quizzes.management.base import Command as BaseCommand


class Command(BaseCommand):
    help = gettext_lazy(
        "Write every active question for a blind reviewer, as Markdown: key, type, stem, options with the key marked, "
        "per-option explanations, the explanation and every evidence quote with its source."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help=gettext_lazy("The Markdown file to write."))
        parser.add_argument("--collection", help=gettext_lazy("Only this collection's bank."))

    def handle(self, *args, out, collection, **options):
        try:
            questions = bank_questions(collection=collection)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        text, count = bank_review_markdown(questions)
        Path(out).write_text(text, encoding="utf-8")
        self.stdout.write(
            ngettext("%(n)d question written to %(path)s", "%(n)d questions written to %(path)s", count) % {"n": count, "path": out}
        )
