"""The development outbox: without a mail server, each message is an .eml file under
var/outbox (RFC 5322, readable by any mail client), and administrators list them."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import AsyncIterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from app.kit.mail import DevOutbox, Message
from app.mail.service import OUTBOX_PAGE_SIZE
from app.main import create_app
from tests.conftest import Client, DatabaseUrls, client_for, make_settings

SENDER = "Challenges <no-reply@example.org>"


async def test_each_message_is_an_eml_file_read_back_newest_first(tmp_path: Path) -> None:
    outbox = DevOutbox(tmp_path / "outbox", SENDER)
    await outbox.send(Message(to="ada@example.org", subject="First", text="One.\n", kind="a_kind"))
    await outbox.send(Message(to="bo@example.org", subject="Ünïcode", text="Deux.\n", kind="b"))
    [newest, oldest] = outbox.files()
    assert stat.S_IMODE(newest.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "outbox").stat().st_mode) == 0o700
    email = message_from_bytes(oldest.read_bytes(), policy=policy.default)
    assert email["To"] == "ada@example.org"
    assert email["From"] == SENDER
    assert email["Message-ID"]
    assert email["Date"]
    listed = outbox.messages()
    assert [(m.message.subject, m.message.kind) for m in listed] == [
        ("Ünïcode", "b"),
        ("First", "a_kind"),
    ]
    assert listed[0].message.text == "Deux.\n"
    assert [m.message.to for m in outbox.messages(to="ADA@example.org")] == ["ada@example.org"]
    outbox.clear()
    assert outbox.messages() == []


async def test_a_page_parses_only_the_newest_messages_it_shows(tmp_path: Path) -> None:
    outbox = DevOutbox(tmp_path / "outbox", SENDER)
    for n in range(5):
        await outbox.send(Message(to=f"p{n}@example.org", subject=f"N{n}", text=".\n", kind="k"))
    opened: list[Path] = []
    read = outbox.read
    outbox.read = lambda path: opened.append(path) or read(path)  # type: ignore[method-assign]
    page = outbox.messages(limit=2)
    assert [m.message.subject for m in page] == ["N4", "N3"]
    assert len(opened) == 2  # the other files stay unread


async def test_a_message_is_parsed_once_however_often_the_outbox_is_listed(
    tmp_path: Path,
) -> None:
    """The browser tests poll the outbox for their links: each poll parsed every file again,
    hundreds by the end of a run, and kept the server from answering anything else."""
    outbox = DevOutbox(tmp_path / "outbox", SENDER)
    for n in range(3):
        await outbox.send(Message(to=f"p{n}@example.org", subject=f"N{n}", text=".\n", kind="k"))
    opened: list[Path] = []
    read = outbox.read
    outbox.read = lambda path: opened.append(path) or read(path)  # type: ignore[method-assign]
    assert [m.message.subject for m in outbox.messages()] == ["N2", "N1", "N0"]
    await outbox.send(Message(to="p3@example.org", subject="N3", text=".\n", kind="k"))
    assert [m.message.subject for m in outbox.messages()] == ["N3", "N2", "N1", "N0"]
    assert [m.message.to for m in outbox.messages(to="p1@example.org")] == ["p1@example.org"]
    assert len(opened) == 4  # each file once: the second and third listings parsed only N3
    outbox.clear()
    assert outbox.messages() == []


async def test_a_listing_while_a_message_is_written_never_hides_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A browser test polled the outbox for its link while the server was writing the
    message: the poll read the file still empty, kept that as the file's message, and the
    link never arrived (CI, 2026-12-07: no sign_up_confirmation message arrived)."""
    outbox = DevOutbox(tmp_path / "outbox", SENDER)
    listed_midway: list[list[str]] = []
    open_file = os.fdopen

    def open_then_list(descriptor: int, mode: str) -> Any:
        file = open_file(descriptor, mode)
        # The file exists, nothing written yet: a poll arrives.
        listed_midway.append([m.message.to for m in outbox.messages()])
        return file

    monkeypatch.setattr(os, "fdopen", open_then_list)
    await outbox.send(Message(to="ada@example.org", subject="Link", text="Go.\n", kind="k"))
    monkeypatch.undo()
    assert listed_midway == [[]]
    [delivered] = outbox.messages(to="ada@example.org")
    assert (delivered.message.subject, delivered.message.text) == ("Link", "Go.\n")
    assert [path.name.endswith(".eml") for path in (tmp_path / "outbox").iterdir()] == [True]
    # A crash mid-write leaves a half-written file: clearing the outbox takes it too.
    (tmp_path / "outbox" / "20261207T120000000000Z-k-00000000.eml.partial").write_bytes(b"To: ")
    outbox.clear()
    assert list((tmp_path / "outbox").iterdir()) == []


async def test_the_development_mailbox_is_read_off_the_event_loop(
    outbox_app: FastAPI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parsing files on the event loop held every other request of the worker waiting."""
    threads: list[str] = []
    listing = DevOutbox.messages

    def watched(self: DevOutbox, to: str | None = None, limit: int | None = None) -> object:
        threads.append(threading.current_thread().name)
        return listing(self, to, limit)

    monkeypatch.setattr(DevOutbox, "messages", watched)
    async with client_for(outbox_app) as person:
        await person.sign_up(email="uma@example.org", display_name="Uma Newcomer")
        response = await person.get("/api/v1/dev/mailbox")
    assert response.status_code == 200, response.text
    assert [m["to"] for m in response.json()["messages"]] == ["uma@example.org"]
    assert threads
    assert threading.main_thread().name not in threads


async def test_the_admin_page_lists_the_newest_fifty(
    outbox_app: FastAPI, admin_client: Client, tmp_path: Path
) -> None:
    outbox = DevOutbox(tmp_path / "outbox", SENDER)
    for n in range(OUTBOX_PAGE_SIZE + 5):
        await outbox.send(Message(to="many@example.org", subject=f"N{n}", text=".\n", kind="k"))
    async with as_viewer(outbox_app, admin_client) as admin:
        listed = await admin.get("/api/v1/mail/outbox")
    subjects = [m["subject"] for m in listed.json()["messages"]]
    assert len(subjects) == OUTBOX_PAGE_SIZE == 50
    assert subjects[0] == f"N{OUTBOX_PAGE_SIZE + 4}"


@pytest.fixture
async def outbox_app(
    app: FastAPI, test_databases: DatabaseUrls, key_document: dict[str, object], tmp_path: Path
) -> AsyncIterator[FastAPI]:
    """Another worker on the same databases (`app` empties them after the test), writing its
    messages to a folder."""
    other = create_app(
        make_settings(test_databases, key_document, mail_outbox_dir=tmp_path / "outbox")
    )
    async with other.router.lifespan_context(other):
        yield other


def as_viewer(app: FastAPI, viewer: Client) -> Client:
    """A client of `app` signed in as `viewer` is (the same databases)."""
    other = client_for(app)
    other.cookies = viewer.cookies
    other.headers.update(viewer.headers)
    return other


async def test_a_sign_up_link_lands_in_the_outbox_folder_and_on_the_admin_page(
    outbox_app: FastAPI, admin_client: Client, tmp_path: Path
) -> None:
    async with client_for(outbox_app) as person:
        # The link is read back from the folder: the whole sign-up goes through it.
        await person.sign_up(email="ivy@example.org", display_name="Ivy Newcomer")
    [file] = (tmp_path / "outbox").glob("*-sign_up_confirmation-*.eml")
    email = message_from_bytes(file.read_bytes(), policy=policy.default)
    assert email["To"] == "ivy@example.org"
    async with as_viewer(outbox_app, admin_client) as admin:
        listed = await admin.get("/api/v1/mail/outbox")
    assert listed.status_code == 200, listed.text
    [message] = listed.json()["messages"]
    assert (message["to"], message["kind"]) == ("ivy@example.org", "sign_up_confirmation")
    assert "/sign-up/confirm#code=" in message["text"]


async def test_the_outbox_page_is_for_administrators_and_off_with_a_mail_server(
    app: FastAPI,
    admin_client: Client,
    test_databases: DatabaseUrls,
    key_document: dict[str, object],
) -> None:
    async with client_for(app) as person:
        await person.sign_up(email="pat@example.org", display_name="Pat Example")
        assert (await person.get("/api/v1/mail/outbox")).status_code == 403
    listed = await admin_client.get("/api/v1/mail/outbox")
    assert listed.status_code == 200, listed.text
    kinds = [(m["to"], m["kind"]) for m in listed.json()["messages"]]
    assert ("pat@example.org", "sign_up_confirmation") in kinds

    with_smtp = create_app(
        make_settings(test_databases, key_document, smtp_url="smtp+insecure://127.0.0.1:2525")
    )
    async with (
        with_smtp.router.lifespan_context(with_smtp),
        as_viewer(with_smtp, admin_client) as admin,
    ):
        response = await admin.get("/api/v1/mail/outbox")
    assert response.status_code == 404
    assert response.json()["code"] == "outbox_off"


def test_an_empty_outbox_setting_keeps_messages_in_memory() -> None:
    from app.config import Settings

    assert Settings(_env_file=None, mail_outbox_dir="").mail_outbox_dir is None
