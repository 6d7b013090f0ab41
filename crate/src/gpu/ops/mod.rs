//! The GPU ops, one unit each in the manner of ratchet's ops: an op's file holds its uniform
//! block (the Rust mirror of the shader's `Params`, tested against it), the constants that
//! size its workgroups (written into the shader's text, so the shader and the dispatch
//! arithmetic read one number), the functions that record its dispatches, and its tests.
//! `Plan` (../plan.rs) only composes ops over its buffers.

use bytemuck::Pod;
use wgpu::util::DeviceExt;

use super::context::GpuContext;
use crate::config::Config;

/// The Rust side of a shader's `Params` against the shader's own, for the fields listed:
/// (block size, [(field, byte offset, scalar type)]).
#[cfg(test)]
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

pub mod attention;
pub mod elementwise;
pub mod embed;
pub mod heads;
pub mod matmul;
pub mod rope;

/// A WGSL file, the constants the host defines ahead of its text and the parts it appends to
/// it (WGSL's declarations may come in any order). `weights`: it reads model matrices through
/// the `WT` alias (f32, or f16 with `enable f16;`).
pub struct Shader {
    pub name: &'static str,
    pub source: &'static str,
    pub consts: &'static [(&'static str, u32)],
    /// Named texts that another of the same name may replace (matmul's blocks).
    pub parts: &'static [(&'static str, &'static str)],
    pub weights: bool,
}

impl Shader {
    /// The text the device compiles.
    pub fn wgsl(&self, f16_weights: bool) -> String {
        self.wgsl_with(f16_weights, &[], &[])
    }

    /// The text with `consts` and `parts` in place of those of its own they name (matmul's
    /// tile, for `trm bench --tile`); a shader that has none of those names is the same text.
    pub fn wgsl_with(&self, f16_weights: bool, consts: &[(&str, u32)], parts: &[(&str, &str)]) -> String {
        let mut text = String::new();
        if self.weights {
            text += if f16_weights { "enable f16;\nalias WT = f16;\n" } else { "alias WT = f32;\n" };
        }
        for (name, value) in self.consts {
            let value = consts.iter().find(|(o, _)| o == name).map_or(*value, |(_, v)| *v);
            text += &format!("const {name}: u32 = {value}u;\n");
        }
        text += self.source;
        for (name, part) in self.parts {
            text += parts.iter().find(|(o, _)| o == name).map_or(*part, |(_, p)| *p);
        }
        text
    }
}

/// Every pipeline the engine dispatches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernel {
    Matmul,
    /// x @ gate_up^T and SwiGLU's gate in one dispatch (matmul.wgsl `gated`).
    MatmulGated,
    /// C <- RMSNorm(C + A @ W^T) by whole rows (matmul.wgsl `residual_norm`).
    MatmulNorm,
    Add3,
    Add2,
    Broadcast,
    Rope,
    Attention,
    LmHead,
    QHead,
    Embed,
}

impl Kernel {
    pub const ALL: [Kernel; 11] = [
        Kernel::Matmul,
        Kernel::MatmulGated,
        Kernel::MatmulNorm,
        Kernel::Add3,
        Kernel::Add2,
        Kernel::Broadcast,
        Kernel::Rope,
        Kernel::Attention,
        Kernel::LmHead,
        Kernel::QHead,
        Kernel::Embed,
    ];

    /// The shader and entry point of this pipeline.
    pub fn entry(self) -> (&'static Shader, &'static str) {
        match self {
            Kernel::Matmul => (&matmul::SHADER, "main"),
            Kernel::MatmulGated => (&matmul::SHADER, "gated"),
            Kernel::MatmulNorm => (&matmul::SHADER, "residual_norm"),
            Kernel::Add3 => (&elementwise::SHADER, "add3"),
            Kernel::Add2 => (&elementwise::SHADER, "add2"),
            Kernel::Broadcast => (&elementwise::SHADER, "broadcast"),
            Kernel::Rope => (&rope::SHADER, "main"),
            Kernel::Attention => (&attention::SHADER, "main"),
            Kernel::LmHead => (&heads::SHADER, "lm_head"),
            Kernel::QHead => (&heads::SHADER, "q_head"),
            Kernel::Embed => (&embed::SHADER, "main"),
        }
    }

    /// The items one workgroup covers with matmul tile `t`, [x, y]: output columns and rows
    /// for the matmuls (a tile; MatmulNorm walks all of its rows' columns a tile at a time),
    /// else one item (element, cell, query, q-head value) per invocation.
    pub const fn per_group(self, t: matmul::Tile) -> [u32; 2] {
        match self {
            Kernel::Matmul => [t.tn, t.tm],
            // A tile's TN weight columns are TN/2 gate rows and the TN/2 up rows paired with them.
            Kernel::MatmulGated => [t.tn / 2, t.tm],
            // TM whole rows, their columns TN at a time.
            Kernel::MatmulNorm => [t.tn, t.tm],
            Kernel::Add3 | Kernel::Add2 | Kernel::Broadcast => [elementwise::WG, 1],
            Kernel::Rope => [rope::WG, 1],
            Kernel::Embed => [embed::WG, 1],
            Kernel::Attention => [attention::WG, 1],
            Kernel::LmHead | Kernel::QHead => [heads::WG, 1],
        }
    }
}

/// The compute pipelines, built once per model.
pub struct Kernels {
    pipelines: Vec<(Kernel, wgpu::ComputePipeline)>,
    tile: matmul::Tile,
    f16_weights: bool,
}

impl Kernels {
    /// `f16_weights`: weights are stored as f16 in GPU memory (needs shader-f16). `tile`: the
    /// matmul's, checked against the device by the caller ([`matmul::Tile::check`]). `cfg`:
    /// the model, whose head dim sizes the attention kernel's registers.
    pub fn new(ctx: &GpuContext, f16_weights: bool, tile: matmul::Tile, cfg: &Config) -> Kernels {
        let dev = &ctx.device;
        let consts: Vec<(&str, u32)> = tile.consts().into_iter().chain(attention::consts(cfg)).collect();
        let mut modules: Vec<(&str, wgpu::ShaderModule)> = Vec::new();
        let pipelines = Kernel::ALL
            .into_iter()
            .map(|kernel| {
                let (shader, entry) = kernel.entry();
                if !modules.iter().any(|(name, _)| *name == shader.name) {
                    let module = dev.create_shader_module(wgpu::ShaderModuleDescriptor {
                        label: Some(shader.name),
                        source: wgpu::ShaderSource::Wgsl(shader.wgsl_with(f16_weights, &consts, &tile.parts()).into()),
                    });
                    modules.push((shader.name, module));
                }
                let module = &modules.iter().find(|(name, _)| *name == shader.name).expect("made above").1;
                let pipeline = dev.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                    label: Some(entry),
                    layout: None,
                    module,
                    entry_point: Some(entry),
                    compilation_options: Default::default(),
                    cache: None,
                });
                (kernel, pipeline)
            })
            .collect();
        Kernels { pipelines, tile, f16_weights }
    }

    pub fn tile(&self) -> matmul::Tile {
        self.tile
    }

    pub fn get(&self, k: Kernel) -> &wgpu::ComputePipeline {
        &self.pipelines.iter().find(|(kk, _)| *kk == k).expect("every kernel is built").1
    }
}

/// What one dispatch computes, for the profile (`trm bench --profile`), so that each op's time
/// reads as a rate against the GPU's peak: its sizes as the op names them, its arithmetic as
/// the model's FLOP count counts it (`Config::flops_per_step`: the products, attention's two
/// and the heads; none elsewhere), and the least memory traffic it needs (each operand read
/// once, each result written once; a product's weight once for the whole batch).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Work {
    pub size: String,
    pub flops: u64,
    pub bytes: u64,
}

impl Work {
    /// `size` with `batch` appended where the dispatch repeats over puzzles.
    pub fn new(size: String, batch: usize, flops: u64, bytes: u64) -> Work {
        let size = if batch > 1 { format!("{size} x{batch}") } else { size };
        Work { size, flops, bytes }
    }
}

/// A prebuilt dispatch.
pub struct Dispatch {
    pub kernel: Kernel,
    pub bind: wgpu::BindGroup,
    pub groups: [u32; 3],
    pub work: Work,
}

struct Pending {
    kernel: Kernel,
    offset: u64,
    size: u64,
    bindings: Vec<(u32, wgpu::Buffer)>,
    groups: [u32; 3],
    work: Work,
}

/// Collects dispatches and their uniforms, then makes one uniform buffer and the bind groups.
pub struct Builder {
    pending: Vec<Pending>,
    uniforms: Vec<u8>,
    align: u64,
    tile: matmul::Tile,
    /// Bytes of one weight element (f16 or f32), for the dispatches' traffic.
    weight_bytes: u64,
}

impl Builder {
    /// Dispatches for `kernels`' pipelines (their matmul tile sizes the products' grids).
    pub fn new(ctx: &GpuContext, kernels: &Kernels) -> Builder {
        let align = u64::from(ctx.device.limits().min_uniform_buffer_offset_alignment);
        let weight_bytes = if kernels.f16_weights { 2 } else { 4 };
        Builder { pending: Vec::new(), uniforms: Vec::new(), align, tile: kernels.tile, weight_bytes }
    }

    /// Bytes of `n` weight elements as the pipelines store them.
    pub fn weights(&self, n: u64) -> u64 {
        n * self.weight_bytes
    }

    /// [`Kernel::per_group`] with the pipelines' tile.
    pub fn per_group(&self, kernel: Kernel) -> [u32; 2] {
        kernel.per_group(self.tile)
    }

    /// Workgroups for `n` items of `kernel` (`per_group` each), folded into 2-D under the
    /// 65535 cap (the shaders rebuild the flat index from both dimensions).
    fn grid(&self, kernel: Kernel, n: usize) -> [u32; 3] {
        let total = (n as u64).div_ceil(u64::from(self.per_group(kernel)[0])).max(1);
        let x = total.min(65535);
        [x as u32, total.div_ceil(x) as u32, 1]
    }

    /// Records one dispatch of `kernel`: `params` to binding 0, `bindings` to the rest.
    fn push<P: Pod>(&mut self, kernel: Kernel, params: P, bindings: &[(u32, &wgpu::Buffer)], groups: [u32; 3], work: Work) {
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
            work,
        });
    }

    /// Dispatches recorded so far: ranges of them are a plan's phases.
    pub(in crate::gpu) fn len(&self) -> usize {
        self.pending.len()
    }

    /// The uniform buffer (to keep alive) and the dispatches in the order recorded.
    pub fn finish(self, ctx: &GpuContext, kernels: &Kernels) -> (wgpu::Buffer, Vec<Dispatch>) {
        let uniform = ctx.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("uniforms"),
            contents: &self.uniforms,
            usage: wgpu::BufferUsages::UNIFORM,
        });
        let dispatches = self
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
                let bind = ctx.device.create_bind_group(&wgpu::BindGroupDescriptor { label: None, layout: &layout, entries: &entries });
                Dispatch { kernel: p.kernel, bind, groups: p.groups, work: p.work }
            })
            .collect();
        (uniform, dispatches)
    }
}

/// A size as the u32 a uniform block holds.
pub(in crate::gpu) fn u(x: usize) -> u32 {
    x as u32
}

/// Bytes of `n` f32 activations. Work is counted in u64: on wasm32 a usize product of a large
/// batch's sizes would overflow.
pub(in crate::gpu) fn f32s(n: u64) -> u64 {
    4 * n
}

/// A size as the u64 that `Work` is counted in.
pub(in crate::gpu) fn wide(x: usize) -> u64 {
    x as u64
}

#[cfg(test)]
pub(crate) mod testing {
    use super::Shader;

    /// The shader as the engine compiles it (f32 weights), through naga.
    pub fn module(shader: &Shader) -> naga::Module {
        naga::front::wgsl::parse_str(&shader.wgsl(false)).unwrap_or_else(|e| panic!("{} parses: {e}", shader.name))
    }

    /// (size, [(name, byte offset, scalar type)]) of the shader's `Params`, padding left out.
    pub fn wgsl_params(shader: &Shader) -> (usize, Vec<(String, usize, &'static str)>) {
        let module = module(shader);
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

    /// The workgroup size of one entry point.
    pub fn workgroup(shader: &Shader, entry: &str) -> [u32; 3] {
        let module = module(shader);
        module.entry_points.iter().find(|e| e.name == entry).unwrap_or_else(|| panic!("{}: an entry {entry}", shader.name)).workgroup_size
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each shader's `@workgroup_size` reads the constants the host defines: a literal
    /// written in a shader instead would let its dispatches cover too much or too little.
    #[test]
    fn every_workgroup_is_sized_by_its_ops_constants() {
        for kernel in Kernel::ALL {
            let (shader, entry) = kernel.entry();
            let size = testing::workgroup(shader, entry);
            let expected = match kernel {
                // Each invocation holds a 4 x 4 block of the tile.
                Kernel::Matmul | Kernel::MatmulGated | Kernel::MatmulNorm => [matmul::TN / 4, matmul::TM / 4, 1],
                _ => [kernel.per_group(matmul::Tile::DEFAULT)[0], 1, 1],
            };
            assert_eq!(size, expected, "{kernel:?} ({}.wgsl {entry})", shader.name);
        }
    }

    /// The constants the host writes reach the shader: changing one changes the workgroup.
    #[test]
    fn a_shaders_constants_come_from_the_host() {
        let shader = Shader { consts: &[("WG", 128)], ..elementwise::SHADER };
        assert_eq!(testing::workgroup(&shader, "add2"), [128, 1, 1]);
    }
}
