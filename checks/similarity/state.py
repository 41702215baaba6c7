"""The similarity state kept between runs, so that a nightly run reads the archive instead of recomputing it.

It holds each report's n-gram sets keyed by its text, and the document-frequency tables with the teams
(and their texts) they were counted over, so that the next run only counts the teams that changed. Two
files in `state_dir`: `ngrams.npz` (small: version, keys, each key's extent in the data file, the tables)
and `ngrams-<token>.bin` (the hashes, uint32). New reports are appended to the data file; it is written
anew when more than half of it belongs to texts no longer in the corpus. The npz is replaced atomically
and names its data file, so an interrupted run leaves the previous state readable (an appended tail that
no npz names is cut off by the next append).
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)
STATE_FILE = "ngrams.npz"
Grams = tuple[np.ndarray, np.ndarray]  # (seed n-grams, passage n-grams), each sorted unique uint32
Table = tuple[np.ndarray, np.ndarray]  # (sorted unique hashes, number of teams using each)


@dataclass
class Stored:
    """What a previous run left: n-grams per text key and the tables counted over `teams`."""

    grams: dict[str, Grams] = field(default_factory=dict)
    extent: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # key -> (start, split, end)
    data_name: str = ""
    data_len: int = 0
    teams: dict[str, list[str]] = field(default_factory=dict)  # team label -> its text keys
    seed: Table | None = None
    passage: Table | None = None


def read_state(state_dir: Path | None, version: str) -> Stored:
    """The stored state, or an empty one when there is none or it is unreadable (then all is rebuilt)."""
    if state_dir is None:
        return Stored()
    path = Path(state_dir) / STATE_FILE
    try:
        with np.load(path, allow_pickle=False) as z:
            if str(z["version"]) != version:
                return Stored()
            meta = json.loads(str(z["meta"]))
            keys, teams, data_name = meta["keys"], meta["teams"], meta["data"]
            ext = z["extent"]
            tables = {name: (z[f"{name}_hashes"], z[f"{name}_counts"]) for name in ("seed", "passage")}
        data_len = int(meta["data_len"])
        data_path = Path(state_dir) / data_name
        if data_path.stat().st_size < 4 * data_len:
            raise ValueError("data file cut short")
        # mapped, not read: a nightly run touches the archive's seed n-grams, rarely its passage n-grams
        # (as a plain array over the map: slicing a memmap object costs ten times more, 20,000 texts twice)
        data = (np.memmap(data_path, dtype="<u4", mode="r", shape=(data_len,)).view(np.ndarray) if data_len
                else np.zeros(0, "<u4"))
        if len(data) != data_len or ext.shape != (len(keys), 3) or (len(ext) and int(ext.max()) > data_len):
            raise ValueError("inconsistent state")
        if not (np.all(ext[:, 0] <= ext[:, 1]) and np.all(ext[:, 1] <= ext[:, 2])):
            raise ValueError("inconsistent extents")
        grams = {k: (data[s:m], data[m:e]) for k, (s, m, e) in zip(keys, ext.tolist(), strict=True)}
        extent = {k: (s, m, e) for k, (s, m, e) in zip(keys, ext.tolist(), strict=True)}
        return Stored(grams, extent, data_name, data_len, teams, tables["seed"], tables["passage"])
    except FileNotFoundError:
        return Stored()
    except Exception as exc:  # corrupted or foreign file: rebuild from the texts
        log.warning("similarity state %s unreadable (%s); rebuilding", path, exc)
        return Stored()


def write_state(state_dir: Path | None, version: str, before: Stored, grams: dict[str, Grams],
                teams: dict[str, list[str]], seed: Table, passage: Table) -> None:
    """Persist the current corpus; texts already in the data file stay where they are."""
    if state_dir is None:
        return
    state_dir = Path(state_dir)
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        keys = list(grams)
        used = sum(len(a) + len(b) for a, b in grams.values())
        old = state_dir / before.data_name if before.data_name else None
        if old is not None and old.is_file() and before.data_len <= 2 * used:
            name, extent, data_len = before.data_name, dict(before.extent), before.data_len
            mode = "r+b"
        else:  # first run, or mostly texts no longer in the corpus: a new data file
            name, extent, data_len, mode = f"ngrams-{secrets.token_hex(6)}.bin", {}, 0, "wb"
        extent = {k: extent[k] for k in keys if k in extent}
        with open(state_dir / name, mode) as f:
            f.seek(4 * data_len)  # uint32 each
            f.truncate()
            for k in keys:
                if k not in extent:
                    seed_grams, passage_grams = grams[k]
                    f.write(np.ascontiguousarray(seed_grams, dtype="<u4").data)
                    f.write(np.ascontiguousarray(passage_grams, dtype="<u4").data)
                    s = data_len
                    data_len += len(seed_grams) + len(passage_grams)
                    extent[k] = (s, s + len(seed_grams), data_len)
        meta = {"keys": keys, "teams": teams, "data": name, "data_len": data_len}
        ext = np.array([extent[k] for k in keys], dtype=np.int64).reshape(len(keys), 3)
        tmp = state_dir / (STATE_FILE + ".tmp.npz")
        np.savez(tmp, version=version, meta=json.dumps(meta), extent=ext, seed_hashes=seed[0],
                 seed_counts=seed[1], passage_hashes=passage[0], passage_counts=passage[1])
        tmp.replace(state_dir / STATE_FILE)
        _remove_stale(state_dir.glob("ngrams-*.bin"), keep=name)
    except OSError as exc:  # a read-only or full disk costs speed, never the run
        log.warning("similarity state not saved to %s: %s", state_dir, exc)


def _remove_stale(paths: Iterable[Path], keep: str) -> None:
    for p in paths:
        if p.name != keep:
            p.unlink(missing_ok=True)
