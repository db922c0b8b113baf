from pathlib import Path

from django.utils.translation import gettext, gettext_lazy

from quizzes.management.base import Command as BaseCommand
from quizzes.scenarios.selectors import scenarios_review_markdown


class Command(BaseCommand):
    help = gettext_lazy(
        "Write every scenario as Markdown for a blind review against the sources: title, intro, and for each step "
        "its date, briefing, prompt, options with the key, explanations, accounts, reveal and every quote with its source."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help=gettext_lazy("The Markdown file to write (- for standard output)."))

    def handle(self, *args, output, **options):
        text = scenarios_review_markdown()
        if output == "-":
            self.stdout.write(text, ending="")
            return
        Path(output).write_text(text, encoding="utf-8")
        self.stderr.write(gettext("Wrote %(path)s.") % {"path": output})
