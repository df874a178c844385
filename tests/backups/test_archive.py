"""Sealed backup files: what goes in comes out, and any change, cut or wrong key is refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from umbrella.backups.archive import BackupError, seal, unseal

KEY = b"k" * 32


def sealed_and_opened(tmp_path: Path, content: bytes, *, frame: int = 7) -> bytes:
    source, sealed, opened = tmp_path / "plain", tmp_path / "plain.sealed", tmp_path / "opened"
    source.write_bytes(content)
    seal(source, sealed, key=KEY, name="plain", frame=frame)
    unseal(sealed, opened, key=KEY, name="plain")
    return opened.read_bytes()


@pytest.mark.parametrize("size", [0, 1, 7, 8, 50])
def test_what_is_sealed_opens_unchanged_whatever_its_size(tmp_path: Path, size: int) -> None:
    content = os.urandom(size)
    assert sealed_and_opened(tmp_path, content) == content


def test_the_sealed_file_does_not_hold_the_plain_text(tmp_path: Path) -> None:
    source, sealed = tmp_path / "plain", tmp_path / "plain.sealed"
    source.write_bytes(b"Nadia Haddad, 12 Whitehall " * 10)
    seal(source, sealed, key=KEY, name="plain")
    assert b"Nadia" not in sealed.read_bytes()


def sealed_file(tmp_path: Path) -> Path:
    source, sealed = tmp_path / "plain", tmp_path / "plain.sealed"
    source.write_bytes(b"x" * 30)
    seal(source, sealed, key=KEY, name="plain", frame=7)
    return sealed


def test_the_wrong_key_is_refused_and_leaves_no_file(tmp_path: Path) -> None:
    sealed, opened = sealed_file(tmp_path), tmp_path / "opened"
    with pytest.raises(BackupError, match="backup key is not the one"):
        unseal(sealed, opened, key=b"z" * 32, name="plain")
    assert not opened.exists()


def test_a_changed_byte_is_refused(tmp_path: Path) -> None:
    sealed = sealed_file(tmp_path)
    data = bytearray(sealed.read_bytes())
    data[-3] ^= 1
    sealed.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="was changed"):
        unseal(sealed, tmp_path / "opened", key=KEY, name="plain")


def test_a_file_cut_after_a_whole_frame_is_refused(tmp_path: Path) -> None:
    sealed = sealed_file(tmp_path)
    data = sealed.read_bytes()
    first_frame_end = len(b"UMBRELLA-BACKUP-1\n") + 8 + 5 + int.from_bytes(data[26:30], "big")
    sealed.write_bytes(data[:first_frame_end])
    with pytest.raises(BackupError, match="cut short"):
        unseal(sealed, tmp_path / "opened", key=KEY, name="plain")


def test_a_file_sealed_as_another_is_refused(tmp_path: Path) -> None:
    sealed = sealed_file(tmp_path)
    with pytest.raises(BackupError, match="backup key is not the one|was changed"):
        unseal(sealed, tmp_path / "opened", key=KEY, name="evidence.tar")


def test_a_file_that_is_not_a_backup_is_named(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello", encoding="utf-8")
    with pytest.raises(BackupError, match="notes.txt is not an Umbrella backup file"):
        unseal(other, tmp_path / "opened", key=KEY, name="plain")
