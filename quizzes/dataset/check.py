"""`python -m quizzes.dataset.check [--language kk|ru|en] EPISODE_FOLDER`: validate one episode without a database.

Prints every problem (file: item: reason) and exits 1, or prints the counts and exits 0. It speaks the
operator's language as our management commands do (``--language``, else the terminal's ``LANGUAGE`` /
``LC_ALL`` / ``LC_MESSAGES`` / ``LANG``, else English), from the compiled catalogs in ``locale/`` (``make
messages``) through Python's own gettext: no Django, no settings, no database.
"""

from __future__ import annotations

import gettext
import os
import sys
from pathlib import Path

from quizzes.dataset.reader import DatasetInvalid, dataset_read
from quizzes.said import Said, _, locale_language

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def catalog(language: str) -> gettext.NullTranslations:
    """Our compiled catalog for the language (English, as written in the code, when there is none)."""
    return gettext.translation("django", LOCALE, languages=[language], fallback=True)


def main(argv: list[str], environ: dict[str, str] | None = None) -> int:
    args = argv[1:]
    ours = sorted(p.name for p in LOCALE.iterdir() if (p / "LC_MESSAGES" / "django.po").exists()) if LOCALE.is_dir() else []
    language = None
    if args[:1] == ["--language"] and len(args) >= 2:
        language, args = args[1], args[2:]
    elif args[:1] and args[0].startswith("--language="):
        language, args = args[0].split("=", 1)[1], args[1:]
    if language is not None and language not in ours:
        print(f"--language: {language!r} ({', '.join(ours)})", file=sys.stderr)
        return 2
    language = language or locale_language(os.environ if environ is None else environ, ours, "en")
    t = catalog(language)

    def say(text: str) -> str:
        return text.render(t.gettext, t.ngettext, language) if isinstance(text, Said) else str(text)

    if len(args) != 1:
        print(
            say(_("usage: python -m quizzes.dataset.check [--language kk|ru|en] EPISODE_FOLDER (e.g. seeds/kazakhstan-2022)")),
            file=sys.stderr,
        )
        return 2
    try:
        dataset = dataset_read(args[0])
    except DatasetInvalid as exc:
        print(exc.render(say), file=sys.stderr)
        return 1
    name = dataset.collection.slug if dataset.collection else args[0]
    counts = ", ".join(say(s) for s in dataset.counts_said())
    print(say(_("%(collection)s: valid: %(counts)s.", collection=name, counts=counts)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
