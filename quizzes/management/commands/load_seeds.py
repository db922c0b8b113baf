from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quizzes.dataset.reader import DatasetInvalid, dataset_read
from quizzes.dataset.services import dataset_load


class Command(BaseCommand):
    help = (
        "Validate the curated dataset (schema, references, dates, verbatim quotes), then load it "
        "atomically and idempotently. On any problem nothing is written and the command exits 1, "
        "naming the file, the item and the reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("seeds_dir", nargs="?", help="Folder holding sources.yaml, sources/, data/ and schema/ (default: seeds/).")
        parser.add_argument("--check", action="store_true", help="Validate only; write nothing.")

    def handle(self, *args, seeds_dir=None, check=False, **options):
        folder = Path(seeds_dir) if seeds_dir else settings.KZL_SEEDS_DIR
        try:
            dataset = dataset_read(folder)
        except DatasetInvalid as exc:
            for error in exc.errors:
                self.stderr.write(f"  {error}")
            raise CommandError(f"{len(exc.errors)} problem(s) in {folder}; nothing was loaded.") from None
        counts = ", ".join(f"{n} {name}" for name, n in dataset.counts().items())
        self.stdout.write(f"Valid: {counts}.")
        if check:
            return
        report = dataset_load(dataset=dataset)
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Loaded." if report.changed else "Already up to date: nothing changed."))
