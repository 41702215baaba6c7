"""Grading in the store: the pool, the draw and its changes, scores, group submissions, the graded list.

Every change is checked here (who may do it, whether the list is still a draft) so the CLI and the web
app cannot differ, and every change goes into the audit trail in the same transaction. One module a job,
each building on the one before: base (errors, checks, rows) → pool → teams → groups (the draw) →
scores (material, out of 80) → presentation (out of 20) → decisions (the graded list).
"""

from __future__ import annotations

from pipeline.store.grading.base import ACTION_NAMES, SECRETARIAT_ROLES, GradingError, NotAllowed
from pipeline.store.grading.decisions import GradedLists
from pipeline.store.review import Actor, ReviewError


class GradingStore(GradedLists):
    """The one door the CLI, the web app and the exports use for grading."""


__all__ = ["ACTION_NAMES", "SECRETARIAT_ROLES", "Actor", "GradingError", "GradingStore", "NotAllowed", "ReviewError"]
