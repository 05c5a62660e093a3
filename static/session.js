/* The session page: live transcript, find in this session, links to moments and citations.
 *
 * Everything here improves links that already work without JavaScript.
 */
(function () {
  "use strict";

  const info = JSON.parse(document.getElementById("session-data").textContent);
  const list = document.querySelector(".cues");
  const cues = Array.from(document.querySelectorAll(".cues .cue"));
  const links = cues.map((cue) => cue.querySelector(".cue-link"));
  const starts = cues.map((cue) => Number(cue.dataset.start) / 1000);
  const ends = cues.map((cue) => Number(cue.dataset.end) / 1000);
  const follow = document.getElementById("follow");
  const media = document.getElementById("media");
  const playerBox = document.querySelector(".player");
  const { clock, citeMoment } = window.FestivalCite;
  let player = null;
  let current = document.querySelector(".cue[aria-current]");

  /** Index of the last cue starting before `limit` seconds, or -1. */
  function lastStartingBefore(limit) {
    let low = 0;
    let high = starts.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (starts[middle] < limit) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }

  /** Index of the cue said at `seconds`, or in a pause after a cue, the next one. A cue
   * starting exactly then wins; a time in whole seconds (a chapter) names that whole second.
   * The rule of `cue_at` on the server. */
  function cueIndexAt(seconds) {
    const exact = lastStartingBefore(seconds + 0.0005);
    if (exact !== -1 && Math.abs(starts[exact] - seconds) < 0.0005) return exact;
    const found = lastStartingBefore(seconds + (Number.isInteger(seconds) ? 1 : 0.0005));
    if (found === -1) return starts.length ? 0 : -1;
    return ends[found] <= seconds && found + 1 < starts.length ? found + 1 : found;
  }

  /** How long the recording is: the media's own length once known, else the page's. */
  function duration() {
    const known = media && media.duration;
    return Number.isFinite(known) && known > 0
      ? known
      : info.duration || ends[ends.length - 1] || 1;
  }

  /** Scroll the transcript box so `cue` sits a third of the way down. When `onScreen`, also
   * make sure the whole line is in the window, clear of a pinned player above it. */
  function reveal(cue, onScreen) {
    list.scrollTop = cue.offsetTop - list.clientHeight / 3;
    if (!onScreen) return;
    let box = cue.getBoundingClientRect();
    const pinned = playerBox && getComputedStyle(playerBox).position === "sticky"
      ? playerBox.getBoundingClientRect()
      : null;
    const top = pinned && pinned.left < box.right && box.left < pinned.right ? pinned.bottom : 0;
    if (box.top >= top && box.bottom <= window.innerHeight) return;
    // As little as will do, leaving a quarter of the window of context beyond the line.
    const margin = (window.innerHeight - top) / 4;
    if (box.bottom > window.innerHeight) window.scrollBy(0, box.bottom - window.innerHeight + margin);
    else window.scrollBy(0, box.top - top - margin);
    box = cue.getBoundingClientRect();
    // The page could not scroll that far: move the line within the transcript box instead.
    if (box.bottom > window.innerHeight) list.scrollTop += box.bottom - window.innerHeight + 8;
    else if (box.top < top) list.scrollTop -= top - box.top + 8;
  }

  /** The transcript is one tab stop: the line to enter on is the one playing. */
  function makeTabStop(index) {
    links.forEach((link, i) => { link.tabIndex = i === index ? 0 : -1; });
  }

  function markCurrent(seconds) {
    const index = cueIndexAt(seconds);
    const cue = cues[index] || null;
    if (cue === current) return;
    if (current) current.removeAttribute("aria-current");
    current = cue;
    if (!cue) return;
    cue.setAttribute("aria-current", "true");
    if (!list.contains(document.activeElement)) makeTabStop(index);
    if (follow.checked) reveal(cue, false);
  }

  /** Play from `seconds` (or, with no recording, show the line said then). */
  function seekTo(seconds, play) {
    if (player) player.seek(seconds);
    markCurrent(seconds);
    if (current) reveal(current, true);
    if (player && play) player.play();
  }

  function selectionInTranscript() {
    const selection = window.getSelection();
    return Boolean(list) && !selection.isCollapsed && list.contains(selection.anchorNode);
  }

  /** Make links in `container` seek instead of reloading; `secondsOf(link)` says where. */
  function seekOnClick(container, selector, secondsOf) {
    if (!container) return;
    container.addEventListener("click", (event) => {
      const link = event.target.closest(selector);
      if (!link || (media && !player)) return;
      event.preventDefault();
      // Releasing the mouse after selecting words is not a request to jump.
      if (!selectionInTranscript()) seekTo(secondsOf(link), true);
    });
  }

  // Find in this session ---------------------------------------------------------------

  const find = {
    form: document.getElementById("find"),
    input: document.getElementById("find-q"),
    status: document.getElementById("find-status"),
    steps: document.querySelector("#find .find-steps"),
    timeline: document.getElementById("timeline"),
    playhead: document.querySelector("#timeline .playhead"),
    hits: [],
    index: -1,
    asked: 0, // the latest request: an older answer arriving late is dropped
  };

  /** Words of a query worth marking: no operators, fields or quotes; stems as prefixes. */
  function queryStems(query) {
    return query
      .replace(/["()*]/g, " ")
      .split(/\s+/)
      .filter((word) => word && !word.includes(":") && !/^(AND|OR|NOT)$/.test(word))
      .map((word) => word.replace(/^[-+]/, "").toLowerCase())
      .filter(Boolean)
      .map((word) => word.slice(0, Math.max(4, word.length - 3)));
  }

  function markWords(span, pattern) {
    const parts = span.textContent.split(pattern);
    span.replaceChildren(
      ...parts.map((part, i) => {
        if (i % 2 === 0) return document.createTextNode(part);
        const mark = document.createElement("mark");
        mark.textContent = part;
        return mark;
      }),
    );
  }

  /** Show the server's highlight (escaped text, only <mark>) if it is this cue's text. */
  function showHighlight(span, highlight) {
    if (!highlight) return false;
    const template = document.createElement("template");
    template.innerHTML = highlight;
    const nodes = [...template.content.childNodes];
    const safe = nodes.every(
      (node) =>
        node.nodeType === Node.TEXT_NODE || (node.nodeName === "MARK" && !node.children.length),
    );
    if (!safe || template.content.textContent !== span.textContent) return false;
    span.replaceChildren(...nodes);
    return true;
  }

  function clearHits() {
    find.hits.forEach((cue) => {
      cue.classList.remove("hit", "hit-current");
      const span = cue.querySelector(".text");
      span.textContent = span.textContent;
    });
    find.timeline.querySelectorAll(".tick").forEach((tick) => tick.remove());
    find.timeline.hidden = true;
    find.hits = [];
    find.index = -1;
    find.form.classList.remove("has-hits");
  }

  function tickFor(cue) {
    const tick = document.createElement("span");
    tick.className = "tick";
    tick.style.left = `${Math.min(100, (100 * Number(cue.dataset.start)) / 1000 / duration())}%`;
    tick.title = clock(Number(cue.dataset.start) / 1000);
    tick.addEventListener("click", () => showHit(find.hits.indexOf(cue), true));
    return tick;
  }

  /** Put the hits' ticks where they belong once the media says how long it really is. */
  function placeTicks() {
    find.timeline.querySelectorAll(".tick").forEach((tick, i) => {
      const start = Number(find.hits[i].dataset.start) / 1000;
      tick.style.left = `${Math.min(100, (100 * start) / duration())}%`;
    });
  }

  function showHit(index, seek) {
    const total = find.hits.length;
    if (!total) return;
    find.index = (index + total) % total;
    find.hits.forEach((cue, i) => cue.classList.toggle("hit-current", i === find.index));
    find.timeline.querySelectorAll(".tick").forEach((tick, i) => {
      tick.classList.toggle("current", i === find.index);
    });
    const cue = find.hits[find.index];
    reveal(cue, true);
    makeTabStop(cues.indexOf(cue));
    find.status.textContent = `${find.index + 1} of ${total}`;
    if (seek) seekTo(Number(cue.dataset.start) / 1000, false);
  }

  async function runFind(query) {
    clearHits();
    find.steps.hidden = !query.trim();
    if (!query.trim()) {
      find.status.textContent = "";
      return;
    }
    find.status.textContent = "Searching…";
    const asked = ++find.asked;
    const params = new URLSearchParams({ session: info.slug, q: query, as: "json" });
    const response = await fetch(`/api/search/export?${params}`);
    const body = await response.json().catch(() => null);
    if (asked !== find.asked) return;
    if (!response.ok || !body) {
      find.status.textContent = body?.error?.message || "Search is unavailable just now.";
      return;
    }
    const highlights = new Map(
      body.moments.map((moment) => [cues[cueIndexAt(moment.start)], moment.highlight]),
    );
    find.hits = cues.filter((cue) => highlights.has(cue));
    const stems = queryStems(query).map((stem) => stem.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    const word = "[\\p{L}\\p{N}]";
    const pattern = stems.length
      ? new RegExp(`(?<!${word})((?:${stems.join("|")})${word}*)`, "giu")
      : null;
    find.hits.forEach((cue) => {
      cue.classList.add("hit");
      const span = cue.querySelector(".text");
      if (!showHighlight(span, highlights.get(cue)) && pattern) markWords(span, pattern);
      find.timeline.append(tickFor(cue));
    });
    if (!find.hits.length) {
      find.status.textContent = "No matches in this session.";
      return;
    }
    find.form.classList.add("has-hits");
    find.timeline.hidden = false;
    const here = player && player.currentTime() ? player.currentTime() : info.start || 0;
    const next = find.hits.findIndex((cue) => Number(cue.dataset.end) / 1000 > here);
    showHit(Math.max(next, 0), false);
  }

  function setUpFind() {
    if (!find.form) return;
    if (media && media.tagName !== "IFRAME") media.addEventListener("loadedmetadata", placeTicks);
    find.form.addEventListener("submit", (event) => {
      event.preventDefault();
      runFind(find.input.value);
    });
    document.getElementById("find-next").addEventListener("click", () => {
      showHit(find.index + 1, true);
    });
    document.getElementById("find-previous").addEventListener("click", () => {
      showHit(find.index - 1, true);
    });
    if (!find.input.value) return;
    // Arriving from search: scroll to the hit once the page has loaded, or loading resets it.
    if (document.readyState === "complete") runFind(find.input.value);
    else window.addEventListener("load", () => runFind(find.input.value), { once: true });
  }

  // Share and cite -----------------------------------------------------------------------

  function momentUrl(start, end) {
    const t = end === undefined ? `${Math.floor(start)}` : `${start},${end}`;
    return `${location.origin}/sessions/${info.slug}?t=${t}`;
  }

  function copyInto(output, text) {
    const say = (message) => { output.textContent = message; };
    const failed = () => say("Could not copy: select the text and copy it yourself.");
    if (!navigator.clipboard) return failed();
    return navigator.clipboard.writeText(text).then(() => say("Copied."), failed);
  }

  function setUpShare() {
    const button = document.getElementById("share-now");
    if (!button) return;
    const field = document.getElementById("share-url");
    button.hidden = false;
    button.addEventListener("click", () => {
      field.value = momentUrl(player ? player.currentTime() : 0);
      field.hidden = false;
      copyInto(document.getElementById("share-status"), field.value);
    });
  }

  /** The selected part of one cue's words. */
  function selectedWords(range, span) {
    const part = document.createRange();
    part.selectNodeContents(span);
    if (range.compareBoundaryPoints(Range.START_TO_START, part) > 0) {
      part.setStart(range.startContainer, range.startOffset);
    }
    if (range.compareBoundaryPoints(Range.END_TO_END, part) < 0) {
      part.setEnd(range.endContainer, range.endOffset);
    }
    return part.toString().trim();
  }

  /** The moment the reader selected: cues touched, their span, speakers and quoted words. */
  function selectedMoment() {
    const selection = window.getSelection();
    if (selection.isCollapsed || !selection.rangeCount) return null;
    const range = selection.getRangeAt(0);
    const chosen = cues.filter((cue) => range.intersectsNode(cue.querySelector(".text")));
    const quote = chosen
      .map((cue) => selectedWords(range, cue.querySelector(".text")))
      .filter(Boolean)
      .join(" ")
      .replace(/\s+/g, " ");
    if (!quote) return null;
    const start = Number(chosen[0].dataset.start) / 1000;
    const end = Number(chosen[chosen.length - 1].dataset.end) / 1000;
    const speakers = [...new Set(chosen.map((cue) => cue.dataset.speaker).filter(Boolean))];
    return { speakers, title: info.title, festival: info.festival, format: info.format,
      date: info.date, start, end, quote, url: momentUrl(start, end) };
  }

  function setUpCite() {
    const panel = document.getElementById("cite");
    let timer = null;
    // The panel sits over the foot of the window: leave room so focus is never hidden under it.
    const makeRoom = (room) => {
      document.documentElement.style.scrollPaddingBottom = room;
      document.body.style.paddingBottom = room;
    };
    const close = () => {
      panel.hidden = true;
      makeRoom("");
    };
    const show = () => {
      const moment = selectedMoment();
      if (!moment) return;
      const citations = citeMoment(moment);
      document.getElementById("cite-span").textContent =
        `${clock(moment.start)} to ${clock(moment.end)}`;
      const link = document.getElementById("clip-link");
      link.href = moment.url;
      link.textContent = moment.url;
      ["apa", "chicago", "bibtex"].forEach((style) => {
        document.getElementById(`cite-${style}`).textContent = citations[style];
      });
      panel.hidden = false;
      makeRoom(`${panel.offsetHeight}px`);
    };
    document.addEventListener("selectionchange", () => {
      clearTimeout(timer);
      if (selectionInTranscript()) timer = setTimeout(show, 200);
    });
    panel.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-copy]");
      if (button) {
        const source = document.getElementById(button.dataset.copy);
        copyInto(document.getElementById("cite-status"), source.textContent);
      }
    });
    document.getElementById("cite-close").addEventListener("click", close);
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !panel.hidden) close();
    });
  }

  // Keyboard, speed and the pinned player ----------------------------------------------

  /** One tab stop into the transcript; Up, Down, Page Up, Page Down, Home and End move
   * between lines and Enter plays the focused one (the links' own activation). */
  function setUpKeys() {
    if (!links.length) return;
    const moves = {
      ArrowDown: (i) => i + 1,
      ArrowUp: (i) => i - 1,
      PageDown: (i) => i + 10,
      PageUp: (i) => i - 10,
      Home: () => 0,
      End: () => links.length - 1,
    };
    list.addEventListener("keydown", (event) => {
      const move = moves[event.key];
      const from = links.indexOf(event.target);
      if (!move || from === -1 || event.altKey || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      const to = Math.max(0, Math.min(links.length - 1, move(from)));
      makeTabStop(to);
      links[to].focus({ preventScroll: true });
      links[to].scrollIntoView({ block: "nearest" });
    });
    list.addEventListener("focusin", (event) => {
      const index = links.indexOf(event.target);
      if (index !== -1) makeTabStop(index);
    });
    makeTabStop(Math.max(0, cues.indexOf(current)));
    list.setAttribute("aria-describedby", "transcript-hint");
    document.getElementById("transcript-hint").hidden = false;
    // "Skip to transcript" lands on the line to start from, not on the section around it.
    document.querySelector("a[href='#transcript']").addEventListener("click", (event) => {
      event.preventDefault();
      const stop = links.find((link) => link.tabIndex === 0);
      stop.focus({ preventScroll: true });
      reveal(stop.closest(".cue"), true);
    });
  }

  function setUpSpeed() {
    const choice = document.getElementById("speed");
    if (!choice || !player.setRate) return;
    choice.closest(".speed").hidden = false;
    choice.addEventListener("change", () => player.setRate(Number(choice.value)));
  }

  /** Focus scrolled into view must land below the player when the player is pinned. */
  function keepFocusClearOfPlayer() {
    if (!playerBox || !window.ResizeObserver) return;
    const measure = () => {
      const pinned = getComputedStyle(playerBox).position === "sticky";
      const room = pinned ? `${playerBox.offsetHeight + 8}px` : "";
      document.documentElement.style.setProperty("--pinned-player", room);
    };
    new ResizeObserver(measure).observe(playerBox);
    window.addEventListener("resize", measure);
  }

  // Start -------------------------------------------------------------------------------

  seekOnClick(list, ".cue-link", (link) => Number(link.closest(".cue").dataset.start) / 1000);
  seekOnClick(document.querySelector(".chapters"), "a[data-seek]", (link) => Number(link.dataset.seek));
  setUpShare();
  keepFocusClearOfPlayer();
  if (list) {
    setUpCite();
    setUpKeys();
  }
  if (media) {
    window.FestivalPlayer.connect(media).then((connected) => {
      player = connected;
      player.onTimeUpdate((seconds) => {
        markCurrent(seconds);
        if (find.playhead) {
          find.playhead.style.left = `${Math.min(100, (100 * seconds) / duration())}%`;
        }
      });
      setUpSpeed();
      document.body.dataset.player = "ready";
      if (follow) follow.parentElement.hidden = false;
    }).catch(() => {
      // The player's script did not load: the transcript's links still open each moment.
      document.body.dataset.player = "unavailable";
    });
  }
  if (list) setUpFind();
  if (current && list) reveal(current, false);
})();
