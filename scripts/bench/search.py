"""Benchmark of the library search (app/search) on SQLite (FTS5) and PostgreSQL (tsvector).

Usage::

    .venv/bin/python scripts/bench/search.py [--items 100000] [--backends sqlite,postgres]
        [--runs 3] [--repeats 5] [--seed 0] [--size tiny] [--reuse]

For each backend, on a fresh database (a SQLite file in a temporary folder; a PostgreSQL
database created and dropped on BENCH_POSTGRES_URL, default the local server as postgres),
migrated with the app's own migrations:

1. **Corpus.** `--items` lesson-like items in en/fr/es generated from a small vocabulary
   written for this script (a word model: Zipf-weighted nouns, verbs and adjectives in
   sentence patterns, paragraphs of sentences), plus the labelled items below, shuffled in.
2. **Index build.** The rows are inserted in batches of 2,000; the database's own machinery
   (FTS5 triggers, generated tsvector columns and GIN indexes) does the indexing. Wall time
   until everything is indexed and analysed (on PostgreSQL vacuumed too, as autovacuum
   would). Publishing one document through the service (Markdown stripped, replaced by
   (kind, ref)) is timed separately.
3. **Latency.** `search()` as the API calls it (ranked page of 10, highlighted excerpts and
   facet counts, exact up to 1,000 matches and lower bounds above), `ask()` and `related()`,
   over a fixed query mix, `--repeats` times each; p50 and p95 per run, the median of
   `--runs` runs reported. For the specific mix, also the CPU time per search of this process
   (p50 / p95; with SQLite, the whole search) and, on a PostgreSQL server on this machine,
   of the server process (a mean per search, from /proc): the machine's load inflates those
   far less than the wall times.
4. **Ranking quality.** 20 hand-written queries (en, fr, es; some typed without accents),
   each with items planted in the corpus and graded by hand: 3 (about it: in the title and
   throughout), 2 (a section on it: in the summary and the body), 1 (mentions it a few
   times), 0 (a distractor: the words once, in a long text about something else). nDCG@10 of
   the full-text ranking against the same documents found with plain `LIKE '%word%'` on
   every word and listed in table order. For "ask", the share of questions whose first passage
   comes from an item graded 2 or 3.

Prints a Markdown table and the machine's load.

`--reuse` keeps the built databases (var/bench/search-<items>-<seed>.db and the PostgreSQL
database bench_search_<items>_<seed>) and skips step 2 when one is already complete, so that
query changes can be measured again without the 7–10 minute build (migrations still run, so a
new index lands on the kept database; the "index build" column is then 0).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app import migrations
from app.db import AppDbSession, create_engine
from app.search import service
from app.search.models import IndexedDocument, IndexedPassage, IndexedTopic
from app.search.schemas import SearchDocument

REPO = Path(__file__).resolve().parents[2]
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
BATCH = 2_000
TOPICS = [
    "feedback", "mentoring", "teamwork", "leadership", "negotiation", "public_speaking",
    "budgeting", "data_viz", "no_code", "remote_collab", "design_thinking", "prototyping",
    "customer_research", "storytelling", "facilitation", "coaching", "planning",
    "conflict_resolution", "ai_assistants", "short_video",
]  # fmt: skip
LEVELS = ["discover", "deepen", "exploit"]


def _words(listed: str) -> list[str]:
    return listed.split()


# The word model: a small vocabulary per language, written for this benchmark. None of the
# labelled queries' words below is in it, so only planted items contain them.
VOCABULARY: dict[str, dict[str, list[str]]] = {
    "en": {
        "noun": _words(
            "team idea project meeting goal client plan question answer habit skill week "
            "decision risk budget change role voice story step test result user process "
            "workshop manager colleague network tool value priority deadline problem method"
        ),
        "verb": _words(
            "shapes improves supports changes guides tests explains protects builds opens "
            "shares clarifies measures invites frames rewards challenges balances"
        ),
        "adj": _words(
            "clear small useful honest early shared simple open quiet bold careful short "
            "practical visible curious steady fresh"
        ),
        "det": _words("the a every each one our your this"),
        "link": _words("and but so while because when before after"),
    },
    "fr": {
        "noun": _words(
            "équipe idée projet réunion objectif client plan question réponse habitude "
            "compétence semaine décision risque budget changement rôle voix histoire étape "
            "essai résultat usager processus atelier responsable collègue réseau outil valeur "
            "priorité échéance problème méthode"
        ),
        "verb": _words(
            "façonne améliore soutient change guide teste explique protège construit ouvre "
            "partage clarifie mesure invite cadre récompense équilibre"
        ),
        "adj": _words(
            "clair petit utile honnête précoce partagé simple ouvert calme audacieux prudent "
            "court pratique visible curieux stable"
        ),
        "det": _words("le la chaque un une notre votre ce"),
        "link": _words("et mais donc pendant que car quand avant après"),
    },
    "es": {
        "noun": _words(
            "equipo idea proyecto reunión objetivo cliente plan pregunta respuesta hábito "
            "habilidad semana decisión riesgo presupuesto cambio papel voz historia paso "
            "prueba resultado usuario proceso taller responsable colega red herramienta valor "
            "prioridad plazo problema método"
        ),
        "verb": _words(
            "forma mejora apoya cambia guía prueba explica protege construye abre comparte "
            "aclara mide invita enmarca premia equilibra"
        ),
        "adj": _words(
            "claro pequeño útil honesto temprano compartido simple abierto tranquilo audaz "
            "prudente corto práctico visible curioso estable"
        ),
        "det": _words("el la cada un una nuestro vuestro este"),
        "link": _words("y pero así mientras porque cuando antes después"),
    },
}


class WordModel:
    """Sentences in a language: determiner, adjective?, noun, verb, determiner, noun, and
    sometimes a linked clause. Word frequencies follow Zipf's law, as in real text."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.weights = {
            language: {
                part: [1.0 / (rank + 1) for rank in range(len(words))]
                for part, words in parts.items()
            }
            for language, parts in VOCABULARY.items()
        }

    def _word(self, language: str, part: str) -> str:
        words = VOCABULARY[language][part]
        return self.rng.choices(words, self.weights[language][part])[0]

    def _clause(self, language: str) -> list[str]:
        words = [self._word(language, "det")]
        if self.rng.random() < 0.4:
            words.append(self._word(language, "adj"))
        words += [
            self._word(language, "noun"),
            self._word(language, "verb"),
            self._word(language, "det"),
            self._word(language, "noun"),
        ]
        return words

    def sentence(self, language: str) -> str:
        words = self._clause(language)
        if self.rng.random() < 0.3:
            words += [self._word(language, "link"), *self._clause(language)]
        return " ".join(words).capitalize() + "."

    def paragraph(self, language: str, sentences: int) -> str:
        return " ".join(self.sentence(language) for _ in range(sentences))

    def title(self, language: str) -> str:
        return " ".join(
            [
                self._word(language, "adj"),
                self._word(language, "noun"),
                self._word(language, "link"),
                self._word(language, "noun"),
            ]
        ).capitalize()


@dataclass
class Item:
    kind: str
    ref: uuid.UUID
    language: str
    title: str
    summary: str
    paragraphs: list[str]
    topics: list[str]
    level: str | None
    grade: dict[int, int] = field(default_factory=dict)  # labelled query index -> grade


@dataclass(frozen=True)
class Labelled:
    """A query, the reader's language, and the words that planted items are written with
    (each language's own spelling, accents included)."""

    query: str
    language: str
    words: tuple[str, ...]


# Twenty hand-written queries; every one of their words is absent from the word model.
LABELLED = [
    Labelled("kanban board", "en", ("kanban", "board")),
    Labelled("icebreaker", "en", ("icebreaker",)),
    Labelled("hackathon jury", "en", ("hackathon", "jury")),
    Labelled("storyboard", "en", ("storyboard",)),
    Labelled("offboarding interview", "en", ("offboarding", "interview")),
    Labelled("pitch rehearsal", "en", ("pitch", "rehearsal")),
    Labelled("sketchnotes", "en", ("sketchnotes",)),
    Labelled("retrospective timeline", "en", ("retrospective", "timeline")),
    Labelled("pomodoro", "en", ("pomodoro",)),
    Labelled("persona empathy", "en", ("persona", "empathy")),
    Labelled("retroplanning", "fr", ("rétroplanning",)),
    Labelled("cartographie acteurs", "fr", ("cartographie", "acteurs")),
    Labelled("tutorat", "fr", ("tutorat",)),
    Labelled("maquette ergonomie", "fr", ("maquette", "ergonomie")),
    Labelled("brise-glace", "fr", ("brise-glace",)),
    Labelled("tutoria", "es", ("tutoría",)),
    Labelled("lluvia ideas", "es", ("lluvia", "ideas")),
    Labelled("cronograma", "es", ("cronograma",)),
    Labelled("mapa empatia", "es", ("mapa", "empatía")),
    Labelled("guion grafico", "es", ("guion", "gráfico")),
]
# Per labelled query: how many items of each grade are planted.
PLANTED = {3: 1, 2: 2, 1: 3, 0: 8}


def _item(model: WordModel, rng: random.Random, language: str) -> Item:
    kind = "idea" if rng.random() < 0.2 else "lesson"
    return Item(
        kind=kind,
        ref=uuid.uuid4(),
        language=language,
        title=model.title(language),
        summary=model.sentence(language),
        paragraphs=[model.paragraph(language, rng.randint(2, 4)) for _ in range(rng.randint(2, 4))],
        topics=rng.sample(TOPICS, rng.randint(1, 3)),
        level=None if kind == "idea" else rng.choice(LEVELS),
    )


def _mention(rng: random.Random, paragraph: str, phrase: str) -> str:
    words = paragraph.split(" ")
    at = rng.randrange(len(words) + 1)
    return " ".join([*words[:at], phrase, *words[at:]])


def _plant(model: WordModel, rng: random.Random, index: int, query: Labelled, grade: int) -> Item:
    """An item graded `grade` for the labelled query: written in the query's language."""
    item = _item(model, rng, query.language)
    phrase = " ".join(query.words)
    if grade == 3:
        item.title = f"{phrase.capitalize()}: {item.title.lower()}"
        item.summary = _mention(rng, item.summary, phrase)
        item.paragraphs = [_mention(rng, p, phrase) for p in item.paragraphs]
    elif grade == 2:
        item.summary = _mention(rng, item.summary, phrase)
        item.paragraphs[0] = _mention(rng, item.paragraphs[0], phrase)
        item.paragraphs[-1] = _mention(rng, item.paragraphs[-1], phrase)
    elif grade == 1:
        item.paragraphs[0] = _mention(rng, item.paragraphs[0], phrase)
    else:  # a distractor: the words once, lost in a much longer text
        item.paragraphs += [model.paragraph(query.language, 6) for _ in range(6)]
        item.paragraphs[-1] = _mention(rng, item.paragraphs[-1], phrase)
    item.grade[index] = grade
    return item


def corpus(items: int, seed: int) -> list[Item]:
    rng = random.Random(seed)
    model = WordModel(rng)
    planted = [
        _plant(model, rng, index, query, grade)
        for index, query in enumerate(LABELLED)
        for grade, count in PLANTED.items()
        for _ in range(count)
    ]
    languages = rng.choices(["en", "fr", "es"], [0.5, 0.25, 0.25], k=max(0, items - len(planted)))
    generated = [_item(model, rng, language) for language in languages]
    everything = generated + planted
    rng.shuffle(everything)  # planted items anywhere in table order, as LIKE will list them
    return everything


def _rows(items: list[Item]) -> Iterator[tuple[list[dict[str, Any]], ...]]:
    for start in range(0, len(items), BATCH):
        documents, topics, passages = [], [], []
        for offset, item in enumerate(items[start : start + BATCH]):
            number = start + offset + 1
            documents.append(
                {
                    "id": number,
                    "kind": item.kind,
                    "ref": item.ref,
                    "language": item.language,
                    "title": item.title,
                    "summary": item.summary,
                    "body": "\n\n".join(item.paragraphs),
                    "level": item.level,
                    "url": f"/library/{item.kind}s/{item.ref}",
                }
            )
            topics += [{"document_id": number, "topic": t} for t in item.topics]
            passages += [
                {"document_id": number, "position": p, "language": item.language, "text": t}
                # As the service numbers them: the summary 0, the body's paragraphs from 1.
                for p, t in enumerate([item.summary, *item.paragraphs])
            ]
        yield documents, topics, passages


# The latency mix: what people type, in two classes. Specific queries: a word or two that a
# minority of items contain (with this word model, even a "specific" word is in 2-10 % of the
# items), prefixes being typed, accents left out, filters, the next page. Very common words: in
# 25-60 % of the items, near stop words of this corpus (its vocabulary is small, so its
# frequent words are in most texts); reported apart, they are the worst case.
SPECIFIC_MIX: list[tuple[str, str, dict[str, Any]]] = [
    ("budget risk", "en", {}),
    ("worksh", "en", {}),
    ("colleague network", "en", {"topics": ["mentoring"]}),
    ("priority deadline", "en", {}),
    ("careful manager", "en", {"kinds": ["lesson"]}),
    ("fresh voice", "en", {"page": 2}),
    ("steady", "en", {"kinds": ["idea"]}),
    ("kanban", "en", {}),
    ("echeance", "fr", {"languages": ["fr"]}),
    ("equilibre", "fr", {}),
    ("cartographie", "fr", {}),
    ("presupuesto", "es", {}),
    ("herram", "es", {}),
    ("audaz", "es", {"levels": ["deepen"]}),
    ("tutoria", "es", {}),
]
COMMON_MIX: list[tuple[str, str, dict[str, Any]]] = [
    ("team", "en", {}),
    ("plan", "en", {}),
    ("decision", "en", {"kinds": ["lesson"]}),
    ("equipe", "fr", {}),
    ("reunion equipo", "es", {}),
]
ASK_MIX: list[tuple[str, str]] = [
    ("How do I run a kanban board with a new team?", "en"),
    ("What makes a good icebreaker for a workshop?", "en"),
    ("Comment préparer un rétroplanning de projet ?", "fr"),
    ("¿Cómo organizar una lluvia de ideas con el equipo?", "es"),
    ("How should a manager handle the budget risk?", "en"),
    ("Quelle méthode pour une réunion utile ?", "fr"),
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def ndcg_at_10(ranked: list[int], grades: dict[int, int]) -> float:
    def dcg(gains: list[int]) -> float:
        return sum((2**g - 1) / math.log2(place + 2) for place, g in enumerate(gains[:10]))

    ideal = dcg(sorted(grades.values(), reverse=True))
    return dcg([grades.get(i, 0) for i in ranked]) / ideal if ideal else 0.0


@dataclass
class Report:
    backend: str
    documents: int = 0
    passages: int = 0
    build_s: float = 0.0
    publish_ms: float = 0.0
    search: list[tuple[float, float]] = field(default_factory=list)  # (p50, p95) per run
    common: list[tuple[float, float]] = field(default_factory=list)
    ask: list[tuple[float, float]] = field(default_factory=list)
    related: list[tuple[float, float]] = field(default_factory=list)
    # CPU per search of the specific mix, which the load of the machine inflates far less than
    # the wall time: this process's (Python, and the whole of SQLite) as (p50, p95) per run,
    # and on PostgreSQL the server process's, a mean per search per run (the kernel counts it
    # in ticks of 10 ms, too coarse for one statement).
    search_cpu: list[tuple[float, float]] = field(default_factory=list)
    search_server_cpu: list[float] = field(default_factory=list)
    like_ms: float = 0.0
    ndcg_fts: float = 0.0
    ndcg_like: float = 0.0
    ask_first_relevant: float = 0.0


async def _timed(
    calls: list[Callable[[], Awaitable[Any]]], repeats: int, cpu: list[float] | None = None
) -> tuple[float, float]:
    """Wall p50 and p95 in ms; each call's CPU time of this process appended to `cpu`."""
    samples = []
    for _ in range(repeats):
        for call in calls:
            started, started_cpu = time.perf_counter(), time.process_time()
            await call()
            samples.append((time.perf_counter() - started) * 1000)
            if cpu is not None:
                cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(samples), percentile(samples, 0.95)


async def _server_cpu_ms(db: AppDbSession) -> Callable[[], float | None]:
    """The CPU time so far of the PostgreSQL process serving `db`, if it runs on this machine
    (read from /proc); None otherwise."""
    pid = await db.scalar(text("SELECT pg_backend_pid()"))
    stat = Path(f"/proc/{pid}/stat")
    ticks = os.sysconf("SC_CLK_TCK")

    def read() -> float | None:
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        return (int(fields[11]) + int(fields[12])) * 1000 / ticks  # utime + stime

    return read


async def _build(engine: AsyncEngine, items: list[Item]) -> float:
    started = time.perf_counter()
    async with engine.begin() as connection:
        for documents, topics, passages in _rows(items):
            await connection.execute(insert(IndexedDocument.__table__), documents)
            await connection.execute(insert(IndexedTopic.__table__), topics)
            await connection.execute(insert(IndexedPassage.__table__), passages)
    await _analyse(engine)
    async with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            # Rows were given their ids: the sequences continue after them.
            for table in ("search_documents", "search_passages"):
                await connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) "
                        f"FROM {table}"
                    )
                )
        await connection.commit()
    return time.perf_counter() - started


async def _analyse(engine: AsyncEngine) -> None:
    """Statistics for the planner and, on PostgreSQL, a VACUUM, as autovacuum does on a live
    database after this many inserts: without it no page is marked all-visible, and every
    index-only scan (the topics of the matches, for the facets) reads the table too."""
    async with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text("VACUUM (ANALYZE)"))
        else:
            await connection.execute(text("ANALYZE"))
            await connection.commit()


async def _like(db: AppDbSession, words: list[str], postgres: bool) -> list[int]:
    operator = "ILIKE" if postgres else "LIKE"  # SQLite's LIKE ignores ASCII case already
    clauses = " AND ".join(
        f"(title {operator} :w{n} OR summary {operator} :w{n} OR body {operator} :w{n})"
        for n in range(len(words))
    )
    rows = await db.execute(
        text(f"SELECT id FROM search_documents WHERE {clauses} ORDER BY id LIMIT 10"),
        {f"w{n}": f"%{w}%" for n, w in enumerate(words)},
    )
    return list(rows.scalars())


async def _quality(
    sessions: async_sessionmaker[AppDbSession], items: list[Item], report: Report, postgres: bool
) -> None:
    ids_of = {item.ref: number for number, item in enumerate(items, start=1)}
    fts, like, like_ms, first_relevant = [], [], [], 0
    for index, labelled in enumerate(LABELLED):
        grades = {ids_of[i.ref]: i.grade[index] for i in items if index in i.grade}
        async with sessions() as db:
            results = await service.search(db, labelled.query, reader_language=labelled.language)
            found = [ids_of[hit.ref] for hit in results.hits]
            started = time.perf_counter()
            listed = await _like(db, labelled.query.replace("-", " ").split(), postgres)
            like_ms.append((time.perf_counter() - started) * 1000)
            answer = await service.ask(db, labelled.query, language=labelled.language)
        fts.append(ndcg_at_10(found, grades))
        like.append(ndcg_at_10(listed, grades))
        if answer.passages and grades.get(ids_of[answer.passages[0].ref], 0) >= 2:
            first_relevant += 1
    report.ndcg_fts = statistics.mean(fts)
    report.ndcg_like = statistics.mean(like)
    report.like_ms = statistics.median(like_ms)
    report.ask_first_relevant = first_relevant / len(LABELLED)


async def _built(engine: AsyncEngine, items: list[Item]) -> bool:
    """Whether a kept database already holds the whole corpus (a build finished)."""
    async with engine.connect() as connection:
        found = await connection.scalar(text("SELECT count(*) FROM search_documents"))
    return found == len(items)


async def bench_backend(
    url: str, backend: str, items: list[Item], args: argparse.Namespace
) -> Report:
    await asyncio.to_thread(migrations.upgrade, "app", url)
    engine = create_engine(url)
    sessions = async_sessionmaker(engine, class_=AppDbSession, expire_on_commit=False)
    report = Report(backend)
    postgres = backend == "postgresql"
    try:
        if args.reuse and await _built(engine, items):
            print(f"{backend}: reusing the built index", file=sys.stderr)
            async with engine.connect() as connection:
                # The same seed gives the same text; the refs were random: take the kept ones
                # (item n is document n).
                rows = await connection.execute(text("SELECT id, ref FROM search_documents"))
                for id_, ref in rows:
                    items[id_ - 1].ref = uuid.UUID(str(ref))
            await _analyse(engine)
        else:
            print(f"{backend}: indexing {len(items):,} items", file=sys.stderr)
            report.build_s = await _build(engine, items)
        async with sessions() as db:
            report.documents = await db.scalar(text("SELECT count(*) FROM search_documents")) or 0
            report.passages = await db.scalar(text("SELECT count(*) FROM search_passages")) or 0

        rng = random.Random(args.seed + 1)
        publish = []
        for _ in range(args.repeats * 10):
            doc = SearchDocument(
                kind="lesson",
                ref=uuid.uuid4(),
                language="en",
                title="A *new* lesson on kanban boards",
                summary="What a **board** shows, and what it hides.",
                body="\n\n".join(WordModel(rng).paragraph("en", 3) for _ in range(4)),
                topics=["planning"],
                level="discover",
                url="/library/lessons/new",
            )
            async with sessions.begin() as db:
                started = time.perf_counter()
                await service.index_document(db, doc)
                publish.append((time.perf_counter() - started) * 1000)
            async with sessions.begin() as db:
                await service.remove_document(db, doc.kind, doc.ref)
        report.publish_ms = statistics.median(publish)

        sample_refs = [(item.kind, item.ref) for item in rng.sample(items, 20)]
        print(f"{backend}: timing queries", file=sys.stderr)
        async with sessions() as db:
            searches, commons = (
                [
                    (
                        lambda q=q, lang=lang, kw=kw: service.search(
                            db, q, reader_language=lang, **kw
                        )
                    )
                    for q, lang, kw in mix
                ]
                for mix in (SPECIFIC_MIX, COMMON_MIX)
            )
            asks = [
                (lambda q=q, lang=lang: service.ask(db, q, language=lang)) for q, lang in ASK_MIX
            ]
            relateds = [(lambda k=k, r=r: service.related(db, k, r, 5)) for k, r in sample_refs]
            await _timed(searches + commons + asks + relateds, 1)  # warm the caches
            server_cpu = await _server_cpu_ms(db) if postgres else None
            for _ in range(args.runs):
                cpu: list[float] = []
                before = server_cpu() if server_cpu else None
                report.search.append(await _timed(searches, args.repeats, cpu))
                after = server_cpu() if server_cpu else None
                report.search_cpu.append((statistics.median(cpu), percentile(cpu, 0.95)))
                if before is not None and after is not None:
                    report.search_server_cpu.append((after - before) / len(cpu))
                report.common.append(await _timed(commons, args.repeats))
                report.ask.append(await _timed(asks, args.repeats))
                report.related.append(await _timed(relateds, args.repeats))
        print(f"{backend}: ranking quality", file=sys.stderr)
        await _quality(sessions, items, report, postgres)
    finally:
        await engine.dispose()
    return report


async def run_postgres(items: list[Item], args: argparse.Namespace) -> Report:
    server = make_url(POSTGRES_URL)
    if args.reuse:
        name = f"bench_search_{args.items}_{args.seed}"
    else:
        name = f"bench_search_{uuid.uuid4().hex[:10]}"
    admin_dsn = server.set(drivername="postgresql").render_as_string(hide_password=False)
    admin = await asyncpg.connect(admin_dsn)
    exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
    if not exists:
        await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = server.set(database=name).render_as_string(hide_password=False)
        return await bench_backend(url, "postgresql", items, args)
    finally:
        if not args.reuse:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def run_sqlite(items: list[Item], args: argparse.Namespace) -> Report:
    if args.reuse:
        kept = REPO / "var" / "bench"
        kept.mkdir(parents=True, exist_ok=True)
        path = kept / f"search-{args.items}-{args.seed}.db"
        return await bench_backend(f"sqlite+aiosqlite:///{path}", "sqlite", items, args)
    with tempfile.TemporaryDirectory() as folder:
        return await bench_backend(f"sqlite+aiosqlite:///{folder}/search.db", "sqlite", items, args)


def _median_pair(pairs: list[tuple[float, float]]) -> str:
    return (
        f"{statistics.median(p[0] for p in pairs):.1f} / "
        f"{statistics.median(p[1] for p in pairs):.1f}"
    )


def describe_machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"CPU: {cpu}, {os.cpu_count()} logical cores; Python {platform.python_version()}; "
        f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


def print_table(reports: list[Report], items: int) -> None:
    print(f"Corpus: {items:,} items (en 50 %, fr 25 %, es 25 %; {len(LABELLED)} labelled queries)")
    print()
    print(
        "| database | documents | passages | index build (s) | publish one (ms) "
        "| search p50 / p95 (ms) | very common words p50 / p95 (ms) | ask p50 / p95 (ms) "
        "| related p50 / p95 (ms) "
        "| LIKE p50 (ms) | nDCG@10 full text | nDCG@10 LIKE | ask: 1st passage relevant "
        "| search CPU here p50 / p95 (ms) | search CPU server (ms) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in reports:
        server_cpu = f"{statistics.median(r.search_server_cpu):.1f}" if r.search_server_cpu else "-"
        print(
            f"| {r.backend} | {r.documents:,} | {r.passages:,} | {r.build_s:.1f} "
            f"| {r.publish_ms:.1f} | {_median_pair(r.search)} | {_median_pair(r.common)} "
            f"| {_median_pair(r.ask)} "
            f"| {_median_pair(r.related)} "
            f"| {r.like_ms:.1f} | {r.ndcg_fts:.3f} "
            f"| {r.ndcg_like:.3f} | {r.ask_first_relevant:.0%} "
            f"| {_median_pair(r.search_cpu)} | {server_cpu} |"
        )
    print()
    print(describe_machine())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--size", choices=["tiny", "full"], default="full")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the built databases and reuse them"
    )
    args = parser.parse_args()
    if args.size == "tiny":  # the smoke test's world: every step, a few hundred items
        args.items, args.runs, args.repeats = 400, 1, 1
    items = corpus(args.items, args.seed)
    reports = []
    for backend in args.backends.split(","):
        runner = run_postgres if backend == "postgres" else run_sqlite
        reports.append(asyncio.run(runner(items, args)))
    print_table(reports, len(items))


if __name__ == "__main__":
    main()
