"""The catalogs keep up with the code: makemessages run on a copy of the code finds exactly the msgids
the .po files hold (a string marked but not added, or one left after its code went, fails here), and
every model, field, help text and choice label of ours is in quizzes/labels_catalog.py and shown in
the viewer's language."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import translation

from quizzes.labels import english_labels
from quizzes.labels_catalog import LABELS
from quizzes.models import Assignment, Classroom, Quiz
from tests.factories import class_with_assignment
from tests.i18n.po import DOMAINS, extract, read

ROOT = Path(settings.BASE_DIR)
LANGS = [code for code, _name in settings.LANGUAGES]


def test_the_catalogs_hold_exactly_the_msgids_makemessages_finds_in_the_code(tmp_path):
    fresh = extract(ROOT, tmp_path, LANGS)
    for lang in LANGS:
        for domain in DOMAINS:
            made = fresh / lang / "LC_MESSAGES" / f"{domain}.po"
            kept = ROOT / "locale" / lang / "LC_MESSAGES" / f"{domain}.po"
            wanted = {e.key for e in read(made)[1:]} if made.exists() else set()
            have = {e.key for e in read(kept)[1:]} if kept.exists() else set()
            assert not wanted - have, (
                f"{lang}/{domain}.po lacks {sorted(m for _c, m in wanted - have)[:5]}: run `python -m tests.i18n.po` "
                "(docs/languages.md) and translate the new entries"
            )
            assert not have - wanted, f"{lang}/{domain}.po keeps msgids no code uses: {sorted(m for _c, m in have - wanted)[:5]}"


def test_every_model_field_and_choice_label_is_in_the_labels_catalog():
    missing = sorted(set(english_labels()) - set(LABELS))
    assert not missing, f"labels not in quizzes/labels_catalog.py (run `python -m quizzes.labels`): {missing[:5]}"
    assert len(LABELS) > 300


def test_model_and_field_labels_follow_the_language():
    name = Classroom._meta.get_field("name")
    feedback = Quiz._meta.get_field("feedback")
    with translation.override("ru"):
        assert str(Classroom._meta.verbose_name_plural) == "классы"
        assert str(Assignment._meta.get_field("due_at").verbose_name) == "срок сдачи"
        assert str(name.verbose_name) == "название"
        assert dict(feedback.flatchoices)[Quiz.Feedback.IMMEDIATE] == "после каждого вопроса"
    with translation.override("kk"):
        assert str(Classroom._meta.verbose_name_plural) == "сыныптар"
        assert dict(feedback.flatchoices)[Quiz.Feedback.IMMEDIATE] == "әр сұрақтан кейін"
    with translation.override("en"):
        assert str(Classroom._meta.verbose_name_plural) == "classrooms"


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_admin_lists_titles_and_actions_in_the_language(lang, admin_user):
    class_with_assignment()  # a row, so the actions show
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(admin_user)
    page = client.get(reverse("admin:quizzes_classroom_changelist"))
    assert page.status_code == 200
    with translation.override(lang):
        wanted = [
            str(Classroom._meta.verbose_name_plural).capitalize(),
            str(admin.site._registry[Classroom].new_join_code.short_description),
        ]
    for text in wanted:
        assert text in page.text, (lang, text)
    assert "Give a new join code" not in page.text and "Classrooms" not in page.text


# Words that stay as they are in every language: the product's name, code names a teacher types.
KEPT = {"KZLearn", "API", "ABCD-EFGH", "group", "password", "·"}


def untranslated_template_text(text: str) -> list[str]:
    """Text of a template that a reader sees but no {% translate %} or {% blocktranslate %} covers."""
    text = re.sub(r"(?s)\{%\s*blocktranslate.*?\{%\s*endblocktranslate\s*%\}", " ", text)
    text = re.sub(r"(?s)\{#.*?#\}|<!--.*?-->|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", " ", text)
    text = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", text)
    attributes = re.findall(r'(?:title|aria-label|placeholder|alt|value)="([^"{]*[A-Za-z]{2,}[^"{]*)"', text)
    text = re.sub(r"(?s)\{%.*?%\}|\{\{.*?\}\}", " ", text)
    pieces = [p.strip() for p in re.sub(r"(?s)<[^>]*>", "\n", text).split("\n")] + attributes
    left = []
    for piece in pieces:
        words = [w for w in piece.split() if w not in KEPT]
        if re.search(r"[A-Za-z]{2,}", " ".join(words)):
            left.append(piece)
    return left


def test_every_template_string_of_ours_is_marked_for_translation():
    templates = sorted((ROOT / "quizzes" / "templates").rglob("*.html"))
    assert len(templates) > 50
    left = {str(t.relative_to(ROOT)): found for t in templates if (found := untranslated_template_text(t.read_text(encoding="utf-8")))}
    assert not left, f"text not marked for translation: {left}"


def test_the_template_check_finds_unmarked_text():
    assert untranslated_template_text('<p>{% translate "Saved." %}</p><h2 title="Done">{{ x }}</h2>') == ["Done"]
    assert untranslated_template_text("<li>{{ n }} question{{ n|pluralize }}</li>") == ["question"]
    assert untranslated_template_text("<p>{% blocktranslate %}Hi {{ n }}{% endblocktranslate %} · KZLearn</p>") == []
