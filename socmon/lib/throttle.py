"""A small fixed-window counter in the cache: enough to stop guessing codes on public pages.

With the default per-process memory cache each server process counts for itself; production sets
SOCMON_REDIS_URL so every process shares one count.
"""

from dataclasses import dataclass

from django.core.cache import cache


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@dataclass(frozen=True)
class Throttle:
    name: str
    limit: int
    window_seconds: int

    def _key(self, request) -> str:
        return f"throttle:{self.name}:{client_address(request)}"

    def blocked(self, request) -> bool:
        return cache.get(self._key(request), 0) >= self.limit

    def hit(self, request) -> None:
        key = self._key(request)
        if cache.add(key, 1, self.window_seconds):
            return
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, self.window_seconds)
