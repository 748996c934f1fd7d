r"""The LaTeX subset of titles and abstracts (util.latex), and how pages and citation formats show it.

Fast: no build. What a built page and a browser make of it: tests/test_math_pages.py.
"""

from __future__ import annotations

import json

import pytest
import yaml
from docutils import nodes

from conftest import REPO
from enlsp_proceedings.model.schema import Paper, Workshop
from enlsp_proceedings.outputs import cite
from enlsp_proceedings.sphinxext.pages import PAGES, Page
from enlsp_proceedings.sphinxext.richtext import MATH_CLASS, flag_math, math_text, rich, rich_markup, rich_paragraphs
from enlsp_proceedings.util import latex
from enlsp_proceedings.util.latex import Span
from synthetic import workshop_yaml

SOURCE = REPO.parent / "shared" / "enlsp-ii-2022-source"
WORKSHOP = Workshop.model_validate(workshop_yaml())


def text(value: str) -> Span:
    return Span("text", value)


# -- reading the subset ----------------------------------------------------------------------

def test_inline_math_follows_pandocs_dollar_rule():
    assert latex.parse("$7x$ faster") == (Span("math", "7x"), text(" faster"))
    assert latex.parse(r"O($n^2$) and \(a+b\)") == (text("O("), Span("math", "n^2"), text(") and "), Span("math", "a+b"))
    # money, "$$" and a dollar followed by a space are text
    for money in ("costs $5 and $10 today", "US$ 3 or $ 4", "$$x$$", "a $ b $ c"):
        assert latex.parse(money) == (text(money),), money
        assert not latex.has_math(money) and latex.plain(money) == money
    assert latex.has_math(r"speed-up of $7\times$") and not latex.has_math("no math here")


def test_style_commands_nest_and_other_commands_are_shown_as_written():
    assert latex.parse(r"we propose \textit{DyREx}, a") == (text("we propose "), Span("em", children=(text("DyREx"),)), text(", a"))
    assert latex.parse(r"\textbf{\emph{deep}}") == (Span("strong", children=(Span("em", children=(text("deep"),)),)),)
    assert latex.parse(r"\textsc{Bert} \texttt{x_y} \textrm{r}") == (
        Span("sc", children=(text("Bert"),)), text(" "), Span("tt", children=(text("x_y"),)), text(" "), Span("plain", children=(text("r"),)))
    assert latex.parse(r"100\% \& \_x \{y\}") == (text("100% & _x {y}"),)
    for written in (r"\unknown{y}", r"\cite{x}", r"a \\ b", "{braces}", r"\input{/etc/passwd}"):
        assert latex.plain(written) == written, written


def test_plain_text_is_what_citation_formats_carry():
    assert latex.plain(r"We propose \textit{DyREx}, $7x$ faster, with \(\alpha\)-entmax") == "We propose DyREx, 7x faster, with α-entmax"
    assert latex.plain(r"\textbf{\emph{deep}} nets") == "deep nets"


def test_problems_name_what_the_site_cannot_show_as_meant():
    assert latex.problems(r"\textit{fine} and $x$") == []
    assert latex.problems(r"\unknown{y}") == [r"the command \unknown, shown as written"]
    assert latex.problems("{unbalanced") == ["an opening brace '{' without its closing '}'"]
    assert latex.problems("$open math") == ["a '$' without the '$' that closes the math"]
    assert latex.problems("a $5 fee") == []  # money is not math
    # a JSON export that read "\t" of "\textit" as a tab
    [mangled] = latex.problems("we propose \textit{DyREx}")
    assert r"\textit with its backslash lost" in mangled and r"write \textit" in mangled


def test_problems_skip_only_text_no_problem_can_start_from(monkeypatch):
    """`problems` answers at once for a text with no brace, dollar, backslash or JSON-mangled control
    character (most titles and abstracts): the same answer the full reading gives, on both editions'
    real titles and abstracts and on each character a problem starts from."""
    texts = [value for path in sorted((REPO / "conf").glob("*/papers.yaml"))
             for paper in yaml.safe_load(path.read_text(encoding="utf-8"))["papers"]
             for value in (paper.get("title", ""), paper.get("abstract") or "")]
    texts += ["plain words", "a } alone", "a { alone", "$x", r"\(x", r"\unknown", "\textit{x}", "\bf", "\frac", "\rm", "\vec{x}", "100 % sure"]
    quick = [latex.problems(t) for t in texts]
    monkeypatch.setattr(latex, "_MAY_HAVE_PROBLEMS", __import__("re").compile(""))  # every text read in full
    assert quick == [latex.problems(t) for t in texts]
    assert sum(bool(found) for found in quick) >= 9  # the crafted ones and the real archive's own


def test_the_organizers_file_of_enlsp_ii_holds_a_mangled_textit_that_check_names():
    """The accepted list's abstract of DyREx as a YAML/JSON reader decodes it ("\\t" is a tab):
    the customer's "we propose extit{DyREx}"."""
    path = SOURCE / "_data" / "accepted_papers.yml"
    if not path.exists():
        pytest.skip(f"{path} is not beside this clone")
    papers = yaml.safe_load(path.read_text(encoding="utf-8"))
    [dyrex] = [p for p in papers if "DyREx" in p.get("abstract", "")]
    assert "\textit{DyREx}" in dyrex["abstract"]  # a tab, then "extit"
    assert any(r"\textit with its backslash lost" in p for p in latex.problems(dyrex["abstract"]))
    repaired = dyrex["abstract"].replace("\t", "\\t")
    assert latex.problems(repaired) == [] and "DyREx" in latex.plain(repaired) and "textit" not in latex.plain(repaired)


# -- pages: nodes and markup, never parsed as HTML --------------------------------------------

def test_pages_get_italics_bold_and_math_nodes():
    out = rich(r"We propose \textit{DyREx}, $7x$ \textbf{faster}")
    assert [type(n) for n in out] == [nodes.Text, nodes.emphasis, nodes.Text, math_text, nodes.Text, nodes.strong]
    assert out[1].astext() == "DyREx" and out[5].astext() == "faster"
    assert out[3]["tex"] == "7x" and out[3]["classes"] == [MATH_CLASS] and out[3].astext() == "7x"
    assert rich(r"$\alpha$")[0].astext() == "α"  # other builders and <title>: the plain text
    [first, second] = rich_paragraphs("A $x$ b.\n\nPlain second\nparagraph.")
    assert isinstance(first[1], math_text) and second.astext() == "Plain second paragraph."


def test_markup_of_cards_escapes_everything_inside_math_and_styles():
    markup = rich_markup(r"$<script>alert(1)</script>$ \textit{<img src=x onerror=alert(2)>} & \unknown{x}")
    assert str(markup) == ('<span class="enlsp-math">&lt;script&gt;alert(1)&lt;/script&gt;</span> '
                           '<em>&lt;img src=x onerror=alert(2)&gt;</em> &amp; \\unknown{x}')
    assert str(rich_markup("plain <b>")) == "plain &lt;b&gt;"
    fragment = flag_math(nodes.container(), "no math", "$x$")
    assert fragment["classes"] == [MATH_CLASS]
    assert flag_math(nodes.container(), "$5 and $6")["classes"] == []


def test_paper_page_renders_the_title_and_abstract_with_their_latex():
    from enlsp_proceedings.model.schema import Proceedings
    from enlsp_proceedings.outputs.volume import Volume

    paper = {"id": "p", "title": r"Fast \emph{and} $O(n)$", "authors": [{"name": "A B"}], "presentation": "oral",
             "abstract": r"We propose \textit{DyREx}, $7x$ faster."}
    volume = Volume(Proceedings.model_validate({"workshop": workshop_yaml(), "papers": [paper]}), {})
    [page] = PAGES["paper"].render(Page("papers/p"), PAGES["paper"].shows(volume, "p"))
    title = page[0]
    assert isinstance(title, nodes.title) and title.astext() == "Fast and O(n)"
    assert [m["tex"] for m in page.findall(math_text)] == ["O(n)", "7x"]
    assert [e.astext() for e in page.findall(nodes.emphasis)] == ["and", "DyREx"]
    assert not list(page.findall(nodes.raw))
    bib = next(n for n in page.findall(nodes.literal_block) if "@inproceedings" in n.astext()).astext()
    assert r"\emph{and} $O(n)$" in bib  # BibTeX keeps the LaTeX


# -- citation formats: plain text; BibTeX: LaTeX ---------------------------------------------

PAPER = Paper(id="dy", title=r"DyREx: \textit{Dynamic} Queries, $7\times$ Faster", abstract=r"We propose \textit{DyREx}, $7x$ faster.",
              authors=[{"name": "Niama El Khbir", "family": "El Khbir"}], presentation="oral")


def test_ris_csl_acl_markdown_and_scholar_carry_plain_text():
    ris = cite.to_ris(PAPER, WORKSHOP, "https://example.org/p", None)
    assert "TI  - DyREx: Dynamic Queries, 7× Faster\n" in ris and "AB  - We propose DyREx, 7x faster.\n" in ris
    csl = cite.csl_paper(PAPER, WORKSHOP, "k", "https://example.org/p", None, None)
    assert csl["title"] == "DyREx: Dynamic Queries, 7× Faster" and csl["abstract"] == "We propose DyREx, 7x faster."
    assert "textit" not in json.dumps(csl) and "$" not in json.dumps(csl)
    assert "DyREx: Dynamic Queries, 7× Faster." in cite.to_acl_text(PAPER, WORKSHOP)
    assert "[DyREx: Dynamic Queries, 7× Faster](https://example.org/p)" in cite.to_markdown(PAPER, WORKSHOP, "https://example.org/p")


def test_bibtex_keeps_the_latex_of_titles_and_writes_unsafe_math_as_text():
    assert cite.latex_title(PAPER.title) == r"{DyREx}: \emph{Dynamic} Queries, $7\times$ Faster"
    # math using commands outside the safe list is text: nothing an author writes runs in LaTeX
    hostile = cite.latex_title(r"On $\input{/etc/passwd}$ and $\write18{rm}$")
    assert r"\input" not in hostile.replace(r"{\textbackslash}input", "") and "$" not in hostile.replace(r"{\$}", "")
    # the workshop's own fields are not read as LaTeX
    assert cite.literal_title(r"Proc. of $x$ \textit{y}") == r"Proc. of {\$}x{\$} {\textbackslash}textit{\textbraceleft}y{\textbraceright}"


def test_calendars_name_the_talk_in_plain_text():
    from enlsp_proceedings.model.schema import Proceedings
    from enlsp_proceedings.outputs import ics
    from enlsp_proceedings.outputs.volume import Volume

    volume = Volume(Proceedings.model_validate({
        "workshop": workshop_yaml(), "papers": [PAPER.model_dump(mode="json", exclude_none=True)],
        "schedule": [{"start": "09:00", "end": "09:15", "paper": "dy"}, {"start": "09:15", "end": "09:30", "title": r"Coffee \& cake", "kind": "break"}],
    }), {})
    text = ics.schedule_ics(volume) + "".join(ics.talk_ics_files(volume).values())
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:DyREx: Dynamic Queries\\, 7× Faster" in unfolded and "textit" not in unfolded
    assert r"Coffee \\& cake" in unfolded  # an organizer's slot title is not read as LaTeX
