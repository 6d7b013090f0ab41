use super::Maze;

/// The maze under one of the eight symmetries of the square: walls, start, goal and path move
/// together, so a path stays a path and a shortest one stays shortest.
pub fn transform(maze: &Maze, d: super::arc::Dihedral) -> Maze {
    let side = maze.side;
    let mut out = Maze::open(side);
    for i in 0..side {
        for j in 0..side {
            let (r, c) = d.source(i, j, side, side);
            out.cells[i * side + j] = maze.cells[r * side + c];
        }
    }
    out
}
