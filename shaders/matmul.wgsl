// Tiled matrix product with a weight stored [out, in] (PyTorch's Linear layout):
//   C[b, m, n] = sum_k A[b, m, k] * W[n, k]   (+ C[b, m, n] when accumulate = 1)
// A and C are strided views (element offset, row, column and batch strides), so the
// token-mixing block reads h [S, D] as its transpose [D, S] and writes its result back
// transposed without a copy, and a residual add fuses into the product (post-norm
// blocks compute h + f(h) before their norm).
//
// WT is the weight element type: `f32`, or `f16` where the device has shader-f16 (the
// host prepends `enable f16;` and the alias). Accumulation is always f32.
//
// Tiles: TM x TN outputs per workgroup, K in steps of TK; the host defines the three ahead
// of this text (crate::gpu::ops::matmul: 64, 64, 16). Each invocation holds a 4 x 4 block,
// so a workgroup is WX x WY = TN/4 x TM/4 invocations (16 x 16 = 256, WebGPU's default
// maximum) and its memory TK x (TM + TN + 2) x 4 B (8.1 KiB; 8.5 with vec4 blocks), plus
// TM x WX x 4 B (4 KiB) for `residual_norm`'s row sums: inside WebGPU's 16 KiB default.
//
// Where a block's rows and columns lie in the tile, and so how the tiles are laid out in
// workgroup memory, is the host's choice of one of two parts appended to this text (the
// tile's `Blocks`): matmul_strided.wgsl (rows and columns WY and WX apart: each step of the
// inner loop reads 8 scalars for 16 FMAs) or matmul_vec4.wgsl (four contiguous rows and
// columns: 2 vec4 reads for the same 16). Both give `put_a`/`put_w` (four loaded neighbours
// into the tiles), `get_a`/`get_w` (a block's four values at one k), `block_row`/`block_col` and
// the gated pairing (`gated_column`, `gated_output`).
//
// `gated` is SwiGLU's first half in one dispatch: with W = gate_up [2N, K] (gate rows, then
// up rows, as the reference's chunk(2)), C[b, m, n] = silu(A W_gate^T) * (A W_up^T). A
// workgroup's TN weight columns are then TN/2 gate rows and the TN/2 up rows paired with them,
// so each invocation holds both halves of its two outputs and [gate | up] never goes to
// memory (it was written by one dispatch and read back by the next).
//
// `residual_norm` is a post-norm block's end in one dispatch: C <- RMSNorm(C + A W^T) along
// each output row (n). The norm needs whole rows, so a workgroup owns TM rows and walks
// their N columns TN at a time; a separate norm dispatch would read and write C once more.

struct Params {
    m: u32, n: u32, k: u32, accumulate: u32,
    a_off: u32, a_rs: u32, a_cs: u32, a_bs: u32,
    c_off: u32, c_rs: u32, c_cs: u32, c_bs: u32,
    w_off: u32, eps: f32, _pad1: u32, _pad2: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<WT>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

const WX: u32 = TN / 4u; // invocations along a tile's columns
const WY: u32 = TM / 4u; // and along its rows
const THREADS: u32 = WX * WY;
// Whole 4 x 4 blocks, gated tiles split in two halves of whole blocks, loads that share the
// tiles out evenly.
const_assert(TM % 4u == 0u && TN % 8u == 0u);
const_assert((TK * TM) % THREADS == 0u && (TK * TN) % THREADS == 0u);
const A_ITEMS: u32 = TK * TM / 4u; // a tile's loads, four elements each
const W_ITEMS: u32 = TK * TN / 4u;

// The 4 x 4 accumulators of this invocation for the workgroup's tile: rows m0 + block_row(lid.y,
// i), tile columns block_col(lid.x, j), where a gated tile's column t reads the weight row
// `gated_column(t)` names.
fn tile_product(m0: u32, n0: u32, a_base: u32, lid: vec3<u32>, li: u32, gated: bool) -> array<vec4<f32>, 4> {
    // Four rows of four columns per invocation, held in vectors so that no backend has
    // to keep a dynamically indexed array in memory.
    var acc0 = vec4<f32>(0.0);
    var acc1 = vec4<f32>(0.0);
    var acc2 = vec4<f32>(0.0);
    var acc3 = vec4<f32>(0.0);

    for (var k0 = 0u; k0 < p.k; k0 += TK) {
        // The tiles load four neighbouring rows (columns) at one k an item, a vec4 for
        // `put_a` (`put_w`) to store whole.
        // An `if` rather than a `break` past the last item: the barrier below must stay in
        // uniform control flow.
        for (var r = 0u; r < (A_ITEMS + THREADS - 1u) / THREADS; r++) {
            let idx = li + r * THREADS;
            if (idx < A_ITEMS) {
                // Neighbouring invocations read neighbouring addresses of A: along k for a
                // row-major view, along m for the token-mixing block's transposed one.
                var mm4 = idx / TK;
                var kk = idx % TK;
                if (p.a_cs != 1u) {
                    mm4 = idx % (TM / 4u);
                    kk = idx / (TM / 4u);
                }
                var v = vec4<f32>(0.0);
                if (k0 + kk < p.k) {
                    for (var c = 0u; c < 4u; c++) {
                        let gm = m0 + mm4 * 4u + c;
                        if (gm < p.m) { v[c] = a[a_base + gm * p.a_rs + (k0 + kk) * p.a_cs]; }
                    }
                }
                put_a(kk, mm4, v);
            }
        }
        for (var r = 0u; r < (W_ITEMS + THREADS - 1u) / THREADS; r++) {
            let idx = li + r * THREADS;
            if (idx < W_ITEMS) {
                let nn4 = idx / TK;
                let kk = idx % TK;
                var v = vec4<f32>(0.0);
                if (k0 + kk < p.k) {
                    for (var c = 0u; c < 4u; c++) {
                        // Plain: weight row n0 + nn. Gated: a gate row n0 + o or the up row
                        // p.n + n0 + o paired with it, o and which as the blocks' layout pairs them.
                        let nn = nn4 * 4u + c;
                        var col = n0 + nn;
                        var row = col;
                        if (gated) {
                            let g = gated_column(nn);
                            col = n0 + g.x;
                            row = col + g.y * p.n;
                        }
                        if (col < p.n) { v[c] = f32(w[p.w_off + row * p.k + k0 + kk]); }
                    }
                }
                put_w(kk, nn4, v);
            }
        }
        workgroupBarrier();
        for (var kk = 0u; kk < TK; kk++) {
            let av = get_a(kk, lid.y);
            let wv = get_w(kk, lid.x);
            acc0 = fma(vec4<f32>(av.x), wv, acc0);
            acc1 = fma(vec4<f32>(av.y), wv, acc1);
            acc2 = fma(vec4<f32>(av.z), wv, acc2);
            acc3 = fma(vec4<f32>(av.w), wv, acc3);
        }
        workgroupBarrier();
    }
    return array<vec4<f32>, 4>(acc0, acc1, acc2, acc3);
}

// Writes this invocation's 4 x 4 block of the tile at (m0, n0) to C, plus C's own value where
// `accumulate`. Gives each of the four rows' sum of squares of what it wrote (for
// `residual_norm`).
fn store_block(rows: array<vec4<f32>, 4>, m0: u32, n0: u32, c_base: u32, lid: vec3<u32>, accumulate: bool) -> vec4<f32> {
    var sq = vec4<f32>(0.0);
    for (var i = 0u; i < 4u; i++) {
        let gm = m0 + block_row(lid.y, i);
        if (gm >= p.m) { continue; }
        let r = rows[i];
        for (var j = 0u; j < 4u; j++) {
            let gn = n0 + block_col(lid.x, j);
            if (gn >= p.n) { continue; }
            let idx = c_base + gm * p.c_rs + gn * p.c_cs;
            var v = r[j];
            if (accumulate) { v += c[idx]; }
            c[idx] = v;
            sq[i] = fma(v, v, sq[i]);
        }
    }
    return sq;
}

@compute @workgroup_size(WX, WY, 1)
fn main(@builtin(workgroup_id) wg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
    let b = wg.z;
    let m0 = wg.y * TM;
    let n0 = wg.x * TN;
    let rows = tile_product(m0, n0, p.a_off + b * p.a_bs, lid, li, false);
    store_block(rows, m0, n0, p.c_off + b * p.c_bs, lid, p.accumulate != 0u);
}

fn silu(x: f32) -> f32 {
    return x / (1.0 + exp(-x));
}

// TM rows x TN/2 outputs per workgroup; p.n is the SwiGLU inner width.
@compute @workgroup_size(WX, WY, 1)
fn gated(@builtin(workgroup_id) wg: vec3<u32>,
         @builtin(local_invocation_id) lid: vec3<u32>,
         @builtin(local_invocation_index) li: u32) {
    let b = wg.z;
    let m0 = wg.y * TM;
    let n0 = wg.x * (TN / 2u);
    let rows = tile_product(m0, n0, p.a_off + b * p.a_bs, lid, li, true);
    for (var i = 0u; i < 4u; i++) {
        let gm = m0 + block_row(lid.y, i);
        if (gm >= p.m) { continue; }
        // The block's columns j = 0, 1 are the gates of two outputs, j = 2, 3 their ups.
        let r = rows[i];
        for (var j = 0u; j < 2u; j++) {
            let gn = n0 + gated_output(lid.x, j);
            if (gn >= p.n) { continue; }
            c[p.c_off + b * p.c_bs + gm * p.c_rs + gn * p.c_cs] = silu(r[j]) * r[j + 2u];
        }
    }
}

// TM whole rows per workgroup (wg.x = 0): the residual sums go to C as the column blocks are
// done, each invocation keeping the sum of squares of its four rows' share; the rows' sums
// are then put together in workgroup memory and each invocation rescales what it wrote.
var<workgroup> row_sq: array<f32, TM * WX>; // [row of the tile][invocation along the row]

@compute @workgroup_size(WX, WY, 1)
fn residual_norm(@builtin(workgroup_id) wg: vec3<u32>,
                 @builtin(local_invocation_id) lid: vec3<u32>,
                 @builtin(local_invocation_index) li: u32) {
    let b = wg.z;
    let m0 = wg.y * TM;
    let c_base = p.c_off + b * p.c_bs;
    var sq = vec4<f32>(0.0);
    for (var n0 = 0u; n0 < p.n; n0 += TN) {
        let rows = tile_product(m0, n0, p.a_off + b * p.a_bs, lid, li, false);
        sq += store_block(rows, m0, n0, c_base, lid, true);
    }
    for (var i = 0u; i < 4u; i++) {
        row_sq[block_row(lid.y, i) * WX + lid.x] = sq[i];
    }
    workgroupBarrier();
    for (var i = 0u; i < 4u; i++) {
        let gm = m0 + block_row(lid.y, i);
        if (gm >= p.m) { continue; }
        var total = 0.0;
        for (var x = 0u; x < WX; x++) {
            total += row_sq[block_row(lid.y, i) * WX + x];
        }
        let inv = inverseSqrt(total / f32(p.n) + p.eps);
        for (var n0 = 0u; n0 < p.n; n0 += TN) {
            for (var j = 0u; j < 4u; j++) {
                let gn = n0 + block_col(lid.x, j);
                if (gn >= p.n) { continue; }
                let idx = c_base + gm * p.c_rs + gn * p.c_cs;
                c[idx] = c[idx] * inv;
            }
        }
    }
}
