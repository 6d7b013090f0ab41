// Input embedding x [B, S, D]: K prefix rows holding the puzzle's embedding (P values,
// zero-padded to K*D), then the token embeddings, all scaled by sqrt(D); with learned
// positions x = sqrt(D) * 0.7071 * (e + pos) as the reference.
// WG (invocations a workgroup) is defined by the host ahead of this text (crate::gpu::ops).

struct Params {
    batch: u32, seq: u32, prefix: u32, width: u32,
    cells: u32, emb_dim: u32, learned_pos: u32, _pad0: u32,
    scale: f32, _pad1: u32, _pad2: u32, _pad3: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> tokens: array<u32>;
@group(0) @binding(2) var<storage, read> ids: array<u32>;
@group(0) @binding(3) var<storage, read> embed: array<WT>;
@group(0) @binding(4) var<storage, read> puzzle: array<WT>;
@group(0) @binding(5) var<storage, read> pos: array<WT>;
@group(0) @binding(6) var<storage, read_write> x: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = gid.x + gid.y * nwg.x * WG;
    if (i >= p.batch * p.seq * p.width) { return; }
    let d = i % p.width;
    let s = (i / p.width) % p.seq;
    let b = i / (p.width * p.seq);
    var v = 0.0;
    if (s < p.prefix) {
        let e = s * p.width + d;
        if (e < p.emb_dim) { v = f32(puzzle[ids[b] * p.emb_dim + e]); }
    } else {
        let t = tokens[b * p.cells + s - p.prefix];
        v = f32(embed[t * p.width + d]);
    }
    if (p.learned_pos != 0u) { v = 0.707106781 * (v + f32(pos[s * p.width + d])); }
    x[i] = p.scale * v;
}
