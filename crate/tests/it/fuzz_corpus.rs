//! Replays every committed fuzz input (crate/fuzz/corpus: what libFuzzer kept for coverage;
//! crate/fuzz/regressions: inputs that once failed) through the fuzz targets' checks, so the
//! properties they assert hold in every ordinary test run.

#[path = "../../fuzz/src/checks.rs"]
mod checks;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut n = 0;
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else { continue };
        for e in entries {
            let path = e.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            if std::panic::catch_unwind(|| check(&data)).is_err() {
                panic!("fuzz input {} fails its check", path.display());
            }
            n += 1;
        }
    }
    // An empty or missing corpus would make this test pass without checking anything.
    assert!(n >= 10, "only {n} committed inputs for {target}");
}

#[test]
fn sudoku_parse_corpus() {
    replay("sudoku_parse", checks::sudoku_parse);
}

#[test]
fn arc_parse_corpus() {
    replay("arc_parse", checks::arc_parse);
}

#[test]
fn maze_parse_corpus() {
    replay("maze_parse", checks::maze_parse);
}

#[test]
fn model_file_corpus() {
    replay("model_file", checks::model_file);
}

#[test]
fn model_config_corpus() {
    replay("model_config", checks::model_config);
}
