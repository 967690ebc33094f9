"""A key file changed under a running worker: reloaded when it should be, refused when unsafe."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from app.vault.keys import (
    KeyFileProvider,
    KeyMaterialError,
    add_kek_version,
    new_key_document,
    retire_kek_version,
    write_key_file,
)

CONTEXT = b"data_keys|wrapped_key|someone|1"


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "keys.json"
    write_key_file(path, new_key_document())
    return path


def test_a_new_kek_is_picked_up_for_wrapping_and_unwrapping(
    key_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    worker, other = KeyFileProvider(key_file), KeyFileProvider(key_file)
    with caplog.at_level(logging.INFO, logger="app.vault"):
        add_kek_version(key_file)
        version, wrapped = other.wrap(b"k" * 32, context=CONTEXT)
        assert version == 2
        assert worker.unwrap(wrapped, kek_version=2, context=CONTEXT) == b"k" * 32
        assert worker.unwrap(wrapped, kek_version=2, context=CONTEXT) == b"k" * 32
    reloads = [r.getMessage() for r in caplog.records if "reloaded" in r.getMessage()]
    assert reloads == ["key document reloaded: versions 1, 2 (current 2)"] * 2  # once each
    for secret in json.loads(key_file.read_text())["keks"].values():
        assert secret not in caplog.text


def test_an_unknown_version_still_fails_when_the_file_does_not_hold_it(key_file: Path) -> None:
    with pytest.raises(KeyMaterialError, match="KEK version 5 is not available"):
        KeyFileProvider(key_file).unwrap(b"x" * 40, kek_version=5, context=CONTEXT)


def test_a_file_readable_by_others_or_with_another_root_secret_is_refused(
    key_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    worker = KeyFileProvider(key_file)
    add_kek_version(key_file)
    os.chmod(key_file, 0o644)
    assert worker.refresh() is False
    assert worker.current_kek_version() == 1
    assert "was not loaded" in caplog.text
    os.chmod(key_file, 0o600)  # fixed: taken at the next look
    assert worker.current_kek_version() == 2

    write_key_file(key_file, new_key_document(kek_version=3))
    assert worker.refresh() is False
    assert worker.current_kek_version() == 2
    assert "another root secret" in caplog.text


def test_retire_removes_one_old_version_never_the_current(key_file: Path) -> None:
    add_kek_version(key_file)
    with pytest.raises(KeyMaterialError, match="current"):
        retire_kek_version(key_file, 2)
    with pytest.raises(KeyMaterialError, match="no KEK version 7"):
        retire_kek_version(key_file, 7)
    retire_kek_version(key_file, 1)
    document = json.loads(key_file.read_text())
    assert sorted(document["keks"]) == ["2"]
    assert document["current_kek"] == 2
