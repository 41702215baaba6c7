"""Inboxes of consecutive years whose reports reuse earlier ones, for cross-year plagiarism.

In the later year one team comes back (same name, company and id) with its own earlier report,
dates brought up to date (`self_prior_year`), and another team copies an earlier year's report of
a different company (`cross_team` across years). Everything else is drawn fresh from the seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from pipeline.samples import names
from pipeline.samples.plagiarism import copy_into
from pipeline.samples.plan import InboxPlan
from pipeline.samples.truth import GroundTruth, PlagiarismPair

BUSY = {"copier", "copy_source", "missing_report_pdf"}


@dataclass
class PriorYear:
    """An earlier year's inbox as generated: its truth and each team's report pages."""

    year: int
    truth: GroundTruth
    pages: dict[str, list[str]]


def adopt_prior_teams(rng: random.Random, plan: InboxPlan, prior: PriorYear) -> None:
    """Before anything is drawn: pick the returning team and the cross-year copier; keep ids apart."""
    involved = {x for p in prior.truth.plagiarism_pairs for x in (p.copier, p.source)}  # keep the truth exact
    candidates = [t for t in prior.truth.teams
                  if t.files.get("report_pdf") and t.team_id in prior.pages and t.team_id not in involved]
    recommended = [t for t in plan.teams if t.recommender and not t.situations & BUSY]
    if len(candidates) < 2 or len(recommended) < 2:
        return
    back, source = rng.sample(candidates, 2)
    target, copier = recommended[0], recommended[-1]
    target.team_id, target.name, target.company = back.team_id, back.team, back.company
    target.kind = back.team_id.split("-", 1)[-1]
    target.achievement = back.achievement or target.achievement
    target.form.update({"班组名称": back.team, "所在单位": back.company, "成果名称": target.achievement})
    target.situations.add("reuse_own")
    target.prior_source = back.team_id
    copier.situations.add("copy_prior")
    copier.prior_source = source.team_id
    used = {t.team_id for t in prior.truth.teams} | {t.team_id for t in plan.teams}
    for t in plan.teams:
        if t is not target and t.team_id in {p.team_id for p in prior.truth.teams}:
            t.team_id = names.team_id(rng, t.kind, used)  # an unrelated team never shares an earlier id


def reuse_prior(rng: random.Random, plan: InboxPlan, pages: dict[str, list[str]], prior: PriorYear,
                year: int) -> list[PlagiarismPair]:
    """Put the earlier reports into the returning team's and the copier's report pages."""
    pairs: list[PlagiarismPair] = []
    by_id = {t.team_id: t for t in prior.truth.teams}
    for t in plan.teams:
        if not t.prior_source or t.prior_source not in prior.pages:
            continue
        src = prior.pages[t.prior_source]
        if "reuse_own" in t.situations:
            updated = [p.replace(f"{prior.year}年", f"{year}年") for p in src]  # the dates brought up to date
            share = 0.8
            pages[t.team_id], _ = copy_into(rng, pages[t.team_id], updated, share)
            kind = "self_prior_year"
        else:
            share = round(rng.uniform(0.5, 0.7), 2)
            copied, _ = copy_into(rng, pages[t.team_id], src, share)
            old = by_id[t.prior_source]
            pages[t.team_id] = [p.replace(old.team, t.name).replace(old.company, t.company) for p in copied]
            kind = "cross_team"
        pairs.append(PlagiarismPair(copier=t.team_id, source=t.prior_source, copied_share=share,
                                    source_year=prior.year, kind=kind))
    return pairs
