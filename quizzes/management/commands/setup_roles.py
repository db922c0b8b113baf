from django.utils.translation import gettext_lazy, ngettext

from quizzes.management.base import Command as BaseCommand
from quizzes.roles import ROLES, roles_setup


class Command(BaseCommand):
    help = gettext_lazy(
        "Create or update the staff roles as groups with exactly their permissions (idempotent): Curators edit the "
        "curated dataset and the shared bank and scenarios; Teachers read shared content and own their quizzes, "
        "modules, classes and assignments; Administrators are teachers who may enrol any student account."
    )

    def handle(self, *args, **options):
        for name, count in roles_setup().items():
            said = ngettext("%(role)s: %(n)d permission (%(some)s, ...)", "%(role)s: %(n)d permissions (%(some)s, ...)", count)
            self.stdout.write(said % {"role": name, "n": count, "some": ", ".join(sorted(ROLES[name])[:4])})
