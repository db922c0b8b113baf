from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext, gettext_lazy, ngettext

from quizzes.dataset.reader import COLLECTION_FILE, SOURCES_FILE, Dataset, DatasetInvalid, dataset_read
from quizzes.dataset.services import dataset_load
from quizzes.i18n import translated
from quizzes.management.base import Command as BaseCommand


def episode_folders(root: Path) -> list[Path]:
    """Every episode folder directly under the seeds root (one holding collection.yaml or sources.yaml)."""
    return sorted(p for p in root.iterdir() if p.is_dir() and ((p / COLLECTION_FILE).exists() or (p / SOURCES_FILE).exists()))


class Command(BaseCommand):
    help = gettext_lazy(
        "Validate episode folders (collection.yaml, schema, references, dates, verbatim quotes), then load each "
        "into its own collection, atomically and idempotently; other collections are never touched, and items a "
        "new version drops are retired, never deleted. With no folder, every episode under KZL_SEEDS_ROOT. On any "
        "problem nothing is written and the command exits 1, naming the file, the item, the reason and the fix."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "seeds_dir",
            nargs="?",
            help=gettext_lazy(
                "An episode folder (collection.yaml, sources.yaml, sources/, data/); default: every one under KZL_SEEDS_ROOT."
            ),
        )
        parser.add_argument("--check", action="store_true", help=gettext_lazy("Validate only; write nothing."))
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext_lazy("Say what would be created, changed and retired, per kind; write nothing.")
        )

    def handle(self, *args, seeds_dir=None, check=False, dry_run=False, **options):
        if seeds_dir:
            folders = [Path(seeds_dir)]
            if not folders[0].is_dir():
                raise CommandError(
                    gettext("%(path)s is not a folder; give the path of an episode folder (it holds collection.yaml).")
                    % {"path": seeds_dir}
                )
        else:
            root = Path(settings.KZL_SEEDS_ROOT)
            if not root.is_dir():
                raise CommandError(
                    gettext("%(path)s (KZL_SEEDS_ROOT) is not a folder; set KZL_SEEDS_ROOT or give an episode folder.") % {"path": root}
                )
            folders = episode_folders(root)
            if not folders:
                raise CommandError(
                    gettext("No episode folder under %(path)s; each episode is a folder with a collection.yaml.") % {"path": root}
                )
        datasets: list[tuple[Path, Dataset]] = []
        problems = 0
        for folder in folders:
            try:
                datasets.append((folder, dataset_read(folder)))
            except DatasetInvalid as exc:
                problems += len(exc.errors)
                for error in exc.errors:
                    self.stderr.write(f"  {folder}/{error.render(translated)}")
        owners: dict[str, Path] = {}
        for folder, dataset in datasets:
            assert dataset.collection is not None  # dataset_read refuses a folder without collection.yaml
            slug = dataset.collection.slug
            if slug in owners:
                problems += 1
                said = gettext("%(slug)s is already the slug of %(folder)s; give each episode its own slug.")
                self.stderr.write(f"  {folder}/{COLLECTION_FILE}: slug: " + said % {"slug": repr(slug), "folder": owners[slug]})
            owners.setdefault(slug, folder)
        if problems:
            if len(folders) == 1:
                where = ngettext("%(n)d problem in %(folder)s", "%(n)d problems in %(folder)s", problems) % {
                    "n": problems,
                    "folder": folders[0],
                }
            else:
                where = ngettext(
                    "%(n)d problem in %(folders)d episode folders", "%(n)d problems in %(folders)d episode folders", problems
                ) % {"n": problems, "folders": len(folders)}
            raise CommandError(gettext("%(problems)s; nothing was loaded.") % {"problems": where})
        for _folder, dataset in datasets:
            counts = ", ".join(translated(said) for said in dataset.counts_said())
            name = dataset.collection.slug if dataset.collection else _folder
            self.stdout.write(gettext("%(collection)s: valid: %(counts)s.") % {"collection": name, "counts": counts})
        if check:
            return
        try:
            with transaction.atomic():
                reports = [dataset_load(dataset=dataset, folder=str(folder), dry_run=dry_run) for folder, dataset in datasets]
        except DatabaseError as exc:  # a database refusal is reported as a sentence, never a traceback
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise CommandError(
                gettext("The database refused the load (%(error)s); nothing was loaded. Run `manage.py migrate` and try again.")
                % {"error": first}
            ) from None
        for report in reports:
            self.stdout.write(
                (gettext("%(collection)s (dry run: nothing written):") if dry_run else "%(collection)s:")
                % {"collection": report.collection}
            )
            for line in report.lines():
                self.stdout.write(line)
            if dry_run:
                self.stdout.write(gettext("Nothing written (dry run).") if report.changed else gettext("Nothing would change."))
            else:
                self.stdout.write(
                    self.style.SUCCESS(gettext("Loaded.") if report.changed else gettext("Already up to date: nothing changed."))
                )
