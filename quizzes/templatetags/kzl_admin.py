"""Template tags of the teachers' admin (the logic lives in quizzes.admin)."""

from django import template

from quizzes.admin.home import teacher_cards as _teacher_cards

register = template.Library()


@register.simple_tag(takes_context=True)
def teacher_cards(context):
    """The signed-in user's class cards for the admin home."""
    request = context.get("request")
    return _teacher_cards(request.user) if request is not None else []
