//! The matrix product of every projection and MLP: C = A @ W^T over strided views of A and
//! C, optionally accumulated into C; SwiGLU's gated first half in one dispatch; and a
//! post-norm block's end, C <- RMSNorm(C + A @ W^T) along each output row, in one dispatch.
//! shaders/matmul.wgsl has the kernels.

use bytemuck::{Pod, Zeroable};

use super::{f32s, u, wide, Builder, Kernel, Shader, Work};
use crate::error::{Result, TrmError};

/// The engine's tile: output rows, output columns and K-steps of one workgroup.
pub const TM: u32 = 64;
pub const TN: u32 = 64;
pub const TK: u32 = 16;

const STRIDED: &str = include_str!("../../../../shaders/matmul_strided.wgsl");
const VEC4: &str = include_str!("../../../../shaders/matmul_vec4.wgsl");

pub const SHADER: Shader = Shader {
    name: "matmul",
    source: include_str!("../../../../shaders/matmul.wgsl"),
    consts: &[("TM", TM), ("TN", TN), ("TK", TK)],
    parts: &[("blocks", Tile::DEFAULT.blocks.wgsl())],
    weights: true,
};

/// A workgroup's tile, TM x TN outputs in K-steps of TK; each invocation holds a 4 x 4 block
/// of it, so a workgroup is (TN/4) x (TM/4) invocations. The engine runs [`Tile::DEFAULT`];
/// `trm bench --tile` runs another, for tiling studies on a real GPU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tile {
    pub tm: u32,
    pub tn: u32,
    pub tk: u32,
    pub blocks: Blocks,
}

/// Where an invocation's 4 x 4 block lies in the tile, and so the tiles' layout in workgroup
/// memory (the shader's `blocks` part). The engine's is `Vec4`: on lavapipe it halves a step
/// (BENCHMARKS.md, "WebGPU: blocks read as vec4s"); `Strided` stays for the comparison on a
/// real GPU (`trm bench --tile 64x64x16`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blocks {
    /// Rows and columns a quarter of the tile apart, read as scalars (shaders/matmul_strided.wgsl).
    Strided,
    /// Four contiguous rows and columns, read as vec4s (shaders/matmul_vec4.wgsl); written
    /// "v4" after the tile's sides.
    Vec4,
}

impl Blocks {
    /// What follows a tile's sides in its text.
    pub const fn suffix(self) -> &'static str {
        match self {
            Blocks::Strided => "",
            Blocks::Vec4 => "v4",
        }
    }

    /// The shader's `blocks` part.
    pub const fn wgsl(self) -> &'static str {
        match self {
            Blocks::Strided => STRIDED,
            Blocks::Vec4 => VEC4,
        }
    }
}

impl Tile {
    pub const DEFAULT: Tile = Tile { tm: TM, tn: TN, tk: TK, blocks: Blocks::Vec4 };

    /// The host's constants for the shader's text.
    pub fn consts(self) -> [(&'static str, u32); 3] {
        [("TM", self.tm), ("TN", self.tn), ("TK", self.tk)]
    }

    /// The host's parts for the shader's text.
    pub fn parts(self) -> [(&'static str, &'static str); 1] {
        [("blocks", self.blocks.wgsl())]
    }

    /// The shader's text for this tile.
    pub fn wgsl(self, f16_weights: bool) -> String {
        SHADER.wgsl_with(f16_weights, &self.consts(), &self.parts())
    }

    /// In u64, as the byte count: sides a person typed may overflow u32 products.
    pub fn invocations(self) -> u64 {
        u64::from(self.tn / 4) * u64::from(self.tm / 4)
    }

    /// Workgroup memory of the entry point that uses most: `residual_norm`'s A and W tiles
    /// (rows padded by one element, or one vec4) and its row sums (shaders/matmul*.wgsl; a test
    /// holds the two to agree).
    pub fn workgroup_bytes(self) -> u64 {
        let (tm, tn, tk) = (u64::from(self.tm), u64::from(self.tn), u64::from(self.tk));
        let pad = match self.blocks {
            Blocks::Strided => 1,
            Blocks::Vec4 => 4,
        };
        4 * (tk * (tm + pad + tn + pad) + tm * (tn / 4))
    }

    /// Why this tile cannot run on a device with `limits`, if it cannot: the shader's own
    /// conditions (its `const_assert`s) and the device's workgroup limits.
    pub fn check(self, limits: &wgpu::Limits) -> Result<()> {
        let Tile { tm, tn, tk, .. } = self;
        let bad = |why: String| Err(TrmError::Options(format!("tile {self}: {why}")));
        if tm == 0 || tn == 0 || tk == 0 || tm % 4 != 0 || tn % 8 != 0 {
            return bad("TM must be a positive multiple of 4 and TN of 8".into());
        }
        let threads = self.invocations();
        let most = u64::from(limits.max_compute_invocations_per_workgroup);
        if threads > most || tn / 4 > limits.max_compute_workgroup_size_x || tm / 4 > limits.max_compute_workgroup_size_y {
            return bad(format!("{threads} invocations a workgroup ((TN/4) x (TM/4)); this device allows {most}"));
        }
        let (tk, tm, tn) = (u64::from(tk), u64::from(tm), u64::from(tn));
        if (tk * tm) % threads != 0 || (tk * tn) % threads != 0 {
            return bad(format!("TK x TM and TK x TN must be multiples of the {threads} invocations that load them"));
        }
        let bytes = self.workgroup_bytes();
        if bytes > u64::from(limits.max_compute_workgroup_storage_size) {
            return bad(format!("{bytes} bytes of workgroup memory; this device allows {}", limits.max_compute_workgroup_storage_size));
        }
        Ok(())
    }
}

impl std::fmt::Display for Tile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}x{}x{}{}", self.tm, self.tn, self.tk, self.blocks.suffix())
    }
}

impl std::str::FromStr for Tile {
    type Err = TrmError;

    /// "TMxTNxTK", as 64x64x16, with "v4" after it for [`Blocks::Vec4`].
    fn from_str(text: &str) -> Result<Tile> {
        let (sides, blocks) = match text.trim().strip_suffix(Blocks::Vec4.suffix()) {
            Some(sides) => (sides, Blocks::Vec4),
            None => (text, Blocks::Strided),
        };
        let parts: Vec<Option<u32>> = sides.split('x').map(|p| p.trim().parse().ok()).collect();
        match parts[..] {
            [Some(tm), Some(tn), Some(tk)] => Ok(Tile { tm, tn, tk, blocks }),
            _ => Err(TrmError::Options(format!(
                "tile `{text}`: write rows x columns x K-step, as {TM}x{TN}x{TK}, and v4 after it for blocks read as vec4s"
            ))),
        }
    }
}

/// The shader's `Params`: sizes, then the element offset and row, column and batch strides
/// of A and C, and the weight's element offset.
#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable, Default)]
pub struct Params {
    pub m: u32,
    pub n: u32,
    pub k: u32,
    pub accumulate: u32,
    pub a_off: u32,
    pub a_rs: u32,
    pub a_cs: u32,
    pub a_bs: u32,
    pub c_off: u32,
    pub c_rs: u32,
    pub c_cs: u32,
    pub c_bs: u32,
    pub w_off: u32,
    /// RMSNorm's epsilon (`residual_norm` only).
    pub eps: f32,
    pub _pad: [u32; 2],
}

/// Row-major [m, k] @ W^T -> [m, n] (optionally accumulated), no batch dimension.
pub fn rows(m: usize, k: usize, n: usize, accumulate: bool) -> Params {
    Params { m: u(m), n: u(n), k: u(k), accumulate: u32::from(accumulate), a_rs: u(k), a_cs: 1, c_rs: u(n), c_cs: 1, ..Default::default() }
}

/// The profile's account of a product of `p`'s sizes with `cols` weight rows (the product's
/// columns), of which `p.n` per row reach C: 2 M cols K flops; A, the weight and C once, and C
/// read too where the product adds into it.
fn work(b: &Builder, p: &Params, cols: u32, adds_into_c: bool, batch: usize) -> Work {
    let (m, n, k, cols, puzzles) = (u64::from(p.m), u64::from(p.n), u64::from(p.k), u64::from(cols), wide(batch));
    let c = f32s(m * n) * if adds_into_c { 2 } else { 1 };
    Work::new(format!("{m}x{cols}x{k}"), batch, 2 * m * cols * k * puzzles, (f32s(m * k) + c) * puzzles + b.weights(cols * k))
}

/// C = A @ W^T (+ C), `batch` times along the views' batch strides.
pub fn matmul(b: &mut Builder, a: &wgpu::Buffer, w: &wgpu::Buffer, c: &wgpu::Buffer, p: Params, batch: usize) {
    let [gx, gy] = b.per_group(Kernel::Matmul);
    let groups = [p.n.div_ceil(gx), p.m.div_ceil(gy), u(batch)];
    let work = work(b, &p, p.n, p.accumulate != 0, batch);
    b.push(Kernel::Matmul, p, &[(1, a), (2, w), (3, c)], groups, work);
}

/// C <- RMSNorm(C + A @ W^T) along each of the `p.m` output rows of `p.n` values (RMSNorm
/// without gain, as every block of the model ends): one workgroup per TM whole rows.
pub fn residual_norm(b: &mut Builder, a: &wgpu::Buffer, w: &wgpu::Buffer, c: &wgpu::Buffer, p: Params, eps: f32, batch: usize) {
    let [_, gy] = b.per_group(Kernel::MatmulNorm);
    let groups = [1, p.m.div_ceil(gy), u(batch)];
    let work = work(b, &p, p.n, true, batch);
    b.push(Kernel::MatmulNorm, Params { eps, ..p }, &[(1, a), (2, w), (3, c)], groups, work);
}

/// act = silu(A @ W_gate^T) * (A @ W_up^T), where `w` holds 2 * p.n rows (gate, then up)
/// and `p.n` is SwiGLU's inner width.
pub fn gated(b: &mut Builder, a: &wgpu::Buffer, w: &wgpu::Buffer, act: &wgpu::Buffer, p: Params, batch: usize) {
    let [gx, gy] = b.per_group(Kernel::MatmulGated);
    let groups = [p.n.div_ceil(gx), p.m.div_ceil(gy), u(batch)];
    let work = work(b, &p, 2 * p.n, false, batch);
    b.push(Kernel::MatmulGated, p, &[(1, a), (2, w), (3, act)], groups, work);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A uniform block the shader reads at other offsets than the Rust side writes would
    /// silently feed the kernel wrong sizes.
    #[test]
    fn params_match_the_shaders_uniform_block() {
        let rust = rust_params!(Params { m, n, k, accumulate, a_off, a_rs, a_cs, a_bs, c_off, c_rs, c_cs, c_bs, w_off, eps });
        assert_eq!(super::super::testing::wgsl_params(&SHADER), rust);
    }

    /// The shader states what its 4 x 4 blocks need of the tile; a tile it cannot share out
    /// is refused when it compiles, not computed wrong, and `Tile::check` refuses it first
    /// with a reason.
    #[test]
    fn a_tile_the_shader_cannot_split_does_not_compile() {
        let ok = naga::front::wgsl::parse_str(&SHADER.wgsl(false));
        assert!(ok.is_ok(), "{:?}", ok.err());
        let limits = wgpu::Limits::default();
        for blocks in [Blocks::Strided, Blocks::Vec4] {
            for tile in [Tile { tm: 64, tn: 60, tk: 16, blocks }, Tile { tm: 64, tn: 64, tk: 15, blocks }] {
                assert!(naga::front::wgsl::parse_str(&tile.wgsl(false)).is_err(), "{tile:?} compiled");
                assert!(tile.check(&limits).is_err(), "{tile:?} passed the check");
            }
        }
    }

    /// The workgroup memory the check counts is what the shader declares, for every tile.
    #[test]
    fn workgroup_bytes_are_the_shaders() {
        for text in ["64x64x16", "32x128x16", "16x64x32", "64x64x16v4", "32x128x16v4", "16x64x32v4"] {
            let tile: Tile = text.parse().unwrap();
            let module = naga::front::wgsl::parse_str(&tile.wgsl(false)).unwrap();
            let bytes: u64 = module
                .global_variables
                .iter()
                .filter(|(_, g)| g.space == naga::AddressSpace::WorkGroup)
                .map(|(_, g)| u64::from(module.types[g.ty].inner.size(module.to_ctx())))
                .sum();
            assert_eq!(tile.workgroup_bytes(), bytes, "{tile}");
        }
    }

    /// Tiles within WebGPU's default limits pass and compile; one over a limit is refused with
    /// the limit named; text that is not a tile is an error that shows the form.
    #[test]
    fn tiles_are_checked_against_the_device_and_read_from_text() {
        let limits = wgpu::Limits::default();
        for text in ["64x64x16", "32x32x8", "32x128x16", "16x64x32", "64x64x16v4", "32x32x8v4"] {
            let tile: Tile = text.parse().unwrap();
            tile.check(&limits).unwrap();
            assert!(naga::front::wgsl::parse_str(&tile.wgsl(false)).is_ok(), "{text} does not compile");
            assert_eq!(tile.to_string(), text);
        }
        assert_eq!("64x64x16v4".parse::<Tile>().unwrap(), Tile::DEFAULT);
        assert_eq!("64x64x16".parse::<Tile>().unwrap(), Tile { blocks: Blocks::Strided, ..Tile::DEFAULT });
        let e = "128x64x16v4".parse::<Tile>().unwrap().check(&limits).unwrap_err().to_string();
        assert!(e.contains("512 invocations") && e.contains("allows 256"), "{e}");
        let e = "64x64x48".parse::<Tile>().unwrap().check(&limits).unwrap_err().to_string();
        assert!(e.contains("workgroup memory") && e.contains("16384"), "{e}");
        // Sides whose products overflow u32 are refused like any other tile too large.
        for text in ["4294967292x4294967288x16", "64x64x4294967295"] {
            assert!(text.parse::<Tile>().unwrap().check(&limits).is_err(), "{text}");
        }
        for text in ["64x64", "64x64x", "axbxc", "", "64x64x16v8", "v4"] {
            assert!(text.parse::<Tile>().unwrap_err().to_string().contains("64x64x16"), "{text}");
        }
    }
}
