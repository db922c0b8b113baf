"""Provisioning by a school information system's ids: people, classes and enrolments in bulk
(POST roster/), all or nothing and idempotent by sourced id (quizzes.classes.roster); OneRoster 1.2
CSV export and import (quizzes.classes.oneroster)."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from quizzes.api.idempotency import Idempotent
from quizzes.api.parsers import JSONParser, UploadedZip, ZipParser
from quizzes.api.permissions import IsTeacher
from quizzes.api.query import StrictQuery
from quizzes.api.serializers.roster import RosterReportSerializer, RosterSerializer
from quizzes.classes.oneroster import OneRosterFileError, oneroster_export, oneroster_read
from quizzes.classes.roster import ClassRow, EnrollmentRow, RemovalRow, Removals, RosterError, UserRow, roster_apply
from quizzes.integrations.oauth import request_allows
from quizzes.jobs.services import job_start
from quizzes.models import Job
from quizzes.permissions import jobs_for_user
from quizzes.progress.oneroster import oneroster_gradebook

EXAMPLE_REQUEST = {
    "users": [
        {"sourced_id": "sis-stu-1001", "role": "student", "username": "aruzhan.s", "given_name": "Aruzhan", "family_name": "Serikova"},
        {"sourced_id": "sis-stu-1002", "role": "student", "username": "bolat.k", "given_name": "Bolat", "family_name": "Kassymov"},
    ],
    "classes": [{"sourced_id": "sis-cls-10a-hist", "title": "10A History"}],
    "enrollments": [
        {"sourced_id": "sis-enr-1", "class_sourced_id": "sis-cls-10a-hist", "user_sourced_id": "sis-stu-1001", "role": "student"},
        {"sourced_id": "sis-enr-2", "class_sourced_id": "sis-cls-10a-hist", "user_sourced_id": "sis-stu-1002", "role": "student"},
    ],
}
EXAMPLE_REPORT = {
    "users": [
        {"sourced_id": "sis-stu-1001", "id": 41, "username": "aruzhan.s", "role": "student", "enabled": True},
        {"sourced_id": "sis-stu-1002", "id": 42, "username": "bolat.k", "role": "student", "enabled": True},
    ],
    "classes": [{"sourced_id": "sis-cls-10a-hist", "id": 7, "name": "10A History", "code": "10a-history"}],
    "enrollments": [
        {"sourced_id": "sis-enr-1", "classroom": 7, "user": 41, "role": "student"},
        {"sourced_id": "sis-enr-2", "classroom": 7, "user": 42, "role": "student"},
    ],
    "created": {"users": 2, "classes": 1, "enrollments": 2},
    "updated": {"users": 0, "classes": 0, "enrollments": 0},
    "unchanged": {"users": 0, "classes": 0, "enrollments": 0},
    "removed": {"users": 0, "classes": 0, "enrollments": 0},
    "notes": [],
}
EXAMPLE_REMOVAL = {"remove": {"enrollments": ["sis-enr-2"], "users": ["sis-stu-1002"]}}
EXAMPLE_ERROR = {
    "error": {
        "code": "invalid",
        "message": "users[1].username: duplicate: also at users[0] (and 1 more field(s); see `fields`)",
        "fields": {
            "users[1].username": ["duplicate: also at users[0]"],
            "enrollments[0].class_sourced_id": ["no class 'sis-cls-10b' in this roster or among your classes"],
        },
    }
}


def removal_rows(remove: dict, name: str) -> list[RemovalRow]:
    return [RemovalRow(sourced_id, f"remove.{name}[{n}]") for n, sourced_id in enumerate(remove.get(name, []))]


def roster_problems(error: RosterError) -> exceptions.ValidationError:
    """Every bad row as a field of the 400: `<where>.<field>` (e.g. `users[3].username`) -> the reason."""
    fields: dict[str, list[str]] = {}
    for problem in error.problems:
        key = f"{problem.where}.{problem.field}" if problem.field and problem.where else (problem.where or "roster")
        fields.setdefault(key, []).append(problem.reason)
    return exceptions.ValidationError(fields)


class RosterView(StrictQuery, Idempotent, APIView):
    permission_classes = [IsTeacher]

    @extend_schema(
        operation_id="v1_roster_create",
        summary="Create or update people, classes and enrolments by their SIS ids, all or nothing",
        request=RosterSerializer,
        responses={200: RosterReportSerializer},
        examples=[
            OpenApiExample("A class of two", value=EXAMPLE_REQUEST, request_only=True),
            OpenApiExample("A student leaves: out of the class, account deactivated", value=EXAMPLE_REMOVAL, request_only=True),
            OpenApiExample("Made (the same call again: the same rows, all counted unchanged)", value=EXAMPLE_REPORT, response_only=True),
            OpenApiExample("Bad rows: nothing written", value=EXAMPLE_ERROR, response_only=True, status_codes=["400"]),
        ],
        description=(
            "Each row is matched by its `sourced_id` (OneRoster sourcedId): a new id makes the person, class or "
            "place in a class, a known one updates it, so the same call sent twice changes nothing (200, the same "
            "rows, all `unchanged`). Enrolments name their class and person by sourced id, in this call or an "
            "earlier one. Every row is checked first: any bad row is a 400 whose `fields` name each one "
            "(`users[3].username`), and nothing is written. A teacher provisions student accounts into classes "
            "they teach (a class made here is theirs); teacher accounts and teachers' places need an administrator. "
            "Accounts get no usable password unless `password` is given. `remove` names what goes by sourced id "
            "(OneRoster tobedeleted): places taken away, classes archived, accounts deactivated (never deleted; work "
            "stays); what is already gone is noted in `notes` and changes nothing. Scope `roster:write`."
        ),
    )
    def post(self, request):
        data = RosterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        remove = v.get("remove") or {}
        try:
            report = roster_apply(
                users=[UserRow(**row, where=f"users[{n}]") for n, row in enumerate(v["users"])],
                classes=[ClassRow(**row, where=f"classes[{n}]") for n, row in enumerate(v["classes"])],
                enrollments=[EnrollmentRow(**row, where=f"enrollments[{n}]") for n, row in enumerate(v["enrollments"])],
                removals=Removals(
                    users=removal_rows(remove, "users"),
                    classes=removal_rows(remove, "classes"),
                    enrollments=removal_rows(remove, "enrollments"),
                ),
                by=request.user,
            )
        except RosterError as error:
            raise roster_problems(error) from None
        return Response(RosterReportSerializer(report).data)


# --- OneRoster 1.2 CSV ----------------------------------------------------------------------------


class OneRosterExportView(StrictQuery, APIView):
    permission_classes = [IsTeacher]

    @extend_schema(
        operation_id="v1_roster_oneroster_retrieve",
        summary="My classes, their people, enrolments and grades as a OneRoster 1.2 CSV zip",
        responses={(200, "application/zip"): OpenApiTypes.BINARY},
        description=(
            "A OneRoster 1.2 CSV zip (bulk): manifest.csv, orgs.csv, academicSessions.csv, courses.csv, classes.csv, "
            "users.csv, roles.csv and enrollments.csv, with the binding's headers in its order, of the classes I teach "
            "(an administrator: every class; archived ones left out), their students and teachers. Ids from a school "
            "information system come back as given; others are `kzl-class-<id>`, `kzl-user-<id>`. No passwords. "
            "The gradebook too: categories.csv, lineItems.csv (an assignment: `kzl-lineitem-<id>`, scored 0-100) and "
            "results.csv (each student's grade on it, `kzl-result-<assignment>-<student>`), unless the caller is an "
            "integration credential without `results:read` (then those files are `absent` in the manifest). "
            "Scope `roster:read`."
        ),
    )
    def get(self, request):
        grades = oneroster_gradebook if request_allows(request, "results:read") else None
        body = oneroster_export(by=request.user, gradebook=grades)
        response = HttpResponse(body, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="oneroster-{timezone.localdate():%Y%m%d}.zip"'
        return response


class RosterImportSerializer(serializers.ModelSerializer):
    report = serializers.JSONField(
        source="result",
        help_text="When done: what v1_roster_create answers (users, classes, enrollments, created, updated, unchanged, notes); "
        "when failed: {errors: [{where, sourced_id, field, reason}]}, `where` naming the file and line.",
    )

    class Meta:
        model = Job
        fields = ["id", "status", "message", "done", "total", "created_at", "finished_at", "report"]
        read_only_fields = fields


EXAMPLE_FILE_ERROR = {
    "error": {
        "code": "invalid",
        "message": "users.csv line 1: the header is not OneRoster 1.2's; missing: enabledUser",
        "fields": {"users.csv line 1": ["the header is not OneRoster 1.2's; missing: enabledUser"]},
    }
}


class OneRosterImportView(StrictQuery, Idempotent, APIView):
    permission_classes = [IsTeacher]
    # JSON too, only to answer it with a 400 saying what to send (a 415 would come before the scope check's 403).
    parser_classes = [ZipParser, JSONParser]

    @extend_schema(
        operation_id="v1_roster_imports_create",
        summary="Import a OneRoster 1.2 CSV zip (users, roles, classes, enrollments) as a background job",
        request={"application/zip": OpenApiTypes.BINARY},
        responses={202: RosterImportSerializer},
        examples=[OpenApiExample("Not OneRoster 1.2", value=EXAMPLE_FILE_ERROR, response_only=True, status_codes=["400"])],
        description=(
            "Send the zip as the body (`Content-Type: application/zip`). The manifest, the headers and every line "
            "are read now: a zip that is not OneRoster 1.2 CSV is a 400 naming each file and line. Then a job "
            "provisions the people (role from roles.csv), classes and enrollments by sourcedId exactly as "
            "`POST roster/` does, all or nothing: poll `GET roster/imports/{id}/` for its report, or for every bad "
            "row by file and line (nothing written). Rows marked `tobedeleted` are removed as `POST roster/`'s "
            "`remove` does; a file the manifest marks `bulk` is the complete set, so accounts you provisioned that "
            "users.csv leaves out are deactivated, and places with a sourced id in its classes that enrollments.csv "
            "leaves out are taken away (`delta`: only what is marked). People neither students nor teachers are "
            "left out and noted. Scope `roster:write`."
        ),
    )
    def post(self, request):
        upload = request.data.get("file") if isinstance(request.data, dict) else None
        if not isinstance(upload, UploadedZip) or not upload:
            raise exceptions.ValidationError({"file": [gettext("Send the zip as the request body with Content-Type: application/zip.")]})
        try:
            rows = oneroster_read(file=io.BytesIO(upload))
        except OneRosterFileError as error:
            fields: dict[str, list[str]] = {}
            for problem in error.problems:
                fields.setdefault(f"{problem.file} line {problem.line}" if problem.line else problem.file, []).append(problem.reason)
            raise exceptions.ValidationError(fields) from None
        job = job_start(kind=Job.Kind.IMPORT_ONEROSTER, params={"by_id": request.user.pk, **rows}, user=request.user)
        return Response(RosterImportSerializer(job).data, status=202)


class OneRosterImportDetailView(StrictQuery, APIView):
    permission_classes = [IsTeacher]

    @extend_schema(
        operation_id="v1_roster_imports_retrieve",
        summary="A OneRoster import's state and report",
        responses={200: RosterImportSerializer},
        description="Only its starter (or an administrator) sees an import. Scope `roster:read`.",
    )
    def get(self, request, id: int):
        job = get_object_or_404(jobs_for_user(request.user), pk=id, kind=Job.Kind.IMPORT_ONEROSTER)
        return Response(RosterImportSerializer(job).data)
