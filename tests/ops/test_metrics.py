"""GET /metrics: Prometheus text for operators with the token, nothing for anyone else."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from prometheus_client import CONTENT_TYPE_PLAIN_0_0_4

from app.main import create_app
from tests.conftest import DatabaseUrls, client_for, make_settings
from tests.scraped import sample

TOKEN = "metrics-test-token-0123456789"


@pytest.fixture
async def monitored(
    test_databases: DatabaseUrls, key_document: dict[str, object]
) -> AsyncIterator[FastAPI]:
    application = create_app(make_settings(test_databases, key_document, metrics_token=TOKEN))
    async with application.router.lifespan_context(application):
        yield application


async def test_requests_are_counted_by_route_template(monitored: FastAPI) -> None:
    team = "00000000-0000-4000-8000-000000000001"
    async with client_for(monitored) as client:
        await client.get("/api/v1/health")
        await client.get(f"/api/v1/teams/{team}/messages")  # 401: counted, without its id
        await client.post("/api/v1/reviews/comment-check", json={})
        response = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    text = response.text
    assert response.headers["content-type"] == CONTENT_TYPE_PLAIN_0_0_4
    assert sample(text, "http_requests_total", method="GET", route="/health", status="2xx") == 1
    messages = "/teams/{team_id}/messages"
    assert sample(text, "http_requests_total", method="GET", route=messages, status="4xx") == 1
    assert team not in text
    health = {"method": "GET", "route": "/health"}
    assert sample(text, "http_request_duration_seconds_bucket", **health, le="+Inf") == 1
    assert (sample(text, "process_resident_memory_bytes") or 0) > 0
    # The anonymous review routes are neither counted nor timed per request: a counter that
    # moves with each review, scraped next to the issuance counter, would date it.
    assert 'route="/reviews/comment-check"' not in text
    assert sample(text, "reviews_committed_total") == 0
    assert "_created" not in text


async def test_metrics_need_the_token(monitored: FastAPI, app: FastAPI) -> None:
    async with client_for(monitored) as client:
        assert (await client.get("/metrics")).status_code == 404
        wrong = await client.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 404
    async with client_for(app) as client:  # no token configured: the endpoint does not exist
        unset = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert unset.status_code == 404


async def test_answers_from_the_response_cache_are_counted_like_the_others(
    monitored: FastAPI,
) -> None:
    async with client_for(monitored) as client:
        await client.sign_up()
        for _ in range(3):  # learn the route, fill the cache, answer from it
            assert (await client.get("/api/v1/challenges")).status_code == 200
        text = (await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})).text
    challenges = {"method": "GET", "route": "/challenges"}
    assert sample(text, "http_requests_total", **challenges, status="2xx") == 3
    assert sample(text, "http_request_duration_seconds_count", **challenges) == 3
    assert sample(text, "response_cache_requests_total", result="hit") == 1
    assert sample(text, "response_cache_requests_total", result="miss") == 1
