"""What every API serializer shares: strict JSON input (StrictJSON), slug references, limits."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from rest_framework import serializers

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


# JSON type each writable field needs; DRF would otherwise read 0 as "0" and "5" as 5.
_JSON_TYPES = [
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


class StrictJSON:
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
