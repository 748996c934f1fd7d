/* Inline math in titles and abstracts, typeset by KaTeX (katex/, loaded before this file, only
   on pages that have math: sphinxext/frame.py).

   Each span.enlsp-math holds the TeX source as text, written escaped by the page builder
   (sphinxext/richtext.py). The source is read as text (textContent) and handed to
   katex.render, which builds the formula as DOM nodes: no author text is ever parsed as HTML.
   trust: false refuses \href, \url, \includegraphics and \htmlClass-like commands;
   throwOnError: false shows a formula KaTeX cannot read as its source, in the error colour;
   maxSize and maxExpand bound what a hostile formula can cost. Without JavaScript, or if KaTeX
   fails to load, the source stays as it is. */
(function () {
  "use strict";
  if (typeof katex === "undefined") return;
  var options = { throwOnError: false, trust: false, strict: "ignore", maxSize: 20, maxExpand: 200, displayMode: false };
  var found = document.querySelectorAll("span.enlsp-math");
  for (var i = 0; i < found.length; i++) {
    var element = found[i];
    var source = element.textContent;
    try {
      katex.render(source, element, options);  // its MathML keeps the source as an annotation
    } catch (error) {
      element.textContent = source;
    }
  }
})();
