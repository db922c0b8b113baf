"""LTI 1.3 endpoints a platform calls: OIDC login initiation, launch, deep-link pick, and the
tool's public keys. Thin: pylti1p3 validates the messages, quizzes.lti.services applies them."""

from __future__ import annotations

import logging

from django.contrib.auth import login
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from pylti1p3.contrib.django import DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.exception import LtiException, OIDCException

from quizzes.lti import claims as c
from quizzes.lti.middleware import SESSION_KEY, frame_for
from quizzes.lti.selectors import deep_link_choices, lti_public_jwks
from quizzes.lti.services import LtiLaunchError, lti_deep_link_response, lti_launch_accept
from quizzes.lti.tool import PlatformToolConf, http_session, launch_storage
from quizzes.models import LtiPlatform
from quizzes.models.collections import collection_ref

log = logging.getLogger(__name__)
# Launch data of a deep-linking request stays usable for the teacher's pick this long (seconds).
DEEP_LINK_LIFETIME = 3600
# A validated id_token's nonce is remembered this long, so the same token cannot be replayed.
NONCE_LIFETIME = 24 * 3600


def _error(request: HttpRequest, message: str, *, status: int = 400, platform: LtiPlatform | None = None) -> HttpResponse:
    if platform is not None:
        frame_for(request, platform.allowed_frame_origins)  # the error shows inside the platform's frame
    return render(request, "quizzes/lti/error.html", {"message": message}, status=status)


def _launch_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("lti:launch"))


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def oidc_login(request: HttpRequest) -> HttpResponse:
    """Third-party initiated login: answer the platform with an OIDC authentication request."""
    tool_conf = PlatformToolConf()
    oidc = DjangoOIDCLogin(request, tool_conf, launch_data_storage=launch_storage())
    try:
        response = oidc.redirect(_launch_url(request))
    except (OIDCException, LtiException) as exc:
        return _error(request, f"This platform is not registered with KZLearn ({exc}). Ask your KZLearn administrator.", status=400)
    if tool_conf.platform is not None:
        frame_for(request, tool_conf.platform.allowed_frame_origins)
    return response


@csrf_exempt
@never_cache
@require_http_methods(["POST"])
def launch(request: HttpRequest) -> HttpResponse:
    """The platform posts a signed id_token here: validate it, apply it, sign the person in and send them on."""
    tool_conf = PlatformToolConf()
    message_launch = DjangoMessageLaunch(request, tool_conf, launch_data_storage=launch_storage(), requests_session=http_session())
    try:
        data = message_launch.get_launch_data()
    except LtiException as exc:
        log.info("LTI launch refused: %s", exc)
        return _error(request, f"KZLearn could not check this launch: {exc}", platform=tool_conf.platform)
    platform = tool_conf.platform
    if platform is None:  # validated against a registration that is now gone
        return _error(request, "This platform is not registered with KZLearn.")
    if not cache.add(f"lti-nonce:{platform.pk}:{data['nonce']}", 1, NONCE_LIFETIME):
        return _error(request, "This launch has already been used; open KZLearn again from your course.", platform=platform)
    try:
        result = lti_launch_accept(platform=platform, launch=data)
    except LtiLaunchError as exc:
        return _error(request, exc.message, status=exc.status, platform=platform)
    login(request, result.user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_KEY] = {"platform": platform.pk, "origins": platform.allowed_frame_origins}
    frame_for(request, platform.allowed_frame_origins)
    if result.deep_linking:
        request.session.setdefault("lti_deep_links", [])
        request.session["lti_deep_links"] = [*request.session["lti_deep_links"][-9:], message_launch.get_launch_id()]
        return redirect("lti:deep-link", launch_id=message_launch.get_launch_id())
    return redirect(_next_url(result))


def _next_url(result) -> str:
    link = result.resource_link
    if result.role == c.Role.INSTRUCTOR:
        if result.context is not None and result.context.classroom_id:
            return reverse("admin:quizzes_classroom_change", args=[result.context.classroom_id])
        return reverse("admin:index")
    if link is not None and link.quiz_id:
        return reverse("web:quiz-detail", args=[link.quiz.slug]) + f"?in={collection_ref(link.quiz)}"
    return reverse("web:home")


@never_cache
@require_http_methods(["GET", "POST"])
def deep_link(request: HttpRequest, launch_id: str) -> HttpResponse:
    """A teacher picks one quiz or module; the signed answer is posted back to the platform."""
    if launch_id not in request.session.get("lti_deep_links", []):
        return _error(request, "This content picker has expired; open it again from your course.", status=403)
    tool_conf = PlatformToolConf()
    try:
        message_launch = DjangoMessageLaunch.from_cache(
            launch_id, request, tool_conf, launch_data_storage=launch_storage(), requests_session=http_session()
        )
    except LtiException:
        return _error(request, "This content picker has expired; open it again from your course.", status=403)
    platform, data = tool_conf.platform, message_launch.get_launch_data()
    if platform is None:
        return _error(request, "This platform is no longer registered with KZLearn.", status=403)
    choices = deep_link_choices(request.user)
    if request.method == "POST":
        kind, _, pk = request.POST.get("item", "").partition(":")
        quiz = choices["quizzes"].filter(pk=pk).first() if kind == "quiz" and pk.isdigit() else None
        module = choices["modules"].filter(pk=pk).first() if kind == "module" and pk.isdigit() else None
        chosen = quiz or module
        if chosen is None:
            return render(
                request,
                "quizzes/lti/deep_link.html",
                {**choices, "launch_id": launch_id, "error": "Choose a quiz or a module."},
                status=400,
            )
        try:
            return_url, jwt = lti_deep_link_response(
                platform=platform, launch=data, quiz=quiz, module=module, launch_url=_launch_url(request)
            )
        except LtiLaunchError as exc:
            return _error(request, exc.message, status=exc.status, platform=platform)
        return render(request, "quizzes/lti/deep_link_return.html", {"return_url": return_url, "jwt": jwt, "title": chosen.title})
    return render(request, "quizzes/lti/deep_link.html", {**choices, "launch_id": launch_id})


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    """The tool's public keys (JWKS), which platforms use to check what KZLearn signs."""
    return JsonResponse(lti_public_jwks())
