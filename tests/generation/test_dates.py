"""The one fuzzy-date label: a date as precisely as the sources give it, the same in every part of the app."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

from quizzes.dates import date_label, date_span_label


def test_a_date_at_each_precision():
    assert date_label(date(2022, 1, 5)) == "5 January 2022"
    assert date_label(date(2022, 1, 1), "month") == "January 2022"
    assert date_label(date(2019, 1, 1), "year") == "2019"


def test_a_span_says_the_shared_month_and_year_once():
    assert date_span_label(date(2022, 1, 4), date(2022, 1, 6)) == "between 4 and 6 January 2022"
    assert date_span_label(date(2022, 1, 30), date(2022, 2, 2)) == "between 30 January and 2 February 2022"
    assert date_span_label(date(2021, 12, 30), date(2022, 1, 2)) == "between 30 December 2021 and 2 January 2022"


def test_no_span_is_the_date_at_its_precision():
    assert date_span_label(date(2022, 1, 5), None) == "5 January 2022"
    assert date_span_label(date(2022, 1, 5), date(2022, 1, 5)) == "5 January 2022"
    assert date_span_label(date(2022, 1, 1), None, "month") == "January 2022"


# strftime directives that write words (month and weekday names): only quizzes/dates.py may write a
# date for people, so every part of the app says it the same way. Numeric machine formats
# ("%Y-%m-%d %H:%M" in a CSV) are fine.
_WORDS = ("%B", "%b", "%A", "%a", "%-d", "%e")


def _formats(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, format) for each strftime/strptime-style format in the module: string constants passed to
    .strftime(), and f-string format specs ({value:%d %B})."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "strftime":
            out += [(node.lineno, a.value) for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if isinstance(node, ast.FormattedValue) and isinstance(node.format_spec, ast.JoinedStr):
            spec = "".join(v.value for v in node.format_spec.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
            out.append((node.lineno, spec))
    return out


def test_only_quizzes_dates_writes_dates_for_people():
    root = Path(__file__).resolve().parents[2] / "quizzes"
    found = [
        f"{path.relative_to(root.parent)}:{line}: {fmt!r}"
        for path in sorted(root.rglob("*.py"))
        if path.name != "dates.py" and "migrations" not in path.parts
        for line, fmt in _formats(ast.parse(path.read_text()))
        if any(w in fmt for w in _WORDS)
    ]
    assert found == [], "format dates for people with quizzes.dates (date_label, date_range_label, date_span_label):\n" + "\n".join(found)
    # The scan finds what it looks for (a counter-example).
    assert sorted(_formats(ast.parse('f"{day:%d %B}"; day.strftime("%A")'))) == [(1, "%A"), (1, "%d %B")]
