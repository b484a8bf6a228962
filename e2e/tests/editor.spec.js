// An editor curating the catalog: the forms, their errors, the import and a decision.
const path = require("path");
const { test, expect } = require("./check");

const fixtures = path.resolve(__dirname, "../../tests/fixtures/benchmarks");

test("an editor adds a technology and its facts, imports a run, records a decision and deletes a run", async ({ verdict, page }, testInfo) => {
  const main = page.getByRole("main");
  const width = testInfo.project.name.split("-")[0];
  const name = `Zig (${width})`;
  const today = new Date().toISOString().slice(0, 10);

  await verdict.open("/login", "login");
  await main.getByLabel("Email", { exact: true }).fill(process.env.E2E_EMAIL);
  await main.getByLabel("Password", { exact: true }).fill(process.env.E2E_PASSWORD);
  await verdict.follow(main.getByRole("button", { name: "Sign in" }), "admin");
  await expect(page).toHaveURL(/\/admin$/);

  // A technology, first with a mistake the form names at its field.
  await verdict.follow(main.getByRole("link", { name: /^\d+ technologies$/ }), "admin-technologies");
  await verdict.follow(main.getByRole("link", { name: "New technology" }), "technology-form");
  await main.getByLabel("Kind", { exact: true }).selectOption("language");
  await main.getByLabel("Summary", { exact: true }).fill("A systems language with explicit allocation and comptime.");
  await verdict.follow(main.getByRole("button", { name: "Create technology" }), "technology-form-errors", { status: 422 });
  await expect(main.getByRole("alert").or(main.locator(".error-summary"))).toContainText("Name");
  await expect(main.getByLabel("Summary", { exact: true })).toHaveValue("A systems language with explicit allocation and comptime.");
  await main.getByLabel("Name", { exact: true }).fill(name);
  await main.getByLabel("Slug", { exact: true }).fill(`zig-${width}`);
  await verdict.follow(main.getByRole("button", { name: "Create technology" }), "technology-created");
  await expect(main).toContainText(name);

  // Its facts: a date in the future is refused at its field, then put right.
  await page.goto("/admin/technologies");
  await verdict.follow(main.getByRole("row", { name: new RegExp(name.replace(/[()]/g, "\\$&")) }).getByRole("link", { name: "Facts" }), "facts");
  await page.locator('[id="text.performance"]').fill("Zig compiles to native code through LLVM, without a garbage collector.");
  await page.locator('[id="as_of.performance"]').fill("2099-01-01");
  await page.locator('[id="confidence.performance"]').selectOption("medium");
  await verdict.follow(main.getByRole("button", { name: /Save/ }), "facts-errors", { status: 422 });
  const summary = main.locator(".error-summary");
  await expect(summary).toContainText("Performance: the as-of date cannot be in the future");
  await expect(summary).toContainText("Performance: the score is required");
  await summary.getByRole("link", { name: /^Performance: the as-of date/ }).click();
  await expect(page.locator('[id="as_of.performance"]')).toBeFocused();
  await page.locator('[id="as_of.performance"]').fill(today);
  await page.locator('[id="score.performance"]').selectOption("4");
  await verdict.follow(main.getByRole("button", { name: /Save/ }), "facts-saved");
  await expect(page.locator('[id="text.performance"]')).toHaveValue(/without a garbage collector/);

  // A wrk run, through the preview.
  await page.goto("/admin");
  await verdict.follow(main.getByRole("link", { name: /^Import results/ }), "import");
  await main.getByLabel("Tool", { exact: true }).selectOption("wrk");
  await main.getByLabel("File", { exact: true }).setInputFiles(path.join(fixtures, "wrk-latency.txt"));
  await main.getByLabel("Scenario", { exact: true }).selectOption({ index: 1 });
  await main.getByLabel("Technology measured", { exact: true }).selectOption({ label: name });
  await main.getByLabel("Measured on", { exact: true }).fill(today);
  await verdict.follow(main.getByRole("button", { name: "Upload and preview" }), "import-preview");
  await verdict.follow(main.getByRole("button", { name: "Confirm the import" }), "imported-run");
  await expect(page).toHaveURL(/\/benchmarks\/runs\/\d+$/);
  const run = page.url();

  // A decision from an advisor result.
  await verdict.open("/advisor?t=go&t=rust", "advisor-form-signed-in");
  await main.getByRole("group", { name: "Time to market" }).getByRole("radio", { name: "must" }).check();
  await verdict.follow(main.getByRole("button", { name: "Rank the candidates" }), "advisor-ranking-signed-in");
  await verdict.follow(main.getByRole("link", { name: "Record a decision from this result" }), "decision-form");
  await expect(main.getByLabel("Title", { exact: true })).toHaveValue("Choose between Go and Rust");
  await main.getByLabel("Title", { exact: true }).fill(`Go for the API service (${width})`);
  await main.getByLabel("Context and problem", { exact: true }).fill("A new JSON API service, to ship this quarter.");
  await verdict.follow(main.getByRole("button", { name: "Record the decision" }), "decision-recorded");
  await expect(page).toHaveURL(/\/decisions\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Go for the API service");

  // The imported run, deleted after a confirmation.
  await page.goto(run);
  await verdict.follow(main.getByRole("link", { name: "Delete this run…" }), "run-delete");
  await verdict.follow(main.getByRole("button", { name: /Delete/ }), "run-deleted");
  expect((await page.request.get(run)).status()).toBe(404);

  // The rest of the admin pages.
  for (const [href, pageName] of [
    ["/admin/dimensions", "admin-dimensions"],
    ["/admin/dimensions/new", "dimension-form"],
    ["/admin/sources", "admin-sources"],
    ["/admin/sources/new", "source-form"],
    ["/admin/requirements", "admin-requirements"],
    ["/admin/decisions", "admin-decisions"],
    ["/admin/benchmarks/scenarios", "admin-scenarios"],
    ["/admin/benchmarks/environments", "admin-environments"],
    ["/admin/users", "admin-users"],
    ["/admin/tokens", "admin-tokens"],
    ["/admin/audit", "admin-audit"],
    ["/account/sessions", "sessions"],
    ["/account/password", "password"],
  ]) {
    await verdict.open(href, pageName);
  }
});
