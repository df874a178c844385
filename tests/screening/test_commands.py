"""`umbrella screening train` and `umbrella screen` on temporary CSV files."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.screening.factories import (
    HATEFUL_OTHER_CRIME,
    PLAIN_OTHER_CRIME,
    labelled_examples,
    register,
)
from umbrella.cli import _command_name
from umbrella.screening.models import ModelStatus, ScreeningModel

pytestmark = pytest.mark.django_db


def write_training_csv(path: Path) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "narrative", "race", "religion", "disability", "online"])
        for i, example in enumerate(labelled_examples(300)):
            writer.writerow([i, example.text, *(int(label in example.labels) for label in ("race", "religion", "disability", "online"))])


def test_the_console_maps_its_words_to_these_commands() -> None:
    assert _command_name(["screening", "train", "--csv", "x"]) == ("screening_train", ["--csv", "x"])
    assert _command_name(["screen", "in.csv", "--out", "o.csv"]) == ("screen", ["in.csv", "--out", "o.csv"])
    assert _command_name(["screen-records", "--since", "2026-01-01"])[0] == "screen_records"


def test_train_from_a_csv_registers_a_candidate_with_its_source(tmp_path: Path, capsys: Any) -> None:
    source = tmp_path / "labelled.csv"
    write_training_csv(source)
    call_command("screening_train", "--csv", str(source), "--text-column", "narrative",
                 "--label-columns", "race,religion,disability,online")
    model = ScreeningModel.objects.get()
    assert model.status == ModelStatus.CANDIDATE
    assert model.labels == ["hate", "race", "religion", "disability", "online"]
    csv_source = model.training_summary["sources"][0]
    assert csv_source["file"] == "labelled.csv" and len(csv_source["sha256"]) == 64
    assert "Registered screening model v1 (candidate)" in capsys.readouterr().out


def test_train_with_approve_approves(tmp_path: Path) -> None:
    source = tmp_path / "labelled.csv"
    write_training_csv(source)
    call_command("screening_train", "--csv", str(source), "--text-column", "narrative",
                 "--label-columns", "race,religion", "--approve")
    assert ScreeningModel.objects.get().status == ModelStatus.APPROVED


def test_a_missing_column_is_named_with_the_columns_present(tmp_path: Path) -> None:
    source = tmp_path / "labelled.csv"
    write_training_csv(source)
    with pytest.raises(CommandError) as error:
        call_command("screening_train", "--csv", str(source), "--text-column", "text", "--label-columns", "race")
    assert "'text' not found" in str(error.value)
    assert "id, narrative, race, religion, disability, online" in str(error.value)


def test_screen_writes_probabilities_and_indicators_per_row(tmp_path: Path) -> None:
    register(approve=True)
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    with source.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ref", "what"])
        writer.writerow(["A1", HATEFUL_OTHER_CRIME])
        writer.writerow(["A2", PLAIN_OTHER_CRIME])
    call_command("screen", str(source), "--text-column", "what", "--out", str(out), "--batch", "1")
    rows = list(csv.DictReader(out.open()))
    assert [row["ref"] for row in rows] == ["A1", "A2"]
    assert {"p_hate", "p_race", "p_religion", "p_online", "indicators"} <= set(rows[0])
    assert float(rows[0]["p_hate"]) > 0.8 > 0.2 > float(rows[1]["p_hate"])
    assert float(rows[0]["p_race"]) > float(rows[0]["p_religion"])


def test_screen_names_a_missing_text_column(tmp_path: Path) -> None:
    register(approve=True)
    source = tmp_path / "in.csv"
    source.write_text("ref,what\nA1,hello\n")
    with pytest.raises(CommandError, match=r"'narrative' not found\. Columns present: ref, what"):
        call_command("screen", str(source), "--text-column", "narrative", "--out", str(tmp_path / "o.csv"))


def test_screen_without_an_approved_model_says_so(tmp_path: Path) -> None:
    register()
    source = tmp_path / "in.csv"
    source.write_text("what\nhello\n")
    with pytest.raises(CommandError, match="No screening model is approved"):
        call_command("screen", str(source), "--text-column", "what", "--out", str(tmp_path / "o.csv"))
