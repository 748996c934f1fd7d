/* Search page: queries the static Pagefind index (pagefind/: the bundles listed in
   bundles.json, merged into one search) and lists title, authors and an excerpt per
   result. Result text is inserted as text nodes only. search.html?q=TERM runs TERM.

   Which results are shown is decided per bundle, before anything is listed, so the count
   shown is the number of results listed. Pagefind answers a word that is in no text of an
   index with the longest prefix of it that is ("xyzzyplugh" finds every "x", "muller" an
   "M."; Pagefind/pagefind#599) and it does so for every result of that index alike. So a
   bundle's results are kept when every word of the query is really in that bundle: as a
   whole word (Pagefind's exact search finds it), or as the beginning of a word that one of
   the bundle's best results was found by ("mull" typed for Müller). */
(function () {
  "use strict";
  const PAGE = 20;
  const PROBE = 5;  // a bundle's best results whose words are read when a word of the query is not whole in it
  const EXACT = /^\s*".+"\s*$/;  // a quoted phrase: Pagefind's exact search, which never substitutes a prefix
  let loaded = null;
  let current = 0;

  function root() { return document.querySelector(".enlsp-search"); }
  function field() { return document.querySelector(".enlsp-search form.bd-search input[name='q']"); }

  async function load() {
    if (loaded) return loaded;
    const index = new URL(root().dataset.pagefindIndex || "pagefind/", window.location.href);
    const manifest = await fetch(new URL("bundles.json", index), { cache: "no-cache" });
    if (!manifest.ok) throw new Error(`bundles.json: HTTP ${manifest.status}`);
    const listed = await manifest.json();
    const names = listed.bundles;
    const urls = names.map((name) => new URL(name, index).href);
    const module = await import(new URL("pagefind.js", urls[0]).href);
    // A series' root lists every edition's bundles: each with its edition's folder as the base of
    // its results' addresses (bases) and its edition (editions) for the filter.
    const bases = names.map((_, i) => new URL((listed.bases || [])[i] || "../", index).pathname);
    // Each bundle's results carry the filter bundle=<its name> (Pagefind's mergeFilter), so that
    // one bundle can be searched alone.
    await module.options({ baseUrl: bases[0], mergeFilter: { bundle: names[0] } });
    await module.init();
    await Promise.all(urls.slice(1).map((url, i) => module.mergeIndex(url, { baseUrl: bases[i + 1], mergeFilter: { bundle: names[i + 1] } })));
    // A series' root marks each edition's bundle of people a later edition lists too: the search
    // over every edition leaves it out (they are found once, in the later edition).
    // (An edition's own manifest names that bundle too, for the root to read: its own search takes it.)
    const repeated = new Set(listed.editions ? listed.repeated || [] : []);
    loaded = { pagefind: module, bundles: names, bases, editions: listed.editions || [], labels: listed.labels || {}, repeated };
    editionFilter(loaded);
    return loaded;
  }

  // The editions of the index, newest first as bundles.json lists them (not Object.keys of its
  // labels: keys that are numbers, the years, come out in ascending order).
  function editionIds(index) {
    const ids = [...new Set(index.editions)].filter((id) => id in index.labels);
    return ids.length ? ids : Object.keys(index.labels);
  }

  // The edition filter of a series' search: a select of "All editions" and each edition
  // (search.html?edition=2023 chooses one), shown when the index holds more than one edition.
  let edition = new URLSearchParams(window.location.search).get("edition") || "";
  function editionFilter(index) {
    const ids = editionIds(index);
    if (ids.length < 2 || document.getElementById("enlsp-search-edition")) return;
    const select = document.createElement("select");
    select.id = "enlsp-search-edition";
    select.className = "form-select enlsp-search-edition";
    select.setAttribute("aria-label", "Edition");
    const all = document.createElement("option");
    all.value = "";
    all.textContent = "All editions";
    select.appendChild(all);
    ids.forEach((id) => {
      const option = document.createElement("option");
      option.value = id;
      option.textContent = `${index.labels[id]} (${id})`;
      select.appendChild(option);
    });
    if (!ids.includes(edition)) edition = "";
    select.value = edition;
    select.addEventListener("change", () => {
      edition = select.value;
      const url = new URL(window.location.href);
      if (edition) url.searchParams.set("edition", edition); else url.searchParams.delete("edition");
      window.history.replaceState(null, "", url);
      run(field() ? field().value : "");
    });
    document.getElementById("enlsp-search-status").before(select);
  }

  // Accent and letter folding as the index does it ("muller" finds "Müller", "soren" finds "Søren").
  const LETTERS = { "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th", "ð": "d" };
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[ßøłđæœıþð]/g, (c) => LETTERS[c]);
  }
  function letters(text) { return fold(text).replace(/[^\p{L}\p{N}]+/gu, ""); }

  // The words Pagefind searches for: the query without punctuation (removed, not a break:
  // "GPT-2" is "gpt2"), split at white space.
  function queryWords(query) {
    return query.replace(/[\p{Pd}\p{Pe}\p{Pf}\p{Pi}\p{Po}\p{Ps}]/gu, "").split(/\s+/).filter((w) => letters(w));
  }

  // What Pagefind indexes of a word of the text: its letters and digits, and its parts at
  // punctuation, case changes and digits ("MohammadAli": mohammadali, mohammad, ali).
  const PARTS = /[\p{Lu}\p{Lt}][\p{Ll}\p{M}]+|\p{Lu}+(?![\p{Ll}\p{M}])|[\p{Ll}\p{Lm}\p{Lo}\p{M}]+|\p{N}+/gu;
  function forms(word) {
    return [letters(word), ...(word.normalize("NFC").match(PARTS) || []).map(letters)].filter(Boolean);
  }
  // A word of the query is in a result when a word it was found by begins with it, or shares a
  // stem-length beginning with it ("quantization" and "quantizing").
  function begins(term, form) {
    if (form.startsWith(term)) return true;
    let n = 0;
    while (n < form.length && n < term.length && form[n] === term[n]) n++;
    return n >= 4 && n >= term.length - 6;
  }
  function foundIn(term, data) {
    const all = (data.content || "").split(" ");
    return (data.locations || []).some((n) => all[n] !== undefined && forms(all[n]).some((form) => begins(term, form)));
  }

  // The results of one bundle: all of them, or none when a word of the query is in none of its
  // text (Pagefind then found a shorter prefix of it, in every result alike).
  async function bundleResults(pagefind, query, bundle) {
    const filters = { bundle };
    const found = await pagefind.search(query, { filters });
    const results = found ? found.results : [];
    if (!results.length || EXACT.test(query)) return results;
    const whole = await Promise.all(queryWords(query).map(async (word) => {
      const exact = await pagefind.search(`"${word}"`, { filters });
      return exact && exact.results.length ? null : letters(word);
    }));
    const unsure = whole.filter(Boolean);
    if (!unsure.length) return results;
    const best = await Promise.all(results.slice(0, PROBE).map((r) => r.data()));
    return unsure.every((term) => best.some((data) => foundIn(term, data))) ? results : [];
  }

  async function search(query) {
    const { pagefind, bundles, bases, editions, repeated } = await load();
    if (!queryWords(query).length) return [];
    const chosen = bundles.map((bundle, i) => [bundle, editions[i], bases[i]])
      .filter(([bundle, id]) => (edition ? id === edition : !repeated.has(bundle)));
    const answers = await Promise.all(chosen.map(([bundle, id, base]) => bundleResults(pagefind, query, bundle).then(
      (results) => results.map((r) => ({ score: r.score, data: () => r.data(), edition: id, base })))));
    return answers.flat().sort((a, b) => b.score - a.score);
  }

  // The excerpt: the words around the first hit inside the parts of the record an excerpt may
  // quote (meta.excerpt: word ranges of the abstract and the body, never the title, names and
  // affiliations shown above or printed in the PDF's author block; its digits are Braille patterns,
  // U+2800 + digit, which Pagefind does not search), with its hits marked; the start of the first
  // such part when none of them has a hit.
  const WINDOW = 30;
  function excerptFor(data) {
    const all = data.content ? data.content.split(" ") : [];  // Pagefind joins a record's words with one space
    const ranges = ((data.meta || {}).excerpt || "").replace(/[\u2800-\u2809]/g, (c) => String(c.charCodeAt(0) - 0x2800));
    const parts = ranges.split(" ").map((range) => range.split("-").map((n) => parseInt(n, 10)))
      .filter(([a, b]) => a >= 0 && b > a && a < all.length).map(([a, b]) => [a, Math.min(b, all.length)]);
    const out = document.createDocumentFragment();
    if (!parts.length) return out;
    const partOf = (n) => parts.find(([a, b]) => n >= a && n < b);
    const hits = (data.locations || []).filter((n) => partOf(n)).sort((x, y) => x - y);
    const [from, to] = hits.length ? partOf(hits[0]) : parts[0];
    let start = hits.length ? Math.max(from, hits[0] - Math.floor(WINDOW / 3)) : from;
    start = Math.max(from, Math.min(start, to - WINDOW));
    const end = Math.min(to, start + WINDOW);
    const marked = new Set(hits);
    if (start > from) out.appendChild(document.createTextNode("… "));
    all.slice(start, end).forEach((word, i) => {
      if (i) out.appendChild(document.createTextNode(" "));
      if (marked.has(start + i)) { const m = document.createElement("mark"); m.textContent = word; out.appendChild(m); }
      else out.appendChild(document.createTextNode(word));
    });
    if (end < to) out.appendChild(document.createTextNode(" …"));
    return out;
  }

  // A result's address as the reader sees it: a record of an edition's index that is a page of the
  // series' root (a person's page) comes as "/2023/../authors/x.html".
  function address(url) {
    const resolved = new URL(url, window.location.href);
    return resolved.origin === window.location.origin ? resolved.pathname + resolved.search + resolved.hash : resolved.href;
  }

  // Which edition a result is of, in a series' search over several editions ("WXYZ-III"): none
  // for a page of the series' own (a person's page, found through their newest edition).
  function editionLabel(result, href) {
    if (!loaded || !result || !result.edition || editionIds(loaded).length < 2 || !href.startsWith(result.base)) return "";
    return loaded.labels[result.edition] || result.edition;
  }

  function render(data, result) {
    const li = document.createElement("li");
    li.className = "enlsp-search-result";
    const kind = document.createElement("span");
    kind.className = "enlsp-result-kind sd-badge sd-outline-secondary sd-text-secondary";
    const href = address(data.url);
    kind.textContent = [editionLabel(result, href), (data.meta && data.meta.kind) || ""].filter(Boolean).join(" · ");
    const a = document.createElement("a");
    a.className = "enlsp-result-title";
    a.href = href;
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
    ex.appendChild(excerptFor(data));
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
    seriesLink(query);
    if (!query) { list.replaceChildren(); status.textContent = ""; document.getElementById("enlsp-search-more")?.remove(); return; }
    status.textContent = "Searching…";
    let results;
    try { results = await search(query); } catch (err) {
      if (mine !== current) return;
      status.textContent = "The search index is not available here. Build the site with enlsp-proceedings and open it through a web server.";
      return;
    }
    if (mine !== current) return;
    list.replaceChildren();
    document.getElementById("enlsp-search-more")?.remove();
    status.textContent = results.length ? `${results.length} result${results.length === 1 ? "" : "s"} for “${query}”` : `No results for “${query}”`;
    let shown = 0;
    async function more() {
      const slice = results.slice(shown, shown + PAGE);
      const batch = await Promise.all(slice.map((r) => r.data()));
      if (mine !== current) return;
      batch.forEach((d, i) => list.appendChild(render(d, slice[i])));
      shown += batch.length;
      document.getElementById("enlsp-search-more")?.remove();
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

  // An edition's search page in a series links the series' search of every edition, with the query.
  function seriesLink(query) {
    const link = document.querySelector(".enlsp-search-series-link");
    if (!link) return;
    const target = new URL(link.dataset.base || (link.dataset.base = link.getAttribute("href")), window.location.href);
    if (query) target.searchParams.set("q", query);
    link.href = target.href;
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
