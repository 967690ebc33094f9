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

Every allowed pair is counted, but only the pairs whose value can still enter one of their two
lists (above its current K-th) are ranked: once the lists fill, that is a small share of each
tile.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Collection, Mapping, Sequence
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
# A scan this close to its end at its deadline (share of all pairs left) finishes anyway: only
# a complete scan proves the tight bound, and its last tiles cost a fraction of a second.
_FINISH_WITHIN = 0.02
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
    # where each mentee's separate pairs start in the two arrays above (one more entry than
    # mentees), so that a tile looks up its rows' pairs without searching all of them
    separate_start: np.ndarray

    @property
    def mutual(self) -> bool:
        return self.instance.mode == "mutual"


def _codes(
    groups: Sequence[Collection[str]], vocab: dict[str, int]
) -> tuple[np.ndarray, np.ndarray]:
    """``(rows, codes)``: one entry per label of each group, numbered in ``vocab`` (which grows
    in first-seen order). One flat pass: at 50,000 applicants the per-person loops this
    replaced were most of the compile time."""
    counts = np.fromiter(map(len, groups), dtype=np.int64, count=len(groups))
    flat = [vocab.setdefault(x, len(vocab)) for g in groups for x in g]
    return np.repeat(np.arange(len(groups)), counts), np.asarray(flat, dtype=np.int64)


def _masks(n: int, rows: np.ndarray, bit: np.ndarray, words: int) -> list[np.ndarray]:
    out = []
    for w in range(words):
        arr = np.zeros(n, dtype=np.uint64)
        sel = (bit // 64) == w
        np.bitwise_or.at(
            arr, rows[sel], np.left_shift(np.uint64(1), (bit[sel] % 64).astype(np.uint64))
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


def _where(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.nonzero`` of a 2-D mask, in the same (row-major) order: numpy's 2-D ``nonzero``
    builds each index pair through a general iterator and cost several times the 1-D one on
    the raveled mask, which then only needs a division (docs/benchmarks.md)."""
    width = max(1, mask.shape[1])
    flat = np.flatnonzero(mask)
    rows = flat // width
    flat -= rows * width
    return rows, flat


def _first_of_each(keys: np.ndarray) -> np.ndarray:
    """``np.unique(keys, return_index=True)[1]`` for non-negative int64 keys: the index of the
    first occurrence of each distinct key, in the keys' order. Each key carries its index in
    its low bits, so one unstable sort orders by key, then index: ``unique`` sorts stably
    (timsort), several times slower on the scan's millions of list entries, at the end of the
    scan where nothing else runs."""
    bits = max(1, (len(keys) - 1).bit_length())
    if not len(keys) or int(keys.max()) >= 1 << (63 - bits):
        return np.unique(keys, return_index=True)[1]
    packed = keys << bits
    packed |= np.arange(len(keys))
    packed.sort()
    head = np.ones(len(packed), dtype=bool)
    np.not_equal(packed[1:] >> bits, packed[:-1] >> bits, out=head[1:])
    first: np.ndarray = packed[head] & ((1 << bits) - 1)
    return first


def _words(count: int) -> int:
    return max(1, (count + 63) // 64)


@dataclass
class _Labels:
    """One side's labels as ``(rows, codes)`` (see ``_codes``), before the masks are built
    (their width needs every label of both sides)."""

    languages: tuple[np.ndarray, np.ndarray]
    slots: tuple[np.ndarray, np.ndarray]
    teaches: tuple[np.ndarray, np.ndarray, np.ndarray]  # rows, skill codes, levels
    wants: tuple[np.ndarray, np.ndarray, np.ndarray]


def _labels(
    people: tuple[Applicant, ...],
    vocab: tuple[dict[str, int], dict[str, int], dict[str, int]],
    *,
    use_wants: bool,
    use_teaches: bool,
) -> _Labels:
    languages, slots, skills = vocab

    def levels(maps: list[Mapping[str, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rows, codes = _codes(maps, skills)
        flat = [v for m in maps for v in m.values()]
        return rows, codes, np.asarray(flat, dtype=np.int8)

    nothing: list[Mapping[str, int]] = [{}] * len(people)
    return _Labels(
        languages=_codes([p.languages for p in people], languages),
        slots=_codes([p.availability for p in people], slots),
        teaches=levels([p.teaches for p in people] if use_teaches else nothing),
        wants=levels([p.wants for p in people] if use_wants else nothing),
    )


def _side(
    people: tuple[Applicant, ...],
    labels: _Labels,
    cohorts: Mapping[str, int],
    departments: dict[str, int],
    counts: tuple[int, int, int],
) -> Side:
    n_languages, n_slots, k = counts
    n = len(people)
    kw = _words(k)
    teach = np.zeros((n, k), dtype=np.int8)
    want = np.zeros((n, k), dtype=np.int8)
    teach[labels.teaches[0], labels.teaches[1]] = labels.teaches[2]
    want[labels.wants[0], labels.wants[1]] = labels.wants[2]
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
        languages=_narrow(_masks(n, *labels.languages, _words(n_languages)), n_languages),
        slots=_narrow(_masks(n, *labels.slots, _words(n_slots)), n_slots),
        wants_at=[_narrow(_pack(want == t, kw), k) for t in _LEVELS],
        teaches_above=[_narrow(_pack(teach > t, kw), k) for t in _LEVELS],
        want_level=want,
        teach_level=teach,
        capacity=np.fromiter((p.capacity for p in people), dtype=np.int64, count=n),
    )


def compile_instance(instance: PairingInstance) -> Compiled:
    """Arrays for the scan. In reverse mode mentors' wants and mentees' teaches are dropped."""
    vocab: tuple[dict[str, int], dict[str, int], dict[str, int]] = ({}, {}, {})
    mutual = instance.mode == "mutual"
    mentor_labels = _labels(instance.mentors, vocab, use_wants=mutual, use_teaches=True)
    mentee_labels = _labels(instance.mentees, vocab, use_wants=True, use_teaches=mutual)
    counts = (len(vocab[0]), len(vocab[1]), len(vocab[2]))
    cohorts = {c: k for k, c in enumerate(instance.cohorts)}
    departments: dict[str, int] = {}
    mentors = _side(instance.mentors, mentor_labels, cohorts, departments, counts)
    mentees = _side(instance.mentees, mentee_labels, cohorts, departments, counts)
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
        skills=counts[2],
        separate_mentor=sep[:, 1].copy(),
        separate_mentee=sep[:, 0].copy(),
        separate_start=np.searchsorted(sep[:, 0], np.arange(mentees.size + 1)),
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
    ``mentors`` must be sorted (the separate pairs are looked up in it)."""
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
    # only the separate pairs of this tile's own mentees are looked at
    starts = c.separate_start[mentees]
    counts = c.separate_start[mentees + 1] - starts
    if counts.any():
        at_row = np.repeat(np.arange(len(mentees)), counts)
        sep_m = c.separate_mentor[
            np.arange(len(at_row))
            - np.repeat(np.cumsum(counts) - counts, counts)
            + np.repeat(starts, counts)
        ]
        at_col = np.minimum(np.searchsorted(mentors, sep_m), len(mentors) - 1)
        hit = mentors[at_col] == sep_m
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
# Past one pair in _DENSE passing a tile's floors, whole-tile top lists (``_tile_lists``) cost
# less than ranking the passing pairs one by one.
_DENSE = 16
_EMPTY = (1 << _NOISE_BITS) - 1  # below the key of any allowed pair, at or above any other


class _Best:
    """A running exact top-``keep`` list of keys per applicant, with the partner indices."""

    def __init__(self, n: int, keep: int) -> None:
        self.key = np.full((n, keep), _EMPTY, dtype=np.int64)
        self.partner = np.full((n, keep), -1, dtype=np.int64)
        self.keep = keep
        # each list's least key: only a greater one can enter it
        self.floor = np.full(n, _EMPTY, dtype=np.int64)

    def offer(self, owners: np.ndarray, keys: np.ndarray, partners: np.ndarray) -> None:
        """``owners`` distinct, one row of ``keys`` and ``partners`` each."""
        k = np.concatenate([self.key[owners], keys], axis=1)
        p = np.concatenate([self.partner[owners], partners], axis=1)
        pick = _top(k, self.keep, 1)
        kept = np.take_along_axis(k, pick, 1)
        self.key[owners] = kept
        self.partner[owners] = np.take_along_axis(p, pick, 1)
        self.floor[owners] = kept.min(axis=1)

    def offer_pairs(self, owners: np.ndarray, keys: np.ndarray, partners: np.ndarray) -> None:
        """Like ``offer`` for loose triples (an owner may appear any number of times): the keys
        that cannot enter are dropped, the rest ranked per owner, and each owner's best
        ``keep`` laid out as one row and offered (a row as wide as an owner's pairs would make
        a mentor met by a whole tile's mentees cost that tile's height)."""
        fresh = keys > self.floor[owners]
        if not fresh.any():
            return
        owners, keys, partners = owners[fresh], keys[fresh], partners[fresh]
        order = np.lexsort((-keys, owners))  # by owner, best key first
        owners, keys, partners = owners[order], keys[order], partners[order]
        starts = np.flatnonzero(np.concatenate(([True], owners[1:] != owners[:-1])))
        counts = np.diff(np.append(starts, len(owners)))
        rank = np.arange(len(owners)) - np.repeat(starts, counts)
        best = rank < self.keep
        row = np.repeat(np.arange(len(starts)), counts)[best]
        laid_keys = np.full((len(starts), self.keep), _EMPTY, dtype=np.int64)
        laid_partners = np.full((len(starts), self.keep), -1, dtype=np.int64)
        laid_keys[row, rank[best]] = keys[best]
        laid_partners[row, rank[best]] = partners[best]
        self.offer(owners[starts], laid_keys, laid_partners)

    def found(self) -> np.ndarray:
        return self.key > _EMPTY

    def values(self) -> np.ndarray:
        return self.key >> _NOISE_BITS


def _tile_keys(
    values: np.ndarray, high: int, row_noise: np.ndarray, col_noise: np.ndarray
) -> tuple[np.ndarray, int]:
    """A tile's ranking keys ``value << _NOISE_BITS | noise`` (a disallowed pair: its noise
    alone), as ``(keys, offset)``; ``high`` is the tile's greatest value. When the allowed
    values (``BASE_VALUE`` or more) span few enough levels, the keys are int32 with
    ``BASE_VALUE - 1`` taken off the values (``_widen`` adds ``offset`` back): the same
    order in half the bytes, for ``partition``, the scan's largest cost (docs/benchmarks.md)."""
    noise = row_noise.astype(np.int32)[:, None] ^ col_noise.astype(np.int32)[None, :]
    if (high - BASE_VALUE + 2) << _NOISE_BITS <= 1 << 31:
        # allowed values become 1 .. span, a disallowed pair (value 0) 0
        keys = np.subtract(values, BASE_VALUE - 1, dtype=np.int32)
        np.maximum(keys, 0, out=keys)
        keys <<= _NOISE_BITS
        keys |= noise
        return keys, (BASE_VALUE - 1) << _NOISE_BITS
    wide = values.astype(np.int64)
    wide <<= _NOISE_BITS
    wide |= noise
    return wide, 0


def _widen(keys: np.ndarray, offset: int) -> np.ndarray:
    """Keys read off ``_tile_keys``'s tile, as the int64 keys of the lists."""
    wide = keys.astype(np.int64)
    if offset:
        wide[wide > _EMPTY] += offset
    return wide


def _tile_lists(
    keys: np.ndarray, keep: int, partners: np.ndarray, offset: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's best ``keep`` keys of a dense tile (``_tile_keys``) and their partners,
    ``(rows, keep)`` each (padded with ``_EMPTY`` and -1 when a row is shorter). The row's
    ``keep``-th key is found by ``partition``, and the keys at or above it are read in place:
    ranking whole rows with ``argpartition`` cost several times more, most of all along the
    columns."""
    rows, n = keys.shape
    if n <= keep:
        laid_keys = np.full((rows, keep), _EMPTY, dtype=np.int64)
        laid_partners = np.full((rows, keep), -1, dtype=np.int64)
        laid_keys[:, :n] = _widen(keys, offset)
        laid_partners[:, :n] = partners
        return laid_keys, laid_partners
    kth = np.partition(keys, n - keep, axis=1)[:, n - keep]
    r, k = _where(keys >= kth[:, None])
    if len(r) != rows * keep:
        # equal keys at some row's k-th (two partners with the same value and noise): rank
        # each row's keys so that the row keeps its greater ones and enough of the equal ones
        order = np.lexsort((-keys[r, k], r))
        r, k = r[order], k[order]
        rank = np.arange(len(r)) - np.searchsorted(r, np.arange(rows))[r]
        r, k = r[rank < keep], k[rank < keep]
    return _widen(keys[r, k], offset).reshape(rows, keep), partners[k].reshape(rows, keep)


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
    # when many keys passed the floors: (lists, keys, partners), the tile's best ``keep`` keys
    # of each of these lists, one row each
    row_lists: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    row_pairs: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # else (row, key, col)
    col_lists: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
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
    deadline no tile is started unless the scan is whole so far and within ``_FINISH_WITHIN`` of
    its end. A scan cut short says it is not ``complete``: its lists, counts and bests cover
    part of the pairs only."""
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
        tile: tuple[tuple[int, int], int, int, np.ndarray, np.ndarray],
        floors: tuple[np.ndarray, np.ndarray] | None,
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
            np.count_nonzero(ok, axis=1),
            np.count_nonzero(ok, axis=0),
            v.max(axis=1),
            v.max(axis=0),
        )
        if not keep_row:
            r, k = _where(ok)
            out.pairs = (chunk[r], cols[k], v[r, k])
            return out
        # A row or column meets many tiles: only keys above the K-th best of its list (as it
        # was when this tile was handed out: lists only improve) can enter it, and such a key's
        # value is at least the K-th's. So the values are compared first, in the tile's own
        # int32, and keys are made for the pairs that pass only.
        assert floors is not None
        row_floor, col_floor = floors
        row_pass = v >= np.maximum(row_floor >> _NOISE_BITS, 1).astype(np.int32)[:, None]
        col_pass = v >= np.maximum(col_floor >> _NOISE_BITS, 1).astype(np.int32)[None, :]
        row_dense = np.count_nonzero(row_pass) * _DENSE > v.size
        col_dense = np.count_nonzero(col_pass) * _DENSE > v.size
        if row_dense or col_dense:
            # many pairs pass on one side at least (its lists are still filling): that side's
            # best keys of the whole tile; the other side's passing pairs as loose triples
            key, offset = _tile_keys(v, int(out.row_max.max()), e_noise[chunk], m_noise[cols])
            if row_dense:
                out.row_lists = (out.owners, *_tile_lists(key, keep_row, cols, offset))
            else:
                r, k = _where(row_pass)
                row_keys = _widen(key[r, k], offset)
                fresh = row_keys > row_floor[r]
                out.row_pairs = (out.owners[r[fresh]], row_keys[fresh], cols[k[fresh]])
            if col_dense:
                out.col_lists = (
                    out.col_owners,
                    *_tile_lists(np.ascontiguousarray(key.T), keep_col, chunk, offset),
                )
            else:
                r, k = _where(col_pass)
                col_keys = _widen(key[r, k], offset)
                fresh = col_keys > col_floor[k]
                out.col_pairs = (out.col_owners[k[fresh]], col_keys[fresh], chunk[r[fresh]])
            return out
        passes = row_pass
        passes |= col_pass
        r, k = _where(passes)
        key = v[r, k].astype(np.int64)
        key <<= _NOISE_BITS
        key |= e_noise[chunk[r]] ^ m_noise[cols[k]]
        to_row = key > row_floor[r]
        if to_row.any():
            out.row_pairs = (out.owners[r[to_row]], key[to_row], cols[k[to_row]])
        to_col = key > col_floor[k]
        if to_col.any():
            out.col_pairs = (out.col_owners[k[to_col]], key[to_col], chunk[r[to_col]])
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
                        # No tile starts, unless the scan is whole so far and its last tiles
                        # are all that is left (they run whole: _FINISH_WITHIN).
                        left = total - planned + len(nxt[3]) * len(nxt[4])
                        if not complete or left > _FINISH_WITHIN * total:
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
                floors = (
                    None
                    if mentee_top is None or mentor_top is None
                    else (
                        mentee_top.floor[nxt[3] * n_c + nxt[2]],
                        mentor_top.floor[nxt[4] * n_c + nxt[1]],
                    )
                )
                pending.append(pool.submit(evaluate, nxt, floors))
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
                if t.row_lists is not None:
                    mentee_top.offer(*t.row_lists)
                elif t.row_pairs is not None:
                    mentee_top.offer_pairs(*t.row_pairs)
                if t.col_lists is not None:
                    mentor_top.offer(*t.col_lists)
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
    first = _first_of_each(mentee * max(1, n_m) + mentor)
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
