"""The daily review cap (settings.KZL_REVIEW_DAILY_CAP, 20 by default): at most that many facts a day
come up for review, most overdue first; a fact missed today comes back again the same day without
taking another place; the rest wait for tomorrow and the page says how many."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from fsrs import Card

from quizzes.models import ReviewCard
from quizzes.progress.errors import LearnerActionError
from quizzes.progress.review import review_answer, review_next
from quizzes.progress.selectors import review_counts, review_day_start, review_queue, review_waiting
from tests.factories import QuestionFactory, UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db


def _cards(user, n: int, *, now, reviewed_at=None, due_in=dt.timedelta(0)) -> list[ReviewCard]:
    """n cards of n questions' facts; the i-th overdue by n - i hours (the first most overdue)."""
    made = []
    for i in range(n):
        question = QuestionFactory()
        made.append(
            ReviewCard.objects.create(
                user=user,
                collection=question.collection,
                fact_id=question.fact_ids[0],
                card=Card().to_dict(),
                due=now + due_in - dt.timedelta(hours=n - i),
                last_reviewed_at=reviewed_at,
                reviews=1 if reviewed_at else 0,
            )
        )
    return made


def test_the_cap_defaults_to_twenty(settings):
    from django.conf import settings as live

    assert live.KZL_REVIEW_DAILY_CAP == 20


def test_at_most_the_cap_comes_up_most_overdue_first_and_the_rest_wait(settings, django_assert_num_queries):
    settings.KZL_REVIEW_DAILY_CAP = 3
    user, now = UserFactory(), timezone.now()
    cards = _cards(user, 5, now=now)
    with django_assert_num_queries(1):
        queue = list(review_queue(user, now=now))
    assert queue == cards[:3]
    assert review_queue(user, now=now).count() == 3 and review_waiting(user, now=now) == 2
    assert review_queue(UserFactory(), now=now).count() == 0  # another learner's cards are not counted


def test_facts_reviewed_today_use_up_the_cap_and_one_missed_today_still_comes_back(settings):
    settings.KZL_REVIEW_DAILY_CAP = 3
    user, now = UserFactory(), timezone.now()
    today = max(review_day_start(now), now - dt.timedelta(minutes=30))
    fresh = _cards(user, 4, now=now)
    _cards(user, 1, now=now, reviewed_at=today, due_in=dt.timedelta(days=3))  # got it right: back in days
    missed = _cards(user, 1, now=now, reviewed_at=today)[0]  # missed today: due again now
    queue = list(review_queue(user, now=now))
    assert missed in queue and [c for c in queue if c != missed] == fresh[:1]  # 3 - 2 reviewed today = 1 more
    assert review_waiting(user, now=now) == 3
    yesterday = review_day_start(now) - dt.timedelta(hours=1)
    ReviewCard.objects.filter(user=user, last_reviewed_at__isnull=False).update(last_reviewed_at=yesterday)
    assert review_queue(user, now=now).count() == 3  # a new day: the cap again (missed + 2 fresh)


def test_no_cap_when_set_to_zero(settings):
    settings.KZL_REVIEW_DAILY_CAP = 0
    user, now = UserFactory(), timezone.now()
    _cards(user, 25, now=now)
    assert review_queue(user, now=now).count() == 25 and review_waiting(user, now=now) == 0


def test_a_fact_past_the_cap_cannot_be_answered(settings):
    settings.KZL_REVIEW_DAILY_CAP = 1
    user, now = UserFactory(), timezone.now()
    cards = _cards(user, 2, now=now)
    card, question = review_next(user=user, now=now)
    assert card == cards[0]
    past_cap = cards[1]
    other = ReviewCard.objects.get(pk=past_cap.pk)
    from quizzes.models import Question

    with pytest.raises(LearnerActionError) as refused:
        review_answer(user=user, card=other, question=Question.objects.get(fact_ids__icontains=other.fact_id), response={"choice": "b"})
    assert refused.value.code == "not_due" and "tomorrow" in refused.value.message


def test_the_review_page_says_how_many_wait_for_tomorrow(client, settings):
    settings.KZL_REVIEW_DAILY_CAP = 2
    user = UserFactory()
    client.force_login(user)
    now = timezone.now()
    quiz = quiz_with_questions(3)
    for i, item in enumerate(quiz.items.order_by("position")):
        q = item.question
        ReviewCard.objects.create(
            user=user, collection=q.collection, fact_id=q.fact_ids[0], card=Card().to_dict(), due=now - dt.timedelta(hours=3 - i)
        )
    page = client.get("/review/").text
    assert "2 facts due. 1 more fact waits for tomorrow (at most 2 a day)." in " ".join(page.split())
    for _ in range(2):
        card, question = review_next(user=user)
        assert client.post("/review/answer/", {"card": card.pk, "question": question.pk, "choice": "b"}).url == "/review/"
        client.get("/review/")  # its feedback
    done = " ".join(client.get("/review/").text.split())
    assert "That is enough review for today. 1 more fact waits for tomorrow (at most 2 a day)." in done
    assert 'name="card"' not in done


def test_the_dashboard_review_card_says_how_many_wait_for_tomorrow(client, settings):
    settings.KZL_REVIEW_DAILY_CAP = 2
    user, now = UserFactory(), timezone.now()
    client.force_login(user)
    _cards(user, 3, now=now)
    page = " ".join(client.get("/").text.split())
    assert "Review 2 facts now" in page
    assert "1 more fact waits for tomorrow (at most 2 a day)." in page
    ReviewCard.objects.filter(user=user).update(last_reviewed_at=now, due=now + dt.timedelta(days=2))
    _cards(user, 1, now=now)  # one more fact due, but two were reviewed today: the cap is reached
    done = " ".join(client.get("/").text.split())
    assert "Review 1 fact now" not in done and 'href="/review/"' in done  # the header's link only
    assert "That is enough review for today." in done
    assert "1 more fact waits for tomorrow (at most 2 a day)." in done
    settings.KZL_REVIEW_DAILY_CAP = 0
    assert "waits for tomorrow" not in client.get("/").text  # no cap: nothing waits


def test_review_counts_agree_with_the_queue_and_the_waiting_count(settings, django_assert_num_queries):
    settings.KZL_REVIEW_DAILY_CAP = 3
    user, now = UserFactory(), timezone.now()
    _cards(user, 5, now=now)
    with django_assert_num_queries(1):
        counts = review_counts(user, now=now)
    assert counts == (review_queue(user, now=now).count(), review_waiting(user, now=now)) == (3, 2)
