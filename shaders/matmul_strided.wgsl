// matmul.wgsl's blocks, strided: an invocation's four rows lie WY apart in the tile and its four
// columns WX apart, so at each k the neighbouring invocations of a row read neighbouring
// scalars (8 scalar reads of workgroup memory for the block's 16 FMAs), and write C at
// neighbouring addresses.

// The tiles' rows are one element longer than the tile (AS, WS): the loads write elements TK
// apart along a row's k, which with a row of TM or TN (multiples of the 32 banks of a GPU's
// shared memory) all land in one bank and are written one at a time.
const AS: u32 = TM + 1u;
const WS: u32 = TN + 1u;
var<workgroup> a_tile: array<f32, TK * AS>; // [TK][AS]
var<workgroup> w_tile: array<f32, TK * WS>; // [TK][WS]

// Four neighbouring rows (columns) at one k: tile rows 4 mm4 .. 4 mm4 + 3.
fn put_a(kk: u32, mm4: u32, v: vec4<f32>) {
    for (var c = 0u; c < 4u; c++) { a_tile[kk * AS + mm4 * 4u + c] = v[c]; }
}

fn put_w(kk: u32, nn4: u32, v: vec4<f32>) {
    for (var c = 0u; c < 4u; c++) { w_tile[kk * WS + nn4 * 4u + c] = v[c]; }
}

fn get_a(kk: u32, y: u32) -> vec4<f32> {
    let b = kk * AS + y;
    return vec4<f32>(a_tile[b], a_tile[b + WY], a_tile[b + 2u * WY], a_tile[b + 3u * WY]);
}

fn get_w(kk: u32, x: u32) -> vec4<f32> {
    let b = kk * WS + x;
    return vec4<f32>(w_tile[b], w_tile[b + WX], w_tile[b + 2u * WX], w_tile[b + 3u * WX]);
}

fn block_row(y: u32, i: u32) -> u32 {
    return y + WY * i;
}

fn block_col(x: u32, j: u32) -> u32 {
    return x + WX * j;
}

// A gated tile's columns 0..TN/2 are gate rows, TN/2..TN the up rows paired with them:
// (output column in the tile, 1 for an up row). Block columns j = 0, 1 (< TN/2) are then
// gates and j = 2, 3 (TN/2 further) their ups.
fn gated_column(nn: u32) -> vec2<u32> {
    return vec2<u32>(nn % (TN / 2u), nn / (TN / 2u));
}

fn gated_output(x: u32, j: u32) -> u32 {
    return x + WX * j;
}
