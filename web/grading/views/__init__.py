"""Pages of expert review: an expert's group and score sheets, the 组长's group view, the secretariat's
results with the 发布会 sheet, submission, approval and the exports.

Every view checks the role here and every change goes through pipeline.store.grading, which checks
again (an expert outside the team's group is refused there too) and writes the audit trail.
One module a page area: pool, teams (an expert's group and a team's sheets), groups, results; common
holds who the person is. The names below are the ones urls.py uses.
"""

from __future__ import annotations

from web.grading.views.groups import group, group_reopen, group_submit
from web.grading.views.pool import pool, pool_edit, pool_import, start
from web.grading.views.results import export, presentations_import, results, results_transition
from web.grading.views.teams import overview, presentation, score, team, team_file, team_page_image

__all__ = [
    "export",
    "group",
    "group_reopen",
    "group_submit",
    "overview",
    "pool",
    "pool_edit",
    "pool_import",
    "presentation",
    "presentations_import",
    "results",
    "results_transition",
    "score",
    "start",
    "team",
    "team_file",
    "team_page_image",
]
