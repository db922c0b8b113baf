from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quizzes.bank.export import FORMATS, quiz_export
from quizzes.models import Quiz


class Command(BaseCommand):
    help = (
        "Export a quiz for Moodle (or any LMS that imports Moodle XML or GIFT): its questions in order, "
        "retired ones left out, each with per-answer feedback and its evidence quotes in the general feedback."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The quiz's slug.")
        parser.add_argument("--format", dest="fmt", choices=sorted(FORMATS), default="moodle", help="moodle (XML, default) or gift.")
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")
        parser.add_argument(
            "--base-url",
            default="",
            help="Site address, e.g. https://kzlearn.example: evidence then links to the passage in our source reader.",
        )

    def handle(self, *args, slug, fmt, output, base_url, **options):
        quiz = Quiz.objects.filter(slug=slug).first()
        if quiz is None:
            raise CommandError(f"no quiz with slug {slug!r}")
        filename, _, content = quiz_export(quiz=quiz, fmt=fmt, base_url=base_url)
        if output:
            Path(output).write_text(content, encoding="utf-8")
            self.stderr.write(f"Wrote {output} ({fmt}; suggested name {filename}).")
        else:
            self.stdout.write(content, ending="")
