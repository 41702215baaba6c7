"""What every page of the workspace shares: the store, the year asked for, role checks, applying a change."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseRedirect

from core.reference import default_year
from core.settings import get_settings
from pipeline.store import Store
from pipeline.store import review as rv
from web.accounts.roles import actor, can
from web.review import data

T = TypeVar("T")


@lru_cache(maxsize=1)
def store() -> Store:
    return Store(get_settings())


def year_of(request: HttpRequest, year: int | None = None) -> int:
    if year is not None:
        return year
    raw = request.GET.get("year", "")
    if raw.isdigit():
        return int(raw)
    known = data.years(store())
    return known[0] if known else default_year()  # the newest year with rules, not the calendar's


def back(fallback: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(fallback)


def require_action(request: HttpRequest, action: str) -> None:
    if not can(request.user, action):
        raise PermissionDenied("无权进行此操作")


def apply_change(request: HttpRequest, change: Callable[[], object], ok: str) -> bool:
    """Run a change; a refusal the person can fix becomes a message, a forbidden one a 403."""
    try:
        change()
    except rv.NotAllowed as error:
        raise PermissionDenied(str(error)) from None
    except rv.ReviewError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, ok)
    return True


def decide_from_form(request: HttpRequest, decide: Callable[..., object], year: int, object_id: str, ok: str) -> bool:
    """Record the form's decision and reason on one object (rv.decide_team, rv.decide_flag)."""
    return apply_change(
        request,
        lambda: decide(
            store(), year, object_id, request.POST.get("decision", ""), request.POST.get("reason"), actor(request)
        ),
        ok,
    )


def found(value: T | None, missing: str) -> T:
    """The object the URL names, or a 404 saying (in Chinese) what is not there."""
    if value is None:
        raise Http404(missing)
    return value


def matches(text: str, *values: str) -> bool:
    """Whether a search box's text is in any of the values (an empty box matches everything)."""
    needle = text.strip().casefold()
    return not needle or any(needle in (v or "").casefold() for v in values)
