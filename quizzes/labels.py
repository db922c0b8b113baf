"""The names our models, fields and choices show in the admin and in forms, translated.

Django shows a model's ``verbose_name`` and a field's ``verbose_name``, ``help_text`` and choice labels;
ours are written in English in ``quizzes/models`` (or derived from the field's name). Rather than wrap
each of some four hundred of them in ``gettext_lazy`` by hand (and keep every new field wrapped),
``translate_model_labels()`` (run once from ``QuizzesConfig.ready``) replaces each by a lazy
translation of the same English text. The English stays what a migration records (``_verbose_name``
and ``Meta.original_attrs`` are not touched; ``makemigrations`` compares help texts and choices with
translation off), so no migration changes.

``makemessages`` finds the texts in ``quizzes/labels_catalog.py``, written by
``python -m quizzes.labels`` (DJANGO_DEBUG=1); ``tests/i18n/test_catalog.py`` fails when a label is
missing there or from the ``.po`` files.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.choices import CallableChoiceIterator
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

CATALOG = Path(__file__).with_name("labels_catalog.py")


def _our_models() -> list[type[models.Model]]:
    return list(apps.get_app_config("quizzes").get_models())


def _our_fields(model: type[models.Model]) -> Iterator[models.Field]:
    for field in model._meta.get_fields(include_hidden=False):
        # Reverse relations are named after the other model; they are not our labels.
        if isinstance(field, models.Field) and field.model is model:
            yield field


def _lazy(text):
    if isinstance(text, Promise) or not text:
        return text
    return gettext_lazy(str(text))


def _own_choices(field: models.Field) -> bool:
    """Choices written in our models: not a callable's (time zones) nor the languages' own names."""
    if not field.choices or isinstance(field._choices, CallableChoiceIterator):  # type: ignore[attr-defined]
        return False
    return [tuple(c) for c in field.choices] != [tuple(c) for c in settings.LANGUAGES]


def _choices(choices):
    out = []
    for value, label in choices:
        if isinstance(label, list | tuple):  # a named group
            out.append((_lazy(value), [(v, _lazy(lbl)) for v, lbl in label]))
        else:
            out.append((value, _lazy(label)))
    return out


def translate_model_labels() -> None:
    """Make every model, field, help text and choice label of ours a lazy translation of its English."""
    for model in _our_models():
        opts = model._meta
        opts.verbose_name = _lazy(opts.verbose_name)
        opts.verbose_name_plural = _lazy(str(opts.verbose_name_plural))
        for field in _our_fields(model):
            field.verbose_name = _lazy(field.verbose_name)
            field.help_text = _lazy(field.help_text)
            if _own_choices(field):
                field.choices = _choices(field.choices)


def english_labels() -> list[str]:
    """Every English text ``translate_model_labels`` translates, sorted (translation off)."""
    from django.utils import translation

    found: set[str] = set()
    with translation.override(None):
        for model in _our_models():
            opts = model._meta
            found |= {str(opts.verbose_name), str(opts.verbose_name_plural)}
            for field in _our_fields(model):
                found |= {str(field.verbose_name), str(field.help_text)}
                if _own_choices(field):
                    found |= {str(label) for _value, label in field.flatchoices}
    return sorted(text for text in found if text.strip())


def catalog_source(labels: list[str]) -> str:
    lines = [
        '"""Written by `python -m quizzes.labels`: the texts quizzes/labels.py translates, for makemessages."""',
        "",
        "# ruff: noqa: E501",
        "",
        "from django.utils.translation import gettext_noop",
        "",
        "LABELS = (",
    ]
    for text in labels:
        quoted = '"' + text.replace("\\", "\\\\") + '"' if '"' not in text else repr(text)
        lines.append(f"    gettext_noop({quoted}),")
    lines.append(")")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - a developer's tool
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kzlearn.settings")
    django.setup()
    CATALOG.write_text(catalog_source(english_labels()), encoding="utf-8")
    import subprocess
    import sys

    subprocess.run([str(Path(sys.executable).with_name("ruff")), "format", "-q", str(CATALOG)], check=False)
    print(f"wrote {CATALOG} ({len(english_labels())} labels)")
