// SwiGLU's gate: act[r, i] = silu(gu[r, i]) * gu[r, I + i], where gu = x @ gate_up^T holds
// [gate | up] per row (gate is the first half, as the reference's chunk(2)).

struct Params {
    rows: u32, inner: u32, _pad0: u32, _pad1: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> gu: array<f32>;
@group(0) @binding(2) var<storage, read_write> act: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = gid.x + gid.y * nwg.x * 256u;
    if (i >= p.rows * p.inner) { return; }
    let r = i / p.inner;
    let c = i % p.inner;
    let g = gu[r * 2u * p.inner + c];
    let u = gu[r * 2u * p.inner + p.inner + c];
    act[i] = g / (1.0 + exp(-g)) * u;
}
