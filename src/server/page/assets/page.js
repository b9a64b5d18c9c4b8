// dossier's page script. The pages work without it: every control is a link or a
// form. With it: keys (/ j k Enter n N Esc), facet clicks and paging without a full
// reload, search inside a facet as you type, dragging across the timeline, copying the
// command line, stepping through an article's matches. Text from articles only ever
// arrives as HTML the server escaped; this script never builds markup from strings.
"use strict";

(function () {
  const doc = document;

  // ---- Partial navigation: swap the results, keep the page. ----

  // Links that lead to another state of the search page.
  function isSearchLink(link) {
    if (!link || link.target || link.hasAttribute("download")) return false;
    const href = link.getAttribute("href") || "";
    return href === "/" || href.startsWith("/?");
  }

  let navigation = 0;
  async function showSearch(url, push) {
    const mine = ++navigation;
    let response;
    try {
      response = await fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" });
    } catch (failure) {
      location.assign(url);
      return;
    }
    if (mine !== navigation) return;
    const text = await response.text();
    const fresh = new DOMParser().parseFromString(text, "text/html");
    const now = doc.querySelector(".layout");
    const next = fresh.querySelector(".layout");
    if (!now || !next) {
      location.assign(url);
      return;
    }
    now.replaceWith(doc.importNode(next, true));
    doc.title = fresh.title;
    const query = fresh.getElementById("q");
    const box = doc.getElementById("q");
    if (query && box) box.value = query.value;
    const sort = fresh.getElementById("sort");
    const sortBox = doc.getElementById("sort");
    if (sort && sortBox) sortBox.value = sort.value;
    if (push) history.pushState({ dossier: true }, "", url);
    currentHit = -1;
    ready();
    const results = doc.getElementById("results");
    if (results) {
      results.setAttribute("tabindex", "-1");
      results.focus({ preventScroll: true });
    }
  }

  doc.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target.closest("a");
    if (dragged && link && link.closest("svg.bars")) {
      event.preventDefault();
      return;
    }
    if (link && link.closest(".layout") && isSearchLink(link)) {
      event.preventDefault();
      showSearch(link.getAttribute("href"), true);
      return;
    }
    const copy = event.target.closest("button[data-copy]");
    if (copy) copyText(copy);
    if (event.target.id === "match-next") stepMatch(1);
    if (event.target.id === "match-previous") stepMatch(-1);
  });

  window.addEventListener("popstate", () => {
    if (doc.querySelector(".layout")) showSearch(location.pathname + location.search, false);
  });

  // ---- Search inside a facet, as you type. ----

  let facetTimer = null;
  doc.addEventListener("input", (event) => {
    const input = event.target;
    const form = input.closest && input.closest("form.facet-search");
    if (!form) return;
    clearTimeout(facetTimer);
    facetTimer = setTimeout(() => refreshFacet(form, input), 200);
  });

  async function refreshFacet(form, input) {
    const url = "/?" + new URLSearchParams(new FormData(form)).toString();
    const kind = form.dataset.facet;
    let text;
    try {
      text = await (await fetch(url, { credentials: "same-origin" })).text();
    } catch (failure) {
      return;
    }
    const fresh = new DOMParser().parseFromString(text, "text/html");
    const list = fresh.querySelector("#facet-" + kind);
    const here = doc.querySelector("#facet-" + kind);
    if (!list || !here) return;
    const caret = input.selectionStart;
    // Keep the box being typed in; swap everything after it.
    const freshForm = list.querySelector("form.facet-search");
    while (here.lastChild && here.lastChild !== here.querySelector("form.facet-search")) {
      here.removeChild(here.lastChild);
    }
    let node = freshForm ? freshForm.nextSibling : null;
    while (node) {
      const following = node.nextSibling;
      here.appendChild(doc.importNode(node, true));
      node = following;
    }
    input.focus();
    if (caret !== null) input.setSelectionRange(caret, caret);
  }

  doc.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.matches("form.facet-search")) {
      event.preventDefault();
      const input = form.querySelector("input[name=prefix]");
      refreshFacet(form, input);
    }
  });

  doc.addEventListener("change", (event) => {
    if (event.target.id === "sort" && event.target.form) event.target.form.submit();
  });

  // ---- The timeline: drag across bars to pick a range. ----

  let dragStart = null;
  let dragEnd = null;
  let dragged = false;

  function barOf(target) {
    const link = target.closest && target.closest("svg.bars a[data-bucket]");
    return link || null;
  }

  function bars(svg) {
    return Array.from(svg.querySelectorAll("a[data-bucket]"));
  }

  function markPicked(svg) {
    const all = bars(svg);
    const a = all.indexOf(dragStart);
    const b = all.indexOf(dragEnd);
    const [low, high] = a <= b ? [a, b] : [b, a];
    all.forEach((bar, i) => bar.classList.toggle("picked", i >= low && i <= high));
  }

  doc.addEventListener("pointerdown", (event) => {
    const bar = barOf(event.target);
    if (!bar || event.button !== 0) return;
    dragStart = bar;
    dragEnd = bar;
    dragged = false;
  });

  doc.addEventListener("pointermove", (event) => {
    if (!dragStart) return;
    const under = doc.elementFromPoint(event.clientX, event.clientY);
    const bar = under ? barOf(under) : null;
    if (bar && bar !== dragEnd && bar.closest("svg") === dragStart.closest("svg")) {
      dragEnd = bar;
      dragged = dragEnd !== dragStart;
      markPicked(dragStart.closest("svg"));
    }
  });

  doc.addEventListener("pointerup", () => {
    if (!dragStart) return;
    const svg = dragStart.closest("svg");
    if (dragged) {
      const all = bars(svg);
      const a = all.indexOf(dragStart);
      const b = all.indexOf(dragEnd);
      const first = all[Math.min(a, b)];
      const last = all[Math.max(a, b)];
      const range = first.dataset.from + ".." + last.dataset.to;
      const url = svg.dataset.rangeHref.replace("__RANGE__", range);
      showSearch(url, true);
      // The click that ends the drag must not follow the bar's own link.
      setTimeout(() => { dragged = false; }, 0);
    }
    dragStart = null;
    dragEnd = null;
  });

  // ---- Keys. ----

  let currentHit = -1;
  function stepHit(by) {
    const hits = Array.from(doc.querySelectorAll("li.hit"));
    if (!hits.length) return;
    currentHit = Math.max(0, Math.min(hits.length - 1, currentHit + by));
    hits.forEach((hit, i) => hit.classList.toggle("current", i === currentHit));
    const link = hits[currentHit].querySelector("a.open");
    if (link) link.focus();
    hits[currentHit].scrollIntoView({ block: "nearest" });
  }

  let currentMatch = 0;
  function stepMatch(by) {
    const count = doc.querySelectorAll("mark[id^='match-']").length;
    if (!count) return;
    currentMatch = ((currentMatch - 1 + by + count) % count) + 1;
    doc.querySelectorAll("mark.current").forEach((m) => m.classList.remove("current"));
    const pieces = doc.querySelectorAll("mark[data-match='" + currentMatch + "']");
    pieces.forEach((m) => m.classList.add("current"));
    if (pieces[0]) pieces[0].scrollIntoView({ block: "center" });
    const status = doc.getElementById("match-status");
    if (status) status.textContent = "match " + currentMatch + " of " + count;
  }

  function typing(target) {
    return target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
  }

  doc.addEventListener("keydown", (event) => {
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    if (event.key === "Escape") {
      if (typing(event.target)) {
        event.target.blur();
        return;
      }
      const back = doc.getElementById("back");
      if (back) location.assign(back.getAttribute("href"));
      return;
    }
    if (typing(event.target)) return;
    switch (event.key) {
      case "/": {
        const box = doc.getElementById("q");
        if (box) {
          event.preventDefault();
          box.focus();
          box.select();
        }
        break;
      }
      case "j": stepHit(1); break;
      case "k": stepHit(-1); break;
      case "n": stepMatch(1); break;
      case "N": stepMatch(-1); break;
      default: return;
    }
  });

  // ---- Copy the command line. ----

  async function copyText(button) {
    const source = doc.getElementById(button.dataset.copy);
    if (!source) return;
    try {
      await navigator.clipboard.writeText(source.textContent);
      button.textContent = "Copied";
    } catch (failure) {
      const range = doc.createRange();
      range.selectNodeContents(source);
      const selection = getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      button.textContent = "Selected: press Ctrl-C";
    }
  }

  function ready() {
    doc.querySelectorAll("button[data-copy], #match-next, #match-previous").forEach((b) => { b.hidden = false; });
  }
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
