from django.urls import path

from quizzes.web.views import account, pages, progress, quiz, review, scenario

app_name = "web"

urlpatterns = [
    path("", pages.home, name="home"),
    path("classes/join/", pages.class_join, name="class-join"),
    path("sources/", pages.source_list, name="source-list"),
    path("sources/<slug:slug>/", pages.source_detail, name="source-detail"),
    path("quizzes/<slug:slug>/", quiz.quiz_detail, name="quiz-detail"),
    path("quizzes/<slug:slug>/start/", quiz.quiz_start, name="quiz-start"),
    path("attempts/<int:pk>/", quiz.attempt_player, name="attempt"),
    path("attempts/<int:pk>/questions/<int:position>/", quiz.attempt_answer, name="attempt-answer"),
    path("attempts/<int:pk>/finish/", quiz.attempt_finish, name="attempt-finish"),
    path("attempts/<int:pk>/submit/", quiz.attempt_submit_view, name="attempt-submit"),
    path("attempts/<int:pk>/results/", quiz.attempt_results, name="attempt-results"),
    path("scenarios/<slug:slug>/", scenario.scenario_detail, name="scenario-detail"),
    path("scenarios/<slug:slug>/start/", scenario.scenario_start, name="scenario-start"),
    path("runs/<int:pk>/", scenario.run_play, name="run"),
    path("runs/<int:pk>/predict/", scenario.run_predict, name="run-predict"),
    path("runs/<int:pk>/steps/<int:step_id>/", scenario.run_reveal, name="run-reveal"),
    path("runs/<int:pk>/summary/", scenario.run_summary, name="run-summary"),
    path("review/", review.review_page, name="review"),
    path("review/answer/", review.review_submit, name="review-answer"),
    path("progress/", progress.progress_page, name="progress"),
    path("settings/", account.settings_page, name="settings"),
    path("i18n/setlang/", account.language_set, name="set-language"),
]
