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
