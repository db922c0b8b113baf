"""The base of our management commands: they speak the operator's language.

Which one: ``--language kk|ru|en``; else the first of ours in the terminal's ``LANGUAGE`` list, then
its ``LC_ALL``, ``LC_MESSAGES`` or ``LANG`` (``ru_RU.UTF-8`` is Russian), as gettext programs do;
else ``LANGUAGE_CODE`` (English). A terminal in ``C`` or ``C.UTF-8`` gets English.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, DjangoHelpFormatter
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop, pgettext

from quizzes.said import locale_language

# The words of a command's --help that are not ours: argparse's headings and its -h (argparse reads them through
# Python's own gettext domain, which has no catalog and knows nothing of --language) and the help of the options
# Django adds to every command (plain English in Django). Each is put through our catalog as the parser is built;
# a Django whose wording changed fails tests/i18n/test_commands.py until this list follows it. argparse's words take
# the context "argparse" ("options" is also a question's options).
PARSER_WORDS = (
    gettext_noop("Show program's version number and exit."),
    gettext_noop("Verbosity level; 0=minimal output, 1=normal output, 2=verbose output, 3=very verbose output"),
    gettext_noop(
        'The Python path to a settings module, e.g. "myproject.settings.main". If this isn\'t provided, the '
        "DJANGO_SETTINGS_MODULE environment variable will be used."
    ),
    gettext_noop('A directory to add to the Python path, e.g. "/home/djangoprojects/myproject".'),
    gettext_noop("Display a full stack trace on CommandError exceptions."),
    gettext_noop("Don't colorize the command output."),
    gettext_noop("Force colorization of the command output."),
    gettext_noop("Skip system checks."),
)


class HelpFormatter(DjangoHelpFormatter):
    """Django's (our options before its own), with argparse's "usage: " in the active language."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, pgettext("argparse", "usage: ") if prefix is None else prefix)


def terminal_language(environ: Mapping[str, str] = os.environ) -> str:
    """The interface language for a command run in a terminal with this environment."""
    return locale_language(environ, {code for code, _name in settings.LANGUAGES}, settings.LANGUAGE_CODE)


def argv_language(argv: list[str]) -> str | None:
    """The ``--language`` given on a command line, if any (read before argparse, so ``--help`` speaks it too)."""
    for i, arg in enumerate(argv):
        if arg == "--language" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--language="):
            return arg.split("=", 1)[1]
    return None


class Command(BaseCommand):
    """A BaseCommand whose output (messages, errors, ``--help``) is in the chosen language (module docstring).

    A command's ``help`` and its arguments' ``help`` are ``gettext_lazy`` texts: the parser is built in the
    chosen language (``run_from_argv`` chooses it before argparse reads ``--help``). The options Django adds to
    every command (``--verbosity``, ``--settings`` ...) and argparse's headings go through our catalog too
    (`PARSER_WORDS`); argparse's error messages ("unrecognized arguments") stay English."""

    help: Any = ""  # a gettext_lazy text in our commands (BaseCommand types it str)

    def run_from_argv(self, argv):
        ours = {code for code, _name in settings.LANGUAGES}
        chosen = argv_language(argv)
        with translation.override(chosen if chosen in ours else terminal_language()):
            return super().run_from_argv(argv)

    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = str(self.help)  # a lazy text, in the active language (argparse needs a str)
        kwargs.setdefault("formatter_class", HelpFormatter)
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser._positionals.title = pgettext("argparse", "positional arguments")  # argparse names its two groups as it is built
        parser._optionals.title = pgettext("argparse", "options")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help=gettext("Language of the output (default: the terminal's LANGUAGE / LANG, else English)."),
        )
        for action in parser._actions:
            if isinstance(action.help, Promise):
                action.help = str(action.help)
            elif action.dest == "help":
                action.help = pgettext("argparse", "show this help message and exit")
            elif action.help in PARSER_WORDS:
                action.help = gettext(action.help)
        return parser

    def execute(self, *args, **options):
        language = options.get("language") or terminal_language()
        with translation.override(language):
            return super().execute(*args, **options)
