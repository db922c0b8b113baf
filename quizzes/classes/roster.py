"""Bulk provisioning keyed by a school information system's ids (OneRoster `sourcedId`): people
(students, teachers), classes and enrolments made or updated in one call, all or nothing.

The same rows twice change nothing the second time (every row is matched by its sourced id first),
so a sync job may send its whole roster every night. Every row is checked before anything is
written; a bad row is reported with where it came from (`users[3]`, or `users.csv line 5` for a
OneRoster import) and nothing is written. Who may do what follows the class rules
(quizzes.classes.services): a teacher provisions student accounts (recorded as created by them, so
they may enrol them) into classes they teach; teacher accounts and other teachers' places in a class
need an administrator (a superuser). Accounts are made without a usable password unless a row gives
one: students sign in through LTI or get a password slip from their teacher.

Removals (OneRoster `tobedeleted`, or the API's `remove`) name what goes by sourced id: a place in a
class is taken away (a student's enrolment, through enrolment_remove; a teacher's place, administrators
only), an account is deactivated (never deleted: its work stays; only one the caller may change), a
class is archived (only one the caller teaches). What is already gone, or was never provisioned, is
noted and changes nothing, so a removal sent twice is harmless. `complete` says which sections are a
school system's complete set (a OneRoster bulk file): then what the caller provisioned before and the
set leaves out goes too - accounts the caller provisioned (users), and places with a sourced id in the
classes the call names (enrollments). A place without a sourced id (a student who joined by code) is
never removed by a roster.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext, ngettext

from quizzes.classes.services import USERNAME_TAKEN, classroom_archive, classroom_create, enrolment_add, enrolment_remove
from quizzes.models import Classroom, Enrolment, ProvisionedAccount, RosterRole, SourcedEnrollment, SourcedUser
from quizzes.permissions import classrooms_for_teacher

User = get_user_model()

MAX_ROWS = 5000  # per section and call
SOURCED_ID_MAX = 255
ROLES = tuple(RosterRole.values)
# How an export names what no school system named (quizzes.classes.oneroster).
OWN_USER, OWN_CLASS = "kzl-user-", "kzl-class-"


@dataclass(frozen=True)
class UserRow:
    sourced_id: str
    role: str
    username: str
    given_name: str = ""
    family_name: str = ""
    email: str = ""
    enabled: bool = True
    password: str = ""  # used only when the account is made; empty: no usable password
    where: str = ""


@dataclass(frozen=True)
class ClassRow:
    sourced_id: str
    title: str
    where: str = ""


@dataclass(frozen=True)
class EnrollmentRow:
    sourced_id: str
    class_sourced_id: str
    user_sourced_id: str
    role: str
    where: str = ""


@dataclass(frozen=True)
class RemovalRow:
    """Something to remove, by its sourced id (a OneRoster row marked tobedeleted, or the API's `remove`)."""

    sourced_id: str
    where: str = ""


@dataclass
class RowProblem:
    where: str
    sourced_id: str
    field: str
    reason: str


@dataclass
class RosterReport:
    """Each row as it stands after the call (the same for the same rows sent twice), and what the call did."""

    users: list[dict] = field(default_factory=list)  # {sourced_id, id, username, role, enabled}
    classes: list[dict] = field(default_factory=list)  # {sourced_id, id, name, code}
    enrollments: list[dict] = field(default_factory=list)  # {sourced_id, classroom, user, role}
    created: dict[str, int] = field(default_factory=lambda: {"users": 0, "classes": 0, "enrollments": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"users": 0, "classes": 0, "enrollments": 0})
    unchanged: dict[str, int] = field(default_factory=lambda: {"users": 0, "classes": 0, "enrollments": 0})
    # Removals done: accounts deactivated, classes archived, places taken away.
    removed: dict[str, int] = field(default_factory=lambda: {"users": 0, "classes": 0, "enrollments": 0})
    notes: list[str] = field(default_factory=list)

    def job_result(self) -> dict:
        return asdict(self)


class RosterError(Exception):
    """Rows that cannot be provisioned; `problems` lists every one. Nothing was written."""

    def __init__(self, problems: list[RowProblem]):
        n = len(problems)
        super().__init__(ngettext("%(n)d bad row; nothing was written", "%(n)d bad rows; nothing was written", n) % {"n": n})
        self.problems = problems

    def job_result(self) -> dict:
        return {"errors": [asdict(p) for p in self.problems]}


def longer_than(n: int) -> str:
    return gettext("longer than %(n)d characters") % {"n": n}


def not_a_role(role: str) -> str:
    return gettext("must be one of %(roles)s, not %(role)s") % {"roles": ", ".join(ROLES), "role": repr(role)}


def _is_admin(by) -> bool:
    return by is None or by.is_superuser


def _may_manage(by, user, managed: set[int]) -> bool:
    """Whether `by` may change this existing account through provisioning: an administrator any
    non-superuser account; a teacher only a student account they created (by hand, CSV or here)."""
    if user.is_superuser:
        return False
    if _is_admin(by):
        return True
    return not user.is_staff and user.pk in managed


def _check_id(problems: list[RowProblem], row, seen: dict[str, str], name: str = "sourced_id") -> bool:
    value = getattr(row, name)
    if not value or not value.strip():
        problems.append(RowProblem(row.where, "", name, gettext("missing")))
        return False
    if len(value) > SOURCED_ID_MAX:
        problems.append(RowProblem(row.where, value[:40], name, longer_than(SOURCED_ID_MAX)))
        return False
    if name == "sourced_id":
        if value in seen:
            problems.append(RowProblem(row.where, value, name, gettext("duplicate: also at %(where)s") % {"where": seen[value]}))
            return False
        seen[value] = row.where
    return True


@dataclass
class _Plan:
    users: list[tuple[UserRow, Any]] = field(default_factory=list)  # (row, existing account or None)
    classes: list[tuple[ClassRow, Any]] = field(default_factory=list)
    enrollments: list[EnrollmentRow] = field(default_factory=list)
    # Classes and people the enrollments name that exist already (sourced id -> object).
    known_classes: dict[str, Any] = field(default_factory=dict)
    known_users: dict[str, tuple[str, Any]] = field(default_factory=dict)
    # Rows naming an account the caller may not change, accepted because they change nothing.
    as_is: set[str] = field(default_factory=set)
    # Sourced ids of rows already reported bad: enrollments naming them are not reported again.
    failed: set[str] = field(default_factory=set)
    # Removals checked: (where, sourced id, what) per section; what is gone already is only noted.
    remove_users: list[tuple[str, str, Any]] = field(default_factory=list)
    remove_classes: list[tuple[str, str, Any]] = field(default_factory=list)
    remove_enrollments: list[tuple[str, str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _matches(row: UserRow, account) -> bool:
    """The row says of the account exactly what is already so."""
    wanted = (row.username, row.given_name, row.family_name, row.email, row.enabled, row.role == RosterRole.TEACHER)
    return wanted == (account.username, account.first_name, account.last_name, account.email, account.is_active, account.is_staff)


def _own_ids(sourced_ids, prefix: str) -> dict[str, int]:
    """KZLearn's own ids as its export writes them for rows no school system named (`kzl-class-7` -> 7),
    so that a KZLearn export imported back updates what it came from instead of copying it."""
    found = {}
    for sourced_id in sourced_ids:
        tail = sourced_id.removeprefix(prefix)
        if sourced_id.startswith(prefix) and tail.isdigit() and len(tail) < 10:  # within an integer column
            found[sourced_id] = int(tail)
    return found


def _check_users(rows: Sequence[UserRow], by, problems: list[RowProblem], plan: _Plan) -> dict[str, tuple[str, Any]]:
    """Check user rows; returns sourced id -> (role, existing account or None) for the enrollment check."""
    linked = {s.sourced_id: s for s in SourcedUser.objects.filter(sourced_id__in=[r.sourced_id for r in rows]).select_related("user")}
    by_name = {u.username.lower(): u for u in User.objects.filter(username__in=[r.username for r in rows if r.username])}
    own_pks = _own_ids([r.sourced_id for r in rows if r.sourced_id not in linked], OWN_USER)
    own_users = {u.pk: u for u in User.objects.filter(pk__in=own_pks.values(), sourced__isnull=True)}
    own = {sid: own_users[pk] for sid, pk in own_pks.items() if pk in own_users}
    accounts = [s.user for s in linked.values()] + list(by_name.values()) + list(own.values())
    managed = set(ProvisionedAccount.objects.filter(user__in=accounts, created_by=by).values_list("user_id", flat=True)) if by else set()
    taken_links = set(SourcedUser.objects.filter(user__in=list(by_name.values())).values_list("user_id", flat=True))
    seen: dict[str, str] = {}
    names: dict[str, str] = {}
    known: dict[str, tuple[str, Any]] = {}
    for row in rows:
        if not _check_id(problems, row, seen):
            continue
        bad = len(problems)

        def fail(name: str, reason: str, row=row) -> None:
            problems.append(RowProblem(row.where, row.sourced_id, name, reason))

        if row.role not in ROLES:
            fail("role", not_a_role(row.role))
        try:
            User.username_validator(row.username)
            if len(row.username) > 150:
                fail("username", longer_than(150))
        except ValidationError:
            fail("username", gettext("missing, or not only letters, digits and @ . + - _"))
        if row.username.lower() in names:
            fail("username", gettext("duplicate: also at %(where)s") % {"where": names[row.username.lower()]})
        names.setdefault(row.username.lower(), row.where)
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                fail("email", gettext("not an e-mail address: %(email)s") % {"email": repr(row.email)})
        for name in ("given_name", "family_name"):
            if len(getattr(row, name)) > 150:
                fail(name, longer_than(150))
        link = linked.get(row.sourced_id)
        account = link.user if link else None
        if account is None and row.sourced_id in own and not own[row.sourced_id].is_superuser and _matches(row, own[row.sourced_id]):
            account = own[row.sourced_id]
            plan.as_is.add(row.sourced_id)
        elif link is not None and not _may_manage(by, link.user, managed) and link.role == row.role and _matches(row, link.user):
            plan.as_is.add(row.sourced_id)
        elif link is not None:
            if not _may_manage(by, link.user, managed):
                fail("sourced_id", gettext("names an account you may not change"))
            elif link.role != row.role:
                fail("role", gettext("the account is a %(role)s; a role does not change by provisioning") % {"role": link.role})
            other = by_name.get(row.username.lower())
            if other is not None and other.pk != link.user_id:
                fail("username", gettext(USERNAME_TAKEN))
        else:
            account = own.get(row.sourced_id) or by_name.get(row.username.lower())
            other = by_name.get(row.username.lower())
            if account is not None and (
                (other is not None and other.pk != account.pk) or not _may_manage(by, account, managed) or account.pk in taken_links
            ):
                fail("username", gettext(USERNAME_TAKEN))
            elif account is not None and account.is_staff != (row.role == RosterRole.TEACHER):
                if account.is_staff:
                    fail("role", gettext("the account %(username)s is a staff account") % {"username": row.username})
                else:
                    fail("role", gettext("the account %(username)s is a student account") % {"username": row.username})
            elif account is None and row.role == RosterRole.TEACHER and not _is_admin(by):
                fail("role", gettext("only an administrator provisions teacher accounts"))
            if account is None and row.password:
                try:
                    password_validation.validate_password(row.password, User(username=row.username, first_name=row.given_name))
                except ValidationError as exc:
                    fail("password", " ".join(exc.messages))
        if len(problems) == bad:
            plan.users.append((row, account))
            known[row.sourced_id] = (row.role, account)
        else:
            plan.failed.add(row.sourced_id)
    return known


def _check_classes(rows: Sequence[ClassRow], by, problems: list[RowProblem], plan: _Plan) -> dict[str, Any]:
    existing = {c.sourced_id: c for c in Classroom.objects.filter(sourced_id__in=[r.sourced_id for r in rows])}
    own = _own_ids([r.sourced_id for r in rows if r.sourced_id not in existing], OWN_CLASS)
    by_pk = {c.pk: c for c in Classroom.objects.filter(pk__in=own.values(), sourced_id__isnull=True)}
    existing |= {sid: by_pk[pk] for sid, pk in own.items() if pk in by_pk}
    mine = set(classrooms_for_teacher(by).filter(pk__in=[c.pk for c in existing.values()]).values_list("pk", flat=True)) if by else None
    seen: dict[str, str] = {}
    known: dict[str, Any] = {}
    for row in rows:
        if not _check_id(problems, row, seen):
            continue
        classroom = existing.get(row.sourced_id)
        if not row.title.strip() or len(row.title) > 200:
            said = gettext("missing, or longer than %(n)d characters") % {"n": 200}
            problems.append(RowProblem(row.where, row.sourced_id, "title", said))
            plan.failed.add(row.sourced_id)
        elif classroom is not None and mine is not None and classroom.pk not in mine:
            problems.append(RowProblem(row.where, row.sourced_id, "sourced_id", gettext("names a class you do not teach")))
            plan.failed.add(row.sourced_id)
        else:
            plan.classes.append((row, classroom))
            known[row.sourced_id] = classroom
    return known


def _check_enrollments(rows: Sequence[EnrollmentRow], by, problems: list[RowProblem], plan: _Plan, users: dict, classes: dict) -> None:
    # People and classes the rows name but the call does not carry: they must exist already.
    missing_users = {r.user_sourced_id for r in rows} - set(users)
    for link in SourcedUser.objects.filter(sourced_id__in=missing_users).select_related("user"):
        users[link.sourced_id] = (link.role, link.user)
    own_users = _own_ids(missing_users - set(users), OWN_USER)
    for account in User.objects.filter(pk__in=own_users.values(), sourced__isnull=True):
        users[f"{OWN_USER}{account.pk}"] = (RosterRole.TEACHER if account.is_staff else RosterRole.STUDENT, account)
    missing_classes = {r.class_sourced_id for r in rows} - set(classes)
    visible = classrooms_for_teacher(by) if by else Classroom.objects.all()
    for classroom in visible.filter(sourced_id__in=missing_classes):
        classes[classroom.sourced_id] = classroom
    own_classes = _own_ids(missing_classes - set(classes), OWN_CLASS)
    for classroom in visible.filter(pk__in=own_classes.values(), sourced_id__isnull=True):
        classes[f"{OWN_CLASS}{classroom.pk}"] = classroom
    plan.known_classes, plan.known_users = classes, users
    managed = set(
        ProvisionedAccount.objects.filter(created_by=by, user__in=[u for _r, u in users.values() if u]).values_list("user_id", flat=True)
    )
    existing = {e.sourced_id: e for e in SourcedEnrollment.objects.filter(sourced_id__in=[r.sourced_id for r in rows])}
    seen: dict[str, str] = {}
    pairs: dict[tuple[str, str], str] = {}
    for row in rows:
        if not (
            _check_id(problems, row, seen)
            and _check_id(problems, row, seen, "class_sourced_id")
            and _check_id(problems, row, seen, "user_sourced_id")
        ):
            continue

        def fail(name: str, reason: str, row=row) -> None:
            problems.append(RowProblem(row.where, row.sourced_id, name, reason))

        if row.class_sourced_id in plan.failed or row.user_sourced_id in plan.failed:
            continue  # its class or person is reported already
        if row.class_sourced_id not in classes:
            fail("class_sourced_id", gettext("no class %(id)s in this roster or among your classes") % {"id": repr(row.class_sourced_id)})
            continue
        if row.user_sourced_id not in users:
            fail("user_sourced_id", gettext("no person %(id)s in this roster or provisioned before") % {"id": repr(row.user_sourced_id)})
            continue
        if row.role not in ROLES:
            fail("role", not_a_role(row.role))
            continue
        role, account = users[row.user_sourced_id]
        if role != row.role:
            fail("role", gettext("%(id)s is a %(role)s, not a %(wanted)s") % {"id": row.user_sourced_id, "role": role, "wanted": row.role})
            continue
        if row.role == RosterRole.TEACHER and not _is_admin(by) and not (account is not None and account.pk == by.pk):
            fail("role", gettext("only an administrator adds teachers to a class"))
            continue
        classroom = classes[row.class_sourced_id]
        if (
            row.role == RosterRole.STUDENT
            and account is not None
            and not _is_admin(by)
            and account.pk not in managed
            and not (classroom is not None and Enrolment.objects.filter(student=account, classroom=classroom).exists())
        ):
            fail("user_sourced_id", gettext("names a student account you did not create; students join with the class's join code"))
            continue
        pair = (row.class_sourced_id, row.user_sourced_id)
        if pair in pairs:
            fail("user_sourced_id", gettext("already placed in this class at %(where)s") % {"where": pairs[pair]})
            continue
        pairs[pair] = row.where
        known = existing.get(row.sourced_id)
        if known is not None and (
            classroom is None or account is None or (known.classroom_id, known.user_id) != (classroom.pk, account.pk)
        ):
            fail("sourced_id", gettext("already names another person's place or another class"))
            continue
        plan.enrollments.append(row)


@dataclass(frozen=True)
class Removals:
    """What a call removes, by sourced id, and which of its sections are complete sets (OneRoster bulk)."""

    users: Sequence[RemovalRow] = ()
    classes: Sequence[RemovalRow] = ()
    enrollments: Sequence[RemovalRow] = ()
    complete: frozenset[str] = frozenset()  # of "users", "enrollments"


def _implied(removals: Removals, by, plan: _Plan) -> tuple[list[RemovalRow], list[RemovalRow]]:
    """The removals a complete set implies: what the caller provisioned and the set leaves out."""
    users: list[RemovalRow] = []
    enrollments: list[RemovalRow] = []
    named = {r.sourced_id for r in removals.users} | {r.sourced_id for r, _a in plan.users}
    if "users" in removals.complete and by is not None:
        gone = SourcedUser.objects.filter(created_by=by, user__is_active=True).exclude(sourced_id__in=named)
        users = [RemovalRow(s, "not in the complete users.csv") for s in gone.order_by("sourced_id").values_list("sourced_id", flat=True)]
    if "enrollments" in removals.complete:
        rooms = [c.pk for _r, c in plan.classes if c is not None]
        kept = {r.sourced_id for r in plan.enrollments} | {r.sourced_id for r in removals.enrollments}
        gone_places = SourcedEnrollment.objects.filter(classroom__in=rooms).exclude(sourced_id__in=kept).order_by("sourced_id")
        if not _is_admin(by):  # a teacher's place is an administrator's to take away, and never the caller's own
            gone_places = gone_places.exclude(role=RosterRole.TEACHER)
        enrollments = [RemovalRow(s, "not in the complete enrollments.csv") for s in gone_places.values_list("sourced_id", flat=True)]
    return users, enrollments


def _check_removals(removals: Removals, by, problems: list[RowProblem], plan: _Plan) -> None:
    implied_users, implied_enrollments = _implied(removals, by, plan)
    user_rows = [*removals.users, *implied_users]
    enrollment_rows = [*removals.enrollments, *implied_enrollments]
    kept_users = {r.sourced_id for r, _a in plan.users} | plan.failed
    kept_classes = {r.sourced_id for r, _c in plan.classes} | plan.failed
    kept_places = {r.sourced_id for r in plan.enrollments} | plan.failed

    def gone(row: RemovalRow, note: str) -> None:
        plan.notes.append(note % {"where": row.where, "id": row.sourced_id})

    def refuse(row: RemovalRow, reason: str) -> None:
        problems.append(RowProblem(row.where, row.sourced_id, "sourced_id", reason))

    links = {s.sourced_id: s for s in SourcedUser.objects.filter(sourced_id__in=[r.sourced_id for r in user_rows]).select_related("user")}
    managed = set(
        ProvisionedAccount.objects.filter(created_by=by, user__in=[s.user for s in links.values()]).values_list("user_id", flat=True)
    )
    for row in user_rows:
        link = links.get(row.sourced_id)
        if row.sourced_id in kept_users:
            refuse(row, gettext("both provisioned and removed in this roster"))
        elif link is None:
            gone(row, gettext("%(where)s: person %(id)s is not here (removed already, or never provisioned); nothing to remove"))
        elif link.user.pk == getattr(by, "pk", None):
            refuse(row, gettext("names your own account"))
        elif not _may_manage(by, link.user, managed):
            refuse(row, gettext("names an account you may not change"))
        else:
            plan.remove_users.append((row.where, row.sourced_id, link.user))
    rooms = {c.sourced_id: c for c in Classroom.objects.filter(sourced_id__in=[r.sourced_id for r in removals.classes])}
    mine = set(classrooms_for_teacher(by).filter(pk__in=[c.pk for c in rooms.values()]).values_list("pk", flat=True)) if by else None
    for row in removals.classes:
        classroom = rooms.get(row.sourced_id)
        if row.sourced_id in kept_classes:
            refuse(row, gettext("both provisioned and removed in this roster"))
        elif classroom is None or classroom.archived_at is not None:
            gone(row, gettext("%(where)s: class %(id)s is not here (removed already, or never provisioned); nothing to remove"))
        elif mine is not None and not _is_admin(by) and classroom.pk not in mine:
            refuse(row, gettext("names a class you do not teach"))
        else:
            plan.remove_classes.append((row.where, row.sourced_id, classroom))
    named_places = SourcedEnrollment.objects.filter(sourced_id__in=[r.sourced_id for r in enrollment_rows])
    places = {e.sourced_id: e for e in named_places.select_related("classroom", "user")}
    taught = (
        set(classrooms_for_teacher(by).filter(pk__in=[e.classroom_id for e in places.values()]).values_list("pk", flat=True))
        if by and not _is_admin(by)
        else None
    )
    for row in enrollment_rows:
        place = places.get(row.sourced_id)
        if row.sourced_id in kept_places:
            refuse(row, gettext("both placed and removed in this roster"))
        elif place is None:
            gone(row, gettext("%(where)s: place %(id)s is not here (removed already, or never provisioned); nothing to remove"))
        elif taught is not None and place.classroom_id not in taught:
            refuse(row, gettext("names a place in a class you do not teach"))
        elif place.role == RosterRole.TEACHER and not _is_admin(by):
            refuse(row, gettext("only an administrator takes a teacher out of a class"))
        else:
            plan.remove_enrollments.append((row.where, row.sourced_id, place))


def roster_check(
    *,
    users: Sequence[UserRow] = (),
    classes: Sequence[ClassRow] = (),
    enrollments: Sequence[EnrollmentRow] = (),
    removals: Removals = Removals(),
    by=None,
) -> _Plan:
    """Check every row against the database and each other; RosterError listing every bad row, or the plan to write."""
    problems: list[RowProblem] = []
    sections = (
        ("users", users),
        ("classes", classes),
        ("enrollments", enrollments),
        ("remove.users", removals.users),
        ("remove.classes", removals.classes),
        ("remove.enrollments", removals.enrollments),
    )
    for name, rows in sections:
        if len(rows) > MAX_ROWS:
            problems.append(RowProblem(name, "", name, gettext("more than %(n)d rows; send them in parts") % {"n": MAX_ROWS}))
    if problems:
        raise RosterError(problems)
    plan = _Plan()
    known_users = _check_users(users, by, problems, plan)
    known_classes = _check_classes(classes, by, problems, plan)
    _check_enrollments(enrollments, by, problems, plan, known_users, known_classes)
    _check_removals(removals, by, problems, plan)
    if problems:
        raise RosterError(problems)
    return plan


def roster_apply(
    *,
    users: Sequence[UserRow] = (),
    classes: Sequence[ClassRow] = (),
    enrollments: Sequence[EnrollmentRow] = (),
    removals: Removals = Removals(),
    by=None,
    progress: Callable[[int, int], None] | None = None,
) -> RosterReport:
    """Create or update people, classes and class places by their sourced ids, and remove what `removals`
    names (or a complete set leaves out), as `by` (None: the system); all or nothing.

    Raises RosterError (every bad row, nothing written). The same rows sent again change nothing."""
    plan = roster_check(users=users, classes=classes, enrollments=enrollments, removals=removals, by=by)
    total = len(plan.users) + len(plan.classes) + len(plan.enrollments) + len(plan.remove_users) + len(plan.remove_enrollments)
    # Passwords are hashed before the transaction (the hasher's full cost, about 0.2 s each).
    hashed = {row.sourced_id: make_password(row.password) for row, account in plan.users if account is None and row.password}
    report = RosterReport()
    try:
        with transaction.atomic():
            people = _write_users(plan, by, hashed, report)
            rooms = _write_classes(plan, by, report)
            _write_enrollments(plan, by, people, rooms, report)
            _write_removals(plan, report)
    except IntegrityError:
        # Someone took a username or a sourced id since the rows were checked.
        raise RosterError(
            [RowProblem("", "", "", gettext("the roster changed while it was written (a username or id taken meanwhile); send it again"))]
        ) from None
    if progress:
        progress(total, total)
    return report


def _write_users(plan: _Plan, by, hashed: dict[str, str], report: RosterReport) -> dict[str, Any]:
    people: dict[str, Any] = {}
    teachers = Group.objects.filter(name=getattr(settings, "KZL_LTI_TEACHER_GROUP", "Teachers")).first()
    for row, account in plan.users:
        if row.sourced_id in plan.as_is:
            people[row.sourced_id] = account
            report.unchanged["users"] += 1
            report.users.append(
                {
                    "sourced_id": row.sourced_id,
                    "id": account.pk,
                    "username": account.username,
                    "role": row.role,
                    "enabled": account.is_active,
                }
            )
            continue
        wanted = {
            "username": row.username,
            "first_name": row.given_name,
            "last_name": row.family_name,
            "email": row.email,
            "is_active": row.enabled,
        }
        if account is None:
            account = User(is_staff=row.role == RosterRole.TEACHER, **wanted)
            if row.sourced_id in hashed:
                account.password = hashed[row.sourced_id]
            else:
                account.set_unusable_password()
            account.save()
            if row.role == RosterRole.TEACHER and teachers is not None:
                account.groups.add(teachers)
            if row.role == RosterRole.STUDENT:
                ProvisionedAccount.objects.get_or_create(user=account, defaults={"created_by": by})
            SourcedUser.objects.create(user=account, sourced_id=row.sourced_id, role=row.role, created_by=by)
            report.created["users"] += 1
        else:
            changed = [name for name, value in wanted.items() if getattr(account, name) != value]
            for name in changed:
                setattr(account, name, wanted[name])
            if changed:
                account.save(update_fields=changed)
            _, linked = SourcedUser.objects.get_or_create(
                user=account, defaults={"sourced_id": row.sourced_id, "role": row.role, "created_by": by}
            )
            (report.updated if changed or linked else report.unchanged)["users"] += 1
        people[row.sourced_id] = account
        report.users.append(
            {"sourced_id": row.sourced_id, "id": account.pk, "username": account.username, "role": row.role, "enabled": account.is_active}
        )
    return people


def _write_classes(plan: _Plan, by, report: RosterReport) -> dict[str, Classroom]:
    rooms: dict[str, Classroom] = {}
    for row, classroom in plan.classes:
        if classroom is None:
            classroom = classroom_create(name=row.title.strip(), teachers=[] if _is_admin(by) else [by])
            classroom.sourced_id = row.sourced_id
            classroom.save(update_fields=["sourced_id"])
            report.created["classes"] += 1
        elif classroom.name != row.title.strip():
            classroom.name = row.title.strip()
            classroom.save(update_fields=["name"])
            report.updated["classes"] += 1
        else:
            report.unchanged["classes"] += 1
        rooms[row.sourced_id] = classroom
        report.classes.append({"sourced_id": row.sourced_id, "id": classroom.pk, "name": classroom.name, "code": classroom.code})
    return rooms


def _write_enrollments(plan: _Plan, by, people: dict, rooms: dict, report: RosterReport) -> None:
    for row in plan.enrollments:
        classroom = rooms.get(row.class_sourced_id) or plan.known_classes[row.class_sourced_id]
        person = people.get(row.user_sourced_id) or plan.known_users[row.user_sourced_id][1]
        if row.role == RosterRole.TEACHER:
            placed = not classroom.teachers.filter(pk=person.pk).exists()
            if placed:
                classroom.teachers.add(person)
        else:
            placed = not Enrolment.objects.filter(classroom=classroom, student=person).exists()
            if placed:
                enrolment_add(classroom=classroom, student=person, by=by)
        link, created = SourcedEnrollment.objects.get_or_create(
            classroom=classroom, user=person, defaults={"sourced_id": row.sourced_id, "role": row.role}
        )
        relinked = not created and link.sourced_id != row.sourced_id
        if relinked:
            link.sourced_id = row.sourced_id
            link.save(update_fields=["sourced_id", "updated_at"])
        key = "created" if placed else ("updated" if created or relinked else "unchanged")
        getattr(report, key)["enrollments"] += 1
        report.enrollments.append({"sourced_id": row.sourced_id, "classroom": classroom.pk, "user": person.pk, "role": row.role})


def _write_removals(plan: _Plan, report: RosterReport) -> None:
    """Places first (a student taken out, a teacher's place), then classes archived, then accounts deactivated."""
    for where, sourced_id, place in plan.remove_enrollments:
        if place.role == RosterRole.TEACHER:
            taken = place.classroom.teachers.filter(pk=place.user_id).exists()
            place.classroom.teachers.remove(place.user)
        else:
            enrolment = Enrolment.objects.filter(classroom_id=place.classroom_id, student_id=place.user_id).first()
            taken = enrolment is not None
            if enrolment is not None:
                enrolment_remove(enrolment=enrolment)
        place.delete()
        (report.removed if taken else report.unchanged)["enrollments"] += 1
        note = gettext("%(where)s: %(id)s taken out of the class") if taken else gettext("%(where)s: %(id)s was no longer in the class")
        report.notes.append(note % {"where": where, "id": sourced_id})
    for where, sourced_id, classroom in plan.remove_classes:
        classroom_archive(classroom=classroom)
        report.removed["classes"] += 1
        report.notes.append(gettext("%(where)s: class %(id)s archived (its work stays)") % {"where": where, "id": sourced_id})
    for where, sourced_id, account in plan.remove_users:
        if account.is_active:
            account.is_active = False
            account.save(update_fields=["is_active"])
            report.removed["users"] += 1
            said = gettext("%(where)s: %(id)s deactivated (the account and its work stay)")
            report.notes.append(said % {"where": where, "id": sourced_id})
        else:
            report.unchanged["users"] += 1
    report.notes.extend(plan.notes)
