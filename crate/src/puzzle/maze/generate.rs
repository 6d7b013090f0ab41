use super::path::{bfs, UNREACHED};
use super::{Cell, Maze, CELLS, HARD_MIN_LEN, SIDE};

// ---------------------------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------------------------

use crate::rng::{below, Rng};

/// Grids tried before [`generate`] settles for the longest path it has seen. With
/// `min_len = 110` about one grid in 2500 qualifies, so this fails about once in e^20 calls.
const GENERATE_ATTEMPTS: usize = 50_000;

fn build(side: usize, walls: &[bool], route: &[usize]) -> (Maze, Maze) {
    let mut question = Maze {
        side,
        cells: walls.iter().map(|&w| if w { Cell::Wall } else { Cell::Open }).collect(),
    };
    let (Some(&s), Some(&g)) = (route.first(), route.last()) else {
        return (question.clone(), question);
    };
    question.cells[s] = Cell::Start;
    question.cells[g] = Cell::Goal;
    let mut answer = question.clone();
    for &i in route.iter().skip(1).take(route.len().saturating_sub(2)) {
        answer.cells[i] = Cell::Path;
    }
    (question, answer)
}

/// The largest `min_len` the command line and the page accept: past about 140 almost every
/// random 30x30 grid fails, and past 200 the generator would only hand back the longest path
/// it found, shorter than asked.
pub const MAX_MIN_LEN: usize = 200;

/// A random 30x30 maze like Maze-Hard and its answer (one shortest path drawn in `o`), with a
/// shortest path of more than `min_len` cells.
///
/// "Like Maze-Hard" means matching what the Maze-Hard training split shows: walls are scattered
/// independently (the share of all-open 2x2 blocks there is 0.158, against 0.160 expected for
/// independent cells at its wall density), there is no border wall, S and G are placed without
/// regard to each other (some are only 2 steps apart, walls ignored) and only mazes with long
/// shortest paths are kept. So each try draws a wall density uniformly in 30%..50%, makes every
/// cell a wall with that probability, puts S on a random open cell and G on a random open cell
/// whose shortest path from S is longer than `min_len`; grids with no such cell are redrawn
/// (about 2500 of them per maze at `min_len = 110`, some 40 ms in a release build). Over 100
/// mazes at `min_len = 110` the wall fraction is 0.310/0.371/0.421 (min/mean/max) and the path
/// length 111/113.1/127, against 0.277/0.371/0.450 and 108/113.1/145 in the dataset.
///
/// Long paths are rare in such grids: beyond about 140 cells almost every grid fails, and after
/// 50 000 grids this returns the longest path it found, which is then shorter than
/// asked for. Check `shortest_len` when asking for more than `HARD_MIN_LEN`.
pub fn generate(rng: &mut Rng, min_len: usize) -> (Maze, Maze) {
    generate_within(&mut || rng.next_u64(), min_len, GENERATE_ATTEMPTS)
}

pub(super) fn generate_within(rng: &mut impl FnMut() -> u64, min_len: usize, attempts: usize) -> (Maze, Maze) {
    // Path cells are one fewer than moves, so "more than min_len cells" is "at least min_len + 2
    // moves"; BFS distances are at most 899, so a larger bound simply never succeeds.
    let need = min_len.saturating_add(2).min(u16::MAX as usize) as u16;
    let mut best: Option<(u16, Vec<bool>, Vec<usize>)> = None;
    let mut walls = vec![false; CELLS];
    let mut open = Vec::with_capacity(CELLS);
    for _ in 0..attempts {
        // Top 53 bits as a fraction in [0, 1), then a threshold on whole u64 draws per cell.
        let density = 0.30 + 0.20 * ((rng() >> 11) as f64 / (1u64 << 53) as f64);
        let threshold = (density * u64::MAX as f64) as u64;
        open.clear();
        for (i, wall) in walls.iter_mut().enumerate() {
            *wall = rng() < threshold;
            if !*wall {
                open.push(i);
            }
        }
        if open.len() < 2 {
            continue;
        }
        let passable: Vec<bool> = walls.iter().map(|w| !w).collect();
        let s = open[below(rng, open.len())];
        let tree = bfs(&passable, SIDE, s);
        let far = open
            .iter()
            .map(|&i| tree.dist[i])
            .filter(|&d| d != UNREACHED)
            .max()
            .unwrap_or(0);
        if far >= need {
            let candidates: Vec<usize> = open
                .iter()
                .copied()
                .filter(|&i| tree.dist[i] != UNREACHED && tree.dist[i] >= need)
                .collect();
            let pick = candidates.get(below(rng, candidates.len()));
            if let Some(route) = pick.and_then(|&g| tree.route(g)) {
                return build(SIDE, &walls, &route);
            }
        }
        if far > 0 && best.as_ref().is_none_or(|(d, _, _)| far > *d) {
            if let Some(g) = open.iter().copied().find(|&i| tree.dist[i] == far) {
                if let Some(route) = tree.route(g) {
                    best = Some((far, walls.clone(), route));
                }
            }
        }
    }
    match best {
        Some((_, walls, route)) => build(SIDE, &walls, &route),
        // Only if every grid was (nearly) all wall, which a 30..50% density never gives; an open
        // maze with S and G in opposite corners keeps this total.
        None => {
            let route: Vec<usize> = (0..SIDE)
                .chain((1..SIDE).map(|r| r * SIDE + SIDE - 1))
                .collect();
            build(SIDE, &[false; CELLS], &route)
        }
    }
}

/// A request for generated mazes, checked once for the command line and the page alike: side
/// 30 gives Maze-Hard-like mazes ([`generate`]), an odd side from 5 to 29 corridor mazes
/// ([`generate_corridors`]), each with a shortest path of more than `min_len` cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerateRequest {
    side: usize,
    min_len: usize,
}

/// What is wrong with a [`GenerateRequest`], in words that fit the command line and the page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenerateError {
    #[error("no {side}x{side} mazes are made: give side 30 (Maze-Hard-like mazes) or an odd side from 5 to 29 (corridor mazes)")]
    Side { side: usize },
    #[error("a path of more than {min_len} cells is beyond what {side}x{side} mazes reach: give a minimum length of at most {most}")]
    MinLen { side: usize, min_len: usize, most: usize },
}

impl GenerateRequest {
    /// `min_len` defaults to Maze-Hard's rule at side 30 and to the side for corridor mazes.
    pub fn new(side: usize, min_len: Option<usize>) -> Result<GenerateRequest, GenerateError> {
        let corridors = side != SIDE;
        if corridors && !corridor_side_ok(side) {
            return Err(GenerateError::Side { side });
        }
        let min_len = min_len.unwrap_or(if corridors { side } else { HARD_MIN_LEN });
        // A corridor path is more than min_len cells long, so the longest one a side holds
        // caps min_len one below it; at 30 past MAX_MIN_LEN the generator would give up.
        let most = if corridors { corridor_max_len(side) - 1 } else { MAX_MIN_LEN };
        if min_len > most {
            return Err(GenerateError::MinLen { side, min_len, most });
        }
        Ok(GenerateRequest { side, min_len })
    }

    pub fn side(&self) -> usize {
        self.side
    }

    pub fn min_len(&self) -> usize {
        self.min_len
    }

    /// One maze and its answer.
    pub fn generate(&self, rng: &mut Rng) -> (Maze, Maze) {
        if self.side == SIDE {
            generate(rng, self.min_len)
        } else {
            generate_corridors(rng, self.side, self.min_len)
        }
    }
}

/// Whether [`generate_corridors`] makes mazes of this side: odd, from 5 to 29.
pub fn corridor_side_ok(side: usize) -> bool {
    side % 2 == 1 && (5..SIDE).contains(&side)
}

/// The longest path (in `o` cells) a corridor maze of `side` can have: every room but S and G
/// and every passage on the way, i.e. all open cells but two.
pub fn corridor_max_len(side: usize) -> usize {
    let rooms = side.div_ceil(2).pow(2);
    (2 * rooms - 1).saturating_sub(2)
}

/// A random corridor maze of odd `side` (5 to 29; other sides give a 5x5 or 29x29 one) and its
/// answer, with a path of more than `min_len` cells (or the longest the side allows,
/// [`corridor_max_len`], when `min_len` is not below it).
///
/// Rooms sit on the even rows and columns, with no border wall (as in Maze-Hard); the passages
/// between them form a uniform spanning tree of the rooms, drawn by Wilson's algorithm (random
/// walks with their loops erased), so there is exactly one route between any two cells and the
/// shortest path is the path. S is a random room and G a random room far enough from it. Such
/// mazes are what a small model can learn on a CPU: the path is what is left after filling
/// every dead end, a rule that needs only each cell's neighbours, applied again and again.
pub fn generate_corridors(rng: &mut Rng, side: usize, min_len: usize) -> (Maze, Maze) {
    let side = if corridor_side_ok(side) { side } else { side.clamp(5, SIDE - 1) | 1 };
    let r = side.div_ceil(2); // rooms per row and column
    let room_cell = |k: usize| (k / r) * 2 * side + (k % r) * 2;
    let room_neighbours = |k: usize| {
        let (y, x) = (k / r, k % r);
        [
            (y > 0).then(|| k - r),
            (x > 0).then(|| k - 1),
            (x + 1 < r).then(|| k + 1),
            (y + 1 < r).then(|| k + r),
        ]
    };
    let mut walls = vec![true; side * side];
    let mut in_tree = vec![false; r * r];
    let root = rng.below(r * r);
    in_tree[root] = true;
    walls[room_cell(root)] = false;
    let mut next = vec![usize::MAX; r * r];
    for start in 0..r * r {
        // Loop-erased random walk: `next` keeps only the last exit from each room, which erases
        // every loop the walk made.
        let mut k = start;
        while !in_tree[k] {
            let options: Vec<usize> = room_neighbours(k).into_iter().flatten().collect();
            next[k] = options[rng.below(options.len())];
            k = next[k];
        }
        let mut k = start;
        while !in_tree[k] {
            in_tree[k] = true;
            let (a, b) = (room_cell(k), room_cell(next[k]));
            walls[a] = false;
            walls[(a + b) / 2] = false;
            k = next[k];
        }
    }
    let passable: Vec<bool> = walls.iter().map(|w| !w).collect();
    // In moves from S to G: one more than the path's cells.
    let need = min_len.saturating_add(2).min(corridor_max_len(side) + 1) as u16;
    let mut best: Option<Vec<usize>> = None;
    // A few starts almost always find a far enough goal: in a tree of rooms most pairs are far.
    for _ in 0..64 {
        let s = room_cell(rng.below(r * r));
        let tree = bfs(&passable, side, s);
        let goals: Vec<usize> = (0..r * r).map(room_cell).filter(|&g| tree.dist[g] != UNREACHED && tree.dist[g] >= need).collect();
        if !goals.is_empty() {
            let g = goals[rng.below(goals.len())];
            if let Some(route) = tree.route(g) {
                return build(side, &walls, &route);
            }
        }
        let far = (0..r * r).map(room_cell).max_by_key(|&g| tree.dist[g]);
        if let Some(route) = far.and_then(|g| tree.route(g)) {
            if best.as_ref().is_none_or(|b| route.len() > b.len()) {
                best = Some(route);
            }
        }
    }
    build(side, &walls, &best.unwrap_or_default())
}
