import os

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from quizzes.bank.assembly import module_demo_build
from quizzes.bank.services import question_bank_generate
from quizzes.classes.services import join_code_display
from quizzes.demo.classroom import demo_class_build
from quizzes.management.base import Command as BaseCommand
from quizzes.roles import CURATORS, TEACHERS, role_grant, roles_setup
from quizzes.scenarios.services import scenario_bank_generate

DEMO_PASSWORD_ENV = "KZL_DEMO_PASSWORD"  # noqa: S105 - the name of a variable
DEFAULT_DEMO_PASSWORD = "kzlearn-demo"  # noqa: S105 - local demo accounts only


class Command(BaseCommand):
    help = gettext_lazy(
        "Build the demo (idempotent): the question bank, the modules and their quizzes, the demo accounts "
        "(an admin, a teacher, students) and a demo class with work already done. Local use only."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        report = question_bank_generate()
        self.stdout.write(gettext("Question bank: %(counts)s") % {"counts": report.lines()[0]})
        self.stdout.write(scenario_bank_generate().lines()[0])
        modules = module_demo_build()
        self.stdout.write(
            gettext("Modules: %(modules)d, with %(items)d quizzes and scenarios")
            % {"modules": len(modules), "items": sum(m.items.count() for m in modules)}
        )
        password = os.environ.get(DEMO_PASSWORD_ENV, DEFAULT_DEMO_PASSWORD)
        User = get_user_model()
        roles_setup()

        def account(username: str, **flags) -> None:
            user, created = User.objects.get_or_create(username=username, defaults=flags)
            if created:
                user.set_password(password)
                user.save()
            return user

        account("admin", is_staff=True, is_superuser=True, first_name="Demo", last_name="Admin")
        teacher = account("teacher", is_staff=True, first_name="Aigerim", last_name="Teacher")
        role_grant(teacher, TEACHERS)
        curator = account("curator", is_staff=True, first_name="Demo", last_name="Curator")
        role_grant(curator, CURATORS)
        for n, name in enumerate(["Dana", "Arman", "Madina", "Timur", "Zarina", "Yerlan"], start=1):
            account(f"student{n}", first_name=name)
        self.stdout.write(
            gettext("Demo accounts: admin, curator, teacher, student1..student6 (password from $%(variable)s, default '%(default)s').")
            % {"variable": DEMO_PASSWORD_ENV, "default": DEFAULT_DEMO_PASSWORD}
        )
        classroom = demo_class_build()
        if classroom is not None:
            self.stdout.write(
                gettext("Demo class: %(name)s, %(students)d students, %(assignments)d assignments with work done; join code %(code)s")
                % {
                    "name": classroom.name,
                    "students": classroom.enrolments.count(),
                    "assignments": classroom.assignments.count(),
                    "code": join_code_display(classroom.join_code),
                }
            )
