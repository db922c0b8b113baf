from django.core.management.base import CommandError
from django.utils.translation import gettext, gettext_lazy
from tqdm import tqdm

from quizzes.bank.services import question_bank_generate
from quizzes.management.base import Command as BaseCommand
from quizzes.models import Collection


class Command(BaseCommand):
    help = gettext_lazy(
        "Generate the question bank of every collection (or one) from its own event data (idempotent): questions "
        "are updated in place by key, teacher edits are kept, and questions whose facts no longer hold are retired, "
        "never deleted. Reports, per collection and template, what was made and what was skipped and why."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=0, help=gettext_lazy("Seed for distractors and option order (default 0)."))
        parser.add_argument(
            "--event", action="append", dest="events", help=gettext_lazy("Only questions about this event slug (repeatable).")
        )
        parser.add_argument("--collection", help=gettext_lazy("Only this collection (slug); default: every collection."))
        parser.add_argument("--no-progress", action="store_true", help=gettext_lazy("No progress bar."))

    def handle(self, *args, seed, events, no_progress, collection=None, **options):
        if collection and not Collection.objects.filter(slug=collection).exists():
            known = ", ".join(Collection.objects.values_list("slug", flat=True)) or gettext("none loaded yet")
            raise CommandError(
                gettext("No collection %(slug)s (collections: %(known)s); load it first with load_seeds.")
                % {"slug": repr(collection), "known": known}
            )
        bar = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = tqdm(total=total, desc="Questions", unit="q", disable=no_progress, file=self.stderr)
            bar.update(1)

        report = question_bank_generate(seed=seed, event_slugs=events, progress=progress, collection=collection)
        if bar is not None:
            bar.close()
        for line in report.lines():
            self.stdout.write(line)
