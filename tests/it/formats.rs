//! What the text formats print, pinned as snapshots (`tests/it/snapshots/`): the plan of
//! `parkplan solve` as a table, in Markdown and as CSV on small problems that show material
//! flows, purchases from outside and the one-main-chain rule off and on, and a sweep summary as a
//! table and as CSV.
//!
//! A change to the output fails these tests with a diff. When the change is meant, update the
//! snapshots with `INSTA_UPDATE=always cargo test --release formats::` (or `cargo insta review`
//! where cargo-insta is installed), read the changed `.snap` files and commit them. With `CI` set
//! insta never writes and fails on any mismatch or missing snapshot.
//!
//! The problems are chosen so that every printed number is exact at the precision printed: CSV
//! holds numbers in full, so no problem here has a price like 4/3.

use crate::common::Test;

/// Runs `parkplan ARGS…` from the repository root and snapshots its standard output as `name`,
/// with the command line as the snapshot's description.
fn snapshot(name: &str, args: &[&str], status: i32) {
    let run = Test::new().args(args).status(status).run();
    insta::with_settings!({
        description => format!("parkplan {}", args.join(" ")),
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, run.stdout);
    });
}

/// Flows across zones with a transport cost, the rule off.
const FLOWS: &str = "problems/small/exchange-across-zones.yaml";
/// Material bought from outside, the rule off.
const PURCHASES: &str = "problems/small/external-purchase.yaml";
/// The one-main-chain rule on: a MILP, shadow prices at the chosen main chains.
const RULE: &str = "problems/small/main-chain-supports.yaml";

#[test]
fn solve_as_a_table() {
    snapshot("solve_table_flows", &["solve", FLOWS], 0);
    snapshot("solve_table_purchases", &["solve", PURCHASES], 0);
    snapshot("solve_table_rule", &["solve", RULE], 0);
}

#[test]
fn solve_in_markdown() {
    snapshot(
        "solve_markdown_flows",
        &["solve", FLOWS, "-f", "markdown"],
        0,
    );
    snapshot(
        "solve_markdown_purchases",
        &["solve", PURCHASES, "-f", "markdown"],
        0,
    );
    snapshot("solve_markdown_rule", &["solve", RULE, "-f", "markdown"], 0);
}

#[test]
fn solve_as_csv() {
    snapshot("solve_csv_flows", &["solve", FLOWS, "-f", "csv"], 0);
    snapshot("solve_csv_purchases", &["solve", PURCHASES, "-f", "csv"], 0);
    snapshot("solve_csv_rule", &["solve", RULE, "-f", "csv"], 0);
}

/// A problem with two scenarios that change a main chain.
const SCENARIOS: &str = "problems/small/park-capacity.yaml";

#[test]
fn sweep_summary_as_a_table_and_as_csv() {
    snapshot("sweep_table", &["sweep", SCENARIOS, "-f", "table"], 0);
    snapshot("sweep_csv", &["sweep", SCENARIOS, "-f", "csv"], 0);
}
