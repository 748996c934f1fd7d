/* The parts of the theme's page frame that only scripts use, built here when the page
   loads instead of being written into each of the site's thousands of pages (see
   templates/layout.html). The ids and classes are the theme's, so its stylesheet styles
   them and its script, which runs after this one (both are deferred), wires them up:
   - the search button and its dialog (Ctrl+K opens it too); the dialog's form submits to
     search.html, the Pagefind search page;
   - the narrow-screen menu the hamburger button opens: a copy of the header's links;
   - a light/dark button beside the search button: auto (the system's setting) -> light -> dark,
     stored as the theme stores it (localStorage "mode"/"theme", read before the page paints). */
(function () {
  "use strict";
  const LABEL = "Search the proceedings";

  function element(tag, className, attributes) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    return node;
  }

  function shortcut(kbdClass) {
    const hint = element("span", "search-button__kbd-shortcut");
    hint.append(element("kbd", "kbd-shortcut__modifier"), "+", element("kbd", kbdClass));
    hint.firstChild.textContent = "Ctrl";
    hint.lastChild.textContent = "K";
    return hint;
  }

  function searchButton(inner) {
    if (inner.querySelector(".search-button__button")) return;
    const button = element("button", "btn search-button-field search-button__button", { type: "button", "aria-label": "Search" });
    const text = element("span", "search-button__default-text");
    text.textContent = "Search";
    button.append(element("i", "fa-solid fa-magnifying-glass"), text, shortcut("kbd-shortcut__modifier"));
    const holder = element("div", "navbar-persistent--mobile");
    holder.append(button);
    const items = inner.querySelector(".navbar-header-items");
    if (items) items.after(holder);
    else inner.append(holder);
  }

  const MODES = { auto: ["fa-circle-half-stroke", "light"], light: ["fa-sun", "dark"], dark: ["fa-moon", "auto"] };
  const MODE_NAMES = { auto: "automatic (as your system)", light: "light", dark: "dark" };

  function setMode(mode) {
    const dark = mode === "dark" || (mode === "auto" && window.matchMedia("(prefers-color-scheme: dark)").matches);
    const root = document.documentElement;
    root.dataset.mode = mode;
    root.dataset.theme = dark ? "dark" : "light";
    try { localStorage.setItem("mode", mode); localStorage.setItem("theme", root.dataset.theme); } catch (err) { /* private mode */ }
  }

  function modeButton(inner) {
    const holder = inner.querySelector(".navbar-persistent--mobile");
    if (!holder || holder.querySelector(".enlsp-mode-button")) return;
    const button = element("button", "btn pst-navbar-icon enlsp-mode-button", { type: "button" });
    const icon = element("i", "fa-solid");
    icon.setAttribute("aria-hidden", "true");
    button.append(icon);
    function show() {
      const mode = MODES[document.documentElement.dataset.mode] ? document.documentElement.dataset.mode : "auto";
      icon.className = "fa-solid " + MODES[mode][0];
      const label = `Colour scheme: ${MODE_NAMES[mode]}. Switch to ${MODE_NAMES[MODES[mode][1]]}`;
      button.setAttribute("aria-label", label);
      button.title = label;
    }
    button.addEventListener("click", () => {
      const mode = MODES[document.documentElement.dataset.mode] ? document.documentElement.dataset.mode : "auto";
      setMode(MODES[mode][1]);
      show();
    });
    show();
    holder.prepend(button);
  }

  function searchDialog() {
    if (document.getElementById("pst-search-dialog")) return;
    // data-content_root is the way to the site's root from this page (absolute on 404.html)
    const root = new URL(document.documentElement.dataset.content_root || "./", window.location.href);
    const form = element("form", "bd-search d-flex align-items-center", { method: "get", action: new URL("search.html", root).href });
    const input = element("input", "form-control", {
      type: "search", name: "q", placeholder: LABEL, "aria-label": LABEL,
      autocomplete: "off", autocorrect: "off", autocapitalize: "off", spellcheck: "false",
    });
    form.append(element("i", "fa-solid fa-magnifying-glass"), input, shortcut(""));
    const dialog = element("dialog", "", { id: "pst-search-dialog" });
    dialog.append(form);
    document.body.prepend(dialog);
  }

  function mobileMenu(header) {
    const container = document.querySelector(".bd-container__inner");
    let sidebar = document.getElementById("pst-primary-sidebar");
    if (!container || (sidebar && sidebar.querySelector(".sidebar-header-items"))) return;
    // Every header link, those under "More" too, as one list (as the theme's own copy is).
    const list = element("ul", "bd-navbar-elements navbar-nav");
    for (const link of header.querySelectorAll(".navbar-header-items a.nav-link")) {
      const item = element("li", "nav-item");
      if (link.closest("li").classList.contains("active")) item.classList.add("current", "active");
      const copy = link.cloneNode(true);
      copy.classList.remove("dropdown-item");
      item.append(copy);
      list.append(item);
    }
    const nav = element("nav", "", { "aria-label": "Site navigation" });
    nav.append(list);
    const navbarItem = element("div", "navbar-item");
    navbarItem.append(nav);
    const center = element("div", "sidebar-header-items__center");
    center.append(navbarItem);
    const section = element("div", "sidebar-header-items sidebar-primary__section");
    section.append(center);
    if (sidebar) {
      // pages with sidebar items (html_sidebars) have the sidebar already: the links go on top
      sidebar.prepend(section);
      return;
    }
    sidebar = element("div", "bd-sidebar-primary bd-sidebar hide-on-wide", { id: "pst-primary-sidebar" });
    sidebar.append(section);
    container.prepend(element("dialog", "", { id: "pst-primary-sidebar-modal", tabindex: "-1" }), sidebar);
  }

  const inner = document.querySelector("#pst-header .bd-header__inner");
  if (!inner) return;
  searchButton(inner);
  modeButton(inner);
  searchDialog();
  mobileMenu(inner);
  const toggle = inner.querySelector(".primary-toggle");  // its aria-controls names the menu once the menu exists
  if (toggle && document.getElementById("pst-primary-sidebar-modal")) toggle.setAttribute("aria-controls", "pst-primary-sidebar-modal");
})();

/* The reader's list ("My list"): a star on every paper and talk (buttons.enlsp-star with
   data-star="paper:<id>", "keynote:<id>" or "panel:<id>", written by the pages), kept in this
   browser's localStorage, one list per site (several sites may share an origin, and every
   file:// page shares one). Whatever is stored is checked before use: a corrupted or foreign
   value is an empty list, never an error. The header gets a link to the My list page with the
   count; the My list page's own script (enlsp-mylist.js) uses window.enlspList. Titles are
   read from the page as text and only ever written back as text. */
(function () {
  "use strict";
  const root = new URL(document.documentElement.dataset.content_root || "./", window.location.href);
  const STORE = "enlsp-list:" + root.pathname;
  const MY_LIST = "my-list.html";  // outputs/paths.py MY_LIST
  const KEY = /^(paper|keynote|panel):[A-Za-z0-9][A-Za-z0-9_-]{0,199}$/;
  const listeners = [];
  let status = null;

  function clean(value) {
    if (!value || typeof value !== "object" || !Array.isArray(value.items)) return [];
    const seen = new Set();
    const items = [];
    for (const item of value.items) {
      if (!item || typeof item.key !== "string" || !KEY.test(item.key) || seen.has(item.key)) continue;
      seen.add(item.key);
      items.push({ key: item.key, title: typeof item.title === "string" ? item.title.slice(0, 2000) : "" });
    }
    return items;
  }

  function read() {
    try { return clean(JSON.parse(window.localStorage.getItem(STORE) || "null")); } catch (err) { return []; }
  }

  function write(items) {
    try { window.localStorage.setItem(STORE, JSON.stringify({ version: 1, items: items })); return true; } catch (err) { return false; }
  }

  function titleOf(button) {
    const card = button.closest(".sd-card");
    const event = button.closest(".enlsp-event, .enlsp-mylist-item");
    let source = null;
    if (card) source = card.querySelector(".enlsp-talk-title") || card.querySelector(".sd-card-title");
    else if (event) source = event.querySelector("a:not(.enlsp-ics)");
    else source = document.querySelector(".bd-article h1");
    if (!source) return "";
    const copy = source.cloneNode(true);
    for (const extra of copy.querySelectorAll(".headerlink")) extra.remove();
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function announce(message) {
    if (!status) {
      status = document.createElement("div");
      status.className = "enlsp-visually-hidden";
      status.setAttribute("role", "status");
      document.body.append(status);
    }
    status.textContent = message;
  }

  function show(items) {
    const keys = new Set(items.map(i => i.key));
    for (const button of document.querySelectorAll("button.enlsp-star[data-star]")) {
      const on = keys.has(button.dataset.star);
      button.setAttribute("aria-pressed", on ? "true" : "false");
      const icon = button.querySelector(".fa-star");
      if (icon) {
        icon.classList.toggle("fa-solid", on);
        icon.classList.toggle("fa-regular", !on);
      }
      if (button.classList.contains("enlsp-star-icon")) {
        if (!button.hasAttribute("aria-label")) button.setAttribute("aria-label", "My list: " + (titleOf(button) || button.dataset.star));
        button.title = on ? "In my list (press to remove)" : "Add to my list";
      }
    }
    for (const count of document.querySelectorAll(".enlsp-list-count")) count.textContent = items.length ? String(items.length) : "";
    for (const link of document.querySelectorAll("a.enlsp-list-link")) {
      const label = "My list: " + (items.length === 1 ? "1 item" : items.length + " items");
      link.setAttribute("aria-label", label);
      link.title = label;
    }
    for (const listener of listeners) listener(items);
  }

  function set(key, on, title) {
    if (!KEY.test(key)) return false;
    const items = read().filter(i => i.key !== key);
    if (on) items.push({ key: key, title: title || "" });
    const saved = write(items);
    const now = read();
    show(now);
    if (!saved) announce("This browser does not let the site keep your list (storage is off or full).");
    else announce((on ? "Added to my list" : "Removed from my list") + " (" + (now.length === 1 ? "1 item" : now.length + " items") + ")");
    return saved;
  }

  function headerLink() {
    // a series' own pages (its home, people, search) have no list: each edition keeps its own
    if (document.body.hasAttribute("data-enlsp-no-list")) return;
    const holder = document.querySelector("#pst-header .navbar-persistent--mobile");
    if (!holder || holder.querySelector(".enlsp-list-link")) return;
    const link = document.createElement("a");
    link.className = "btn pst-navbar-icon enlsp-list-link";
    link.href = new URL(MY_LIST, root).href;
    if (new URL(MY_LIST, root).pathname === window.location.pathname) link.setAttribute("aria-current", "page");
    const icon = document.createElement("i");
    icon.className = "fa-solid fa-star";
    icon.setAttribute("aria-hidden", "true");
    const count = document.createElement("span");
    count.className = "enlsp-list-count";
    count.setAttribute("aria-hidden", "true");
    link.append(icon, count);
    holder.prepend(link);
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("button.enlsp-star[data-star]");
    if (!button) return;
    set(button.dataset.star, button.getAttribute("aria-pressed") !== "true", titleOf(button));
  });
  window.addEventListener("storage", function (event) {
    if (event.key === STORE || event.key === null) show(read());  // another tab changed the list
  });
  window.enlspList = {
    root: root, read: read, set: set, titleOf: titleOf,
    onChange: function (listener) { listeners.push(listener); },
    refresh: function () { show(read()); },
  };
  headerLink();
  show(read());
})();
