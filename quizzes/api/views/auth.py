"""Sign-in for integrations (tokens) and who am I."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext, ngettext
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from quizzes.api import serializers
from quizzes.api.errors import errors_for
from quizzes.api.permissions import IsTeacher, is_teacher
from quizzes.api.query import StrictQuery
from quizzes.api.throttling import ScopedThrottle
from quizzes.errors import ErrorCode

THROTTLED = errors_for(ErrorCode.THROTTLED)[429]


def _token_body(token: Token) -> dict:
    user = token.user
    user.is_teacher = is_teacher(user)
    return serializers.TokenSerializer({"token": token.key, "user": user}).data


class TokenView(StrictQuery, APIView):
    """POST: exchange a username and password for the user's API token. DELETE: revoke my token."""

    throttle_classes = [ScopedThrottle]
    throttle_scope = "sign-in"

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_throttles(self):
        return super().get_throttles() if self.request.method == "POST" else []

    @extend_schema(
        request=serializers.SignInSerializer,
        responses={200: serializers.TokenSerializer, 429: THROTTLED},
        auth=[{}],
        description="Returns the user's token (created on first use). Wrong credentials: 401 `authentication_failed`. "
        "Rate-limited (scope `sign-in`).",
    )
    def post(self, request):
        data = serializers.SignInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # The plain HttpRequest: django-axes (sign-in throttling, settings) counts failures on it and marks a lockout.
        http_request = request._request
        user = authenticate(http_request, username=data.validated_data["username"], password=data.validated_data["password"])
        if getattr(http_request, "axes_locked_out", False):
            minutes = round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
            raise exceptions.Throttled(
                wait=minutes * 60,
                detail=ngettext(
                    "Too many failed sign-ins for this account or from this address. Wait %(n)d minute.",
                    "Too many failed sign-ins for this account or from this address. Wait %(n)d minutes.",
                    minutes,
                )
                % {"n": minutes},
            )
        if user is None:
            raise exceptions.AuthenticationFailed(gettext("Unable to sign in with these credentials."))
        token, _ = Token.objects.get_or_create(user=user)
        return Response(_token_body(token))

    @extend_schema(responses={204: None})
    def delete(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenNewView(StrictQuery, APIView):
    """A new token for an integration, replacing the teacher's previous one (which stops working)."""

    permission_classes = [IsTeacher]

    @extend_schema(request=None, responses={201: serializers.TokenSerializer})
    def post(self, request):
        Token.objects.filter(user=request.user).delete()
        token = Token.objects.create(user=request.user)
        return Response(_token_body(token), status=status.HTTP_201_CREATED)


class MeView(StrictQuery, generics.RetrieveAPIView):
    """The signed-in user."""

    serializer_class = serializers.MeSerializer

    def get_object(self):
        user = self.request.user
        user.is_teacher = is_teacher(user)
        return user
