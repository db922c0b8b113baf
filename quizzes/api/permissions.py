"""Who may call what. Object access is decided by querysets (quizzes.classes.selectors), not here."""

from rest_framework.permissions import IsAuthenticated

TEACHERS_GROUP = "Teachers"


def is_teacher(user) -> bool:
    """Staff (the admin is the teachers' workspace) or a member of the Teachers group."""
    return bool(user and user.is_authenticated and (user.is_staff or user.groups.filter(name=TEACHERS_GROUP).exists()))


class IsTeacher(IsAuthenticated):
    message = "Only teachers may use this endpoint."

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and is_teacher(request.user)
