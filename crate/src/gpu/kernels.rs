//! The compute pipelines, built once per model from ../shaders (one op family per file).
//! Shapes never enter shader text: sizes arrive in uniforms. The only text that changes is
//! the weight element type (`WT`: f32, or f16 with `enable f16;`).

use super::context::GpuContext;

pub const MATMUL: &str = include_str!("../../../shaders/matmul.wgsl");
pub const ELEMENTWISE: &str = include_str!("../../../shaders/elementwise.wgsl");
pub const RMSNORM: &str = include_str!("../../../shaders/rmsnorm.wgsl");
pub const ROPE: &str = include_str!("../../../shaders/rope.wgsl");
pub const ATTENTION: &str = include_str!("../../../shaders/attention.wgsl");
pub const HEADS: &str = include_str!("../../../shaders/heads.wgsl");
pub const EMBED: &str = include_str!("../../../shaders/embed.wgsl");

/// Every pipeline the engine dispatches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernel {
    Matmul,
    Add3,
    Add2,
    Broadcast,
    RmsNorm,
    /// x @ gate_up^T and SwiGLU's gate in one dispatch (matmul.wgsl `gated`).
    MatmulGated,
    Rope,
    Attention,
    LmHead,
    QHead,
    Embed,
}

impl Kernel {
    /// The items one workgroup covers, [x, y]: output columns and rows for the matmuls (a tile),
    /// one vector for RmsNorm (its invocations reduce it together), else one item (element, cell,
    /// query, q-head value) per invocation. The dispatch arithmetic (crate::gpu::plan) divides
    /// by these; a test holds them to the shaders' workgroup sizes and tiles.
    pub const fn per_group(self) -> [u32; 2] {
        match self {
            Kernel::Matmul => [64, 64],
            // 64 weight columns a tile: 32 gate rows and the 32 up rows paired with them.
            Kernel::MatmulGated => [32, 64],
            Kernel::RmsNorm => [1, 1],
            Kernel::Add3 | Kernel::Add2 | Kernel::Broadcast | Kernel::Rope | Kernel::Embed => [256, 1],
            Kernel::Attention | Kernel::LmHead | Kernel::QHead => [64, 1],
        }
    }
}

pub struct Kernels {
    pipelines: Vec<(Kernel, wgpu::ComputePipeline)>,
}

pub(crate) fn with_weight_type(src: &str, f16: bool) -> String {
    if f16 {
        format!("enable f16;\nalias WT = f16;\n{src}")
    } else {
        format!("alias WT = f32;\n{src}")
    }
}

impl Kernels {
    /// `f16_weights`: weights are stored as f16 in GPU memory (needs shader-f16).
    pub fn new(ctx: &GpuContext, f16_weights: bool) -> Kernels {
        let dev = &ctx.device;
        let module = |label: &str, src: String| {
            dev.create_shader_module(wgpu::ShaderModuleDescriptor {
                label: Some(label),
                source: wgpu::ShaderSource::Wgsl(src.into()),
            })
        };
        let matmul = module("matmul", with_weight_type(MATMUL, f16_weights));
        let elementwise = module("elementwise", ELEMENTWISE.to_string());
        let rmsnorm = module("rmsnorm", RMSNORM.to_string());
        let rope = module("rope", ROPE.to_string());
        let attention = module("attention", ATTENTION.to_string());
        let heads = module("heads", with_weight_type(HEADS, f16_weights));
        let embed = module("embed", with_weight_type(EMBED, f16_weights));
        let table = [
            (Kernel::Matmul, &matmul, "main"),
            (Kernel::Add3, &elementwise, "add3"),
            (Kernel::Add2, &elementwise, "add2"),
            (Kernel::Broadcast, &elementwise, "broadcast"),
            (Kernel::RmsNorm, &rmsnorm, "main"),
            (Kernel::MatmulGated, &matmul, "gated"),
            (Kernel::Rope, &rope, "main"),
            (Kernel::Attention, &attention, "main"),
            (Kernel::LmHead, &heads, "lm_head"),
            (Kernel::QHead, &heads, "q_head"),
            (Kernel::Embed, &embed, "main"),
        ];
        let pipelines = table
            .into_iter()
            .map(|(k, m, entry)| {
                let p = dev.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                    label: Some(entry),
                    layout: None,
                    module: m,
                    entry_point: Some(entry),
                    compilation_options: Default::default(),
                    cache: None,
                });
                (k, p)
            })
            .collect();
        Kernels { pipelines }
    }

    pub fn get(&self, k: Kernel) -> &wgpu::ComputePipeline {
        &self.pipelines.iter().find(|(kk, _)| *kk == k).expect("every kernel is built").1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (kernel, its shader's source, entry point): the table `Kernels::new` builds from.
    const ENTRIES: [(Kernel, &str, &str); 11] = [
        (Kernel::Matmul, MATMUL, "main"),
        (Kernel::Add3, ELEMENTWISE, "add3"),
        (Kernel::Add2, ELEMENTWISE, "add2"),
        (Kernel::Broadcast, ELEMENTWISE, "broadcast"),
        (Kernel::RmsNorm, RMSNORM, "main"),
        (Kernel::MatmulGated, MATMUL, "gated"),
        (Kernel::Rope, ROPE, "main"),
        (Kernel::Attention, ATTENTION, "main"),
        (Kernel::LmHead, HEADS, "lm_head"),
        (Kernel::QHead, HEADS, "q_head"),
        (Kernel::Embed, EMBED, "main"),
    ];

    /// A `const NAME: u32 = Nu;` of the shader.
    fn shader_const(module: &naga::Module, name: &str) -> u32 {
        let (_, c) = module.constants.iter().find(|(_, c)| c.name.as_deref() == Some(name)).unwrap_or_else(|| panic!("a const {name}"));
        match module.global_expressions[c.init] {
            naga::Expression::Literal(naga::Literal::U32(v)) => v,
            ref e => panic!("{name} is not a u32 literal: {e:?}"),
        }
    }

    /// A dispatch sized by `per_group` covers what the shader's workgroup computes: a matmul's
    /// tile (TN x TM; gated: half its columns are gate rows), a norm's one vector with WG
    /// invocations, one item per invocation otherwise.
    #[test]
    fn dispatch_sizes_match_the_shaders_workgroups() {
        for (kernel, source, entry) in ENTRIES {
            let module = naga::front::wgsl::parse_str(&with_weight_type(source, false)).expect("the shader parses");
            let ep = module.entry_points.iter().find(|e| e.name == entry).unwrap_or_else(|| panic!("{kernel:?}: an entry {entry}"));
            let [wx, wy, _] = ep.workgroup_size;
            let expected = match kernel {
                Kernel::Matmul => [shader_const(&module, "TN"), shader_const(&module, "TM")],
                Kernel::MatmulGated => [shader_const(&module, "TN") / 2, shader_const(&module, "TM")],
                Kernel::RmsNorm => {
                    assert_eq!(wx, shader_const(&module, "WG"), "the norm's invocations share one vector");
                    [1, 1]
                }
                _ => {
                    assert_eq!(wy, 1, "{kernel:?}: a 1-D workgroup");
                    [wx, 1]
                }
            };
            assert_eq!(kernel.per_group(), expected, "{kernel:?} ({entry}): workgroup {:?}", ep.workgroup_size);
        }
    }
}
