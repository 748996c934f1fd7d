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
