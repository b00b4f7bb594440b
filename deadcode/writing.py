"""Writing the files deadcode is asked to write: reports and baselines.

A write never goes through a symbolic link and never leaves a half-written file.
The text goes to a new temporary file in the target's folder, opened with
``O_CREAT | O_EXCL | O_NOFOLLOW`` (so nothing already there is ever opened),
is flushed to disk with ``fsync``, and is then renamed over the target: a rename
replaces a name, it does not follow it, and the old file stays whole until the
new one is complete. An interrupt or a full disk leaves the previous report as
it was and no temporary file behind.

The target itself must not be a symbolic link, a folder or a special file. With
``base`` (the scanned root, when the target lies inside it), every folder from
``base`` down to the target must be a real folder too: a tree cannot redirect a
report elsewhere by shipping ``reports -> ~/.ssh`` or ``out/deadcode.json ->
~/.ssh/authorized_keys``.
"""

from __future__ import annotations

import os
import secrets
import stat


class WriteError(Exception):
    """Why a file was not written (one line, without the path)."""


def inside(path: str, folder: str) -> bool:
    """Is ``path`` ``folder`` or below it, by their names (no link is resolved)?"""
    path, folder = os.path.abspath(path), os.path.abspath(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _shown(path: str, user_path: str) -> str:
    """``path`` as the user would recognise it: relative when they gave a relative path."""
    if os.path.isabs(user_path):
        return path
    return os.path.relpath(path)


def _make_folders(base: str, folder: str, user_path: str) -> None:
    """Create the folders from ``base`` down to ``folder``; none may be a link."""
    cur = base
    rel = os.path.relpath(folder, base)
    for part in ([] if rel == os.curdir else rel.split(os.sep)):
        cur = os.path.join(cur, part)
        try:
            st = os.lstat(cur)
        except FileNotFoundError:
            try:
                os.mkdir(cur)
                continue
            except FileExistsError:
                st = os.lstat(cur)
        if stat.S_ISLNK(st.st_mode):
            raise WriteError(f"{_shown(cur, user_path)} is a symbolic link (not followed)")
        if not stat.S_ISDIR(st.st_mode):
            raise WriteError(f"{_shown(cur, user_path)} is not a folder")


def _write_text(fh, text) -> None:
    """``text`` (a string, or an iterable of strings written one by one) as UTF-8."""
    if isinstance(text, str):
        fh.write(text.encode("utf-8"))
    else:
        for piece in text:
            fh.write(piece.encode("utf-8"))


def write_file(path: str, text, base: str | None = None, replace: bool = True) -> None:
    """Write ``text`` (UTF-8; a string or an iterable of strings) to ``path`` atomically;
    raises ``WriteError`` or ``OSError``.

    ``base``: a folder above ``path`` below which no folder may be a link (see the
    module docstring). Without it, the target's folder is created as asked.
    ``replace=False``: never overwrite; a target that exists (or appears while the text
    is written) is ``WriteError("it already exists")``. The finished file is then
    hard-linked into place, which fails rather than replace anything.
    """
    abspath = os.path.abspath(path)
    folder, name = os.path.split(abspath)
    if base is not None and inside(abspath, base):
        _make_folders(os.path.abspath(base), folder, path)
    else:
        os.makedirs(folder, exist_ok=True)
    try:
        st = os.lstat(abspath)
    except FileNotFoundError:
        st = None
    if st is not None and not replace:
        raise WriteError("it already exists")
    if st is not None:
        if stat.S_ISLNK(st.st_mode):
            raise WriteError("it is a symbolic link (not followed)")
        if stat.S_ISDIR(st.st_mode):
            raise WriteError("it is a folder")
        if stat.S_ISCHR(st.st_mode) and (base is None or not inside(abspath, base)):
            # `-o /dev/null`, `-o /dev/stderr` given outside the repo: written in place,
            # never replaced (a device cannot be renamed over)
            fd = os.open(abspath, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
            with os.fdopen(fd, "wb") as fh:
                _write_text(fh, text)
            return
        if not stat.S_ISREG(st.st_mode):
            raise WriteError("it is not a regular file")
    tmp = os.path.join(folder, f".{name}.{secrets.token_hex(6)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) \
        | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            _write_text(fh, text)
            fh.flush()
            if st is not None:   # a report written again keeps the mode it was given
                os.chmod(fh.fileno(), stat.S_IMODE(st.st_mode))
            os.fsync(fh.fileno())
        if replace:
            os.replace(tmp, abspath)
        else:
            try:
                os.link(tmp, abspath, follow_symlinks=False)
            except FileExistsError:
                raise WriteError("it already exists") from None
            os.unlink(tmp)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _sync_folder(folder)


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
