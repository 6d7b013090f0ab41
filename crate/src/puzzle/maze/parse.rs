use super::cell::rc;
use super::{side_of, Cell, Maze, MazeError, MIN_SIDE, SIDE};

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

/// Parses a square maze given as n lines of n characters or as one line of n*n (the CSV form;
/// 900 for Maze-Hard), for n from 3 to 30.
///
/// Spaces are open cells, so nothing is trimmed except line breaks: `\n` or `\r\n` between lines,
/// trailing line breaks at the end, and a leading byte-order mark. Requires exactly one `S` and
/// one `G`; `o` cells are accepted anywhere, so answers parse too.
pub fn parse(text: &str) -> Result<Maze, MazeError> {
    let maze = parse_cells(text)?;
    check_markers(&maze)?;
    Ok(maze)
}

/// [`parse`] without the start and goal check: a model's answer may have lost or doubled
/// them, which the path check then reports.
pub fn parse_cells(text: &str) -> Result<Maze, MazeError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let body = text.trim_end_matches(['\n', '\r']);
    if body.is_empty() {
        return Err(MazeError::Empty);
    }
    let chars: Vec<char> = if body.contains('\n') {
        let lines: Vec<&str> = body
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .collect();
        let side = lines.len();
        if !(MIN_SIDE..=SIDE).contains(&side) {
            return Err(MazeError::LineCount { found: side });
        }
        let mut chars = Vec::with_capacity(side * side);
        for (k, line) in lines.iter().enumerate() {
            let n = line.chars().count();
            if n != side {
                return Err(MazeError::LineLength {
                    line: k + 1,
                    found: n,
                    side,
                });
            }
            chars.extend(line.chars());
        }
        chars
    } else {
        body.chars().collect()
    };
    let side = side_of(chars.len()).ok_or(MazeError::WrongLength { found: chars.len() })?;
    let mut cells = Vec::with_capacity(chars.len());
    for (i, &ch) in chars.iter().enumerate() {
        let (row, col) = rc(i, side);
        cells.push(Cell::from_char(ch).ok_or(MazeError::BadChar { ch, index: i, row, col })?);
    }
    Ok(Maze { side, cells })
}

/// [`parse`] for a reader that needs one side (a model is trained for one).
pub fn parse_side(text: &str, side: usize) -> Result<Maze, MazeError> {
    let maze = parse(text)?;
    if maze.side != side {
        return Err(MazeError::WrongSide {
            expected: side,
            found: maze.side,
        });
    }
    Ok(maze)
}

/// Exactly one start and one goal.
pub(super) fn check_markers(maze: &Maze) -> Result<(), MazeError> {
    for (kind, what) in [(Cell::Start, "start 'S'"), (Cell::Goal, "goal 'G'")] {
        let found = maze.all(kind);
        if found.len() != 1 {
            return Err(MazeError::MarkerCount { what, at: found.iter().map(|&i| rc(i, maze.side)).collect(), cells: found });
        }
    }
    Ok(())
}
