"""A teacher's home in the admin: a card per class they teach (students, assignments, completion, who is
behind) above the usual list of models, and a class page (people, groups, assignments, grades).

The admin index uses the template admin/quizzes/home.html, which asks `teacher_cards` (the template tag
in quizzes.templatetags.kzl_admin) for the cards of the signed-in user's classes.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from quizzes.classes.services import join_code_display
from quizzes.permissions import classrooms_for_teacher
from quizzes.progress.overview import ClassOverview, class_overview, classes_taught

admin.site.index_template = "admin/quizzes/home.html"

# Students per page of the class form, the class page and an assignment's results: a formset over
# one page only, so a class of any size loads and saves (Django refuses a form of more than
# DATA_UPLOAD_MAX_NUMBER_FIELDS, 1,000, fields: a formset over every enrolment broke at 330
# students), and a table that costs what it shows.
STUDENTS_PER_PAGE = 50


def teacher_cards(user) -> list[ClassOverview]:
    """The cards of a user's home: one per class they teach (none for a curator who teaches none)."""
    if not user.is_active or not user.is_staff:
        return []
    return [class_overview(c) for c in classes_taught(user.pk)]


def class_page_view(model_admin, request, pk: int):
    """One class: people and their groups, assignments with how far each has got, and the grades table."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    classroom = get_object_or_404(classrooms_for_teacher(request.user), pk=pk)
    overview = class_overview(classroom)
    # Counts, "behind" and the assignments' progress cover the class; the grades and people tables a page of it.
    pager = Paginator(overview.enrolments, STUDENTS_PER_PAGE).get_page(request.GET.get("students_page"))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": str(classroom),
        "classroom": classroom,
        "original": classroom,
        "overview": overview,
        "pager": pager,
        "grade_rows": overview.grade_rows(list(pager.object_list)),
        "can_change": model_admin.has_change_permission(request, classroom),
        "join_code": join_code_display(classroom.join_code),
    }
    return TemplateResponse(request, "admin/quizzes/classroom/home.html", context)
