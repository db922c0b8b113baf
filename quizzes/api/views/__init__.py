"""API views: content (public reads), auth, learner flows, teacher flows."""

SLUG_PATTERN = r"[-a-zA-Z0-9_]+"


class UserScoped:
    """A viewset whose objects depend on the user: `queryset` is X.objects.none() and `user_queryset(user)` the real one.

    The schema generator has no user, so it gets the empty queryset (only its model matters there)."""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return self.user_queryset(self.request.user)
