"""Roles as data: the groups an installation gives its staff, with exactly these permissions.

- Curators edit the curated dataset (sources, passages, topics, entities, events, figures, claims,
  disputes) and the content every class shares (the question bank, scenarios and their steps, and
  quizzes and modules nobody owns).
- Teachers read the shared content (question bank, scenarios; not the curated dataset), and add,
  change and delete only their own quizzes, modules, classes, groups,
  enrolments, assignments and extensions (the admin checks ownership object by object); they
  change questions only in copies they made ("Make my own copy"), never a shared question.
- Administrators are teachers who may also enrol any existing student account (school staff who
  keep the rosters); superusers may do everything.

`roles_setup()` makes the groups match this table (idempotent); `manage.py setup_roles` and
`seed_demo` call it. Django's model permissions decide what the admin offers; the per-object rules
(own content, own classes) live in quizzes.classes.selectors.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

CURATORS, TEACHERS, ADMINISTRATORS = "Curators", "Teachers", "Administrators"

CURATED = ["source", "passage", "topic", "entity", "entityrole", "event", "eventlink", "figure", "figurereport", "claim", "dispute"]
CURATED += ["disputeaccount"]
SHARED_BANK = ["question", "scenario", "scenariostep"]
OWNED = ["quiz", "quizquestion", "module", "moduleitem", "classroom", "classgroup", "enrolment", "assignment", "extension"]
# Read only: teachers read their students' work, their jobs and their LMS courses (LTI; the admin
# shows a teacher only the courses of classes they teach).
RECORDS = ["attempt", "questionresponse", "job", "lticontext"]

ALL = ("add", "change", "delete", "view")

ROLES: dict[str, set[str]] = {
    CURATORS: {f"{a}_{m}" for a in ALL for m in CURATED + SHARED_BANK}
    | {f"{a}_{m}" for a in ALL for m in ["quiz", "quizquestion", "module", "moduleitem"]}
    | {"curate_shared"},
    # Teachers do not see the curated dataset in the admin (it is read on the site, through the
    # sources and the questions that cite them): their admin is classes, content and results.
    TEACHERS: {f"view_{m}" for m in SHARED_BANK + RECORDS}
    | {f"{a}_{m}" for a in ALL for m in OWNED}
    # Only in the teacher's own copies (QuestionAdmin checks the owner of each question).
    | {"change_question"},
}
ROLES[ADMINISTRATORS] = ROLES[TEACHERS] | {"enrol_any_student"}


@transaction.atomic
def roles_setup() -> dict[str, int]:
    """Create or update the Curators, Teachers and Administrators groups to hold exactly the
    permissions in ROLES (quizzes app); returns {group: number of permissions}."""
    by_codename = {p.codename: p for p in Permission.objects.filter(content_type__app_label="quizzes")}
    missing = sorted({c for codenames in ROLES.values() for c in codenames} - set(by_codename))
    if missing:
        raise RuntimeError(f"unknown permissions {missing}: run migrate first")
    counts = {}
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([by_codename[c] for c in sorted(codenames)])
        counts[name] = len(codenames)
    return counts


def role_grant(user, *names: str) -> None:
    """Put a user in the named role groups (creating the groups first if needed)."""
    if Group.objects.filter(name__in=names).count() != len(names):
        roles_setup()
    user.groups.add(*Group.objects.filter(name__in=names))
