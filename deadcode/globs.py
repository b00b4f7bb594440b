"""Many ``fnmatch`` globs against many names, without trying every pair.

Dynamic constant patterns (``"#{x}K1".constantize`` is ``*K1``) and configured
``roots``/``keep`` globs are matched against every definition name. Pairwise, 10,000
patterns and 10,000 classes took 70 s. ``NameIndex`` sorts the names once (and once
reversed): a glob's literal prefix or suffix is then a range found by bisection,
and only the names in the smaller range are tried with ``fnmatchcase``. A glob with
neither (``*Worker*``) is looked for by its longest literal piece in all the names
joined, a C-speed substring search; only a glob with no literal at all is tried
against every name. Results are exactly ``fnmatchcase``'s, in the names' order.
"""

from __future__ import annotations

import bisect
import fnmatch


def _literals(glob: str) -> list[str]:
    """The literal runs of ``glob`` between its wildcards, read the way
    ``fnmatch.translate`` reads it (a ``[`` with no closing ``]`` is literal); the first
    and last are empty when it starts or ends with a wildcard. One run: no wildcard."""
    runs, cur, i, n = [], [], 0, len(glob)
    while i < n:
        c = glob[i]
        i += 1
        if c == "*" or c == "?":
            runs.append("".join(cur))
            cur = []
        elif c == "[":
            j = i
            if j < n and glob[j] == "!":
                j += 1
            if j < n and glob[j] == "]":
                j += 1
            j = glob.find("]", j)
            if j < 0:
                cur.append(c)       # no class: a literal "["
            else:
                runs.append("".join(cur))
                cur = []
                i = j + 1
        else:
            cur.append(c)
    runs.append("".join(cur))
    return runs


class NameIndex:
    """``matching(glob)``: positions of the names ``glob`` matches, ascending."""

    def __init__(self, names: list[str]):
        self.names = names
        order = sorted(range(len(names)), key=names.__getitem__)
        self._fwd = [names[i] for i in order]
        self._fwd_pos = order
        rorder = sorted(range(len(names)), key=lambda i: names[i][::-1])
        self._rev = [names[i][::-1] for i in rorder]
        self._rev_pos = rorder
        self._exact: dict[str, list[int]] = {}
        for i, n in enumerate(names):
            self._exact.setdefault(n, []).append(i)
        self._joined: str | None = None
        self._starts: list[int] = []
        self._memo: dict[str, list[int]] = {}
        self.tried = 0        # fnmatchcase calls made (work, for the tests)

    def _range(self, keys: list[str], lit: str) -> tuple[int, int]:
        lo = bisect.bisect_left(keys, lit)
        hi = bisect.bisect_left(keys, lit + "\U0010ffff", lo)
        while hi < len(keys) and keys[hi].startswith(lit):   # names holding U+10FFFF
            hi += 1
        return lo, hi

    def _containing(self, piece: str) -> list[int]:
        if self._joined is None:
            starts, pos = [], 0
            for n in self.names:
                starts.append(pos)
                pos += len(n) + 1
            self._starts = starts
            self._joined = "\n".join(self.names)
        joined, starts, found = self._joined, self._starts, []
        last = -1
        i = joined.find(piece)
        while i >= 0:
            k = bisect.bisect_right(starts, i) - 1
            if k != last:
                found.append(k)
                last = k
            # go on from the next name: one hit a name is enough
            nxt = starts[k + 1] if k + 1 < len(starts) else len(joined)
            i = joined.find(piece, nxt)
        return found

    def matching(self, glob: str, or_equal: bool = False) -> list[int]:
        """``or_equal``: also the names equal to ``glob`` (``Foo[1]`` is no glob of itself)."""
        if or_equal:
            exact = self._exact.get(glob)
            out = self.matching(glob)
            return sorted(set(out).union(exact)) if exact else out
        memo = self._memo.get(glob)
        if memo is not None:
            return memo
        pieces = _literals(glob)
        if len(pieces) == 1:
            out = list(self._exact.get(glob, ()))
        else:
            prefix, suffix = pieces[0], pieces[-1]
            if prefix or suffix:
                lo, hi = self._range(self._fwd, prefix) if prefix else (0, len(self.names))
                rlo, rhi = self._range(self._rev, suffix[::-1]) if suffix else (0, len(self.names))
                cands = self._fwd_pos[lo:hi] if hi - lo <= rhi - rlo else self._rev_pos[rlo:rhi]
            else:
                piece = max(pieces, key=len)
                cands = self._containing(piece) if piece and "\n" not in piece \
                    else range(len(self.names))
            names = self.names
            self.tried += len(cands)
            out = sorted(i for i in cands if fnmatch.fnmatchcase(names[i], glob))
        self._memo[glob] = out
        return out
