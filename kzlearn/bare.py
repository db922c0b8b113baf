"""The load benchmark's reference point: a bare Django JSON view doing one query.

Routed only when KZL_BENCH_ENDPOINTS=1 (bench/load.py sets it for its server)."""

from django.contrib.auth import get_user_model
from django.http import JsonResponse


def bare(request):
    """One indexed query, one small JSON body: what Django itself costs per request."""
    user = get_user_model().objects.filter(pk=1).values("pk", "username").first()
    return JsonResponse({"user": user})
