from django.core.management.base import BaseCommand
from tqdm import tqdm

from quizzes.bank.services import question_bank_generate


class Command(BaseCommand):
    help = (
        "Generate the question bank from the event data (idempotent): questions are updated in place by key, "
        "teacher edits are kept, and questions whose facts no longer hold are retired, never deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=0, help="Seed for distractors and option order (default 0).")
        parser.add_argument("--event", action="append", dest="events", help="Only questions about this event slug (repeatable).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, seed, events, no_progress, **options):
        bar = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = tqdm(total=total, desc="Questions", unit="q", disable=no_progress, file=self.stderr)
            bar.update(1)

        report = question_bank_generate(seed=seed, event_slugs=events, progress=progress)
        if bar is not None:
            bar.close()
        for line in report.lines():
            self.stdout.write(line)
