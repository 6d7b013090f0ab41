//! Model files: safetensors whose tensors carry the reference checkpoint names
//! (docs/MODEL.md) and whose metadata holds the config, the puzzle kind and the puzzle
//! table's row names. Every tensor is checked for presence, dtype, shape and finite
//! values against the config, so the engines can index without checks of their own.

use std::collections::HashMap;

use safetensors::{Dtype, SafeTensors};

use crate::config::{Config, PosEncoding};
use crate::error::{Result, TrmError};
use crate::latent::LatentBasis;
use crate::puzzle::PuzzleKind;
use crate::tensor::{decode, StoredAs, Tensor};

pub const FORMAT: &str = "trm-web/1";

/// One block's weights; which are present depends on the variant (mlp_t or attention).
#[derive(Debug, Clone)]
pub struct LayerWeights {
    pub qkv_proj: Option<Tensor>,
    pub o_proj: Option<Tensor>,
    pub mlp_t_gate_up: Option<Tensor>,
    pub mlp_t_down: Option<Tensor>,
    pub mlp_gate_up: Tensor,
    pub mlp_down: Tensor,
}

#[derive(Debug, Clone)]
pub struct Weights {
    pub embed_tokens: Tensor,
    pub puzzle_emb: Option<Tensor>,
    pub embed_pos: Option<Tensor>,
    pub h_init: Tensor,
    pub l_init: Tensor,
    pub lm_head: Tensor,
    pub q_head_w: Tensor,
    pub q_head_b: Tensor,
    pub layers: Vec<LayerWeights>,
}

#[derive(Debug, Clone)]
pub struct Model {
    pub config: Config,
    pub kind: PuzzleKind,
    /// Names of the puzzle table's rows (ARC: task x augmentation), when the file has them.
    pub puzzle_rows: Option<Vec<String>>,
    pub weights: Weights,
    /// The fixed projection of y and z to colours, when the file carries one (crate::latent).
    pub latent: Option<LatentBasis>,
}

/// Every tensor a config needs, with its shape, in file order.
pub fn expected_tensors(cfg: &Config) -> Vec<(String, Vec<usize>)> {
    let d = cfg.hidden_size;
    let s = cfg.full_seq_len();
    let mut v: Vec<(String, Vec<usize>)> = vec![
        ("embed_tokens.embedding_weight".into(), vec![cfg.vocab_size, d]),
        ("H_init".into(), vec![d]),
        ("L_init".into(), vec![d]),
        ("lm_head.weight".into(), vec![cfg.vocab_size, d]),
        ("q_head.weight".into(), vec![2, d]),
        ("q_head.bias".into(), vec![2]),
    ];
    if cfg.puzzle_emb_ndim > 0 {
        v.push((
            "puzzle_emb.weights".into(),
            vec![cfg.num_puzzle_identifiers, cfg.puzzle_emb_ndim],
        ));
    }
    if cfg.pos_encodings == PosEncoding::Learned {
        v.push(("embed_pos.embedding_weight".into(), vec![s, d]));
    }
    for i in 0..cfg.l_layers {
        let p = format!("L_level.layers.{i}");
        if cfg.mlp_t {
            let it = cfg.mlp_t_inner();
            v.push((format!("{p}.mlp_t.gate_up_proj.weight"), vec![2 * it, s]));
            v.push((format!("{p}.mlp_t.down_proj.weight"), vec![s, it]));
        } else {
            v.push((format!("{p}.self_attn.qkv_proj.weight"), vec![3 * d, d]));
            v.push((format!("{p}.self_attn.o_proj.weight"), vec![d, d]));
        }
        let i_d = cfg.mlp_inner();
        v.push((format!("{p}.mlp.gate_up_proj.weight"), vec![2 * i_d, d]));
        v.push((format!("{p}.mlp.down_proj.weight"), vec![d, i_d]));
    }
    v
}

impl Model {
    /// Parse and check a model file held in memory.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model> {
        let (_, header) = SafeTensors::read_metadata(bytes).map_err(|e| {
            TrmError::ModelFile(format!("not a readable safetensors file ({e}): is it truncated, or not a model file?"))
        })?;
        let meta = header.metadata().clone().unwrap_or_default();
        let get = |k: &str| {
            meta.get(k).ok_or_else(|| {
                TrmError::ModelFile(format!("metadata lacks `{k}`; is this a trm-web model file? (reference checkpoints need train/convert.py first)"))
            })
        };
        let format = get("format")?;
        if format != FORMAT {
            return Err(TrmError::ModelFile(format!("format `{format}` is not {FORMAT}")));
        }
        let config = Config::from_json(get("config")?)?;
        let kind = PuzzleKind::parse(get("puzzle_kind")?)?;
        kind.check_config(&config)?;
        let puzzle_rows = match meta.get("puzzle_rows") {
            None => None,
            Some(j) => {
                let rows: Vec<String> = serde_json::from_str(j)
                    .map_err(|e| TrmError::ModelFile(format!("puzzle_rows metadata: {e}")))?;
                if rows.len() != config.num_puzzle_identifiers {
                    return Err(TrmError::ModelFile(format!(
                        "{} puzzle row names for {} puzzle rows",
                        rows.len(),
                        config.num_puzzle_identifiers
                    )));
                }
                Some(rows)
            }
        };
        let st = SafeTensors::deserialize(bytes)
            .map_err(|e| TrmError::ModelFile(format!("tensor data unreadable ({e}); truncated file?")))?;
        let mut tensors = HashMap::new();
        let expected = expected_tensors(&config);
        let latent_names = crate::latent::tensor_names(config.hidden_size);
        let optional: Vec<_> = latent_names.iter().filter(|(n, _)| st.names().contains(&n.as_str())).cloned().collect();
        for (name, shape) in expected.iter().chain(&optional) {
            let view = st.tensor(name).map_err(|_| TrmError::MissingTensor(name.clone()))?;
            if view.shape() != shape.as_slice() {
                return Err(TrmError::WrongShape {
                    name: name.clone(),
                    expected: shape.clone(),
                    found: view.shape().to_vec(),
                });
            }
            let (data, stored) = decode(name, view.dtype(), view.data())?;
            tensors.insert(name.clone(), Tensor { shape: shape.clone(), data, stored });
        }
        if let Some(extra) = st.names().into_iter().find(|n| !tensors.contains_key(*n)) {
            return Err(TrmError::UnexpectedTensor(extra.to_string()));
        }
        let d = config.hidden_size;
        let latent = LatentBasis::from_tensors(|n| tensors.remove(n), d)?;
        let mut model = Model::from_tensors(config, kind, puzzle_rows, tensors)?;
        model.latent = latent;
        Ok(model)
    }

    /// Assemble from named tensors (already shape-checked by the caller or made here).
    fn from_tensors(
        config: Config,
        kind: PuzzleKind,
        puzzle_rows: Option<Vec<String>>,
        mut t: HashMap<String, Tensor>,
    ) -> Result<Model> {
        let mut take = |n: &str| t.remove(n).ok_or_else(|| TrmError::MissingTensor(n.into()));
        let mut layers = Vec::with_capacity(config.l_layers);
        for i in 0..config.l_layers {
            let p = format!("L_level.layers.{i}");
            let (qkv_proj, o_proj, mlp_t_gate_up, mlp_t_down) = if config.mlp_t {
                (
                    None,
                    None,
                    Some(take(&format!("{p}.mlp_t.gate_up_proj.weight"))?),
                    Some(take(&format!("{p}.mlp_t.down_proj.weight"))?),
                )
            } else {
                (
                    Some(take(&format!("{p}.self_attn.qkv_proj.weight"))?),
                    Some(take(&format!("{p}.self_attn.o_proj.weight"))?),
                    None,
                    None,
                )
            };
            layers.push(LayerWeights {
                qkv_proj,
                o_proj,
                mlp_t_gate_up,
                mlp_t_down,
                mlp_gate_up: take(&format!("{p}.mlp.gate_up_proj.weight"))?,
                mlp_down: take(&format!("{p}.mlp.down_proj.weight"))?,
            });
        }
        let weights = Weights {
            embed_tokens: take("embed_tokens.embedding_weight")?,
            puzzle_emb: if config.puzzle_emb_ndim > 0 { Some(take("puzzle_emb.weights")?) } else { None },
            embed_pos: if config.pos_encodings == PosEncoding::Learned {
                Some(take("embed_pos.embedding_weight")?)
            } else {
                None
            },
            h_init: take("H_init")?,
            l_init: take("L_init")?,
            lm_head: take("lm_head.weight")?,
            q_head_w: take("q_head.weight")?,
            q_head_b: take("q_head.bias")?,
            layers,
        };
        Ok(Model { config, kind, puzzle_rows, weights, latent: None })
    }

    /// A model with random weights (fan-in scaled, as the reference initialises), for
    /// tests and benchmarks of configurations we have no trained file for.
    pub fn random(config: Config, kind: PuzzleKind, seed: u64) -> Result<Model> {
        config.validate()?;
        let mut rng = crate::rng::Rng::new(seed);
        let mut tensors = HashMap::new();
        for (name, shape) in expected_tensors(&config) {
            let n: usize = shape.iter().product();
            let fan_in = *shape.last().unwrap_or(&1) as f32;
            let std = match name.as_str() {
                "H_init" | "L_init" => 1.0,
                "embed_tokens.embedding_weight" | "embed_pos.embedding_weight" => {
                    1.0 / (config.hidden_size as f32).sqrt()
                }
                "puzzle_emb.weights" => 0.5,
                _ => 1.0 / fan_in.sqrt(),
            };
            let data = (0..n).map(|_| rng.normal() * std).collect();
            tensors.insert(name, Tensor { shape, data, stored: StoredAs::F32 });
        }
        Model::from_tensors(config, kind, None, tensors)
    }

    /// Serialise to the model file format (f32), e.g. for tests and the CLI.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut named: Vec<(String, &Tensor)> = Vec::new();
        let w = &self.weights;
        named.push(("embed_tokens.embedding_weight".into(), &w.embed_tokens));
        if let Some(p) = &w.puzzle_emb {
            named.push(("puzzle_emb.weights".into(), p));
        }
        if let Some(p) = &w.embed_pos {
            named.push(("embed_pos.embedding_weight".into(), p));
        }
        named.push(("H_init".into(), &w.h_init));
        named.push(("L_init".into(), &w.l_init));
        named.push(("lm_head.weight".into(), &w.lm_head));
        named.push(("q_head.weight".into(), &w.q_head_w));
        named.push(("q_head.bias".into(), &w.q_head_b));
        for (i, l) in w.layers.iter().enumerate() {
            let p = format!("L_level.layers.{i}");
            for (n, t) in [
                ("self_attn.qkv_proj.weight", &l.qkv_proj),
                ("self_attn.o_proj.weight", &l.o_proj),
                ("mlp_t.gate_up_proj.weight", &l.mlp_t_gate_up),
                ("mlp_t.down_proj.weight", &l.mlp_t_down),
            ] {
                if let Some(t) = t {
                    named.push((format!("{p}.{n}"), t));
                }
            }
            named.push((format!("{p}.mlp.gate_up_proj.weight"), &l.mlp_gate_up));
            named.push((format!("{p}.mlp.down_proj.weight"), &l.mlp_down));
        }
        let latent = self.latent.as_ref().map(|b| b.tensors()).unwrap_or_default();
        named.extend(latent.iter().map(|(n, t)| (n.clone(), t)));
        let bytes: Vec<(String, Vec<u8>, Vec<usize>)> = named
            .into_iter()
            .map(|(n, t)| (n, t.data.iter().flat_map(|x| x.to_le_bytes()).collect(), t.shape.clone()))
            .collect();
        let views: Vec<(String, safetensors::tensor::TensorView)> = bytes
            .iter()
            .map(|(n, b, s)| {
                (n.clone(), safetensors::tensor::TensorView::new(Dtype::F32, s.clone(), b).expect("sizes agree"))
            })
            .collect();
        let mut meta = HashMap::new();
        meta.insert("format".to_string(), FORMAT.to_string());
        meta.insert("config".to_string(), self.config.to_json());
        meta.insert("puzzle_kind".to_string(), self.kind.as_str().to_string());
        if let Some(rows) = &self.puzzle_rows {
            meta.insert("puzzle_rows".to_string(), serde_json::to_string(rows).expect("strings serialise"));
        }
        safetensors::serialize(views, Some(meta)).map_err(|e| TrmError::ModelFile(e.to_string()))
    }

    /// An error unless this model was trained for `kind`: a Sudoku model fed maze tokens
    /// would run and answer nonsense, so callers check first.
    pub fn expect_kind(&self, kind: PuzzleKind) -> Result<()> {
        self.kind.expect(kind)
    }

    /// Parameter count, puzzle table excluded (as the paper counts).
    pub fn parameter_count(&self) -> usize {
        expected_tensors(&self.config)
            .iter()
            .filter(|(n, _)| !matches!(n.as_str(), "puzzle_emb.weights" | "H_init" | "L_init"))
            .map(|(_, s)| s.iter().product::<usize>())
            .sum()
    }
}
