//! Loading bad model files gives a typed error that names the problem.


use std::collections::HashMap;

use crate::common::*;
use safetensors::tensor::TensorView;
use safetensors::{Dtype, SafeTensors};
use trm::weights::expected_tensors;
use trm::{Model, TrmError};

fn fixture_bytes() -> Vec<u8> {
    read(&fixtures().join("att_rope_6x6.safetensors"))
}

/// Rebuild a model file from (name, dtype, shape, bytes) after `edit` changes the list.
fn rewrite(bytes: &[u8], edit: impl FnOnce(&mut Vec<(String, Dtype, Vec<usize>, Vec<u8>)>, &mut HashMap<String, String>)) -> Vec<u8> {
    let st = SafeTensors::deserialize(bytes).unwrap();
    let (_, header) = SafeTensors::read_metadata(bytes).unwrap();
    let mut meta = header.metadata().clone().unwrap();
    let mut tensors: Vec<(String, Dtype, Vec<usize>, Vec<u8>)> = st
        .tensors()
        .into_iter()
        .map(|(n, v)| (n, v.dtype(), v.shape().to_vec(), v.data().to_vec()))
        .collect();
    edit(&mut tensors, &mut meta);
    let views: Vec<(String, TensorView)> =
        tensors.iter().map(|(n, d, s, b)| (n.clone(), TensorView::new(*d, s.clone(), b).unwrap())).collect();
    safetensors::serialize(views, Some(meta)).unwrap()
}

#[test]
fn fixture_loads() {
    let m = Model::from_bytes(&fixture_bytes()).unwrap();
    assert_eq!(m.config.seq_len, 36);
    assert_eq!(m.kind, trm::PuzzleKind::Arc);
}

#[test]
fn truncated_file_is_a_clear_error() {
    let b = fixture_bytes();
    for cut in [0, 7, 100, b.len() / 2, b.len() - 1] {
        let e = Model::from_bytes(&b[..cut]).unwrap_err();
        assert!(matches!(e, TrmError::ModelFile(ref m) if m.contains("truncated")), "cut {cut}: {e}");
    }
}

#[test]
fn missing_tensor_is_named() {
    let b = rewrite(&fixture_bytes(), |t, _| t.retain(|(n, ..)| n != "lm_head.weight"));
    assert_eq!(Model::from_bytes(&b).unwrap_err(), TrmError::MissingTensor("lm_head.weight".into()));
}

#[test]
fn wrong_shape_names_tensor_and_both_shapes() {
    let b = rewrite(&fixture_bytes(), |t, _| {
        let e = t.iter_mut().find(|(n, ..)| n == "L_level.layers.1.self_attn.o_proj.weight").unwrap();
        e.2 = vec![32, 128];
    });
    let e = Model::from_bytes(&b).unwrap_err();
    assert_eq!(
        e,
        TrmError::WrongShape {
            name: "L_level.layers.1.self_attn.o_proj.weight".into(),
            expected: vec![64, 64],
            found: vec![32, 128]
        }
    );
    assert!(e.to_string().contains("[32, 128]") && e.to_string().contains("[64, 64]"));
}

#[test]
fn config_that_disagrees_with_tensors_is_caught() {
    let b = rewrite(&fixture_bytes(), |_, meta| {
        let mut c: serde_json::Value = serde_json::from_str(&meta["config"]).unwrap();
        c["hidden_size"] = 128.into();
        meta.insert("config".into(), c.to_string());
    });
    assert!(matches!(Model::from_bytes(&b).unwrap_err(), TrmError::WrongShape { .. }));
}

#[test]
fn unexpected_tensor_and_wrong_dtype_and_nan() {
    let b = rewrite(&fixture_bytes(), |t, _| t.push(("extra".into(), Dtype::F32, vec![1], vec![0; 4])));
    assert_eq!(Model::from_bytes(&b).unwrap_err(), TrmError::UnexpectedTensor("extra".into()));

    let b = rewrite(&fixture_bytes(), |t, _| {
        let e = t.iter_mut().find(|(n, ..)| n == "H_init").unwrap();
        e.1 = Dtype::I32;
    });
    assert!(matches!(Model::from_bytes(&b).unwrap_err(), TrmError::WrongDtype { name, .. } if name == "H_init"));

    let b = rewrite(&fixture_bytes(), |t, _| {
        let e = t.iter_mut().find(|(n, ..)| n == "q_head.bias").unwrap();
        e.3[4..8].copy_from_slice(&f32::NAN.to_le_bytes());
    });
    assert_eq!(Model::from_bytes(&b).unwrap_err(), TrmError::NonFinite { name: "q_head.bias".into(), index: 1 });
}

#[test]
fn metadata_problems() {
    let b = rewrite(&fixture_bytes(), |_, meta| {
        meta.remove("config");
    });
    assert!(matches!(Model::from_bytes(&b).unwrap_err(), TrmError::ModelFile(m) if m.contains("config")));
    let b = rewrite(&fixture_bytes(), |_, meta| {
        meta.insert("puzzle_kind".into(), "chess".into());
    });
    assert!(matches!(Model::from_bytes(&b).unwrap_err(), TrmError::ModelFile(m) if m.contains("chess")));
    let b = rewrite(&fixture_bytes(), |_, meta| {
        meta.insert("puzzle_rows".into(), "[\"a\"]".into());
    });
    assert!(matches!(Model::from_bytes(&b).unwrap_err(), TrmError::ModelFile(m) if m.contains("row names")));
    assert!(matches!(Model::from_bytes(b"not a model").unwrap_err(), TrmError::ModelFile(_)));
}

/// The fixture is an ARC model on a 6x6 canvas (vocabulary 12, 36 cells): the same file
/// labelled as another kind, or with a canvas no ARC grid has, is refused at load with both
/// numbers in the message; a Sudoku model must read 81 cells.
#[test]
fn puzzle_kind_must_fit_vocabulary_and_grid() {
    for (kind, needle) in [("maze", "vocab_size 6"), ("sudoku", "vocab_size 11")] {
        let b = rewrite(&fixture_bytes(), |_, meta| {
            meta.insert("puzzle_kind".into(), kind.into());
        });
        let e = Model::from_bytes(&b).unwrap_err();
        assert!(matches!(&e, TrmError::ModelFile(m) if m.contains(needle) && m.contains("has 12")), "{e}");
    }
    use trm::PuzzleKind;
    let file = |kind: PuzzleKind, seq_len: usize| {
        let mut cfg = kind.paper_config();
        (cfg.hidden_size, cfg.puzzle_emb_ndim, cfg.num_heads, cfg.l_layers) = (16, 16, 2, 1);
        cfg.seq_len = seq_len;
        Model::random(cfg, kind, 0).unwrap().to_bytes().unwrap()
    };
    let e = Model::from_bytes(&file(PuzzleKind::Arc, 30 * 31)).unwrap_err();
    assert!(e.to_string().contains("square grid"), "{e}");
    let e = Model::from_bytes(&file(PuzzleKind::Sudoku, 100)).unwrap_err();
    assert!(e.to_string().contains("seq_len 81"), "{e}");
    Model::from_bytes(&file(PuzzleKind::Maze, 15 * 15)).expect("a maze model for 15x15 mazes loads");
}

#[test]
fn bf16_and_f16_files_load_as_their_rounded_values() {
    let f32_model = Model::from_bytes(&fixture_bytes()).unwrap();
    for dt in [Dtype::BF16, Dtype::F16] {
        let b = rewrite(&fixture_bytes(), |t, _| {
            for e in t.iter_mut() {
                let vals: Vec<f32> = e.3.chunks_exact(4).map(|c| f32::from_le_bytes(c.try_into().unwrap())).collect();
                e.1 = dt;
                e.3 = vals
                    .iter()
                    .flat_map(|v| match dt {
                        Dtype::BF16 => half::bf16::from_f32(*v).to_le_bytes(),
                        _ => half::f16::from_f32(*v).to_le_bytes(),
                    })
                    .collect();
            }
        });
        let m = Model::from_bytes(&b).unwrap();
        let (a, w) = (&m.weights.lm_head.data, &f32_model.weights.lm_head.data);
        let tol = if dt == Dtype::BF16 { 1.0 / 128.0 } else { 1.0 / 1024.0 };
        for (x, y) in a.iter().zip(w) {
            assert!((x - y).abs() <= tol * y.abs() + 1e-7, "{dt:?}: {x} vs {y}");
        }
    }
}

#[test]
fn round_trip_through_to_bytes() {
    let m = Model::from_bytes(&fixture_bytes()).unwrap();
    let again = Model::from_bytes(&m.to_bytes().unwrap()).unwrap();
    assert_eq!(again.config, m.config);
    assert_eq!(again.weights.layers[1].mlp_down.data, m.weights.layers[1].mlp_down.data);
    let n: usize = expected_tensors(&m.config).iter().map(|(_, s)| s.iter().product::<usize>()).sum();
    assert!(n > m.parameter_count());
}
