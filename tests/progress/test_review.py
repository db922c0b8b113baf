"""Review of mistakes: one FSRS card per fact, questions rotating over rewordings, due cards only."""

import datetime as dt

import pytest
from django.utils import timezone

from quizzes.models import Question, Quiz, QuizQuestion, ReviewCard
from quizzes.progress.errors import LearnerActionError
from quizzes.progress.review import NOT_SHOWN, review_answer, review_next, review_question_pick
from quizzes.progress.selectors import review_queue
from quizzes.progress.services import attempt_start, attempt_submit, response_answer
from tests.factories import QuestionFactory, QuizFactory, UserFactory, default_collection

pytestmark = pytest.mark.django_db

FACT = "event:airport-seized"


def missed_in_a_quiz(user, question: Question, capture) -> ReviewCard:
    """The learner answers `question` wrong in a scored quiz, which puts its facts on the review schedule."""
    with capture(execute=True):
        _quiz_missed(user, question)
    return ReviewCard.objects.get(user=user, fact_id=FACT)


def _quiz_missed(user, question: Question) -> None:
    quiz = QuizFactory(feedback=Quiz.Feedback.END)
    QuizQuestion.objects.create(quiz=quiz, question=question, position=1)
    attempt = attempt_start(user=user, quiz=quiz)
    response_answer(attempt=attempt, position=1, response={"choice": "a"}, client_key="k")
    attempt_submit(attempt=attempt)


@pytest.fixture
def rewordings():
    """Two published questions on the same fact, a third on the fact and another, and a retired one."""
    first = QuestionFactory(fact_ids=[FACT])
    second = QuestionFactory(fact_ids=[FACT])
    pair = QuestionFactory(fact_ids=["event:other", FACT])
    QuestionFactory(fact_ids=[FACT], status=Question.Status.RETIRED)
    QuestionFactory(fact_ids=[FACT + "-later"])  # a longer slug sharing the prefix must not match
    return first, second, pair


def test_a_missed_fact_is_due_and_its_review_shows_another_wording(django_capture_on_commit_callbacks, rewordings):
    first, second, pair = rewordings
    user = UserFactory()
    card = missed_in_a_quiz(user, first, django_capture_on_commit_callbacks)
    later = timezone.now() + dt.timedelta(hours=1)
    assert list(review_queue(user, now=later)) == [card]
    assert list(review_queue(UserFactory(), now=later)) == []

    picked = review_question_pick(user=user, card=card)
    assert picked in (second, pair)  # not the wording the learner just missed
    assert review_next(user=user, now=later) == (card, picked)

    result = review_answer(user=user, card=card, question=picked, response={"choice": "b"}, now=later)
    assert result.correct and result.points == 1.0
    assert result.snapshot["evidence"][0]["quote"] == "protesters seized the airport in Almaty"
    card.refresh_from_db()
    assert (card.reviews, card.lapses, card.last_reviewed_at) == (2, 1, later)
    assert card.due > later
    # Rewordings share one memory: still one card for the fact, and the next review rotates the wording.
    assert ReviewCard.objects.filter(user=user).count() == 1
    assert review_question_pick(user=user, card=card) != picked
    assert review_next(user=user, now=later) is None


def test_a_second_submit_of_the_same_review_is_refused(rewordings):
    first, *_ = rewordings
    user, now = UserFactory(), timezone.now()
    card = ReviewCard.objects.create(collection=default_collection(), user=user, fact_id=FACT, card={}, due=now - dt.timedelta(minutes=1))
    ReviewCard.objects.filter(pk=card.pk).update(card=_fresh_card_dict())
    card.refresh_from_db()
    review_answer(user=user, card=card, question=first, response={"choice": "a"}, now=now)
    card.refresh_from_db()
    assert (card.reviews, card.lapses) == (1, 1) and card.due > now  # Again: back in a minute or so
    with pytest.raises(LearnerActionError) as err:
        review_answer(user=user, card=card, question=first, response={"choice": "a"}, now=now)
    assert err.value.code == "not_due"
    card.refresh_from_db()
    assert card.reviews == 1


def test_review_refuses_other_learners_cards_wrong_questions_and_bad_responses(rewordings):
    first, second, pair = rewordings
    owner, now = UserFactory(), timezone.now()
    card = ReviewCard.objects.create(collection=default_collection(), user=owner, fact_id=FACT, card=_fresh_card_dict(), due=now)
    unrelated = QuestionFactory(fact_ids=["event:unrelated"])
    shown = review_question_pick(user=owner, card=card)
    other_of_the_fact = next(q for q in (first, second, pair) if q != shown)
    cases = [
        (UserFactory(), shown, {"choice": "b"}, "no_such_card"),
        # One error for a question of another fact and another question of the same fact (M2):
        (owner, unrelated, {"choice": "b"}, "not_shown"),
        (owner, other_of_the_fact, {"choice": "zz"}, "not_shown"),
        (owner, shown, {"choice": "zz"}, "invalid_response"),
    ]
    for user, question, response, code in cases:
        with pytest.raises(LearnerActionError) as err:
            review_answer(user=user, card=card, question=question, response=response, now=now)
        assert err.value.code == code
    card.refresh_from_db()
    assert card.reviews == 0


def test_a_card_whose_fact_lost_all_its_questions_is_skipped():
    user, now = UserFactory(), timezone.now()
    orphan = ReviewCard.objects.create(
        collection=default_collection(), user=user, fact_id="event:gone", card=_fresh_card_dict(), due=now - dt.timedelta(hours=2)
    )
    kept = ReviewCard.objects.create(
        collection=default_collection(), user=user, fact_id=FACT, card=_fresh_card_dict(), due=now - dt.timedelta(hours=1)
    )
    question = QuestionFactory(fact_ids=[FACT])
    assert review_question_pick(user=user, card=orphan) is None
    assert review_next(user=user, now=now) == (kept, question)


def _fresh_card_dict() -> dict:
    from fsrs import Card

    return Card().to_dict()


def test_review_never_shows_nor_answers_a_question_of_an_open_attempt(rewordings):
    """Security finding M2: the review queue answered for any question on the card's fact and returned
    its key, so a learner read the key of an unanswered question in their open attempt."""
    first, second, pair = rewordings
    user, now = UserFactory(), timezone.now()
    quiz = QuizFactory()
    for position, question in enumerate((first, second, pair), start=1):
        QuizQuestion.objects.create(quiz=quiz, question=question, position=position)
    open_attempt = attempt_start(user=user, quiz=quiz)
    card = ReviewCard.objects.create(collection=default_collection(), user=user, fact_id=FACT, card=_fresh_card_dict(), due=now)
    # Every question of the fact is in the open attempt: the card waits, nothing is shown
    assert review_question_pick(user=user, card=card) is None and review_next(user=user, now=now) is None
    for question in (first, second, pair):
        with pytest.raises(LearnerActionError) as err:
            review_answer(user=user, card=card, question=question, response={"choice": "b"}, now=now)
        assert (err.value.code, err.value.message) == ("not_shown", NOT_SHOWN)
    # Once the attempt is submitted the fact comes back to review
    attempt_submit(attempt=open_attempt)
    assert review_next(user=user, now=now)[0] == card
