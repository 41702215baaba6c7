"""Roles: one Django group per role of the activity; views ask these helpers, never group names.

Which role may make which change is decided in pipeline.store.review.PERMISSIONS (the store checks it
again); which role may see which area is decided here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from pipeline.store.audit import ROLES, Actor, may

# who may look at which area of the workspace
VIEW_AREAS: dict[str, frozenset[str]] = {
    "roster": frozenset({"secretariat", "reviewer", "discipline", "admin"}),
    "flags": frozenset({"discipline", "admin"}),
    "audit": frozenset({"secretariat", "reviewer", "discipline", "admin"}),
    "exports": frozenset({"secretariat", "admin"}),
}


def role_of(user: Any) -> str | None:
    """The user's role (its group), or None for anonymous users and users without one."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    cached = getattr(user, "_banzu_role", "")
    if cached != "":
        return cached
    name = user.groups.filter(name__in=list(ROLES)).values_list("name", flat=True).first()
    user._banzu_role = name
    return name


def can_see(user: Any, area: str) -> bool:
    return role_of(user) in VIEW_AREAS.get(area, frozenset())


def can(user: Any, action: str) -> bool:
    role = role_of(user)
    return role is not None and may(role, action)


def actor(request: HttpRequest) -> Actor:
    return Actor(request.user.get_username(), role_of(request.user) or "", "web")


def require_area(area: str) -> Callable:
    """View decorator: 403 unless the user's role may see `area`."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not can_see(request.user, area):
                raise PermissionDenied("无权查看")
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def context(request: HttpRequest) -> dict[str, Any]:
    """Template context: the role and the areas the user may open (for the navigation)."""
    role = role_of(request.user)
    return {
        "role": role,
        "role_label": ROLES.get(role or "", ""),
        "areas": {a for a, roles in VIEW_AREAS.items() if role in roles},
    }
