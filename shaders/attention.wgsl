// Non-causal multi-head attention, no mask (PAD and prefix positions attend too), over a
// fused qkv buffer [B*S, 3*H*hd] (Q heads, then K, then V), RoPE already applied.
// out[b*S + s, h*hd + d] = softmax_j(q_s . k_j / sqrt(hd)) v_j.
//
// Streaming ("online") softmax: each invocation owns one query row and walks the keys in
// tiles of TILE, rescaling its running sum and output when the running maximum grows, so
// no S x S score matrix is stored (ARC's S = 916 would need 3.4 MB per head).
// Keys and values of a tile are shared through workgroup memory: 2 x TILE x 4 HD4 x 4 B
// (8 KiB at 16 keys of 64 dims, or 32 of 32).
// WG (query rows a workgroup), TILE (keys a tile, more for narrow heads) and HD4 (the model's
// head dim in vec4s, at most 16: TRM's 64) are defined by the host ahead of this text
// (crate::gpu::ops::attention).
//
// Every loop over head dims and keys has a constant count (HD4, TILE; past the head and the
// sequence are zeros or masked scores), so that q, the running output and the tile's scores
// are indexed by constants once unrolled and live in registers; with the head dim or the
// tile's key count as bounds they were arrays indexed at run time, which GPUs keep in (local)
// memory.

struct Params {
    seq: u32, heads: u32, head_dim: u32, _pad0: u32,
    scale: f32, _pad1: u32, _pad2: u32, _pad3: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> qkv: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

// Head dims four at a time: q, the running output and the shared keys and values are vec4s, so
// a score is HD4 dot products and each update HD4 vector FMAs (a head dim that is not a
// multiple of 4 is padded with zeros, which add nothing to a score or an output).
var<workgroup> k_tile: array<vec4<f32>, TILE * HD4>; // [TILE][HD4]
var<workgroup> v_tile: array<vec4<f32>, TILE * HD4>;

// Dims 4 d4 .. 4 d4 + 3 of the head whose first dim is qkv[base], zeros past the head dim.
fn head4(base: u32, d4: u32) -> vec4<f32> {
    var v = vec4<f32>(0.0);
    for (var c = 0u; c < 4u; c++) {
        let d = d4 * 4u + c;
        if (d < p.head_dim) { v[c] = qkv[base + d]; }
    }
    return v;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let h = wg.y;
    let b = wg.z;
    let s = wg.x * WG + li;
    let hd = p.head_dim;
    let row_w = 3u * p.heads * hd;
    let valid = s < p.seq;

    var q: array<vec4<f32>, HD4>;
    var acc: array<vec4<f32>, HD4>;
    for (var d4 = 0u; d4 < HD4; d4++) {
        acc[d4] = vec4<f32>(0.0);
        q[d4] = vec4<f32>(0.0);
    }
    if (valid) {
        let qb = (b * p.seq + s) * row_w + h * hd;
        for (var d4 = 0u; d4 < HD4; d4++) { q[d4] = head4(qb, d4) * p.scale; }
    }
    var m = -3.0e38;
    var l = 0.0;

    for (var j0 = 0u; j0 < p.seq; j0 += TILE) {
        // Cooperative load of TILE keys and values, four dims an element (zeros past the end
        // of the sequence and of the head).
        for (var e = li; e < TILE * HD4; e += WG) {
            let j = j0 + e / HD4;
            let d4 = e % HD4;
            var kv = vec4<f32>(0.0);
            var vv = vec4<f32>(0.0);
            if (j < p.seq) {
                let base = (b * p.seq + j) * row_w;
                kv = head4(base + (p.heads + h) * hd, d4);
                vv = head4(base + (2u * p.heads + h) * hd, d4);
            }
            k_tile[e] = kv;
            v_tile[e] = vv;
        }
        workgroupBarrier();
        let n = min(TILE, p.seq - j0);
        var sc: array<f32, TILE>;
        var tile_max = -3.0e38;
        for (var j = 0u; j < TILE; j++) {
            var score = 0.0;
            for (var d4 = 0u; d4 < HD4; d4++) { score += dot(q[d4], k_tile[j * HD4 + d4]); }
            // Keys past the end of the sequence (the last tile) weigh nothing.
            score = select(-3.0e38, score, j < n);
            sc[j] = score;
            tile_max = max(tile_max, score);
        }
        let m_new = max(m, tile_max);
        let corr = exp(m - m_new);
        l = l * corr;
        for (var d4 = 0u; d4 < HD4; d4++) { acc[d4] = acc[d4] * corr; }
        for (var j = 0u; j < TILE; j++) {
            let e = exp(sc[j] - m_new); // 0 for a masked key
            l += e;
            for (var d4 = 0u; d4 < HD4; d4++) { acc[d4] = fma(vec4<f32>(e), v_tile[j * HD4 + d4], acc[d4]); }
        }
        m = m_new;
        workgroupBarrier();
    }

    if (valid) {
        let ob = (b * p.seq + s) * p.heads * hd + h * hd;
        let inv = 1.0 / l;
        for (var d4 = 0u; d4 < HD4; d4++) {
            for (var c = 0u; c < 4u; c++) {
                let d = d4 * 4u + c;
                if (d < hd) { out[ob + d] = acc[d4][c] * inv; }
            }
        }
    }
}
