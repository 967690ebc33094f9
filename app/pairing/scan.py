"""Allowed pairs and their values, found without building the whole bipartite graph.

Every allowed pair has at least one *qualifying skill*: a skill ``s`` the mentee wants at
level ``w`` and the mentor teaches above ``w`` (in mutual mode also the other way round). So
the pairs are enumerated in blocks ``(direction, s, w)``: the mentees wanting ``s`` at ``w``
against the mentors teaching ``s`` above ``w``, split by the two sides' cohorts. A pair
qualifies in as many blocks as it has qualifying skills; it is *counted* only in the block of
its lowest qualifying skill (direction 1 before 2), so every allowed pair is seen exactly once
and the counts are exact. Inside a block everything is vectorised over dense
``mentees × mentors`` tiles: languages, slots and skills are bit masks (one unsigned word per
64 labels, a narrower one when there are few).

What the scan keeps is bounded: every mentee's best mentors of each mentor cohort and every
mentor's best mentees of each mentee cohort (exact top lists over ALL allowed pairs), the
number of allowed partners and the best value of each applicant. ``keep=None`` keeps every
allowed pair instead.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from app.pairing.model import Applicant, PairingInstance

__all__ = ["BASE_VALUE", "Compiled", "Scan", "compile_instance", "pair_values", "scan"]

# Each pair is worth BASE_VALUE + score: a pair counts for far more than its score.
BASE_VALUE = 1000
# Pairs per dense tile: a few tens of MB of temporaries.
TILE_PAIRS = 1 << 20
_THREADS = 2  # the machine the targets are set for has two cores
_LEVELS = (1, 2, 3)  # the wanted levels; a teacher qualifies above the wanted level


def popcount(x: np.ndarray) -> np.ndarray:
    # uint8 counts: at most 64 per word, and the callers add at most a few words
    counts: np.ndarray = np.bitwise_count(x)
    return counts


@dataclass(frozen=True)
class Side:
    """One side (mentors or mentees) as arrays; masks are lists of unsigned words."""

    cohort: np.ndarray  # int32, index in ``cohorts``
    department: np.ndarray  # int32, -1 unknown
    languages: list[np.ndarray]
    slots: list[np.ndarray]
    wants_at: list[list[np.ndarray]]  # [level 1..3] -> words: skills wanted at exactly it
    teaches_above: list[list[np.ndarray]]  # [level 1..3] -> words: skills taught above it
    want_level: np.ndarray  # (n, skills) int8
    teach_level: np.ndarray  # (n, skills) int8
    capacity: np.ndarray  # int64

    @property
    def size(self) -> int:
        return len(self.cohort)


@dataclass(frozen=True)
class Compiled:
    instance: PairingInstance
    mentors: Side
    mentees: Side
    skills: int
    separate_mentor: np.ndarray  # separate mentor–mentee pairs, sorted by mentee
    separate_mentee: np.ndarray

    @property
    def mutual(self) -> bool:
        return self.instance.mode == "mutual"


def _masks(items: list[Iterable[int]], words: int) -> list[np.ndarray]:
    rows: list[int] = []
    bits: list[int] = []
    for r, labels in enumerate(items):
        for b in labels:
            rows.append(r)
            bits.append(b)
    row = np.asarray(rows, dtype=np.int64)
    bit = np.asarray(bits, dtype=np.int64)
    out = []
    for w in range(words):
        arr = np.zeros(len(items), dtype=np.uint64)
        sel = (bit // 64) == w
        np.bitwise_or.at(
            arr, row[sel], np.left_shift(np.uint64(1), (bit[sel] % 64).astype(np.uint64))
        )
        out.append(arr)
    return out


def _pack(flags: np.ndarray, words: int) -> list[np.ndarray]:
    """``(n, k)`` booleans -> ``words`` arrays of ``uint64`` bit masks."""
    out = []
    for w in range(words):
        chunk = flags[:, 64 * w : 64 * (w + 1)].astype(np.uint64)
        shifts = np.left_shift(np.uint64(1), np.arange(chunk.shape[1], dtype=np.uint64))
        out.append((chunk * shifts).sum(axis=1, dtype=np.uint64))
    return out


def _narrow(words: list[np.ndarray], count: int) -> list[np.ndarray]:
    """One word of the narrowest unsigned type holding ``count`` labels: the tiles' AND and
    popcount then move an eighth of the bytes for a handful of labels."""
    if len(words) != 1 or count > 32:
        return words
    kind = np.uint8 if count <= 8 else np.uint16 if count <= 16 else np.uint32
    return [words[0].astype(kind)]


def _words(count: int) -> int:
    return max(1, (count + 63) // 64)


def _side(
    people: tuple[Applicant, ...],
    cohorts: Mapping[str, int],
    departments: dict[str, int],
    vocab: tuple[dict[str, int], dict[str, int], dict[str, int]],
    *,
    use_wants: bool,
    use_teaches: bool,
) -> Side:
    languages, slots, skills = vocab
    n, k = len(people), len(skills)
    kw = _words(k)
    teach = np.zeros((n, k), dtype=np.int8)
    want = np.zeros((n, k), dtype=np.int8)
    for r, p in enumerate(people):
        if use_teaches:
            for s, level in p.teaches.items():
                teach[r, skills[s]] = level
        if use_wants:
            for s, level in p.wants.items():
                want[r, skills[s]] = level
    return Side(
        cohort=np.fromiter((cohorts[p.cohort] for p in people), dtype=np.int32, count=n),
        department=np.fromiter(
            (
                -1
                if p.department is None
                else departments.setdefault(p.department, len(departments))
                for p in people
            ),
            dtype=np.int32,
            count=n,
        ),
        languages=_narrow(
            _masks([[languages[x] for x in p.languages] for p in people], _words(len(languages))),
            len(languages),
        ),
        slots=_narrow(
            _masks([[slots[x] for x in p.availability] for p in people], _words(len(slots))),
            len(slots),
        ),
        wants_at=[_narrow(_pack(want == t, kw), k) for t in _LEVELS],
        teaches_above=[_narrow(_pack(teach > t, kw), k) for t in _LEVELS],
        want_level=want,
        teach_level=teach,
        capacity=np.fromiter((p.capacity for p in people), dtype=np.int64, count=n),
    )


def compile_instance(instance: PairingInstance) -> Compiled:
    """Arrays for the scan. In reverse mode mentors' wants and mentees' teaches are dropped."""
    people = (*instance.mentors, *instance.mentees)

    def vocabulary(labels: Iterable[Iterable[str]]) -> dict[str, int]:
        out: dict[str, int] = {}
        for group in labels:
            for x in group:
                out.setdefault(x, len(out))
        return out

    vocab = (
        vocabulary(p.languages for p in people),
        vocabulary(p.availability for p in people),
        vocabulary([*p.teaches, *p.wants] for p in people),
    )
    cohorts = {c: k for k, c in enumerate(instance.cohorts)}
    departments: dict[str, int] = {}
    mutual = instance.mode == "mutual"
    mentors = _side(
        instance.mentors, cohorts, departments, vocab, use_wants=mutual, use_teaches=True
    )
    mentees = _side(
        instance.mentees, cohorts, departments, vocab, use_wants=True, use_teaches=mutual
    )
    mentor_at = {p.id: i for i, p in enumerate(instance.mentors)}
    mentee_at = {p.id: j for j, p in enumerate(instance.mentees)}
    pairs = []
    for a, b in instance.separate:
        for x, y in ((a, b), (b, a)):
            if x in mentor_at and y in mentee_at:
                pairs.append((mentee_at[y], mentor_at[x]))
    pairs.sort()
    sep = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    return Compiled(
        instance=instance,
        mentors=mentors,
        mentees=mentees,
        skills=len(vocab[2]),
        separate_mentor=sep[:, 1].copy(),
        separate_mentee=sep[:, 0].copy(),
    )


def _any_common(
    a: list[np.ndarray], b: list[np.ndarray], rows: np.ndarray, cols: np.ndarray
) -> np.ndarray:
    out: np.ndarray = (a[0][rows][:, None] & b[0][cols][None, :]) != 0
    for w in range(1, len(a)):
        out |= (a[w][rows][:, None] & b[w][cols][None, :]) != 0
    return out


def _qualifying(
    wants: list[list[np.ndarray]],
    teaches: list[list[np.ndarray]],
    want_rows: np.ndarray,
    teach_rows: np.ndarray,
    *,
    wanter_is_row: bool,
) -> list[np.ndarray]:
    """Per word, the skills that the wanter wants at some level and the teacher teaches above
    it, as a dense tile oriented mentees × mentors."""
    out = []
    for w in range(len(wants[0])):
        q = None
        for t in range(len(_LEVELS)):
            a = wants[t][w][want_rows]
            b = teaches[t][w][teach_rows]
            tile = a[:, None] & b[None, :] if wanter_is_row else b[:, None] & a[None, :]
            q = tile if q is None else q | tile
        assert q is not None
        out.append(q)
    return out


def pair_values(
    c: Compiled,
    mentees: np.ndarray,
    mentors: np.ndarray,
    lowest: tuple[int, int] | None = None,
) -> np.ndarray:
    """``(len(mentees), len(mentors))`` int32 tile: ``BASE_VALUE + score`` of each allowed pair,
    0 for a pair that is not allowed. ``lowest=(direction, s)`` also zeroes the pairs whose
    lowest qualifying skill is not ``s`` in that direction (the scan's canonical block).
    ``mentees`` must be sorted (the separate pairs are looked up in it)."""
    e, m = c.mentees, c.mentors
    w = c.instance.weights
    ok = _any_common(e.languages, m.languages, mentees, mentors)
    shared = popcount(e.slots[0][mentees][:, None] & m.slots[0][mentors][None, :])
    for k in range(1, len(e.slots)):
        shared += popcount(e.slots[k][mentees][:, None] & m.slots[k][mentors][None, :])
    ok &= shared != 0
    gap = np.subtract(m.cohort[mentors][None, :], e.cohort[mentees][:, None], dtype=np.int32)
    if c.mutual:
        np.abs(gap, out=gap)
    else:
        ok &= gap > 0
    q1 = _qualifying(e.wants_at, m.teaches_above, mentees, mentors, wanter_is_row=True)
    skill = popcount(q1[0])
    for q in q1[1:]:
        skill += popcount(q)
    if c.mutual:
        q2 = _qualifying(m.wants_at, e.teaches_above, mentors, mentees, wanter_is_row=False)
        for q in q2:
            skill += popcount(q)
    ok &= skill != 0
    if lowest is not None:
        direction, s = lowest
        word, bit = divmod(s, 64)
        first = q1 if direction == 1 else q2
        below = first[word].dtype.type((1 << bit) - 1)
        if bit:
            ok &= (first[word] & below) == 0
        for k in range(word):
            ok &= first[k] == 0
        if direction == 2:
            for q in q1:
                ok &= q == 0
    # separate pairs are sorted by mentee: only the slice of this tile's mentees is looked at
    lo = np.searchsorted(c.separate_mentee, mentees[0], side="left")
    hi = np.searchsorted(c.separate_mentee, mentees[-1], side="right")
    if hi > lo:
        sep_e = c.separate_mentee[lo:hi]
        sep_m = c.separate_mentor[lo:hi]
        at_row = np.minimum(np.searchsorted(mentees, sep_e), len(mentees) - 1)
        at_col = np.minimum(np.searchsorted(mentors, sep_m), len(mentors) - 1)
        hit = (mentees[at_row] == sep_e) & (mentors[at_col] == sep_m)
        ok[at_row[hit], at_col[hit]] = False
    # the value, built in place in int32 (the small terms are uint8 / int32 tiles)
    value = gap
    value *= w.gap
    value += BASE_VALUE
    if w.skill:
        value += np.multiply(skill, w.skill, dtype=np.int32)
    if w.availability:
        value += np.minimum(shared, 3, out=shared) * np.int32(w.availability)
    if w.department:
        e_dept = e.department[mentees]
        m_dept = m.department[mentors]
        differ = e_dept[:, None] != m_dept[None, :]
        differ &= (e_dept >= 0)[:, None]
        differ &= (m_dept >= 0)[None, :]
        value += differ * np.int32(w.department)
    value *= ok
    result: np.ndarray = value
    return result


@dataclass(frozen=True)
class Scan:
    """What the scan found. ``mentee``/``mentor``/``value`` are the candidate edges (unique)."""

    mentee: np.ndarray
    mentor: np.ndarray
    value: np.ndarray
    mentee_partners: np.ndarray  # allowed partners of each mentee (exact)
    mentor_partners: np.ndarray
    mentee_best: np.ndarray  # best value over all allowed pairs, 0 if none
    mentor_best: np.ndarray
    # The least value kept in a list that left some allowed pairs out (else 0): every pair
    # left out of it is worth at most this. One list per applicant and cohort of the other
    # side: shape (applicants, cohorts).
    mentee_kept_min: np.ndarray
    mentor_kept_min: np.ndarray
    allowed: int
    examined: int  # pairs looked at (tiles)
    exhaustive: bool  # every allowed pair is a candidate
    complete: bool  # every tile was examined (else the time limit cut the scan short)


def _blocks(c: Compiled) -> list[tuple[tuple[int, int], int, int, np.ndarray, np.ndarray]]:
    """The tiles' row and column sets: ``(lowest, mentee cohort, mentor cohort, mentees,
    mentors)``, one per block and pair of cohorts (in reverse mode, mentor the younger)."""
    e, m = c.mentees, c.mentors
    pieces = []
    for s in range(c.skills):
        for level in _LEVELS:
            rows = np.flatnonzero(e.want_level[:, s] == level)
            cols = np.flatnonzero(m.teach_level[:, s] > level)
            pieces.append(((1, s), rows, cols))
    if c.mutual:
        for s in range(c.skills):
            for level in _LEVELS:
                rows = np.flatnonzero(e.teach_level[:, s] > level)
                cols = np.flatnonzero(m.want_level[:, s] == level)
                pieces.append(((2, s), rows, cols))
    out = []
    for lowest, rows, cols in pieces:
        for mentor_cohort in np.unique(m.cohort[cols]).tolist():
            mine = cols[m.cohort[cols] == mentor_cohort]
            for mentee_cohort in np.unique(e.cohort[rows]).tolist():
                if c.mutual or mentee_cohort < mentor_cohort:
                    theirs = rows[e.cohort[rows] == mentee_cohort]
                    out.append((lowest, mentee_cohort, mentor_cohort, theirs, mine))
    return out


def _top(values: np.ndarray, keep: int, axis: int) -> np.ndarray:
    """Indices along ``axis`` of the ``keep`` largest values of each line (all if fewer)."""
    n = values.shape[axis]
    if n <= keep:
        shape = [1, 1]
        shape[axis] = n
        return np.broadcast_to(np.arange(n).reshape(shape), values.shape)
    return np.argpartition(values, n - keep, axis=axis).take(range(n - keep, n), axis=axis)


# Top lists rank pairs by ``value << _NOISE_BITS | noise``: the noise (a seeded XOR of a
# random number per mentee and per mentor) breaks the many ties between equal values at
# random, so that a mentor's list is not filled by whichever equal mentees came first.
_NOISE_BITS = 20
_EMPTY = (1 << _NOISE_BITS) - 1  # below the key of any allowed pair, at or above any other


class _Best:
    """A running exact top-``keep`` list of keys per applicant, with the partner indices."""

    def __init__(self, n: int, keep: int) -> None:
        self.key = np.full((n, keep), _EMPTY, dtype=np.int64)
        self.partner = np.full((n, keep), -1, dtype=np.int64)
        self.keep = keep

    def offer(self, owners: np.ndarray, keys: np.ndarray, partners: np.ndarray) -> None:
        k = np.concatenate([self.key[owners], keys], axis=1)
        p = np.concatenate([self.partner[owners], partners], axis=1)
        pick = _top(k, self.keep, 1)
        self.key[owners] = np.take_along_axis(k, pick, 1)
        self.partner[owners] = np.take_along_axis(p, pick, 1)

    def offer_pairs(self, owners: np.ndarray, keys: np.ndarray, partners: np.ndarray) -> None:
        """Like ``offer`` for loose triples (an owner may appear any number of times): they are
        laid out as one padded row per owner, then offered."""
        order = np.argsort(owners, kind="stable")
        owners, keys, partners = owners[order], keys[order], partners[order]
        starts = np.flatnonzero(np.concatenate(([True], owners[1:] != owners[:-1])))
        counts = np.diff(np.append(starts, len(owners)))
        row = np.repeat(np.arange(len(starts)), counts)
        column = np.arange(len(owners)) - np.repeat(starts, counts)
        width = int(counts.max())
        laid_keys = np.full((len(starts), width), _EMPTY, dtype=np.int64)
        laid_partners = np.full((len(starts), width), -1, dtype=np.int64)
        laid_keys[row, column] = keys
        laid_partners[row, column] = partners
        self.offer(owners[starts], laid_keys, laid_partners)

    def found(self) -> np.ndarray:
        return self.key > _EMPTY

    def values(self) -> np.ndarray:
        return self.key >> _NOISE_BITS


@dataclass
class _Tile:
    """One evaluated tile, handed from a worker thread to the merging thread."""

    chunk: np.ndarray
    owners: np.ndarray  # the rows' lists (mentee, mentor cohort)
    cols: np.ndarray
    col_owners: np.ndarray  # the columns' lists (mentor, mentee cohort)
    size: int
    row_allowed: np.ndarray
    col_allowed: np.ndarray
    row_max: np.ndarray
    col_max: np.ndarray
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    row_keys: np.ndarray | None = None
    row_partners: np.ndarray | None = None
    col_keys: np.ndarray | None = None  # (cols, keep) when many keys passed the floor
    col_partners: np.ndarray | None = None
    col_pairs: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # else (col, key, row)


def scan(
    c: Compiled,
    keep: tuple[int, int] | None,
    on_tile: Callable[[float], None] | None = None,
    *,
    seed: int = 0,
    deadline: float | None = None,
) -> Scan:
    """Enumerate every allowed pair once. ``keep=(per_mentee, per_mentor)`` keeps, for every
    mentee, its best ``per_mentee`` mentors of each mentor cohort, and for every mentor its
    best ``per_mentor`` mentees of each mentee cohort; ``keep=None`` keeps every allowed pair.
    ``seed`` breaks ties between equal values; ``on_tile(fraction)`` reports progress.

    ``deadline`` (a ``time.perf_counter()`` value): when the pace so far says the remaining
    tiles will not fit, each is scored against a random share of its mentors, and past the
    deadline no tile is started. The scan then says it is not ``complete``: its lists, counts
    and bests cover part of the pairs only."""
    n_e, n_m = c.mentees.size, c.mentors.size
    n_c = len(c.instance.cohorts)
    # lists are per applicant and cohort of the other side: row ``index * n_c + cohort``
    e_partners = np.zeros(n_e * n_c, dtype=np.int64)
    m_partners = np.zeros(n_m * n_c, dtype=np.int64)
    e_best = np.zeros(n_e, dtype=np.int64)
    m_best = np.zeros(n_m, dtype=np.int64)
    everything: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    mentee_top = _Best(n_e * n_c, keep[0]) if keep else None
    mentor_top = _Best(n_m * n_c, keep[1]) if keep else None
    rng = np.random.default_rng(seed)
    e_noise = rng.integers(0, 1 << _NOISE_BITS, n_e, dtype=np.int64)
    m_noise = rng.integers(0, 1 << _NOISE_BITS, n_m, dtype=np.int64)
    tiles = [
        (lowest, e_cohort, m_cohort, rows[start : start + max(1, TILE_PAIRS // len(cols))], cols)
        for lowest, e_cohort, m_cohort, rows, cols in _blocks(c)
        for start in range(0, len(rows), max(1, TILE_PAIRS // len(cols)))
    ]
    # In a seeded random order: a scan the time limit cuts short has then looked at a bit of
    # every block rather than at all of the first ones (the lists are exact either way once
    # the scan completes).
    tiles = [tiles[k] for k in np.random.default_rng(seed).permutation(len(tiles)).tolist()]
    total = sum(len(r) * len(k) for *_, r, k in tiles) or 1
    keep_row, keep_col = keep if keep else (0, 0)

    def evaluate(
        tile: tuple[tuple[int, int], int, int, np.ndarray, np.ndarray], floor: np.ndarray | None
    ) -> _Tile:
        lowest, e_cohort, m_cohort, chunk, cols = tile
        v = pair_values(c, chunk, cols, lowest)
        ok = v > 0
        out = _Tile(
            chunk,
            chunk * n_c + m_cohort,
            cols,
            cols * n_c + e_cohort,
            v.size,
            ok.sum(axis=1),
            ok.sum(axis=0),
            v.max(axis=1),
            v.max(axis=0),
        )
        if not keep_row:
            r, k = np.nonzero(ok)
            out.pairs = (chunk[r], cols[k], v[r, k])
            return out
        key = v.astype(np.int64)
        key <<= _NOISE_BITS
        key |= e_noise[chunk][:, None] ^ m_noise[cols][None, :]
        pick = _top(key, keep_row, 1)
        out.row_keys = np.take_along_axis(key, pick, 1)
        out.row_partners = cols[pick]
        # A mentor's column meets many tiles: only keys above the K-th best of its list (as it
        # was when this tile was handed out: lists only improve) can enter it.
        assert floor is not None
        r, k = np.nonzero(key > floor[None, :])
        if len(r) * 8 > key.size:
            pick = _top(key, keep_col, 0)
            out.col_keys = np.take_along_axis(key, pick, 0).T
            out.col_partners = chunk[pick].T
        elif len(r):
            out.col_pairs = (out.col_owners[k], key[r, k], chunk[r])
        return out

    examined = planned = 0
    complete = True
    begun = time.perf_counter()
    sampler = np.random.default_rng(seed + 1)
    # Tiles are evaluated on two threads (numpy releases the GIL); the lists are merged here,
    # in order, so the result does not depend on the threads' timing.
    with ThreadPoolExecutor(max_workers=_THREADS) as pool:
        pending: deque[Future[_Tile]] = deque()
        upcoming = iter(tiles)
        while True:
            while len(pending) < _THREADS + 1:
                nxt = next(upcoming, None)
                if nxt is not None:
                    planned += len(nxt[3]) * len(nxt[4])
                if nxt is not None and deadline is not None:
                    now = time.perf_counter()
                    if now > deadline:
                        complete, nxt = False, None
                    elif examined and now - begun > 0.25 * (deadline - begun):
                        # A quarter of the time gone: at the pace so far, would the rest fit?
                        # If not, every remaining tile looks at a random share of its mentors:
                        # each mentee still gets some candidates, rather than the last blocks
                        # none. (Earlier, the pace is mostly start-up and says little.)
                        rate = examined / max(now - begun, 1e-6)
                        share = 0.8 * (deadline - now) * rate / max(1, total - planned)
                        if share < 1.0:
                            complete = False
                            keep_cols = sampler.random(len(nxt[4])) < max(share, 0.01)
                            keep_cols[sampler.integers(len(nxt[4]))] = True
                            nxt = (*nxt[:4], nxt[4][keep_cols])
                if nxt is None:
                    break
                floor = (
                    None
                    if mentor_top is None
                    else mentor_top.key[nxt[4] * n_c + nxt[1]].min(axis=1)
                )
                pending.append(pool.submit(evaluate, nxt, floor))
            if not pending:
                break
            t = pending.popleft().result()
            examined += t.size
            e_partners[t.owners] += t.row_allowed
            m_partners[t.col_owners] += t.col_allowed
            e_best[t.chunk] = np.maximum(e_best[t.chunk], t.row_max)
            m_best[t.cols] = np.maximum(m_best[t.cols], t.col_max)
            if mentee_top is None or mentor_top is None:
                assert t.pairs is not None
                everything.append(t.pairs)
            else:
                assert t.row_keys is not None
                assert t.row_partners is not None
                mentee_top.offer(t.owners, t.row_keys, t.row_partners)
                if t.col_keys is not None and t.col_partners is not None:
                    mentor_top.offer(t.col_owners, t.col_keys, t.col_partners)
                elif t.col_pairs is not None:
                    mentor_top.offer_pairs(*t.col_pairs)
            if on_tile is not None:
                on_tile(examined / total)
    if mentee_top is None or mentor_top is None:
        if everything:
            mentee = np.concatenate([x[0] for x in everything])
            mentor = np.concatenate([x[1] for x in everything])
            value = np.concatenate([x[2] for x in everything]).astype(np.int64)
        else:
            mentee = mentor = value = np.zeros(0, dtype=np.int64)
        return Scan(
            mentee=mentee,
            mentor=mentor,
            value=value,
            mentee_partners=e_partners.reshape(n_e, n_c).sum(axis=1),
            mentor_partners=m_partners.reshape(n_m, n_c).sum(axis=1),
            mentee_best=e_best,
            mentor_best=m_best,
            mentee_kept_min=np.zeros((n_e, n_c), dtype=np.int64),
            mentor_kept_min=np.zeros((n_m, n_c), dtype=np.int64),
            allowed=len(value),
            examined=examined,
            exhaustive=complete,
            complete=complete,
        )
    found_e = mentee_top.found()
    found_m = mentor_top.found()
    mentee = np.concatenate(
        [np.repeat(np.arange(n_e * n_c) // n_c, found_e.sum(axis=1)), mentor_top.partner[found_m]]
    )
    mentor = np.concatenate(
        [mentee_top.partner[found_e], np.repeat(np.arange(n_m * n_c) // n_c, found_m.sum(axis=1))]
    )
    value = np.concatenate([mentee_top.values()[found_e], mentor_top.values()[found_m]])
    _, first = np.unique(mentee * max(1, n_m) + mentor, return_index=True)
    e_cut = e_partners > keep_row
    m_cut = m_partners > keep_col
    return Scan(
        mentee=mentee[first],
        mentor=mentor[first],
        value=value[first],
        mentee_partners=e_partners.reshape(n_e, n_c).sum(axis=1),
        mentor_partners=m_partners.reshape(n_m, n_c).sum(axis=1),
        mentee_best=e_best,
        mentor_best=m_best,
        mentee_kept_min=np.where(e_cut, mentee_top.values().min(axis=1), 0).reshape(n_e, n_c),
        mentor_kept_min=np.where(m_cut, mentor_top.values().min(axis=1), 0).reshape(n_m, n_c),
        allowed=int(e_partners.sum()),
        examined=examined,
        exhaustive=complete and not (e_cut.any() or m_cut.any()),
        complete=complete,
    )
