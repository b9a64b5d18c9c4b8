// dossier's web page in a real browser: Debian's Chromium (/usr/bin/chromium) driven by
// playwright-core, against `dossier serve` on the project's own fixtures
// (tests/fixtures/news) and hostile articles (tests/fixtures/hostile). Run by .ci/run:
//
//   node tests/browser/suite.js            (after cargo build --release)
//
// It fails, never skips, when Chromium or the binary is missing. Screenshots go to
// docs/screenshots/; figures (page weight, paint and load times, requests per facet
// click) are printed at the end. DOSSIER_BROWSER_INDEX=DIR measures the timings on an
// existing index instead (synth-200, for the figures in the README).

"use strict";

const assert = require("node:assert/strict");
const { spawn, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const readline = require("node:readline");

const ROOT = path.resolve(__dirname, "..", "..");
const BINARY = process.env.DOSSIER_BIN || path.join(ROOT, "target", "release", "dossier");
const CHROMIUM = "/usr/bin/chromium";
const SHOTS = path.join(ROOT, "docs", "screenshots");

let chromium;
try {
  ({ chromium } = require("playwright-core"));
} catch (failure) {
  fail("playwright-core is not installed: run `npm ci` in tests/browser");
}

function fail(message) {
  console.error("browser suite: " + message);
  process.exit(1);
}

for (const [what, file] of [["Chromium", CHROMIUM], ["the dossier binary", BINARY]]) {
  if (!fs.existsSync(file)) fail(`${what} is missing at ${file}`);
}

// ---- The index and the server. ----

function dossier(args) {
  return execFileSync(BINARY, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function cliSearch(index, query, extra = []) {
  let out;
  try {
    out = dossier(["--index", index, "--json", "search", "-n", "10", ...extra, "--", query]);
  } catch (exit) {
    out = exit.stdout; // exit code 1: no hits, still JSON
  }
  return JSON.parse(out);
}

function startServer(index) {
  return new Promise((resolve, reject) => {
    const child = spawn(BINARY, ["serve", "--index", index, "--port", "0"], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    const lines = readline.createInterface({ input: child.stderr });
    const timer = setTimeout(() => reject(new Error("the server did not start in 20 s")), 20000);
    lines.on("line", (line) => {
      const found = line.match(/ at (http:\/\/[^ ]+\/)$/);
      if (found) {
        clearTimeout(timer);
        resolve({ child, base: found[1].replace(/\/$/, "") });
      }
    });
    child.on("exit", (code) => reject(new Error(`the server exited with ${code}`)));
  });
}

// ---- The checks. ----

const figures = {};
const problems = []; // console errors, page errors, failed requests, anywhere

function watch(page) {
  page.on("console", (message) => {
    if (["error", "warning"].includes(message.type())) problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => {
    // A download the test does not wait for ends as "aborted"; nothing else may fail.
    if (!request.url().includes("/api/export")) problems.push(`request failed: ${request.url()}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400 && !response.url().includes("expect-error")) {
      problems.push(`HTTP ${response.status()}: ${response.url()}`);
    }
  });
  page.on("dialog", (dialog) => {
    problems.push(`a dialog opened: ${dialog.message()}`);
    dialog.dismiss();
  });
}

async function total(page) {
  return Number(await page.getAttribute("[data-total]", "data-total"));
}

async function hitIds(page) {
  return page.$$eval("[data-hit-id]", (hits) => hits.map((h) => h.getAttribute("data-hit-id")));
}

function queryOf(page) {
  return new URL(page.url()).searchParams.get("q") || "";
}

/// The page shows what `dossier search --json` returns for the query in its URL.
async function agreesWithCli(page, index, what) {
  const query = queryOf(page);
  const cli = cliSearch(index, query);
  assert.equal(await total(page), cli.total, `${what}: total for ${query}`);
  assert.deepEqual(await hitIds(page), cli.hits.map((h) => h.id), `${what}: hits for ${query}`);
  return cli;
}

/// Waits until the results show `expected` as their total (after a swap or a load).
async function showsTotal(page, expected) {
  await page.waitForFunction(
    (want) => document.querySelector("[data-total]")?.getAttribute("data-total") === want,
    String(expected),
  );
}

async function axe(page, name) {
  await page.evaluate(fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8"));
  const result = await page.evaluate(() =>
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } }),
  );
  const bad = result.violations.filter((v) => ["serious", "critical"].includes(v.impact));
  assert.deepEqual(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes, e.g. ${v.nodes[0].html})`),
    [],
    `axe on ${name}`,
  );
  return result.violations.length;
}

async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, name + ".png"), fullPage: true });
}

async function run() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "dossier-browser-"));
  const index = path.join(work, "idx");
  dossier(["--index", index, "-q", "index", path.join(ROOT, "tests/fixtures/news"), path.join(ROOT, "tests/fixtures/hostile")]);
  const { child, base } = await startServer(index);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const steps = [];
  const step = async (name, body) => {
    const started = Date.now();
    await body();
    steps.push(`ok ${name} (${Date.now() - started} ms)`);
    console.log(`ok - ${name}`);
  };
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    watch(page);

    await step("a typed query shows the CLI's hits", async () => {
      await page.goto(base + "/");
      await page.keyboard.press("/");
      assert.equal(await page.evaluate(() => document.activeElement.id), "q", "/ focuses the query box");
      await page.fill("input[name=q]", "troops OR harbour");
      await page.keyboard.press("Enter");
      await page.waitForURL(/q=troops/);
      await agreesWithCli(page, index, "typed query");
      assert.ok((await page.$$("li.hit mark")).length > 0, "hits have <mark>ed words");
      await axe(page, "search page");
      await shot(page, "search");
    });

    await step("a person facet narrows to the CLI's answer, with one request", async () => {
      await page.goto(base + "/?q=" + encodeURIComponent("date:..2100"));
      const person = await page.$("a[data-facet-kind=person]");
      const name = await person.getAttribute("data-facet-value");
      const count = Number(await page.$eval(`a[data-facet-kind=person] ~ [data-count]`, (e) => e.getAttribute("data-count")));
      const requests = [];
      const listen = (request) => requests.push(request.url());
      page.on("request", listen);
      await person.click();
      await page.waitForURL((url) => url.searchParams.get("q")?.includes("person:"));
      await showsTotal(page, count);
      page.off("request", listen);
      figures.requests_per_facet_click = requests.length;
      assert.equal(requests.length, 1, `one request per facet click: ${requests}`);
      assert.ok(queryOf(page).includes(`person:"${name}"`) || queryOf(page).includes(`person:${name}`));
      await agreesWithCli(page, index, "person facet");
      assert.ok(await page.$("ul.chips .chip"), "the picked value is a chip");
      // Back returns to the unfiltered search.
      await page.goBack();
      await page.waitForURL((url) => !(url.searchParams.get("q") || "").includes("person:"));
      await agreesWithCli(page, index, "back");
    });

    await step("excluding a value leaves it out", async () => {
      await page.goto(base + "/?q=" + encodeURIComponent("date:..2100"));
      const before = await total(page);
      const exclude = await page.$("a[data-facet-exclude]");
      const name = await exclude.getAttribute("data-facet-exclude");
      assert.equal(await exclude.getAttribute("data-facet-value"), null, "an exclude control carries no data-facet-value");
      await exclude.click();
      await page.waitForURL((url) => (url.searchParams.get("q") || "").includes("-"));
      const cli = await agreesWithCli(page, index, "exclusion");
      assert.ok(cli.total < before, "fewer hits once a value is left out");
      assert.ok(queryOf(page).includes(name.includes(" ") ? `"${name}"` : name));
      // The chip's × removes it again.
      await page.click("ul.chips li:last-child a.remove");
      await showsTotal(page, before);
    });

    await step("searching inside a facet lists matching values only", async () => {
      await page.goto(base + "/?q=" + encodeURIComponent("date:..2100"));
      await page.fill("#facet-search-place", "po");
      await page.waitForFunction(() => {
        const values = [...document.querySelectorAll("#facet-place a[data-facet-value]")].map((a) => a.dataset.facetValue);
        return values.length > 0 && values.every((v) => v.split(/[\s-]/).some((w) => w.toLowerCase().startsWith("po")));
      });
      const values = await page.$$eval("#facet-place a[data-facet-value]", (all) => all.map((a) => a.dataset.facetValue));
      const api = await (await page.request.get(base + "/api/facet?kind=place&n=100&prefix=po&q=" + encodeURIComponent("date:..2100"))).json();
      assert.deepEqual(values, api.values.map((v) => v.value), "the page lists what /api/facet returns");
      assert.equal(await page.evaluate(() => document.activeElement.id), "facet-search-place", "typing keeps its place");
      await shot(page, "facet-search");
    });

    await step("dragging across the timeline filters to that range", async () => {
      await page.goto(base + "/?q=" + encodeURIComponent("date:..2100") + "&interval=month");
      const bars = await page.$$("svg.bars a[data-bucket]");
      assert.ok(bars.length >= 3, "the fixtures fill several months");
      const first = await bars[0].boundingBox();
      const last = await bars[2].boundingBox();
      const from = await bars[0].getAttribute("data-from");
      const to = await bars[2].getAttribute("data-to");
      let picked = 0;
      for (const bar of bars.slice(0, 3)) picked += Number(await bar.getAttribute("data-count"));
      await page.mouse.move(first.x + first.width / 2, first.y + first.height - 2);
      await page.mouse.down();
      await page.mouse.move(last.x + last.width / 2, last.y + last.height - 2, { steps: 8 });
      await page.mouse.up();
      await page.waitForURL((url) => (url.searchParams.get("q") || "").includes(`date:${from}..${to}`));
      const cli = await agreesWithCli(page, index, "timeline range");
      assert.equal(cli.total, picked, "the range holds the three bars' articles");
      // A click on one bar is its bucket, with the bar's count.
      const bar = await page.$("svg.bars a[data-bucket]");
      const bucket = await bar.getAttribute("data-bucket");
      const count = Number(await bar.getAttribute("data-count"));
      await bar.click();
      await page.waitForURL((url) => (url.searchParams.get("q") || "").includes(`date:${bucket}`));
      await showsTotal(page, count);
      await agreesWithCli(page, index, "timeline bar");
      await shot(page, "timeline");
    });

    await step("an article steps through its matches with n and N, and Esc goes back", async () => {
      await page.goto(base + "/?q=" + encodeURIComponent("troops near:Belarus"));
      await page.keyboard.press("j");
      assert.equal(await page.evaluate(() => document.activeElement.classList.contains("open")), true, "j focuses the first hit");
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/article\?/);
      const marks = await page.$$eval("mark[id^=match-]", (all) => all.length);
      assert.ok(marks >= 2, "a near: query marks its windows");
      const entities = await page.$$eval("[data-entity-kind][data-entity-name]", (all) => all.length);
      assert.ok(entities > 0, "entity mentions are marked");
      assert.ok(await page.$('[data-entity-name="Belarus"][data-entity-kind="place"]'));
      await page.keyboard.press("n");
      await page.waitForFunction(() => document.getElementById("match-status").textContent.startsWith("match 1 of"));
      await page.keyboard.press("n");
      await page.waitForFunction(() => document.getElementById("match-status").textContent.startsWith("match 2 of"));
      assert.equal(await page.$$eval("mark.current", (all) => all[0].dataset.match), "2");
      await page.keyboard.press("Shift+N");
      await page.waitForFunction(() => document.getElementById("match-status").textContent.startsWith("match 1 of"));
      await axe(page, "article page");
      await shot(page, "article");
      await page.keyboard.press("Escape");
      await page.waitForURL((url) => url.pathname === "/");
      assert.equal(queryOf(page), "troops near:Belarus", "Esc returns to the results");
    });

    await step("paging reaches the last match", async () => {
      await page.goto(base + "/?q=" + encodeURIComponent("date:..2100"));
      const all = await total(page);
      await page.click("nav.pager a:has-text('Last')");
      await page.waitForURL(/offset=/);
      const offset = Number(new URL(page.url()).searchParams.get("offset"));
      const cli = cliSearch(index, "date:..2100", ["--offset", String(offset)]);
      assert.deepEqual(await hitIds(page), cli.hits.map((h) => h.id));
      assert.equal(offset + (await hitIds(page)).length, all, "the last page ends at the last match");
    });

    await step("hostile articles are shown as text and run nothing", async () => {
      await page.goto(base + "/?q=" + encodeURIComponent("Lissa mayor"));
      await page.waitForSelector("[data-hit-id]");
      await shot(page, "hostile-search");
      const titles = await page.$$eval("li.hit h3 a", (all) => all.map((a) => a.textContent));
      assert.ok(titles.some((t) => t.includes("<script>window.__pwned=1</script>Mayor")), `titles read as typed: ${titles}`);
      await page.click("li.hit h3 a");
      await page.waitForURL(/\/article\?/);
      await shot(page, "hostile-article");
      for (const target of [page]) {
        assert.equal(await target.evaluate(() => window.__pwned), undefined, "no injected script ran");
        const inline = await target.$$eval("script", (all) => all.filter((s) => !s.src).length);
        assert.equal(inline, 0, "no inline script element exists");
        const handlers = await target.$$eval("*", (all) =>
          all.filter((e) => [...e.attributes].some((a) => a.name.startsWith("on"))).map((e) => e.outerHTML.slice(0, 80)),
        );
        assert.deepEqual(handlers, [], "no element carries an event handler attribute");
        const scriptLinks = await target.$$eval("a[href]", (all) =>
          all.map((a) => a.getAttribute("href")).filter((h) => !/^(\/|#|https?:)/i.test(h)),
        );
        assert.deepEqual(scriptLinks, [], "links go only to pages or http(s)");
        assert.equal(await target.$$eval("iframe, svg:not(.bars) , img, style", (all) => all.length), 0, "no injected elements");
      }
      const body = await page.textContent("#body");
      assert.ok(body.includes('"><svg onload="window.__pwned=3">'), "the body reads as typed");
      const url = await page.textContent("p.url");
      assert.ok(url.includes("javascript:window.__pwned=7"), "a javascript: URL is shown as text");
      assert.equal(await page.$("p.url a"), null, "and is not a link");
      // The second hostile article has an http URL with markup inside: a link, escaped.
      await page.goto(base + "/?q=" + encodeURIComponent("council meets"));
      const link = await page.$$eval("li.hit h3 a", (all) => all.map((a) => a.getAttribute("href")));
      for (const href of link) {
        await page.goto(base + href);
        assert.equal(await page.evaluate(() => window.__pwned), undefined);
      }
    });

    await step("the pages work without JavaScript", async () => {
      const plain = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
      const bare = await plain.newPage();
      watch(bare);
      await bare.goto(base + "/?q=" + encodeURIComponent("date:..2100"));
      await bare.click("a[data-facet-kind=place]");
      await bare.waitForURL((url) => (url.searchParams.get("q") || "").includes("place:"));
      await agreesWithCli(bare, index, "facet without script");
      await bare.click("svg.bars a[data-bucket]");
      await bare.waitForURL((url) => (url.searchParams.get("q") || "").includes("date:"));
      await agreesWithCli(bare, index, "bar without script");
      await bare.fill("input[name=q]", "troops");
      await bare.press("input[name=q]", "Enter");
      await bare.waitForURL(/q=troops/);
      await agreesWithCli(bare, index, "form without script");
      await bare.click("li.hit h3 a");
      await bare.waitForURL(/\/article\?/);
      assert.ok((await bare.$$("mark")).length > 0);
      await shot(bare, "article-no-script");
      await plain.close();
    });

    await step("figures: page weight, paint and load", async () => {
      const timingIndex = process.env.DOSSIER_BROWSER_INDEX;
      let target = base;
      let other = null;
      if (timingIndex) {
        other = await startServer(timingIndex);
        target = other.base;
      }
      const timed = await context.newPage();
      const sizes = {};
      timed.on("response", async (response) => {
        try {
          const kind = response.request().resourceType();
          sizes[kind] = (sizes[kind] || 0) + (await response.body()).length;
        } catch (ignored) { /* a response without a body */ }
      });
      const runs = [];
      for (let i = 0; i < 5; i++) {
        await timed.goto(target + "/?q=oil", { waitUntil: "load" });
        // Paint entries arrive once the frame is presented: wait for them.
        runs.push(await timed.evaluate(() => new Promise((resolve) => {
          const nav = performance.getEntriesByType("navigation")[0];
          new PerformanceObserver((list) => {
            const paint = list.getEntriesByName("first-contentful-paint")[0];
            if (paint) resolve({ paint: paint.startTime, load: nav.loadEventEnd });
          }).observe({ type: "paint", buffered: true });
        })));
      }
      const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
      figures.index = timingIndex || "tests/fixtures (news + hostile)";
      figures.first_contentful_paint_ms = median(runs.map((r) => r.paint));
      figures.load_ms = median(runs.map((r) => r.load));
      const first = await (await timed.request.get(target + "/?q=oil")).body();
      const css = await (await timed.request.get(target + "/assets/page.css")).body();
      const js = await (await timed.request.get(target + "/assets/page.js")).body();
      figures.page_weight_bytes = { html: first.length, css: css.length, js: js.length, total: first.length + css.length + js.length };
      await timed.close();
      if (other) other.child.kill();
    });

    await step("copies of a story collapse into one hit that opens the list", async () => {
      // A folder of our own: one wire item run three times (txt, html, jsonl), one other.
      const folder = path.join(work, "stories");
      fs.mkdirSync(folder, { recursive: true });
      const paragraphs = [0, 1, 2, 3, 4, 5].map((i) =>
        `Paragraph ${i}: the harbour authority of Rotterdam said crews would repair berth ` +
        `number ${i + 3} before the autumn season, and ferries would use the southern pier.`);
      fs.writeFileSync(path.join(folder, "wire.txt"), "Tuesday, March 5, 2024\n\nBerths to be repaired\n\n" + paragraphs.join("\n\n") + "\n");
      fs.writeFileSync(path.join(folder, "page.html"),
        "<html><head><title>Berths to be repaired | Alden Post</title>" +
        "<meta property=\"article:published_time\" content=\"2024-03-06\">" +
        "<meta property=\"og:site_name\" content=\"Alden Post\"></head><body><nav>Home</nav><article>" +
        paragraphs.map((p) => `<p>${p}</p>`).join("") + "</article></body></html>");
      fs.writeFileSync(path.join(folder, "feed.jsonl"), JSON.stringify({
        title: "Harbour berths close", date: "2024-03-07", source: "Kell Courier", body: paragraphs.join("\n\n"),
      }) + "\n");
      fs.writeFileSync(path.join(folder, "dues.txt"), "Wednesday, March 6, 2024\n\nHarbour dues rise\n\n" +
        "The harbour board raised berth dues by two percent, its first rise in four years.\n");
      const storyIndex = path.join(work, "stories-idx");
      dossier(["--index", storyIndex, "-q", "index", folder]);
      const server = await startServer(storyIndex);
      try {
        const collapsed = await context.newPage();
        watch(collapsed);
        await collapsed.goto(server.base + "/?q=harbour");
        assert.equal(await total(collapsed), 4, "the total still counts articles, as the API does");
        assert.equal((await hitIds(collapsed)).length, 2, "one hit per story");
        assert.equal(await collapsed.getAttribute("[data-stories]", "data-stories"), "2");
        const link = await collapsed.$("a.copies");
        assert.equal((await link.textContent()).trim(), "3 copies");
        const line = await collapsed.$eval("p.story", (p) => p.textContent);
        assert.ok(line.includes("Alden Post") && line.includes("Kell Courier"), `outlets shown: ${line}`);
        assert.ok(line.includes("first 2024-03-05"), `first appearance shown: ${line}`);
        await axe(collapsed, "collapsed search page");
        await shot(collapsed, "stories");
        await link.click();
        await collapsed.waitForURL(/copies=all/);
        assert.ok(queryOf(collapsed).startsWith("story:"), queryOf(collapsed));
        assert.equal((await hitIds(collapsed)).length, 3, "the story's copies, each a hit");
        assert.equal(await total(collapsed), 3);
        await collapsed.click("li.hit a.open");
        await collapsed.waitForURL(/\/article\?/);
        const copies = await collapsed.$$eval("section.copies li", (items) => items.map((li) => li.textContent));
        assert.equal(copies.length, 3, `the article lists its story's copies: ${copies}`);
        assert.equal((await collapsed.$$("section.copies a[data-copy-id]")).length, 2, "the two other copies are links");
        await collapsed.close();
      } finally {
        server.child.kill();
      }
    });

    assert.deepEqual(problems, [], "the console and network stayed clean");
    steps.push("ok console and network clean");
    console.log("ok - the console and network stayed clean");
  } finally {
    await browser.close();
    child.kill();
    fs.rmSync(work, { recursive: true, force: true });
  }
  console.log(JSON.stringify({ figures }, null, 2));
}

run().catch((error) => {
  console.error(error);
  if (problems.length) console.error("console and network problems:\n" + problems.join("\n"));
  process.exit(1);
});
