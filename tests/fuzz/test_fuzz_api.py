"""Schemathesis over the whole OpenAPI schema, as every role, stateless and stateful.

Checks on every response: no 5xx, status code, content type, headers and body as the schema
declares them, invalid input refused, and no stack trace in the body. See docs/security.md for
the budget variables and a longer campaign.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.fuzz.harness import (
    EXAMPLES,
    RANDOM,
    REDEEM,
    ROLES,
    STATEFUL_SCENARIOS,
    STATEFUL_STEPS,
    FuzzSession,
    fuzz_session,
    openapi_document,
    stack_trace_in,
)

pytestmark = pytest.mark.slow

SCHEMA = schemathesis.openapi.from_dict(openapi_document())
OPERATIONS = {
    result.ok().label: result.ok()
    for result in SCHEMA.get_all_operations()
    if isinstance(result, Ok)
}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


def budget(examples: int) -> settings:
    return settings(
        max_examples=examples,
        derandomize=not RANDOM,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
        print_blob=RANDOM,
    )


@pytest.fixture(scope="module")
def fuzz(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzSession]:
    with fuzz_session(tmp_path_factory.mktemp("fuzz")) as session:
        yield session


def strategy_for(fuzz: FuzzSession, label: str) -> st.SearchStrategy[schemathesis.Case]:
    operation = OPERATIONS[label]
    names = [p.name for p in operation.path_parameters]
    modes = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
    options: list[st.SearchStrategy[schemathesis.Case]] = [
        operation.as_strategy(mode) for mode in modes
    ]
    if names:
        # Real resources too: a random UUID only ever reaches the 404 branch.
        options += [
            fuzz.path_parameters(label, names).flatmap(
                lambda known, mode=mode: operation.as_strategy(mode, path_parameters=known)
            )
            for mode in modes
        ]
    if label == REDEEM:
        options.append(
            fuzz.redemption_bodies().flatmap(lambda body: operation.as_strategy(body=body))
        )
    return st.one_of(options)


def check(fuzz: FuzzSession, role: str, case: schemathesis.Case) -> None:
    response = fuzz.send(role, case)
    trace = stack_trace_in(response.text)
    assert trace is None, f"{case.operation.label} as {role}: stack trace in body ({trace})"
    case.validate_response(response, checks=CHECKS)


@pytest.mark.parametrize("label", sorted(OPERATIONS))
@pytest.mark.parametrize("role", ROLES)
def test_operation(fuzz: FuzzSession, role: str, label: str) -> None:
    strategy = strategy_for(fuzz, label)
    before = fuzz.outcomes.copy()

    @budget(EXAMPLES)
    @given(data=st.data())
    def run(data: Any) -> None:
        check(fuzz, role, data.draw(strategy, label="case"))

    run()
    seen = fuzz.outcomes - before
    # The requests went past authentication: a CSRF refusal or a dead session would mean the
    # run only fuzzed the front door.
    assert not [key for key in seen if key[3] == "csrf_failed"], seen
    if role != "anonymous" and label != REDEEM:
        assert any(key[2] != 401 for key in seen), seen


@pytest.mark.parametrize("role", ROLES)
def test_stateful(fuzz: FuzzSession, role: str) -> None:
    """Sequences along the links Schemathesis infers (create a challenge, then read, change,
    join it...), each response feeding the next request."""

    class Sequences(SCHEMA.as_state_machine()):  # type: ignore[misc]
        def call(self, case: schemathesis.Case, **kwargs: Any) -> schemathesis.Response:
            response = fuzz.send(role, case)
            trace = stack_trace_in(response.text)
            assert trace is None, f"{case.operation.label} as {role}: stack trace ({trace})"
            return schemathesis.Response.from_any(response)

        def validate_response(
            self, response: schemathesis.Response, case: schemathesis.Case, *args: Any, **kw: Any
        ) -> None:
            case.validate_response(response, checks=CHECKS)

    Sequences.run(settings=settings(budget(STATEFUL_SCENARIOS), stateful_step_count=STATEFUL_STEPS))


# What a signed-in role is expected to manage at least once with well-formed input, on the
# world's own resources: the proof that fuzzing reaches the handlers, not only the 4xx gates.
REACHABLE = {
    "admin": ("POST /api/v1/admin/invitations", 201),
    "facilitator": ("POST /api/v1/challenges", 201),
    "participant": ("POST /api/v1/teams/{team_id}/messages", 201),
    "anonymous": (REDEEM, 202),
}


@pytest.mark.parametrize("role", ROLES)
def test_the_fuzzer_reaches_the_handlers(fuzz: FuzzSession, role: str) -> None:
    label, expected = REACHABLE[role]
    operation = OPERATIONS[label]
    names = [p.name for p in operation.path_parameters]
    if label == REDEEM:
        strategy = fuzz.redemption_bodies(valid=True).flatmap(
            lambda body: operation.as_strategy(body=body)
        )
    else:
        strategy = fuzz.path_parameters(label, names).flatmap(
            lambda known: operation.as_strategy(path_parameters=known)
        )
    statuses: list[int] = []

    @budget(max(EXAMPLES, 10))
    @given(case=strategy)
    def run(case: schemathesis.Case) -> None:
        statuses.append(fuzz.send(role, case).status_code)

    run()
    assert expected in statuses, statuses
