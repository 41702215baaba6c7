"""Pages of the review workspace: roster, unit, team, findings, flags queue, audit trail; the decision forms.

Every view checks the role (web.accounts.roles) and resolves files only from the object named in the
URL; every change goes through pipeline.store.review, which checks the role again and writes the trail.
One module a page area: roster, units, teams, findings, flags, trail; beside them what they share:
common (the store, the year, applying a change), pages (a file's pages with findings), files (downloads
and pictures). The names below are the ones urls.py and other adapters use.
"""

from __future__ import annotations

from web.review.views.common import store
from web.review.views.files import file_response
from web.review.views.findings import accept_late, finding_dismiss, finding_restore
from web.review.views.flags import (
    flag_casefile,
    flag_decide,
    flag_evidence_image,
    flag_original,
    flag_page,
    flags_queue,
)
from web.review.views.roster import home, roster, team_list
from web.review.views.teams import team_original, team_page, team_page_image, team_review
from web.review.views.trail import audit
from web.review.views.units import unit_followup, unit_original, unit_page, unit_page_image, unit_place_image

__all__ = [
    "accept_late",
    "audit",
    "file_response",
    "finding_dismiss",
    "finding_restore",
    "flag_casefile",
    "flag_decide",
    "flag_evidence_image",
    "flag_original",
    "flag_page",
    "flags_queue",
    "home",
    "roster",
    "store",
    "team_list",
    "team_original",
    "team_page",
    "team_page_image",
    "team_review",
    "unit_followup",
    "unit_original",
    "unit_page",
    "unit_page_image",
    "unit_place_image",
]
