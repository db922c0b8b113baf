"""Bulk provisioning by a school information system's ids (quizzes.classes.roster): the request's rows and the report."""

from __future__ import annotations

from rest_framework import serializers

from quizzes.api.serializers.base import StrictJSON
from quizzes.classes.roster import MAX_ROWS, SOURCED_ID_MAX
from quizzes.models import RosterRole

SOURCED_ID_HELP = "The school information system's id (OneRoster sourcedId): the key a later call updates by."


class RosterUserInSerializer(StrictJSON, serializers.Serializer):
    sourced_id = serializers.CharField(max_length=SOURCED_ID_MAX, help_text=SOURCED_ID_HELP)
    role = serializers.ChoiceField(choices=RosterRole.choices, help_text="student, or teacher (teacher accounts: administrators only).")
    username = serializers.CharField(max_length=150)
    given_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    family_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    enabled = serializers.BooleanField(required=False, default=True, help_text="False: the account cannot sign in (OneRoster enabledUser).")
    password = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        write_only=True,
        max_length=128,
        help_text="Only when the account is made; left out, the account has no usable password "
        "(sign-in through LTI, or a password slip from the teacher). Ignored for an existing account.",
    )


class RosterClassInSerializer(StrictJSON, serializers.Serializer):
    sourced_id = serializers.CharField(max_length=SOURCED_ID_MAX, help_text=SOURCED_ID_HELP)
    title = serializers.CharField(max_length=200, help_text="The class's name.")


class RosterEnrollmentInSerializer(StrictJSON, serializers.Serializer):
    sourced_id = serializers.CharField(max_length=SOURCED_ID_MAX, help_text=SOURCED_ID_HELP)
    class_sourced_id = serializers.CharField(max_length=SOURCED_ID_MAX, help_text="A class in this call, or one provisioned before.")
    user_sourced_id = serializers.CharField(max_length=SOURCED_ID_MAX, help_text="A person in this call, or one provisioned before.")
    role = serializers.ChoiceField(
        choices=RosterRole.choices, help_text="The person's role: a student's enrolment, or a teacher of the class."
    )


def _ids(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=SOURCED_ID_MAX), required=False, default=list, max_length=MAX_ROWS, help_text=help_text
    )


class RosterRemoveSerializer(StrictJSON, serializers.Serializer):
    """What goes, by sourced id (OneRoster's status tobedeleted). Already gone, or never provisioned: noted, nothing changes."""

    users = _ids("Accounts to deactivate (never deleted: their work stays); only accounts you may change.")
    classes = _ids("Classes to archive (their work stays); only classes you teach.")
    enrollments = _ids("Places in a class to take away: a student's enrolment, or (administrators) a teacher's place.")


class RosterSerializer(StrictJSON, serializers.Serializer):
    users = RosterUserInSerializer(many=True, required=False, default=list, max_length=MAX_ROWS)  # type: ignore[call-arg]
    classes = RosterClassInSerializer(many=True, required=False, default=list, max_length=MAX_ROWS)  # type: ignore[call-arg]
    enrollments = RosterEnrollmentInSerializer(many=True, required=False, default=list, max_length=MAX_ROWS)  # type: ignore[call-arg]
    remove = RosterRemoveSerializer(required=False, help_text="What goes, by sourced id, after the rows above are written.")


class RosterUserOutSerializer(serializers.Serializer):
    sourced_id = serializers.CharField()
    id = serializers.IntegerField()
    username = serializers.CharField()
    role = serializers.ChoiceField(choices=RosterRole.choices)
    enabled = serializers.BooleanField()


class RosterClassOutSerializer(serializers.Serializer):
    sourced_id = serializers.CharField()
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()


class RosterEnrollmentOutSerializer(serializers.Serializer):
    sourced_id = serializers.CharField()
    classroom = serializers.IntegerField(help_text="The class's id.")
    user = serializers.IntegerField(help_text="The person's id.")
    role = serializers.ChoiceField(choices=RosterRole.choices)


class RosterCountsSerializer(serializers.Serializer):
    users = serializers.IntegerField()
    classes = serializers.IntegerField()
    enrollments = serializers.IntegerField()


class RosterReportSerializer(serializers.Serializer):
    users = RosterUserOutSerializer(many=True, help_text="Each user row as it stands now, in the order sent.")
    classes = RosterClassOutSerializer(many=True)
    enrollments = RosterEnrollmentOutSerializer(many=True)
    created = RosterCountsSerializer(help_text="Rows this call made.")
    updated = RosterCountsSerializer(help_text="Rows this call changed.")
    unchanged = RosterCountsSerializer(help_text="Rows already as sent (all of them when the same call is sent twice).")
    removed = RosterCountsSerializer(help_text="Accounts deactivated, classes archived and places taken away by this call.")
    notes = serializers.ListField(child=serializers.CharField(), help_text="What each removal did, or why it changed nothing.")
