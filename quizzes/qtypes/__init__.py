"""Question types: the one registry (PURE). Every module that needs to know about a type asks here.

Each type declares its capabilities in one object (see base.QType): validation of its key and of a
learner's response, scoring, the picks item statistics count, the form and feedback kinds the
player shows, the answer in words, the Moodle export mapping, reading the web form, and the demo
class's answers. The families live beside this file: choice.py (one right option, or several),
numeric.py, ordering.py, matching.py.

Adding a type: add it to QTYPES with its capabilities (a new family needs each method of QType), then
a migration (Question.qtype's choices come from here) and, for a new export mapping, a builder in
quizzes/bank/export.py. tests/test_qtypes.py checks that every type has every capability and that no
module outside this package lists question types.
"""

from __future__ import annotations

from quizzes.qtypes.base import AnswerMissing, Credit, FormData, InvalidResponse, QType, Score
from quizzes.qtypes.choice import MultiChoice, SingleChoice
from quizzes.qtypes.matching import Matching
from quizzes.qtypes.numeric import Numeric, number_text
from quizzes.qtypes.ordering import Ordering

__all__ = ["CHOICE_TYPES", "QTYPES", "AnswerMissing", "Credit", "FormData", "InvalidResponse", "QType", "Score", "number_text", "qtype"]

# In the order teachers see them in choices (the order of Question.qtype's choices).
QTYPES: dict[str, QType] = {
    t.name: t
    for t in (
        SingleChoice("single", "single choice", figures_column=7),
        MultiChoice("multi", "multiple select", figures_column=8),
        SingleChoice("true_false", "true or false", states_event_day=True, export="truefalse", figures_column=2),
        Numeric("numeric", "number", figures_column=5),
        SingleChoice("date", "date", states_event_day=True, figures_column=1),
        Ordering("ordering", "chronological order", figures_column=3),
        Matching("matching", "matching", figures_column=4),
        SingleChoice("attribution", "attribution"),
        SingleChoice("sources_disagree", "sources disagree", figures_column=6),
        SingleChoice("cause_effect", "cause and effect"),
    )
}

# Types whose options are a list to pick from; their answer is {"correct": id} or {"correct": [ids]}.
CHOICE_TYPES = frozenset(name for name, t in QTYPES.items() if t.choice)


def qtype(name: str) -> QType | None:
    """The registered type of that name, or None for a type the app does not know."""
    return QTYPES.get(name)
