"""A small reader and writer of gettext .po files (the tests check every entry; no extra package)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    comments: list[str] = field(default_factory=list)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)

    @property
    def fuzzy(self) -> bool:
        return any(c.startswith("#,") and "fuzzy" in c for c in self.comments)

    @property
    def key(self) -> tuple[str | None, str]:
        return self.msgctxt, self.msgid


def _unquote(text: str) -> str:
    return ast.literal_eval(text.strip())


def read(path: Path) -> list[Entry]:
    """Every entry of a .po file, the header (msgid "") first."""
    entries: list[Entry] = []
    current = Entry()
    last: str | None = None

    def flush():
        nonlocal current, last
        if last is not None or current.comments:
            entries.append(current)
        current, last = Entry(), None

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            flush()
        elif line.startswith("#"):
            if last is not None:
                flush()
            current.comments.append(line)
        elif line.startswith('"'):
            value = _unquote(line)
            if last == "msgctxt":
                current.msgctxt = (current.msgctxt or "") + value
            elif last == "msgid":
                current.msgid += value
            elif last == "msgid_plural":
                current.msgid_plural = (current.msgid_plural or "") + value
            elif last is not None and last.startswith("msgstr"):
                n = int(last[7:-1]) if "[" in last else 0
                current.msgstr[n] += value
        else:
            keyword, _, rest = line.partition(" ")
            value = _unquote(rest)
            last = keyword
            if keyword == "msgctxt":
                current.msgctxt = value
            elif keyword == "msgid":
                current.msgid = value
            elif keyword == "msgid_plural":
                current.msgid_plural = value
            elif keyword.startswith("msgstr"):
                current.msgstr[int(keyword[7:-1]) if "[" in keyword else 0] = value
    flush()
    return entries


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def write(path: Path, entries: list[Entry]) -> None:
    out = []
    for e in entries:
        lines = list(e.comments)
        if e.msgctxt is not None:
            lines.append(f"msgctxt {_quote(e.msgctxt)}")
        if e.msgid == "" and e.msgstr.get(0, "").count("\n") > 1:  # the header, one field a line
            lines.append('msgid ""')
            lines.append('msgstr ""')
            lines += [_quote(part + "\n") for part in e.msgstr[0].split("\n") if part]
        else:
            lines.append(f"msgid {_quote(e.msgid)}")
            if e.msgid_plural is not None:
                lines.append(f"msgid_plural {_quote(e.msgid_plural)}")
                lines += [f"msgstr[{n}] {_quote(v)}" for n, v in sorted(e.msgstr.items())]
            else:
                lines.append(f"msgstr {_quote(e.msgstr.get(0, ''))}")
        out.append("\n".join(lines))
    path.write_text("\n\n".join(out) + "\n", encoding="utf-8")


# Where makemessages looks (the same list as docs/languages.md) and the domains we keep.
SOURCES = ("quizzes", "kzlearn", "static")
IGNORE = [".venv", "tests", "bench", "staticfiles", "seeds", "node_modules", "vendor"]
DOMAINS = ("django", "djangojs")


def extract(root: Path, into: Path, languages: list[str]) -> Path:
    """Run makemessages on a copy of the code under ``into`` (the real catalogs are not touched:
    makemessages writes to the nearest ``locale`` folder above each file). Returns the copy's locale."""
    import shutil

    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    for name in SOURCES:
        shutil.copytree(root / name, into / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "locale"))
    (into / "locale").mkdir()
    cwd = Path.cwd()
    try:
        import os

        os.chdir(into)
        with override_settings(LOCALE_PATHS=[into / "locale"]):
            for domain in DOMAINS:
                call_command(
                    "makemessages",
                    locale=languages,
                    domain=domain,
                    ignore_patterns=IGNORE,
                    add_location="never",
                    no_wrap=True,
                    verbosity=0,
                )
    finally:
        os.chdir(cwd)
    del settings  # imported for override_settings' sake only
    return into / "locale"


def sync(
    root: Path, languages: list[str], translations: dict[str, dict[tuple[str | None, str], dict[int, str]]] | None = None
) -> dict[str, list[str]]:
    """Bring ``root/locale`` up to date with the code: makemessages' entries, each keeping the
    msgstr it had (or the one given in ``translations[lang]``); English msgstrs are the msgids.
    Returns, per language, the msgids still without a translation."""
    import tempfile

    missing: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        fresh = extract(root, Path(tmp), languages)
        for lang in languages:
            for domain in DOMAINS:
                new_path = fresh / lang / "LC_MESSAGES" / f"{domain}.po"
                if not new_path.exists():
                    continue
                path = root / "locale" / lang / "LC_MESSAGES" / f"{domain}.po"
                old = {e.key: e for e in read(path)[1:]} if path.exists() else {}
                given = (translations or {}).get(lang, {})
                entries = read(new_path)
                header = read(root / "locale" / lang / "LC_MESSAGES" / "django.po")[0]
                out = [header]
                for e in entries[1:]:
                    e.comments = [c for c in e.comments if not (c.startswith("#,") and "fuzzy" in c)]
                    if lang == "en":
                        e.msgstr = {0: e.msgid} if e.msgid_plural is None else {0: e.msgid, 1: e.msgid_plural}
                    elif e.key in given:
                        e.msgstr = given[e.key]
                    elif e.key in old and all(v.strip() for v in old[e.key].msgstr.values()):
                        e.msgstr = old[e.key].msgstr
                    if any(not v.strip() for v in e.msgstr.values()):
                        missing.setdefault(lang, []).append(e.msgid)
                    out.append(e)
                write(path, out)
    return missing


if __name__ == "__main__":  # pragma: no cover - a developer's tool: `python -m tests.i18n.po`
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kzlearn.settings")
    django.setup()
    from django.conf import settings as django_settings

    left = sync(Path(django_settings.BASE_DIR), [code for code, _name in django_settings.LANGUAGES])
    for lang, ids in left.items():
        print(f"{lang}: {len(ids)} msgid(s) to translate")
