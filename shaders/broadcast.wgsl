// The state reset: every `width`-wide row of dst <- the vector `row` (y <- H_init, z <- L_init).
// Dispatches are 2-D (x up to 65535 workgroups) so any buffer size fits; the flat index is
// rebuilt from both dimensions. WG (invocations a workgroup) is defined by the host ahead of
// this text (crate::gpu::ops::broadcast).

struct Params {
    n: u32,     // elements to write
    width: u32, // row width
    _pad0: u32, _pad1: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<storage, read> row: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = gid.x + gid.y * nwg.x * WG;
    if (i < p.n) { dst[i] = row[i % p.width]; }
}
