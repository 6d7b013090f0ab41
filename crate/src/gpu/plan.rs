//! Everything sized by (model, batch): buffers, the uniform block and the dispatch lists
//! of a network call, the heads and the per-cycle read-outs. Built once; a supervision
//! step then only records prebuilt dispatches.
//!
//! Batches larger than one chunk are split: each chunk has its own x, y, z, while the
//! scratch buffers (the MLP's [gate | up], q/k/v, attention output) are shared and sized
//! for one chunk, so that no binding exceeds the device's limit (128 MiB by default).

use bytemuck::{Pod, Zeroable};
use wgpu::util::DeviceExt;

use super::context::GpuContext;
use super::kernels::{Kernel, Kernels};
use super::weights::GpuWeights;
use crate::config::{Config, PosEncoding};
use crate::error::{Result, TrmError};

// Uniform blocks, laid out exactly as the WGSL structs (u32/f32 fields, 16-byte multiples).
#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable, Default)]
pub struct MatmulP {
    pub m: u32,
    pub n: u32,
    pub k: u32,
    pub accumulate: u32,
    pub a_off: u32,
    pub a_rs: u32,
    pub a_cs: u32,
    pub a_bs: u32,
    pub c_off: u32,
    pub c_rs: u32,
    pub c_cs: u32,
    pub c_bs: u32,
    pub w_off: u32,
    pub _pad: [u32; 3],
}

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct EwP {
    n: u32,
    width: u32,
    _pad: [u32; 2],
}

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct NormP {
    n_vec: u32,
    count: u32,
    elem_stride: u32,
    inner: u32,
    inner_stride: u32,
    outer_stride: u32,
    offset: u32,
    eps: f32,
}

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct RopeP {
    rows: u32,
    seq: u32,
    heads: u32,
    head_dim: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct AttnP {
    seq: u32,
    heads: u32,
    head_dim: u32,
    _pad0: u32,
    scale: f32,
    _pad1: [u32; 3],
}

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct HeadsP {
    batch: u32,
    seq: u32,
    prefix: u32,
    cells: u32,
    width: u32,
    vocab: u32,
    out_offset: u32,
    logits_offset: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct EmbedP {
    batch: u32,
    seq: u32,
    prefix: u32,
    width: u32,
    cells: u32,
    emb_dim: u32,
    learned_pos: u32,
    _pad0: u32,
    scale: f32,
    _pad1: [u32; 3],
}

/// A prebuilt dispatch.
pub struct Op {
    pub kernel: Kernel,
    pub bind: wgpu::BindGroup,
    pub groups: [u32; 3],
}

struct Pending {
    kernel: Kernel,
    offset: u64,
    size: u64,
    bindings: Vec<(u32, wgpu::Buffer)>,
    groups: [u32; 3],
}

/// Collects dispatches and their uniforms, then makes one uniform buffer and the bind groups.
struct Builder {
    pending: Vec<Pending>,
    uniforms: Vec<u8>,
    align: u64,
}

impl Builder {
    fn push<P: Pod>(&mut self, kernel: Kernel, params: P, bindings: &[(u32, &wgpu::Buffer)], groups: [u32; 3]) {
        let offset = self.uniforms.len() as u64;
        self.uniforms.extend_from_slice(bytemuck::bytes_of(&params));
        let padded = (self.uniforms.len() as u64).div_ceil(self.align) * self.align;
        self.uniforms.resize(padded as usize, 0);
        self.pending.push(Pending {
            kernel,
            offset,
            size: std::mem::size_of::<P>() as u64,
            bindings: bindings.iter().map(|(i, b)| (*i, (*b).clone())).collect(),
            groups,
        });
    }

    fn len(&self) -> usize {
        self.pending.len()
    }

    fn finish(self, ctx: &GpuContext, kernels: &Kernels) -> (wgpu::Buffer, Vec<Op>) {
        let uniform = ctx.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("uniforms"),
            contents: &self.uniforms,
            usage: wgpu::BufferUsages::UNIFORM,
        });
        let ops = self
            .pending
            .into_iter()
            .map(|p| {
                let layout = kernels.get(p.kernel).get_bind_group_layout(0);
                let mut entries = vec![wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                        buffer: &uniform,
                        offset: p.offset,
                        size: wgpu::BufferSize::new(p.size),
                    }),
                }];
                for (i, b) in &p.bindings {
                    entries.push(wgpu::BindGroupEntry { binding: *i, resource: b.as_entire_binding() });
                }
                let bind = ctx.device.create_bind_group(&wgpu::BindGroupDescriptor {
                    label: None,
                    layout: &layout,
                    entries: &entries,
                });
                Op { kernel: p.kernel, bind, groups: p.groups }
            })
            .collect();
        (uniform, ops)
    }
}

/// Workgroups for `n` items of `kernel` ([`Kernel::per_group`] each), folded into 2-D under
/// the 65535 cap.
fn grid(kernel: Kernel, n: usize) -> [u32; 3] {
    let total = (n as u64).div_ceil(u64::from(kernel.per_group()[0])).max(1);
    let x = total.min(65535);
    [x as u32, total.div_ceil(x) as u32, 1]
}

pub struct Chunk {
    pub start: usize,
    pub size: usize,
    pub x: wgpu::Buffer,
    pub y: wgpu::Buffer,
    pub z: wgpu::Buffer,
    pub tokens: wgpu::Buffer,
    pub ids: wgpu::Buffer,
}

pub struct Plan {
    pub batch: usize,
    pub chunks: Vec<Chunk>,
    pub ops: Vec<Op>,
    pub init: std::ops::Range<usize>,
    pub update_z: std::ops::Range<usize>,
    pub update_y: std::ops::Range<usize>,
    pub heads: std::ops::Range<usize>,
    pub cycles: Vec<std::ops::Range<usize>>,
    /// Projections of y and z on the latent basis, one range per read-out slot (an H cycle).
    pub latent: Vec<std::ops::Range<usize>>,
    pub logits: wgpu::Buffer,
    pub tokens_out: wgpu::Buffer,
    pub probs_out: wgpu::Buffer,
    pub q_out: wgpu::Buffer,
    pub cycles_out: wgpu::Buffer,
    /// [slot][y, z][batch, S, 3]: latent read-outs, prefix rows included.
    pub latent_out: wgpu::Buffer,
    pub staging: wgpu::Buffer,
    _uniforms: wgpu::Buffer,
}

/// Bytes one puzzle needs in each chunk-sized buffer; the largest decides the chunk.
pub fn per_puzzle_bytes(cfg: &Config) -> u64 {
    let (s, d) = (cfg.full_seq_len() as u64, cfg.hidden_size as u64);
    let mut most = s * d * 4;
    most = most.max(s * 2 * cfg.mlp_inner() as u64 * 4);
    if cfg.mlp_t {
        most = most.max(d * 2 * cfg.mlp_t_inner() as u64 * 4);
    } else {
        most = most.max(s * 3 * d * 4);
    }
    most
}

fn storage(ctx: &GpuContext, label: &str, bytes: u64, extra: wgpu::BufferUsages) -> wgpu::Buffer {
    ctx.device.create_buffer(&wgpu::BufferDescriptor {
        label: Some(label),
        size: bytes.max(16).div_ceil(4) * 4,
        usage: wgpu::BufferUsages::STORAGE | extra,
        mapped_at_creation: false,
    })
}

impl Plan {
    pub fn new(ctx: &GpuContext, kernels: &Kernels, w: &GpuWeights, cfg: &Config, batch: usize) -> Result<Plan> {
        let (s, d, k, l, v) = (cfg.full_seq_len(), cfg.hidden_size, cfg.prefix_len(), cfg.seq_len, cfg.vocab_size);
        let per = per_puzzle_bytes(cfg);
        let max = ctx.max_binding();
        if per > max {
            return Err(TrmError::Gpu(format!(
                "one puzzle of this model needs a {per}-byte buffer; this device allows {max} bytes per binding"
            )));
        }
        let chunk = ((max / per) as usize).min(batch).max(1);
        // Everything the heads write covers the whole batch and must fit one binding too.
        let logits_bytes = (batch * l * v * 4) as u64;
        if logits_bytes > max {
            return Err(TrmError::Gpu(format!("batch {batch} needs {logits_bytes} bytes of logits; the device allows {max}")));
        }
        let copy = wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::COPY_SRC;
        let mut chunks = Vec::new();
        let mut start = 0;
        while start < batch {
            let size = chunk.min(batch - start);
            let n = (size * s * d * 4) as u64;
            chunks.push(Chunk {
                start,
                size,
                x: storage(ctx, "x", n, copy),
                y: storage(ctx, "y", n, copy),
                z: storage(ctx, "z", n, copy),
                tokens: storage(ctx, "tokens", (size * l * 4) as u64, copy),
                ids: storage(ctx, "puzzle ids", (size * 4) as u64, copy),
            });
            start += size;
        }
        let i_d = cfg.mlp_inner();
        let i_t = if cfg.mlp_t { cfg.mlp_t_inner() } else { 0 };
        // SwiGLU's gated activations; [gate | up] itself never leaves the gated matmul.
        let act_floats = (chunk * s * i_d).max(chunk * d * i_t);
        let act = storage(ctx, "act", (act_floats * 4) as u64, wgpu::BufferUsages::empty());
        let (qkv, attn) = if cfg.mlp_t {
            (storage(ctx, "qkv", 16, wgpu::BufferUsages::empty()), storage(ctx, "attn", 16, wgpu::BufferUsages::empty()))
        } else {
            (
                storage(ctx, "qkv", (chunk * s * 3 * d * 4) as u64, wgpu::BufferUsages::empty()),
                storage(ctx, "attn", (chunk * s * d * 4) as u64, wgpu::BufferUsages::empty()),
            )
        };
        let out = wgpu::BufferUsages::COPY_SRC;
        let logits = storage(ctx, "logits", logits_bytes, out);
        let tokens_out = storage(ctx, "tokens_out", (batch * l * 4) as u64, out);
        let probs_out = storage(ctx, "probs_out", (batch * l * 4) as u64, out);
        let q_out = storage(ctx, "q_out", (batch * 2 * 4) as u64, out);
        let cycles_out = storage(ctx, "cycles_out", (cfg.h_cycles * batch * l * 4) as u64, out);
        let latent_floats = if w.latent.is_some() { cfg.h_cycles * 2 * batch * s * 3 } else { 0 };
        let latent_out = storage(ctx, "latent_out", (latent_floats * 4) as u64, out);
        let staging = ctx.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("staging"),
            size: ((2 + cfg.h_cycles) * batch * l * 4 + batch * 2 * 4 + latent_floats * 4) as u64,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });

        let align = ctx.device.limits().min_uniform_buffer_offset_alignment as u64;
        let mut b = Builder { pending: Vec::new(), uniforms: Vec::new(), align };
        let u = |x: usize| x as u32;

        // Reset: x from tokens and puzzle ids, y = H_init, z = L_init.
        let init_start = b.len();
        for c in &chunks {
            let n = c.size * s * d;
            b.push(
                Kernel::Embed,
                EmbedP {
                    batch: u(c.size),
                    seq: u(s),
                    prefix: u(k),
                    width: u(d),
                    cells: u(l),
                    emb_dim: u(cfg.puzzle_emb_ndim),
                    learned_pos: u32::from(cfg.pos_encodings == PosEncoding::Learned),
                    _pad0: 0,
                    scale: (d as f32).sqrt(),
                    _pad1: [0; 3],
                },
                &[(1, &c.tokens), (2, &c.ids), (3, &w.embed_tokens), (4, &w.puzzle_emb), (5, &w.embed_pos), (6, &c.x)],
                grid(Kernel::Embed, n),
            );
            for (dst, src) in [(&c.y, &w.h_init), (&c.z, &w.l_init)] {
                b.push(Kernel::Broadcast, EwP { n: u(n), width: u(d), _pad: [0; 2] }, &[(1, dst), (2, src)], grid(Kernel::Broadcast, n));
            }
        }
        let init = init_start..b.len();

        // One network call on h with its injection already added.
        let block = |b: &mut Builder, h: &wgpu::Buffer, bc: usize| {
            let eps = cfg.rms_norm_eps;
            for lw in &w.layers {
                if cfg.mlp_t {
                    let (gu_w, down_w) = (lw.mlp_t_gate_up.as_ref().unwrap(), lw.mlp_t_down.as_ref().unwrap());
                    // [D, S] view of each puzzle's h through gate_up_t and the gate -> [D, I_t]
                    matmul_gated(b, h, gu_w, &act, MatmulP {
                        m: u(d), n: u(i_t), k: u(s),
                        a_rs: 1, a_cs: u(d), a_bs: u(s * d),
                        c_rs: u(i_t), c_cs: 1, c_bs: u(d * i_t),
                        ..Default::default()
                    }, bc);
                    // [D, I_t] @ down_t^T -> [D, S], added into h transposed back to [S, D]
                    matmul(b, &act, down_w, h, MatmulP {
                        m: u(d), n: u(s), k: u(i_t), accumulate: 1,
                        a_rs: u(i_t), a_cs: 1, a_bs: u(d * i_t),
                        c_rs: 1, c_cs: u(d), c_bs: u(s * d),
                        ..Default::default()
                    }, bc);
                    norm(b, h, NormP { n_vec: u(bc * d), count: u(s), elem_stride: u(d), inner: u(d), inner_stride: 1, outer_stride: u(s * d), offset: 0, eps });
                } else {
                    let (qkv_w, o_w) = (lw.qkv_proj.as_ref().unwrap(), lw.o_proj.as_ref().unwrap());
                    matmul(b, h, qkv_w, &qkv, rows(bc * s, d, 3 * d, false), 1);
                    if cfg.pos_encodings.is_rotary() {
                        let hd = cfg.head_dim();
                        b.push(
                            Kernel::Rope,
                            RopeP { rows: u(bc * s), seq: u(s), heads: u(cfg.num_heads), head_dim: u(hd) },
                            &[(1, &qkv), (2, &w.rope_cos), (3, &w.rope_sin)],
                            grid(Kernel::Rope, bc * s * cfg.num_heads * hd),
                        );
                    }
                    b.push(
                        Kernel::Attention,
                        AttnP { seq: u(s), heads: u(cfg.num_heads), head_dim: u(cfg.head_dim()), _pad0: 0, scale: 1.0 / (cfg.head_dim() as f32).sqrt(), _pad1: [0; 3] },
                        &[(1, &qkv), (2, &attn)],
                        [u(s).div_ceil(Kernel::Attention.per_group()[0]), u(cfg.num_heads), u(bc)],
                    );
                    matmul(b, &attn, o_w, h, rows(bc * s, d, d, true), 1);
                    norm(b, h, NormP { n_vec: u(bc * s), count: u(d), elem_stride: 1, inner: 1, inner_stride: 0, outer_stride: u(d), offset: 0, eps });
                }
                matmul_gated(b, h, &lw.mlp_gate_up, &act, rows(bc * s, d, i_d, false), 1);
                matmul(b, &act, &lw.mlp_down, h, rows(bc * s, i_d, d, true), 1);
                norm(b, h, NormP { n_vec: u(bc * s), count: u(d), elem_stride: 1, inner: 1, inner_stride: 0, outer_stride: u(d), offset: 0, eps });
            }
        };

        let z_start = b.len();
        for c in &chunks {
            let n = (c.size * s * d) as u64;
            b.push(Kernel::Add3, EwP { n: n as u32, width: 0, _pad: [0; 2] }, &[(1, &c.z), (2, &c.y), (3, &c.x)], grid(Kernel::Add3, n as usize));
            block(&mut b, &c.z, c.size);
        }
        let update_z = z_start..b.len();
        let y_start = b.len();
        for c in &chunks {
            let n = (c.size * s * d) as u64;
            b.push(Kernel::Add2, EwP { n: n as u32, width: 0, _pad: [0; 2] }, &[(1, &c.y), (2, &c.z)], grid(Kernel::Add2, n as usize));
            block(&mut b, &c.y, c.size);
        }
        let update_y = y_start..b.len();

        let lm_head = |b: &mut Builder, c: &Chunk, tokens: &wgpu::Buffer, out_offset: usize| {
            b.push(
                Kernel::LmHead,
                HeadsP {
                    batch: u(c.size), seq: u(s), prefix: u(k), cells: u(l), width: u(d), vocab: u(v),
                    out_offset: u(out_offset), logits_offset: u(c.start * l * v),
                },
                &[(1, &c.y), (2, &w.lm_head), (3, &logits), (4, tokens), (5, &probs_out)],
                grid(Kernel::LmHead, c.size * l),
            );
        };
        let heads_start = b.len();
        for c in &chunks {
            lm_head(&mut b, c, &tokens_out, c.start * l);
            b.push(
                Kernel::QHead,
                HeadsP { batch: u(c.size), seq: u(s), prefix: u(k), cells: u(l), width: u(d), vocab: u(v), out_offset: u(c.start), logits_offset: 0 },
                &[(1, &c.y), (2, &w.q_head_w), (6, &w.q_head_b), (7, &q_out)],
                grid(Kernel::QHead, c.size * 2),
            );
        }
        let heads = heads_start..b.len();
        // Per-cycle answers go to their own slice of cycles_out; their probabilities are
        // not read back, but the kernel writes them, so they go to probs_out, which the
        // step's own heads overwrite afterwards.
        let mut cycles = Vec::new();
        for cyc in 0..cfg.h_cycles {
            let st = b.len();
            for c in &chunks {
                lm_head(&mut b, c, &cycles_out, (cyc * batch + c.start) * l);
            }
            cycles.push(st..b.len());
        }
        // Latent read-outs: [S, D] @ basis^T [D, 3] per puzzle, one small matmul per state.
        let mut latent = Vec::new();
        if let Some((basis_y, basis_z)) = &w.latent {
            for slot in 0..cfg.h_cycles {
                let st = b.len();
                for c in &chunks {
                    for (state, (h, basis)) in [(&c.y, basis_y), (&c.z, basis_z)].into_iter().enumerate() {
                        let off = ((slot * 2 + state) * batch + c.start) * s * 3;
                        matmul(&mut b, h, basis, &latent_out, MatmulP { c_off: u(off), ..rows(c.size * s, d, 3, false) }, 1);
                    }
                }
                latent.push(st..b.len());
            }
        }

        let (uniforms, ops) = b.finish(ctx, kernels);
        Ok(Plan {
            batch,
            chunks,
            ops,
            init,
            update_z,
            update_y,
            heads,
            cycles,
            latent,
            logits,
            tokens_out,
            probs_out,
            q_out,
            cycles_out,
            latent_out,
            staging,
            _uniforms: uniforms,
        })
    }
}

/// Row-major [rows, k] @ W^T -> [rows, n] (optionally accumulated), no batch dimension.
fn rows(m: usize, k: usize, n: usize, accumulate: bool) -> MatmulP {
    MatmulP {
        m: m as u32,
        n: n as u32,
        k: k as u32,
        accumulate: u32::from(accumulate),
        a_rs: k as u32,
        a_cs: 1,
        c_rs: n as u32,
        c_cs: 1,
        ..Default::default()
    }
}

fn matmul(b: &mut Builder, a: &wgpu::Buffer, w: &wgpu::Buffer, c: &wgpu::Buffer, p: MatmulP, batch: usize) {
    let [gx, gy] = Kernel::Matmul.per_group();
    let groups = [p.n.div_ceil(gx), p.m.div_ceil(gy), batch as u32];
    b.push(Kernel::Matmul, p, &[(1, a), (2, w), (3, c)], groups);
}

/// `p.n` is SwiGLU's inner width: the weight holds 2 * p.n rows (gate, then up).
fn matmul_gated(b: &mut Builder, a: &wgpu::Buffer, w: &wgpu::Buffer, act: &wgpu::Buffer, p: MatmulP, batch: usize) {
    let [gx, gy] = Kernel::MatmulGated.per_group();
    let groups = [p.n.div_ceil(gx), p.m.div_ceil(gy), batch as u32];
    b.push(Kernel::MatmulGated, p, &[(1, a), (2, w), (3, act)], groups);
}

fn norm(b: &mut Builder, h: &wgpu::Buffer, p: NormP) {
    let groups = grid(Kernel::RmsNorm, p.n_vec as usize);
    b.push(Kernel::RmsNorm, p, &[(1, h)], groups);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gpu::kernels;

    /// (name, byte offset, scalar type) of each field the shader names (padding left out), and
    /// the block's size, from the WGSL source of the shader's `Params`.
    fn wgsl_params(source: &str) -> (usize, Vec<(String, usize, &'static str)>) {
        // As the engine compiles it: the weight type is defined ahead of the source.
        let module = naga::front::wgsl::parse_str(&kernels::with_weight_type(source, false)).expect("the shader parses");
        let (_, ty) = module.types.iter().find(|(_, t)| t.name.as_deref() == Some("Params")).expect("a Params struct");
        let naga::TypeInner::Struct { members, span } = &ty.inner else { panic!("Params is a struct") };
        let fields = members
            .iter()
            .filter(|m| !m.name.as_deref().unwrap_or("_").starts_with('_'))
            .map(|m| {
                let scalar = match module.types[m.ty].inner {
                    naga::TypeInner::Scalar(naga::Scalar { kind: naga::ScalarKind::Uint, width: 4 }) => "u32",
                    naga::TypeInner::Scalar(naga::Scalar { kind: naga::ScalarKind::Float, width: 4 }) => "f32",
                    ref other => panic!("a Params field of another type: {other:?}"),
                };
                (m.name.clone().unwrap(), m.offset as usize, scalar)
            })
            .collect();
        (*span as usize, fields)
    }

    /// The same of a Rust mirror, for the fields listed.
    macro_rules! rust_params {
        ($t:ty { $($f:ident),* $(,)? }) => {{
            fn scalar<S, T>(_: fn(&S) -> &T) -> &'static str {
                std::any::type_name::<T>()
            }
            (
                std::mem::size_of::<$t>(),
                vec![$((stringify!($f).to_string(), std::mem::offset_of!($t, $f), scalar::<$t, _>(|p| &p.$f))),*],
            )
        }};
    }

    /// A uniform block the shader reads at other offsets than the Rust side writes would
    /// silently feed a kernel wrong sizes: each mirror must match its shader field by field.
    #[test]
    fn every_params_mirror_matches_its_shaders_uniform_block() {
        let pairs = [
            (
                "matmul.wgsl",
                kernels::MATMUL,
                rust_params!(MatmulP { m, n, k, accumulate, a_off, a_rs, a_cs, a_bs, c_off, c_rs, c_cs, c_bs, w_off }),
            ),
            ("elementwise.wgsl", kernels::ELEMENTWISE, rust_params!(EwP { n, width })),
            (
                "rmsnorm.wgsl",
                kernels::RMSNORM,
                rust_params!(NormP { n_vec, count, elem_stride, inner, inner_stride, outer_stride, offset, eps }),
            ),
            ("rope.wgsl", kernels::ROPE, rust_params!(RopeP { rows, seq, heads, head_dim })),
            ("attention.wgsl", kernels::ATTENTION, rust_params!(AttnP { seq, heads, head_dim, scale })),
            (
                "heads.wgsl",
                kernels::HEADS,
                rust_params!(HeadsP { batch, seq, prefix, cells, width, vocab, out_offset, logits_offset }),
            ),
            (
                "embed.wgsl",
                kernels::EMBED,
                rust_params!(EmbedP { batch, seq, prefix, width, cells, emb_dim, learned_pos, scale }),
            ),
        ];
        for (file, source, rust) in pairs {
            assert_eq!(wgsl_params(source), rust, "{file}: the shader's Params (size, fields) against its Rust mirror");
        }
    }
}
