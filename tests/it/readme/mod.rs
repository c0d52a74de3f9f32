//! The README's promises: its example problem validates and solves to the optimum it states, its
//! first screen names the two commands a new user needs, its terminal examples are what the
//! commands print, and every shell example runs (`shell`).

mod shell;

use crate::common::{Test, path, rel_diff};

fn readme() -> String {
    std::fs::read_to_string(path("README.md")).unwrap()
}

/// The first ```yaml block of the README.
fn example() -> String {
    let text = readme();
    let start = text.find("```yaml\n").expect("a yaml example") + "```yaml\n".len();
    let end = start + text[start..].find("```").unwrap();
    text[start..end].to_string()
}

#[test]
fn example_problem_solves_to_its_stated_optimum() {
    let readme_example = || Test::new().file("example.yaml", example()).in_tempdir();
    readme_example().args(["validate", "example.yaml"]).run();
    let doc: serde_yaml::Value = serde_yaml::from_str(&example()).unwrap();
    let want = doc["expected"]["objective"].as_f64().unwrap();
    let plan = readme_example()
        .args(["solve", "example.yaml", "-f", "json"])
        .json();
    assert!(
        rel_diff(plan["objective"].as_f64().unwrap(), want) < 1e-6,
        "{plan}"
    );
    assert_eq!(plan["main_chains"]["zhongshan"], "aluminium");
    assert_eq!(plan["main_chains"]["faer"], "coal_power");
    for scenario in ["dry-season", "pooled-funds"] {
        readme_example()
            .args(["solve", "example.yaml", "-s", scenario])
            .run();
    }
}

/// The README's example of a problem over periods solves to its stated optimum, and is the
/// problem file it says it is.
#[test]
fn periods_example_solves_to_its_stated_optimum() {
    let text = readme();
    let start = text
        .find("```yaml\nname: Budget that arrives late")
        .expect("the periods example")
        + "```yaml\n".len();
    let end = start + text[start..].find("```").unwrap();
    let example = text[start..end].to_string();
    let plan = Test::new()
        .file("periods.yaml", example.clone())
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
    let text = readme();
    let first: String = text.lines().take(24).collect::<Vec<_>>().join("\n");
    assert!(
        first.contains("./x solve problems/liupanshui.yaml"),
        "{first}"
    );
    assert!(first.contains("./x test"), "{first}");
    // The test command of the first screen is the one CI runs, and `./x test` runs cargo's tests.
    let ci = std::fs::read_to_string(path(".ci/run")).unwrap();
    assert!(ci.lines().any(|l| l.trim() == "./x test"), "{ci}");
    let x = std::fs::read_to_string(path("x")).unwrap();
    assert!(x.contains("exec cargo test --release --locked"), "{x}");
}

/// Every terminal example of the README (a ```text block that starts with `$ parkplan …`) is
/// what that command prints, to the character. A command that reads `plan.yaml` gets the
/// README's ```yaml block that precedes it.
#[test]
fn every_terminal_example_is_what_the_command_prints() {
    let text = readme();
    let mut checked = 0;
    let mut rest = text.as_str();
    let mut last_yaml = String::new();
    while let Some(i) = rest.find("```") {
        let after = &rest[i + 3..];
        let (lang, body_start) = after.split_once('\n').unwrap_or((after, ""));
        let end = body_start.find("```").expect("a closed code block");
        let body = &body_start[..end];
        rest = &body_start[end + 3..];
        if lang == "yaml" {
            last_yaml = body.to_string();
            continue;
        }
        let Some(command) = (lang == "text")
            .then(|| body.strip_prefix("$ parkplan "))
            .flatten()
        else {
            continue;
        };
        let (command, expected) = command.split_once('\n').unwrap();
        let args: Vec<&str> = command.split_whitespace().collect();
        let mut t = Test::new();
        if args.contains(&"plan.yaml") {
            t = t.file("plan.yaml", &last_yaml).in_tempdir();
            std::os::unix::fs::symlink(path("problems"), t.tmp("problems")).unwrap();
        }
        let run = t.args(&args).any_status().run();
        assert_eq!(
            run.stdout.trim_end(),
            expected.trim_end(),
            "`parkplan {command}` prints something else than the README says"
        );
        checked += 1;
    }
    assert!(checked >= 6, "only {checked} examples found");
}
