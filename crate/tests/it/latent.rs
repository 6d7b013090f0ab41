//! The latent view's read-out (crate::latent): the basis in the model file, the CPU engine's
//! projections of y and z, the solve's colours, and `trm latent-basis`. The GPU engine's
//! read-out is checked against the CPU's in gpu.rs.


use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

use crate::common::*;
use safetensors::SafeTensors;
use trm::cpu::CpuEngine;
use trm::puzzle::Puzzle;
use trm::solve::{Solve, SolveOptions};
use trm::{block_on, Model, Options, PuzzleKind, Recursion, TrmError};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn shipped(kind: &str) -> Model {
    Model::from_bytes(&read(&root().join(format!("models/{kind}.safetensors")))).unwrap()
}

/// A model file's tensors re-serialised with `edit` applied to the name -> (shape, f32 data) map.
fn rewrite(bytes: &[u8], edit: impl FnOnce(&mut HashMap<String, (Vec<usize>, Vec<u8>)>)) -> Vec<u8> {
    let st = SafeTensors::deserialize(bytes).unwrap();
    let (_, header) = SafeTensors::read_metadata(bytes).unwrap();
    let mut map: HashMap<String, (Vec<usize>, Vec<u8>)> =
        st.tensors().into_iter().map(|(n, v)| (n, (v.shape().to_vec(), v.data().to_vec()))).collect();
    edit(&mut map);
    let views: Vec<(String, safetensors::tensor::TensorView)> = map
        .iter()
        .map(|(n, (s, d))| (n.clone(), safetensors::tensor::TensorView::new(safetensors::Dtype::F32, s.clone(), d).unwrap()))
        .collect();
    safetensors::serialize(views, header.metadata().clone()).unwrap()
}

#[test]
fn a_basis_survives_the_model_file_and_a_partial_or_bad_one_is_refused() {
    let model = with_random_basis(shipped("sudoku"), 1);
    let bytes = model.to_bytes().unwrap();
    let back = Model::from_bytes(&bytes).unwrap();
    assert_eq!(back.latent, model.latent);

    let partial = rewrite(&bytes, |m| {
        m.remove("latent_basis.z.scale");
    });
    match Model::from_bytes(&partial).unwrap_err() {
        TrmError::MissingTensor(n) => assert!(n.starts_with("latent_basis.z.scale"), "{n}"),
        e => panic!("{e}"),
    }
    let misshapen = rewrite(&bytes, |m| {
        m.insert("latent_basis.y.scale".into(), (vec![4], vec![0; 16]));
    });
    assert!(matches!(Model::from_bytes(&misshapen).unwrap_err(), TrmError::WrongShape { .. }));
    let mut flat = model.clone();
    flat.latent.as_mut().unwrap().y.scale[1] = 0.0;
    let e = Model::from_bytes(&flat.to_bytes().unwrap()).unwrap_err();
    assert_eq!(e.kind(), "ModelError");
    assert!(e.to_string().contains("scale"), "{e}");
}

#[test]
fn the_cpu_engine_reads_y_and_z_projected_after_the_step_or_after_every_cycle() {
    let model = Arc::new(with_random_basis(shipped("sudoku"), 2));
    let (cfg, basis) = (model.config.clone(), model.latent.clone().unwrap());
    let puzzles: Vec<Puzzle> = std::fs::read_to_string(root().join("data/sudoku/tdoku_unbiased_first1000.txt"))
        .unwrap()
        .lines()
        .take(3)
        .map(|l| Puzzle::parse(PuzzleKind::Sudoku, l).unwrap())
        .collect();
    let copies: Vec<_> = puzzles.iter().map(|p| p.plan(None, 1, 0).remove(0)).collect();
    let batch = trm::puzzle::batch(&copies);
    let (s, d, k, l) = (cfg.full_seq_len(), cfg.hidden_size, cfg.prefix_len(), cfg.seq_len);

    let run = |latent: bool, cycles: bool, steps: usize| {
        let mut e = CpuEngine::new(model.clone());
        let opts = Options { max_steps: steps, latent, cycle_answers: cycles, ..Options::full(&cfg) };
        let mut r = Recursion::new(&mut e, &batch, opts).unwrap();
        let mut reports = Vec::new();
        while let Some(rep) = block_on(r.step()).unwrap() {
            // The step's read-out is y and z as they stand after it.
            let (y, z) = (r.engine().y().to_vec(), r.engine().z().to_vec());
            reports.push((rep, y, z));
        }
        reports
    };
    let plain = run(false, false, 2);
    assert!(plain.iter().all(|(r, ..)| r.puzzles.iter().all(|p| p.latent.is_empty())), "off: nothing read");
    let stepwise = run(true, false, 2);
    let cyclewise = run(true, true, 2);
    for ((a, y, z), (b, ..)) in stepwise.iter().zip(&cyclewise) {
        for (i, (pa, pb)) in a.puzzles.iter().zip(&b.puzzles).enumerate() {
            assert_eq!(pa.latent.len(), 1);
            assert_eq!(pb.latent.len(), cfg.h_cycles);
            assert_eq!(pb.latent.last(), pa.latent.last(), "the last cycle's read-out is the step's");
            assert_ne!(pb.latent[0], pb.latent[1], "cycles differ");
            let read = &pa.latent[0];
            assert_eq!((read.y.len(), read.z.len()), (l * 3, l * 3));
            for cell in [0, 40, 80] {
                let at = (i * s + k + cell) * d;
                let (ey, ez) = (basis.y.dots(&y[at..at + d]), basis.z.dots(&z[at..at + d]));
                assert!(rel_err(&read.y[cell * 3..cell * 3 + 3], &ey) < 1e-5, "puzzle {i} cell {cell}: y");
                assert!(rel_err(&read.z[cell * 3..cell * 3 + 3], &ez) < 1e-5, "puzzle {i} cell {cell}: z");
            }
        }
        assert_eq!(a.puzzles.iter().map(|p| &p.tokens).collect::<Vec<_>>(), plain[a.step - 1].0.puzzles.iter().map(|p| &p.tokens).collect::<Vec<_>>(), "reading changes nothing");
    }

    let mut bare = shipped("sudoku");
    bare.latent = None;
    let mut e = CpuEngine::new(Arc::new(bare));
    let opts = Options { latent: true, ..Options::full(&cfg) };
    let err = Recursion::new(&mut e, &batch, opts).err().expect("no basis, no latent read-out");
    assert_eq!(err.kind(), "InputError");
    assert!(err.to_string().contains("trm latent-basis"), "{err}");
}

#[test]
fn a_solve_colours_each_cell_of_the_shown_answer_from_its_own_token() {
    let model = Arc::new(with_random_basis(shipped("sudoku"), 3));
    let basis = model.latent.clone().unwrap();
    let text = std::fs::read_to_string(root().join("data/sudoku/tdoku_unbiased_first1000.txt")).unwrap();
    let puzzle = Puzzle::parse(PuzzleKind::Sudoku, text.lines().next().unwrap()).unwrap();
    let run = Options { max_steps: 3, latent: true, cycle_answers: true, ..Options::full(&model.config) };
    let mut engine = CpuEngine::new(model.clone());
    let opts = SolveOptions { run: run.clone(), copies: 1, seed: 0, first_copy: 0, stop_when_verified: false, restart_after: 0 };
    let mut solve = Solve::start(&mut engine, &model, puzzle.clone(), opts).unwrap();
    // The same recursion on the identity copy, for its raw read-outs.
    let mut raw_engine = CpuEngine::new(model.clone());
    let mut raw = Recursion::new(&mut raw_engine, &trm::puzzle::batch(&puzzle.plan(None, 1, 0)), run).unwrap();
    let (oy, oz) = (basis.y.offsets(), basis.z.offsets());
    // A verified copy keeps the step that passed, so from then on the solve shows that step's
    // read-out while the raw recursion goes on.
    let mut shown = None;
    while let Some(step) = block_on(solve.step(&mut engine)).unwrap() {
        let r = block_on(raw.step()).unwrap().unwrap();
        let verified_at = step.copies[0].verified_at;
        if verified_at.is_none_or(|at| at == step.step) {
            shown = r.puzzles[0].latent.last().cloned();
        }
        let read = shown.as_ref().unwrap();
        let colours = step.latent.as_ref().expect("an answer, so colours");
        assert_eq!((colours.y.len(), colours.z.len()), (81 * 3, 81 * 3));
        assert_eq!(step.cycle_latent.len(), model.config.h_cycles);
        assert_eq!(step.cycle_latent.last(), Some(colours));
        for cell in 0..81 {
            assert_eq!(colours.y[cell * 3..cell * 3 + 3], basis.y.colour(&read.y[cell * 3..cell * 3 + 3], &oy), "cell {cell}");
            assert_eq!(colours.z[cell * 3..cell * 3 + 3], basis.z.colour(&read.z[cell * 3..cell * 3 + 3], &oz), "cell {cell}");
        }
        // Colours vary over the grid: the projection is not degenerate.
        assert!(colours.y.chunks(3).any(|c| c != &colours.y[..3]));
    }
    // With copies, every copy carries its own colours (a worker pool merging shares shows the
    // chosen copy's), and the step's are the chosen copy's.
    let opts = SolveOptions {
        run: Options { max_steps: 2, latent: true, ..Options::full(&model.config) },
        copies: 3,
        seed: 4,
        first_copy: 0,
        stop_when_verified: false,
        restart_after: 0,
    };
    let mut solve = Solve::start(&mut engine, &model, puzzle, opts).unwrap();
    while let Some(step) = block_on(solve.step(&mut engine)).unwrap() {
        assert!(step.copies.iter().all(|c| c.latent.as_ref().is_some_and(|l| l.y.len() == 81 * 3)));
        assert_eq!(step.latent, step.copies[step.chosen].latent);
        assert!(step.cycle_latent.is_empty(), "no per-cycle colours without hCycles");
    }
}

/// `trm latent-basis` on the shipped Sudoku model: the model's own tensors come back byte for
/// byte with a basis added, the same run gives the same basis, and its directions are unit
/// vectors with positive spread, largest first.
#[test]
fn latent_basis_adds_a_deterministic_basis_and_keeps_the_model() {
    let dir = std::env::temp_dir().join(format!("trm-latent-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let run = |out: &str, examples: &str| {
        Command::new(env!("CARGO_BIN_EXE_trm"))
            .args(["latent-basis", "--model", "models/sudoku.safetensors", "--examples", examples, "--steps", "4", "--out"])
            .arg(dir.join(out))
            .current_dir(root())
            .output()
            .unwrap()
    };
    for out in ["a.safetensors", "b.safetensors"] {
        let o = run(out, "www/examples/sudoku.json");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(String::from_utf8_lossy(&o.stdout).contains("12 examples x 4 steps"));
    }
    let (a, b) = (read(&dir.join("a.safetensors")), read(&dir.join("b.safetensors")));
    // (Not byte for byte: safetensors writes its metadata map in hash order.)
    let (ma, mb) = (Model::from_bytes(&a).unwrap(), Model::from_bytes(&b).unwrap());
    assert!(ma.latent.is_some() && ma.latent == mb.latent, "the same basis from the same runs");
    let original = read(&root().join("models/sudoku.safetensors"));
    let (sa, so) = (SafeTensors::deserialize(&a).unwrap(), SafeTensors::deserialize(&original).unwrap());
    for (name, view) in so.tensors() {
        if !name.starts_with("latent_basis.") {
            assert_eq!(sa.tensor(&name).unwrap().data(), view.data(), "{name}");
        }
    }
    let basis = Model::from_bytes(&a).unwrap().latent.expect("a basis");
    let d = basis.y.mean.len();
    for p in [&basis.y, &basis.z] {
        for row in p.components.chunks_exact(d) {
            let norm: f32 = row.iter().map(|x| x * x).sum::<f32>().sqrt();
            assert!((norm - 1.0).abs() < 1e-4, "{norm}");
        }
        assert!(p.scale.windows(2).all(|w| w[0] >= w[1] && w[1] > 0.0), "{:?}", p.scale);
    }
    // Examples of another kind are refused with the example named.
    let o = run("c.safetensors", "www/examples/maze.json");
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("example 0"), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::remove_dir_all(&dir).ok();
}
