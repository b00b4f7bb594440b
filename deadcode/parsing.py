"""Tree-sitter parsers, and the Ruby hidden in templates.

Templates become Ruby source with the same line numbers: every byte that is not
Ruby code turns into a space (newlines stay), so a reference's row in the
generated source is its row in the template.
"""

from __future__ import annotations

import re
from functools import lru_cache

import tree_sitter_embedded_template
import tree_sitter_ruby
from tree_sitter import Language, Parser

RUBY = Language(tree_sitter_ruby.language())
ERB = Language(tree_sitter_embedded_template.language())


@lru_cache(maxsize=None)
def ruby_parser() -> Parser:
    return Parser(RUBY)


@lru_cache(maxsize=None)
def erb_parser() -> Parser:
    return Parser(ERB)


def parse_ruby(source: bytes):
    return ruby_parser().parse(source)


def erb_to_ruby(source: bytes) -> bytes:
    """The Ruby code of an ERB template, at the template's own byte offsets."""
    tree = erb_parser().parse(source)
    out = bytearray(source.translate(_NON_NEWLINE_TO_SPACE))
    for directive in tree.root_node.children:
        if directive.type not in ("directive", "output_directive"):
            continue
        for code in directive.children:
            if code.type == "code":
                out[code.start_byte:code.end_byte] = source[code.start_byte:code.end_byte]
        # a statement separator where the directive closes ("%>")
        end = directive.end_byte
        if end - 2 >= directive.start_byte and out[end - 2] in (32,):
            out[end - 2] = ord(";")
    return bytes(out)


_NON_NEWLINE_TO_SPACE = bytes(
    10 if i == 10 else 32 for i in range(256)
)

# `- code` only opens a line; after a tag (`%span.preview-new`, `div.js-new`) only `=`
# forms are Ruby, so a hyphen inside a class name is never read as code
_HAML_RUBY = re.compile(
    rb"^(\s*)(?:[%.#][\w\-:.#]*(?:\{[^}]*\}|\([^)]*\))*\s*(?:&=|!=|=|~)|&=|!=|=|~|-)(?!#)\s?(.*)$"
)
_SLIM_RUBY = re.compile(rb"^(\s*)(?:[a-z][\w\-.#]*(?:\s*\[[^\]]*\])?\s*(?:==|=)|==|=|-)\s?(.*)$")
_INTERPOLATION = re.compile(rb"#\{([^{}\n]*(?:\{[^{}\n]*\}[^{}\n]*)*)\}")
_BLOCK_OPEN = re.compile(rb"(\bdo\b(\s*\|[^|]*\|)?|\{\s*(\|[^|]*\|)?)\s*$")
_BRANCH = re.compile(rb"^\s*(else|elsif|when|rescue|ensure|end)\b")


def _line_ruby(source: bytes, pattern: re.Pattern) -> bytes:
    """Ruby of ``=``/``-`` lines of HAML or Slim, one statement a line."""
    out = []
    lines = source.split(b"\n")
    i = 0
    while i < len(lines):
        raw = lines[i]
        i += 1
        m = pattern.match(raw)
        code = m.group(2).strip() if m else b""
        joined = 0
        # a Ruby line ending in a comma goes on with the next line (both HAML and Slim)
        if code.endswith(b","):
            parts = [code]
            while parts[-1].endswith(b",") and i < len(lines) and joined < 200:
                parts.append(lines[i].strip())
                i += 1
                joined += 1
            code = b" ".join(parts)
        if code and not _BRANCH.match(code):
            if code.startswith(b"if ") or code.startswith(b"unless ") or code.startswith(b"case "):
                code = code + b"; end"
            elif _BLOCK_OPEN.search(code):
                code = code + (b" }" if code.rstrip().endswith((b"{", b"|")) and b"{" in code and b"do" not in code else b" end")
        elif b"#{" in raw:
            # plain text and filters (`:javascript`) interpolate `#{...}`
            code = b"; ".join(_INTERPOLATION.findall(raw))
        else:
            code = b""
        out.append(code)
        out.extend([b""] * joined)   # keep every later line where it was
    return b"\n".join(out)


def haml_to_ruby(source: bytes) -> bytes:
    return _line_ruby(source, _HAML_RUBY)


def slim_to_ruby(source: bytes) -> bytes:
    return _line_ruby(source, _SLIM_RUBY)


def template_to_ruby(lang: str, source: bytes) -> bytes:
    if lang == "erb":
        return erb_to_ruby(source)
    if lang == "haml":
        return haml_to_ruby(source)
    if lang == "slim":
        return slim_to_ruby(source)
    return source
