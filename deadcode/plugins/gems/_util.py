"""Small readers shared by the gem plugins (encoded call arguments, whole files)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:  # pragma: no cover
    from ...index import Index

CONST_NAME = re.compile(r"^(?:::)?[A-Z]\w*(?:::[A-Z]\w*)*$")


def option(args: tuple, key: str):
    """The encoded value of keyword option ``key`` among a call's encoded args, or None."""
    for a in args:
        if a[0] == "pair" and a[1][0] == "sym" and a[1][1] == key:
            return a[2]
        if a[0] == "hash":
            for p in a[1]:
                if p[0] == "pair" and p[1][0] == "sym" and p[1][1] == key:
                    return p[2]
    return None


def words(args: tuple) -> Iterator[str]:
    """Positional symbol and string arguments (``:a, "b", [:c, :d]``), in order."""
    for a in args:
        if a[0] in ("sym", "str"):
            yield a[1]
        elif a[0] == "array":
            for x in a[1]:
                if x[0] in ("sym", "str"):
                    yield x[1]


def read_text(index: "Index", rel: str) -> str | None:
    """A file a plugin reads whole, recorded as an input of the analysis (see scan.py)."""
    from ...discovery import read_inside, whole_file_digest

    data = read_inside(index.root, rel)
    index.raw_reads.append((rel, whole_file_digest(data)))
    return data.decode("utf-8", "replace") if data else None


def inflections(index: "Index"):
    from ..rails import _inflections
    return _inflections(index)
