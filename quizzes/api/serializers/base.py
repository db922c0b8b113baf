"""What every API serializer shares: strict JSON input (StrictJSON), slug references, limits."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext
from rest_framework import serializers

from quizzes.models import Assignment, Collection, Quiz
from quizzes.models.collections import NO_COLLECTION, collection_label

User = get_user_model()
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
MAX_ID = 2**63 - 1


class SlugRef(serializers.SlugRelatedField):
    """A reference by slug; anything that cannot be a slug is "not found" without asking the database."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "slug")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not SLUG.fullmatch(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:80])
        return super().to_internal_value(data)


class InCollectionRef(SlugRef):
    """A quiz, module or scenario by slug. Slugs are unique within a collection only: where several
    collections have the slug, the request's `collection` picks one (a slug, or "none" for a
    teacher's quiz or module outside any), and without it the answer says so (never a guess)."""

    scan = 5  # rows read for one slug; `visible` may drop some

    def visible(self, rows: list) -> list:
        """The rows the caller may use (all of them here: the queryset already says)."""
        return rows

    def to_internal_value(self, data):
        if not isinstance(data, str) or not SLUG.fullmatch(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:80])
        queryset = self.get_queryset()
        assert queryset is not None  # every slug field here is given its queryset
        found = queryset.filter(slug=data).select_related("collection")
        initial = getattr(self.parent, "initial_data", None)
        chosen = initial.get("collection") if isinstance(initial, dict) else None
        if isinstance(chosen, str) and SLUG.fullmatch(chosen):
            found = found.filter(collection__isnull=True) if chosen == NO_COLLECTION else found.filter(collection__slug=chosen)
        rows = self.visible(list(found.order_by("collection__slug")[: self.scan]))[:5]
        if not rows:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        if len(rows) > 1:
            owners = ", ".join(collection_label(r) for r in rows)
            name = found.model._meta.verbose_name
            raise serializers.ValidationError(
                gettext('Several collections have a %(what)s %(slug)s (%(owners)s); add "collection": SLUG.')
                % {"what": name, "slug": repr(data), "owners": owners}
            )
        return rows[0]


class CollectionChoice(serializers.CharField):
    """The `collection` that picks a slug's owner where several collections use it: a collection's
    slug, or "none" (outside any collection)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("write_only", True)
        super().__init__(max_length=80, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value != NO_COLLECTION and not (SLUG.fullmatch(value) and Collection.objects.filter(slug=value).exists()):
            raise serializers.ValidationError(
                gettext("No collection %(slug)s; GET /api/v1/collections/ lists them.") % {"slug": repr(value)},
            )
        return value


# JSON type each writable field needs; DRF would otherwise read 0 as "0" and "5" as 5.
_JSON_TYPES: list[tuple[type | tuple[type, ...], tuple[type, ...], str]] = [
    (serializers.BooleanField, (bool,), "true or false"),
    ((serializers.IntegerField, serializers.PrimaryKeyRelatedField), (int,), "a whole number"),
    ((serializers.FloatField, serializers.DecimalField), (int, float), "a number"),
    (
        (serializers.CharField, serializers.ChoiceField, serializers.SlugRelatedField, serializers.DateTimeField, serializers.DateField),
        (str,),
        "a string",
    ),
    (serializers.DictField, (dict,), "a JSON object"),
    (serializers.ListField, (list,), "a list"),
]


def _type_problem(field, value) -> str | None:
    if value is None:
        return None  # the field's allow_null decides
    for classes, types, name in _JSON_TYPES:
        if isinstance(field, classes):
            ok = isinstance(value, types) and (bool in types or not isinstance(value, bool))
            return None if ok else f"Must be {name}."
    return None


# The mixin's type-checking base: it runs inside a Serializer (its `fields`, `_writable_fields` and
# `to_internal_value`), but must not be one at run time, so the concrete serializer picks the base.
if TYPE_CHECKING:
    _SerializerBase = serializers.Serializer
else:
    _SerializerBase = object


def field_queryset_set(serializer: serializers.Serializer, name: str, queryset: QuerySet) -> None:
    """Limit what a related field of `serializer` accepts to `queryset` (the requester's own rows)."""
    field = serializer.fields[name]
    assert isinstance(field, serializers.RelatedField), f"{name} is not a related field"
    # setattr: the stubs type RelatedField.queryset as a manager descriptor, not the plain attribute it is.
    setattr(field, "queryset", queryset)  # noqa: B010


class StrictJSON(_SerializerBase):
    """Input serializer mixin: each field must arrive with its JSON type (no "5" for 5, no 0 for "0"), and
    a field the serializer does not know is an error, not silently dropped (request schemas say additionalProperties: false)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            problems = {name: ["Unknown field."] for name in data if name not in self.fields}
            problems |= {
                f.field_name: [problem]
                for f in self._writable_fields
                if f.field_name in data and (problem := _type_problem(f, data[f.field_name]))
            }
            if problems:
                raise serializers.ValidationError(problems)
        return super().to_internal_value(data)


# An assignment's own settings over its quizzes' (quizzes.classes.selectors.quiz_rules): shown read-only
# in the API (a teacher sets them in the admin); an empty string or null means "as the quiz sets".
ASSIGNMENT_SETTINGS = ["reveal", "grade_method", "shuffle", "time_limit_minutes", "scenario_grading"]
_QUIZS = ' Empty: as the quiz sets (see each attempt\'s "rules").'


class AssignmentSettings(serializers.Serializer):
    """The settings fields, declared (a read-only model field would lose its blank choice in the schema)."""

    reveal = serializers.ChoiceField(
        choices=Assignment.Reveal.choices, allow_blank=True, read_only=True, help_text="When the right answers are shown." + _QUIZS
    )
    grade_method = serializers.ChoiceField(
        choices=Quiz.Grade.choices, allow_blank=True, read_only=True, help_text="Which scored attempts make the grade." + _QUIZS
    )
    shuffle = serializers.ChoiceField(choices=Quiz.Order.choices, allow_blank=True, read_only=True, help_text="Question order." + _QUIZS)
    time_limit_minutes = serializers.IntegerField(
        allow_null=True, read_only=True, help_text="Per attempt; 0: no limit. Null: as the quiz sets."
    )
    scenario_grading = serializers.ChoiceField(
        choices=Assignment.ScenarioGrading.choices,
        read_only=True,
        help_text="completion: a finished scenario counts 100 %; accuracy: the share of predictions that came true.",
    )
