// matmul.wgsl's blocks, four contiguous: an invocation's four rows and four columns are
// neighbours in the tile, held as one vec4 of workgroup memory each, so at each k its block
// reads 2 vec4s for its 16 FMAs (the strided blocks read 8 scalars). C is then written
// four columns apart by neighbouring invocations.

// One vec4 of padding per tile row: the loads write vec4s TK apart along a row's k, which with
// rows of TM or TN floats would land in the same banks; one vec4 more moves each 4 banks on, so
// the 8 invocations of a 128-bit store's phase hit 8 different groups of 4 banks.
const AS4: u32 = TM / 4u + 1u;
const WS4: u32 = TN / 4u + 1u;
var<workgroup> a_tile: array<vec4<f32>, TK * AS4>; // [TK][AS4]
var<workgroup> w_tile: array<vec4<f32>, TK * WS4>; // [TK][WS4]

// Four neighbouring rows (columns) at one k, whole.
fn put_a(kk: u32, mm4: u32, v: vec4<f32>) {
    a_tile[kk * AS4 + mm4] = v;
}

fn put_w(kk: u32, nn4: u32, v: vec4<f32>) {
    w_tile[kk * WS4 + nn4] = v;
}

fn get_a(kk: u32, y: u32) -> vec4<f32> {
    return a_tile[kk * AS4 + y];
}

fn get_w(kk: u32, x: u32) -> vec4<f32> {
    return w_tile[kk * WS4 + x];
}

fn block_row(y: u32, i: u32) -> u32 {
    return 4u * y + i;
}

fn block_col(x: u32, j: u32) -> u32 {
    return 4u * x + j;
}

// A gated tile's four columns 4x..4x+3 are the gates of outputs 2x and 2x + 1, then their ups,
// so that one invocation's block holds both halves of its two outputs:
// (output column in the tile, 1 for an up row).
fn gated_column(nn: u32) -> vec2<u32> {
    return vec2<u32>(nn / 4u * 2u + nn % 2u, nn % 4u / 2u);
}

fn gated_output(x: u32, j: u32) -> u32 {
    return 2u * x + j;
}
