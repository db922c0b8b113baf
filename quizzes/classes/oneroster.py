"""OneRoster 1.2 CSV: a zip of the caller's classes, people and enrolments (export), and a school
information system's zip read into provisioning rows (import, then quizzes.classes.roster).

The columns are the OneRoster 1.2 CSV binding's (1EdTech, "OneRoster: CSV Binding" 1.2.1), in its
order. KZLearn has no schools, terms or courses of its own, so an export carries one org (the
installation, `KZL_ONEROSTER_ORG_ID` / `KZL_ONEROSTER_ORG_NAME`), one academic session (the school
year around today) and one course, which every class references; the files are "bulk", so `status`
and `dateLastModified` are left empty as the binding asks. A person or class without an id from a
school information system is exported as `kzl-user-<id>` / `kzl-class-<id>`.
"""

from __future__ import annotations

import csv
import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext

from quizzes.classes.roster import (
    OWN_CLASS,
    OWN_USER,
    ClassRow,
    EnrollmentRow,
    RemovalRow,
    Removals,
    RosterReport,
    UserRow,
    roster_apply,
)
from quizzes.models import Enrolment, RosterRole, SourcedEnrollment, SourcedUser
from quizzes.permissions import active_classrooms_for_teacher

User = get_user_model()

# OneRoster 1.2 CSV binding, the header of each file (in order).
MANIFEST = ("propertyName", "value")
ACADEMIC_SESSIONS = ("sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate", "parentSourcedId", "schoolYear")
ORGS = ("sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId")
COURSES = (
    "sourcedId", "status", "dateLastModified", "schoolYearSourcedId", "title", "courseCode", "grades", "orgSourcedId", "subjects",
    "subjectCodes",
)  # fmt: skip
CLASSES = (
    "sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId", "classCode", "classType", "location",
    "schoolSourcedId", "termSourcedIds", "subjects", "subjectCodes", "periods",
)  # fmt: skip
USERS = (
    "sourcedId", "status", "dateLastModified", "enabledUser", "username", "userIds", "givenName", "familyName", "middleName",
    "identifier", "email", "sms", "phone", "agentSourcedIds", "grades", "password", "userMasterIdentifier", "resourceSourcedIds",
    "preferredGivenName", "preferredMiddleName", "preferredFamilyName", "primaryOrgSourcedId", "pronouns",
)  # fmt: skip
ROLES = (
    "sourcedId", "status", "dateLastModified", "userSourcedId", "roleType", "role", "beginDate", "endDate", "orgSourcedId",
    "userProfileSourcedId",
)  # fmt: skip
ENROLLMENTS = (
    "sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId", "userSourcedId", "role", "primary", "beginDate",
    "endDate",
)  # fmt: skip
# The gradebook's files (written by quizzes.progress.oneroster, which reads the results): the 1.2 binding's
# columns as listed in 1EdTech "OneRoster: CSV Binding" 1.2.1 §3 (https://www.imsglobal.org/spec/oneroster/v1p2/bind/csv;
# the stored copy's tables were transcribed from a public OneRoster 1.2.1 CSV library's "spec-defined headers in exact
# order", found with the docs/code search "OneRoster 1.2 CSV lineItems results columns"). Their first columns are the
# 1.1 tables' (sourcedId … resultValueMax; sourcedId … scoreDate, comment); 1.2 added academicSessionSourcedId and
# schoolSourcedId to a line item (gradingPeriodSourcedId went), and textScore, classSourcedId and the four flags to a result.
CATEGORIES = ("sourcedId", "status", "dateLastModified", "title", "weight")
LINE_ITEMS = (
    "sourcedId", "status", "dateLastModified", "title", "description", "assignDate", "dueDate", "classSourcedId",
    "categorySourcedId", "academicSessionSourcedId", "resultValueMin", "resultValueMax", "schoolSourcedId",
)  # fmt: skip
RESULTS = (
    "sourcedId", "status", "dateLastModified", "lineItemSourcedId", "studentSourcedId", "scoreStatus", "score", "scoreDate",
    "comment", "textScore", "classSourcedId", "inProgress", "incomplete", "late", "missing",
)  # fmt: skip
# Every file the manifest names (file.<name>), absent unless written.
MANIFEST_FILES = (
    "academicSessions", "categories", "classes", "classResources", "courses", "courseResources", "demographics", "enrollments",
    "lineItemLearningObjectiveIds", "lineItems", "lineItemScoreScales", "orgs", "resources", "resultLearningObjectiveIds", "results",
    "resultScoreScales", "roles", "scoreScales", "userProfiles", "userResources", "users",
)  # fmt: skip
# What an import needs of each file it reads (the binding's required columns).
REQUIRED = {
    "users.csv": ("sourcedId", "enabledUser", "username", "givenName", "familyName"),
    "classes.csv": ("sourcedId", "title", "courseSourcedId", "schoolSourcedId", "termSourcedIds"),
    "enrollments.csv": ("sourcedId", "classSourcedId", "schoolSourcedId", "userSourcedId", "role"),
    "roles.csv": ("sourcedId", "userSourcedId", "roleType", "role", "orgSourcedId"),
}
KNOWN = {"users.csv": USERS, "classes.csv": CLASSES, "enrollments.csv": ENROLLMENTS, "roles.csv": ROLES}
# What reading a damaged, encrypted or oddly compressed zip may raise.
UNREADABLE = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError, zlib.error)
MAX_ZIP_BYTES = 20_000_000
MAX_CSV_BYTES = 50_000_000  # uncompressed, all files together


def _org() -> tuple[str, str]:
    return settings.KZL_ONEROSTER_ORG_ID, settings.KZL_ONEROSTER_ORG_NAME


def _school_year(today: date) -> tuple[date, date]:
    """1 September to 31 August around `today` (the school year in Kazakhstan)."""
    start_year = today.year if today.month >= 9 else today.year - 1
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)


def _csv(header: tuple[str, ...], rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in header})
    return out.getvalue().encode("utf-8")


@dataclass
class ExportScope:
    """What an export holds, for the files another layer adds (the gradebook, quizzes.progress.oneroster):
    the classes (model instances, in order), their sourcedIds and the people's, the org and the session."""

    classes: list
    class_ids: dict[int, str]
    user_ids: dict[int, str]
    org_id: str
    term_id: str


def csv_file(header: tuple[str, ...], rows: list[dict]) -> bytes:
    """One file of the binding: its header, then the rows (a column a row lacks is empty)."""
    return _csv(header, rows)


def oneroster_export(*, by, gradebook: Callable[[ExportScope], dict[str, bytes]] | None = None) -> bytes:
    """A OneRoster 1.2 CSV zip (bulk) of the classes `by` teaches (an administrator: every class), their
    students and teachers, and each one's place in a class: manifest, orgs, academicSessions, courses,
    classes, users, roles, enrollments; and the files `gradebook` makes of the same scope (categories,
    lineItems, results). Archived classes are left out; passwords never leave."""
    org_id, org_name = _org()
    # Days (no time) are days of the school's calendar, the site's zone, whatever zone the request runs in (the API's UTC).
    start, end = _school_year(timezone.localdate(timezone=timezone.get_default_timezone()))
    term_id, course_id = f"{org_id}-{end.year}", f"{org_id}-course"
    classes = list(active_classrooms_for_teacher(by).prefetch_related("teachers").order_by("id"))
    class_ids = {c.pk: c.sourced_id or f"{OWN_CLASS}{c.pk}" for c in classes}
    enrolments = list(Enrolment.objects.filter(classroom__in=classes).select_related("student").order_by("classroom_id", "student_id"))
    people = {e.student_id: (e.student, RosterRole.STUDENT) for e in enrolments}
    for classroom in classes:
        for teacher in classroom.teachers.all():
            people.setdefault(teacher.pk, (teacher, RosterRole.TEACHER))
    user_ids = {pk: f"{OWN_USER}{pk}" for pk in people}
    user_ids |= dict(SourcedUser.objects.filter(user_id__in=list(people)).values_list("user_id", "sourced_id"))
    places = {
        (s.classroom_id, s.user_id): s.sourced_id
        for s in SourcedEnrollment.objects.filter(classroom__in=classes).only("classroom_id", "user_id", "sourced_id")
    }

    files: dict[str, bytes] = {
        "orgs.csv": _csv(ORGS, [{"sourcedId": org_id, "name": org_name, "type": "school"}]),
        "academicSessions.csv": _csv(
            ACADEMIC_SESSIONS,
            [
                {
                    "sourcedId": term_id,
                    "title": f"{start.year}-{end.year}",
                    "type": "schoolYear",
                    "startDate": start.isoformat(),
                    "endDate": end.isoformat(),
                    "schoolYear": str(end.year),
                }
            ],
        ),
        "courses.csv": _csv(
            COURSES,
            [{"sourcedId": course_id, "schoolYearSourcedId": term_id, "title": org_name, "courseCode": org_id, "orgSourcedId": org_id}],
        ),
        "classes.csv": _csv(
            CLASSES,
            [
                {
                    "sourcedId": class_ids[c.pk],
                    "title": c.name,
                    "courseSourcedId": course_id,
                    "classCode": c.code,
                    "classType": "scheduled",
                    "schoolSourcedId": org_id,
                    "termSourcedIds": term_id,
                }
                for c in classes
            ],
        ),
        "users.csv": _csv(
            USERS,
            [
                {
                    "sourcedId": user_ids[pk],
                    "enabledUser": "true" if user.is_active else "false",
                    "username": user.username,
                    "givenName": user.first_name,
                    "familyName": user.last_name,
                    "email": user.email,
                    "primaryOrgSourcedId": org_id,
                }
                for pk, (user, _role) in sorted(people.items())
            ],
        ),
        "roles.csv": _csv(
            ROLES,
            [
                {
                    "sourcedId": f"{user_ids[pk]}-role",
                    "userSourcedId": user_ids[pk],
                    "roleType": "primary",
                    "role": role,
                    "orgSourcedId": org_id,
                }
                for pk, (_user, role) in sorted(people.items())
            ],
        ),
        "enrollments.csv": _csv(
            ENROLLMENTS,
            [
                {
                    "sourcedId": places.get((c.pk, t.pk), f"kzl-enrollment-{c.pk}-{t.pk}"),
                    "classSourcedId": class_ids[c.pk],
                    "schoolSourcedId": org_id,
                    "userSourcedId": user_ids[t.pk],
                    "role": RosterRole.TEACHER,
                    "primary": "true" if n == 0 else "false",
                }
                for c in classes
                for n, t in enumerate(sorted(c.teachers.all(), key=lambda u: u.pk))
            ]
            + [
                {
                    "sourcedId": places.get((e.classroom_id, e.student_id), f"kzl-enrollment-{e.classroom_id}-{e.student_id}"),
                    "classSourcedId": class_ids[e.classroom_id],
                    "schoolSourcedId": org_id,
                    "userSourcedId": user_ids[e.student_id],
                    "role": RosterRole.STUDENT,
                    "beginDate": timezone.localdate(e.joined_at, timezone.get_default_timezone()).isoformat(),
                }
                for e in enrolments
            ],
        ),
    }
    if gradebook is not None:
        files |= gradebook(ExportScope(classes, class_ids, user_ids, org_id, term_id))
    written = {name.removesuffix(".csv") for name in files}
    manifest = [{"propertyName": "manifest.version", "value": "1.0"}, {"propertyName": "oneroster.version", "value": "1.2"}]
    manifest += [{"propertyName": f"file.{name}", "value": "bulk" if name in written else "absent"} for name in MANIFEST_FILES]
    manifest += [{"propertyName": "source.systemName", "value": "KZLearn"}, {"propertyName": "source.systemCode", "value": org_id}]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.csv", _csv(MANIFEST, manifest))
        for name, body in files.items():
            archive.writestr(name, body)
    return buffer.getvalue()


# --- import -------------------------------------------------------------------------------------


@dataclass
class FileProblem:
    file: str
    line: int
    reason: str


class OneRosterFileError(Exception):
    """A zip that cannot be read as OneRoster 1.2 CSV; `problems` lists each (file, line, reason). Nothing was written."""

    def __init__(self, problems: list[FileProblem]):
        super().__init__("; ".join(f"{p.file} line {p.line}: {p.reason}" if p.line else f"{p.file}: {p.reason}" for p in problems))
        self.problems = problems


def _read_csv(archive: zipfile.ZipFile, archive_name: str, name: str, problems: list[FileProblem]) -> list[tuple[int, dict]] | None:
    """The rows of one file (`name`, kept in the zip as `archive_name`: some systems zip a folder), by line."""
    try:
        raw = archive.read(archive_name).decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.append(FileProblem(name, 0, gettext("not UTF-8 text")))
        return None
    except UNREADABLE as exc:
        problems.append(FileProblem(name, 0, gettext("cannot be read from the zip (%(error)s)") % {"error": exc}))
        return None
    reader = csv.reader(io.StringIO(raw, newline=""))
    try:
        header = next(reader, None)
        if not header:
            problems.append(FileProblem(name, 1, gettext("empty: the first line must be the header")))
            return None
        header = [h.strip() for h in header]
        known = KNOWN.get(name, ())
        missing = [h for h in REQUIRED.get(name, ()) if h not in header]
        unknown = [h for h in header if known and h not in known and not h.startswith("metadata.")]
        if missing or unknown or len(set(header)) != len(header):
            problems.append(
                FileProblem(
                    name,
                    1,
                    "; ".join(
                        [gettext("the header is not OneRoster 1.2's")]
                        + ([gettext("missing: %(columns)s") % {"columns": ", ".join(missing)}] if missing else [])
                        + ([gettext("unknown: %(columns)s") % {"columns": ", ".join(unknown)}] if unknown else [])
                        + ([gettext("a column twice")] if len(set(header)) != len(header) else [])
                    ),
                )
            )
            return None
        rows = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                said = gettext("%(n)d values for %(columns)d columns") % {"n": len(values), "columns": len(header)}
                problems.append(FileProblem(name, reader.line_num, said))
                continue
            rows.append((reader.line_num, {h: v.strip() for h, v in zip(header, values, strict=True)}))
        return rows
    except csv.Error as exc:
        problems.append(FileProblem(name, reader.line_num, gettext("cannot be read as CSV (%(error)s)") % {"error": exc}))
        return None


def oneroster_read(*, file) -> dict:
    """The provisioning rows of a OneRoster 1.2 CSV zip (users with their roles, classes, enrollments),
    as JSON-ready lists for the import job; OneRosterFileError for a zip that is not one. Rows marked
    `tobedeleted` and people who are neither students nor teachers are left out and noted."""
    data = file.read(MAX_ZIP_BYTES + 1)
    if len(data) > MAX_ZIP_BYTES:
        raise OneRosterFileError([FileProblem("upload", 0, gettext("larger than %(n)d MB") % {"n": MAX_ZIP_BYTES // 1_000_000})])
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = {info.filename.rsplit("/", 1)[-1]: info for info in archive.infolist() if not info.is_dir()}
    except (*UNREADABLE, ValueError, struct.error):
        raise OneRosterFileError([FileProblem("upload", 0, gettext("not a zip file"))]) from None
    if sum(info.file_size for info in infos.values()) > MAX_CSV_BYTES:
        said = gettext("its files hold more than %(n)d MB") % {"n": MAX_CSV_BYTES // 1_000_000}
        raise OneRosterFileError([FileProblem("upload", 0, said)])
    names = {short: info.filename for short, info in infos.items()}
    problems: list[FileProblem] = []
    if "manifest.csv" not in names:
        raise OneRosterFileError([FileProblem("manifest.csv", 0, gettext("missing: a OneRoster zip starts with its manifest"))])
    try:
        manifest_raw = archive.read(names["manifest.csv"]).decode("utf-8-sig")
    except (UnicodeDecodeError, *UNREADABLE) as exc:
        raise OneRosterFileError([FileProblem("manifest.csv", 0, gettext("cannot be read (%(error)s)") % {"error": exc})]) from None
    manifest = {row[0].strip(): row[1].strip() for row in csv.reader(io.StringIO(manifest_raw)) if len(row) >= 2}
    if manifest.get("oneroster.version") != "1.2":
        said = gettext("oneroster.version must be 1.2, not %(version)s") % {"version": repr(manifest.get("oneroster.version"))}
        problems.append(FileProblem("manifest.csv", 0, said))
    for needed in ("users", "classes", "enrollments"):
        mode = manifest.get(f"file.{needed}", "absent")
        if mode not in ("bulk", "delta"):
            said = gettext("file.%(name)s must be bulk or delta (KZLearn imports users, classes and enrollments)") % {"name": needed}
            problems.append(FileProblem("manifest.csv", 0, said))
        elif f"{needed}.csv" not in names:
            problems.append(FileProblem(f"{needed}.csv", 0, gettext("missing, though the manifest lists it")))
    if problems:
        raise OneRosterFileError(problems)
    read: dict[str, list[tuple[int, dict]]] = {}
    for name in ("users.csv", "classes.csv", "enrollments.csv", "roles.csv"):
        if name in names:
            rows = _read_csv(archive, names[name], name, problems)
            read[name] = rows or []
    if problems:
        raise OneRosterFileError(problems)
    provisioning = _rows(read)
    # Bulk: the file is the school system's complete set, so what it leaves out goes (quizzes.classes.roster
    # Removals.complete); delta: only the rows marked tobedeleted go.
    provisioning["complete"] = [name for name in ("users", "enrollments") if manifest.get(f"file.{name}") == "bulk"]
    return provisioning


def _rows(read: dict[str, list[tuple[int, dict]]]) -> dict:
    notes: list[dict] = []  # said by the job, in its starter's language (_note)
    remove: dict[str, list[dict]] = {"users": [], "classes": [], "enrollments": []}
    deleted = "tobedeleted"
    roles: dict[str, str] = {}
    for _line, row in read.get("roles.csv", []):
        if row.get("status") != deleted and row.get("roleType", "primary") == "primary":
            roles.setdefault(row["userSourcedId"], row["role"])
    # Without roles.csv (or a role there), a person's role is the one their enrollments give.
    for _line, row in read.get("enrollments.csv", []):
        roles.setdefault(row["userSourcedId"], row["role"])
    users, skipped = [], set()
    for line, row in read["users.csv"]:
        if row.get("status") == deleted:
            remove["users"].append(asdict(RemovalRow(row["sourcedId"], f"users.csv line {line}")))
            continue
        role = roles.get(row["sourcedId"], "")
        if role not in RosterRole.values:
            skipped.add(row["sourcedId"])
            notes.append({"where": f"users.csv line {line}", "id": row["sourcedId"], "role": role, "of": "user"})
            continue
        users.append(
            asdict(
                UserRow(
                    sourced_id=row["sourcedId"],
                    role=role,
                    username=row["username"],
                    given_name=row.get("givenName", ""),
                    family_name=row.get("familyName", ""),
                    email=row.get("email", ""),
                    enabled=row.get("enabledUser", "true").lower() != "false",
                    password=row.get("password", ""),
                    where=f"users.csv line {line}",
                )
            )
        )
    classes = [
        asdict(ClassRow(sourced_id=row["sourcedId"], title=row["title"], where=f"classes.csv line {line}"))
        for line, row in read["classes.csv"]
        if row.get("status") != deleted
    ]
    remove["classes"] = [
        asdict(RemovalRow(row["sourcedId"], f"classes.csv line {line}"))
        for line, row in read["classes.csv"]
        if row.get("status") == deleted
    ]
    enrollments = []
    for line, row in read["enrollments.csv"]:
        if row.get("status") == deleted:
            remove["enrollments"].append(asdict(RemovalRow(row["sourcedId"], f"enrollments.csv line {line}")))
        elif row["userSourcedId"] in skipped or row["role"] not in RosterRole.values:
            notes.append({"where": f"enrollments.csv line {line}", "id": row["sourcedId"], "role": row["role"], "of": "place"})
        else:
            enrollments.append(
                asdict(
                    EnrollmentRow(
                        sourced_id=row["sourcedId"],
                        class_sourced_id=row["classSourcedId"],
                        user_sourced_id=row["userSourcedId"],
                        role=row["role"],
                        where=f"enrollments.csv line {line}",
                    )
                )
            )
    return {"users": users, "classes": classes, "enrollments": enrollments, "notes": notes, "remove": remove}


def oneroster_import_job(
    *,
    progress: Callable[[int, int], None],
    by_id: int,
    users: list,
    classes: list,
    enrollments: list,
    notes: list | None = None,
    remove: dict | None = None,
    complete: list | None = None,
) -> RosterReport:
    """The background job of a OneRoster import (quizzes.jobs RUNNERS): roster_apply on the rows read
    from the zip, as the person who started it, with the removals the file asks for (rows marked
    tobedeleted; in bulk mode also what it leaves out); all or nothing (RosterError lists each bad row
    by file and line)."""
    by = User.objects.get(pk=by_id)
    remove = remove or {}
    report = roster_apply(
        users=[UserRow(**row) for row in users],
        classes=[ClassRow(**row) for row in classes],
        enrollments=[EnrollmentRow(**row) for row in enrollments],
        removals=Removals(
            users=[RemovalRow(**row) for row in remove.get("users", [])],
            classes=[RemovalRow(**row) for row in remove.get("classes", [])],
            enrollments=[RemovalRow(**row) for row in remove.get("enrollments", [])],
            complete=frozenset(complete or ()),
        ),
        by=by,
        progress=progress,
    )
    report.notes = [_note(n) for n in notes or []] + report.notes
    return report


def _note(note: dict | str) -> str:
    """A person or place the import left out, in the active language (a job queued before notes were data: as it is)."""
    if isinstance(note, str):
        return note
    if note["of"] == "place":
        said = gettext("%(where)s: %(id)s is a %(role)s's place: only students and teachers are imported")
    elif note["role"]:
        said = gettext("%(where)s: %(id)s is %(role)s: only students and teachers are imported")
    else:
        said = gettext("%(where)s: %(id)s is without a role: only students and teachers are imported")
    return said % note
