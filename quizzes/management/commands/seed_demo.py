import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from quizzes.bank.assembly import module_demo_build
from quizzes.bank.services import question_bank_generate
from quizzes.classes.services import join_code_display
from quizzes.demo.classroom import demo_class_build
from quizzes.roles import CURATORS, TEACHERS, role_grant, roles_setup
from quizzes.scenarios.services import scenario_bank_generate

DEMO_PASSWORD_ENV = "KZL_DEMO_PASSWORD"  # noqa: S105 - the name of a variable
DEFAULT_DEMO_PASSWORD = "kzlearn-demo"  # noqa: S105 - local demo accounts only


class Command(BaseCommand):
    help = (
        "Build the demo (idempotent): the question bank, the modules and their quizzes, the demo accounts "
        "(an admin, a teacher, students) and a demo class with work already done. Local use only."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        report = question_bank_generate()
        self.stdout.write("Question bank: " + report.lines()[0])
        self.stdout.write(scenario_bank_generate().lines()[0])
        modules = module_demo_build()
        self.stdout.write(f"Modules: {len(modules)}, with {sum(m.items.count() for m in modules)} quizzes and scenarios")
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
            "Demo accounts: admin, curator, teacher, student1..student6 "
            f"(password from ${DEMO_PASSWORD_ENV}, default '{DEFAULT_DEMO_PASSWORD}')."
        )
        classroom = demo_class_build()
        if classroom is not None:
            self.stdout.write(
                f"Demo class: {classroom.name}, {classroom.enrolments.count()} students, "
                f"{classroom.assignments.count()} assignments with work done; join code {join_code_display(classroom.join_code)}"
            )
