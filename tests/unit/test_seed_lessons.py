"""The seed lessons are complete, consistent across languages and well formed for the library."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from app.demo.lessons import COLLECTIONS, LESSONS, SeedLesson

LANGUAGES = {"en", "fr", "es"}
GROUPS = {lesson.group for lesson in LESSONS}


def _words(text: str) -> int:
    return sum(1 for token in text.split() if re.search(r"\w", token))


def _sentences(text: str) -> int:
    return len(re.findall(r"[.?!](?:\s|$)", text))


def _lesson_id(lesson: SeedLesson) -> str:
    return f"{lesson.group}-{lesson.language}"


each_lesson = pytest.mark.parametrize("lesson", LESSONS, ids=_lesson_id)


def test_there_are_enough_lessons_across_levels_and_languages() -> None:
    assert len(LESSONS) >= 12
    assert {lesson.level for lesson in LESSONS} == {"discover", "deepen", "exploit"}
    assert {lesson.language for lesson in LESSONS} == LANGUAGES


def test_no_two_lessons_share_a_group_and_a_language() -> None:
    counts = Counter((lesson.group, lesson.language) for lesson in LESSONS)
    assert [key for key, count in counts.items() if count > 1] == []


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_every_group_is_translated_with_the_same_level_topics_and_quiz(group: str) -> None:
    versions = {lesson.language: lesson for lesson in LESSONS if lesson.group == group}
    assert set(versions) == LANGUAGES
    english = versions["en"]

    def shape(lesson: SeedLesson) -> object:
        # A translation may word a question differently, never change which answers are right.
        return [(q.kind, [c.correct for c in q.choices]) for q in lesson.questions]

    for lesson in versions.values():
        assert (lesson.level, lesson.topics, lesson.pass_mark) == (
            english.level,
            english.topics,
            english.pass_mark,
        )
        assert shape(lesson) == shape(english)


@each_lesson
def test_quiz_is_well_formed(lesson: SeedLesson) -> None:
    assert 3 <= len(lesson.questions) <= 5
    assert any(q.kind == "multiple" for q in lesson.questions)
    assert 1 <= lesson.pass_mark <= 100
    for question in lesson.questions:
        right = sum(choice.correct for choice in question.choices)
        if question.kind == "single":
            assert right == 1, question.prompt
        else:
            # With every choice correct, ticking everything would pass without thinking.
            assert 1 <= right < len(question.choices), question.prompt
        assert len({choice.text for choice in question.choices}) == len(question.choices)
        assert question.explanation.strip()


@each_lesson
def test_topics_are_skill_slugs(lesson: SeedLesson) -> None:
    assert lesson.topics
    for topic in lesson.topics:
        assert re.fullmatch(r"[a-z0-9_]+", topic), topic


@each_lesson
def test_texts_have_the_promised_size_and_shape(lesson: SeedLesson) -> None:
    assert 250 <= _words(lesson.body) <= 500
    assert 120 <= _words(lesson.case_study) <= 250
    assert re.search(r"^## ", lesson.body, re.MULTILINE)
    assert re.search(r"^(- |1\. )", lesson.body, re.MULTILINE)
    assert lesson.title.strip()
    assert 1 <= _sentences(lesson.summary) <= 2
    assert 1 <= _sentences(lesson.task) <= 3


def _french_texts(lesson: SeedLesson) -> list[str]:
    texts = [lesson.title, lesson.summary, lesson.body, lesson.task, lesson.case_study]
    for question in lesson.questions:
        texts += [question.prompt, question.explanation]
        texts += [choice.text for choice in question.choices]
    return texts


@pytest.mark.parametrize("lesson", [x for x in LESSONS if x.language == "fr"], ids=_lesson_id)
def test_french_punctuation_is_held_by_no_break_spaces(lesson: SeedLesson) -> None:
    for text in _french_texts(lesson):
        assert not re.search(r" [;:?!»%]|« ", text), text
        assert not re.search(r"\w[;?!»]|«\w", text), text


def test_collections_reference_existing_groups_in_every_language() -> None:
    assert len({collection.key for collection in COLLECTIONS}) == len(COLLECTIONS)
    for collection in COLLECTIONS:
        assert collection.lessons
        assert set(collection.lessons) <= GROUPS
        assert set(collection.title) == set(collection.description) == LANGUAGES


def test_mentor_training_is_three_lessons_with_a_demanding_pass_mark() -> None:
    (training,) = [c for c in COLLECTIONS if c.key == "mentor-training"]
    assert len(training.lessons) == 3
    for lesson in LESSONS:
        if lesson.group in training.lessons:
            assert lesson.pass_mark >= 80
