// RMSNorm without gain, in place: each vector v is divided by sqrt(mean(v^2) + eps).
// A vector is `count` elements `elem_stride` apart starting at
//   offset + (v / inner) * outer_stride + (v % inner) * inner_stride,
// which covers both the channel axis (rows of [B*S, D]: inner = 1, outer_stride = D,
// elem_stride = 1) and the sequence axis of the token-mixing block (columns of each
// [S, D] puzzle: inner = D, inner_stride = 1, outer_stride = S*D, elem_stride = D).
// One workgroup per vector; 2-D dispatch for more than 65535 vectors. WG (its invocations) is
// defined by the host ahead of this text (crate::gpu::ops).

struct Params {
    n_vec: u32, count: u32, elem_stride: u32, inner: u32,
    inner_stride: u32, outer_stride: u32, offset: u32, eps: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> h: array<f32>;

const_assert((WG & (WG - 1u)) == 0u); // the tree reduction halves WG
var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
    let v = wg.x + wg.y * nwg.x;
    if (v >= p.n_vec) { return; } // uniform per workgroup, so barriers below stay uniform
    let base = p.offset + (v / p.inner) * p.outer_stride + (v % p.inner) * p.inner_stride;
    var s = 0.0;
    for (var i = li; i < p.count; i += WG) {
        let x = h[base + i * p.elem_stride];
        s = fma(x, x, s);
    }
    partial[li] = s;
    workgroupBarrier();
    for (var hf = WG / 2u; hf > 0u; hf /= 2u) {
        if (li < hf) { partial[li] += partial[li + hf]; }
        workgroupBarrier();
    }
    let inv = inverseSqrt(partial[0] / f32(p.count) + p.eps);
    for (var i = li; i < p.count; i += WG) {
        let idx = base + i * p.elem_stride;
        h[idx] = h[idx] * inv;
    }
}
