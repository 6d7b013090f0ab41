//! The catalog of bad inputs at the Rust API: each gives a typed error whose message says
//! what is wrong and where, never a panic or a partial result.


use std::sync::Arc;

use crate::common::*;
use trm::puzzle::{arc, maze, sudoku};
use trm::{Batch, Model, Options, PuzzleKind, Recursion, TrmError};

fn sudoku_err(text: &str) -> String {
    sudoku::parse(text).and_then(|g| sudoku::validate(&g).map(|_| g)).unwrap_err().to_string()
}

#[test]
fn sudoku_text() {
    assert!(sudoku_err("").contains("empty"));
    assert!(sudoku_err(&"1".repeat(82)).contains("found 82"));
    assert!(sudoku_err(&"1".repeat(80)).contains("found 80"));
    let e = sudoku_err(&format!("12x{}", ".".repeat(78)));
    assert!(e.contains("'x'") && e.contains("row 1, column 3"), "{e}");
    let e = sudoku_err(&format!("11{}", ".".repeat(79)));
    assert!(e.contains("digit 1 appears twice") && e.contains("row 1, column 1") && e.contains("row 1, column 2"), "{e}");
    // Givens that clash with no rule broken directly but admit no solution.
    let unsolvable = "12345678.........9".to_string() + &".".repeat(63);
    let g = sudoku::parse(&unsolvable).unwrap();
    assert!(sudoku::validate(&g).is_ok());
    assert_eq!(sudoku::solve_unique(&g).unwrap_err(), sudoku::SudokuError::Unsolvable);
    assert_eq!(sudoku::solve_unique(&sudoku::Grid::empty()).unwrap_err(), sudoku::SudokuError::MultipleSolutions);
}

#[test]
fn arc_json() {
    let grid = |rows: &str| format!(r#"{{"train":[{{"input":{rows},"output":[[1]]}}],"test":[{{"input":[[1]]}}]}}"#);
    let e = arc::parse_task("not json").unwrap_err().to_string();
    assert!(e.contains("line 1"), "{e}");
    let e = arc::parse_task(&grid("[]")).unwrap_err().to_string();
    assert!(e.contains("train pair 1, input"), "{e}");
    let row31 = format!("[[{}]]", vec!["0"; 31].join(","));
    let e = arc::parse_task(&grid(&row31)).unwrap_err().to_string();
    assert!(e.contains("31") && e.contains("1..30"), "{e}");
    let tall = format!("[{}]", vec!["[0]"; 31].join(","));
    assert!(arc::parse_task(&grid(&tall)).unwrap_err().to_string().contains("31 rows"));
    let e = arc::parse_task(&grid("[[1,2],[3]]")).unwrap_err().to_string();
    assert!(e.contains("row 2 has 1 cells but row 1 has 2"), "{e}");
    let e = arc::parse_task(&grid("[[1,12]]")).unwrap_err().to_string();
    assert!(e.contains("12") && e.contains("0..9") && e.contains("column 2"), "{e}");
}

#[test]
fn maze_text() {
    let e = maze::parse("#S G").unwrap_err().to_string();
    assert!(e.contains("found 4"), "{e}");
    let two_starts = format!("SS{}G", " ".repeat(897));
    let e = maze::parse(&two_starts).unwrap_err().to_string();
    assert!(e.contains("start") && e.contains("found 2"), "{e}");
}

#[test]
fn model_files() {
    let good = read(&fixtures().join("mlp_t_sudoku.safetensors"));
    for cut in [0, 10, good.len() / 3] {
        assert!(matches!(Model::from_bytes(&good[..cut]), Err(TrmError::ModelFile(m)) if m.contains("truncated")));
    }
    assert!(matches!(Model::from_bytes(b"{}"), Err(TrmError::ModelFile(_))));
    let arc_model = Model::from_bytes(&read(&fixtures().join("att_rope_6x6.safetensors"))).unwrap();
    let e = arc_model.expect_kind(PuzzleKind::Sudoku).unwrap_err().to_string();
    assert!(e.contains("arc model") && e.contains("sudoku model is needed"), "{e}");
    // NaN weights and configs that disagree with tensors: see model_file.rs.
}

#[test]
fn batches_and_options() {
    let model = Arc::new(Model::from_bytes(&read(&fixtures().join("mlp_t_sudoku.safetensors"))).unwrap());
    let cfg = model.config.clone();
    let mut e = trm::cpu::CpuEngine::new(model);
    let bad_token = Batch { tokens: vec![11; 81], puzzle_ids: vec![0] };
    let m = Recursion::new(&mut e, &bad_token, Options::full(&cfg)).err().unwrap().to_string();
    assert!(m.contains("token 11 at puzzle 0, cell 0"), "{m}");
    let bad_id = Batch { tokens: vec![1; 81], puzzle_ids: vec![7] };
    let m = Recursion::new(&mut e, &bad_id, Options::full(&cfg)).err().unwrap().to_string();
    assert!(m.contains("puzzle id 7"), "{m}");
    let m = Recursion::new(&mut e, &Batch { tokens: vec![1; 81], puzzle_ids: vec![0] }, Options { max_steps: 0, ..Options::full(&cfg) })
        .err()
        .unwrap()
        .to_string();
    assert!(m.contains("steps must be in 1..=1024"), "{m}");
}

#[test]
fn a_model_too_large_for_the_device_limits() {
    let Ok(ctx) = trm::block_on(trm::gpu::GpuContext::new()) else {
        panic!("no GPU adapter: install mesa-vulkan-drivers (see gpu.rs)");
    };
    let mut small = ctx;
    small.binding_cap = Some(4096);
    let model = Arc::new(Model::from_bytes(&read(&fixtures().join("mlp_t_sudoku.safetensors"))).unwrap());
    let e = trm::gpu::GpuEngine::with_context(Arc::new(small), model).err().expect("must not fit");
    assert!(matches!(&e, TrmError::Gpu(m) if m.contains("allows 4096")), "{e}");
}
