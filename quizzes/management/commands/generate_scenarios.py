from django.utils.translation import gettext_lazy

from quizzes.management.base import Command as BaseCommand
from quizzes.scenarios.services import scenario_bank_generate


class Command(BaseCommand):
    help = gettext_lazy(
        "Generate the 'what happened next' scenarios from the event data (idempotent): scenarios and steps are "
        "updated in place by key, teacher edits are kept, and scenarios the data no longer supports are unpublished, "
        "never deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=0, help=gettext_lazy("Seed for the order of options (default 0)."))

    def handle(self, *args, seed, **options):
        for line in scenario_bank_generate(seed=seed).lines():
            self.stdout.write(line)
