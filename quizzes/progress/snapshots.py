"""What a learner was shown: the question's version (quizzes.bank.versions), under the names the
scenario runs and the review use for a copy taken now."""

from __future__ import annotations

from quizzes.bank.versions import evidence_content as evidence_snapshot
from quizzes.bank.versions import question_content as question_snapshot

__all__ = ["evidence_snapshot", "question_snapshot"]
