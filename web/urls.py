"""Top-level URLs: accounts (login/logout) and the review workspace; grading adds its own include."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("web.accounts.urls")),
    path("", include("web.review.urls")),
    path("", include("web.grading.urls")),
]
