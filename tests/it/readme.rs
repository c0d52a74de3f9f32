//! The README's promises: its example problem validates and solves to the optimum it states, and
//! its first screen names the two commands a new user needs.

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
