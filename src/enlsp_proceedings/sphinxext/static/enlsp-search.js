/* Search page: queries the static Pagefind index (pagefind/: the bundles listed in
   bundles.json, merged into one search) and lists title, authors and an excerpt per
   result. Result text is inserted as text nodes only; the excerpt's <mark>
   highlights are rebuilt as elements, never parsed as HTML. search.html?q=TERM runs TERM. */
(function () {
  "use strict";
  const PAGE = 20;
  let pagefind = null;
  let current = 0;

  function root() { return document.querySelector(".enlsp-search"); }
  function field() { return document.querySelector(".enlsp-search form.bd-search input[name='q']"); }

  async function load() {
    if (pagefind) return pagefind;
    const index = new URL(root().dataset.pagefindIndex || "pagefind/", window.location.href);
    const manifest = await fetch(new URL("bundles.json", index), { cache: "no-cache" });
    if (!manifest.ok) throw new Error(`bundles.json: HTTP ${manifest.status}`);
    const bundles = (await manifest.json()).bundles.map((name) => new URL(name, index).href);
    const module = await import(new URL("pagefind.js", bundles[0]).href);
    const options = { baseUrl: new URL("../", index).pathname };
    await module.options(options);
    await module.init();
    await Promise.all(bundles.slice(1).map((bundle) => module.mergeIndex(bundle, options)));
    pagefind = module;
    return module;
  }

  function excerptNodes(excerpt) {
    // Pagefind escapes the text and wraps hits in <mark>: split on the marks, decode the rest as text.
    const out = document.createDocumentFragment();
    const decoder = document.createElement("textarea");
    excerpt.split(/(<mark>|<\/mark>)/).reduce((inMark, part) => {
      if (part === "<mark>") return true;
      if (part === "</mark>") return false;
      decoder.innerHTML = part.replace(/</g, "&lt;");
      const node = document.createTextNode(decoder.value);
      if (inMark) { const m = document.createElement("mark"); m.appendChild(node); out.appendChild(m); }
      else out.appendChild(node);
      return inMark;
    }, false);
    return out;
  }

  // Accent and letter folding as the index does it ("muller" finds "Müller", "soren" finds "Søren").
  const LETTERS = { "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th", "ð": "d" };
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[ßøłđæœıþð]/g, (c) => LETTERS[c]);
  }
  function words(text) { return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean); }

  // Pagefind answers a word that is in no text with the longest prefix that is ("xyzzyplugh"
  // finds every "x", Pagefind/pagefind#599). A word is really found when a word of the result
  // starts with it, or shares a stem-length beginning with it ("installation", "installing").
  function found(term, vocabulary) {
    if (term.length < 3) return true;
    for (const word of vocabulary) {
      if (word.startsWith(term)) return true;
      let n = 0;
      while (n < word.length && n < term.length && word[n] === term[n]) n++;
      if (n >= 4 && n >= term.length - 6) return true;
    }
    return false;
  }
  function matches(data, terms) {
    const meta = data.meta || {};
    const vocabulary = new Set(words([data.content || "", meta.title || "", meta.authors || ""].join(" ")));
    return terms.every((term) => found(term, vocabulary));
  }

  // The excerpt comes from the text below the title and authors (which the result already
  // shows): the first hit after the record's first `lead` words and outside the PDF's own
  // title and author block (`skip`), with its hits marked.
  const WINDOW = 30;
  function excerptFor(data) {
    const all = (data.content || "").split(/\s+/).filter(Boolean);
    const meta = data.meta || {};
    const lead = Math.min(parseInt(meta.lead || "0", 10) || 0, all.length);
    const [skipFrom, skipTo] = (meta.skip || "0-0").split("-").map((n) => parseInt(n, 10) || 0);
    const hits = new Set((data.locations || []).filter((n) => n >= lead && !(n >= skipFrom && n < skipTo)));
    const first = Math.min(...hits, Infinity);
    const start = first === Infinity ? lead : Math.max(lead, first - Math.floor(WINDOW / 3));
    const out = document.createDocumentFragment();
    if (start > lead) out.appendChild(document.createTextNode("… "));
    all.slice(start, start + WINDOW).forEach((word, i) => {
      if (i) out.appendChild(document.createTextNode(" "));
      if (hits.has(start + i)) { const m = document.createElement("mark"); m.textContent = word; out.appendChild(m); }
      else out.appendChild(document.createTextNode(word));
    });
    if (start + WINDOW < all.length) out.appendChild(document.createTextNode(" …"));
    return out;
  }

  function render(data) {
    const li = document.createElement("li");
    li.className = "enlsp-search-result";
    const kind = document.createElement("span");
    kind.className = "enlsp-result-kind sd-badge sd-outline-secondary sd-text-secondary";
    kind.textContent = (data.meta && data.meta.kind) || "";
    const a = document.createElement("a");
    a.className = "enlsp-result-title";
    a.href = data.url;
    a.textContent = (data.meta && data.meta.title) || data.url;
    const head = document.createElement("p");
    head.appendChild(a);
    if (kind.textContent) { head.appendChild(document.createTextNode(" ")); head.appendChild(kind); }
    li.appendChild(head);
    if (data.meta && data.meta.authors) {
      const who = document.createElement("p");
      who.className = "enlsp-result-authors";
      who.textContent = data.meta.authors;
      li.appendChild(who);
    }
    const ex = document.createElement("p");
    ex.className = "enlsp-result-excerpt";
    ex.appendChild(data.meta && data.meta.lead !== undefined ? excerptFor(data) : excerptNodes(data.excerpt || ""));
    if (ex.textContent.trim()) li.appendChild(ex);
    return li;
  }

  async function run(query) {
    const mine = ++current;
    const list = document.getElementById("enlsp-search-results");
    const status = document.getElementById("enlsp-search-status");
    query = (query || "").trim();
    const url = new URL(window.location.href);
    if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
    if (!query) { list.replaceChildren(); status.textContent = ""; return; }
    status.textContent = "Searching…";
    let pf;
    try { pf = await load(); } catch (err) {
      status.textContent = "The search index is not available here. Build the site with enlsp-proceedings and open it through a web server.";
      return;
    }
    const search = await pf.search(query);
    if (mine !== current) return;
    let results = search ? search.results : [];
    const terms = words(query);
    if (results.length && !matches(await results[0].data(), terms)) results = [];  // only prefixes of the words matched
    if (mine !== current) return;
    list.replaceChildren();
    status.textContent = results.length ? `${results.length} result${results.length === 1 ? "" : "s"} for “${query}”` : `No results for “${query}”`;
    let shown = 0;
    async function more() {
      const batch = await Promise.all(results.slice(shown, shown + PAGE).map((r) => r.data()));
      if (mine !== current) return;
      batch.filter((d) => matches(d, terms)).forEach((d) => list.appendChild(render(d)));
      shown += batch.length;
      const old = document.getElementById("enlsp-search-more");
      if (old) old.remove();
      if (shown < results.length) {
        const button = document.createElement("button");
        button.id = "enlsp-search-more";
        button.type = "button";
        button.className = "sd-btn sd-btn-outline-primary";
        button.textContent = `Show more (${results.length - shown} left)`;
        button.addEventListener("click", more);
        list.after(button);
      }
    }
    await more();
  }

  function start() {
    if (!root()) return;
    const input = field();
    const query = new URLSearchParams(window.location.search).get("q") || "";
    let timer = null;
    if (input) {
      input.value = query;
      input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => run(input.value), 200); });
      input.form.addEventListener("submit", (event) => { event.preventDefault(); clearTimeout(timer); run(input.value); });
      input.focus();
    }
    run(query);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
