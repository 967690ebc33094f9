"""``python -m app teams form`` as an operator runs it (through ``command.run``)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from app.optimiser.command import run
from tests.unit.formation.support import naive_objective, naive_violations, random_instance


def _write(tmp_path: Path, data: object, name: str = "in.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_forms_teams_into_the_output_file_with_progress_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = random_instance(random.Random(3), 60, separate=20, together=5, size=(4, 5, 6))
    source = _write(tmp_path, data)
    target = tmp_path / "out.json"
    code = run(["--input", str(source), "--output", str(target), "--time-limit", "0.5"])
    captured = capsys.readouterr()
    assert code == 0
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert any(line.startswith("progress") and "objective" in line for line in lines)
    assert lines[-1].startswith("done: 12 teams")
    result = json.loads(target.read_text(encoding="utf-8"))
    assert set(result) >= {"teams", "objective", "upper_bound", "violations", "metrics"}
    assert result["objective"] == pytest.approx(naive_objective(data, result["teams"]))
    assert result["violations"] == naive_violations(data, result["teams"]) == 0
    assert result["upper_bound"] >= result["objective"]


def test_without_output_the_result_goes_to_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = random_instance(random.Random(4), 10, size=(2, 3, 4))
    code = run(["--input", str(_write(tmp_path, data)), "--time-limit", "0.2", "--seed", "5"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert sorted(p for t in out["teams"] for p in t) == sorted(p["id"] for p in data["people"])


@pytest.mark.parametrize(
    ("args", "content", "message"),
    [
        (["--input", "{missing}"], None, "cannot read"),
        (["--input", "{file}"], "{not json", "is not valid JSON"),
        (["--input", "{file}"], '{"people": []}', "team_size is required"),
        (["--input", "{file}"], '{"team_size": {"min": 1, "target": 1, "max": 1}, '
         '"people": [{"id": "a", "cohort": "x"}], "separate": [["a", "b"]]}', "unknown person"),
        (["--input", "{file}", "--time-limit", "0"], "{}", "--time-limit must be positive"),
        (["--input", "{file}", "--seed", "x"], "{}", "invalid int value"),
        ([], None, "required"),
        (["--input", "{file}", "--output", "{dir}/no/such/dir/out.json"],
         '{"team_size": {"min": 1, "target": 1, "max": 1}, "people": [{"id": "a", "cohort": "x"}]}',
         "cannot write"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_one_line_and_no_traceback(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    content: str | None,
    message: str,
) -> None:
    file = tmp_path / "in.json"
    if content is not None:
        file.write_text(content, encoding="utf-8")
    argv = [a.format(file=file, missing=tmp_path / "absent.json", dir=tmp_path) for a in args]
    code = run(argv)
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("teams form: error:")
