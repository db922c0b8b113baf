"""Rate limits for answering and signing in (scopes `answer` and `sign-in`, rates in REST_FRAMEWORK).

Counts live in the default cache (Redis when configured, so they hold across server processes).
If that cache cannot be reached the request is let through: a learner's answer matters more
than the limit.

A sliding window approximated from two fixed windows (the current one's count, plus the previous
one's weighted by how much of it still overlaps the last `duration` seconds): on Redis one round
trip per request (INCR and EXPIRE of this window's counter, GET of the last one, pipelined), where
DRF's own throttle reads and rewrites a pickled list of timestamps (two round trips, and Python
work growing with the rate). Every request counts, refused ones too.
"""

from __future__ import annotations

import logging
import math

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.utils.connection import ConnectionProxy
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

log = logging.getLogger(__name__)


class ScopedThrottle(ScopedRateThrottle):
    """ScopedRateThrottle reading its rates when used (a test's override takes effect), failing open."""

    @property
    def THROTTLE_RATES(self):  # noqa: N802 - the attribute name DRF reads
        return api_settings.DEFAULT_THROTTLE_RATES

    def allow_request(self, request, view):
        try:
            return self._allow(request, view)
        except Exception:  # noqa: BLE001 - any cache backend error (Redis down): do not refuse the learner
            log.warning("rate limit cache unavailable; letting %s through", request.path, exc_info=True)
            return True

    def _allow(self, request, view) -> bool:
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        current, previous = self._hit(f"{key}_{window}", f"{key}_{window - 1}")
        overlap = 1 - (self.now - window * self.duration) / self.duration
        self.window_end = (window + 1) * self.duration
        return current + previous * overlap <= self.num_requests

    def _hit(self, key: str, previous_key: str) -> tuple[int, int]:
        """Count this request in the window `key`; return (this window's count, the last window's)."""
        cache = self.cache
        if isinstance(cache, ConnectionProxy):  # django.core.cache.cache: the backend it stands for
            cache = caches[cache._alias]
        ttl = 2 * self.duration  # the next window still reads this one
        if isinstance(cache, RedisCache):
            client = cache._cache.get_client(write=True)
            pipe = client.pipeline(transaction=False)
            pipe.incr(cache.make_and_validate_key(key))
            pipe.expire(cache.make_and_validate_key(key), ttl, nx=True)
            pipe.get(cache.make_and_validate_key(previous_key))
            current, _, previous = pipe.execute()
            return int(current), int(previous or 0)
        # Other backends (the tests' local memory): not atomic, which only a shared cache needs.
        counts = cache.get_many([key, previous_key])
        current = counts.get(key, 0) + 1
        cache.set(key, current, ttl)
        return current, counts.get(previous_key, 0)

    def wait(self):
        """Seconds until this window ends (at least 1): a safe Retry-After."""
        return max(1, math.ceil(self.window_end - self.now))
