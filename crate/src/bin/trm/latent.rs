use std::path::PathBuf;
use std::sync::Arc;

use trm::cpu::CpuEngine;
use trm::puzzle::{self, Puzzle};
use trm::{block_on, Model, Options, PuzzleKind, Recursion};

use crate::args::read_text;

pub(crate) fn latent_basis(path: &PathBuf, examples: &PathBuf, steps: Option<usize>, out: &PathBuf) -> Result<(), String> {
    use trm::latent::{principal_projection, LatentBasis, Moments};
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let model = Arc::new(Model::from_bytes(&bytes).map_err(|e| format!("{}: {e}", path.display()))?);
    let list: Vec<serde_json::Value> =
        serde_json::from_str(&read_text(examples)?).map_err(|e| format!("{}: not a JSON list ({e})", examples.display()))?;
    let field = match model.kind {
        PuzzleKind::Sudoku => "puzzle",
        PuzzleKind::Maze => "question",
        PuzzleKind::Arc => "task",
    };
    let mut copies = Vec::new();
    for (i, e) in list.iter().enumerate() {
        let text = match e.get(field) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(v @ serde_json::Value::Object(_)) => v.to_string(),
            _ => return Err(format!("{}: example {i} has no `{field}`", examples.display())),
        };
        let name = e.get("name").and_then(|n| n.as_str()).unwrap_or("example").to_string();
        let p = Puzzle::read(model.kind, model.config.seq_len, &text, &name, 0).map_err(|e| format!("example {i} ({name}): {e}"))?;
        copies.extend(p.plan(model.puzzle_rows.as_deref(), 1, 0).into_iter().take(1));
    }
    if copies.is_empty() {
        return Err(format!("{}: no examples", examples.display()));
    }
    let cfg = model.config.clone();
    let (s, d, k) = (cfg.full_seq_len(), cfg.hidden_size, cfg.prefix_len());
    let mut engine = CpuEngine::new(model.clone());
    let max_steps = steps.unwrap_or(cfg.halt_max_steps);
    let opts = Options { max_steps, ..Options::full(&cfg) };
    let mut run = Recursion::new(&mut engine, &puzzle::batch(&copies), opts).map_err(|e| e.to_string())?;
    let (mut my, mut mz) = (Moments::new(d), Moments::new(d));
    while block_on(run.step()).map_err(|e| e.to_string())?.is_some() {
        let e = run.engine();
        for b in 0..copies.len() {
            my.add(&e.y()[(b * s + k) * d..(b + 1) * s * d]);
            mz.add(&e.z()[(b * s + k) * d..(b + 1) * s * d]);
        }
    }
    let basis = LatentBasis {
        y: principal_projection(&my).map_err(|e| e.to_string())?,
        z: principal_projection(&mz).map_err(|e| e.to_string())?,
    };
    // The model's own tensors go back byte for byte (an f16 file stays f16); any old basis is
    // replaced.
    let st = safetensors::SafeTensors::deserialize(&bytes).map_err(|e| e.to_string())?;
    let (_, header) = safetensors::SafeTensors::read_metadata(&bytes).map_err(|e| e.to_string())?;
    let latent = basis.tensors();
    let latent_bytes: Vec<(String, Vec<u8>, Vec<usize>)> = latent
        .iter()
        .map(|(n, t)| (n.clone(), t.data.iter().flat_map(|x| x.to_le_bytes()).collect(), t.shape.clone()))
        .collect();
    let mut views: Vec<(String, safetensors::tensor::TensorView)> =
        st.tensors().into_iter().filter(|(n, _)| !n.starts_with("latent_basis.")).collect();
    for (n, b, shape) in &latent_bytes {
        views.push((n.clone(), safetensors::tensor::TensorView::new(safetensors::Dtype::F32, shape.clone(), b).map_err(|e| e.to_string())?));
    }
    let written = safetensors::serialize(views, header.metadata().clone()).map_err(|e| e.to_string())?;
    let check = Model::from_bytes(&written).map_err(|e| format!("the written model does not load: {e}"))?;
    if check.latent.as_ref() != Some(&basis) {
        return Err("the written model's basis differs from the computed one".into());
    }
    std::fs::write(out, written).map_err(|e| format!("{}: {e}", out.display()))?;
    let spread = |p: &trm::latent::Projection| p.scale.iter().map(|x| format!("{x:.3}")).collect::<Vec<_>>().join(" ");
    println!(
        "{} examples x {} steps, {} cell states each for y and z; standard deviations along the directions: y {}, z {}",
        copies.len(),
        max_steps,
        my.count(),
        spread(&basis.y),
        spread(&basis.z)
    );
    Ok(())
}
