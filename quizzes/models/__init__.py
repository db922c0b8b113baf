"""All models, one module per concern; imports flow sources <- events <- (bank, scenarios) <- ..."""

from quizzes.models.bank import Module, ModuleItem, Question, QuestionType, Quiz, QuizQuestion
from quizzes.models.events import (
    Claim,
    Dispute,
    DisputeAccount,
    Entity,
    EntityRole,
    Event,
    EventLink,
    Figure,
    FigureReport,
    Topic,
)
from quizzes.models.sources import Passage, Source

__all__ = [
    "Module",
    "ModuleItem",
    "Question",
    "QuestionType",
    "Quiz",
    "QuizQuestion",
    "Claim",
    "Dispute",
    "DisputeAccount",
    "Entity",
    "EntityRole",
    "Event",
    "EventLink",
    "Figure",
    "FigureReport",
    "Passage",
    "Source",
    "Topic",
]
