"""The plagiarism benchmark's sweep: copies found per kind and false flags summed over many corpora
(`benchmarks/plagiarism.py --sweep N`)."""

from __future__ import annotations

import random
import time
from collections import defaultdict

from checks.similarity import find_flags
from pipeline.samples.plagiarism import make_corpus

SWEEP_COUNTS = {"verbatim": 4, "light_edit": 10, "ocr": 4, "cross_year": 4, "self_reuse": 10, "paragraph": 8,
                "paraphrase": 8, "template_only": 10, "real_independent": 3}


def sweep(seeds: range, pairs: list[tuple[str, str]]) -> None:
    """Document level only, over many corpora: one seed's dozen copies per kind cannot show a rate of 95 %
    (a miss is 7 %); the sum over seeds can, and its false flags with it. `pairs`: real paraphrase pairs."""
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    false = teams = 0
    t = time.perf_counter()
    for seed in seeds:
        corpus = make_corpus(random.Random(seed), background=150, prior=75, paraphrase_pairs=pairs,
                             counts=SWEEP_COUNTS)
        teams += len(corpus.teams)
        tid = {tm.team_id: i for i, tm in enumerate(corpus.teams)}
        flagged = {frozenset((tid[f.a.team_id], tid[f.b.team_id])) for f in find_flags(corpus.reports(), corpus.year)}
        truth = {frozenset((c.copier, c.source)): c.kind for c in corpus.cases}
        for k, kind in truth.items():
            found[kind][0] += k in flagged
            found[kind][1] += 1
        for k in flagged - truth.keys():
            false += 1
            a, b = sorted(k)
            print(f"  false flag, seed {seed}: {corpus.teams[a].team_id} / {corpus.teams[b].team_id}")
    print(f"sweep: {len(seeds)} corpora (seeds {seeds.start}-{seeds.stop - 1}, {teams} teams in all) in "
          f"{time.perf_counter() - t:.0f} s")
    for kind, (hit, n) in sorted(found.items()):
        print(f"  {kind:16s} {hit:4d}/{n:<4d} {100 * hit / max(n, 1):5.1f} %")
    print(f"  false flags      {false} (template twins, real independent pairs, every other pair)")
