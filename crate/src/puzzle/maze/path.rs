use super::{Cell, Maze};
#[cfg(doc)]
use super::generate::generate;

// ---------------------------------------------------------------------------------------------
// Shortest paths
// ---------------------------------------------------------------------------------------------

/// Neighbours of `i` in a fixed order (up, left, right, down) so that BFS, and with it the path
/// drawn by [`solve`] and [`generate`], is deterministic.
pub(super) fn neighbours(i: usize, side: usize) -> impl Iterator<Item = usize> {
    let (r, c) = (i / side, i % side);
    [
        (r > 0).then(|| i - side),
        (c > 0).then(|| i - 1),
        (c + 1 < side).then(|| i + 1),
        (r + 1 < side).then(|| i + side),
    ]
    .into_iter()
    .flatten()
}

pub(super) const UNREACHED: u16 = u16::MAX;

/// Moves from `from` to every cell over cells where `passable` holds, and each reached cell's
/// predecessor on one shortest route.
pub(super) struct Bfs {
    pub(super) dist: Vec<u16>,
    parent: Vec<u16>,
}

pub(super) fn bfs(passable: &[bool], side: usize, from: usize) -> Bfs {
    let n = passable.len();
    let mut dist = vec![UNREACHED; n];
    let mut parent = vec![UNREACHED; n];
    let mut queue = Vec::with_capacity(n);
    if from < n && passable[from] {
        dist[from] = 0;
        queue.push(from as u16);
    }
    let mut head = 0;
    while head < queue.len() {
        let u = queue[head] as usize;
        head += 1;
        for v in neighbours(u, side) {
            if passable[v] && dist[v] == UNREACHED {
                dist[v] = dist[u] + 1;
                parent[v] = u as u16;
                queue.push(v as u16);
            }
        }
    }
    Bfs { dist, parent }
}

impl Bfs {
    /// Cells from the BFS source to `to`, both included; None when `to` was not reached.
    pub(super) fn route(&self, to: usize) -> Option<Vec<usize>> {
        if self.dist.get(to).is_none_or(|&d| d == UNREACHED) {
            return None;
        }
        let mut route = vec![to];
        let mut cur = to;
        while self.parent[cur] != UNREACHED {
            cur = self.parent[cur] as usize;
            route.push(cur);
        }
        route.reverse();
        Some(route)
    }
}

pub(super) fn passable(maze: &Maze) -> Vec<bool> {
    maze.cells.iter().map(|c| c.is_passable()).collect()
}

/// A shortest route from S to G as cell indices, S first and G last (so its length is the path
/// length plus 2), or None when the maze lacks a unique S or G or G cannot be reached. `o` cells
/// count as open.
pub fn shortest_path(maze: &Maze) -> Option<Vec<usize>> {
    let (s, g) = (maze.start()?, maze.goal()?);
    bfs(&passable(maze), maze.side, s).route(g)
}

/// The length (number of `o` cells) of a shortest S-to-G path, if there is one.
pub fn shortest_len(maze: &Maze) -> Option<usize> {
    shortest_path(maze).map(|route| route.len().saturating_sub(2))
}

/// The maze's answer: its question with one shortest path drawn in `o`. None when there is none.
pub fn solve(maze: &Maze) -> Option<Maze> {
    let question = maze.question();
    let route = shortest_path(&question)?;
    let mut answer = question;
    for &i in route.iter().skip(1).take(route.len().saturating_sub(2)) {
        answer.cells[i] = Cell::Path;
    }
    Some(answer)
}
