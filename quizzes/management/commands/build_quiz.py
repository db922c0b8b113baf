from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext, gettext_lazy, ngettext

from quizzes.bank.assembly import QuizSpecError, quiz_build
from quizzes.management.base import Command as BaseCommand
from quizzes.models import Collection, QuestionType, Quiz


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(gettext("%(value)s is not a date; write it as YYYY-MM-DD, e.g. 2022-01-06.") % {"value": repr(value)}) from None


class Command(BaseCommand):
    help = gettext_lazy(
        "Build a quiz from one collection's published question bank: by topics, question types, dates and "
        "difficulty, with its settings. Reproducible: the same spec and bank give the same quiz."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help=gettext_lazy("The new quiz's slug (unique within the collection)."))
        parser.add_argument("--collection", required=True, help=gettext_lazy("The collection (slug) whose questions it takes."))
        parser.add_argument("--title", help=gettext_lazy("The quiz's title (default: from the slug)."))
        parser.add_argument("--description", default="")
        parser.add_argument(
            "--topic", action="append", dest="topics", default=[], help=gettext_lazy("A topic slug (repeatable); any of them.")
        )
        parser.add_argument(
            "--type",
            action="append",
            dest="qtypes",
            default=[],
            choices=QuestionType.values,
            help=gettext_lazy("A question type (repeatable)."),
        )
        parser.add_argument("--date-from", type=_date, help=gettext_lazy("Questions about events from this day (YYYY-MM-DD)."))
        parser.add_argument("--date-to", type=_date, help=gettext_lazy("Questions about events up to this day (YYYY-MM-DD)."))
        parser.add_argument(
            "--difficulty", nargs=2, type=float, metavar=("MIN", "MAX"), default=(0.0, 1.0), help=gettext_lazy("0 easy to 1 hard.")
        )
        parser.add_argument("--size", type=int, default=10, help=gettext_lazy("Number of questions (default 10)."))
        parser.add_argument("--seed", type=int, default=0, help=gettext_lazy("Seed of the selection (default 0)."))
        parser.add_argument("--order", choices=Quiz.Order.values, default=Quiz.Order.FIXED)
        parser.add_argument("--feedback", choices=Quiz.Feedback.values, default=Quiz.Feedback.IMMEDIATE)
        parser.add_argument("--attempts", type=int, default=0, help=gettext_lazy("Attempts allowed; 0 means unlimited."))
        parser.add_argument("--time-limit", type=int, help=gettext_lazy("Time limit in minutes."))
        parser.add_argument("--pass-mark", type=int, default=60, help=gettext_lazy("Percent (default 60)."))
        parser.add_argument("--owner", help=gettext_lazy("Username of the teacher who owns it."))
        parser.add_argument("--unpublished", action="store_true", help=gettext_lazy("Build it unpublished (learners do not see it yet)."))
        parser.add_argument(
            "--replace", action="store_true", help=gettext_lazy("Rebuild an existing quiz with this slug (same owner only).")
        )

    def handle(self, *args, slug, collection, title, description, topics, qtypes, date_from, date_to, difficulty, size, seed, **o):
        found = Collection.objects.filter(slug=collection).first()
        if found is None:
            known = ", ".join(Collection.objects.values_list("slug", flat=True)) or gettext("none loaded yet")
            raise CommandError(gettext("No collection %(slug)s (collections: %(known)s).") % {"slug": repr(collection), "known": known})
        lo, hi = difficulty
        if not (0 <= lo <= hi <= 1):
            raise CommandError(gettext("--difficulty takes MIN MAX between 0 and 1, MIN not above MAX, e.g. --difficulty 0.3 0.7."))
        if size < 1 or size > 100:
            raise CommandError(gettext("--size must be between 1 and 100."))
        if not 0 <= o["pass_mark"] <= 100:
            raise CommandError(gettext("--pass-mark is a percent between 0 and 100."))
        owner = None
        if o["owner"]:
            owner = get_user_model().objects.filter(username=o["owner"]).first()
            if owner is None:
                raise CommandError(gettext("No user %(username)s.") % {"username": repr(o["owner"])})
        try:
            quiz = quiz_build(
                collection=found,
                slug=slug,
                title=title or slug.replace("-", " ").capitalize(),
                description=description,
                owner=owner,
                replace=o["replace"],
                topics=tuple(topics),
                qtypes=tuple(qtypes),
                date_from=date_from,
                date_to=date_to,
                difficulty=(lo, hi),
                size=size,
                seed=seed,
                order=o["order"],
                feedback=o["feedback"],
                attempts_allowed=o["attempts"],
                time_limit_seconds=o["time_limit"] * 60 if o["time_limit"] else None,
                pass_mark=o["pass_mark"],
                published=not o["unpublished"],
            )
        except QuizSpecError as exc:
            raise CommandError(f"{exc}.") from None
        types = sorted({q.qtype for q in quiz.questions.all()})
        n = quiz.items.count()
        said = ngettext(
            "Quiz %(slug)s: %(n)d question (%(types)s) from %(collection)s.",
            "Quiz %(slug)s: %(n)d questions (%(types)s) from %(collection)s.",
            n,
        )
        self.stdout.write(self.style.SUCCESS(said % {"slug": quiz.slug, "n": n, "types": ", ".join(types), "collection": found.slug}))
