from django.urls import path

from quizzes.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("sources/", views.source_list, name="source-list"),
    path("sources/<slug:slug>/", views.source_detail, name="source-detail"),
]
