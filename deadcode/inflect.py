"""A port of ActiveSupport's English inflector, plus a static reader for
``config/initializers/inflections.rb``.

The default rules, the order they are tried in, and the string algorithms of
``pluralize``/``singularize``/``camelize``/``underscore``/``classify``/... follow
``activesupport/lib/active_support/inflections.rb`` and
``active_support/inflector/{inflections,methods}.rb`` (Rails 7/8). Rules are
stored as compiled Python regexes translated from Ruby (Onigmo) syntax with
``ruby_regex``; replacements keep Ruby's ``'\\1'`` syntax and are expanded the
way ``String#sub`` expands them.

The initializer is read with tree-sitter and never evaluated. Only literal
arguments (strings, symbols, ``%w``/``%i`` arrays, regex literals without
interpolation) are understood; anything else is skipped and noted in
``Inflections.warnings``.

This module also hosts the small Ruby-literal evaluator (``ruby_value`` and
friends) that ``deadcode.routes`` reuses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

__all__ = [
    "Inflections", "DEFAULT_INFLECTIONS", "default_inflections", "ruby_regex",
    "RubyRegexError", "pluralize", "singularize", "camelize", "underscore",
    "tableize", "table_name_for", "classify", "demodulize", "deconstantize",
    "foreign_key", "load_inflections_initializer",
    "Sym", "Const", "RubyRegex", "Opaque", "UNKNOWN", "ruby_value", "parse_ruby",
]


# ---------------------------------------------------------------------------
# Ruby regex -> Python regex
# ---------------------------------------------------------------------------

class RubyRegexError(ValueError):
    """A Ruby regex uses a construct Python's ``re`` cannot express."""


_POSIX_CLASSES = {
    "alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z",
    "lower": "a-z", "space": r"\s", "word": r"\w", "xdigit": "0-9a-fA-F",
    "blank": r" \t", "cntrl": r"\x00-\x1f\x7f", "print": r"\x20-\x7e",
    "graph": r"\x21-\x7e", "punct": r"!-/:-@\[-`{-~", "ascii": r"\x00-\x7f",
}

_HEX = "0-9a-fA-F"


def _flag_letters(ruby_flags: str) -> str:
    out = []
    for ch in ruby_flags:
        if ch == "i":
            out.append("i")
        elif ch == "m":
            out.append("s")
        elif ch == "x":
            out.append("x")
        else:
            raise RubyRegexError(f"unsupported inline flag {ch!r}")
    return "".join(out)


def _translate_escape(src: str, i: int, in_class: bool) -> tuple[str, int]:
    """Translate the escape starting at ``src[i] == '\\\\'``; return (text, next index)."""
    if i + 1 >= len(src):
        raise RubyRegexError("trailing backslash")
    c = src[i + 1]
    j = i + 2
    if c == "h":
        return (_HEX if in_class else f"[{_HEX}]"), j
    if c == "H":
        if in_class:
            raise RubyRegexError(r"\H inside a character class")
        return f"[^{_HEX}]", j
    if c == "e":
        return r"\x1b", j
    if c == "u":
        if j < len(src) and src[j] == "{":
            end = src.find("}", j)
            if end < 0:
                raise RubyRegexError("unterminated \\u{")
            parts = []
            for cp in src[j + 1:end].split():
                parts.append(re.escape(chr(int(cp, 16))))
            text = "".join(parts)
            if len(parts) > 1 and not in_class:
                text = f"(?:{text})"
            return text, end + 1
        hexits = src[j:j + 4]
        if len(hexits) == 4 and all(h in "0123456789abcdefABCDEF" for h in hexits):
            return "\\u" + hexits, j + 4
        raise RubyRegexError("bad \\u escape")
    if c == "c":
        if j < len(src):
            return "\\x%02x" % (ord(src[j]) & 0x1F), j + 1
        raise RubyRegexError("bad \\c escape")
    if in_class:
        if c in "pPgkGKRXzZA":
            raise RubyRegexError(f"unsupported escape \\{c} in class")
        return "\\" + c, j
    if c == "z":
        return r"\Z", j
    if c == "Z":
        return r"(?=\n?\Z)", j
    if c == "R":
        return r"(?:\r\n|[\n\v\f\r\x85\u2028\u2029])", j
    if c == "k":
        m = re.match(r"<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)'", src[j:])
        if not m:
            raise RubyRegexError("unsupported \\k back-reference")
        return f"(?P={m.group(1) or m.group(2)})", j + m.end()
    if c in "pP":
        m = re.match(r"\{(\^?)(\w+)\}", src[j:])
        prop = _UNICODE_PROPERTIES.get(m.group(2).lower()) if m else None
        if prop is None:
            raise RubyRegexError(f"unsupported escape \\{c}{src[j:j + 12]}")
        negate = (c == "P") != bool(m.group(1))
        return (_negate_property(prop) if negate else prop), j + m.end()
    if c in "gGKX":
        raise RubyRegexError(f"unsupported escape \\{c}")
    return "\\" + c, j


# \p{...} properties Python's re can express (outside character classes).
_UNICODE_PROPERTIES = {
    "l": r"[^\W\d_]", "alpha": r"[^\W\d_]", "letter": r"[^\W\d_]",
    "alnum": r"[^\W_]", "word": r"\w", "digit": r"\d", "nd": r"\d",
    "space": r"\s", "ascii": r"[\x00-\x7f]",
}


def _negate_property(prop: str) -> str:
    if prop.startswith("[^"):
        return "[" + prop[2:]
    if prop.startswith("["):
        return "[^" + prop[1:]
    return prop.swapcase() if len(prop) == 2 else prop


def _translate_class(src: str, i: int) -> tuple[str, int]:
    """Translate the character class opening at ``src[i] == '['``."""
    out = ["["]
    j = i + 1
    if j < len(src) and src[j] == "^":
        out.append("^")
        j += 1
    first = True
    while j < len(src):
        ch = src[j]
        if ch == "]" and not first:
            out.append("]")
            return "".join(out), j + 1
        first = False
        if ch == "\\":
            text, j = _translate_escape(src, j, in_class=True)
            out.append(text)
            continue
        if ch == "[":
            m = re.match(r"\[:(\^?)([a-z]+):\]", src[j:])
            if m:
                if m.group(1) or m.group(2) not in _POSIX_CLASSES:
                    raise RubyRegexError(f"unsupported POSIX class {m.group(0)}")
                out.append(_POSIX_CLASSES[m.group(2)])
                j += m.end()
                continue
            raise RubyRegexError("nested character class")
        if ch == "&" and src.startswith("&&", j):
            raise RubyRegexError("character class intersection")
        if ch in "~|&":
            out.append("\\" + ch)
        elif ch == "]":  # a leading ']' is literal in Ruby
            out.append(r"\]")
        else:
            out.append(ch)
        j += 1
    raise RubyRegexError("unterminated character class")


def translate_ruby_regex(source: str) -> str:
    """Translate Ruby regex source to Python ``re`` syntax (without flags).

    ``^``/``$`` keep their Ruby (line) meaning only if the caller compiles with
    ``re.MULTILINE``; ``ruby_regex`` does. Mid-pattern ``(?i)`` becomes a scoped
    group running to the end of the enclosing group, as Onigmo reads it.
    """
    out: list[str] = []
    pending: list[int] = [0]  # per open group: scoped-flag groups to close
    repeats: list[bool] = [False]  # per open group: it holds a quantifier or an alternation
    i = 0
    n = len(source)
    while i < n:
        ch = source[i]
        if ch == "\\":
            text, i = _translate_escape(source, i, in_class=False)
            out.append(text)
        elif ch == "[":
            text, i = _translate_class(source, i)
            out.append(text)
        elif ch == "(":
            if source.startswith("(?", i):
                rest = source[i + 2:]
                if rest.startswith("#"):
                    end = source.find(")", i)
                    if end < 0:
                        raise RubyRegexError("unterminated comment group")
                    i = end + 1
                    continue
                m = re.match(r"([imx]*)(?:-([imx]*))?([:)])", rest)
                if m and (m.group(1) or m.group(2)):
                    on = _flag_letters(m.group(1))
                    off = _flag_letters(m.group(2) or "")
                    spec = on + (f"-{off}" if off else "")
                    out.append(f"(?{spec}:")
                    i += 2 + m.end()
                    if m.group(3) == ")":
                        pending[-1] += 1  # closes with the enclosing group
                    else:
                        pending.append(0)
                        repeats.append(False)
                    continue
                m = re.match(r"<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)'", rest)
                if m:
                    out.append(f"(?P<{m.group(1) or m.group(2)}>")
                    pending.append(0)
                    repeats.append(False)
                    i += 2 + m.end()
                    continue
                for opener in (":", "=", "!", "<=", "<!", ">"):
                    if rest.startswith(opener):
                        out.append("(?" + opener)
                        pending.append(0)
                        repeats.append(False)
                        i += 2 + len(opener)
                        break
                else:
                    raise RubyRegexError(f"unsupported group {source[i:i + 4]!r}")
            else:
                out.append("(")
                pending.append(0)
                repeats.append(False)
                i += 1
        elif ch == ")":
            if len(pending) == 1:
                raise RubyRegexError("unbalanced ')'")
            out.append(")" * pending.pop() + ")")
            inner = repeats.pop()
            i += 1
            repeated = _repeats_at(source, i)
            if inner and repeated:
                # (a+)+, (a|aa)*, (a?){2,}: backtracking can take exponential time
                raise RubyRegexError("nested quantifier (a repeated group that itself repeats "
                                     "or alternates can take exponential time)")
            repeats[-1] = repeats[-1] or inner or repeated
        else:
            if ch in "*+?|" or (ch == "{" and _repeats_at(source, i)):
                repeats[-1] = True
            out.append(ch)
            i += 1
    if len(pending) != 1:
        raise RubyRegexError("unbalanced '('")
    out.append(")" * pending[0])
    return "".join(out)


def _repeats_at(source: str, i: int) -> bool:
    """Does a repetition of varying count (``*``, ``+``, ``{n,}``, ``{n,m}``) start at
    ``source[i]``? (``?`` and ``{n}`` cannot split a match more than one way.)"""
    if i >= len(source):
        return False
    ch = source[i]
    if ch in "*+":
        return True
    return ch == "{" and re.match(r"\{\d*,\d*\}", source[i:i + 24]) is not None


def ruby_regex(source: str, flags: str = "") -> re.Pattern[str]:
    """Compile a Ruby regex (source and ``imx`` flags) as a Python pattern.

    Raises ``RubyRegexError`` when the pattern cannot be expressed.
    """
    pyflags = re.MULTILINE
    for f in flags:
        if f == "i":
            pyflags |= re.IGNORECASE
        elif f == "m":
            pyflags |= re.DOTALL
        elif f == "x":
            pyflags |= re.VERBOSE
        # o, n, e, s, u: interpolation/encoding flags, no meaning here
    try:
        return re.compile(translate_ruby_regex(source), pyflags)
    except re.error as exc:
        raise RubyRegexError(str(exc)) from exc


def _ruby_expand(match: re.Match[str], replacement: str) -> str:
    """Expand a Ruby ``sub`` replacement string (``\\1``, ``\\0``, ``\\k<n>``...)."""
    if "\\" not in replacement:
        return replacement
    out: list[str] = []
    i = 0
    n = len(replacement)
    while i < n:
        ch = replacement[i]
        if ch != "\\" or i + 1 >= n:
            out.append(ch)
            i += 1
            continue
        c = replacement[i + 1]
        i += 2
        if c.isdigit():
            idx = int(c)
            if idx <= (match.re.groups or 0):
                out.append(match.group(idx) or "")
        elif c == "&":
            out.append(match.group(0))
        elif c == "`":
            out.append(match.string[:match.start()])
        elif c == "'":
            out.append(match.string[match.end():])
        elif c == "+":
            last = match.lastindex
            out.append((match.group(last) or "") if last else "")
        elif c == "\\":
            out.append("\\")
        elif c == "k" and i < n and replacement[i] == "<":
            end = replacement.find(">", i)
            if end > 0:
                name = replacement[i + 1:end]
                try:
                    out.append(match.group(name) or "")
                except IndexError:
                    pass  # Ruby raises; an unknown name contributes nothing here
                i = end + 1
            else:
                out.append("\\k")
        else:
            out.append("\\" + c)
    return "".join(out)


# ---------------------------------------------------------------------------
# Inflections
# ---------------------------------------------------------------------------

_NEVER = re.compile(r"(?!)")


def _capitalize(word: str) -> str:
    """Ruby ``String#capitalize``: first character up, the rest down."""
    return word[:1].upper() + word[1:].lower()


class Inflections:
    """The rule set of one locale, like ``ActiveSupport::Inflector::Inflections``.

    Rules added later win: ``plural``/``singular`` prepend, exactly as in Rails.
    A rule is either a ``str`` (matched literally, as Ruby's ``sub`` does with
    a String) or a compiled ``re.Pattern`` (build one from Ruby syntax with
    ``ruby_regex``). Replacements use Ruby syntax: ``'\\1en'``.
    """

    def __init__(self) -> None:
        self.plurals: list[tuple[re.Pattern[str], str]] = []
        self.singulars: list[tuple[re.Pattern[str], str]] = []
        self.uncountables: list[str] = []
        self.humans: list[tuple[re.Pattern[str], str]] = []
        self.acronyms: dict[str, str] = {}
        self.warnings: list[str] = []
        self._steps = 0          # statements of an initializer evaluated (see MAX_STEPS)
        self._uncountable_re: re.Pattern[str] | None = None
        self._cache: dict[tuple[str, str], str] = {}
        self._define_acronym_regex_patterns()

    # -- construction -----------------------------------------------------

    def copy(self) -> "Inflections":
        new = Inflections()
        new.plurals = list(self.plurals)
        new.singulars = list(self.singulars)
        new.uncountables = list(self.uncountables)
        new.humans = list(self.humans)
        new.acronyms = dict(self.acronyms)
        new._define_acronym_regex_patterns()
        return new

    def _changed(self) -> None:
        self._cache.clear()
        self._uncountable_re = None

    @staticmethod
    def _compile(rule: str | re.Pattern[str]) -> re.Pattern[str]:
        if isinstance(rule, re.Pattern):
            return rule
        return re.compile(re.escape(rule))

    def _delete_uncountable(self, word: object) -> None:
        if isinstance(word, str):
            # Rails deletes the exact (already downcased) member.
            while word in self.uncountables:
                self.uncountables.remove(word)

    # -- the Rails API -----------------------------------------------------

    def plural(self, rule: str | re.Pattern[str], replacement: str) -> None:
        if isinstance(rule, str):
            self._delete_uncountable(rule)
        self._delete_uncountable(replacement)
        self.plurals.insert(0, (self._compile(rule), replacement))
        self._changed()

    def singular(self, rule: str | re.Pattern[str], replacement: str) -> None:
        if isinstance(rule, str):
            self._delete_uncountable(rule)
        self._delete_uncountable(replacement)
        self.singulars.insert(0, (self._compile(rule), replacement))
        self._changed()

    def irregular(self, singular: str, plural: str) -> None:
        self._delete_uncountable(singular)
        self._delete_uncountable(plural)
        s0, srest = singular[:1], singular[1:]
        p0, prest = plural[:1], plural[1:]

        def rx(src: str, flags: str = "") -> re.Pattern[str]:
            try:
                return ruby_regex(src, flags)
            except RubyRegexError:
                # Rails interpolates the words raw; fall back to literal text.
                return ruby_regex(re.sub(r"([^\w\s(?:)])", r"\\\1", src), flags)

        if s0.upper() == p0.upper():
            self.plural(rx(f"({s0}){srest}$", "i"), "\\1" + prest)
            self.plural(rx(f"({p0}){prest}$", "i"), "\\1" + prest)
            self.singular(rx(f"({s0}){srest}$", "i"), "\\1" + srest)
            self.singular(rx(f"({p0}){prest}$", "i"), "\\1" + srest)
        else:
            self.plural(rx(f"{s0.upper()}(?i){srest}$"), p0.upper() + prest)
            self.plural(rx(f"{s0.lower()}(?i){srest}$"), p0.lower() + prest)
            self.plural(rx(f"{p0.upper()}(?i){prest}$"), p0.upper() + prest)
            self.plural(rx(f"{p0.lower()}(?i){prest}$"), p0.lower() + prest)
            self.singular(rx(f"{s0.upper()}(?i){srest}$"), s0.upper() + srest)
            self.singular(rx(f"{s0.lower()}(?i){srest}$"), s0.lower() + srest)
            self.singular(rx(f"{p0.upper()}(?i){prest}$"), s0.upper() + srest)
            self.singular(rx(f"{p0.lower()}(?i){prest}$"), s0.lower() + srest)

    def uncountable(self, *words: str | Iterable[str]) -> None:
        for w in _flatten(words):
            self.uncountables.append(w.lower())
        self._changed()

    def acronym(self, word: str) -> None:
        self.acronyms[word.lower()] = word
        self._define_acronym_regex_patterns()
        self._changed()

    def human(self, rule: str | re.Pattern[str], replacement: str) -> None:
        self.humans.insert(0, (self._compile(rule), replacement))
        self._changed()

    def clear(self, scope: str = "all") -> None:
        if scope == "all":
            for s in ("acronyms", "plurals", "singulars", "uncountables", "humans"):
                self.clear(s)
        elif scope == "acronyms":
            self.acronyms = {}
            self._define_acronym_regex_patterns()
        elif scope in ("plurals", "singulars", "uncountables", "humans"):
            setattr(self, scope, [])
        self._changed()

    # -- internals ---------------------------------------------------------

    def _define_acronym_regex_patterns(self) -> None:
        values = sorted(self.acronyms.values(), key=lambda a: -len(a))
        if values:
            acronym_regex = "|".join(values)
            try:
                re.compile(acronym_regex)
            except re.error:
                acronym_regex = "|".join(re.escape(v) for v in values)
        else:
            acronym_regex = "(?=a)b"
        self.acronym_regex = acronym_regex
        self.acronyms_camelize_regex = re.compile(
            rf"^(?:(?:{acronym_regex})(?=\b|[A-Z_])|\w)", re.ASCII | re.MULTILINE)
        self.acronyms_underscore_regex = re.compile(
            rf"(?:(?<=([A-Za-z\d]))|\b)({acronym_regex})(?=\b|[^a-z])", re.ASCII)

    def is_uncountable(self, word: str) -> bool:
        if self._uncountable_re is None:
            if self.uncountables:
                members = "|".join(re.escape(w) for w in self.uncountables)
                self._uncountable_re = re.compile(
                    rf"\b(?:{members})(?=\n?\Z)", re.IGNORECASE)
            else:
                self._uncountable_re = _NEVER
        return self._uncountable_re.search(word) is not None

    def apply(self, word: str, rules: list[tuple[re.Pattern[str], str]], kind: str) -> str:
        key = (kind, word)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        result = word
        if word and not self.is_uncountable(word):
            for pattern, replacement in rules:
                m = pattern.search(result)
                if m is not None:
                    result = result[:m.start()] + _ruby_expand(m, replacement) + result[m.end():]
                    break
        self._cache[key] = result
        return result


def _flatten(items: Iterable[object]) -> list[str]:
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, Iterable):
            out.extend(_flatten(item))
    return out


# (ruby source, ruby flags, replacement) in the order Rails declares them.
_EN_PLURALS = [
    (r"$", "", "s"),
    (r"s$", "i", "s"),
    (r"^(ax|test)is$", "i", r"\1es"),
    (r"(octop|vir)us$", "i", r"\1i"),
    (r"(octop|vir)i$", "i", r"\1i"),
    (r"(alias|status)$", "i", r"\1es"),
    (r"(bu)s$", "i", r"\1ses"),
    (r"(buffal|tomat)o$", "i", r"\1oes"),
    (r"([ti])um$", "i", r"\1a"),
    (r"([ti])a$", "i", r"\1a"),
    (r"sis$", "i", "ses"),
    (r"(?:([^f])fe|([lr])f)$", "i", r"\1\2ves"),
    (r"(hive)$", "i", r"\1s"),
    (r"([^aeiouy]|qu)y$", "i", r"\1ies"),
    (r"(x|ch|ss|sh)$", "i", r"\1es"),
    (r"(matr|vert|ind)(?:ix|ex)$", "i", r"\1ices"),
    (r"^(m|l)ouse$", "i", r"\1ice"),
    (r"^(m|l)ice$", "i", r"\1ice"),
    (r"^(ox)$", "i", r"\1en"),
    (r"^(oxen)$", "i", r"\1"),
    (r"(quiz)$", "i", r"\1zes"),
]

_EN_SINGULARS = [
    (r"s$", "i", ""),
    (r"(ss)$", "i", r"\1"),
    (r"(n)ews$", "i", r"\1ews"),
    (r"([ti])a$", "i", r"\1um"),
    (r"((a)naly|(b)a|(d)iagno|(p)arenthe|(p)rogno|(s)ynop|(t)he)(sis|ses)$", "i", r"\1sis"),
    (r"(^analy)(sis|ses)$", "i", r"\1sis"),
    (r"([^f])ves$", "i", r"\1fe"),
    (r"(hive)s$", "i", r"\1"),
    (r"(tive)s$", "i", r"\1"),
    (r"([lr])ves$", "i", r"\1f"),
    (r"([^aeiouy]|qu)ies$", "i", r"\1y"),
    (r"(s)eries$", "i", r"\1eries"),
    (r"(m)ovies$", "i", r"\1ovie"),
    (r"(x|ch|ss|sh)es$", "i", r"\1"),
    (r"^(m|l)ice$", "i", r"\1ouse"),
    (r"(bus)(es)?$", "i", r"\1"),
    (r"(o)es$", "i", r"\1"),
    (r"(shoe)s$", "i", r"\1"),
    (r"(cris|test)(is|es)$", "i", r"\1is"),
    (r"^(a)x[ie]s$", "i", r"\1xis"),
    (r"(octop|vir)(us|i)$", "i", r"\1us"),
    (r"(alias|status)(es)?$", "i", r"\1"),
    (r"^(ox)en", "i", r"\1"),
    (r"(vert|ind)ices$", "i", r"\1ex"),
    (r"(matr)ices$", "i", r"\1ix"),
    (r"(quiz)zes$", "i", r"\1"),
    (r"(database)s$", "i", r"\1"),
]

_EN_IRREGULARS = [
    ("person", "people"), ("man", "men"), ("child", "children"),
    ("sex", "sexes"), ("move", "moves"), ("zombie", "zombies"),
]

_EN_UNCOUNTABLES = (
    "equipment information rice money species series fish sheep jeans police"
).split()


def default_inflections() -> Inflections:
    """A fresh instance holding ActiveSupport's default English rules."""
    inf = Inflections()
    for src, flags, repl in _EN_PLURALS:
        inf.plural(ruby_regex(src, flags), repl)
    for src, flags, repl in _EN_SINGULARS:
        inf.singular(ruby_regex(src, flags), repl)
    for s, p in _EN_IRREGULARS:
        inf.irregular(s, p)
    inf.uncountable(_EN_UNCOUNTABLES)
    return inf


_DEFAULT: list[Inflections] = []


def _default() -> Inflections:
    """The English rules, built on first use (compiling them is most of this module's
    import time, and a scan that reuses its analysis never needs them)."""
    if not _DEFAULT:
        _DEFAULT.append(default_inflections())
    return _DEFAULT[0]


def __getattr__(name: str):
    if name == "DEFAULT_INFLECTIONS":
        return _default()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _inf(inflections: Inflections | None) -> Inflections:
    return _default() if inflections is None else inflections


# ---------------------------------------------------------------------------
# Inflector methods
# ---------------------------------------------------------------------------

def pluralize(word: str, inflections: Inflections | None = None) -> str:
    """``"post"`` -> ``"posts"``, ``"person"`` -> ``"people"``, ``"sheep"`` -> ``"sheep"``."""
    inf = _inf(inflections)
    return inf.apply(word, inf.plurals, "p")


def singularize(word: str, inflections: Inflections | None = None) -> str:
    """``"posts"`` -> ``"post"``, ``"people"`` -> ``"person"``."""
    inf = _inf(inflections)
    return inf.apply(word, inf.singulars, "s")


_ALNUM_ONLY = re.compile(r"[a-z\d]*", re.ASCII)
_FIRST_WORD = re.compile(r"^[a-z\d]*", re.ASCII | re.MULTILINE)
_CAMEL_SEGMENT = re.compile(r"(?:_|(/))([a-z\d]*)", re.ASCII | re.IGNORECASE)


def camelize(term: str, uppercase_first_letter: bool = True,
             inflections: Inflections | None = None) -> str:
    """``"admin/line_items"`` -> ``"Admin::LineItems"`` (acronym-aware)."""
    inf = _inf(inflections)
    string = str(term)
    # memoised with the rule set's other results (cleared whenever a rule changes)
    key = ("C" if uppercase_first_letter else "c", string)
    hit = inf._cache.get(key)
    if hit is None:
        hit = inf._cache[key] = _camelize(inf, string, uppercase_first_letter)
    return hit


def _camelize(inf: Inflections, string: str, uppercase_first_letter: bool) -> str:
    if not uppercase_first_letter:
        string = inf.acronyms_camelize_regex.sub(lambda m: m.group(0).lower(), string, count=1)
    elif _ALNUM_ONLY.fullmatch(string):
        return inf.acronyms.get(string) or _capitalize(string)
    else:
        string = _FIRST_WORD.sub(
            lambda m: inf.acronyms.get(m.group(0)) or _capitalize(m.group(0)), string, count=1)

    def seg(m: re.Match[str]) -> str:
        word = m.group(2)
        substituted = inf.acronyms.get(word) or _capitalize(word)
        return f"::{substituted}" if m.group(1) else substituted

    return _CAMEL_SEGMENT.sub(seg, string)


_NEEDS_UNDERSCORE = re.compile(r"[A-Z-]|::")
_CASE_BOUNDARY = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])|(?<=[a-z\d])(?=[A-Z])", re.ASCII)


def underscore(camel_cased_word: str, inflections: Inflections | None = None) -> str:
    """``"Admin::LineItem"`` -> ``"admin/line_item"``, ``"HTMLParser"`` -> ``"html_parser"``."""
    inf = _inf(inflections)
    if not _NEEDS_UNDERSCORE.search(camel_cased_word):
        return camel_cased_word
    key = ("u", camel_cased_word)
    hit = inf._cache.get(key)
    if hit is None:
        hit = inf._cache[key] = _underscore(inf, camel_cased_word)
    return hit


def _underscore(inf: Inflections, camel_cased_word: str) -> str:
    word = camel_cased_word.replace("::", "/")
    word = inf.acronyms_underscore_regex.sub(
        lambda m: ("_" if m.group(1) is not None else "") + m.group(2).lower(), word)
    word = _CASE_BOUNDARY.sub("_", word)
    return word.replace("-", "_").lower()


def demodulize(path: str) -> str:
    """``"Admin::LineItem"`` -> ``"LineItem"``."""
    i = path.rfind("::")
    return path[i + 2:] if i >= 0 else path


def deconstantize(path: str) -> str:
    """``"Admin::LineItem"`` -> ``"Admin"``; ``"LineItem"`` -> ``""``."""
    i = path.rfind("::")
    return path[:i] if i >= 0 else ""


def tableize(class_name: str, inflections: Inflections | None = None) -> str:
    """Rails ``tableize``: ``"Admin::LineItem"`` -> ``"admin/line_items"`` (keeps ``/``)."""
    return pluralize(underscore(class_name, inflections), inflections)


def table_name_for(class_name: str, inflections: Inflections | None = None, *,
                   pluralize_table_names: bool = True, prefix: str = "",
                   suffix: str = "") -> str:
    """ActiveRecord's default table name: ``"Admin::LineItem"`` -> ``"line_items"``.

    Mirrors ``undecorated_table_name`` (demodulize, underscore, pluralize) with
    ``table_name_prefix``/``suffix`` supplied by the caller. It does not know
    about STI parents, explicit ``self.table_name =`` or parent-class nesting.
    """
    name = underscore(demodulize(class_name), inflections)
    if pluralize_table_names:
        name = pluralize(name, inflections)
    return f"{prefix}{name}{suffix}"


_SCHEMA_PREFIX = re.compile(r".*\.")


def classify(table_name: str, inflections: Inflections | None = None) -> str:
    """``"line_items"`` -> ``"LineItem"``, ``"admin/line_items"`` -> ``"Admin::LineItem"``."""
    return camelize(singularize(_SCHEMA_PREFIX.sub("", str(table_name), count=1), inflections),
                    inflections=inflections)


def foreign_key(class_name: str, separate_with_underscore: bool = True,
                inflections: Inflections | None = None) -> str:
    """``"Admin::Post"`` -> ``"post_id"``."""
    return underscore(demodulize(class_name), inflections) + ("_id" if separate_with_underscore else "id")


# ---------------------------------------------------------------------------
# Static Ruby literal evaluation (shared with deadcode.routes)
# ---------------------------------------------------------------------------

class Sym(str):
    """A Ruby Symbol; the ``str`` value is its name (``:admin`` -> ``"admin"``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Sym({str.__repr__(self)})"


@dataclass(frozen=True)
class Const:
    """A constant path such as ``Sidekiq::Web`` (leading ``::`` dropped)."""
    path: str


@dataclass(frozen=True)
class RubyRegex:
    source: str
    flags: str


@dataclass(frozen=True)
class Opaque:
    """A value we recognise but cannot evaluate (a call, lambda, ...)."""
    kind: str   # node type, e.g. "call", "lambda"
    name: str   # method name for calls ("redirect"), else ""


class _Unknown:
    _inst: "_Unknown | None" = None

    def __new__(cls) -> "_Unknown":
        if cls._inst is None:
            cls._inst = super().__new__(cls)
        return cls._inst

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN = _Unknown()

_SIMPLE_ESCAPES = {
    "n": "\n", "t": "\t", "s": " ", "r": "\r", "0": "\0", "e": "\x1b",
    "a": "\a", "b": "\b", "f": "\f", "v": "\v",
}


def _double_quoted_escape(text: str) -> str:
    """Value of one ``escape_sequence`` node inside a double-quoted literal."""
    body = text[1:]
    if not body:
        return "\\"
    c = body[0]
    if c in _SIMPLE_ESCAPES and len(body) == 1:
        return _SIMPLE_ESCAPES[c]
    if c == "u":
        digits = body[1:].strip("{}")
        try:
            return "".join(chr(int(d, 16)) for d in digits.split())
        except ValueError:
            return body
    if c == "x":
        try:
            return chr(int(body[1:], 16))
        except ValueError:
            return body
    if c.isdigit():
        try:
            return chr(int(body, 8))
        except ValueError:
            return body
    if len(body) == 1:
        return c
    return body


def _string_value(node, env: dict | None) -> object:
    children = node.children
    if not children:
        return ""
    opener = children[0].text.decode("utf-8", "replace") if children[0].type != "string_content" else '"'
    opener = opener.lstrip(":")
    single = opener.startswith(("'", "%q", "%w", "%i"))
    parts: list[str] = []
    for child in children:
        t = child.type
        if t == "string_content":
            raw = child.text.decode("utf-8", "replace")
            if single:
                raw = re.sub(r"\\([\\'])", r"\1", raw)
            parts.append(raw)
        elif t == "escape_sequence":
            raw = child.text.decode("utf-8", "replace")
            parts.append(raw[1:] if single and raw[1:] in ("\\", "'") else
                         raw if single else _double_quoted_escape(raw))
        elif t == "interpolation":
            inner = [c for c in child.named_children if c.type != "comment"]
            if len(inner) != 1:
                return UNKNOWN
            v = ruby_value(inner[0], env)
            if isinstance(v, (str, int)) and not isinstance(v, bool):
                parts.append(str(v))
            else:
                return UNKNOWN
    return "".join(parts)


def _const_path(node) -> str | None:
    if node.type == "constant":
        return node.text.decode()
    if node.type == "scope_resolution":
        name = node.child_by_field_name("name")
        scope = node.child_by_field_name("scope")
        if name is None or name.type != "constant":
            return None
        if scope is None:
            return name.text.decode()
        left = _const_path(scope)
        return None if left is None else f"{left}::{name.text.decode()}"
    return None


def ruby_value(node, env: dict | None = None) -> object:
    """Statically evaluate a literal-ish Ruby expression node.

    Returns ``str`` (strings), ``Sym`` (symbols), ``int``, ``bool``, ``None``
    (``nil``), ``list``, ``dict``, ``RubyRegex``, ``Const``, ``Opaque`` or
    ``UNKNOWN``. ``env`` maps local variable names to already-evaluated values.
    """
    t = node.type
    if t in ("string", "bare_string"):
        return _string_value(node, env)
    if t == "chained_string":
        parts = [ruby_value(c, env) for c in node.named_children]
        if all(isinstance(p, str) for p in parts):
            return "".join(parts)  # type: ignore[arg-type]
        return UNKNOWN
    if t in ("simple_symbol",):
        return Sym(node.text.decode("utf-8", "replace")[1:])
    if t == "hash_key_symbol":
        return Sym(node.text.decode("utf-8", "replace"))
    if t in ("delimited_symbol", "bare_symbol"):
        v = _string_value(node, env)
        return Sym(v) if isinstance(v, str) else UNKNOWN
    if t in ("string_array", "symbol_array", "array"):
        items = []
        for c in node.named_children:
            if c.type == "comment":
                continue
            if c.type == "splat_argument":
                inner = c.named_children
                v = ruby_value(inner[0], env) if inner else UNKNOWN
                if isinstance(v, list):
                    items.extend(v)
                    continue
                return UNKNOWN
            items.append(ruby_value(c, env))
        return items
    if t == "hash":
        return _hash_value(node.named_children, env)
    if t == "regex":
        return _regex_value(node)
    if t == "integer":
        try:
            return int(node.text.decode().replace("_", ""), 0)
        except ValueError:
            return UNKNOWN
    if t == "nil":
        return None
    if t == "true":
        return True
    if t == "false":
        return False
    if t in ("constant", "scope_resolution"):
        path = _const_path(node)
        return Const(path) if path else UNKNOWN
    if t == "identifier":
        if env is not None and node.text.decode() in env:
            return env[node.text.decode()]
        return UNKNOWN
    if t == "parenthesized_statements":
        inner = [c for c in node.named_children if c.type != "comment"]
        return ruby_value(inner[0], env) if len(inner) == 1 else UNKNOWN
    if t == "call":
        # %w[a b].freeze (and .dup, .to_a, .itself): the receiver's value, unwrapped
        # iteratively so a long chain costs no recursion
        while node.type == "call":
            m = node.child_by_field_name("method")
            recv = node.child_by_field_name("receiver")
            if m is None or recv is None or m.text not in _SAME_VALUE \
                    or node.child_by_field_name("arguments") is not None \
                    or node.child_by_field_name("block") is not None:
                break
            node = recv
        if node.type != "call":
            return ruby_value(node, env)
        m = node.child_by_field_name("method")
        return Opaque("call", m.text.decode() if m is not None else "")
    if t in ("lambda", "block"):
        return Opaque(t, "")
    return UNKNOWN


_SAME_VALUE = frozenset({b"freeze", b"dup", b"to_a", b"itself"})


def _hash_value(children, env: dict | None) -> dict:
    out: dict = {}
    for c in children:
        if c.type != "pair":
            continue
        k = c.child_by_field_name("key")
        v = c.child_by_field_name("value")
        key = ruby_value(k, env) if k is not None else UNKNOWN
        if key is UNKNOWN or isinstance(key, (list, dict)):
            continue
        if v is None:  # Ruby 3.1 shorthand `{x:}`
            val = (env or {}).get(str(key), UNKNOWN)
        else:
            val = ruby_value(v, env)
        out[key] = val
    return out


def _regex_value(node) -> object:
    children = node.children
    if len(children) < 2 or any(c.type == "interpolation" for c in children):
        return UNKNOWN
    first, last = children[0], children[-1]
    src = node.text[first.end_byte - node.start_byte:last.start_byte - node.start_byte]
    closing = last.text.decode("utf-8", "replace")
    return RubyRegex(src.decode("utf-8", "replace"), closing[1:])


_PARSER = None


def parse_ruby(source: bytes):
    """Parse Ruby source with tree-sitter-ruby (parser created lazily)."""
    global _PARSER
    if _PARSER is None:
        import tree_sitter_ruby
        from tree_sitter import Language, Parser
        _PARSER = Parser(Language(tree_sitter_ruby.language()))
    return _PARSER.parse(source)


def block_parts(block) -> tuple[list[str], list]:
    """(parameter names, body statements) of a ``do_block``/``block`` node."""
    params: list[str] = []
    p = block.child_by_field_name("parameters")
    if p is not None:
        for c in p.named_children:
            if c.type == "identifier":
                params.append(c.text.decode())
    body = block.child_by_field_name("body")
    stmts = [c for c in body.named_children if c.type != "comment"] if body is not None else []
    return params, stmts


def call_args(node, env: dict | None = None) -> tuple[list, dict, bool]:
    """(positional values, keyword/hash options, had_splat) of a ``call`` node.

    All ``key => value`` / ``key: value`` pairs are collected into one dict,
    as Ruby collects them into a trailing Hash; a trailing literal Hash
    argument is merged into it too.
    """
    positional: list = []
    opts: dict = {}
    splat = False
    args = node.child_by_field_name("arguments")
    if args is None:
        return positional, opts, splat
    pairs = []
    for c in args.named_children:
        if c.type == "comment":
            continue
        if c.type == "pair":
            pairs.append(c)
        elif c.type in ("splat_argument", "hash_splat_argument", "forward_argument"):
            splat = True
        elif c.type == "block_argument":
            continue
        else:
            positional.append(ruby_value(c, env))
    opts.update(_hash_value(pairs, env))
    if positional and isinstance(positional[-1], dict) and not pairs:
        opts.update(positional.pop())
    return positional, opts, splat


# ---------------------------------------------------------------------------
# config/initializers/inflections.rb
# ---------------------------------------------------------------------------

def _walk_calls(node, visit: Callable) -> None:
    """Pre-order walk; ``visit`` returns True to stop descending."""
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == "call" and visit(n):
            continue
        stack.extend(reversed(n.named_children))


def _is_inflections_call(node) -> bool:
    if node.type != "call":
        return False
    m = node.child_by_field_name("method")
    if m is None or m.text != b"inflections":
        return False
    recv = node.child_by_field_name("receiver")
    if recv is None:
        return True  # inside `module ActiveSupport; Inflector...` style code
    path = _const_path(recv)
    return path is not None and path.split("::")[-1] == "Inflector"


def _english(node) -> bool:
    pos, _opts, _ = call_args(node)
    if not pos:
        return True
    loc = pos[0]
    return isinstance(loc, str) and loc == "en"


def _rule_arg(value: object, line: int, inf: Inflections) -> str | re.Pattern[str] | None:
    if isinstance(value, RubyRegex):
        try:
            return ruby_regex(value.source, value.flags)
        except RubyRegexError as exc:
            inf.warnings.append(f"line {line}: skipped rule /{value.source}/{value.flags}: {exc}")
            return None
    if isinstance(value, str):
        return str(value)
    inf.warnings.append(f"line {line}: skipped rule with a non-literal pattern")
    return None


def _apply_inflect_call(call, method: str, inf: Inflections, env: dict) -> None:
    line = call.start_point[0] + 1
    pos, _opts, splat = call_args(call, env)
    if method in ("plural", "singular", "human"):
        if len(pos) != 2 or splat:
            inf.warnings.append(f"line {line}: skipped {method} with unexpected arguments")
            return
        rule = _rule_arg(pos[0], line, inf)
        repl = pos[1]
        if rule is None:
            return
        if not isinstance(repl, str):
            inf.warnings.append(f"line {line}: skipped {method} with a non-literal replacement")
            return
        getattr(inf, method)(rule, str(repl))
    elif method == "irregular":
        if len(pos) != 2 or not all(isinstance(p, str) and p for p in pos):
            inf.warnings.append(f"line {line}: skipped irregular with non-literal arguments")
            return
        inf.irregular(str(pos[0]), str(pos[1]))
    elif method == "uncountable":
        words = _flatten_values(pos)
        if words is None or splat:
            inf.warnings.append(f"line {line}: uncountable with non-literal arguments (partially) skipped")
        inf.uncountable([str(w) for w in (words or []) if isinstance(w, str)])
    elif method == "acronym":
        if len(pos) != 1 or not isinstance(pos[0], str) or not pos[0]:
            inf.warnings.append(f"line {line}: skipped acronym with a non-literal argument")
            return
        inf.acronym(str(pos[0]))
    elif method == "clear":
        scope = pos[0] if pos else "all"
        if isinstance(scope, str):
            inf.clear(str(scope))


def _flatten_values(values: list) -> list | None:
    out: list = []
    ok = True
    for v in values:
        if isinstance(v, list):
            sub = _flatten_values(v)
            if sub is None:
                ok = False
            out.extend(sub or [])
        elif isinstance(v, str):
            out.append(v)
        else:
            ok = False
    return out if ok else None


_INFLECT_METHODS = {"plural", "singular", "irregular", "uncountable", "acronym", "clear", "human"}

# How many statements (rule calls and loop iterations) of an initializer are
# evaluated at most. Real initializers have tens; literal loops nested three deep
# over hundreds of words would otherwise run for minutes.
MAX_STEPS = 5_000


class _OverBudget(Exception):
    def __init__(self, line: int):
        self.line = line


def _step(inf: "Inflections", node) -> None:
    inf._steps += 1
    if inf._steps > MAX_STEPS:
        raise _OverBudget(node.start_point[0] + 1)


def _run_inflect_block(stmts: list, param: str, inf: Inflections, env: dict) -> None:
    for stmt in stmts:
        _run_inflect_stmt(stmt, param, inf, env)


def _run_inflect_stmt(node, param: str, inf: Inflections, env: dict) -> None:
    _step(inf, node)
    if node.type == "call":
        recv = node.child_by_field_name("receiver")
        m = node.child_by_field_name("method")
        method = m.text.decode() if m is not None else ""
        if recv is not None and recv.type == "identifier" and recv.text.decode() == param:
            if method in _INFLECT_METHODS:
                _apply_inflect_call(node, method, inf, env)
            return
        block = node.child_by_field_name("block")
        if block is not None:
            names, stmts = block_parts(block)
            if method in ("each", "each_with_index") and recv is not None:
                items = ruby_value(recv, env)
                if isinstance(items, list):
                    for item in items:
                        _step(inf, node)
                        inner = dict(env)
                        if names:
                            inner[names[0]] = item
                        _run_inflect_block(stmts, param, inf, inner)
                    return
            _run_inflect_block(stmts, param, inf, env)
        return
    if node.type == "assignment":
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is not None and left.type == "identifier" and right is not None:
            env[left.text.decode()] = ruby_value(right, env)
        return
    if node.type in ("method", "singleton_method", "class", "module", "comment"):
        return
    for c in node.named_children:
        _run_inflect_stmt(c, param, inf, env)


def load_inflections_initializer(source: bytes, base: Inflections | None = None) -> Inflections:
    """Read ``config/initializers/inflections.rb`` statically.

    Returns a copy of ``base`` (default: the English defaults) with the
    file's ``:en`` rules applied in file order. Blocks for other locales are
    ignored; rules that cannot be evaluated statically are skipped and
    described in ``.warnings``.
    """
    inf = (base if base is not None else _default()).copy()
    inf._steps = 0
    tree = parse_ruby(source)

    def visit(call) -> bool:
        if _is_inflections_call(call):
            if not _english(call):
                return True
            block = call.child_by_field_name("block")
            if block is not None:
                names, stmts = block_parts(block)
                param = names[0] if names else "it"
                _run_inflect_block(stmts, param, inf, {})
            return True
        # ActiveSupport::Inflector.inflections(:en).acronym("API")
        recv = call.child_by_field_name("receiver")
        m = call.child_by_field_name("method")
        if recv is not None and _is_inflections_call(recv) and m is not None:
            if _english(recv) and m.text.decode() in _INFLECT_METHODS:
                _apply_inflect_call(call, m.text.decode(), inf, {})
            return True
        return False

    try:
        _walk_calls(tree.root_node, visit)
    except _OverBudget as over:
        inf.warnings.append(f"line {over.line}: stopped after {MAX_STEPS} statements "
                            "(loops too large to evaluate statically); later rules ignored")
    return inf
