from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext, gettext_lazy

from quizzes.bank.export import FORMATS, quiz_export
from quizzes.management.base import Command as BaseCommand
from quizzes.models import Quiz
from quizzes.models.collections import NO_COLLECTION, collection_label, in_collection


class Command(BaseCommand):
    help = gettext_lazy(
        "Export a quiz for Moodle (or any LMS that imports Moodle XML or GIFT): its questions in order, "
        "retired ones left out, each with per-answer feedback and its evidence quotes in the general feedback."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help=gettext_lazy("The quiz's slug."))
        parser.add_argument(
            "--collection",
            help=gettext("The quiz's collection (slug; %(none)s for a quiz outside any): needed where several have the slug.")
            % {"none": NO_COLLECTION},
        )
        parser.add_argument(
            "--format", dest="fmt", choices=sorted(FORMATS), default="moodle", help=gettext_lazy("moodle (XML, default) or gift.")
        )
        parser.add_argument("-o", "--output", help=gettext_lazy("File to write (default: standard output)."))
        parser.add_argument(
            "--base-url",
            default="",
            help=gettext_lazy("Site address, e.g. https://kzlearn.example: evidence then links to the passage in our source reader."),
        )

    def handle(self, *args, slug, collection, fmt, output, base_url, **options):
        found = Quiz.objects.filter(slug=slug).select_related("collection")
        if collection:
            found = in_collection(found, collection)
        quizzes = list(found.order_by("collection__slug")[:10])
        if not quizzes:
            raise CommandError(
                (gettext("no quiz with slug %(slug)s in %(collection)s") if collection else gettext("no quiz with slug %(slug)s"))
                % {"slug": repr(slug), "collection": collection}
            )
        if len(quizzes) > 1:
            owners = ", ".join(collection_label(q) for q in quizzes)
            raise CommandError(
                gettext("several collections have a quiz %(slug)s (%(owners)s); add --collection SLUG")
                % {"slug": repr(slug), "owners": owners}
            )
        quiz = quizzes[0]
        filename, _, content = quiz_export(quiz=quiz, fmt=fmt, base_url=base_url)
        if output:
            Path(output).write_text(content, encoding="utf-8")
            self.stderr.write(
                gettext("Wrote %(path)s (%(format)s; suggested name %(filename)s).") % {"path": output, "format": fmt, "filename": filename}
            )
        else:
            self.stdout.write(content, ending="")
