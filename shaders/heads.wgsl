// The output heads on y [B, S, D]:
// - lm_head: logits of each grid cell (rows K..S of each puzzle), its argmax (first
//   maximum, as torch.argmax) and the softmax probability of that token. Tokens may go to
//   an offset of the output buffer, so per-H-cycle answers of every chunk land in place.
// - q_head: (q_halt, q_continue) from the first row of each puzzle.
// Vocabularies are small (6 to 12 tokens), so one invocation per cell loops over them.
// WG (invocations a workgroup) is defined by the host ahead of this text (crate::gpu::ops).

struct Params {
    batch: u32, seq: u32, prefix: u32, cells: u32,
    width: u32, vocab: u32, out_offset: u32, logits_offset: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> y: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<WT>;
@group(0) @binding(3) var<storage, read_write> logits: array<f32>;
@group(0) @binding(4) var<storage, read_write> tokens: array<u32>;
@group(0) @binding(5) var<storage, read_write> probs: array<f32>;

@compute @workgroup_size(WG)
fn lm_head(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = gid.x + gid.y * nwg.x * WG;
    if (i >= p.batch * p.cells) { return; }
    let b = i / p.cells;
    let cell = i % p.cells;
    let row = (b * p.seq + p.prefix + cell) * p.width;
    let lo = p.logits_offset + i * p.vocab;
    var best = 0u;
    var best_v = -3.0e38;
    for (var v = 0u; v < p.vocab; v++) {
        var dot = 0.0;
        for (var d = 0u; d < p.width; d++) { dot = fma(y[row + d], f32(w[v * p.width + d]), dot); }
        logits[lo + v] = dot;
        if (dot > best_v) {
            best_v = dot;
            best = v;
        }
    }
    var sum = 0.0;
    for (var v = 0u; v < p.vocab; v++) { sum += exp(logits[lo + v] - best_v); }
    tokens[p.out_offset + i] = best;
    probs[p.out_offset + i] = 1.0 / sum;
}

@group(0) @binding(6) var<storage, read> q_bias: array<f32>;
@group(0) @binding(7) var<storage, read_write> q_out: array<f32>;

// One invocation per (puzzle, q index): q[b, j] = y[b, 0] . W_q[j] + bias[j], with the Q
// head's weight bound as `w`. Uses batch, seq, width and out_offset of the parameters.
@compute @workgroup_size(WG)
fn q_head(@builtin(global_invocation_id) gid: vec3<u32>) {
    let i = gid.x;
    if (i >= p.batch * 2u) { return; }
    let b = i / 2u;
    let j = i % 2u;
    let row = b * p.seq * p.width;
    var dot = 0.0;
    for (var d = 0u; d < p.width; d++) { dot = fma(y[row + d], f32(w[j * p.width + d]), dot); }
    q_out[(p.out_offset + b) * 2u + j] = dot + q_bias[j];
}
