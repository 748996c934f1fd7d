/* Papers list filters (presentation, track, award) and the authors index's people filter, all in the browser.
   The page lists every card; each card's column has data-presentation, data-track and
   data-award. This script adds the controls, hides non-matching cards and empty groups,
   and keeps the choice in the URL (?presentation=oral&track=graph&award=yes). */
(function () {
  "use strict";
  const KEYS = ["edition", "presentation", "track", "award"];  // edition: a series' list of every paper
  const TITLES = { edition: "Edition", presentation: "Presentation", track: "Track", award: "Award" };

  // Authors index: everyone, only authors and speakers, or only organizers and committee.
  function startPeople(holder) {
    let options;
    try { options = JSON.parse(holder.dataset.options || "{}").group || []; } catch (err) { return; }
    const form = document.createElement("form");
    form.className = "enlsp-filter-form";
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", "Filter people");
    const label = document.createElement("label");
    const text = document.createElement("span");
    text.textContent = "Show";
    const select = document.createElement("select");
    select.name = "group";
    select.className = "form-select form-select-sm";
    [["", "Everyone"], ...options].forEach(([value, name]) => {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = name;
      select.appendChild(option);
    });
    const wanted = new URLSearchParams(window.location.search).get("group");
    if (options.some(([value]) => value === wanted)) select.value = wanted;
    label.append(text, select);
    form.appendChild(label);
    form.addEventListener("submit", (event) => event.preventDefault());
    holder.appendChild(form);
    function apply() {
      document.querySelectorAll("p.enlsp-group-contributor, p.enlsp-group-committee").forEach((p) => {
        const item = p.closest("li");
        if (item) item.hidden = Boolean(select.value) && !p.classList.contains("enlsp-group-" + select.value);
      });
      document.querySelectorAll("section[id^='letter-']").forEach((section) => {
        section.hidden = !section.querySelector("li:not([hidden])");
      });
      const url = new URL(window.location.href);
      if (select.value) url.searchParams.set("group", select.value); else url.searchParams.delete("group");
      window.history.replaceState(null, "", url);
    }
    select.addEventListener("change", apply);
    apply();
  }

  function start() {
    const people = document.querySelector(".enlsp-people-filter");
    if (people) { startPeople(people); return; }
    const holder = document.querySelector(".enlsp-filters");
    if (!holder) return;
    let options;
    try { options = JSON.parse(holder.dataset.options || "{}"); } catch (err) { return; }
    const params = new URLSearchParams(window.location.search);
    const selects = {};
    const form = document.createElement("form");
    form.className = "enlsp-filter-form";
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", "Filter papers");
    KEYS.forEach((key) => {
      const choices = options[key] || [];
      if (!choices.length || (key !== "award" && choices.length < 2)) return;
      const label = document.createElement("label");
      const text = document.createElement("span");
      text.textContent = (options.titles && options.titles[key]) || TITLES[key];  // the workshop's words, if given
      label.appendChild(text);
      const select = document.createElement("select");
      select.name = key;
      select.className = "form-select form-select-sm";
      const all = document.createElement("option");
      all.value = "";
      all.textContent = key === "award" ? "Any" : "All";
      select.appendChild(all);
      choices.forEach(([value, text]) => {
        const option = document.createElement("option");
        option.value = value;
        option.textContent = text;
        select.appendChild(option);
      });
      if (choices.some(([value]) => value === params.get(key))) select.value = params.get(key);
      select.addEventListener("change", apply);
      label.appendChild(select);
      form.appendChild(label);
      selects[key] = select;
    });
    const count = document.createElement("span");
    count.className = "enlsp-filter-count";
    count.setAttribute("role", "status");
    count.setAttribute("aria-live", "polite");
    form.appendChild(count);
    form.addEventListener("submit", (event) => event.preventDefault());
    holder.appendChild(form);

    function apply() {
      const wanted = {};
      Object.entries(selects).forEach(([key, select]) => { if (select.value) wanted[key] = select.value; });
      const items = document.querySelectorAll("[data-presentation][data-track][data-award]");
      let shown = 0;
      items.forEach((item) => {
        const ok = Object.entries(wanted).every(([key, value]) => item.dataset[key] === value);
        item.hidden = !ok;
        item.classList.toggle("enlsp-filtered-out", !ok);
        if (ok) shown += 1;
      });
      document.querySelectorAll("section.enlsp-paper-group").forEach((group) => {
        group.hidden = !group.querySelector("[data-presentation]:not([hidden])");
      });
      count.textContent = Object.keys(wanted).length ? `${shown} of ${items.length} papers` : `${items.length} papers`;
      const url = new URL(window.location.href);
      KEYS.forEach((key) => { if (wanted[key]) url.searchParams.set(key, wanted[key]); else url.searchParams.delete(key); });
      window.history.replaceState(null, "", url);
    }
    apply();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
