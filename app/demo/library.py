"""The demo's learning library: the seed lessons and collections (`app/demo/lessons.py`)
written and published by the demo facilitator through the real API, in-process, as the
challenges are (`activity.py`)."""

from __future__ import annotations

from typing import Any

from app.config import Settings
from app.demo.activity import DemoBrowser, _running_app
from app.demo.lessons import COLLECTIONS, LESSONS, SeedLesson

LIBRARY = "/api/v1/library"


def _lesson_body(seed: SeedLesson) -> dict[str, Any]:
    return {
        "language": seed.language,
        "title": seed.title,
        "summary": seed.summary,
        "body": seed.body,
        "task": seed.task,
        "case_study": seed.case_study,
        "level": seed.level,
        "topics": list(seed.topics),
        "pass_mark": seed.pass_mark,
        "quiz": [
            {
                "kind": question.kind,
                "prompt": question.prompt,
                "choices": [
                    {"text": choice.text, "correct": choice.correct} for choice in question.choices
                ],
                "explanation": question.explanation,
            }
            for question in seed.questions
        ],
    }


async def publish_seed_library(editor: DemoBrowser) -> bool:
    """Write and publish every seed lesson (translations linked) and collection, unless the
    library has lessons already; True if it was filled."""
    if (await editor.call("GET", f"{LIBRARY}/lessons?limit=1"))["items"]:
        return False
    first_of_group: dict[str, str] = {}
    translation_group: dict[str, str] = {}
    for seed in LESSONS:
        body = _lesson_body(seed)
        if seed.group in first_of_group:
            body["translation_of"] = first_of_group[seed.group]
        created = await editor.call("POST", f"{LIBRARY}/lessons", body)
        first_of_group.setdefault(seed.group, created["id"])
        translation_group[seed.group] = created["translation_group"]
        await editor.call("PUT", f"{LIBRARY}/lessons/{created['id']}/publication", {"version": 1})
    for collection in COLLECTIONS:
        # A collection has one title: the English one (readers get each lesson in theirs).
        await editor.call(
            "POST",
            f"{LIBRARY}/collections",
            {
                "title": collection.title["en"],
                "description": collection.description["en"],
                "lessons": [translation_group[group] for group in collection.lessons],
            },
        )
    return True


async def seed_library(settings: Settings, facilitator: str, password: str) -> bool:
    """Fill the demo's library as `facilitator`; True if it was empty and is now filled."""
    async with _running_app(settings) as app:
        editor = DemoBrowser(app)
        await editor.sign_in(facilitator, password)
        return await publish_seed_library(editor)
