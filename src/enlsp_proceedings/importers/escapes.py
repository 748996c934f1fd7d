"""Repairing LaTeX commands that a JSON or YAML reader turned into control characters (`repair_escapes`).

Abstracts pasted into a double-quoted JSON or YAML string keep their LaTeX: ``\\textit{DyREx}``,
``\\emph{sparse}``, ``\\ref{sec:x}``. Each format reads some backslash-letter pairs as escapes, so the
reader returns a tab and "extit{DyREx}", ESC and "mph{sparse}", a carriage return and "ef{sec:x}".
JSON's letter escapes are ``\\t \\b \\f \\n \\r``; YAML's are those and ``\\0 \\a \\v \\e \\N \\L \\P``.

A control character is put back as the backslash and letter it was read from only where the result is
recognisably a LaTeX command: the letter and the letters after it spell a command in `COMMANDS`, or
(for the characters that never belong in text: all but tab and newline) any command name followed by
``{``. A tab or a newline is text, so there the command must be known and followed by ``{``, a math
character, or at least three more letters ("\\n" + "abla" is ``\\nabla``; a line that starts with "eq"
stays a line). Every repair is reported, with the command it restored.
"""

from __future__ import annotations

import re

#: The control character each escape letter reads as, per format.
JSON_ESCAPES = {"t": "\t", "b": "\b", "f": "\f", "n": "\n", "r": "\r"}
YAML_ESCAPES = {**JSON_ESCAPES, "a": "\a", "v": "\v", "e": "\x1b", "N": "\x85", "L": "\u2028", "P": "\u2029"}

#: Characters that are ordinary text: here the command must be known and clearly a command.
_TEXT_CONTROLS = {"\t", "\n"}

#: Names of LaTeX commands that begin with one of the escape letters (the others cannot be damaged),
#: as abstracts and titles use them: text styles, references, common math.
COMMANDS = frozenset("""
text textit textbf texttt textsc textrm textsf textsl textup textmd textnormal textsuperscript textsubscript
textcolor textemdash textendash textquotedblleft textquotedblright textquoteleft textquoteright textasciitilde
textasciicircum textbackslash textbar textbullet textdegree textless textgreater textregistered texttrademark
textcopyright textpm texttimes textdagger textsection textellipsis textcircled textwidth textheight times tau
theta tilde top to triangle triangleq tfrac tt tiny today ttfamily thinspace therefore
bf bm boldsymbol beta bar big bigg bigl bigr biggl biggr bigcup bigcap bigoplus bigotimes bigwedge bigvee binom
bot bullet backslash begin bibitem breve bmod bfseries bigskip boxed because
frac footnote footnotesize footnotemark footnotetext fbox forall flat frown fontsize
newline noindent nabla nu neq ne not nolimits normalsize nocite neg ni nmid nleq ngeq notin nobreak nonumber
newcommand newpage natural nearrow nwarrow normalfont
ref rm rho rightarrow rangle rbrace rceil rfloor right rvert rVert rmfamily raisebox relax renewcommand rule
alpha approx ast aleph angle arg acute arccos arcsin arctan autoref
vec varepsilon vartheta varphi varrho varsigma varpi vee vert vspace verb vdots vdash
emph epsilon eta ell exp eqref end equiv emptyset em ensuremath exists enspace enskip eg ie etal
Large LARGE LaTeX Lambda Leftarrow Leftrightarrow Longrightarrow Longleftrightarrow
Pr Phi Pi Psi
""".split())

_NAMES = {"\t": "a tab", "\b": "a backspace", "\f": "a form feed", "\n": "a line break", "\r": "a carriage return",
          "\a": "a bell character", "\v": "a vertical tab", "\x1b": "an escape character (ESC)", "\x85": "a next-line character (NEL)",
          "\u2028": "a line separator", "\u2029": "a paragraph separator"}


def repair_escapes(text: str, escapes: dict[str, str]) -> tuple[str, list[str]]:
    """``text`` with each control character that a backslash escape of ``escapes`` (letter -> character)
    made of a LaTeX command put back; and a sentence per repair."""
    letter_of = {char: letter for letter, char in escapes.items()}
    pattern = re.compile("([" + re.escape("".join(letter_of)) + "])([A-Za-z]*)")
    repairs: list[str] = []

    def fix(match: re.Match[str]) -> str:
        control, rest = match.group(1), match.group(2)
        command = letter_of[control] + rest
        after = match.string[match.end():match.end() + 1]
        if control in _TEXT_CONTROLS:
            ok = command in COMMANDS and ((after != "" and after in "{$_^}\\") or len(rest) >= 3)
        else:
            ok = command in COMMANDS or (len(command) >= 2 and after == "{")
        if not ok:
            return match.group(0)
        restored = "\\" + command
        tail = re.match(r"\S{0,24}", match.string[match.end():]).group()  # type: ignore[union-attr]
        repairs.append(f"'{restored}{tail}' restored (the file's \\{letter_of[control]} escape had made it "
                       f"{_NAMES[control]} + '{rest}{tail}')")
        return restored

    return pattern.sub(fix, text), repairs
