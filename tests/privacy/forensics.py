"""Forensic attacks on review anonymity (issue 16): the tools of an operator who holds the files.

The attacker of docs/privacy.md (adversary 3) has both databases, every key and every log after
the fact; here also every copy of the database files taken while the service ran. Nothing in
this module asks the service anything: it reads files (SQLite pages and write-ahead logs,
PostgreSQL's pg_wal), rows as the database returns them (xmin) and the released API answers.

- Commits in order (`attribute`): every review is given to the latest eligible person whose
  token issuance was committed before it, and to everyone issued since the previous review
  commit ("window"). Scored against the truth that only the test knows.
- SQLite files (`SqliteWatcher`, `read_wal`, `rows_in_page`): a parser of B-tree pages and WAL
  frames, current and earlier WAL generations, and of every change of the main file between
  copies (a checkpoint that truncates the WAL moves the frames into the main file, where the
  next copy sees them).
- Byte positions (`row_positions`, `order_agreement`): where each row sits in the file, in
  arrival order or not.
- PostgreSQL (`xmin_rows_to_commits`, `PgWal`, `wal_commits`): transaction ids stored with
  each row, and the insert records of pg_wal (pg_waldump for records and transaction ids, a
  byte search of the segments for which row each record wrote).
- Pairing (`pair_in_batches`, `wal_batch_positions`, `sqlite_batch_positions`): whoever holds
  a person's tokens finds the batch that spent each one, and its review when the batch wrote
  its spent tokens and its reviews in one order (the n-th of each belong together).
- Subtraction (`subtraction_attack`): what the released figures say about reviews withheld
  under k.
"""

from __future__ import annotations

import bisect
import math
import re
import shutil
import sqlite3
import statistics
import struct
import subprocess
import tempfile
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations_with_replacement
from pathlib import Path
from typing import Any

import numpy as np

# -- ground truth and scoring ----------------------------------------------------------------


@dataclass(frozen=True)
class Commit:
    """One step the attacker can order: what became visible together (a transaction, or the
    difference between two copies of the files)."""

    issued: frozenset[str] = frozenset()  # pseudonyms, 32 hex digits
    reviews: frozenset[str] = frozenset()  # review keys (their comment: the test's marker)
    seen_in: str = ""
    tokens: frozenset[str] = frozenset()  # spent tokens (SHA-256 of the message, 64 hex digits)


@dataclass
class Truth:
    """What only the test knows: who sent which review, in which order."""

    team_of_person: dict[str, str]
    team_of_submission: dict[str, str]
    author: dict[str, str] = field(default_factory=dict)  # review key -> pseudonym
    submission: dict[str, str] = field(default_factory=dict)  # review key -> submission
    arrival: list[str] = field(default_factory=list)  # review keys, in the order sent
    issuance: list[str] = field(default_factory=list)  # pseudonyms, in the order issued
    token: dict[str, str] = field(default_factory=dict)  # spent token hash -> review key

    def eligible(self, review: str) -> set[str]:
        team = self.team_of_submission[self.submission[review]]
        return {p for p, t in self.team_of_person.items() if t != team}

    def chance(self) -> float:
        return float(np.mean([1 / len(self.eligible(r)) for r in self.arrival]))


@dataclass(frozen=True)
class Attribution:
    latest: float  # share of reviews given to the right person by "latest eligible issuer"
    window: float  # expected share when given uniformly to the eligible issuers of its window
    chance: float  # mean over reviews of 1 / eligible reviewers
    placed: int  # reviews the attacker could place in the sequence
    total: int
    smallest_set: int  # fewest eligible issuers a placed review hid among (window attacker)

    @property
    def best(self) -> float:
        return max(self.latest, self.window)

    def __str__(self) -> str:
        return (
            f"latest-issuer {self.latest:.3f}, window-uniform {self.window:.3f}, chance "
            f"{self.chance:.3f}, placed {self.placed}/{self.total}, smallest anonymity set "
            f"{self.smallest_set}"
        )


def attribute(commits: Iterable[Commit], truth: Truth) -> Attribution:
    """Both attacks over one ordered sequence of commits.

    Latest issuer: a review goes to the latest eligible person issued before (or with) its
    commit. Window: to one of the eligible people issued since the previous run of commits with
    reviews, uniformly (its expected success is counted). A review the sequence does not place
    is guessed at random among everyone eligible (scored at chance).

    The smallest anonymity set is counted by an attacker who also keeps accounts: a review of
    submission X in a commit hides among the eligible people issued since the previous run of
    commits with reviews, and also among those issued before it as long as fewer reviews of X
    were committed than there were eligible people issued before that run (one of them may
    still be waiting: a mix that keeps part of what it holds makes the window attacker wrong,
    not the reviewer exposed)."""
    issued: list[str] = []
    window_start = 0
    in_run = False
    latest = window = 0.0
    placed: set[str] = set()
    smallest = 0
    committed: Counter[str] = Counter()  # reviews of each submission in earlier runs
    run_committed: Counter[str] = Counter()  # ... in the current run
    for commit in commits:
        new = sorted(commit.issued - set(issued))
        if new:
            if in_run:
                window_start, in_run = len(issued), False
                committed += run_committed
                run_committed = Counter()
            issued += new
        reviews = [r for r in sorted(commit.reviews) if r in truth.author and r not in placed]
        if not reviews:
            continue
        in_run = True
        for review in reviews:
            placed.add(review)
            eligible = truth.eligible(review)
            author = truth.author[review]
            before = [p for p in issued if p in eligible]
            if before:
                latest += before[-1] == author
            else:
                latest += 1 / len(eligible)
            candidates = [p for p in issued[window_start:] if p in eligible] or before
            candidates = candidates or sorted(eligible)
            window += (author in candidates) / len(candidates)
            submission = truth.submission[review]
            earlier = [p for p in issued[:window_start] if p in eligible]
            accounted = committed[submission] >= len(earlier)
            hiding = len(candidates) if accounted else len(set(candidates) | set(earlier))
            smallest = min(smallest, hiding) if smallest else hiding
            run_committed[submission] += 1
    for review in truth.arrival:
        if review not in placed:
            latest += 1 / len(truth.eligible(review))
            window += 1 / len(truth.eligible(review))
    total = len(truth.arrival)
    return Attribution(
        latest=latest / total,
        window=window / total,
        chance=truth.chance(),
        placed=len(placed),
        total=total,
        smallest_set=smallest,
    )


def order_agreement(order: Sequence[str], position: Mapping[str, int]) -> float:
    """Share of pairs (in true order) whose positions are in the same order, or in the opposite
    order if that is more (the examiner picks the better direction): 0.5 is no information."""
    values = np.array([position[key] for key in order if key in position], dtype=np.int64)
    if len(values) < 2:
        return 0.5
    later = values[None, :] > values[:, None]
    pairs = len(values) * (len(values) - 1) // 2
    share = float(np.triu(later, 1).sum()) / pairs
    return max(share, 1 - share)


def random_band(n: int, sigmas: float = 3.3) -> float:
    """The share `order_agreement` stays under for n items in random order but once in ~1,000
    (Kendall's tau has a standard deviation of sqrt(2(2n+5) / 9n(n-1)) under independence)."""
    deviation = math.sqrt(2 * (2 * n + 5) / (9 * n * (n - 1)))
    return 0.5 + sigmas * deviation / 2


# -- SQLite: pages and records ---------------------------------------------------------------


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    value = 0
    for i in range(9):
        byte = buf[pos + i]
        if i == 8:
            return (value << 8) | byte, pos + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, pos + i + 1
    raise ValueError("varint")  # pragma: no cover


def decode_record(payload: bytes) -> list[Any]:
    """The values of a record, as many as the (possibly truncated) payload holds."""
    header_size, pos = _varint(payload, 0)
    types = []
    while pos < header_size:
        serial, pos = _varint(payload, pos)
        types.append(serial)
    values: list[Any] = []
    body = header_size
    sizes = {0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8, 7: 8, 8: 0, 9: 0}
    for serial in types:
        size = sizes.get(serial, (serial - 12) // 2 if serial >= 12 else 0)
        chunk = payload[body : body + size]
        if len(chunk) < size:
            break
        body += size
        if serial == 0:
            values.append(None)
        elif serial in (8, 9):
            values.append(serial - 8)
        elif serial == 7:
            values.append(struct.unpack(">d", chunk)[0])
        elif serial <= 6:
            values.append(int.from_bytes(chunk, "big", signed=True))
        elif serial % 2:
            values.append(chunk.decode("utf-8", "replace"))
        else:
            values.append(bytes(chunk))
    return values


TABLE_LEAF, TABLE_INTERIOR, INDEX_LEAF, INDEX_INTERIOR = 0x0D, 0x05, 0x0A, 0x02


@dataclass(frozen=True)
class Cell:
    offset: int  # byte offset of the cell inside its page
    page_type: int
    payload: bytes  # the part stored on the page (all of it for small rows)
    child: int | None  # left child page of an interior cell


def page_cells(page: bytes, page_no: int, usable: int) -> Iterator[Cell]:
    """Cells of a B-tree page, whatever its tree; nothing for other pages (or garbage)."""
    start = 100 if page_no == 1 else 0
    if len(page) < start + 8:
        return
    kind = page[start]
    if kind not in (TABLE_LEAF, TABLE_INTERIOR, INDEX_LEAF, INDEX_INTERIOR):
        return
    count = int.from_bytes(page[start + 3 : start + 5], "big")
    header = 12 if kind in (TABLE_INTERIOR, INDEX_INTERIOR) else 8
    if start + header + 2 * count > len(page):
        return
    table = kind in (TABLE_LEAF, TABLE_INTERIOR)
    limit = usable - 35 if table else (usable - 12) * 64 // 255 - 23
    least = (usable - 12) * 32 // 255 - 23
    for i in range(count):
        at = start + header + 2 * i
        offset = int.from_bytes(page[at : at + 2], "big")
        if not 0 < offset < len(page) - 4:
            continue
        try:
            pos, child = offset, None
            if kind in (TABLE_INTERIOR, INDEX_INTERIOR):
                child = int.from_bytes(page[pos : pos + 4], "big")
                pos += 4
            if kind == TABLE_INTERIOR:
                yield Cell(offset, kind, b"", child)
                continue
            size, pos = _varint(page, pos)
            if kind == TABLE_LEAF:
                _, pos = _varint(page, pos)  # rowid
            local = size
            if size > limit:
                k = least + (size - least) % (usable - 4)
                local = k if k <= limit else least
            yield Cell(offset, kind, bytes(page[pos : pos + local]), child)
        except IndexError:
            continue


@dataclass(frozen=True)
class RoundRows:
    """How the attacker recognises the rows of one round, in any page: token issuances are
    (round id, pseudonym of a participant), spent tokens (round id, 64 hex digits) and reviews
    (id, round id, submission, scores, comment). It learns both values from the final
    database."""

    round_hex: str
    pseudonyms: frozenset[str]

    def classify(self, values: list[Any]) -> tuple[str, str] | None:
        if len(values) < 2 or (values[0] != self.round_hex and values[1:2] != [self.round_hex]):
            return None
        if values[0] == self.round_hex and values[1] in self.pseudonyms:
            if len(values) == 2 or (len(values) == 3 and isinstance(values[2], int)):
                return ("issuance", values[1])
            return None
        if values[0] == self.round_hex and len(values) == 2 and _is_token_hash(values[1]):
            return ("token", values[1])
        if len(values) >= 5 and values[1] == self.round_hex and isinstance(values[4], str):
            return ("review", values[4])
        return None


def _is_token_hash(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in _HEX for c in value)


_HEX = frozenset("0123456789abcdef")

Row = tuple[str, str]  # ("issuance", pseudonym), ("token", hash) or ("review", review key)


def cells_in_page(page: bytes, page_no: int, usable: int, rows: RoundRows) -> dict[Row, int]:
    """The round's rows in a page, with the byte offset of each one's cell inside the page
    (an index B-tree, as WITHOUT ROWID tables are, holds each key once, leaf or interior)."""
    found: dict[Row, int] = {}
    for cell in page_cells(page, page_no, usable):
        if not cell.payload:
            continue
        try:
            row = rows.classify(decode_record(cell.payload))
        except (IndexError, ValueError):
            continue
        if row is not None:
            found[row] = cell.offset
    return found


def rows_in_page(page: bytes, page_no: int, usable: int, rows: RoundRows) -> set[Row]:
    return set(cells_in_page(page, page_no, usable, rows))


def _page_size(db: bytes) -> tuple[int, int]:
    size = int.from_bytes(db[16:18], "big")
    size = 65536 if size == 1 else size
    return size, size - db[20]


def _schema_roots(db: bytes) -> dict[str, int]:
    """Root pages from sqlite_schema (a table B-tree rooted at page 1), parsed from the file."""
    size, usable = _page_size(db)
    roots: dict[str, int] = {}
    stack = [1]
    while stack:
        number = stack.pop()
        page = db[(number - 1) * size : number * size]
        start = 100 if number == 1 else 0
        if page[start] == TABLE_INTERIOR:
            stack.append(int.from_bytes(page[start + 8 : start + 12], "big"))
        for cell in page_cells(page, number, usable):
            if cell.child is not None:
                stack.append(cell.child)
            elif cell.payload:
                values = decode_record(cell.payload)
                if len(values) >= 4 and isinstance(values[3], int):
                    roots[str(values[1])] = values[3]
    return roots


def row_positions(db_file: Path, table: str, rows: RoundRows) -> dict[str, int]:
    """Absolute byte offset in the file of every row of the round in `table`'s B-tree, keyed
    like `RoundRows` (pseudonym for issuances, review key for reviews)."""
    db = db_file.read_bytes()
    size, usable = _page_size(db)
    root = _schema_roots(db)[table]
    positions: dict[str, int] = {}
    stack = [root]
    while stack:
        number = stack.pop()
        page = db[(number - 1) * size : number * size]
        if page[0] in (TABLE_INTERIOR, INDEX_INTERIOR):
            stack.append(int.from_bytes(page[8:12], "big"))
        for cell in page_cells(page, number, usable):
            if cell.child is not None:
                stack.append(cell.child)
            if cell.payload:
                row = rows.classify(decode_record(cell.payload))
                if row is not None:
                    positions[row[1]] = (number - 1) * size + cell.offset
    return positions


def checkpointed_copy(db_file: Path, directory: Path) -> Path:
    """What the examiner reads 'after a checkpoint': a copy of the files, the WAL folded into
    the main file by the copy's own connection (the service's files are not touched)."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / db_file.name
    for suffix in ("", "-wal"):
        source = Path(f"{db_file}{suffix}")
        if source.exists():
            shutil.copyfile(source, f"{target}{suffix}")
    connection = sqlite3.connect(target)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    return target


def read_state(db: bytes, wal: bytes, rows: RoundRows) -> set[Row]:
    """The round's rows as SQLite itself reads a copy (main file + WAL): the reference the page
    parser is checked against."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "copy.db"
        path.write_bytes(db)
        if wal:
            Path(f"{path}-wal").write_bytes(wal)
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            issued = connection.execute(
                "SELECT pseudonym FROM token_issuances WHERE round_id = ?", (rows.round_hex,)
            ).fetchall()
            reviews = connection.execute(
                "SELECT comment FROM reviews WHERE round_id = ?", (rows.round_hex,)
            ).fetchall()
            spent = []
            if connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'spent_tokens'"
            ).fetchone():
                spent = connection.execute(
                    "SELECT token_hash FROM spent_tokens WHERE round_id = ?", (rows.round_hex,)
                ).fetchall()
        finally:
            connection.close()
    return (
        {("issuance", p) for (p,) in issued}
        | {("review", c) for (c,) in reviews}
        | {("token", t) for (t,) in spent}
    )


# -- SQLite: the write-ahead log -------------------------------------------------------------

WAL_HEADER, FRAME_HEADER = 32, 24


def wal_checksum(data: bytes, big_endian: bool, s0: int = 0, s1: int = 0) -> tuple[int, int]:
    words = struct.unpack(f"{'>' if big_endian else '<'}{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


@dataclass(frozen=True)
class Frame:
    salts: tuple[int, int]
    index: int  # position in the file
    page_no: int
    commit_size: int  # non-zero: the last frame of a transaction
    checksum: tuple[int, int]


@dataclass
class WalContents:
    page_size: int
    salts: tuple[int, int]
    checkpoint_seq: int
    commits: list[list[Frame]]  # the current generation, complete transactions, in order
    stale: list[list[Frame]]  # frames of earlier generations left beyond, oldest first
    data: bytes

    def page(self, frame: Frame) -> bytes:
        at = WAL_HEADER + frame.index * (FRAME_HEADER + self.page_size) + FRAME_HEADER
        return self.data[at : at + self.page_size]


def read_wal(
    data: bytes, validated: set[tuple[int, int, int, int, int]] | None = None
) -> WalContents:
    """Frames of a WAL file: the valid ones (salts of the header, checksums chained from it,
    up to the last commit frame) and those of earlier generations still in the file.
    `validated` remembers frames whose checksum was already checked (copies repeat them)."""
    if len(data) < WAL_HEADER:
        return WalContents(0, (0, 0), 0, [], [], data)
    magic, _, page_size, seq, salt1, salt2, c1, c2 = struct.unpack(">8I", data[:WAL_HEADER])
    big = bool(magic & 1)
    if magic not in (0x377F0682, 0x377F0683) or wal_checksum(data[:24], big) != (c1, c2):
        return WalContents(0, (0, 0), 0, [], [], data)
    cache = validated if validated is not None else set()
    step = FRAME_HEADER + page_size
    frames: list[tuple[Frame, bool]] = []  # (frame, valid in its own chain)
    previous: tuple[int, int] | None = (c1, c2)
    previous_salts = (salt1, salt2)
    for index in range((len(data) - WAL_HEADER) // step):
        at = WAL_HEADER + index * step
        page_no, commit, s1, s2, k1, k2 = struct.unpack(">6I", data[at : at + FRAME_HEADER])
        frame = Frame((s1, s2), index, page_no, commit, (k1, k2))
        key = (s1, s2, index, k1, k2)
        if (s1, s2) != previous_salts:
            previous = None  # a new run: its seed (the previous frame) was overwritten
        if key in cache:
            valid = True
        elif previous is None:
            valid = page_no > 0
        else:
            body = data[at : at + 8] + data[at + FRAME_HEADER : at + step]
            valid = wal_checksum(body, big, *previous) == (k1, k2)
        if valid:
            cache.add(key)
        frames.append((frame, valid))
        previous, previous_salts = ((k1, k2), (s1, s2)) if valid else (None, (s1, s2))
    # The current generation: from the start while the salts match and checksums hold.
    current: list[Frame] = []
    for frame, valid in frames:
        if frame.salts != (salt1, salt2) or not valid:
            break
        current.append(frame)
    commits, _ = _transactions(current)  # frames after the last commit frame: uncommitted
    stale_frames = [f for f, valid in frames[len(current) :] if valid and f.salts != (salt1, salt2)]
    stale: list[list[Frame]] = []
    for salts in sorted({f.salts for f in stale_frames}):
        run = [f for f in stale_frames if f.salts == salts]
        done, _ = _transactions(run)  # its head may have lost its first frames
        stale += done
    return WalContents(page_size, (salt1, salt2), seq, commits, stale, data)


def _transactions(frames: list[Frame]) -> tuple[list[list[Frame]], list[Frame]]:
    """Frames grouped into transactions (each ends with a commit frame); the frames after the
    last commit frame belong to no committed transaction."""
    done: list[list[Frame]] = []
    open_: list[Frame] = []
    for frame in frames:
        open_.append(frame)
        if frame.commit_size:
            done.append(open_)
            open_ = []
    return done, open_


class SqliteWatcher:
    """The operator copying app.db and app.db-wal as often as it likes while the service runs,
    and merging every copy into one ordered sequence of commits.

    Per copy: frames of earlier WAL generations left in the file (oldest first), then the
    current generation's transactions; rows that are in the main file but in no frame ever
    seen (a checkpoint folded frames in and the WAL was truncated before this copy) are placed
    first, as one step between this copy and the previous one.

    Where each row was first seen is kept too (`places`: its step, page and the byte offset of
    its cell in that page), for the order of rows inside one step (`sqlite_batch_positions`)."""

    def __init__(self, db_file: Path, rows: RoundRows) -> None:
        self.db_file = db_file
        self.wal_file = Path(f"{db_file}-wal")
        self.rows = rows
        self.seen: set[Row] = set()
        self.commits: list[Commit] = []
        self.places: dict[Row, tuple[int, int, int]] = {}  # row -> (step, page, cell offset)
        self.copies = 0
        self._validated: set[tuple[int, int, int, int, int]] = set()
        self._transactions: set[tuple[int, int, int]] = set()
        self._frame_rows: dict[tuple[int, int, int, int, int], dict[Row, int]] = {}
        self._db_pages: dict[int, tuple[bytes, dict[Row, int]]] = {}

    def capture(self, label: str = "") -> tuple[bytes, bytes]:
        db = self.db_file.read_bytes() if self.db_file.exists() else b""
        wal = self.wal_file.read_bytes() if self.wal_file.exists() else b""
        self.copies += 1
        self.absorb(db, wal, label or f"copy {self.copies}")
        return db, wal

    def absorb(self, db: bytes, wal: bytes, label: str) -> None:
        contents = read_wal(wal, self._validated)
        in_frames: set[Row] = set()
        ordered: list[tuple[tuple[int, int, int], dict[Row, tuple[int, int]]]] = []
        for transaction in [*contents.stale, *contents.commits]:
            found: dict[Row, tuple[int, int]] = {}
            for frame in transaction:
                key = (*frame.salts, frame.index, *frame.checksum)
                if key not in self._frame_rows:
                    usable = contents.page_size - _reserved(db)
                    self._frame_rows[key] = cells_in_page(
                        contents.page(frame), frame.page_no, usable, self.rows
                    )
                for row, offset in self._frame_rows[key].items():
                    found[row] = (frame.page_no, offset)  # a later frame of the page wins
            in_frames |= set(found)
            last = transaction[-1]
            ordered.append(((*last.salts, last.index), found))
        in_file = self._db_rows(db)
        missed = {row: place for row, place in in_file.items() if row not in self.seen}
        missed = {row: place for row, place in missed.items() if row not in in_frames}
        if missed:
            self._add(missed, f"{label}: main file")
        for commit_key, found in ordered:
            if commit_key in self._transactions:
                continue
            self._transactions.add(commit_key)
            new = {row: place for row, place in found.items() if row not in self.seen}
            self._add(new, f"{label}: WAL {commit_key}")

    def _add(self, new: Mapping[Row, tuple[int, int]], label: str) -> None:
        if not new:
            return
        self.seen |= set(new)
        step = len(self.commits)
        for row, (page_no, offset) in new.items():
            self.places[row] = (step, page_no, offset)
        self.commits.append(
            Commit(
                issued=frozenset(v for kind, v in new if kind == "issuance"),
                reviews=frozenset(v for kind, v in new if kind == "review"),
                seen_in=label,
                tokens=frozenset(v for kind, v in new if kind == "token"),
            )
        )

    def _db_rows(self, db: bytes) -> dict[Row, tuple[int, int]]:
        if len(db) < 100:
            return {}
        size, usable = _page_size(db)
        found: dict[Row, tuple[int, int]] = {}
        for number in range(1, len(db) // size + 1):
            page = db[(number - 1) * size : number * size]
            cached = self._db_pages.get(number)
            if cached is None or cached[0] != page:
                cached = (page, cells_in_page(page, number, usable, self.rows))
                self._db_pages[number] = cached
            for row, offset in cached[1].items():
                found[row] = (number, offset)
        return found


def _reserved(db: bytes) -> int:
    return db[20] if len(db) > 20 else 0


def one_copy(db_file: Path, rows: RoundRows) -> list[Commit]:
    """What a single copy of the files, taken now, orders."""
    watcher = SqliteWatcher(db_file, rows)
    watcher.capture("one copy")
    return watcher.commits


# -- PostgreSQL ------------------------------------------------------------------------------


def lsn(text: str) -> int:
    high, low = text.split("/")
    return (int(high, 16) << 32) | int(low, 16)


@dataclass(frozen=True)
class WalRecord:
    lsn: int
    length: int
    xid: int
    rmgr: str
    kind: str  # first word of the description: INSERT, INSERT+INIT, COMMIT, ...
    relfilenodes: tuple[tuple[int, int], ...]  # (database oid, relfilenode) of block refs


_RECORD = re.compile(
    r"rmgr: (?P<rmgr>\S+)\s+len \(rec/tot\):\s*\d+/\s*(?P<tot>\d+), tx:\s*(?P<xid>\d+), "
    r"lsn: (?P<lsn>[0-9A-F]+/[0-9A-F]+), prev [0-9A-F]+/[0-9A-F]+, desc: (?P<kind>\S+)"
)
_REL = re.compile(r"rel \d+/(\d+)/(\d+)")


@dataclass(frozen=True)
class PgWal:
    """pg_wal of the server, read from its files (the operator is root on the host)."""

    waldump: Path
    wal_dir: Path
    segment_size: int
    block_size: int
    timeline: int

    @staticmethod
    def find_waldump() -> Path | None:
        candidates = []
        config = shutil.which("pg_config")
        if config:
            done = subprocess.run([config, "--bindir"], capture_output=True, text=True, check=False)
            candidates.append(Path(done.stdout.strip()) / "pg_waldump")
        found = shutil.which("pg_waldump")
        candidates += [Path(found)] if found else []
        candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_waldump"), reverse=True)
        return next((c for c in candidates if c.is_file()), None)

    def records(self, start: int, end: int) -> list[WalRecord]:
        done = subprocess.run(
            [
                str(self.waldump),
                "-p",
                str(self.wal_dir),
                "-t",
                str(self.timeline),
                "-s",
                _lsn_text(start),
                "-e",
                _lsn_text(end),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        found = []
        for line in done.stdout.splitlines():
            match = _RECORD.search(line)
            if match is None:
                continue
            found.append(
                WalRecord(
                    lsn=lsn(match["lsn"]),
                    length=int(match["tot"]),
                    xid=int(match["xid"]),
                    rmgr=match["rmgr"],
                    kind=match["kind"].rstrip(","),
                    relfilenodes=tuple((int(d), int(r)) for d, r in _REL.findall(line)),
                )
            )
        if not found:
            raise RuntimeError(f"pg_waldump read nothing: {done.stderr.strip()[-300:]}")
        return found

    def stream(self, start: int, end: int) -> tuple[bytes, list[int], list[int]]:
        """The bytes of the WAL from `start` to `end` without page headers (a value that
        straddles a page boundary is found too), with a map back to LSNs."""
        chunks: list[bytes] = []
        offsets: list[int] = []  # stream offset of each chunk
        lsns: list[int] = []  # LSN of each chunk's first byte
        length = 0
        page = start - start % self.block_size
        while page < end:
            segment, within = divmod(page, self.segment_size)
            per_id = 0x100000000 // self.segment_size
            name = f"{self.timeline:08X}{segment // per_id:08X}{segment % per_id:08X}"
            with (self.wal_dir / name).open("rb") as handle:
                handle.seek(within)
                block = handle.read(self.block_size)
            header = 40 if within == 0 else 24
            offsets.append(length)
            lsns.append(page + header)
            chunks.append(block[header:])
            length += len(block) - header
            page += self.block_size
        return b"".join(chunks), offsets, lsns

    def locate(self, start: int, end: int, needles: Mapping[str, bytes]) -> dict[str, list[int]]:
        """LSN of every occurrence of each needle between start and end."""
        data, offsets, lsns = self.stream(start, end)
        found: dict[str, list[int]] = {}
        for key, needle in needles.items():
            at = data.find(needle)
            while at >= 0:
                chunk = bisect.bisect_right(offsets, at) - 1
                found.setdefault(key, []).append(lsns[chunk] + at - offsets[chunk])
                at = data.find(needle, at + 1)
        return found


def _lsn_text(value: int) -> str:
    return f"{value >> 32:X}/{value & 0xFFFFFFFF:X}"


TABLE_OF_ROW = {"issuance": "token_issuances", "review": "reviews", "token": "spent_tokens"}


def first_inserts(
    records: list[WalRecord],
    occurrences: Mapping[Row, list[int]],
    relations: Mapping[str, set[tuple[int, int]]],
) -> dict[Row, WalRecord]:
    """Each row's first heap insert record: the record holding the first occurrence of its
    bytes in its table's relation (`relations`: table name -> (database oid, relfilenode))."""
    starts = [r.lsn for r in records]
    found: dict[Row, WalRecord] = {}
    for row, positions in occurrences.items():
        table = TABLE_OF_ROW[row[0]]
        for position in sorted(positions):
            index = bisect.bisect_right(starts, position) - 1
            if index < 0:
                continue
            record = records[index]
            if (
                record.rmgr in ("Heap", "Heap2")
                and record.kind.startswith(("INSERT", "MULTI_INSERT"))
                and set(record.relfilenodes) & relations.get(table, set())
            ):
                found[row] = record
                break
    return found


def wal_commits(
    records: list[WalRecord],
    occurrences: Mapping[Row, list[int]],
    relations: Mapping[str, set[tuple[int, int]]],
) -> list[Commit]:
    """Each row's first heap insert record, grouped by transaction id, in write order."""
    by_xid: dict[int, tuple[int, set[Row]]] = {}
    for row, record in first_inserts(records, occurrences, relations).items():
        first, rows = by_xid.get(record.xid, (record.lsn, set()))
        by_xid[record.xid] = (min(first, record.lsn), rows | {row})
    ordered = sorted(by_xid.items(), key=lambda item: item[1][0])
    return [
        Commit(
            issued=frozenset(v for kind, v in rows if kind == "issuance"),
            reviews=frozenset(v for kind, v in rows if kind == "review"),
            seen_in=f"xid {xid}",
            tokens=frozenset(v for kind, v in rows if kind == "token"),
        )
        for xid, (_, rows) in ordered
    ]


def wal_batch_positions(
    records: list[WalRecord],
    occurrences: Mapping[Row, list[int]],
    relations: Mapping[str, set[tuple[int, int]]],
) -> dict[Row, tuple[int, float]]:
    """For `pair_in_batches`: every spent token and review with its transaction id (its batch)
    and the LSN of its first heap insert (its place in the batch's order of writing)."""
    return {
        row: (record.xid, float(record.lsn))
        for row, record in first_inserts(records, occurrences, relations).items()
        if row[0] in ("token", "review")
    }


def xmin_rows_to_commits(rows: Iterable[tuple[int, Row]]) -> list[Commit]:
    """Rows grouped by the transaction id stored with them (xmin), in xid order."""
    by_xid: dict[int, set[Row]] = {}
    for xid, row in rows:
        by_xid.setdefault(xid, set()).add(row)
    return [
        Commit(
            issued=frozenset(v for kind, v in found if kind == "issuance"),
            reviews=frozenset(v for kind, v in found if kind == "review"),
            seen_in=f"xmin {xid}",
        )
        for xid, found in sorted(by_xid.items())
    ]


def pg_needles(rows: Iterable[Row]) -> dict[Row, bytes]:
    """How each row's bytes look in a heap tuple: a uuid is 16 raw bytes, a text its UTF-8
    (a review's comment, a spent token's 64 hex digits)."""
    return {
        row: uuid.UUID(row[1]).bytes if row[0] == "issuance" else row[1].encode() for row in rows
    }


# -- pairing spent tokens with reviews -------------------------------------------------------


@dataclass(frozen=True)
class Pairing:
    """Who holds a person's tokens (their browser, or the stored wallet and their recovery
    code) knows each token's hash and submission, finds the batch that spent it and pairs the
    n-th spent token of the batch with its n-th review: right when both lists were written in
    one order. The same among the tokens and reviews of one submission in a batch (the reviews
    name their submission). A token alone with its submission in a batch is named whatever the
    order: that is the batch's membership, not its order.

    By chance (two independent orders) the right pairs of a batch of n are the fixed points of
    a uniformly random permutation of n: one on average, whatever n (so the chance rate is
    batches / tokens, about 1 / batch size). `limit` is what their sum over the batches
    exceeds with probability under 1e-4 (`chance_limit`, exact)."""

    tokens: int  # spent tokens of a known review that the files place in a batch
    batches: int  # batches holding at least one of them
    right: int  # n-th token paired with the n-th review of its batch: its own review
    limit: int
    right_in_submission: int  # the same among a batch's tokens and reviews of one submission
    limit_in_submission: int
    groups: int  # (batch, submission) groups holding at least one of the tokens
    smallest_group: int  # fewest reviews of one submission in a batch, among those groups
    alone: int  # tokens whose batch holds no other review of their submission
    # Share of the pairs of tokens of a batch whose places are in the order of their reviews'
    # places (ties left out): 0.5 when the files keep no order common to both lists.
    agreement: float

    @property
    def rate(self) -> float:
        return self.right / self.tokens if self.tokens else 0.0

    @property
    def chance(self) -> float:
        return self.batches / self.tokens if self.tokens else 0.0

    def __str__(self) -> str:
        return (
            f"n-th token with n-th review {self.right}/{self.tokens} right ({self.rate:.3f}; "
            f"~{self.batches} by chance, limit {self.limit}); within a submission "
            f"{self.right_in_submission}/{self.tokens} (~{self.groups} by chance, limit "
            f"{self.limit_in_submission}); {self.batches} batches, smallest (batch, submission) "
            f"group {self.smallest_group}, {self.alone} tokens alone in theirs; "
            f"{self.agreement:.3f} of token pairs in their reviews' order"
        )


def fixed_points_pmf(n: int, length: int = 64) -> np.ndarray:
    """P(a uniformly random permutation of n has k fixed points), k < length: the number of
    permutations with exactly k fixed points is C(n, k) D(n - k), D the derangements, so the
    probability is (1 / k!) sum_{j <= n - k} (-1)^j / j!."""
    pmf = np.zeros(min(n + 1, length))
    for k in range(len(pmf)):
        pmf[k] = sum((-1) ** j / math.factorial(j) for j in range(n - k + 1)) / math.factorial(k)
    return pmf


def chance_limit(sizes: Iterable[int], tail: float = 1e-4) -> int:
    """The smallest h such that the right pairs of independent batches of these sizes, each
    paired at random, exceed h with probability under `tail` (the exact distribution: the
    convolution of each batch's fixed points)."""
    total = np.ones(1)
    for n in sizes:
        total = np.convolve(total, fixed_points_pmf(n))
    above = 1.0 - np.cumsum(total)
    return int(np.argmax(above < tail)) if (above < tail).any() else len(total)


def concordance(pairs: Iterable[tuple[Sequence[float], Sequence[float]]]) -> float:
    """Over groups of items placed twice (two sequences of places, one per item), the share of
    pairs of items of a group placed in the same order both times, ties left out (0.5 when no
    pair can be compared)."""
    same = compared = 0
    for first, second in pairs:
        a, b = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
        if len(a) < 2:
            continue
        signs = np.sign(a[None, :] - a[:, None]) * np.sign(b[None, :] - b[:, None])
        upper = np.triu(signs, 1)
        same += int((upper > 0).sum())
        compared += int((upper != 0).sum())
    return same / compared if compared else 0.5


def _pair(tokens: list[tuple[float, str]], reviews: list[tuple[float, str]]) -> dict[str, str]:
    return {t: r for (_, t), (_, r) in zip(sorted(tokens), sorted(reviews), strict=False)}


def pair_in_batches(positions: Mapping[Row, tuple[Any, float]], truth: Truth) -> Pairing:
    """Both pairings over rows placed by the files: `positions` gives each spent token
    ("token", hash) and review ("review", key) its batch (a transaction id, a step of the
    SQLite copies) and its place in the order in which its batch wrote it. Ties are broken by
    hash and key (random, independent of each other). The submission of a token is what its
    holder knows (the test's truth); a review's is in its row."""
    tokens: dict[Any, list[tuple[float, str]]] = {}
    reviews: dict[Any, list[tuple[float, str]]] = {}
    for (kind, key), (batch, place) in positions.items():
        if kind == "token" and key in truth.token:
            tokens.setdefault(batch, []).append((place, key))
        elif kind == "review" and key in truth.submission:
            reviews.setdefault(batch, []).append((place, key))
    right = right_in_submission = alone = 0
    sizes: list[int] = []
    group_sizes: list[int] = []
    smallest = 0
    both: list[tuple[list[float], list[float]]] = []
    for batch, spent in tokens.items():
        written = reviews.get(batch, [])
        where = {r: p for p, r in written}
        known = [(p, where[truth.token[t]]) for p, t in spent if truth.token[t] in where]
        both.append(([p for p, _ in known], [q for _, q in known]))
        paired = _pair(spent, written)
        right += sum(truth.token[t] == r for t, r in paired.items())
        sizes.append(min(len(spent), len(written)))
        for submission in sorted({truth.submission[truth.token[t]] for _, t in spent}):
            mine = [(p, t) for p, t in spent if truth.submission[truth.token[t]] == submission]
            theirs = [(p, r) for p, r in written if truth.submission[r] == submission]
            paired = _pair(mine, theirs)
            right_in_submission += sum(truth.token[t] == r for t, r in paired.items())
            group_sizes.append(min(len(mine), len(theirs)))
            smallest = min(smallest, len(theirs)) if smallest else len(theirs)
            alone += len(mine) if len(theirs) == 1 else 0
    return Pairing(
        tokens=sum(len(spent) for spent in tokens.values()),
        batches=sum(1 for n in sizes if n),
        right=right,
        limit=chance_limit(sizes),
        right_in_submission=right_in_submission,
        limit_in_submission=chance_limit(group_sizes),
        groups=sum(1 for n in group_sizes if n),
        smallest_group=smallest,
        alone=alone,
        agreement=concordance(both),
    )


def sqlite_batch_positions(
    places: Mapping[Row, tuple[int, int, int]],
) -> dict[Row, tuple[int, float]]:
    """For `pair_in_batches` on SQLite: each spent token and review with the step of the copies
    in which it appeared (`SqliteWatcher.places`: a batch, when the operator copies between
    any two requests) and its place in the order of the step's inserts, as far as the pages
    keep it. SQLite allocates a new cell below those already in its page (the cell content
    area grows down from the end of the page, and spent_tokens pages are never rewritten nor
    freed during a round), so inside one page the cells a transaction added sit at
    descending offsets in the order they were inserted, until a split or a rebalance of
    sibling pages re-lays them in key order (which a batch of tens of rows does to most of
    its pages: little of the order survives). Nothing orders cells of different pages: a
    cell's rank among its page's new cells, scaled to (0, 1), stands in for its rank in the
    whole batch (the inserts of a batch spread uniformly over the pages, since keys are
    random). A batch that rewrites the round's
    reviews in key order before its commit leaves their offsets following their random ids:
    the reviews' order of writing is then nowhere in the files."""
    groups: dict[tuple[int, str, int], list[tuple[int, Row]]] = {}
    for row, (step, page_no, offset) in places.items():
        if row[0] in ("token", "review"):
            groups.setdefault((step, row[0], page_no), []).append((offset, row))
    positions: dict[Row, tuple[int, float]] = {}
    for (step, _, _), cells in groups.items():
        cells.sort(reverse=True)  # the highest offset was allocated first
        for rank, (_, row) in enumerate(cells):
            positions[row] = (step, (rank + 0.5) / len(cells))
    return positions


# -- subtraction -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Subtraction:
    criterion: str
    withheld: int  # reviews withheld (under k), as the released totals show
    candidates: int  # possible score multisets of the withheld reviews
    consistent: int  # those that every released figure allows
    derived: dict[int, int] | None  # the withheld scores, when only one multiset remains

    @property
    def leaks(self) -> bool:
        """The figures rule some candidates out (0 consistent means the hypothesis that they
        include the withheld reviews is false, which teaches nothing)."""
        return 0 < self.consistent < self.candidates

    def __str__(self) -> str:
        return (
            f"{self.criterion}: {self.withheld} withheld reviews, {self.consistent} of "
            f"{self.candidates} score multisets consistent, derived {self.derived}"
        )


def subtraction_attack(
    results: Mapping[str, Any],
    team_views: Iterable[Mapping[str, Any]],
    rubric: Iterable[Mapping[str, Any]],
) -> list[Subtraction]:
    """Pool every released view (the challenge results, each team's own reviews) and test every
    possible multiset of scores for the withheld reviews against the challenge-wide figures,
    assuming they are computed over every review of the round."""
    released: dict[str, list[int]] = {}
    released_count = 0
    for view in team_views:
        if view.get("state") == "released":
            released_count += len(view["reviews"])
            for review in view["reviews"]:
                for criterion, score in review["scores"].items():
                    released.setdefault(criterion, []).append(int(score))
    withheld = int(results.get("redeemed_total") or 0) - released_count
    overall = {c["criterion_id"]: c for c in results.get("criteria") or []}
    outcome = []
    for criterion in rubric:
        cid = str(criterion["id"])
        scale = range(int(criterion["scale_min"]), int(criterion["scale_max"]) + 1)
        candidates = list(combinations_with_replacement(scale, withheld)) if withheld > 0 else []
        consistent = []
        figure = overall.get(cid)
        for candidate in candidates:
            if figure is None:
                consistent.append(candidate)
                continue
            pooled = released.get(cid, []) + list(candidate)
            distribution = {str(k): v for k, v in sorted(Counter(pooled).items())}
            shown = {str(k): v for k, v in (figure.get("distribution") or {}).items()}
            median = float(statistics.median(pooled)) if pooled else None
            if shown == distribution and figure.get("median") == median:
                consistent.append(candidate)
        derived = dict(sorted(Counter(consistent[0]).items())) if len(consistent) == 1 else None
        outcome.append(Subtraction(cid, withheld, len(candidates), len(consistent), derived))
    return outcome
