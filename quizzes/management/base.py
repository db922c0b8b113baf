"""The base of our management commands: they speak the operator's language.

Which one: ``--language kk|ru|en``; else the first of ours in the terminal's ``LANGUAGE`` list, then
its ``LC_ALL``, ``LC_MESSAGES`` or ``LANG`` (``ru_RU.UTF-8`` is Russian), as gettext programs do;
else ``LANGUAGE_CODE`` (English). A terminal in ``C`` or ``C.UTF-8`` gets English.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def terminal_language(environ: Mapping[str, str] = os.environ) -> str:
    """The interface language for a command run in a terminal with this environment."""
    ours = {code for code, _name in settings.LANGUAGES}
    for name in LOCALE_VARIABLES:
        # LANGUAGE is a list (ru_RU:ru:en); the LC_* and LANG a locale (kk_KZ.UTF-8, C.UTF-8)
        for part in environ.get(name, "").split(":"):
            code = part.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
            if code in ours:
                return code
        if name != "LANGUAGE" and environ.get(name):
            break  # the first locale set is the one in force (gettext's order); LANGUAGE may still have spoken
    return settings.LANGUAGE_CODE


class Command(BaseCommand):
    """A BaseCommand whose output (messages, errors) is in the chosen language (module docstring)."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the output (default: the terminal's LANGUAGE / LANG, else English).",
        )
        return parser

    def execute(self, *args, **options):
        language = options.get("language") or terminal_language()
        with translation.override(language):
            return super().execute(*args, **options)
