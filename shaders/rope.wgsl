// Rotary position embedding, rotate-half layout, on the Q and K heads of a fused qkv
// buffer [rows, 3 * heads * head_dim] in place: q' = q*cos + rotate_half(q)*sin with
// rotate_half([a, b]) = [-b, a]. cos/sin tables [S, head_dim] come from the host (computed
// once per model in f32, as the reference does), position = row % S.
// WG (invocations a workgroup) is defined by the host ahead of this text (crate::gpu::ops).

struct Params {
    rows: u32, seq: u32, heads: u32, head_dim: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> qkv: array<f32>;
@group(0) @binding(2) var<storage, read> cos_t: array<f32>;
@group(0) @binding(3) var<storage, read> sin_t: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let hf = p.head_dim / 2u;
    let i = gid.x + gid.y * nwg.x * WG;
    // One invocation per (row, Q-or-K head, pair).
    if (i >= p.rows * 2u * p.heads * hf) { return; }
    let pair = i % hf;
    let head = (i / hf) % (2u * p.heads);
    let row = i / (hf * 2u * p.heads);
    let pos = row % p.seq;
    let base = row * 3u * p.heads * p.head_dim + head * p.head_dim;
    let a = qkv[base + pair];
    let b = qkv[base + pair + hf];
    let t = pos * p.head_dim;
    qkv[base + pair] = a * cos_t[t + pair] - b * sin_t[t + pair];
    qkv[base + pair + hf] = b * cos_t[t + pair + hf] + a * sin_t[t + pair + hf];
}
