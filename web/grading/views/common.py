"""What the expert review pages share: the grading store, who the person is, uploads, redirects."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from pipeline.store import grading as gr
from web.accounts.roles import actor, role_of
from web.review.views.common import store


@lru_cache(maxsize=1)
def gs() -> gr.GradingStore:
    return gr.GradingStore(store())


def is_secretariat(request: HttpRequest) -> bool:
    return role_of(request.user) in gr.SECRETARIAT_ROLES


def require_secretariat(request: HttpRequest) -> None:
    if not is_secretariat(request):
        raise PermissionDenied("只有秘书处可以进行此操作")


def expert_key(request: HttpRequest) -> str:
    """The expert of the pool this login belongs to (its linked account, or the same key)."""
    if role_of(request.user) != "expert":
        raise PermissionDenied("只有评审专家可以进行此操作")
    name = request.user.get_username()
    found = gs().expert_for_account(name)
    if found is not None:
        return found.key
    if any(e.key == name for e in gs().experts()):
        return name
    raise PermissionDenied("您的账户未关联专家库中的专家，请联系秘书处")


def grading_actor(request: HttpRequest) -> gr.Actor:
    a = actor(request)
    return gr.Actor(expert_key(request), "expert", "web") if a.role == "expert" else a


def to(name: str, *args: object) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse(name, args=args))


@contextmanager
def saved_upload(upload: UploadedFile) -> Iterator[Path]:
    """An uploaded workbook as a file for the readers, gone when the block ends."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload.xlsx"
        with path.open("wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        yield path
