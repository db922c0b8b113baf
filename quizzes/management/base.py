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
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext

from quizzes.said import locale_language


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
    every command (``--verbosity``, ``--settings`` ...) are Django's own and stay English."""

    help: Any = ""  # a gettext_lazy text in our commands (BaseCommand types it str)

    def run_from_argv(self, argv):
        ours = {code for code, _name in settings.LANGUAGES}
        chosen = argv_language(argv)
        with translation.override(chosen if chosen in ours else terminal_language()):
            return super().run_from_argv(argv)

    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = str(self.help)  # a lazy text, in the active language (argparse needs a str)
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help=gettext("Language of the output (default: the terminal's LANGUAGE / LANG, else English)."),
        )
        for action in parser._actions:
            if isinstance(action.help, Promise):
                action.help = str(action.help)
        return parser

    def execute(self, *args, **options):
        language = options.get("language") or terminal_language()
        with translation.override(language):
            return super().execute(*args, **options)
