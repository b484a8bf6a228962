// What every page the journeys reach must pass, at the project's width, in light and dark:
// axe-core with no critical or serious violation, no horizontal scrolling of the page, no text
// clipped by its box, legible charts, links that work. Each page's HTML, as the server sent it,
// is kept under target/e2e/html for the Nu HTML checker that `e2e/run` runs afterwards, and its
// screenshots under target/e2e/screenshots for a person to look at.
const fs = require("fs");
const path = require("path");
const { test: base, expect } = require("@playwright/test");
const AxeBuilder = require("@axe-core/playwright").default;

const target = process.env.E2E_OUT || path.resolve(__dirname, "../../target/e2e");
const linkStatus = new Map();
const COLOUR_RULES = ["color-contrast", "link-in-text-block"];

// Each test gets `verdict`: the page plus the last document the browser loaded, so that a form
// answered with its errors (a 422, not a redirect) is checked as it was sent.
const test = base.extend({
  verdict: async ({ page }, use, testInfo) => {
    const state = { document: null };
    page.on("response", (response) => {
      const request = response.request();
      if (request.resourceType() === "document" && response.frame() === page.mainFrame()) {
        const status = response.status();
        if (status < 300 || status >= 400) state.document = response;
      }
    });
    await use(new Verdict(page, testInfo, state));
  },
});

class Verdict {
  constructor(page, testInfo, state) {
    this.page = page;
    this.testInfo = testInfo;
    this.state = state;
  }

  /** Goes to `url` and checks the page found there. */
  async open(url, name, options = {}) {
    await this.page.goto(url);
    await this.check(name, options);
  }

  /** Clicks `locator`, waits for the page it leads to, and checks it. */
  async follow(locator, name, options = {}) {
    await Promise.all([this.page.waitForEvent("load"), locator.click()]);
    await this.check(name, options);
  }

  /** Checks the page the browser shows now; `status` is the one expected (200 unless told). */
  async check(name, { status = 200 } = {}) {
    const { page, testInfo } = this;
    const project = testInfo.project.name.split("-")[0];
    const response = this.state.document;
    expect(response, `${name}: no document loaded`).not.toBeNull();
    expect(response.status(), `${name}: ${page.url()}`).toBe(status);
    const html = await response.text();
    fs.mkdirSync(path.join(target, "html"), { recursive: true });
    fs.writeFileSync(path.join(target, "html", `${project}-${name}.html`), html);

    await this.checkLinks(name);
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({
        path: path.join(target, "screenshots", project, `${name}-${scheme}.png`),
        fullPage: true,
      });
      // Only colours differ between the schemes: dark is checked for the rules about them.
      // Violations only: axe skips detailing what passed, which is most of its time.
      const builder = new AxeBuilder({ page }).options({ resultTypes: ["violations"] });
      const axe = await (scheme === "light" ? builder : builder.withRules(COLOUR_RULES)).analyze();
      const serious = axe.violations
        .filter((v) => v.impact === "critical" || v.impact === "serious")
        .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      expect.soft(serious, `${name} in ${scheme}: axe-core violations`).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: "light" });
    expect.soft(await page.evaluate(layoutProblems), `${name}: layout`).toEqual([]);
  }

  /** Every same-origin link on the page answers below 400; every in-page link has its target. */
  async checkLinks(name) {
    const { page } = this;
    const origin = new URL(page.url()).origin;
    const links = await page.$$eval("a[href]", (anchors) =>
      anchors.map((a) => ({ href: a.href, raw: a.getAttribute("href") })),
    );
    const broken = [];
    for (const { href, raw } of links) {
      if (raw.startsWith("#")) {
        const id = decodeURIComponent(raw.slice(1));
        if (id && !(await page.$(`[id="${id.replace(/"/g, '\\"')}"]`))) {
          broken.push(`${raw}: no element has this id`);
        }
        continue;
      }
      const url = new URL(href);
      if (url.origin !== origin) continue;
      url.hash = "";
      const key = url.toString();
      if (!linkStatus.has(key)) {
        const reply = await page.request.get(key, { maxRedirects: 5 });
        linkStatus.set(key, reply.status());
      }
      if (linkStatus.get(key) >= 400) broken.push(`${raw}: ${linkStatus.get(key)}`);
    }
    expect.soft(broken, `${name}: broken links`).toEqual([]);
  }
}

// Runs in the page: what a reader would see as broken layout.
function layoutProblems() {
  const problems = [];
  const describe = (el) => {
    const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 50);
    const cls = typeof el.className === "string" && el.className ? `.${el.className.trim().split(/\s+/).join(".")}` : "";
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${cls} "${text}"`;
  };
  // Visible, and not inside a box hidden from sight but kept for screen readers.
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1 || getComputedStyle(el).visibility === "hidden") return false;
    for (let a = el.parentElement; a; a = a.parentElement) {
      const r = a.getBoundingClientRect();
      if (getComputedStyle(a).clip !== "auto" && (r.width <= 1 || r.height <= 1)) return false;
    }
    return true;
  };

  const width = window.innerWidth;
  const pageWidth = document.documentElement.scrollWidth;
  if (pageWidth > width) {
    const wide = [...document.body.querySelectorAll("*")]
      .filter((el) => visible(el) && el.getBoundingClientRect().right > width + 1)
      .filter((el) => ![...el.children].some((child) => child.getBoundingClientRect().right > width + 1))
      .slice(0, 5)
      .map(describe);
    problems.push(`the page is ${pageWidth} px wide in a ${width} px window: ${wide.join("; ")}`);
  }

  for (const el of document.body.querySelectorAll("*")) {
    if (!visible(el) || el.closest("svg")) continue;
    const style = getComputedStyle(el);
    if (style.display === "inline" || style.display === "contents") continue;
    const clips = ["hidden", "clip"].includes(style.overflowX) || style.textOverflow === "ellipsis";
    const textBox = el.matches("h1, h2, h3, h4, label, legend, summary, button, th, td, .button, figcaption, caption");
    if ((clips || textBox) && el.scrollWidth > el.clientWidth + 1 && el.textContent.trim()) {
      problems.push(`text overflows its box (${el.scrollWidth} > ${el.clientWidth} px): ${describe(el)}`);
    }
  }

  // A wide table scrolls in its region on a phone; on a desktop it fits.
  if (width >= 1000) {
    for (const region of document.querySelectorAll(".table-scroll")) {
      if (visible(region) && region.scrollWidth > region.clientWidth + 1) {
        problems.push(`a table needs scrolling at ${width} px (${region.scrollWidth} > ${region.clientWidth}): ${describe(region)}`);
      }
    }
  }

  for (const svg of document.querySelectorAll("svg")) {
    if (!visible(svg) || svg.getBoundingClientRect().width < 100) continue;
    const box = svg.getBoundingClientRect();
    const name = svg.getAttribute("aria-labelledby")
      ? document.getElementById(svg.getAttribute("aria-labelledby").split(" ")[0])?.textContent.trim()
      : svg.getAttribute("aria-label") || "chart";
    const texts = [...svg.querySelectorAll("text")].filter((t) => t.textContent.trim());
    const rects = texts.map((t) => t.getBoundingClientRect());
    texts.forEach((t, i) => {
      const ctm = t.getScreenCTM();
      const size = parseFloat(getComputedStyle(t).fontSize) * (ctm ? Math.hypot(ctm.a, ctm.b) : 1);
      const label = `"${t.textContent.trim().slice(0, 40)}" in ${name}`;
      if (size < 11.95) problems.push(`chart text at ${size.toFixed(1)} px: ${label}`);
      const r = rects[i];
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) {
        problems.push(`chart text clipped by its chart: ${label}`);
      }
      for (let j = i + 1; j < texts.length; j++) {
        const s = rects[j];
        const overlapX = Math.min(r.right, s.right) - Math.max(r.left, s.left);
        const overlapY = Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
        if (overlapX > 1 && overlapY > 1) {
          problems.push(`chart texts overlap: ${label} and "${texts[j].textContent.trim().slice(0, 40)}"`);
        }
      }
    });
    for (const line of svg.querySelectorAll("line, path.grid, .grid line")) {
      // A line's box has no width (or height) of its own; a text's box is a little taller
      // than its glyphs, hence the pixel of tolerance on each.
      const l = line.getBoundingClientRect();
      rects.forEach((r, i) => {
        const crossX = Math.min(r.right - 1, l.right + 0.5) - Math.max(r.left + 1, l.left - 0.5);
        const crossY = Math.min(r.bottom - 1, l.bottom + 0.5) - Math.max(r.top + 1, l.top - 0.5);
        if (crossX > 0 && crossY > 0) {
          problems.push(`a line crosses chart text: "${texts[i].textContent.trim().slice(0, 40)}" in ${name}`);
        }
      });
    }
  }
  return [...new Set(problems)];
}

module.exports = { test, expect };
