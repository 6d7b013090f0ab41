//! Model weights in GPU memory, uploaded once per model. Matrices read through the `WT`
//! type go up as f16 when the whole model was stored as f16 and the device can read f16;
//! otherwise as f32. Vectors read as f32 (H_init, L_init, the Q bias, RoPE tables) are f32.

use wgpu::util::DeviceExt;

use super::context::GpuContext;
use crate::tables::rope_tables_for;
use crate::error::{Result, TrmError};
use crate::tensor::{StoredAs, Tensor};
use crate::weights::Model;

pub struct GpuLayer {
    pub qkv_proj: Option<wgpu::Buffer>,
    pub o_proj: Option<wgpu::Buffer>,
    pub mlp_t_gate_up: Option<wgpu::Buffer>,
    pub mlp_t_down: Option<wgpu::Buffer>,
    pub mlp_gate_up: wgpu::Buffer,
    pub mlp_down: wgpu::Buffer,
}

pub struct GpuWeights {
    pub f16: bool,
    pub embed_tokens: wgpu::Buffer,
    pub puzzle_emb: wgpu::Buffer,
    pub embed_pos: wgpu::Buffer,
    pub h_init: wgpu::Buffer,
    pub l_init: wgpu::Buffer,
    pub lm_head: wgpu::Buffer,
    pub q_head_w: wgpu::Buffer,
    pub q_head_b: wgpu::Buffer,
    pub rope_cos: wgpu::Buffer,
    pub rope_sin: wgpu::Buffer,
    pub layers: Vec<GpuLayer>,
    /// The latent basis's directions for y and z, [3, D] each, when the model has one.
    pub latent: Option<(wgpu::Buffer, wgpu::Buffer)>,
}

/// Whether every matrix of the model was stored as f16 (then f16 upload loses nothing).
pub fn all_f16(model: &Model) -> bool {
    let w = &model.weights;
    let mut mats: Vec<&Tensor> = vec![&w.embed_tokens, &w.lm_head, &w.q_head_w];
    mats.extend(w.puzzle_emb.iter());
    mats.extend(w.embed_pos.iter());
    for l in &w.layers {
        mats.extend([&l.qkv_proj, &l.o_proj, &l.mlp_t_gate_up, &l.mlp_t_down].into_iter().flatten());
        mats.extend([&l.mlp_gate_up, &l.mlp_down]);
    }
    mats.iter().all(|t| t.stored == StoredAs::F16)
}

impl GpuWeights {
    pub fn upload(ctx: &GpuContext, model: &Model, f16: bool) -> Result<GpuWeights> {
        let max = ctx.max_binding();
        let buf = |label: &str, bytes: &[u8]| -> Result<wgpu::Buffer> {
            if bytes.len() as u64 > max {
                return Err(TrmError::Gpu(format!(
                    "tensor `{label}` needs {} bytes; this device allows {max} per binding",
                    bytes.len()
                )));
            }
            // Bindings must be non-empty and 4-byte sized.
            let mut owned = bytes.to_vec();
            owned.resize(owned.len().max(16).div_ceil(4) * 4, 0);
            Ok(ctx.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some(label),
                contents: &owned,
                usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_DST,
            }))
        };
        let f32s = |label: &str, data: &[f32]| buf(label, bytemuck::cast_slice(data));
        let mat = |label: &str, t: &Tensor| -> Result<wgpu::Buffer> {
            if f16 {
                let bits: Vec<u16> = t.data.iter().map(|v| half::f16::from_f32(*v).to_bits()).collect();
                buf(label, bytemuck::cast_slice(&bits))
            } else {
                f32s(label, &t.data)
            }
        };
        let empty = |label: &str| buf(label, &[]);
        let cfg = &model.config;
        let w = &model.weights;
        let (cos, sin) = rope_tables_for(cfg).unwrap_or_default();
        let mut layers = Vec::new();
        for (i, l) in w.layers.iter().enumerate() {
            let opt = |n: &str, t: &Option<Tensor>| t.as_ref().map(|t| mat(&format!("layer{i}.{n}"), t)).transpose();
            layers.push(GpuLayer {
                qkv_proj: opt("qkv_proj", &l.qkv_proj)?,
                o_proj: opt("o_proj", &l.o_proj)?,
                mlp_t_gate_up: opt("mlp_t.gate_up", &l.mlp_t_gate_up)?,
                mlp_t_down: opt("mlp_t.down", &l.mlp_t_down)?,
                mlp_gate_up: mat(&format!("layer{i}.mlp.gate_up"), &l.mlp_gate_up)?,
                mlp_down: mat(&format!("layer{i}.mlp.down"), &l.mlp_down)?,
            });
        }
        Ok(GpuWeights {
            f16,
            embed_tokens: mat("embed_tokens", &w.embed_tokens)?,
            puzzle_emb: match &w.puzzle_emb {
                Some(t) => mat("puzzle_emb", t)?,
                None => empty("no puzzle_emb")?,
            },
            embed_pos: match &w.embed_pos {
                Some(t) => mat("embed_pos", t)?,
                None => empty("no embed_pos")?,
            },
            h_init: f32s("H_init", &w.h_init.data)?,
            l_init: f32s("L_init", &w.l_init.data)?,
            lm_head: mat("lm_head", &w.lm_head)?,
            q_head_w: mat("q_head.weight", &w.q_head_w)?,
            q_head_b: f32s("q_head.bias", &w.q_head_b.data)?,
            rope_cos: f32s("rope cos", &cos)?,
            rope_sin: f32s("rope sin", &sin)?,
            layers,
            latent: match &model.latent {
                // Read by the matmul kernel, so in its weight type.
                Some(b) => {
                    let t = |data: &Vec<f32>| Tensor { shape: vec![data.len()], data: data.clone(), stored: StoredAs::F32 };
                    Some((mat("latent y", &t(&b.y.components))?, mat("latent z", &t(&b.z.components))?))
                }
                None => None,
            },
        })
    }
}
