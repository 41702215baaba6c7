"""Login (throttled) and logout; the CSRF failure page."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from web.accounts.throttle import THROTTLE


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    ok = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if ok and target.startswith("/") else "/"


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    context = {"next": _next(request), "error": None, "username": ""}
    if request.method == "POST":
        username = request.POST.get("username", "").strip()[:150]
        password = request.POST.get("password", "")
        address = request.META.get("REMOTE_ADDR", "")
        context["username"] = username
        if THROTTLE.blocked(username, address):
            context["error"] = "登录失败次数过多，请一分钟后再试。"
            return render(request, "login.html", context, status=429)
        user = authenticate(request, username=username, password=password)
        if user is None:
            THROTTLE.failed(username, address)
            context["error"] = "用户名或密码不正确。"
            return render(request, "login.html", context, status=401)
        login(request, user)
        return HttpResponseRedirect(context["next"])
    return render(request, "login.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return HttpResponseRedirect("/login/")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(
        request,
        "error.html",
        {"title": "请求被拒绝", "message": "页面已过期或来源不明，请刷新页面后重试。"},
        status=403,
    )
