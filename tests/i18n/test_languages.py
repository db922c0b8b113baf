"""Kazakh, Russian and English: every msgid of ours translated, plural forms right, pages rendered in
each language, the choice remembered per user, Accept-Language for new visitors, API messages
translated with their codes unchanged, and dates written in each language."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from quizzes.dates import date_label, date_range_label
from quizzes.models import Profile
from tests.factories import SourceFactory, UserFactory, quiz_with_questions, scenario_with_steps
from tests.i18n.po import read

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGS = [code for code, _name in settings.LANGUAGES]


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_msgid_is_left_empty_or_fuzzy(lang):
    entries = read(LOCALE / lang / "LC_MESSAGES" / "django.po")[1:]
    assert len(entries) > 150
    empty = [e.msgid for e in entries if not e.msgstr or any(not v.strip() for v in e.msgstr.values())]
    fuzzy = [e.msgid for e in entries if e.fuzzy]
    assert not empty, f"{len(empty)} msgid(s) left empty in {lang}: {empty[:5]}"
    assert not fuzzy, f"fuzzy (not compiled) in {lang}: {fuzzy[:5]}"


PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\w*\}")


def placeholders(text: str) -> list[str]:
    """%(name)s, %s and {name} of a message (%% is a percent sign, not a placeholder), sorted."""
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


def nplurals(header: str) -> int:
    return int(re.search(r"nplurals=(\d+)", header).group(1))


@pytest.mark.parametrize("domain", ["django", "djangojs"])
@pytest.mark.parametrize("lang", LANGS)
def test_every_catalog_has_the_same_msgids_and_keeps_every_placeholder(lang, domain):
    english = {e.key: e for e in read(LOCALE / "en" / "LC_MESSAGES" / f"{domain}.po")[1:]}
    header, *rest = read(LOCALE / lang / "LC_MESSAGES" / f"{domain}.po")
    entries = {e.key: e for e in rest}
    assert entries.keys() == english.keys()
    forms = nplurals(header.msgstr[0])
    assert forms == {"ru": 4, "kk": 2, "en": 2}[lang]
    for e in entries.values():
        # Every form keeps the placeholders: the msgid's; in Russian and Kazakh, where one form serves many
        # numbers (1, 21, 31...), every form keeps the plural's (the count included)
        for n, form in e.msgstr.items():
            source = e.msgid if e.msgid_plural is None or (lang == "en" and n == 0) else e.msgid_plural
            assert placeholders(form) == placeholders(source), (lang, e.msgid, n, form)
        if "<a href" in e.msgid:
            assert all("<a href" in form for form in e.msgstr.values())
        if e.msgid_plural is not None:  # a plural entry has every form its language's rule can choose
            assert sorted(e.msgstr) == list(range(forms)), (lang, e.msgid, sorted(e.msgstr))


def test_the_placeholder_check_catches_a_lost_or_renamed_placeholder():
    assert placeholders("%(n)s facts in {name}, 50%% done") == ["%(n)s", "{name}"]
    assert placeholders("%(n)s фактов в {name}") == placeholders("%(n)s facts in {name}")
    assert placeholders("фактов в {имя}") != placeholders("%(n)s facts in {name}")
    assert placeholders("%(count)s фактов") != placeholders("%(n)s facts")


@pytest.mark.parametrize(
    "n, ru, kk",
    [
        (1, "1 факт ждёт повторения", "1 дерек қайталауды күтіп тұр"),
        (2, "2 факта ждут повторения", "2 дерек қайталауды күтіп тұр"),
        (5, "5 фактов ждут повторения", "5 дерек қайталауды күтіп тұр"),
        (11, "11 фактов ждут повторения", "11 дерек қайталауды күтіп тұр"),
        (21, "21 факт ждёт повторения", "21 дерек қайталауды күтіп тұр"),
        (24, "24 факта ждут повторения", "24 дерек қайталауды күтіп тұр"),
        (112, "112 фактов ждут повторения", "112 дерек қайталауды күтіп тұр"),
    ],
)
def test_plural_forms_follow_each_languages_rules(n, ru, kk):
    msg = ("%(n)s fact due for review", "%(n)s facts due for review")
    with translation.override("ru"):
        assert translation.ngettext(*msg, n) % {"n": n} == ru
    with translation.override("kk"):
        assert translation.ngettext(*msg, n) % {"n": n} == kk  # Kazakh: no plural after a number
    with translation.override("en"):
        assert translation.ngettext(*msg, n) % {"n": n} == (f"{n} fact due for review" if n == 1 else f"{n} facts due for review")


def test_attempts_left_message_in_russian_uses_the_right_form():
    msg = ("This quiz allows %(n)d attempt and you have used it.", "This quiz allows %(n)d attempts and you have used them all.")
    with translation.override("ru"):
        assert [translation.ngettext(*msg, n) % {"n": n} for n in (1, 3, 5)] == [
            "В этом тесте 1 попытка, и вы её уже использовали.",
            "В этом тесте 3 попытки, и вы их все использовали.",
            "В этом тесте 5 попыток, и вы их все использовали.",
        ]


def test_fuzzy_dates_in_three_languages():
    day, start, end = dt.date(2022, 1, 5), dt.date(2022, 1, 2), dt.date(2022, 1, 6)
    assert [date_label(day, "month", lang) for lang in LANGS] == ["2022 жылғы қаңтар", "январь 2022 г.", "January 2022"]
    assert [date_range_label(start, end, language=lang) for lang in LANGS] == [
        "2022 жылғы 2–6 қаңтар",
        "2–6 января 2022 г.",
        "2–6 January 2022",
    ]
    assert [date_label(day, "day", lang) for lang in LANGS] == ["2022 жылғы 5 қаңтар", "5 января 2022 г.", "5 January 2022"]
    assert date_range_label(dt.date(2021, 12, 30), dt.date(2022, 1, 2), language="ru") == "30 декабря 2021 г. – 2 января 2022 г."
    assert date_range_label(dt.date(2022, 1, 30), dt.date(2022, 2, 2), language="en") == "30 January – 2 February 2022"
    # Generated content keeps the English labels it always had
    assert date_label(day) == "5 January 2022" and date_label(day, "year") == "2022"


def english_sentences() -> list[str]:
    """Our msgids of three words or more, as they read in English (placeholders cut out)."""
    out = []
    for e in read(LOCALE / "en" / "LC_MESSAGES" / "django.po")[1:]:
        for part in re.split(r"%\(\w+\)[sd]|<[^>]+>", e.msgid):
            if len(part.split()) >= 3:
                out.append(part.strip().replace("%%", "%"))
    return out


def visible_text(html: str) -> str:
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").replace("&quot;", '"').split())


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_student_pages_in_each_language_show_no_english_string_of_ours(lang):
    scenario = scenario_with_steps(2)
    source = SourceFactory()
    student = UserFactory()
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    pages = {"login": client.get(reverse("login")), "home": client.get("/")}
    client.force_login(student)
    pages |= {
        "sources": client.get(reverse("web:source-list")),
        "source": client.get(reverse("web:source-detail", args=[source.slug])),
        "progress": client.get(reverse("web:progress")),
        "settings": client.get(reverse("web:settings")),
        "scenario": client.get(reverse("web:scenario-detail", args=[scenario.slug])),
        "404": client.get("/no-such-page/"),
    }
    run = client.post(reverse("web:scenario-start", args=[scenario.slug]))
    pages["step"] = client.get(run["Location"])
    quiz = quiz_with_questions(2, published=True)
    pages["dashboard"] = client.get("/")
    pages["quiz"] = client.get(reverse("web:quiz-detail", args=[quiz.slug]))
    attempt = client.post(reverse("web:quiz-start", args=[quiz.slug]))
    pages["player"] = client.get(attempt["Location"])
    pages["finish"] = client.get(attempt["Location"].rstrip("/") + "/finish/")
    pages["review"] = client.get(reverse("web:review"))
    sentences = english_sentences()
    # Content stays in its collection's language (English here): cut it out before looking
    content = [scenario.title, scenario.intro, source.title, source.label, source.text, quiz.title]
    for question in quiz.questions.all():
        content += [question.stem, *(o["text"] for o in question.options)]
    for step in scenario.steps.all():
        content += [step.prompt, step.briefing, step.reveal, *(o["text"] for o in step.options)]
    for name, page in pages.items():
        assert page.status_code in (200, 404), name
        assert f'<html lang="{lang}">' in page.text, name
        text = visible_text(page.text)
        for piece in sorted(filter(None, content), key=len, reverse=True):
            text = text.replace(" ".join(str(piece).split()), " ")
        left = [s for s in sentences if s in text]
        assert not left, f"{name} in {lang} still says {left}"
    assert "Жетістіктер" in pages["progress"].text if lang == "kk" else "Успехи" in pages["progress"].text


@pytest.mark.django_db
def test_accept_language_for_a_new_visitor_and_the_choice_remembered_per_user():
    assert '<html lang="ru">' in Client(HTTP_ACCEPT_LANGUAGE="ru,en;q=0.5").get(reverse("login")).text
    assert '<html lang="kk">' in Client(HTTP_ACCEPT_LANGUAGE="kk-KZ").get(reverse("login")).text
    assert '<html lang="en">' in Client(HTTP_ACCEPT_LANGUAGE="de").get(reverse("login")).text
    # A signed-in user switches to Kazakh with the form on every page
    user = UserFactory(password="pw-for-test-1")
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert browser.post(reverse("login"), {"username": user.username, "password": "pw-for-test-1"}).status_code == 302
    switched = browser.post(reverse("web:set-language"), {"language": "kk", "next": "/progress/"})
    assert switched.status_code == 302 and switched["Location"] == "/progress/"
    assert Profile.objects.get(user=user).language == "kk"
    # On another browser, asking for English, sign-in brings Kazakh back
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.post(reverse("login"), {"username": user.username, "password": "pw-for-test-1"})
    assert '<html lang="kk">' in other.get(reverse("web:progress")).text
    # An unknown language is refused without a 500 and changes nothing
    assert browser.post(reverse("web:set-language"), {"language": "xx", "next": "/"}).status_code in (302, 400)
    assert Profile.objects.get(user=user).language == "kk"
    # An outside `next` is not followed
    assert browser.post(reverse("web:set-language"), {"language": "ru", "next": "https://evil.example/"})["Location"] == "/"


@pytest.mark.django_db
def test_api_error_messages_follow_the_language_and_keep_their_codes():
    student = UserFactory()
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    client.force_login(student)
    body = client.post("/api/v1/quizzes/no-such-quiz/start/", content_type="application/json").json()
    assert body["error"]["code"] == "not_found"
    missing = Client(HTTP_ACCEPT_LANGUAGE="kk").get("/api/v1/no-such-endpoint/")
    assert missing.status_code == 404 and missing.json()["error"] == {
        "code": "not_found",
        "message": "/api/v1/no-such-endpoint/ мекенжайында API нүктесі жоқ (API жолдары қиғаш сызықпен аяқталады).",
    }
    # A learner action's own message, in Russian, with its stable code
    with translation.override("ru"):
        from quizzes.progress.errors import LearnerActionError
        from quizzes.progress.services import attempt_start
        from tests.factories import QuizFactory

        quiz = QuizFactory(published=False)
        with pytest.raises(LearnerActionError) as refused:
            attempt_start(user=student, quiz=quiz)
    assert (refused.value.code, refused.value.message) == ("quiz_unavailable", "Этот тест вам недоступен.")


def test_numbers_typed_with_a_decimal_comma_in_russian_and_kazakh():
    from django.http import QueryDict

    from quizzes.web.forms import AnswerMissing, response_from_post

    def number(text: str) -> float:
        data = QueryDict(mutable=True)
        data["value"] = text
        return response_from_post("numeric", [], data)["value"]

    with translation.override("ru"):
        assert (number("33,5"), number("1 800 000"), number("1,800")) == (33.5, 1800000, 1800)
        with pytest.raises(AnswerMissing, match="Введите число, например 1250."):
            number("много")
    with translation.override("kk"):
        assert number("0,25") == 0.25
    with translation.override("en"):
        assert (number("1,800,000"), number("33.5"), number("33,5")) == (1800000, 33.5, 335)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_teachers_admin_home_and_class_page_in_each_language(lang):
    from tests.factories import class_with_assignment
    from tests.teachers.conftest import make_teacher

    teacher = make_teacher(f"teacher_{lang}")
    assignment = class_with_assignment(teacher=teacher, students=2, due_at=dt.datetime(2030, 1, 17, 13, 0, tzinfo=dt.UTC))
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(teacher)
    home = client.get(reverse("admin:index"))
    page = client.get(reverse("admin:quizzes_classroom_home", args=[assignment.classroom.pk]))
    assert home.status_code == page.status_code == 200
    assert f'lang="{lang}"' in home.text
    sentences = english_sentences()
    text = visible_text(home.text).replace(assignment.classroom.name, " ")
    assert not [s for s in sentences if s in text]
    assert ("2 оқушы" if lang == "kk" else "2 ученика") in text
    # The assignment's results, statistics and the class's add-students page: no English sentence of ours
    for url in (
        reverse("admin:quizzes_assignment_results", args=[assignment.pk]),
        reverse("admin:quizzes_assignment_statistics", args=[assignment.pk]),
        reverse("admin:quizzes_classroom_students", args=[assignment.classroom.pk]),
        reverse("admin:quizzes_classroom_changelist"),
        reverse("admin:quizzes_assignment_changelist"),
    ):
        other = client.get(url)
        assert other.status_code == 200, url
        shown = visible_text(other.text)
        for name in (assignment.classroom.name, str(assignment.module), str(assignment)):
            shown = shown.replace(name, " ")
        assert not [s for s in sentences if s in shown], (url, [s for s in sentences if s in shown])
    assert ("Нәтижелер" if lang == "kk" else "Результаты") in client.get(
        reverse("admin:quizzes_assignment_results", args=[assignment.pk])
    ).text
    # The class page's due column names the zone; the time is Almaty's, the words the language's
    due = "2030 жылғы 17 қаңтар, 18:00" if lang == "kk" else "17 января 2030 г., 18:00"
    assert due in visible_text(page.text) and "Asia/Almaty, UTC+05:00" in page.text


def test_numbers_shown_in_each_languages_format():
    """Decimals and thousands as each language writes them (Django's formats for kk, ru, en), in the
    filters the pages use: a discrimination of 0.355, a share of 33.5 %, a figure of 1 800 000."""
    from django.template import Context, Template
    from django.utils.formats import number_format

    page = Template("{{ d|floatformat:2 }} {{ p|floatformat:'-1' }} {{ n|floatformat:'0g' }}")
    shown = {}
    for lang in LANGS:
        with translation.override(lang):
            shown[lang] = page.render(Context({"d": 0.355, "p": 33.5, "n": 1800000}))
            assert number_format(0.5, 1) == ("0,5" if lang != "en" else "0.5")
    assert shown["en"] == "0.36 33.5 1,800,000"
    assert shown["ru"] == "0,36 33,5 1\xa0800\xa0000"
    assert shown["kk"] == "0,36 33,5 1\xa0800\xa0000"


def test_time_until_a_due_date_reads_in_each_language():
    """Django's Kazakh catalog has no units for timesince/timeuntil; ours gives them (kzlearn/formats/kk)."""
    from django.utils.timesince import timesince, timeuntil

    now = dt.datetime(2030, 1, 1, 12, 0, tzinfo=dt.UTC)
    due = now + dt.timedelta(days=2, hours=3)
    said = {}
    for lang in LANGS:
        with translation.override(lang):
            said[lang] = (timeuntil(due, now), timesince(now - dt.timedelta(days=368), now))
    assert said["kk"][0] == "2\xa0күн, 3\xa0сағат" and said["ru"][0] == "2\xa0дня, 3\xa0часа"
    assert said["en"][0] == "2\xa0days, 3\xa0hours"
    assert "жыл" in said["kk"][1] and "год" in said["ru"][1]


def test_durations_read_in_each_language():
    """The time a student spent ("3 min 05 s"), on the results page and a student's work."""
    from quizzes.progress.results import duration_label

    said = {}
    for lang in LANGS:
        with translation.override(lang):
            said[lang] = (duration_label(185), duration_label(3720), duration_label(None))
    assert said["en"] == ("3 min 05 s", "1 h 02 min", "")
    assert said["ru"] == ("3 мин 05 с", "1 ч 02 мин", "")
    assert said["kk"] == ("3 мин 05 сек", "1 сағ 02 мин", "")


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_item_statistics_page_says_its_flags_in_each_language(lang):
    """Flags are stored (and sent by the API) as English codes; the page words them in the teacher's language."""
    from django.utils import timezone

    from quizzes.models import ItemStatistic
    from tests.factories import class_with_assignment
    from tests.teachers.conftest import make_teacher

    teacher = make_teacher(f"stats_{lang}")
    quiz = class_with_assignment(teacher=teacher, students=0).module.items.get().quiz
    ItemStatistic.objects.create(
        question=quiz.items.get(position=1).question,
        responses=40,
        facility=0.9,
        discrimination=-0.2,
        option_counts={"a": 4, "b": 36, "c": 0},
        flags=["negative discrimination", "distractor c never chosen", "strong students miss the key"],
        computed_at=timezone.now(),
    )
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(teacher)
    page = client.get(reverse("admin:quizzes_quiz_statistics", args=[quiz.pk]))
    assert page.status_code == 200 and f'lang="{lang}"' in page.text
    wanted = {
        "ru": [
            '<abbr title="отрицательная различающая способность">слабые ученики отвечают на него лучше сильных',
            '<abbr title="неверный вариант c никто не выбрал (дистрактор)">неверный вариант c никто не выбрал</abbr>',
            '<abbr title="сильные ученики ошибаются">большинство самых сильных учеников отвечает неверно',
        ],
        "kk": [
            '<abbr title="теріс ажырату қабілеті">әлсіз оқушылар оған күштілерден жақсы жауап береді',
            '<abbr title="c қате нұсқасын ешкім таңдамады (алаңдатқыш)">c қате нұсқасын ешкім таңдамады</abbr>',
            '<abbr title="күшті оқушылар қателеседі">ең күшті оқушылардың көбі қате жауап береді',
        ],
    }[lang]
    for html in wanted:
        assert html in page.text, html
    shown = visible_text(page.text)
    for name in (
        quiz.title,
        *(i.question.stem for i in quiz.items.all()),
        *(o["text"] for i in quiz.items.all() for o in i.question.options),
    ):
        shown = shown.replace(" ".join(str(name).split()), " ")
    assert not [s for s in english_sentences() if s in shown]
    assert "never chosen" not in page.text and "negative discrimination" not in page.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "lang, said", [("ru", "Статистика вопросов обновлена: 3 вопроса."), ("kk", "Сұрақтар статистикасы жаңартылды: 3 сұрақ.")]
)
def test_a_background_jobs_message_is_in_its_starters_language(lang, said, django_capture_on_commit_callbacks):
    """A worker has no request: the job speaks the language of the teacher who started it (their profile's)."""
    from quizzes.jobs.services import job_start
    from quizzes.models import Job
    from tests.factories import class_with_assignment
    from tests.teachers.conftest import make_teacher, work

    teacher = make_teacher(f"jobs_{lang}")
    Profile.objects.update_or_create(user=teacher, defaults={"language": lang})
    assignment = class_with_assignment(teacher=teacher, students=2)
    for e in assignment.classroom.enrolments.all():
        work(e.student, assignment.module.items.get().quiz, assignment, ["b", "a", "b"])
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind=Job.Kind.ITEM_STATISTICS, user=teacher)
    job.refresh_from_db()
    assert (job.status, job.message) == (Job.Status.DONE, said)
    # Someone with no language of their own gets the site's (English)
    other = make_teacher(f"jobs_{lang}_plain")
    with django_capture_on_commit_callbacks(execute=True):
        plain = job_start(kind=Job.Kind.ITEM_STATISTICS, user=other)
    plain.refresh_from_db()
    assert plain.message in ("Item statistics updated for 3 questions.", "Item statistics updated for 0 questions.")


# One word per term (docs/languages.md, "Glossary"): the variants a read-through replaced must not come back.
REJECTED = {
    "ru": {
        "отрыв": "passage is «фрагмент»",
        "объяснени": "explanation is «пояснение»",
        "подтверждения (": "evidence is «свидетельства»",
        "Посмотреть подтверждения": "evidence is «свидетельства»",
        "выведено из использования": "retired is «выведено из оборота»",
        "выводятся из использования": "retired is «выведено из оборота»",
    },
    "kk": {
        "талпыныс": "attempt is «әрекет»",
        "Талпыныс": "attempt is «әрекет»",
        "талдау соңында": "feedback is «кері байланыс»",
        "кейін талдау": "feedback is «кері байланыс»",
        "slug-ы": "slug is «қысқа атау (slug)»",
    },
}


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_glossarys_terms_are_used_throughout(lang):
    found = []
    for domain in ("django", "djangojs"):
        for e in read(LOCALE / lang / "LC_MESSAGES" / f"{domain}.po")[1:]:
            for form in e.msgstr.values():
                found += [(e.msgid[:60], form[:80], why) for word, why in REJECTED[lang].items() if word in form]
    assert not found, found
