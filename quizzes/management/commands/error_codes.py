"""Print the error-code table (quizzes.errors.ERRORS) as docs/api.md shows it, or write it there."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext, gettext_lazy

from quizzes.errors import errors_markdown
from quizzes.management.base import Command as BaseCommand

DOC = Path(settings.BASE_DIR) / "docs" / "api.md"
START, END = "<!-- error-codes:start (python manage.py error_codes --write) -->\n", "<!-- error-codes:end -->\n"


def doc_with_table(text: str) -> str:
    """The doc's text with the table between its markers replaced by the current one."""
    if START not in text or END not in text:
        raise CommandError(
            gettext("%(path)s has no error-codes markers (%(start)s ... %(end)s)")
            % {"path": DOC, "start": START.strip(), "end": END.strip()}
        )
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return head + START + errors_markdown() + END + tail


class Command(BaseCommand):
    help = gettext_lazy("Print the API's error codes with their statuses and meanings; --write puts the table into docs/api.md.")

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help=gettext("Rewrite the table in %(doc)s.") % {"doc": DOC})

    def handle(self, *args, write=False, **options):
        if not write:
            self.stdout.write(errors_markdown(), ending="")
            return
        DOC.write_text(doc_with_table(DOC.read_text(encoding="utf-8")), encoding="utf-8")
        self.stdout.write(gettext("Wrote the error codes into %(path)s.") % {"path": DOC})
