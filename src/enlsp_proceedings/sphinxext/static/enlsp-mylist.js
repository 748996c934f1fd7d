/* The My list page: the papers and talks starred on this site (window.enlspList, enlsp.js),
   each with its authors and time, and all of them in one download per format: BibTeX (.bib),
   RIS (.ris), CSL-JSON (.csl.json) and a calendar of the talks (.ics).

   Everything comes from files the site already publishes: each item's citation files
   (papers/<id>.bib, .ris, .csl.json; keynotes/<id>.bib, .csl.json) and the program's calendar
   (schedule.ics, whose events are the talks' own calendars), fetched by relative address. So
   the page needs the site served (any static host, `nox -s serve`, `python3 -m http.server`)
   and nothing else: no other server, no network beyond the site. Opened from a file (file://),
   a browser lets the page read no other file: the list still shows, linking each item's page,
   and the page says why it cannot make the downloads. Where each kind of item keeps its files
   comes with the page (data-config, made from outputs/paths.py). Text from the files goes
   into the page as text (textContent), never as markup; the downloads are Blob URLs with
   their types and file names. */
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
  const fromFile = window.location.protocol === "file:";
  const fetched = new Map();

  function split(key) {
    const at = key.indexOf(":");
    return [key.slice(0, at), key.slice(at + 1)];
  }

  /* Site path of an item's file ("papers/x.bib"), from the page's templates. */
  function path(key, ext) {
    const [kind, id] = split(key);
    const template = config.files[kind];
    return typeof template === "string" ? template.replace("{id}", () => id).replace("{ext}", () => ext) : null;
  }

  function cites(key, file) {
    return (config.citations[split(key)[0]] || []).indexOf(file) >= 0;
  }

  /* The text of one of the site's files: a string, null when the site has no such file, or
     undefined when it could not be read at all (file://, offline, a server error). */
  function read(sitePath) {
    const url = new URL(sitePath, list.root).href;
    if (!fetched.has(url)) {
      fetched.set(url, fetch(url, { cache: "no-cache" }).then(
        response => response.status === 404 ? null : response.ok ? response.text() : undefined,
        () => undefined));
    }
    return fetched.get(url);
  }

  function citation(key, file) {
    return cites(key, file) ? read(path(key, file)) : Promise.resolve(null);
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

  // -- iCalendar -------------------------------------------------------------------------------
  function unfold(text) {
    return text.replace(/\r?\n[ \t]/g, "").split(/\r?\n/).filter(line => line.length);
  }

  /* A calendar's own properties (head) and its components (VTIMEZONE, VEVENT: their lines). */
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

  function value(line) {
    // the value of a content line: after the first colon outside a quoted parameter
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      if (line[i] === '"') quoted = !quoted;
      else if (line[i] === ":" && !quoted) return line.slice(i + 1);
    }
    return "";
  }

  /* The program (schedule.ics): its time zone lines, its zones, and each talk's event by the
     address of the talk's page; null without a program, undefined when it cannot be read. */
  let program = null;
  function schedule() {
    if (!program) {
      program = (config.schedule_ics ? read(config.schedule_ics) : Promise.resolve(null)).then(text => {
        if (typeof text !== "string") return text;
        const parsed = components(text);
        const events = new Map();
        for (const part of parsed.parts) {
          const url = part.name === "VEVENT" && property(part.lines, "URL");
          if (url && !events.has(value(url))) events.set(value(url), part.lines);
        }
        return { head: parsed.head, zones: parsed.parts.filter(p => p.name === "VTIMEZONE").map(p => p.lines), events: events };
      });
    }
    return program;
  }

  function talk(calendar, key) {
    const page = path(key, "html");
    return calendar && page ? calendar.events.get(config.base_url + page) || null : null;
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

  function icsText(text) {
    return text.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
  }

  function calendarText(calendar, events) {
    const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//enlsp-proceedings//my list//EN", "CALSCALE:GREGORIAN",
      "X-WR-CALNAME:" + icsText(config.calendar)];
    const zone = property(calendar.head, "X-WR-TIMEZONE");
    if (zone) lines.push(zone);
    for (const part of [...calendar.zones, ...events]) lines.push(...part);
    lines.push("END:VCALENDAR");
    return lines.map(fold).join("\r\n") + "\r\n";
  }

  function when(event) {
    // "Mon 5 May 2031, 09:00–09:10 (Europe/Lisbon)"
    const [start, end] = ["DTSTART", "DTEND"].map(name => {
      const match = /^[A-Z]+(?:;TZID=([^:;]+))?[^:]*:(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)\d\d(Z?)$/i.exec(property(event, name) || "");
      return match && { zone: match[1] || (match[7] ? "UTC" : ""), year: +match[2], month: +match[3], day: +match[4], time: match[5] + ":" + match[6] };
    });
    if (!start) return "";
    const day = new Date(Date.UTC(start.year, start.month - 1, start.day)).toLocaleDateString("en-GB",
      { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).replace(",", "");
    return day + ", " + start.time + (end ? "–" + end.time : "") + (start.zone ? " (" + start.zone + ")" : "");
  }

  // -- the page ------------------------------------------------------------------------------
  const shown = new Map();  // key -> its row; an unstarred row stays (struck through) until the page is left: starring it again undoes a slip
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
    p.append("Your list is empty: star papers and talks on their pages, in ", link(config.papers_label, new URL(config.papers, list.root).href));
    if (config.schedule) {  // an edition without a program has no schedule page
      p.append(" or on the ", link(config.schedule_label, new URL(config.schedule, list.root).href));
    }
    p.append(", and they are collected here.");
    return p;
  }

  function row(item) {
    const [kind] = split(item.key);
    const li = element("li", "enlsp-mylist-item");
    li.dataset.key = item.key;
    const title = element("p", "enlsp-list-title");
    const page = link(item.title || item.key, new URL(path(item.key, "html"), list.root).href);
    title.append(element("span", "sd-badge sd-outline-secondary sd-text-secondary", config.kinds[kind] || kind), " ", page);
    const star = element("button", "enlsp-star enlsp-star-icon");
    star.type = "button";
    star.dataset.star = item.key;
    star.setAttribute("aria-label", "My list: " + (item.title || item.key));
    const icon = element("span", "fa-solid fa-star");
    icon.setAttribute("aria-hidden", "true");
    star.append(icon);
    const authors = element("p", "enlsp-list-authors");
    const time = element("p", "enlsp-mylist-when");
    li.append(star, title, authors, time);
    citation(item.key, "csl.json").then(text => {
      let csl = null;
      try { csl = text ? JSON.parse(text)[0] : null; } catch (err) { csl = null; }
      if (!csl) return;
      if (typeof csl.title === "string" && csl.title) page.textContent = csl.title;
      const names = (Array.isArray(csl.author) ? csl.author : []).map(a => a && (a.literal || [a.given, a.family].filter(Boolean).join(" ")))
        .filter(n => typeof n === "string" && n);
      authors.textContent = names.join(", ");
    });
    schedule().then(calendar => {
      const event = talk(calendar, item.key);
      if (event) time.textContent = when(event);
    });
    return li;
  }

  function cannotRead(count) {
    return "Could not read " + plural(count, "file", "files") + " of the site" + (fromFile
      ? ": this page was opened from a file (file://), and browsers then let it read no other file. Serve the site (any web server, e.g. "
        + "python3 -m http.server in its folder) to download the whole list; each item's own page links its files."
      : ". Check the connection and try again.");
  }

  function save(text, name, type) {
    const url = URL.createObjectURL(new Blob([text], { type: type }));
    const a = element("a");
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  async function download(format) {
    const spec = FORMATS[format];
    const current = list.read();
    let text;
    let count;
    if (format === "ics") {
      const calendar = await schedule();
      if (calendar === undefined) {
        note.textContent = cannotRead(1);
        return;
      }
      const events = current.map(item => talk(calendar, item.key)).filter(Boolean);
      count = events.length;
      text = count ? calendarText(calendar, events) : "";
    } else {
      const texts = await Promise.all(current.filter(item => cites(item.key, spec.file)).map(item => citation(item.key, spec.file)));
      const failed = texts.filter(t => t === undefined).length;
      if (failed) {
        note.textContent = cannotRead(failed);
        return;
      }
      const found = texts.filter(t => typeof t === "string" && t.trim());
      count = found.length;
      if (format === "csl") {
        const all = [];
        for (const t of found) {
          try { all.push(...JSON.parse(t)); } catch (err) { count -= 1; }
        }
        text = JSON.stringify(all, null, 2) + "\n";
      } else {
        text = found.map(t => t.replace(/[\r\n]+$/, "")).join("\n\n") + "\n";  // RIS ends its records with "ER  - ", space included
      }
    }
    if (!count) {
      note.textContent = format === "ics" ? "No item of your list has a time in the program." : "No item of your list has a " + spec.label + " entry.";
      return;
    }
    const name = config.download + "." + spec.file;
    save(text, name, spec.type);
    note.textContent = "Downloaded " + name + " (" + (format === "ics" ? plural(count, "talk", "talks") : plural(count, "entry", "entries")) + ").";
  }

  const buttons = Object.keys(FORMATS).map(format => {
    const button = element("button", "sd-btn sd-btn-primary enlsp-btn enlsp-mylist-export");
    button.type = "button";
    button.dataset.format = format;
    button.addEventListener("click", () => download(format));
    return button;
  });

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
    const kinds = {};
    for (const item of current) kinds[split(item.key)[0]] = (kinds[split(item.key)[0]] || 0) + 1;
    summary.textContent = current.length ? "In your list: " + Object.keys(kinds).map(kind => {
      const name = (config.kinds[kind] || kind).toLowerCase();
      return plural(kinds[kind], name, name + "s");
    }).join(", ") + "." : "";
    const emptyNote = app.querySelector(".enlsp-mylist-empty");
    if (!current.length && !emptyNote) app.insertBefore(empty(), downloads);
    if (current.length && emptyNote) emptyNote.remove();
    const entries = current.filter(i => cites(i.key, "bib")).length;
    const papers = current.filter(i => cites(i.key, "ris")).length;
    const labels = {
      bib: ["BibTeX (.bib), " + plural(entries, "entry", "entries"), entries],
      ris: ["RIS (.ris), " + plural(papers, "paper", "papers"), papers],
      csl: ["CSL-JSON (.csl.json), " + plural(entries, "entry", "entries"), entries],
      ics: ["Calendar (.ics) of the talks", current.length],
    };
    for (const button of buttons) {
      const [label, count] = labels[button.dataset.format];
      button.textContent = label;
      button.disabled = !count;
    }
    clear.hidden = !current.length;
    downloads.hidden = !current.length;
    schedule().then(calendar => {  // how many have a time in the program, once it is read
      if (latest !== current || !calendar) return;
      const talks = current.filter(item => talk(calendar, item.key)).length;
      const button = buttons.find(b => b.dataset.format === "ics");
      button.textContent = "Calendar (.ics), " + plural(talks, "talk", "talks");
      button.disabled = !talks;
    });
  }

  clear.addEventListener("click", () => {
    if (!window.confirm("Remove every paper and talk from your list?")) return;
    for (const item of list.read()) list.set(item.key, false);
  });

  for (const old of app.querySelectorAll(".enlsp-needs-js")) old.remove();
  const heading = element("p", "enlsp-mylist-download-title");
  heading.append(element("strong", "", "Download the whole list:"));
  const actions = element("p", "enlsp-actions");
  for (const button of buttons) actions.append(button, " ");
  downloads.append(heading, actions, note);
  app.append(summary, downloads, items, clear);
  if (fromFile) {
    note.textContent = "This page was opened from a file (file://), and browsers then let it read no other file of the site: serve the site "
      + "(any web server, e.g. python3 -m http.server in its folder) to download the whole list. Each item's own page links its files.";
  }
  list.onChange(update);
  list.refresh();
})();
