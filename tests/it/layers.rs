//! The library's layers, checked: each folder of `src/` may use only the folders above it in the
//! flow (util → problem → variant → model → solver → plan → analysis → batch → report → cli,
//! serve), so a newcomer can read the code in that order and nothing below `report` renders text.
//! An upward `crate::` path anywhere in code (not in comments) fails this test, naming the file
//! and line.

use std::path::{Path, PathBuf};

use crate::common::path;

/// The layers in order: a module may use its own layer and those before it.
const LAYERS: [&str; 11] = [
    "util", "problem", "variant", "model", "solver", "plan", "analysis", "batch", "report", "cli",
    // The web app, a front door beside the command line (which lives in the binary, out of its
    // reach): nothing below may use it.
    "serve",
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|&l| l == module)
}

/// The layer a source file belongs to, by its first folder (or file stem) below `src/`.
fn layer_of(rel: &Path) -> Option<usize> {
    let first = rel.components().next()?.as_os_str().to_str()?;
    layer(first.trim_end_matches(".rs"))
}

/// Every upward `crate::module` reference in `text`, a file of layer `own`, as `line: module`.
fn upward(text: &str, own: usize) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if let Some(l) = layer(&name)
                && l > own
            {
                out.push((i + 1, name));
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_module_uses_a_layer_above_its_own() {
    let src = path("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut found = Vec::new();
    let mut checked = 0;
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap();
        let Some(own) = layer_of(rel) else { continue };
        checked += 1;
        for (line, name) in upward(&std::fs::read_to_string(f).unwrap(), own) {
            found.push(format!(
                "src/{}:{line}: layer `{}` uses `crate::{name}`, a layer above it",
                rel.display(),
                LAYERS[own]
            ));
        }
    }
    assert!(checked > 30, "only {checked} files checked");
    assert!(found.is_empty(), "upward imports:\n{}", found.join("\n"));
}

#[test]
fn the_check_catches_a_deliberate_upward_import() {
    let model = layer("model").unwrap();
    let text = "//! uses crate::report in a comment only\nuse crate::report::Format;\nuse crate::problem::Problem;\n";
    assert_eq!(upward(text, model), vec![(2, "report".to_string())]);
    let cli = layer("cli").unwrap();
    assert!(upward(text, cli).is_empty());
    assert_eq!(layer_of(Path::new("plan/verify/mod.rs")), layer("plan"));
}
