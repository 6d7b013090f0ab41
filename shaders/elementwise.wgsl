// Element-wise ops over flat f32 buffers: the recursion's input injections
// (z <- z + (y + x), y <- y + z) and the state reset (rows <- H_init or L_init).
// Dispatches are 2-D (x up to 65535 workgroups) so any buffer size fits; the flat index
// is rebuilt from both dimensions.
// WG (invocations a workgroup) is defined by the host ahead of this text (crate::gpu::ops).

struct Params {
    n: u32,     // elements to write
    width: u32, // broadcast: row width
    _pad0: u32, _pad1: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<storage, read> src_a: array<f32>;
@group(0) @binding(3) var<storage, read> src_b: array<f32>;

fn flat(gid: vec3<u32>, nwg: vec3<u32>) -> u32 {
    return gid.x + gid.y * nwg.x * WG;
}

// dst += a + b, with a + b summed first as the reference adds the injection.
@compute @workgroup_size(WG)
fn add3(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = flat(gid, nwg);
    if (i < p.n) { dst[i] = dst[i] + (src_a[i] + src_b[i]); }
}

// dst += a
@compute @workgroup_size(WG)
fn add2(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = flat(gid, nwg);
    if (i < p.n) { dst[i] = dst[i] + src_a[i]; }
}

// dst[r, d] = a[d] for every row r.
@compute @workgroup_size(WG)
fn broadcast(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = flat(gid, nwg);
    if (i < p.n) { dst[i] = src_a[i % p.width]; }
}
