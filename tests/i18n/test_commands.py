"""Management commands speak the operator's language: --language, else the terminal's LANGUAGE /
LC_ALL / LC_MESSAGES / LANG, else English. A broken episode checked with load_seeds in Russian or
Kazakh shows no English sentence of ours: the reader's reasons (file: item: reason; fix), built in
English by pure code, are translated where the command shows them (quizzes.said, quizzes.i18n)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from quizzes.dataset.reader import DatasetInvalid, dataset_read
from quizzes.i18n import translated
from quizzes.management.base import terminal_language
from quizzes.said import Said
from tests.dataset.conftest import mini_data, write_seeds
from tests.i18n.test_languages import english_sentences

LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def broken_episode(folder):
    """Four kinds of problem at once: an unknown place, a quote not in the source, a date that is
    not in the calendar, a slug used twice."""
    data = mini_data()
    data["events.yaml"]["events"][0].update(place="atlantis")
    data["links.yaml"]["links"][0]["evidence"][0].update(quote="words that are not there")
    data["events.yaml"]["events"][1].update(date="2022-02-30")
    data["figures.yaml"]["figures"].append(dict(data["figures.yaml"]["figures"][0]))
    return write_seeds(folder, data)


def check(folder, *args) -> str:
    """What `load_seeds --check` says about the folder (its stderr and its error), in one text."""
    import io

    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("load_seeds", str(folder), "--check", *args, stderr=err)
    return err.getvalue() + "\n" + str(refused.value)


@pytest.fixture
def terminal(monkeypatch):
    """A terminal with no locale set; the test sets the variables it wants."""
    for name in LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


WANTED = {
    "ru": [
        "неизвестный участник или место (place) 'atlantis'",
        "цитата не найдена дословно: 'words that are not there'",
        "'2022-02-30' — такой даты в календаре нет",
        "короткое имя 'police-cars-burned' повторяется среди figures",
        "скопируйте фрагмент из текста источника в точности",
        "4 ошибки в ",
        "ничего не загружено.",
    ],
    "kk": [
        "белгісіз қатысушы не орын (place) 'atlantis'",
        "дәйексөз сөзбе-сөз табылмады: 'words that are not there'",
        "'2022-02-30' — күнтізбеде мұндай күн жоқ",
        "'police-cars-burned' қысқа атауы figures ішінде қайталанады",
        "үзіндіні дереккөз мәтінінен дәл көшіріңіз",
        "ішінде 4 қате",
        "ештеңе жүктелмеді.",
    ],
}


@pytest.mark.parametrize("lang", ["ru", "kk"])
@pytest.mark.parametrize("chosen_by", ["LANGUAGE", "LANG", "--language"])
def test_seed_validation_of_a_broken_episode_says_nothing_in_english(tmp_path, terminal, lang, chosen_by):
    folder = broken_episode(tmp_path / "episode")
    if chosen_by == "--language":
        terminal.setenv("LANG", "C.UTF-8")
        said = check(folder, "--language", lang)
    else:
        terminal.setenv(chosen_by, {"LANGUAGE": f"{lang}:en", "LANG": f"{lang}_KZ.UTF-8"}[chosen_by])
        said = check(folder)
    for words in WANTED[lang]:
        assert words in said, (words, said)
    left = [s for s in english_sentences() if s in said]
    assert not left, f"English of ours in {lang}: {left}\n{said}"
    # The English is still what a terminal without a language of ours gets (and what other tests read)
    terminal.setenv("LANG", "C.UTF-8")
    terminal.delenv("LANGUAGE", raising=False)
    english = check(folder)
    assert "unknown entity (place) 'atlantis'" in english and "4 problems in " in english and "nothing was loaded." in english


def test_a_valid_episode_is_reported_in_the_language_too(tmp_path, terminal):
    folder = write_seeds(tmp_path / "episode", mini_data())
    import io

    out = io.StringIO()
    call_command("load_seeds", str(folder), "--check", "--language", "ru", stdout=out)
    assert "проверка пройдена:" in out.getvalue() and "источников: 1" in out.getvalue()
    assert not [s for s in english_sentences() if s in out.getvalue()]


@pytest.mark.parametrize(
    "environ, language",
    [
        ({}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "ru_RU.UTF-8"}, "ru"),
        ({"LANG": "kk_KZ.UTF-8"}, "kk"),
        ({"LANGUAGE": "de:kk:en", "LANG": "C.UTF-8"}, "kk"),
        ({"LANGUAGE": "de", "LANG": "ru_RU.UTF-8"}, "ru"),
        ({"LC_ALL": "C", "LANG": "ru_RU.UTF-8"}, "en"),  # LC_ALL is in force over LANG
        ({"LC_MESSAGES": "kk_KZ.UTF-8@latin", "LANG": "ru_RU.UTF-8"}, "kk"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
    ],
)
def test_the_terminals_language(environ, language):
    assert terminal_language(environ) == language


def test_a_command_leaves_the_language_it_found(tmp_path, terminal):
    folder = broken_episode(tmp_path / "episode")
    with translation.override("kk"):
        said = check(folder, "--language", "ru")
        assert translation.get_language() == "kk"
    assert "ничего не загружено." in said


def test_a_reason_is_english_until_shown_in_a_language(tmp_path):
    with pytest.raises(DatasetInvalid) as invalid:
        dataset_read(broken_episode(tmp_path / "episode"))
    reasons = [e.reason for e in invalid.value.errors]
    assert all(isinstance(r, Said) for r in reasons)
    assert "unknown entity (place) 'atlantis'" in reasons  # a Said is the English str itself
    with translation.override("ru"):
        assert "неизвестный участник или место (place) 'atlantis'" in [translated(r) for r in reasons]
        shown = invalid.value.render(translated)
    assert shown.startswith("В наборе данных 4 ошибки:") and "unknown" not in shown
    assert str(invalid.value).startswith("4 problems in the dataset:")


@pytest.mark.parametrize(
    "lang, description, option",
    [
        ("ru", "Проверяет папки эпизодов", "Только проверить; ничего не записывать."),
        ("kk", "Эпизод қалталарын тексереді", "Тек тексеру; ештеңе жазбау."),
    ],
)
def test_a_commands_help_is_in_the_terminals_language(terminal, capsys, lang, description, option):
    """`manage.py load_seeds --help`: our description and options' help in the operator's language, chosen
    before argparse prints it (LANG, or --language given anywhere on the line)."""
    from quizzes.management.commands.load_seeds import Command

    terminal.setenv("LANG", f"{lang}_KZ.UTF-8")
    with pytest.raises(SystemExit):
        Command().run_from_argv(["manage.py", "load_seeds", "--help"])
    by_lang = " ".join(capsys.readouterr().out.split())
    terminal.setenv("LANG", "C.UTF-8")
    with pytest.raises(SystemExit):
        Command().run_from_argv(["manage.py", "load_seeds", "--help", "--language", lang])
    by_flag = " ".join(capsys.readouterr().out.split())
    for said in (by_lang, by_flag):
        assert description in said and option in said, said
        assert "Validate episode folders" not in said and "Validate only" not in said
    with pytest.raises(SystemExit):
        Command().run_from_argv(["manage.py", "load_seeds", "--help"])
    assert "Validate only; write nothing." in " ".join(capsys.readouterr().out.split())


def test_every_commands_help_is_marked_for_translation():
    """A command's description and each of its options' help, written as a plain string, would stay English."""
    from django.core.management import get_commands, load_command_class
    from django.utils.functional import Promise

    from quizzes.management.base import Command as OurCommand

    ours = [name for name, app in get_commands().items() if app == "quizzes"]
    assert len(ours) >= 10
    for name in ours:
        command = load_command_class("quizzes", name)
        assert isinstance(command, OurCommand), name
        assert isinstance(type(command).help, Promise), name
        with translation.override("ru"):
            parser = command.create_parser("manage.py", name)
        own = [a for a in parser._actions if a.dest not in DJANGO_OPTIONS and a.help]
        english = {str(a.help) for a in own}
        with translation.override("en"):
            assert not [h for h in english if h in {str(a.help) for a in command.create_parser("manage.py", name)._actions}], name


DJANGO_OPTIONS = {"help", "version", "verbosity", "settings", "pythonpath", "traceback", "no_color", "force_color", "skip_checks"}


@pytest.mark.parametrize(
    "lang, valid, problem",
    [
        ("ru", "проверка пройдена:", "неизвестный участник или место (place) 'atlantis'"),
        ("kk", "тексеруден өтті:", "белгісіз қатысушы не орын (place) 'atlantis'"),
    ],
)
def test_the_dataset_check_speaks_the_terminals_language_without_django(tmp_path, capsys, lang, valid, problem):
    """`python -m quizzes.dataset.check`: no database, no settings; Python's gettext reads our compiled catalogs."""
    from quizzes.dataset.check import main

    good = write_seeds(tmp_path / "good", mini_data())
    assert main(["check", str(good)], {"LANG": f"{lang}_KZ.UTF-8"}) == 0
    out = capsys.readouterr().out
    assert valid in out and not [s for s in english_sentences() if s in out], out
    assert main(["check", "--language", lang, str(broken_episode(tmp_path / "bad"))], {"LANG": "C.UTF-8"}) == 1
    err = capsys.readouterr().err
    assert problem in err and not [s for s in english_sentences() if s in err], err
    assert main(["check", str(tmp_path / "bad")], {"LANG": "C.UTF-8"}) == 1
    assert "unknown entity (place) 'atlantis'" in capsys.readouterr().err
    assert main(["check", "--language", "xx", str(good)], {}) == 2


@pytest.mark.parametrize(
    "lang, scenarios, steps, questions",
    [
        ("en", "Scenarios: 3 created, 1 unpublished", "steps: 2 removed, 5 unchanged", "4 refused (no evidence), 0 retired"),
        ("ru", "Сценарии: создано: 3, снято с публикации: 1", "удалено: 2, без изменений: 5", "отклонено (нет свидетельств): 4"),
        ("kk", "жасалды: 3, жариялаудан алынды: 1", "алып тасталды: 2, өзгеріссіз: 5", "қабылданбады (дәлел жоқ): 4"),
    ],
)
def test_the_generators_counts_are_said_in_the_language(lang, scenarios, steps, questions):
    """The count words of generate_scenarios' and generate_questions' reports ("3 created") follow the language."""
    from collections import Counter

    from quizzes.bank.services import GenerateReport
    from quizzes.scenarios.services import ScenarioReport

    with translation.override(lang):
        said = ScenarioReport(counts=Counter(created=3, unpublished=1), steps=Counter(removed=2, unchanged=5)).lines()[0]
        bank = GenerateReport(counts=Counter({"refused (no evidence)": 4, "retired": 0})).lines()[0]
    assert scenarios in said and steps in said and questions in bank, (said, bank)
    if lang != "en":
        assert not {"created", "removed", "unchanged", "unpublished", "refused", "retired"} & set(f"{said} {bank}".split())


@pytest.mark.parametrize(
    "lang, headings",
    [
        ("ru", ["использование: manage.py load_seeds", "позиционные аргументы:", "параметры:", "показать эту справку и выйти"]),
        ("kk", ["қолданылуы: manage.py load_seeds", "позициялық аргументтер:", "параметрлер:", "осы анықтаманы көрсетіп, шығу"]),
        ("en", ["usage: manage.py load_seeds", "positional arguments:", "options:", "show this help message and exit"]),
    ],
)
def test_argparses_headings_and_djangos_options_are_in_the_language_of_help(terminal, capsys, lang, headings):
    """`manage.py X --help --language kk`: argparse's own headings and -h, and the help of the options Django adds to
    every command (--verbosity, --settings ...), come through our catalog (quizzes.management.base.PARSER_WORDS)."""
    from quizzes.management.base import PARSER_WORDS
    from quizzes.management.commands.load_seeds import Command

    terminal.setenv("LANG", "C.UTF-8")
    with pytest.raises(SystemExit):
        Command().run_from_argv(["manage.py", "load_seeds", "--help", "--language", lang])
    said = " ".join(capsys.readouterr().out.split())
    for heading in headings:
        assert heading in said, said
    django_words = {" ".join(w.split()) for w in PARSER_WORDS}
    if lang == "en":
        assert all(w in said for w in django_words), said
    else:
        assert not [w for w in django_words if w in said] and "usage:" not in said, said


def test_every_option_django_adds_has_its_help_in_our_catalog():
    """A Django whose wording of --verbosity's (or another common option's) help changed would leave it English:
    PARSER_WORDS must hold each as Django writes it."""
    from django.core.management import load_command_class

    from quizzes.management.base import PARSER_WORDS

    with translation.override("en"):
        parser = load_command_class("quizzes", "load_seeds").create_parser("manage.py", "load_seeds")
    helps = {a.dest: a.help for a in parser._actions if a.dest in DJANGO_OPTIONS - {"help"}}
    assert set(helps) == DJANGO_OPTIONS - {"help"}
    assert {d: h for d, h in helps.items() if h not in PARSER_WORDS} == {}
