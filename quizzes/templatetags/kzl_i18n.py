"""Naming a content language in the interface's language ('English', 'ағылшын тілі', 'английский')."""

from django import template
from django.utils.translation import get_language, get_language_info, gettext

register = template.Library()


@register.simple_tag
def language_name(code: str) -> str:
    """The language of a BCP 47 tag in the interface's words; the tag itself when Django does not know it."""
    for tag in (code, (code or "").split("-")[0]):
        try:
            return gettext(get_language_info(tag.lower())["name"])
        except KeyError:
            continue
    return code


@register.filter
def other_language(code: str) -> bool:
    """Whether content in `code` differs from the interface's language."""
    return bool(code) and (code or "").split("-")[0].lower() != (get_language() or "en").split("-")[0]
