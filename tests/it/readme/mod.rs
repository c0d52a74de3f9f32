//! The README's and the book's promises: the README is short and its first screen names the two
//! commands a new user needs; every example of every page runs and prints what the page shows
//! (`examples`); the command-line reference and the schema page are made from the program and
//! current; the book's table of contents lists every page; links between pages lead somewhere;
//! the problem examples solve to the optima they state.

mod examples;

use crate::common::{Test, path, rel_diff};

fn read(rel: &str) -> String {
    std::fs::read_to_string(path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The ```yaml block of `page` that starts with `first`.
fn yaml_block(page: &str, first: &str) -> String {
    let text = read(page);
    let start = text
        .find(&format!("```yaml\n{first}"))
        .unwrap_or_else(|| panic!("{page} has a YAML example starting with `{first}`"))
        + "```yaml\n".len();
    let end = start + text[start..].find("```").unwrap();
    text[start..end].to_string()
}

#[test]
fn example_problem_solves_to_its_stated_optimum() {
    let example = yaml_block("docs/src/reference/format.md", "name: Two parks");
    let run = || Test::new().file("example.yaml", &example).in_tempdir();
    run().args(["validate", "example.yaml"]).run();
    let doc: serde_yaml::Value = serde_yaml::from_str(&example).unwrap();
    let want = doc["expected"]["objective"].as_f64().unwrap();
    let plan = run().args(["solve", "example.yaml", "-f", "json"]).json();
    assert!(
        rel_diff(plan["objective"].as_f64().unwrap(), want) < 1e-6,
        "{plan}"
    );
    assert_eq!(plan["main_chains"]["zhongshan"], "aluminium");
    assert_eq!(plan["main_chains"]["faer"], "coal_power");
    for scenario in ["dry-season", "pooled-funds"] {
        run().args(["solve", "example.yaml", "-s", scenario]).run();
    }
}

/// The example of a problem over periods solves to its stated optimum, and is the problem file
/// it says it is.
#[test]
fn periods_example_solves_to_its_stated_optimum() {
    let example = yaml_block(
        "docs/src/how-to/periods.md",
        "name: Budget that arrives late",
    );
    let plan = Test::new()
        .file("periods.yaml", &example)
        .in_tempdir()
        .args(["solve", "periods.yaml", "-f", "json"])
        .json();
    let doc: serde_yaml::Value = serde_yaml::from_str(&example).unwrap();
    let want = doc["expected"]["objective"].as_f64().unwrap();
    assert!(
        rel_diff(plan["objective"].as_f64().unwrap(), want) < 1e-6,
        "{plan}"
    );
    let periods = plan["periods"].as_array().expect("periods");
    assert_eq!(periods.len(), 3);
    assert_eq!(
        periods[1]["built"]["a"]["steel"].as_f64(),
        Some(2.0),
        "{plan}"
    );
    let file = Test::new()
        .args([
            "solve",
            "problems/small/periods-budget-late.yaml",
            "-f",
            "json",
        ])
        .json();
    assert_eq!(file["objective"], plan["objective"]);
}

#[test]
fn first_screen_has_the_two_commands() {
    let text = read("README.md");
    let first: String = text.lines().take(24).collect::<Vec<_>>().join("\n");
    assert!(
        first.contains("./x solve problems/liupanshui.yaml"),
        "{first}"
    );
    assert!(first.contains("./x test"), "{first}");
    // The test command of the first screen is the one CI runs, and `./x test` runs cargo's tests.
    let ci = read(".ci/run");
    assert!(ci.lines().any(|l| l.trim() == "./x test"), "{ci}");
    let x = read("x");
    assert!(x.contains("exec cargo test --release --locked"), "{x}");
}

/// The README stays a front page: short, with its picture, and pointing at the book.
#[test]
fn the_readme_is_short_and_points_at_the_book() {
    let text = read("README.md");
    let lines = text.lines().count();
    assert!(lines <= 250, "README.md has {lines} lines, at most 250");
    assert!(
        text.contains("docs/src/images/"),
        "the README shows a report"
    );
    assert!(
        text.contains("./x docs"),
        "the README says how to build the book"
    );
}

/// Every page of `docs/src/` is in the table of contents, and every entry of it is a page.
#[test]
fn the_summary_lists_every_page() {
    let summary = read("docs/src/SUMMARY.md");
    let listed: Vec<String> = summary
        .lines()
        .filter_map(|l| {
            let (_, rest) = l.split_once("](")?;
            Some(rest.split_once(')')?.0.to_string())
        })
        .collect();
    let pages: Vec<String> = examples::pages()
        .into_iter()
        .filter_map(|p| p.strip_prefix("docs/src/").map(str::to_string))
        .filter(|p| p != "SUMMARY.md")
        .collect();
    for p in &pages {
        assert!(listed.contains(p), "docs/src/{p} is not in SUMMARY.md");
    }
    for l in &listed {
        assert!(
            pages.contains(l),
            "SUMMARY.md lists {l}, which is not a page"
        );
    }
}

/// A link from one page to a file of the repository or the book (a page, an image, a problem)
/// leads to a file that exists.
#[test]
fn links_between_pages_lead_somewhere() {
    let mut broken = Vec::new();
    for page in examples::pages() {
        let text = read(&page);
        let dir = path(&page).parent().unwrap().to_path_buf();
        let mut fence = false;
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("```") {
                fence = !fence;
            }
            if fence {
                continue;
            }
            for (_, rest) in line.match_indices("](").map(|(i, _)| ((), &line[i + 2..])) {
                let Some(target) = rest.split(')').next() else {
                    continue;
                };
                let file = target.split('#').next().unwrap();
                if file.is_empty() || file.contains("://") || file.starts_with("mailto:") {
                    continue;
                }
                if !dir.join(file).exists() {
                    broken.push(format!("{page}:{}: {target}", n + 1));
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "links to nothing:\n{}",
        broken.join("\n")
    );
}

/// Compares `made` with the committed file `rel`; with `BLESS=1` writes it instead.
fn current(rel: &str, made: &str, how: &str) {
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(path(rel), made).unwrap();
        return;
    }
    let committed = read(rel);
    if committed != made {
        let line = committed
            .lines()
            .zip(made.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(committed.lines().count().min(made.lines().count()));
        panic!(
            "{rel} is not current (first difference at line {}): {how}",
            line + 1
        );
    }
}

/// The command-line reference is what the program's own definition renders, so it names every
/// command and option there is, with its help and defaults.
#[test]
fn cli_reference_is_current() {
    let made = Test::new().arg("cli-reference").run().stdout;
    assert!(made.contains("## `parkplan solve`"), "{made}");
    assert!(made.contains("`--time-limit <SECONDS>`"), "{made}");
    assert!(
        !made.contains("## `parkplan cli-reference`"),
        "the hidden command is not listed"
    );
    current(
        "docs/src/reference/cli.md",
        &made,
        "run `BLESS=1 cargo test --release --locked --test it -- cli_reference` and commit it",
    );
}

/// The schema the book shows is the one `parkplan schema` prints.
#[test]
fn schema_page_is_current() {
    let made = Test::new().arg("schema").run().stdout;
    current(
        "docs/src/reference/parkplan.schema.json",
        &made,
        "run `BLESS=1 cargo test --release --locked --test it -- schema_page` and commit it",
    );
    let page = read("docs/src/reference/schema.md");
    assert!(page.contains("{{#include parkplan.schema.json}}"), "{page}");
}
