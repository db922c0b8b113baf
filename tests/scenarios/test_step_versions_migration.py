"""The data migration to scenario step versions: predictions' snapshots become shared versions (one
per distinct content of a step), still readable through Prediction.snapshot, and going back copies
them into the snapshots again."""

from __future__ import annotations

import pytest

from tests.migrating import migrate_to

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

BEFORE, AFTER = ("quizzes", "0037_roster_sourced_ids"), ("quizzes", "0040_prediction_version_required")


def test_snapshots_become_deduplicated_step_versions_and_come_back():
    from tests.factories import UserFactory, scenario_with_steps

    scenario = scenario_with_steps(2)
    first, second = scenario.steps.order_by("position")
    users = [UserFactory() for _ in range(3)]
    try:
        apps = migrate_to(BEFORE)
        ScenarioRun, Prediction = apps.get_model("quizzes", "ScenarioRun"), apps.get_model("quizzes", "Prediction")
        seen = {"key": "step-1", "prompt": "As shown?", "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}], "correct": "b"}
        edited = {**seen, "prompt": "Edited later?"}
        other = {**seen, "key": "step-2", "prompt": "Second step?"}
        rows = []
        for user, snap in zip(users, (seen, seen, edited), strict=True):
            run = ScenarioRun.objects.create(user_id=user.pk, scenario_id=scenario.pk, started_at="2026-01-01T00:00Z")
            common = {"run": run, "choice": "b", "confidence": 80, "correct": True, "brier": 0.04, "answered_at": "2026-01-01T00:00Z"}
            rows += [
                Prediction.objects.create(step_id=first.pk, snapshot=snap, **common),
                Prediction.objects.create(step_id=second.pk, snapshot=other, **common),
            ]
        apps = migrate_to(AFTER)
        Prediction, Version = apps.get_model("quizzes", "Prediction"), apps.get_model("quizzes", "ScenarioStepVersion")
        # Three distinct contents (two of the first step, one of the second), shared by six predictions
        assert Version.objects.count() == 3
        got = {p.pk: (p.version.step_id, p.version.content) for p in Prediction.objects.select_related("version")}
        assert got[rows[0].pk] == (first.pk, seen) and got[rows[4].pk] == (first.pk, edited) and got[rows[1].pk] == (second.pk, other)
        assert Prediction.objects.get(pk=rows[0].pk).version_id == Prediction.objects.get(pk=rows[2].pk).version_id
        # The backfilled hashes are the ones the running code computes, so a new prediction on the same
        # content finds the backfilled version instead of making another
        from quizzes.progress.runs import step_content_hash

        assert set(Version.objects.values_list("content_hash", flat=True)) == {
            step_content_hash(first.pk, seen),
            step_content_hash(first.pk, edited),
            step_content_hash(second.pk, other),
        }
        # Readable through today's model as the learner saw it
        migrate_to()
        from quizzes.models import Prediction as Current

        assert Current.objects.select_related("version").get(pk=rows[4].pk).snapshot == edited
        apps = migrate_to(BEFORE)
        Prediction = apps.get_model("quizzes", "Prediction")
        assert Prediction.objects.get(pk=rows[4].pk).snapshot == edited
        assert Prediction.objects.get(pk=rows[1].pk).snapshot == other
    finally:
        migrate_to()  # the newest migration: later transactional tests need today's schema
