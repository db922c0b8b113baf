"""All models, one module per concern; imports flow sources <- events <- (bank, scenarios) <- ..."""

from quizzes.models.accounts import Profile
from quizzes.models.bank import Module, ModuleItem, Question, QuestionFact, QuestionType, QuestionVersion, Quiz, QuizQuestion
from quizzes.models.classes import Assignment, ClassGroup, Classroom, Enrolment, Extension, ProvisionedAccount
from quizzes.models.collections import Collection
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
from quizzes.models.integrations import IdempotencyKey, IntegrationCredential
from quizzes.models.jobs import Heartbeat, Job
from quizzes.models.lti import (
    LtiContext,
    LtiDeployment,
    LtiIdentity,
    LtiLaunch,
    LtiPlatform,
    LtiResourceLink,
    LtiScore,
    LtiToolKey,
)
from quizzes.models.progress import (
    Attempt,
    ItemStatistic,
    Prediction,
    QuestionResponse,
    ReviewCard,
    ScenarioRun,
    TopicMastery,
    VersionStatistic,
)
from quizzes.models.scenarios import Scenario, ScenarioOptionEvidence, ScenarioStep
from quizzes.models.sources import Passage, Source
from quizzes.models.webhooks import WebhookDelivery, WebhookEndpoint, WebhookEvent

__all__ = [
    "Profile",
    "Assignment",
    "ClassGroup",
    "Collection",
    "Classroom",
    "Enrolment",
    "Extension",
    "ProvisionedAccount",
    "Heartbeat",
    "IdempotencyKey",
    "IntegrationCredential",
    "Job",
    "LtiContext",
    "LtiDeployment",
    "LtiIdentity",
    "LtiLaunch",
    "LtiPlatform",
    "LtiResourceLink",
    "LtiScore",
    "LtiToolKey",
    "Attempt",
    "ItemStatistic",
    "VersionStatistic",
    "Prediction",
    "QuestionResponse",
    "ReviewCard",
    "ScenarioRun",
    "TopicMastery",
    "Scenario",
    "ScenarioOptionEvidence",
    "ScenarioStep",
    "Module",
    "ModuleItem",
    "Question",
    "QuestionFact",
    "QuestionType",
    "QuestionVersion",
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
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
]
