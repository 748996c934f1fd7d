r"""The small LaTeX subset that titles and abstracts may hold, read once for every output.

Authors write titles and abstracts the way they write their papers: ``$7x$ faster``,
``\textit{DyREx}``. This module is the one reader of that subset; the pages, the plain-text
citation formats and ``check`` all go through `parse`:

* inline math, ``$…$`` (pandoc's rule: the opening ``$`` has a non-space character on its
  right, the closing one a non-space character on its left and no digit after it, so
  "$5 and $10" stays text) and ``\(…\)``;
* ``\textit{…}``, ``\emph{…}``, ``\textsl{…}`` (italics), ``\textbf{…}`` (bold),
  ``\textsc{…}`` (small capitals), ``\texttt{…}`` (typewriter), ``\textrm{…}``,
  ``\textsf{…}``, ``\textnormal{…}`` (plain text), nested;
* the escaped specials ``\% \& \_ \# \$ \{ \}``, shown as the character;
* any other command is shown as written (and ``check`` names it, `problems`).

Nothing here produces markup: `parse` gives `Span` trees whose text the pages put into
Text nodes (math into an element a client-side renderer reads the text of), and `plain`
gives the text the citation formats carry. BibTeX keeps the author's LaTeX as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

#: formatting commands with one braced argument -> the kind of span they make
STYLE_COMMANDS = {
    "textit": "em", "emph": "em", "textsl": "em", "textbf": "strong", "textsc": "sc", "texttt": "tt",
    "textrm": "plain", "textsf": "plain", "textnormal": "plain", "textup": "plain", "textmd": "plain",
}
#: escaped specials and the character each stands for
ESCAPES = {"%": "%", "&": "&", "_": "_", "#": "#", "$": "$", "{": "{", "}": "}"}
#: JSON escapes that eat the backslash of a command when a LaTeX string is written into JSON
#: unescaped (``"\textit"`` is a tab and "extit"): the control character and the letter it stood for
_JSON_ESCAPES = {"\t": "t", "\b": "b", "\f": "f", "\r": "r", "\v": "v"}
#: commands whose mangled form (`_JSON_ESCAPES`) `problems` recognises
_MANGLED_COMMANDS = {
    *STYLE_COMMANDS, "frac", "times", "tau", "theta", "tilde", "text", "textrm", "beta", "bf", "bar", "boldsymbol",
    "rho", "rm", "right", "vec", "varepsilon", "varphi", "vartheta", "tfrac", "top", "to",
}
_MAX_DEPTH = 20  # nested style commands deeper than this are shown as written


@dataclass(frozen=True)
class Span:
    """A piece of parsed text: ``text`` (shown as it is), ``math`` (LaTeX source of inline math),
    or a style (``em``, ``strong``, ``sc``, ``tt``, ``plain``) holding ``children``."""

    kind: str
    text: str = ""
    children: tuple[Span, ...] = ()


class _Reader:
    def __init__(self, source: str):
        self.s = source
        self.problems: list[str] = []
        self.match = self._match_braces()

    def _match_braces(self) -> dict[int, int]:
        """Opening brace -> its closing brace (escaped braces excluded); unmatched ones are problems."""
        s, stack, match = self.s, [], {}
        for m in re.finditer(r"\\.|[{}]", s, flags=re.S):
            if m.group() == "{":
                stack.append(m.start())
            elif m.group() == "}":
                if stack:
                    match[stack.pop()] = m.start()
                else:
                    self.problems.append("a closing brace '}' without its opening '{'")
        if stack:
            self.problems.append("an opening brace '{' without its closing '}'")
        return match

    def spans(self, at: int, end: int, depth: int) -> list[Span]:
        """The spans of ``s[at:end]``."""
        s = self.s
        out: list[Span] = []
        buf: list[str] = []
        i = at

        def flush() -> None:
            if buf:
                out.append(Span("text", "".join(buf)))
                buf.clear()

        while i < end:
            c = s[i]
            if c == "$":
                close = self._dollar_math(i, end)
                if close is not None:
                    flush()
                    out.append(Span("math", s[i + 1:close]))
                    i = close + 1
                    continue
                if i + 1 < end and not (s[i + 1].isspace() or s[i + 1].isdigit() or s[i + 1] == "$" or (i and s[i - 1] == "$")):
                    # "$x" opens math that never closes; "$5", "US$ 3" and "$$" are text
                    self.problems.append("a '$' without the '$' that closes the math")
            elif c == "\\" and i + 1 < end:
                nxt = s[i + 1]
                if nxt in ESCAPES:
                    buf.append(ESCAPES[nxt])
                    i += 2
                    continue
                if nxt == "\\":  # a line break, shown as written (not the start of a command)
                    buf.append("\\\\")
                    i += 2
                    continue
                if nxt == "(":
                    close = s.find("\\)", i + 2, end)
                    if close >= 0:
                        flush()
                        out.append(Span("math", s[i + 2:close]))
                        i = close + 2
                        continue
                    self.problems.append(r"a '\(' without the '\)' that closes the math")
                name = re.match(r"[A-Za-z]+", s[i + 1:end])
                if name:
                    command = name.group()
                    after = i + 1 + len(command)
                    if command in STYLE_COMMANDS and after in self.match and depth < _MAX_DEPTH:
                        flush()
                        closing = self.match[after]
                        out.append(Span(STYLE_COMMANDS[command], children=tuple(self.spans(after + 1, closing, depth + 1))))
                        i = closing + 1
                        continue
                    if command not in STYLE_COMMANDS:
                        self.problems.append(f"the command \\{command}, shown as written")
                    buf.append(s[i:after])
                    i = after
                    continue
            buf.append(c)
            i += 1
        flush()
        return out

    def _dollar_math(self, i: int, end: int) -> int | None:
        """The index of the '$' closing math opened at ``i``, or None (pandoc's tex_math_dollars rule)."""
        s = self.s
        if i + 1 >= end or s[i + 1].isspace() or s[i + 1] == "$" or (i and s[i - 1] == "$"):
            return None
        j = i + 1
        while True:
            j = s.find("$", j, end)
            if j < 0:
                return None
            if s[j - 1] != "\\" and not s[j - 1].isspace() and not (j + 1 < len(s) and s[j + 1].isdigit()):
                return j
            j += 1


@lru_cache(maxsize=4096)
def _parse(text: str) -> tuple[tuple[Span, ...], tuple[str, ...]]:
    reader = _Reader(text)
    spans = reader.spans(0, len(text), 0)
    return tuple(spans), tuple(dict.fromkeys(reader.problems))


def parse(text: str) -> tuple[Span, ...]:
    """The spans of a title or abstract (see the module's docstring)."""
    return _parse(text)[0]


def has_math(text: str) -> bool:
    """Whether the text holds inline math (the pages that show it load the math renderer)."""
    if "$" not in text and "\\(" not in text:
        return False
    return any(_has_math(span) for span in parse(text))


def _has_math(span: Span) -> bool:
    return span.kind == "math" or any(_has_math(child) for child in span.children)


#: The characters every problem of `problems` involves: a brace, a dollar, a backslash, or a
#: control character a JSON export made of one (a tab from the ``\t`` of ``\textbf``).
_MAY_HAVE_PROBLEMS = re.compile(r"[{}$\\\t\b\f\r\v]")


def problems(text: str) -> list[str]:
    """What of the text cannot be shown as its author meant: unknown commands, unbalanced braces or
    dollars, and LaTeX commands whose backslash a JSON export turned into a control character."""
    if not _MAY_HAVE_PROBLEMS.search(text):  # most titles and abstracts: no character any problem starts from
        return []
    found = list(_parse(text)[1])
    for match in re.finditer(r"([\t\b\f\r\v])([A-Za-z]+)", text):
        command = _JSON_ESCAPES[match.group(1)] + match.group(2)
        if command in _MANGLED_COMMANDS:
            found.append(f"\\{command} with its backslash lost: {match.group(1)!r} followed by {match.group(2)!r} "
                         f"(an export read '\\{_JSON_ESCAPES[match.group(1)]}' as a JSON escape; write \\{command})")
    return list(dict.fromkeys(found))


def plain(text: str) -> str:
    r"""The text without its markup, for formats that carry plain text (RIS, CSL-JSON, JSON-LD,
    Scholar tags, the page's description): styles dropped, math as readable text
    (``$7x$`` -> "7x", ``$\alpha$`` -> "α"), other commands as written."""
    if "$" not in text and "\\" not in text:
        return text
    return "".join(_plain(span) for span in parse(text))


def _plain(span: Span) -> str:
    if span.kind == "text":
        return span.text
    if span.kind == "math":
        return math_text(span.text)
    return "".join(_plain(child) for child in span.children)


@lru_cache(maxsize=1024)
def math_text(source: str) -> str:
    """Inline math as readable text (pylatexenc: Greek letters and symbols as Unicode); the
    source itself when pylatexenc cannot read it."""
    from pylatexenc.latex2text import LatexNodes2Text

    try:
        out = LatexNodes2Text(math_mode="text", strict_latex_spaces=False).latex_to_text(source)
    except Exception:  # noqa: BLE001 - pylatexenc raises several kinds on malformed input; the source stands in
        return source
    return re.sub(r"\s+", " ", out).strip() or source
