// A reader deciding between Go and Rust, following only the links the pages show.
const { test, expect } = require("./check");

test("a reader goes from the home page to a comparison, a ranking, a decision and the benchmarks", async ({ verdict, page }) => {
  const main = page.getByRole("main");

  await verdict.open("/", "home");
  await verdict.follow(main.getByRole("link", { name: "Rust", exact: true }).first(), "technology");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Rust");

  await verdict.follow(main.getByRole("link", { name: "Compare Rust with…" }), "compare-form");
  await page.getByLabel("Second technology").selectOption("go");
  await verdict.follow(main.getByRole("button", { name: "Compare" }), "comparison");
  await expect(page).toHaveURL(/\/compare\/(go-vs-rust|rust-vs-go)$/);
  await expect(main.getByRole("columnheader", { name: "Go", exact: true }).first()).toBeVisible();

  await verdict.follow(main.getByRole("link", { name: "Rank them on your requirements" }), "advisor-form");
  await expect(main.getByRole("checkbox", { name: "Go" }).first()).toBeChecked();
  await main.getByRole("group", { name: "Time to market" }).getByRole("radio", { name: "must" }).check();
  await main.getByRole("group", { name: "A standard API service" }).getByRole("radio", { name: "important" }).check();
  await verdict.follow(main.getByRole("button", { name: "Rank the candidates" }), "advisor-ranking");
  await expect(main.getByRole("heading", { name: "Ranking" })).toBeVisible();

  await verdict.follow(page.getByRole("navigation").getByRole("link", { name: "Decisions" }), "decisions");
  await verdict.follow(main.getByRole("link").filter({ hasText: /Rust|Go/ }).first(), "decision");
  await expect(page).toHaveURL(/\/decisions\/\d+$/);

  await verdict.follow(page.getByRole("navigation").getByRole("link", { name: "Benchmarks" }), "benchmarks");
  await verdict.follow(main.getByRole("link", { name: "All results for Fortunes →" }), "scenario");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Fortunes");
  await verdict.follow(main.getByRole("link", { name: /^run \d+$/ }).first(), "run");
  await expect(page).toHaveURL(/\/benchmarks\/runs\/\d+$/);
});

test("the catalog's other pages", async ({ verdict, page }) => {
  const main = page.getByRole("main");
  await verdict.open("/technologies", "technologies");
  await main.getByLabel("Kind").selectOption("framework");
  await verdict.follow(main.getByRole("button", { name: "Filter" }), "technologies-frameworks");
  await expect(main.getByRole("link", { name: "Axum" })).toBeVisible();
  await verdict.open("/dimensions", "dimensions");
  await verdict.follow(main.getByRole("link", { name: "Performance", exact: true }).first(), "dimension");
  await verdict.open("/sources", "sources");
  await verdict.follow(main.getByRole("link").first(), "source");
  await verdict.open("/login", "login");
  await verdict.open("/technologies?page=last", "technologies-last");
  await verdict.open("/dimensions?page=99", "past-the-end", { status: 404 });
  await verdict.open("/no/such/page", "not-found", { status: 404 });
});
