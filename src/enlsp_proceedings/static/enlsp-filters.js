/* Papers list filters (presentation, track, award), all in the browser.
   The page lists every card; each card's column has data-presentation, data-track and
   data-award. This script adds the controls, hides non-matching cards and empty groups,
   and keeps the choice in the URL (?presentation=oral&track=graph&award=yes). */
(function () {
  "use strict";
  const KEYS = ["presentation", "track", "award"];
  const TITLES = { presentation: "Presentation", track: "Track", award: "Award" };

  function start() {
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
      text.textContent = TITLES[key];
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
