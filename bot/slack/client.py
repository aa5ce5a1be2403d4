"""The Slack Web API client and its retry policy.

    client = build_client(token, base_url=api_url)   # waits out 429s, never re-posts blindly
    quick = best_effort_client(client)               # no retries, short timeout: progress updates
"""

from __future__ import annotations

from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

RATE_LIMIT_RETRIES = 3
BEST_EFFORT_TIMEOUT = 5  # seconds: a progress update that takes longer is not worth waiting for


class _SafeConnectionRetry(ConnectionErrorRetryHandler):
    """Retry a dropped connection, except where the call may already have posted a message.

    A URLError means the request never fully left; a reset or disconnect after sending may
    follow a successful chat.postMessage, and re-posting would answer twice.
    """

    _POSTS = ("chat.postMessage", "chat.postEphemeral")

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if request.url.endswith(self._POSTS) and not isinstance(error, URLError):
            return False
        return super()._can_retry(state=state, request=request, response=response, error=error)


def build_client(token: str, *, base_url: str | None = None, timeout: int = 30) -> WebClient:
    """A WebClient that waits out 429s (Retry-After) and never re-posts blindly."""
    extra: dict[str, Any] = {}
    if base_url:
        extra["base_url"] = base_url if base_url.endswith("/") else base_url + "/"
    return WebClient(
        token=token,
        timeout=timeout,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            _SafeConnectionRetry(),
        ],
        **extra,
    )


def best_effort_client(client: WebClient) -> WebClient:
    """The same token and Slack, but no 429 waits or retries and a short timeout: for calls
    whose failure costs nothing (a later call carries everything)."""
    return WebClient(token=client.token, base_url=client.base_url, timeout=BEST_EFFORT_TIMEOUT,
                     retry_handlers=[])
