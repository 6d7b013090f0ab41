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
