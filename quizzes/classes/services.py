"""Writes for classes: creating classes, enrolling students (by join code, one by one or from a
CSV file), assigning modules with dates, and granting extensions.

Students are ordinary (non-staff) accounts: a student never reaches the admin. A teacher reaches
a student only with the student's consent or an administrator's: the student types the class's
join code, or the teacher creates the account (recorded as a ProvisionedAccount), or an
administrator (a superuser, or holder of quizzes.enrol_any_student) enrols an existing account.
Refusals read the same whether the account exists, is staff, or belongs to nobody the teacher
knows, so nobody learns usernames by probing. A CSV import is all or nothing: every row is
checked first, every bad row is reported with its line number, and nothing is written unless all
rows are good.
"""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from quizzes.models import Assignment, ClassGroup, Classroom, Enrolment, Extension, Module, ProvisionedAccount, WebhookEvent
from quizzes.permissions import modules_for_teacher
from quizzes.webhooks.services import EnrolmentChange, enrolment_changed_record, webhook_endpoints_for

User = get_user_model()

CSV_COLUMNS = ("username", "first_name", "last_name", "email", "group", "password")
CSV_MAX_BYTES = 1_000_000
CSV_MAX_ROWS = 2000
# No 0/O, 1/l/I: generated passwords are read off a sheet of paper.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 - an alphabet, not a password
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8
# Wrong join codes a student may type per window before being asked to wait (guessing one of
# 31^8 codes at this rate takes longer than any school year).
JOIN_TRIES, JOIN_WINDOW_SECONDS = 10, 15 * 60

# One message for every refusal, so that a probe cannot tell a missing account from a staff one
# or from another school's student.
NOT_YOURS = gettext_lazy(
    "No student account you may enrol has this username. Students join with the class's join code; "
    "an administrator can add an existing account."
)
USERNAME_TAKEN = gettext_noop(
    "this username is taken by an account you did not create: pick another username, or ask the student to join with the class's join code"
)
JOIN_REFUSED = gettext_noop("No class is open for joining with this code. Check the code with your teacher.")


# --- classes ------------------------------------------------------------------------------------


@transaction.atomic
def classroom_create(*, name: str, teachers: list, code: str = "") -> Classroom:
    """Create a class taught by `teachers`; the code defaults to a unique slug of the name."""
    base = slugify(code or name)[:50] or "class"
    code, n = base, 1
    while Classroom.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    classroom = Classroom.objects.create(name=name, code=code, join_code=join_code_generate())
    classroom.teachers.set(teachers)
    return classroom


def join_code_generate() -> str:
    """A fresh join code no class uses: 8 letters and digits without look-alikes (no 0/O, 1/I/L)."""
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if not Classroom.objects.filter(join_code=code).exists():
            return code


def join_code_display(code: str | None) -> str:
    """ABCDEFGH -> ABCD-EFGH, as printed for a class; empty when joining is closed."""
    return f"{code[:4]}-{code[4:]}" if code else ""


def join_code_normalize(text: str) -> str:
    """What a student typed, as stored: upper case, spaces and hyphens dropped."""
    return "".join(ch for ch in (text or "").upper() if ch not in " -\t")


@transaction.atomic
def classroom_join_code_rotate(*, classroom: Classroom, close: bool = False) -> Classroom:
    """Give the class a new join code (the old one stops working), or close joining (`close`)."""
    classroom.join_code = None if close else join_code_generate()
    classroom.save(update_fields=["join_code"])
    return classroom


def group_create(*, classroom: Classroom, name: str) -> ClassGroup:
    """Add a group to a class; names are unique within the class (compared without case or outer spaces)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "A group needs a name."})
    taken = ValidationError({"name": f"{classroom.name} already has a group called {name}."})
    if classroom.groups.filter(name__iexact=name).exists():
        raise taken
    try:
        with transaction.atomic():
            return ClassGroup.objects.create(classroom=classroom, name=name)
    except IntegrityError:  # the same name added at the same moment by another request
        raise taken from None


def may_enrol_any(actor) -> bool:
    """An administrator: may put any existing student account in a class."""
    return actor is None or actor.is_superuser or actor.has_perm("quizzes.enrol_any_student")


def may_enrol(actor, student) -> bool:
    """Whether `actor` (None: the system, e.g. the demo) may enrol this existing account: it is a
    student account, and the actor is an administrator or created it."""
    if student is None or student.is_staff or student.is_superuser:
        return False
    return may_enrol_any(actor) or ProvisionedAccount.objects.filter(user=student, created_by=actor).exists()


def enrolment_check(*, classroom: Classroom, student, group: ClassGroup | None = None, by=None) -> None:
    """Raise ValidationError unless `by` may enrol `student` in `classroom` (and `group`)."""
    if classroom.enrolments.filter(student=student).exists():
        pass  # already in this class (the actor teaches it): moving between groups needs no consent
    elif not may_enrol(by, student):
        raise ValidationError({"username": NOT_YOURS})
    if group is not None and group.classroom_id != classroom.pk:
        raise ValidationError({"group": f"The group {group.name} belongs to another class."})


_KEEP = object()


@transaction.atomic
def enrolment_add(*, classroom: Classroom, student, by, group=_KEEP) -> Enrolment:
    """Enrol an existing student account that `by` may enrol (see may_enrol; None: the system).
    Already in the class: moved to `group` if one is given, otherwise left in their group."""
    enrolment_check(classroom=classroom, student=student, group=None if group is _KEEP else group, by=by)
    enrolment = Enrolment.objects.filter(classroom=classroom, student=student).first()
    if enrolment is None:
        via = Enrolment.Via.PROVISIONED if by is not None and not may_enrol_any(by) else Enrolment.Via.ADMIN
        enrolment = Enrolment.objects.create(
            classroom=classroom, student=student, group=None if group is _KEEP else group, via=via, added_by=by
        )
        enrolment_changed_record(enrolment=enrolment, change=EnrolmentChange.ADDED)
        return enrolment
    if group is not _KEEP and enrolment.group_id != (group.pk if group else None):
        enrolment.group = group
        enrolment.save(update_fields=["group"])
        enrolment_changed_record(enrolment=enrolment, change=EnrolmentChange.MOVED)
    return enrolment


@transaction.atomic
def enrolment_move(*, enrolment: Enrolment, group: ClassGroup | None) -> Enrolment:
    """Move a student to another group of their class (None: no group)."""
    if group is not None and group.classroom_id != enrolment.classroom_id:
        raise ValidationError({"group": f"The group {group.name} belongs to another class."})
    if enrolment.group_id != (group.pk if group else None):
        enrolment.group = group
        enrolment.save(update_fields=["group"])
        enrolment_changed_record(enrolment=enrolment, change=EnrolmentChange.MOVED)
    return enrolment


def _join_tries_key(student) -> str:
    return f"kzl:join-tries:{student.pk}"


@transaction.atomic
def enrolment_join(*, student, code: str) -> Enrolment:
    """The student joins the class whose join code they typed (their consent); joining twice is a
    no-op. Wrong codes are counted per student and refused alike once too many."""
    if student.is_staff or student.is_superuser:
        raise ValidationError({"code": gettext("Teacher and staff accounts do not join classes as students.")})
    key = _join_tries_key(student)
    if (cache.get(key) or 0) >= JOIN_TRIES:
        raise ValidationError({"code": gettext("Too many wrong codes. Wait a quarter of an hour, then try again.")})
    normalized = join_code_normalize(code)
    open_classes = Classroom.objects.filter(archived_at__isnull=True)
    classroom = open_classes.filter(join_code=normalized).first() if len(normalized) == JOIN_CODE_LENGTH else None
    if classroom is None:
        try:
            cache.add(key, 0, JOIN_WINDOW_SECONDS)
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, JOIN_WINDOW_SECONDS)
        raise ValidationError({"code": gettext(JOIN_REFUSED)})
    enrolment, created = Enrolment.objects.get_or_create(
        classroom=classroom, student=student, defaults={"via": Enrolment.Via.JOIN_CODE, "added_by": student}
    )
    if created:
        enrolment_changed_record(enrolment=enrolment, change=EnrolmentChange.ADDED)
    return enrolment


@transaction.atomic
def classroom_archive(*, classroom: Classroom) -> Classroom:
    """Archive a class (API DELETE): it leaves its teachers' and students' lists and joining closes;
    its enrolments, assignments and all the work done in it stay, and the admin can restore it."""
    if classroom.archived_at is None:
        classroom.archived_at = timezone.now()
        classroom.join_code = None
        classroom.save(update_fields=["archived_at", "join_code"])
    return classroom


def classroom_restore(*, classroom: Classroom) -> Classroom:
    """Bring an archived class back (joining stays closed until a new code is given)."""
    Classroom.objects.filter(pk=classroom.pk).update(archived_at=None)
    classroom.archived_at = None
    return classroom


@transaction.atomic
def enrolment_remove(*, enrolment: Enrolment) -> None:
    """Take a student out of a class. Their attempts, runs and progress stay theirs; the class's
    results simply no longer list them, and enrolling them again brings their work back."""
    enrolment_changed_record(enrolment=enrolment, change=EnrolmentChange.REMOVED)
    enrolment.delete()


# --- students from a CSV file -------------------------------------------------------------------


@dataclass
class RowError:
    line: int
    username: str
    reason: str


@dataclass
class ImportReport:
    """What an import did (or, when checking only or on errors, would do)."""

    created: list[tuple[str, str]] = field(default_factory=list)  # (username, password shown once, "" if given in the file)
    enrolled: list[str] = field(default_factory=list)  # existing accounts added to the class
    unchanged: list[str] = field(default_factory=list)  # already in the class with the same group
    moved: list[str] = field(default_factory=list)  # already in the class, group changed
    errors: list[RowError] = field(default_factory=list)

    def job_result(self) -> dict:
        """The report as a background job keeps it for its starter (Job.result)."""
        return {
            "created": [list(pair) for pair in self.created],
            "enrolled": self.enrolled,
            "unchanged": self.unchanged,
            "moved": self.moved,
            "errors": [asdict(e) for e in self.errors],
        }

    @classmethod
    def from_job_result(cls, data: dict) -> ImportReport:
        return cls(
            created=[(u, p) for u, p in data.get("created", [])],
            enrolled=list(data.get("enrolled", [])),
            unchanged=list(data.get("unchanged", [])),
            moved=list(data.get("moved", [])),
            errors=[RowError(**e) for e in data.get("errors", [])],
        )


class StudentImportError(Exception):
    """An import with bad rows; `report.errors` lists every one. Nothing was written."""

    def __init__(self, report: ImportReport):
        super().__init__(f"{len(report.errors)} bad row(s); nothing was imported")
        self.report = report

    def job_result(self) -> dict:
        return self.report.job_result()


def password_generate() -> str:
    """A random password a student can type from a printed slip: xxxx-xxxx-xxxx."""
    return "-".join("".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3))


def student_password_reset(*, classroom: Classroom, student, by) -> str:
    """Give a student of `classroom` a new generated password and return it (to be shown once, on a slip).

    Only a teacher of the class (or a superuser) may, and only for a student account enrolled in it:
    never a staff or superuser account. The student's other sessions end (Django ties a session to
    the password)."""
    if not (by.is_superuser or classroom.teachers.filter(pk=by.pk).exists()):
        raise PermissionDenied("only a teacher of the class resets its students' passwords")
    if student.is_staff or student.is_superuser or not classroom.enrolments.filter(student=student).exists():
        raise PermissionDenied("only the password of a student account in the class can be reset here")
    password = password_generate()
    student.set_password(password)
    student.save(update_fields=["password"])
    return password


def import_template_csv(classroom: Classroom) -> str:
    """A CSV file to fill in for an import into `classroom`: the header and two example rows, which use
    the class's own groups (none when it has none)."""
    groups = list(classroom.groups.order_by("name").values_list("name", flat=True))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    examples = [("aliya.s", "Aliya", "Serikova", "aliya@example.org"), ("bolat.k", "Bolat", "Kassymov", "")]
    for n, row in enumerate(examples):
        writer.writerow([*row, groups[n % len(groups)] if groups else "", ""])
    return out.getvalue()


def import_report_csv(report: ImportReport, classroom: Classroom) -> str:
    """What an import did, as a CSV to keep: one row per student with the result, and the password
    generated for a new account (empty when it came from the file or the account already existed)."""
    created = dict(report.created)
    results = [(u, "new account") for u in created] + [(u, "existing account enrolled") for u in report.enrolled]
    results += [(u, "moved to another group") for u in report.moved] + [(u, "already in the class") for u in report.unchanged]
    users = {u.username: u for u in User.objects.filter(username__in=[u for u, _ in results])}
    groups = dict(classroom.enrolments.filter(student__username__in=users).values_list("student__username", "group__name"))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["username", "first_name", "last_name", "class", "group", "result", "password"])
    for username, result in results:
        user = users.get(username)
        first, last = (user.first_name, user.last_name) if user else ("", "")
        writer.writerow([username, first, last, classroom.name, groups.get(username) or "", result, created.get(username, "")])
    return out.getvalue()


def _csv_rows(file) -> list[tuple[int, dict]]:
    """(line number, row) for each non-empty data row; raises StudentImportError for an unreadable file."""

    def fail(line: int, reason: str):
        raise StudentImportError(ImportReport(errors=[RowError(line, "", reason)]))

    raw = file.read(CSV_MAX_BYTES + 1)
    if len(raw) > CSV_MAX_BYTES:
        fail(0, gettext("the file is larger than %(n)d kB") % {"n": CSV_MAX_BYTES // 1000})
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            fail(0, gettext("the file is not UTF-8 text (in a spreadsheet, save as 'CSV UTF-8')"))
    raw = raw.lstrip("\ufeff")
    if not raw.strip():
        fail(0, gettext("the file is empty"))
    if "\x00" in raw:
        fail(raw[: raw.index("\x00")].count("\n") + 1, gettext("the file holds a NUL character (it is not a CSV text file)"))
    # Spreadsheets in many locales write ';' or tabs instead of commas. Only the delimiter is taken
    # from the sniffer: quoting stays the standard one ("" inside quotes is one quote), which the
    # sniffer misjudges on a one-line sample.
    try:
        delimiter = csv.Sniffer().sniff(raw.split("\n", 1)[0], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter, doublequote=True, quotechar='"', strict=False)
    try:
        return _csv_records(reader, fail)
    except csv.Error as exc:  # e.g. a field longer than the csv module's limit (128 kB)
        fail(reader.line_num, gettext("the line cannot be read as CSV (%(error)s)") % {"error": exc})
        raise  # unreachable: fail() raises


def _csv_records(reader, fail) -> list[tuple[int, dict]]:
    header = [h.strip().lower().replace(" ", "_") for h in next(reader)]
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if "username" not in header or unknown or len(set(header)) != len(header):
        fail(
            1,
            gettext("the first line must name the columns: username (required), then any of %(columns)s")
            % {"columns": ", ".join(CSV_COLUMNS[1:])}
            + ("; " + gettext("unknown: %(columns)s") % {"columns": ", ".join(unknown)} if unknown else ""),
        )
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        if len(rows) == CSV_MAX_ROWS:
            fail(reader.line_num, gettext("more than %(n)d rows; split the file") % {"n": CSV_MAX_ROWS})
        if len(values) > len(header):
            said = gettext("%(n)d values for %(columns)d columns") % {"n": len(values), "columns": len(header)}
            rows.append((reader.line_num, {"username": values[0].strip(), "_error": said}))
            continue
        rows.append((reader.line_num, {k: v.strip() for k, v in zip(header, values, strict=False)}))
    return rows


def _row_check(row: dict, *, groups: dict[str, ClassGroup], existing: dict[str, object], allowed) -> str | None:
    """The reason a row cannot be imported, or None."""
    username = row.get("username", "")
    if row.get("_error"):
        return row["_error"]
    if not username:
        return gettext("missing username")
    try:
        User.username_validator(username)
    except ValidationError:
        return gettext("username may contain only letters, digits and @ . + - _")
    if len(username) > 150:
        return gettext("username is longer than %(n)d characters") % {"n": 150}
    if row.get("email"):
        try:
            validate_email(row["email"])
        except ValidationError:
            return gettext("bad email %(email)s") % {"email": repr(row["email"])}
    if row.get("group") and row["group"] not in groups:
        if not groups:
            return gettext("unknown group %(group)s (this class has no groups yet)") % {"group": repr(row["group"])}
        return gettext("unknown group %(group)s (groups in this class: %(groups)s)") % {
            "group": repr(row["group"]),
            "groups": ", ".join(sorted(groups)),
        }
    user = existing.get(username)
    if user is not None and not allowed(user):
        return gettext(USERNAME_TAKEN)
    for name in ("first_name", "last_name"):
        if len(row.get(name, "")) > 150:
            return gettext("%(field)s is longer than %(n)d characters") % {"field": name, "n": 150}
    if user is None and row.get("password"):
        try:
            password_validation.validate_password(
                row["password"], User(username=username, first_name=row.get("first_name", ""), email=row.get("email", ""))
            )
        except ValidationError as exc:
            return gettext("password: %(reasons)s") % {"reasons": " ".join(exc.messages)}
    return None


def students_import_rows(
    *, classroom: Classroom, rows: list[tuple[int, dict]], by, dry_run: bool = False, progress: Callable[[int, int], None] | None = None
) -> ImportReport:
    """Enrol students given as rows {username, first_name, last_name, email, group, password}: all or nothing.

    A new username creates a non-staff account (with the password given, or a generated one that
    the report shows once), recorded as created by `by`; an existing account is enrolled as it is
    (its name and password are not changed) only if `by` may enrol it (see may_enrol), and a taken
    username is otherwise refused like any other; a student already in the class is moved to the
    row's group. Raises StudentImportError listing every bad row, having written nothing.

    Every row is checked first; then each new account's password is hashed (the hasher's full cost,
    about 0.2 s each: `progress(done, total)` counts rows); then everything is written in one
    transaction with bulk inserts. A username taken by someone else meanwhile fails the whole import."""
    groups = {g.name: g for g in classroom.groups.all()}
    usernames = {row.get("username", "") for _, row in rows}
    existing = {u.username: u for u in User.objects.filter(username__in=usernames)}
    enrolled = {e.student_id: e for e in classroom.enrolments.all()}
    mine = set(ProvisionedAccount.objects.filter(user__in=existing.values(), created_by=by).values_list("user_id", flat=True))

    def allowed(user) -> bool:
        if user.is_staff or user.is_superuser:
            return False
        return user.pk in enrolled or may_enrol_any(by) or user.pk in mine

    report, seen = ImportReport(), {}
    for line, row in rows:
        username = row.get("username", "")
        reason = _row_check(row, groups=groups, existing=existing, allowed=allowed)
        if reason is None and username.lower() in seen:
            reason = gettext("duplicate: %(username)s is also on line %(line)d") % {"username": username, "line": seen[username.lower()]}
        seen.setdefault(username.lower(), line)
        if reason:
            report.errors.append(RowError(line, username, reason))
    if report.errors:
        raise StudentImportError(report)
    new_users: list[tuple[int, object, ClassGroup | None]] = []  # (line, unsaved user, group)
    enrol: list[tuple[object, ClassGroup | None]] = []
    moves: list[tuple[int, ClassGroup | None]] = []
    if progress:
        progress(0, len(rows))
    for done, (line, row) in enumerate(rows, start=1):
        username, group = row["username"], groups.get(row.get("group", ""))
        user = existing.get(username)
        if user is None:
            password = row.get("password") or password_generate()
            report.created.append((username, "" if row.get("password") else password))
            if not dry_run:
                new_users.append(
                    (
                        line,
                        User(
                            username=username,
                            first_name=row.get("first_name", ""),
                            last_name=row.get("last_name", ""),
                            email=row.get("email", ""),
                            password=make_password(password),
                        ),
                        group,
                    )
                )
        elif user.pk not in enrolled:
            report.enrolled.append(username)
            enrol.append((user, group))
        elif enrolled[user.pk].group_id == (group.pk if group else None):
            report.unchanged.append(username)
        else:
            report.moved.append(username)
            moves.append((enrolled[user.pk].pk, group))
        if progress:
            progress(done, len(rows))
    if not dry_run:
        _students_import_write(classroom=classroom, by=by, new_users=new_users, enrol=enrol, moves=moves)
    return report


def _students_import_write(*, classroom: Classroom, by, new_users: list, enrol: list, moves: list) -> None:
    """The import's writes, all in one transaction (rows checked and passwords hashed before)."""
    via = Enrolment.Via.ADMIN if may_enrol_any(by) else Enrolment.Via.PROVISIONED
    try:
        with transaction.atomic():
            created = User.objects.bulk_create([user for _line, user, _group in new_users], batch_size=500)
            ProvisionedAccount.objects.bulk_create(
                [ProvisionedAccount(user=user, created_by=by, classroom=classroom) for user in created], batch_size=500
            )
            added = Enrolment.objects.bulk_create(
                [
                    Enrolment(classroom=classroom, student=user, group=group, via=Enrolment.Via.PROVISIONED, added_by=by)
                    for user, (_line, _user, group) in zip(created, new_users, strict=True)
                ]
                + [Enrolment(classroom=classroom, student=user, group=group, via=via, added_by=by) for user, group in enrol],
                batch_size=500,
            )
            for pk, group in moves:
                Enrolment.objects.filter(pk=pk).update(group=group)
            # In the import's transaction: one lookup of the endpoints for the whole import, then an
            # enrolment.changed per student only when some endpoint hears this class.
            endpoints = webhook_endpoints_for(event=WebhookEvent.ENROLMENT_CHANGED, classroom_ids=[classroom.pk])
            if endpoints:
                for enrolment in added:
                    enrolment_changed_record(enrolment=enrolment, change=EnrolmentChange.ADDED, endpoints=endpoints)
                for enrolment in Enrolment.objects.filter(pk__in=[pk for pk, _group in moves]):
                    enrolment_changed_record(enrolment=enrolment, change=EnrolmentChange.MOVED, endpoints=endpoints)
    except IntegrityError:
        # Someone took one of the usernames (or enrolled a student) since the rows were checked.
        taken = set(User.objects.filter(username__in=[u.username for _l, u, _g in new_users]).values_list("username", flat=True))
        errors = [RowError(line, user.username, gettext(USERNAME_TAKEN)) for line, user, _g in new_users if user.username in taken]
        raise StudentImportError(
            ImportReport(errors=errors or [RowError(0, "", gettext("the class changed while importing; try again"))])
        ) from None


def students_import_job(*, progress: Callable[[int, int], None], classroom_id: int, by_id: int, rows: list) -> ImportReport:
    """The background job of a CSV import (quizzes.jobs RUNNERS): students_import_rows on rows read
    from the upload, as the teacher who started it; all or nothing."""
    classroom = Classroom.objects.get(pk=classroom_id)
    by = User.objects.get(pk=by_id)
    return students_import_rows(classroom=classroom, rows=[(int(line), dict(row)) for line, row in rows], by=by, progress=progress)


def students_import_csv(*, classroom: Classroom, file, by, dry_run: bool = False) -> ImportReport:
    """Enrol the students listed in a CSV file (header: username, first_name, last_name, email, group,
    password; only username is required) as `by`; all or nothing, see students_import_rows."""
    return students_import_rows(classroom=classroom, rows=_csv_rows(file), by=by, dry_run=dry_run)


def students_import_read(*, file) -> list[tuple[int, dict]]:
    """The rows of an uploaded CSV file, read (not checked) for an import as a background job;
    StudentImportError for an unreadable file."""
    return _csv_rows(file)


# --- assignments and extensions -----------------------------------------------------------------


def assignment_check(
    *, classroom: Classroom, module: Module, opens_at: datetime, due_at: datetime, group: ClassGroup | None = None, user=None
) -> None:
    """Raise ValidationError (by field) unless this assignment makes sense and `user` may set it."""
    errors = {}
    if opens_at and due_at and due_at <= opens_at:
        errors["due_at"] = "The due date must be after the opening date."
    if group is not None and group.classroom_id != classroom.pk:
        errors["group"] = (
            f"The group {group.name} is in another class ({group.classroom}), not in {classroom}: "
            f"choose one of {classroom}'s groups, or leave it empty for the whole class."
        )
    if user is not None and not modules_for_teacher(user).filter(pk=module.pk).exists():
        errors["module"] = "You can assign your own modules and shared published ones."
    if not module.items.exists():
        errors["module"] = "This module has no quizzes or scenarios yet."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def assignment_create(
    *,
    classroom: Classroom,
    module: Module,
    opens_at: datetime,
    due_at: datetime,
    group: ClassGroup | None = None,
    created_by=None,
    attempts_allowed: int = 1,
) -> Assignment:
    """Assign a module to a class (or one group of it) between two dates; one attempt per quiz unless
    `attempts_allowed` says otherwise (0: unlimited)."""
    assignment_check(classroom=classroom, module=module, opens_at=opens_at, due_at=due_at, group=group, user=created_by)
    return Assignment.objects.create(
        classroom=classroom,
        module=module,
        opens_at=opens_at,
        due_at=due_at,
        group=group,
        created_by=created_by,
        attempts_allowed=attempts_allowed,
    )


@transaction.atomic
def assignment_update(*, assignment: Assignment, user=None, **changes) -> Assignment:
    """Change an assignment's module, group or dates (keyword arguments named as its fields), checked as on creation."""
    allowed = {"module", "group", "opens_at", "due_at", "attempts_allowed"}
    if set(changes) - allowed:
        raise TypeError(f"assignment_update changes only {sorted(allowed)}")
    for name, value in changes.items():
        setattr(assignment, name, value)
    assignment_check(
        classroom=assignment.classroom,
        module=assignment.module,
        opens_at=assignment.opens_at,
        due_at=assignment.due_at,
        group=assignment.group,
        user=user,
    )
    assignment.save(update_fields=[*changes])
    return assignment


def assignment_archive(*, assignment: Assignment) -> Assignment:
    """Archive an assignment (API DELETE): no longer listed to anyone or startable for it; attempts
    and runs made for it stay, with their scores."""
    if assignment.archived_at is None:
        assignment.archived_at = timezone.now()
        assignment.save(update_fields=["archived_at"])
    return assignment


def extension_check(*, assignment: Assignment, student, due_at: datetime) -> None:
    """Raise ValidationError unless `student` is set this assignment and `due_at` is after its due date."""
    enrolment = Enrolment.objects.filter(classroom_id=assignment.classroom_id, student=student).first()
    if enrolment is None or (assignment.group_id and enrolment.group_id != assignment.group_id):
        raise ValidationError({"student": f"{student.username} is not set this assignment."})
    if due_at <= assignment.due_at:
        raise ValidationError({"due_at": "An extension must end after the assignment's due date."})


@transaction.atomic
def extension_grant(*, assignment: Assignment, student, due_at: datetime) -> Extension:
    """Give one student a later due date (replacing an earlier extension)."""
    extension_check(assignment=assignment, student=student, due_at=due_at)
    extension, _ = Extension.objects.update_or_create(assignment=assignment, student=student, defaults={"due_at": due_at})
    return extension
