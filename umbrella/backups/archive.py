"""Files sealed for a backup: AES-256-GCM in 1 MiB frames, so a database of any size is encrypted
and checked without holding it in memory.

A sealed file is ``MAGIC``, an 8-byte random prefix, then frames: 4-byte length, 1-byte "last"
flag, ciphertext with its tag. Each frame's nonce is the prefix and the frame's number; its
associated data names the file, the frame's number and whether it is the last, so frames cannot
be reordered, dropped, moved between files or cut off at the end without the check failing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from umbrella.core.reads import read_scope

MAGIC = b"UMBRELLA-BACKUP-1\n"
FRAME = 1 << 20
PREFIX_BYTES = 8


class BackupError(Exception):
    """A backup that cannot be made or restored, in words for the operator."""


def _associated(name: str, index: int, last: bool) -> bytes:
    return f"{name}|{index}|{int(last)}".encode()


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    data = stream.read(size)
    return data if data is not None else b""


def seal(source: Path, target: Path, *, key: bytes, name: str, frame: int = FRAME) -> None:
    """Encrypts ``source`` into ``target`` under ``key`` (32 bytes), as the file called ``name``."""
    aead = AESGCM(key)
    prefix = os.urandom(PREFIX_BYTES)
    with source.open("rb") as plain, target.open("wb") as sealed:
        sealed.write(MAGIC + prefix)
        index = 0
        chunk = plain.read(frame)
        while True:
            following = plain.read(frame) if chunk else b""
            last = not following
            ciphertext = aead.encrypt(prefix + index.to_bytes(4, "big"), chunk, _associated(name, index, last))
            sealed.write(len(ciphertext).to_bytes(4, "big") + bytes([last]) + ciphertext)
            if last:
                return
            chunk, index = following, index + 1


def unseal(source: Path, target: Path, *, key: bytes, name: str) -> None:
    """Decrypts ``source`` into ``target``; BackupError, and no ``target``, if any frame fails."""
    aead = AESGCM(key)
    try:
        # A whole database's personal data is opened here: the restore that calls this writes its
        # own audit event (backup.restore) once the database is back.
        with read_scope("backup restore", audited=True), source.open("rb") as sealed, target.open("wb") as plain:
            if _read_exactly(sealed, len(MAGIC)) != MAGIC:
                raise BackupError(f"{source.name} is not an Umbrella backup file.")
            prefix = _read_exactly(sealed, PREFIX_BYTES)
            index = 0
            while True:
                header = _read_exactly(sealed, 5)
                if len(header) < 5:
                    raise BackupError(f"{source.name} ends part way: the file was cut short.")
                size, last = int.from_bytes(header[:4], "big"), bool(header[4])
                ciphertext = _read_exactly(sealed, size)
                if len(ciphertext) < size or len(prefix) < PREFIX_BYTES:
                    raise BackupError(f"{source.name} ends part way: the file was cut short.")
                try:
                    plain.write(aead.decrypt(prefix + index.to_bytes(4, "big"), ciphertext, _associated(name, index, last)))
                except InvalidTag:
                    raise BackupError(
                        f"{source.name} does not decrypt: the backup key is not the one it was made with, "
                        "or the file was changed."
                    ) from None
                if last:
                    if sealed.read(1):
                        raise BackupError(f"{source.name} has data after its last frame: the file was changed.")
                    return
                index += 1
    except BackupError:
        target.unlink(missing_ok=True)
        raise
