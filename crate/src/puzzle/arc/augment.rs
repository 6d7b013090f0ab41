use std::fmt;

use super::{Grid, COLOURS, PUZZLE_ID_SEPARATOR};

// ---------------------------------------------------------------------------------------------
// Augmentation
// ---------------------------------------------------------------------------------------------

use crate::rng::Rng;

/// The eight symmetries of the square, in the reference's order: `id()` is its `trans_id`, and
/// the directions match numpy (`Rot90` is `np.rot90(k=1)`, a quarter turn counter-clockwise;
/// `FlipHorizontal` is `np.fliplr`, mirroring left and right). Getting these wrong would still
/// round-trip but would mislabel every augmented puzzle of a reference checkpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Dihedral {
    #[default]
    Identity,
    /// Counter-clockwise quarter turn: the top row becomes the left column, read bottom-up.
    Rot90,
    Rot180,
    /// Clockwise quarter turn.
    Rot270,
    /// Left and right swap.
    FlipHorizontal,
    /// Top and bottom swap.
    FlipVertical,
    /// Mirror in the main diagonal: row r becomes column r.
    Transpose,
    /// Mirror in the other diagonal (`np.fliplr(np.rot90(a))`).
    AntiTranspose,
}

impl Dihedral {
    /// In reference order, so `ALL[d.id() as usize] == d`.
    pub const ALL: [Dihedral; 8] = [
        Dihedral::Identity,
        Dihedral::Rot90,
        Dihedral::Rot180,
        Dihedral::Rot270,
        Dihedral::FlipHorizontal,
        Dihedral::FlipVertical,
        Dihedral::Transpose,
        Dihedral::AntiTranspose,
    ];

    /// The reference's `trans_id`, 0..=7.
    pub fn id(self) -> u8 {
        self as u8
    }

    pub fn from_id(id: u8) -> Option<Dihedral> {
        Dihedral::ALL.get(id as usize).copied()
    }

    pub fn name(self) -> &'static str {
        match self {
            Dihedral::Identity => "identity",
            Dihedral::Rot90 => "rot90",
            Dihedral::Rot180 => "rot180",
            Dihedral::Rot270 => "rot270",
            Dihedral::FlipHorizontal => "flip-horizontal",
            Dihedral::FlipVertical => "flip-vertical",
            Dihedral::Transpose => "transpose",
            Dihedral::AntiTranspose => "anti-transpose",
        }
    }

    /// Only the quarter turns are not their own inverse.
    pub fn inverse(self) -> Dihedral {
        match self {
            Dihedral::Rot90 => Dihedral::Rot270,
            Dihedral::Rot270 => Dihedral::Rot90,
            other => other,
        }
    }

    /// True when an h x w grid comes out w x h.
    pub fn swaps_sides(self) -> bool {
        matches!(
            self,
            Dihedral::Rot90 | Dihedral::Rot270 | Dihedral::Transpose | Dihedral::AntiTranspose
        )
    }

    /// The input cell that output cell (`i`, `j`) copies, for an `h` x `w` input.
    pub fn source(self, i: usize, j: usize, h: usize, w: usize) -> (usize, usize) {
        match self {
            Dihedral::Identity => (i, j),
            Dihedral::Rot90 => (j, w - 1 - i),
            Dihedral::Rot180 => (h - 1 - i, w - 1 - j),
            Dihedral::Rot270 => (h - 1 - j, i),
            Dihedral::FlipHorizontal => (i, w - 1 - j),
            Dihedral::FlipVertical => (h - 1 - i, j),
            Dihedral::Transpose => (j, i),
            Dihedral::AntiTranspose => (h - 1 - j, w - 1 - i),
        }
    }

    /// The transformed grid. Works for any size; a hand-built grid whose `cells` do not hold
    /// `h * w` values is returned unchanged.
    pub fn apply(self, g: &Grid) -> Grid {
        // An empty hand-built grid could claim usize::MAX rows; there is nothing to move anyway.
        if !g.is_consistent() || g.cells.is_empty() || self == Dihedral::Identity {
            return g.clone();
        }
        let (h, w) = (g.h, g.w);
        let (oh, ow) = if self.swaps_sides() { (w, h) } else { (h, w) };
        let mut cells = Vec::with_capacity(g.cells.len());
        for i in 0..oh {
            for j in 0..ow {
                let (r, c) = self.source(i, j, h, w);
                cells.push(g.cells[r * w + c]);
            }
        }
        Grid {
            h: oh,
            w: ow,
            cells,
        }
    }
}

impl fmt::Display for Dihedral {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A relabelling of colours: colour `c` becomes `self.0[c]`. A valid one is a permutation that
/// keeps 0 (black, usually the background) fixed, as in the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ColourPerm(pub [u8; COLOURS]);

impl ColourPerm {
    pub const IDENTITY: ColourPerm = ColourPerm([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    /// The map if it is valid, else None.
    pub fn new(map: [u8; COLOURS]) -> Option<ColourPerm> {
        let p = ColourPerm(map);
        p.is_valid().then_some(p)
    }

    pub fn is_valid(&self) -> bool {
        let mut sorted = self.0;
        sorted.sort_unstable();
        self.0[0] == 0 && sorted == ColourPerm::IDENTITY.0
    }

    /// 0 fixed, 1..=9 shuffled uniformly.
    pub fn random(rng: &mut Rng) -> ColourPerm {
        let mut map = ColourPerm::IDENTITY.0;
        for i in (2..COLOURS).rev() {
            // Fisher-Yates over indices 1..=i, leaving 0 alone.
            let j = 1 + rng.below(i);
            map.swap(i, j);
        }
        ColourPerm(map)
    }

    /// The relabelled grid. Cells outside 0..=9 (hand-built grids only) are left as they are.
    pub fn apply(&self, g: &Grid) -> Grid {
        Grid {
            h: g.h,
            w: g.w,
            cells: g
                .cells
                .iter()
                .map(|&c| self.0.get(c as usize).copied().unwrap_or(c))
                .collect(),
        }
    }

    /// The map undoing this one. For an invalid map the result is meaningless but well defined.
    pub fn inverse(&self) -> ColourPerm {
        let mut inv = [0u8; COLOURS];
        for (c, &to) in self.0.iter().enumerate() {
            inv[to as usize % COLOURS] = c as u8;
        }
        ColourPerm(inv)
    }
}

impl Default for ColourPerm {
    fn default() -> Self {
        ColourPerm::IDENTITY
    }
}

/// One augmentation of the reference: relabel colours, then apply a dihedral transform (the two
/// commute, so the order only matters for reading the code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Augmentation {
    pub dihedral: Dihedral,
    pub colours: ColourPerm,
}

impl Augmentation {
    pub const IDENTITY: Augmentation = Augmentation {
        dihedral: Dihedral::Identity,
        colours: ColourPerm::IDENTITY,
    };

    /// The eight dihedral transforms with colours unchanged, the usual test-time set.
    pub fn all_dihedral() -> [Augmentation; 8] {
        Dihedral::ALL.map(|dihedral| Augmentation {
            dihedral,
            colours: ColourPerm::IDENTITY,
        })
    }

    /// A uniform dihedral transform and colour permutation, as the reference draws them.
    pub fn random(rng: &mut Rng) -> Augmentation {
        let dihedral = Dihedral::ALL[rng.below(8)];
        Augmentation {
            dihedral,
            colours: ColourPerm::random(rng),
        }
    }

    pub fn is_identity(&self) -> bool {
        *self == Augmentation::IDENTITY
    }

    pub fn apply(&self, g: &Grid) -> Grid {
        self.dihedral.apply(&self.colours.apply(g))
    }

    /// The augmentation undoing this one: `a.inverse().apply(&a.apply(g)) == g`.
    pub fn inverse(&self) -> Augmentation {
        Augmentation {
            dihedral: self.dihedral.inverse(),
            colours: self.colours.inverse(),
        }
    }

    /// The reference's name for `task` under this augmentation, which is how a reference
    /// checkpoint's `identifiers.json` finds the puzzle-embedding row:
    /// `{task}|||t{dihedral id}|||{colour map digits}`, and the bare task id for the identity.
    pub fn puzzle_name(&self, task: &str) -> String {
        if self.is_identity() {
            return task.to_string();
        }
        let digits: String = self.colours.0.iter().map(|c| c.to_string()).collect();
        format!(
            "{task}{sep}t{}{sep}{digits}",
            self.dihedral.id(),
            sep = PUZZLE_ID_SEPARATOR
        )
    }

    /// Splits a reference puzzle name into the task id and its augmentation; a name without the
    /// separator is the un-augmented task. None when the suffix is malformed.
    pub fn from_puzzle_name(name: &str) -> Option<(&str, Augmentation)> {
        let parts: Vec<&str> = name.split(PUZZLE_ID_SEPARATOR).collect();
        match parts.as_slice() {
            [task] => Some((task, Augmentation::IDENTITY)),
            [task, trans, map] => {
                let id: u8 = trans.strip_prefix('t')?.parse().ok()?;
                let dihedral = Dihedral::from_id(id)?;
                if map.len() != COLOURS {
                    return None;
                }
                let mut colours = [0u8; COLOURS];
                for (slot, ch) in colours.iter_mut().zip(map.chars()) {
                    *slot = ch.to_digit(10)? as u8;
                }
                Some((
                    task,
                    Augmentation {
                        dihedral,
                        colours: ColourPerm::new(colours)?,
                    },
                ))
            }
            _ => None,
        }
    }
}

/// The augmentations a task's test input runs under at evaluation, each with the puzzle-table
/// row it uses, identity first. A model trained the reference's way has a row for every
/// (task, augmentation) it saw, so those are taken, in table order, up to `k`. A model without
/// rows for the task (or without a puzzle table) runs the eight dihedral transforms and then
/// seeded random colour permutations, all on row 0, the reference's blank puzzle.
pub fn test_plan(rows: Option<&[String]>, task: &str, k: usize, seed: u64) -> Vec<(Augmentation, u32)> {
    let mut plan: Vec<(Augmentation, u32)> = rows
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter_map(|(i, name)| match Augmentation::from_puzzle_name(name) {
            Some((t, aug)) if t == task => Some((aug, i as u32)),
            _ => None,
        })
        .collect();
    // Stable: identity first, the rest keep table order.
    plan.sort_by_key(|(aug, _)| !aug.is_identity());
    if plan.is_empty() {
        let mut rng = Rng::new(seed ^ task.bytes().fold(0u64, |h, b| h.wrapping_mul(131).wrapping_add(b as u64)));
        plan.extend(Augmentation::all_dihedral().into_iter().map(|a| (a, 0)));
        // Distinct draws only; the cap keeps a k beyond the 8 x 9! augmentations finite.
        let mut tries = 0;
        while plan.len() < k && tries < 64 * k {
            let a = Augmentation::random(&mut rng);
            if !plan.iter().any(|(b, _)| *b == a) {
                plan.push((a, 0));
            }
            tries += 1;
        }
    }
    plan.truncate(k.max(1));
    plan
}
