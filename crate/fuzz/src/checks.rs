//! What each fuzz target checks, kept apart from libFuzzer so that `crate/tests/it/fuzz_corpus.rs`
//! replays the committed corpus and crash regressions through the same code in plain
//! `cargo test` (stable Rust, no sanitizer). Beyond "no panic", each check asserts the
//! round-trip properties a parser that accepted the input must keep.

use std::sync::Arc;

use trm::cpu::CpuEngine;
use trm::puzzle::{arc, maze, sudoku};
use trm::{block_on, Batch, Config, Model, Options, PuzzleKind, Recursion};

/// Fuzz inputs are bytes; every parser here takes text, as users paste it. Invalid UTF-8 is
/// replaced rather than skipped so the fuzzer still reaches the parsers with those inputs.
fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

fn assert_message(e: &dyn std::fmt::Display) {
    assert!(!e.to_string().trim().is_empty(), "an error without a message");
}

pub fn sudoku_parse(data: &[u8]) {
    let s = text(data);
    match sudoku::parse(&s) {
        Ok(g) => {
            assert_eq!(sudoku::parse(&g.to_line()).ok(), Some(g), "to_line does not parse back");
            assert_eq!(sudoku::parse(&g.to_pretty()).ok(), Some(g), "to_pretty does not parse back");
            assert_eq!(sudoku::from_tokens(&sudoku::to_tokens(&g)).ok(), Some(g));
            let clashes = sudoku::clashes(&g);
            match sudoku::validate(&g) {
                Ok(()) => {
                    assert!(clashes.is_empty());
                    // The page runs these on whatever the visitor typed.
                    let n = sudoku::count_solutions(&g, 2);
                    if let Some(sol) = sudoku::solve(&g) {
                        assert!(n >= 1);
                        assert!(sol.is_full() && sudoku::is_solution_of(&g, &sol), "solver answer is wrong");
                    } else {
                        assert_eq!(n, 0);
                    }
                    match sudoku::solve_unique(&g) {
                        Ok(sol) => assert!(n == 1 && sudoku::is_solution_of(&g, &sol)),
                        Err(e) => {
                            assert!(n != 1);
                            assert_message(&e);
                        }
                    }
                }
                Err(e) => {
                    assert!(!clashes.is_empty(), "validate failed without a clash: {e}");
                    assert_message(&e);
                }
            }
        }
        Err(e) => assert_message(&e),
    }
    // Two-file and CSV readers see the same kind of text.
    let mut mid = s.len() / 2;
    while !s.is_char_boundary(mid) {
        mid -= 1;
    }
    let (a, b) = s.split_at(mid);
    if let Err(e) = sudoku::read_pairs(a, b) {
        assert_message(&e);
    }
    if let Err(e) = sudoku::read_csv_pairs(&s) {
        assert_message(&e);
    }
    let tokens: Vec<u32> = data.iter().map(|&b| b as u32).collect();
    match sudoku::from_tokens(&tokens) {
        Ok(g) => assert!(tokens.len() == 81 && g.cells.iter().all(|&c| c <= 9)),
        Err(e) => assert_message(&e),
    }
}

pub fn arc_parse(data: &[u8]) {
    let s = text(data);
    match arc::parse_task(&s) {
        Ok(task) => {
            let again = serde_json::to_string(&task).expect("a parsed task serialises");
            assert_eq!(arc::parse_task(&again).ok().as_ref(), Some(&task), "task does not parse back");
            for pair in task.train.iter().chain(&task.test) {
                for g in std::iter::once(&pair.input).chain(&pair.output) {
                    assert!(g.is_valid());
                    check_arc_grid(g, data);
                }
            }
        }
        Err(e) => assert_message(&e),
    }
    match arc::parse_grid(&s) {
        Ok(g) => check_arc_grid(&g, data),
        Err(e) => assert_message(&e),
    }
    // A model's raw answer can hold any token: decode must tolerate it.
    let tokens: Vec<u32> = data.iter().map(|&b| (b % 16) as u32).collect();
    if let Some(g) = arc::decode(&tokens) {
        assert!(g.is_valid(), "decode gave an invalid grid");
    }
}

fn check_arc_grid(g: &arc::Grid, data: &[u8]) {
    assert_eq!(arc::decode(&arc::encode(g, arc::SIDE)).as_ref(), Some(g), "encode/decode round trip");
    let seed = data.iter().fold(0u64, |h, &b| h.wrapping_mul(31).wrapping_add(b as u64));
    let mut rng = trm::rng::Rng::new(seed);
    for aug in arc::Augmentation::all_dihedral() {
        let t = aug.apply(g);
        assert_eq!(&aug.inverse().apply(&t), g, "dihedral {} has no inverse", aug.puzzle_name("t"));
    }
    let aug = arc::Augmentation::random(&mut rng);
    assert_eq!(&aug.inverse().apply(&aug.apply(g)), g);
    let (r0, c0) = arc::random_offset(&mut rng, &[g]);
    let placed = arc::encode_at(g, r0, c0).expect("random_offset gives a fitting offset");
    assert_eq!(placed.len(), arc::SEQ_LEN);
}

pub fn maze_parse(data: &[u8]) {
    let s = text(data);
    match maze::parse(&s) {
        Ok(m) => {
            assert_eq!(maze::parse(&m.to_text()).ok(), Some(m.clone()), "to_text does not parse back");
            assert_eq!(maze::parse(&m.to_line()).ok(), Some(m.clone()), "to_line does not parse back");
            assert_eq!(maze::decode(&maze::encode(&m)).ok(), Some(m.clone()));
            let q = m.question();
            let verdict = maze::check_path(&q, &m);
            assert_eq!(verdict.reason.is_none(), verdict.valid && verdict.shortest);
            match maze::solve(&q) {
                Some(sol) => {
                    let v = maze::check_path(&q, &sol);
                    assert!(v.valid && v.shortest, "the solver's own path fails the checker: {:?}", v.reason);
                    assert_eq!(Some(v.length), maze::shortest_len(&q));
                }
                None => assert!(!verdict.valid, "a valid path in a maze the solver calls unsolvable"),
            }
            let tokens: Vec<u32> = data.iter().cycle().take(maze::CELLS).map(|&b| (b % 8) as u32).collect();
            let v = maze::check_tokens(&q, &tokens);
            assert_eq!(v.reason.is_none(), v.valid && v.shortest);
        }
        Err(e) => assert_message(&e),
    }
    if let Err(e) = maze::read_csv(&s) {
        assert_message(&e);
    }
}

/// The CPU engine on a model that loaded: one supervision step must run or fail with a typed
/// error, through both product paths (matrixmultiply natively, the packed kernel wasm uses),
/// which must give the same answer. Bounded so one input cannot take seconds (the file
/// bounds the sizes anyway).
fn run_one_step(model: Model) {
    let cfg = model.config.clone();
    let work = cfg.full_seq_len() * cfg.hidden_size * cfg.l_layers * cfg.h_cycles * (cfg.l_cycles + 1);
    if work > 1 << 22 || cfg.vocab_size > 4096 {
        return;
    }
    let model = Arc::new(model);
    let batch = Batch { tokens: (0..cfg.seq_len as u32).map(|i| i % cfg.vocab_size as u32).collect(), puzzle_ids: vec![0] };
    let opts = Options { max_steps: 1, ..Options::full(&cfg) };
    let mut logits = Vec::new();
    for packed in [false, true] {
        let mut engine = CpuEngine::with_packed_weights(model.clone(), packed);
        match Recursion::new(&mut engine, &batch, opts.clone()) {
            Ok(r) => {
                let steps = block_on(r.run()).expect("a loaded model runs a step");
                assert_eq!(steps.len(), 1);
                assert_eq!(steps[0].tokens.len(), cfg.seq_len);
            }
            Err(e) => {
                assert_message(&e);
                return;
            }
        }
        logits.push(engine.logits().to_vec());
    }
    // The two paths sum in different orders, and random weights amplify that rounding
    // through every block (post-norm recursion is chaotic: 126 blocks of a fuzzed config
    // part by 1%), so agreement is asked of shallow networks only, where a wrong product
    // would still show and rounding cannot grow. Relative to the largest logit, as fuzzed
    // weights can be huge; NaN must come out of both paths alike.
    if cfg.l_layers * cfg.net_calls_per_step() > 12 {
        return;
    }
    let scale = logits[0].iter().filter(|v| v.is_finite()).fold(1.0f32, |a, v| a.max(v.abs()));
    for (a, b) in logits[0].iter().zip(&logits[1]) {
        let same = (a.is_nan() && b.is_nan()) || a == b || (a - b).abs() <= 1e-3 * scale;
        assert!(same, "the two product paths disagree: {a} vs {b} (scale {scale}) on {}", cfg.to_json());
    }
}

pub fn model_file(data: &[u8]) {
    match Model::from_bytes(data) {
        Ok(m) => {
            let bytes = m.to_bytes().expect("a loaded model writes back");
            let again = Model::from_bytes(&bytes).expect("a written model loads");
            assert_eq!(again.config, m.config);
            assert_eq!(again.parameter_count(), m.parameter_count());
            run_one_step(m);
        }
        Err(e) => assert_message(&e),
    }
}

/// The config JSON of a model file's metadata, on its own: configs that validate must describe a
/// model that can be built, written, loaded and run.
pub fn model_config(data: &[u8]) {
    match Config::from_json(&text(data)) {
        Ok(cfg) => {
            let params: usize = trm::weights::expected_tensors(&cfg).iter().map(|(_, s)| s.iter().product::<usize>()).sum();
            if params > 1 << 18 {
                return;
            }
            // The engines must run any valid config; a file of it loads only when some puzzle
            // kind reads its vocabulary and grid, and is refused with a message otherwise.
            let kind = [PuzzleKind::Sudoku, PuzzleKind::Maze, PuzzleKind::Arc].into_iter().find(|k| k.check_config(&cfg).is_ok());
            let m = Model::random(cfg, kind.unwrap_or(PuzzleKind::Sudoku), 1).expect("a valid config builds");
            let bytes = m.to_bytes().expect("writes");
            match (kind, Model::from_bytes(&bytes)) {
                (Some(_), Ok(again)) => run_one_step(again),
                (None, Err(e)) => {
                    assert_message(&e);
                    run_one_step(m);
                }
                (Some(k), Err(e)) => panic!("a {} model that fits its kind does not load: {e}", k.as_str()),
                (None, Ok(_)) => panic!("a model that fits no puzzle kind loaded"),
            }
        }
        Err(e) => assert_message(&e),
    }
}
