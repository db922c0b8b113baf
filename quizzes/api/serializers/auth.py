"""Users and sign-in: who I am, signing in for a token."""

from __future__ import annotations

from rest_framework import serializers

from quizzes.api.serializers.base import StrictJSON, User

# --- users and auth -------------------------------------------------------------------------------


class UserRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name"]


class MeSerializer(UserRefSerializer):
    is_teacher = serializers.BooleanField(read_only=True)

    class Meta(UserRefSerializer.Meta):
        fields = [*UserRefSerializer.Meta.fields, "is_teacher"]


class SignInSerializer(StrictJSON, serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text='Send it as "Authorization: Token <token>".')
    user = MeSerializer()
