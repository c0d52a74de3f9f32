//! Bytes → a problem file parsed and validated with every scenario and sweep point, as
//! `parkplan validate` does. Any input may be refused, with diagnostics; none may panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use parkplan::problem::SourceFile;

/// The most sweep points an input may have.
const MAX_POINTS: usize = 10_000;

fuzz_target!(|data: &[u8]| {
    // `SourceFile::read` refuses text that is not UTF-8 before parsing.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A sweep of ten million points is valid, and validating it takes minutes: libFuzzer's
    // timeout would stop at it (a golden case's million points did, among the seeds). Past 10,000
    // points the sweep is refused, which is the same road `--max-points` takes.
    let result = SourceFile::parse(Path::new("fuzz.yaml"), text.to_string())
        .and_then(|src| src.validate_all_with(MAX_POINTS));
    if let Err(diagnostics) = result {
        assert!(!diagnostics.items.is_empty(), "an error without a diagnostic");
        // Rendering quotes the source line and puts a caret under the column: it must cope with
        // any location a diagnostic carries.
        let rendered = diagnostics.to_string();
        assert!(rendered.starts_with("error: "), "{rendered}");
    }
});
