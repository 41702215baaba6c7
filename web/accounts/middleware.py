"""Anonymous visitors reach the login form and nothing else."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseRedirect

OPEN_PATHS = ("/login/",)


def login_required(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        if request.path in OPEN_PATHS or request.user.is_authenticated:
            return get_response(request)
        if request.method in ("GET", "HEAD"):
            return HttpResponseRedirect(f"/login/?next={quote(request.get_full_path())}")
        return HttpResponseForbidden("请先登录")

    return middleware
