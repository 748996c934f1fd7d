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
    ex.appendChild(excerptNodes(data.excerpt || ""));
    li.appendChild(ex);
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
    const results = search ? search.results : [];
    list.replaceChildren();
    status.textContent = results.length ? `${results.length} result${results.length === 1 ? "" : "s"} for “${query}”` : `No results for “${query}”`;
    let shown = 0;
    async function more() {
      const batch = await Promise.all(results.slice(shown, shown + PAGE).map((r) => r.data()));
      if (mine !== current) return;
      batch.forEach((d) => list.appendChild(render(d)));
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
