/* The My list page: the papers and talks starred on this site (window.enlspList, enlsp.js),
   each with its authors and time, and their files in one download each: BibTeX (.bib), RIS
   (.ris), CSL-JSON (.csl.json) and a calendar of the talks (.ics).

   Everything comes from the files the site already publishes for each item (papers/<id>.bib,
   .ris, .csl.json, .ics; keynotes/<id>.bib, .csl.json, .ics; panel.ics), fetched by relative
   address, so the page needs the site served (any static host, `nox -s serve`,
   `python3 -m http.server`) and nothing else: no other server, no network beyond the site.
   Opened from a file (file://), the browser lets the page read no other file: the list still
   shows, linking each item's page, and the page says why the downloads cannot be made.
   Where each kind of item keeps its files comes with the page (data-config, made from
   outputs/paths.py). Text from the files goes into the page as text (textContent), never as
   markup; the downloads are Blob URLs with their types and file names. */
(function () {
  "use strict";
  const list = window.enlspList;
  const app = document.querySelector(".enlsp-mylist-app");
  if (!list || !app) return;
  let config;
  try { config = JSON.parse(app.dataset.config); } catch (err) { return; }

  const FORMATS = {
    bib: { label: "BibTeX", file: "bib", type: "application/x-bibtex;charset=utf-8" },
    ris: { label: "RIS", file: "ris", type: "application/x-research-info-systems;charset=utf-8" },
    csl: { label: "CSL-JSON", file: "csl.json", type: "application/vnd.citationstyles.csl+json;charset=utf-8" },
    ics: { label: "Calendar", file: "ics", type: "text/calendar;charset=utf-8" },
  };
  const fetched = new Map();

  function split(key) {
    const at = key.indexOf(":");
    return [key.slice(0, at), key.slice(at + 1)];
  }

  function address(key, ext) {
    const [kind, id] = split(key);
    const template = config.files[kind];
    if (typeof template !== "string") return null;
    return new URL(template.replace("{id}", () => id).replace("{ext}", () => ext), list.root).href;
  }

  function has(key, file) {
    if (file === "ics") return true;  // every talk with a slot has one: a missing file means no slot
    return (config.citations[split(key)[0]] || []).indexOf(file) >= 0;
  }

  /* The text of one of the site's files: a string, null when the site has no such file, or
     undefined when it could not be read at all (file://, offline, a server error). */
  function get(key, file) {
    const url = address(key, file);
    if (!url || !has(key, file)) return Promise.resolve(null);
    if (!fetched.has(url)) {
      fetched.set(url, fetch(url, { cache: "no-cache" }).then(
        response => response.status === 404 ? null : response.ok ? response.text() : undefined,
        () => undefined));
    }
    return fetched.get(url);
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function plural(count, one, many) {
    return count + " " + (count === 1 ? one : many);
  }

  // -- iCalendar: one calendar from the talks' own ----------------------------------------------
  function unfold(text) {
    return text.replace(/\r?\n[ \t]/g, "").split(/\r?\n/).filter(line => line.length);
  }

  function components(text) {
    const head = [];
    const parts = [];
    let depth = 0;
    let current = null;
    for (const line of unfold(text)) {
      const begin = /^BEGIN:/i.test(line);
      if (begin) depth += 1;
      if (begin && depth === 2) current = { name: line.slice(6).toUpperCase(), lines: [] };
      if (current) current.lines.push(line);
      else if (depth === 1 && !/^(BEGIN|END):VCALENDAR$/i.test(line)) head.push(line);
      if (/^END:/i.test(line)) {
        if (depth === 2 && current) {
          parts.push(current);
          current = null;
        }
        depth -= 1;
      }
    }
    return { head: head, parts: parts };
  }

  function property(lines, name) {
    const pattern = new RegExp("^" + name + "[;:]", "i");
    const line = lines.find(l => pattern.test(l));
    return line === undefined ? null : line;
  }

  function fold(line) {
    // lines of at most 75 octets, continued with a space; never inside a UTF-8 sequence
    const encoder = new TextEncoder();
    const out = [];
    let current = "";
    let size = 0;
    for (const char of line) {
      const bytes = encoder.encode(char).length;
      if (size + bytes > (out.length ? 74 : 75)) {
        out.push(current);
        current = "";
        size = 0;
      }
      current += char;
      size += bytes;
    }
    out.push(current);
    return out.join("\r\n ");
  }

  function icsText(value) {
    return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
  }

  function calendar(texts) {
    const zones = new Map();
    const events = new Map();
    let zoneName = null;
    for (const text of texts) {
      const parsed = components(text);
      zoneName = zoneName || property(parsed.head, "X-WR-TIMEZONE");
      for (const part of parsed.parts) {
        if (part.name === "VTIMEZONE") {
          const id = property(part.lines, "TZID");
          if (!zones.has(id)) zones.set(id, part.lines);
        } else if (part.name === "VEVENT") {
          const uid = property(part.lines, "UID") || "#" + events.size;
          if (!events.has(uid)) events.set(uid, part.lines);
        }
      }
    }
    const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//enlsp-proceedings//my list//EN", "CALSCALE:GREGORIAN",
      "X-WR-CALNAME:" + icsText(config.calendar)];
    if (zoneName) lines.push(zoneName);
    for (const part of [...zones.values(), ...events.values()]) lines.push(...part);
    lines.push("END:VCALENDAR");
    return { text: lines.map(fold).join("\r\n") + "\r\n", events: events.size };
  }

  function when(text) {
    // "Mon 5 May 2031, 09:00–09:10 (Europe/Lisbon)" from the talk's calendar
    const event = components(text).parts.find(p => p.name === "VEVENT");
    if (!event) return "";
    const times = ["DTSTART", "DTEND"].map(name => {
      const line = property(event.lines, name) || "";
      const match = /^[A-Z]+(?:;TZID=([^:;]+))?[^:]*:(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)\d\d(Z?)$/i.exec(line);
      return match && { zone: match[1] || (match[7] ? "UTC" : ""), year: +match[2], month: +match[3], day: +match[4], time: match[5] + ":" + match[6] };
    });
    const [start, end] = times;
    if (!start) return "";
    const day = new Date(Date.UTC(start.year, start.month - 1, start.day)).toLocaleDateString("en-GB",
      { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).replace(",", "");
    return day + ", " + start.time + (end ? "–" + end.time : "") + (start.zone ? " (" + start.zone + ")" : "");
  }

  // -- the page ------------------------------------------------------------------------------
  const fromFile = window.location.protocol === "file:";
  const shown = new Map();  // key -> its row, kept (unstarred rows stay until the page is left: a misclick is undone by starring again)
  const summary = element("p", "enlsp-mylist-summary");
  const downloads = element("div", "enlsp-mylist-downloads");
  const note = element("p", "enlsp-mylist-note");
  note.setAttribute("role", "status");
  const items = element("ul", "enlsp-mylist-items");
  const clear = element("button", "sd-btn sd-btn-outline-danger enlsp-btn enlsp-mylist-clear", "Remove everything from my list");
  clear.type = "button";

  function link(text, href) {
    const a = element("a", "", text);
    a.href = href;
    return a;
  }

  function empty() {
    const p = element("p", "enlsp-mylist-empty");
    p.append("Your list is empty: star papers and talks on their pages, in ", link(config.papers_label, new URL(config.papers, list.root).href),
      " or on the ", link(config.schedule_label, new URL(config.schedule, list.root).href), ", and they are collected here.");
    return p;
  }

  function row(item) {
    const [kind] = split(item.key);
    const li = element("li", "enlsp-mylist-item");
    li.dataset.key = item.key;
    const title = element("p", "enlsp-list-title");
    title.append(element("span", "sd-badge sd-outline-secondary sd-text-secondary", config.kinds[kind] || kind), " ",
      link(item.title || item.key, address(item.key, "html")));
    const star = element("button", "enlsp-star enlsp-star-icon");
    star.type = "button";
    star.dataset.star = item.key;
    star.setAttribute("aria-label", "My list: " + (item.title || item.key));
    const icon = element("span", "fa-solid fa-star");
    icon.setAttribute("aria-hidden", "true");
    star.append(icon);
    li.append(star, title, element("p", "enlsp-list-authors"), element("p", "enlsp-mylist-when"));
    get(item.key, "csl.json").then(text => {
      let csl = null;
      try { csl = text ? JSON.parse(text)[0] : null; } catch (err) { csl = null; }
      if (!csl) return;
      if (typeof csl.title === "string" && csl.title) title.querySelector("a").textContent = csl.title;
      const names = (Array.isArray(csl.author) ? csl.author : []).map(a => a && (a.literal || [a.given, a.family].filter(Boolean).join(" ")))
        .filter(n => typeof n === "string" && n);
      li.querySelector(".enlsp-list-authors").textContent = names.join(", ");
    });
    get(item.key, "ics").then(text => {
      if (text) li.querySelector(".enlsp-mylist-when").textContent = when(text);
    });
    return li;
  }

  function exportButton(format) {
    const button = element("button", "sd-btn sd-btn-primary enlsp-btn enlsp-mylist-export");
    button.type = "button";
    button.dataset.format = format;
    button.addEventListener("click", () => download(format));
    return button;
  }
  const buttons = Object.keys(FORMATS).map(exportButton);

  function cannotRead(count) {
    return "Could not read " + plural(count, "file", "files") + " of the site" + (fromFile
      ? ": this page was opened from a file (file://), and browsers then let it read no other file. Serve the site (any web server, e.g. "
        + "python3 -m http.server in its folder) to download the whole list; each item's own page links its files."
      : ". Check the connection and try again.");
  }

  async function download(format) {
    const spec = FORMATS[format];
    const current = list.read().filter(item => has(item.key, spec.file));
    const texts = await Promise.all(current.map(item => get(item.key, spec.file)));
    const failed = texts.filter(t => t === undefined).length;
    if (failed) {
      note.textContent = cannotRead(failed);
      return;
    }
    const found = texts.filter(t => typeof t === "string" && t.trim());
    let text;
    let count = found.length;
    if (format === "csl") {
      const all = [];
      for (const t of found) {
        try { all.push(...JSON.parse(t)); } catch (err) { count -= 1; }
      }
      text = JSON.stringify(all, null, 2) + "\n";
    } else if (format === "ics") {
      const cal = calendar(found);
      text = cal.text;
      count = cal.events;
    } else {
      text = found.map(t => t.replace(/\s+$/, "")).join("\n\n") + "\n";
    }
    if (!count) {
      note.textContent = format === "ics" ? "None of the items in your list has a time in the program." : "No item of your list has a " + spec.label + " file.";
      return;
    }
    const name = config.download + "." + spec.file;
    const url = URL.createObjectURL(new Blob([text], { type: spec.type }));
    const a = element("a");
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 60000);
    note.textContent = "Downloaded " + name + " (" + plural(count, format === "ics" ? "talk" : "entry", format === "ics" ? "talks" : "entries") + ").";
  }

  function counts(current) {
    const kinds = {};
    for (const item of current) {
      const kind = split(item.key)[0];
      kinds[kind] = (kinds[kind] || 0) + 1;
    }
    return kinds;
  }

  function pressed(li, on) {
    const star = li.querySelector(".enlsp-star");
    star.setAttribute("aria-pressed", on ? "true" : "false");
    star.title = on ? "In my list (press to remove)" : "Add to my list";
    const icon = star.querySelector(".fa-star");
    icon.classList.toggle("fa-solid", on);
    icon.classList.toggle("fa-regular", !on);
    li.classList.toggle("enlsp-mylist-removed", !on);
  }

  let latest = [];
  function update(current) {
    latest = current;
    const keys = new Set(current.map(i => i.key));
    for (const item of current) {
      if (!shown.has(item.key)) {
        const li = row(item);
        shown.set(item.key, li);
        items.append(li);
      }
    }
    for (const [key, li] of shown) pressed(li, keys.has(key));
    const kinds = counts(current);
    const parts = Object.keys(kinds).map(kind => {
      const name = (config.kinds[kind] || kind).toLowerCase();
      return plural(kinds[kind], name, name + "s");
    });
    summary.textContent = current.length ? "In your list: " + parts.join(", ") + "." : "";
    const emptyNote = app.querySelector(".enlsp-mylist-empty");
    if (!current.length && !emptyNote) app.insertBefore(empty(), downloads);
    if (current.length && emptyNote) emptyNote.remove();
    const cites = current.filter(i => has(i.key, "bib")).length;
    const ris = current.filter(i => has(i.key, "ris")).length;
    const labels = {
      bib: "BibTeX (.bib), " + plural(cites, "entry", "entries"),
      ris: "RIS (.ris), " + plural(ris, "paper", "papers"),
      csl: "CSL-JSON (.csl.json), " + plural(cites, "entry", "entries"),
      ics: "Calendar (.ics) of the talks",
    };
    for (const button of buttons) {
      const format = button.dataset.format;
      button.textContent = labels[format];
      button.disabled = !(format === "ris" ? ris : format === "ics" ? current.length : cites);
    }
    clear.hidden = !current.length;
    downloads.hidden = !current.length;
    // how many of them have a time in the program, once their calendars are read
    Promise.all(current.map(item => get(item.key, "ics"))).then(texts => {
      if (latest !== current) return;
      const talks = texts.filter(t => typeof t === "string").length;
      const failed = texts.some(t => t === undefined);
      const button = buttons.find(b => b.dataset.format === "ics");
      if (!failed) {
        button.textContent = "Calendar (.ics), " + plural(talks, "talk", "talks");
        button.disabled = !talks;
      }
    });
  }

  clear.addEventListener("click", () => {
    if (!window.confirm("Remove every paper and talk from your list?")) return;
    for (const item of list.read()) list.set(item.key, false);
  });

  for (const old of app.querySelectorAll(".enlsp-needs-js")) old.remove();
  const title = element("p", "enlsp-mylist-download-title");
  title.append(element("strong", "", "Download the whole list:"));
  const actions = element("p", "enlsp-actions");
  for (const button of buttons) actions.append(button, " ");
  downloads.append(title, actions, note);
  app.append(summary, downloads, items, clear);
  if (fromFile) {
    note.textContent = "This page was opened from a file (file://), and browsers then let it read no other file of the site: serve the site "
      + "(any web server, e.g. python3 -m http.server in its folder) to download the whole list. Each item's own page links its files.";
  }
  list.onChange(update);
  list.refresh();
})();
