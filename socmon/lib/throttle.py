"""A small fixed-window counter in the cache: enough to stop guessing codes.

Each throttle counts under a key the caller chooses (an address, an account, a card, or "" for one count
shared by everyone). With the default per-process memory cache each server process counts for itself;
production sets SOCMON_REDIS_URL so every process shares one count.
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

    def _key(self, key: str) -> str:
        return f"throttle:{self.name}:{key}"

    def blocked(self, key: str = "") -> bool:
        return cache.get(self._key(key), 0) >= self.limit

    def hit(self, key: str = "") -> None:
        key = self._key(key)
        if cache.add(key, 1, self.window_seconds):
            return
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, self.window_seconds)
