"""The server's host key: ed25519, created once with mode 0600, reused on every restart."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import asyncssh

from letter_tui.core import paths
from letter_tui.core.errors import LetterTuiError

HOST_KEY_NAME = "ssh_host_ed25519_key"


class HostKeyError(LetterTuiError):
    """A host key that is unsafe or unreadable."""


def default_host_key_path(root: Path) -> Path:
    return root / HOST_KEY_NAME


def load_or_create_host_key(path: Path) -> tuple[asyncssh.SSHKey, bool]:
    """The key at `path`, created there first if missing. Returns (key, created).

    asyncssh's `write_private_key` honours the umask (0644 usually); this writes through
    a 0600 temporary file and refuses a key file that others may read, as sshd does.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        key = asyncssh.generate_private_key("ssh-ed25519", comment="letter-tui host key")
        paths.atomic_write_bytes(path, key.export_private_key("openssh"))
        os.chmod(path, 0o600)
        return key, True
    except OSError as error:
        raise HostKeyError(f"{path}: cannot read the host key: {error.strerror}") from None
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o077:
        raise HostKeyError(
            f"{path}: host key is readable by others (mode {mode:04o}); "
            f"run 'chmod 600 {path}' and start again"
        )
    try:
        key = asyncssh.read_private_key(str(path))
    except (OSError, asyncssh.KeyImportError, ValueError) as error:
        raise HostKeyError(
            f"{path}: not a usable host key ({error}); move it away to create a new one"
        ) from None
    return key, False
