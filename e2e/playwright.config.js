// Verdict's end-to-end suite. `e2e/run` starts Verdict on a fresh database and sets VERDICT_URL;
// the browser is Debian's Chromium (CHROMIUM overrides its path), never a downloaded one.
const path = require("path");
const { defineConfig } = require("@playwright/test");

const out = process.env.E2E_OUT || path.resolve(__dirname, "../target/e2e");

const chromium = {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox"],
};

module.exports = defineConfig({
  testDir: "tests",
  outputDir: path.join(out, "results"),
  // One browser at a time: the machine has two cores and Verdict runs beside it.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 300_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: process.env.VERDICT_URL || "http://127.0.0.1:8080",
    launchOptions: chromium,
    trace: "retain-on-failure",
    actionTimeout: 10_000,
    navigationTimeout: 30_000,
  },
  // The editors record what the readers then read (a decision), so the readers go second.
  projects: [
    { name: "phone-editor", testMatch: /editor/, use: phone() },
    { name: "desktop-editor", testMatch: /editor/, use: desktop() },
    { name: "phone-reader", testMatch: /reader/, use: phone(), dependencies: ["phone-editor", "desktop-editor"] },
    { name: "desktop-reader", testMatch: /reader/, use: desktop(), dependencies: ["phone-editor", "desktop-editor"] },
  ],
});

function phone() {
  return { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true };
}

function desktop() {
  return { viewport: { width: 1280, height: 800 } };
}
