"""Headers every response carries: a strict CSP, no caching of pages, Secure cookies over HTTPS, and
Server-Timing (how long the app took; the benchmark and the browser's developer tools read it)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CSP = (
    "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


def security_headers(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = get_response(request)
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        response.setdefault("Content-Security-Policy", CSP)
        response.setdefault("Cache-Control", "private, no-store")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.is_secure():
            for cookie in response.cookies.values():
                cookie["secure"] = True
        return response

    return middleware
