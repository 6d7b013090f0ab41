//! Square mazes: the 30x30 Maze-Hard benchmark of HRM and TRM, and smaller corridor mazes
//! (side 5 to 29) that a CPU-trained model can learn. Parsing, the token encoding, a BFS
//! solver, a checker for a model's path, and generators for both styles.
//!
//! A maze of side n is n*n cells: `#` wall, space open, `S` start, `G` goal, and in answers
//! `o` for the cells of the path from S to G (S and G themselves stay `S` and `G`). "Path
//! length" everywhere here is the number of `o` cells, as in the dataset's README; moves from S
//! to G are one more. The token format is the same at every side, so one codec serves all; a
//! model is trained for one side (its `seq_len` is side * side).
//!
//! Plain CPU code: randomness comes from the caller as a `FnMut() -> u64`, so the same seed gives
//! the same maze natively and in wasm32. Nothing here panics on user input.

use std::fmt;

/// Side of Maze-Hard's grid, and the largest side a maze may have.
pub const SIDE: usize = 30;
/// Cells in a Maze-Hard maze.
pub const CELLS: usize = SIDE * SIDE;
/// The smallest side accepted: below it no maze has room for a path.
pub const MIN_SIDE: usize = 3;
/// Padding token; never part of a maze, but a model's raw answer may contain it.
pub const PAD_TOKEN: u32 = 0;
/// PAD and the five cell kinds.
pub const VOCAB_SIZE: usize = 6;
/// Maze-Hard keeps mazes whose shortest path is long; the Maze-Hard training split has 108..=145
/// path cells. [`generate`] called with this gives mazes of 111 path cells or more.
pub const HARD_MIN_LEN: usize = 110;

// ---------------------------------------------------------------------------------------------
// Cells
// ---------------------------------------------------------------------------------------------

/// One cell. The token of a cell is its position in `# SGo` plus one, as in HRM's builder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cell {
    Wall,
    Open,
    Start,
    Goal,
    /// On the path from S to G (answers only).
    Path,
}

impl Cell {
    /// In token order: `ALL[t - 1]` has token `t`.
    pub const ALL: [Cell; 5] = [Cell::Wall, Cell::Open, Cell::Start, Cell::Goal, Cell::Path];

    pub fn char(self) -> char {
        match self {
            Cell::Wall => '#',
            Cell::Open => ' ',
            Cell::Start => 'S',
            Cell::Goal => 'G',
            Cell::Path => 'o',
        }
    }

    pub fn from_char(ch: char) -> Option<Cell> {
        Cell::ALL.into_iter().find(|c| c.char() == ch)
    }

    /// 1..=5.
    pub fn token(self) -> u32 {
        self as u32 + 1
    }

    /// None for PAD and anything outside the vocabulary.
    pub fn from_token(t: u32) -> Option<Cell> {
        Cell::ALL.get((t as usize).wrapping_sub(1)).copied()
    }

    /// Walls block; every other cell, path cells included, can be walked on.
    pub fn is_passable(self) -> bool {
        self != Cell::Wall
    }

    /// For messages: "a wall", "open floor", ...
    pub fn describe(self) -> &'static str {
        match self {
            Cell::Wall => "a wall",
            Cell::Open => "open floor",
            Cell::Start => "the start",
            Cell::Goal => "the goal",
            Cell::Path => "a path cell",
        }
    }
}

/// 1-based (row, column) of a cell index in a grid of side `side`, as messages show it.
fn rc(i: usize, side: usize) -> (usize, usize) {
    (i / side + 1, i % side + 1)
}

fn at(i: usize, side: usize) -> String {
    let (r, c) = rc(i, side);
    format!("row {r}, column {c}")
}

/// The side of a square of `n` cells, if `n` is one of the sides a maze may have.
pub fn side_of(n: usize) -> Option<usize> {
    let side = (n as f64).sqrt().round() as usize;
    (side * side == n && (MIN_SIDE..=SIDE).contains(&side)).then_some(side)
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

impl MazeError {
    /// The cells (0-based, row-major) this error points at, for a page to mark.
    pub fn cells(&self) -> Vec<u32> {
        match self {
            MazeError::BadChar { index, .. } => vec![*index as u32],
            MazeError::MarkerCount { cells, .. } => cells.iter().map(|&i| i as u32).collect(),
            _ => vec![],
        }
    }
}

impl From<MazeError> for crate::error::TrmError {
    fn from(e: MazeError) -> Self {
        crate::error::TrmError::Puzzle { cells: e.cells(), message: e.to_string() }
    }
}

/// "1 character", "900 characters".
fn characters(n: usize) -> String {
    format!("{n} character{}", if n == 1 { "" } else { "s" })
}

/// "none" or "2: at row 1, column 3 and row 5, column 6" for [`MazeError::MarkerCount`].
fn found_list(at: &[(usize, usize)]) -> String {
    if at.is_empty() {
        return "none".to_string();
    }
    let places: Vec<String> = at
        .iter()
        .take(5)
        .map(|(r, c)| format!("row {r}, column {c}"))
        .collect();
    let more = if at.len() > 5 { " and more" } else { "" };
    format!("{}: at {}{more}", at.len(), places.join(" and "))
}

/// Everything that can be wrong with a maze given by a person, a file or a model.
/// Rows, columns and lines in fields and messages are 1-based.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MazeError {
    #[error("no maze given: the text is empty")]
    Empty,
    #[error("a maze is a square of 3x3 to 30x30 cells (n lines of n characters, or one line of n*n, e.g. 900 for 30x30), found {}", characters(*.found))]
    WrongLength { found: usize },
    #[error("a maze is a square of 3 to 30 lines, found {found} lines")]
    LineCount { found: usize },
    #[error("a maze is square: its {side} lines need {side} characters each, but line {line} has {} (spaces are open cells, so trailing spaces count)", characters(*.found))]
    LineLength { line: usize, found: usize, side: usize },
    #[error("unexpected character {ch:?} at row {row}, column {col}: use '#' for walls, a space for open cells, 'S' start, 'G' goal, 'o' path")]
    /// `index`: the 0-based cell, row-major.
    BadChar { ch: char, index: usize, row: usize, col: usize },
    /// `what` is "start 'S'" or "goal 'G'"; `at` lists where they were found.
    #[error("expected exactly one {what}, found {}", found_list(.at))]
    MarkerCount {
        what: &'static str,
        at: Vec<(usize, usize)>,
        /// The same places as 0-based cells, row-major.
        cells: Vec<usize>,
    },
    #[error("expected the tokens of a square maze from 3x3 to 30x30 (900 for 30x30), found {found}")]
    TokenCount { found: usize },
    #[error("token {token} at row {row}, column {col} is not a maze token (1 '#', 2 ' ', 3 'S', 4 'G', 5 'o')")]
    BadToken { token: u32, row: usize, col: usize },
    /// A maze of one side given where another is needed (a model is trained for one side).
    #[error("this maze is {found}x{found}, but {expected}x{expected} is needed{}", if *.expected == SIDE { " (the Maze-Hard size)" } else { "" })]
    WrongSide { expected: usize, found: usize },
    #[error("expected {expected} comma-separated fields, found {found}")]
    CsvFields { expected: usize, found: usize },
    #[error("the CSV header has no \"{column}\" column")]
    CsvColumn { column: &'static str },
    /// The answer of a (question, answer) pair is not a valid path; `reason` says why.
    #[error("the answer is not a valid path: {reason}")]
    InvalidAnswer { reason: String },
    /// An error on one line of a file. `field` is "question", "answer" or "line".
    #[error("line {line} ({field}): {error}")]
    Line {
        line: usize,
        field: &'static str,
        error: Box<MazeError>,
    },
}

// ---------------------------------------------------------------------------------------------
// Maze
// ---------------------------------------------------------------------------------------------

/// A square maze, row-major. Its side is fixed at construction and its cells can be changed but
/// not added or removed, so `cells().len() == side() * side()` always holds. [`parse`]
/// guarantees one start and one goal; other mazes can be built, and every function here
/// tolerates them.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Maze {
    side: usize,
    cells: Vec<Cell>,
}

impl Maze {
    /// All open, no start or goal; `side` is clamped to `MIN_SIDE..=SIDE`.
    pub fn open(side: usize) -> Maze {
        let side = side.clamp(MIN_SIDE, SIDE);
        Maze {
            side,
            cells: vec![Cell::Open; side * side],
        }
    }

    /// A maze from its rows' cells; None unless `cells` is a square of an allowed side.
    pub fn from_cells(cells: Vec<Cell>) -> Option<Maze> {
        side_of(cells.len()).map(|side| Maze { side, cells })
    }

    pub fn side(&self) -> usize {
        self.side
    }

    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }

    pub fn cells_mut(&mut self) -> &mut [Cell] {
        &mut self.cells
    }

    /// The cell at 0-based `row`, `col`; None outside the grid.
    pub fn get(&self, row: usize, col: usize) -> Option<Cell> {
        (row < self.side && col < self.side).then(|| self.cells[row * self.side + col])
    }

    /// The rows, top to bottom.
    pub fn rows(&self) -> std::slice::Chunks<'_, Cell> {
        self.cells.chunks(self.side)
    }

    fn all(&self, kind: Cell) -> Vec<usize> {
        (0..self.cells.len()).filter(|&i| self.cells[i] == kind).collect()
    }

    /// Index of the start when there is exactly one.
    pub fn start(&self) -> Option<usize> {
        only(&self.all(Cell::Start))
    }

    /// Index of the goal when there is exactly one.
    pub fn goal(&self) -> Option<usize> {
        only(&self.all(Cell::Goal))
    }

    /// Number of `o` cells.
    pub fn path_len(&self) -> usize {
        self.cells.iter().filter(|&&c| c == Cell::Path).count()
    }

    /// Fraction of cells that are walls.
    pub fn wall_fraction(&self) -> f64 {
        self.cells.iter().filter(|&&c| c == Cell::Wall).count() as f64 / self.cells.len() as f64
    }

    /// The maze without its path: `o` becomes open floor.
    pub fn question(&self) -> Maze {
        Maze {
            side: self.side,
            cells: self
                .cells
                .iter()
                .map(|&c| if c == Cell::Path { Cell::Open } else { c })
                .collect(),
        }
    }

    /// The one-line form of the dataset's CSV (900 characters for Maze-Hard).
    pub fn to_line(&self) -> String {
        self.cells.iter().map(|c| c.char()).collect()
    }

    /// `side` lines of `side`, each ending in a newline.
    pub fn to_text(&self) -> String {
        let mut s = String::with_capacity(self.cells.len() + self.side);
        for row in self.rows() {
            s.extend(row.iter().map(|c| c.char()));
            s.push('\n');
        }
        s
    }
}

fn only(found: &[usize]) -> Option<usize> {
    match found {
        [i] => Some(*i),
        _ => None,
    }
}

impl Default for Maze {
    fn default() -> Self {
        Maze::open(SIDE)
    }
}

impl fmt::Display for Maze {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

// A flat line of 900 is unreadable in a failed assertion; the rows, fenced so that trailing
// spaces show, are what people compare.
impl fmt::Debug for Maze {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Maze(\n")?;
        for row in self.rows() {
            let line: String = row.iter().map(|c| c.char()).collect();
            writeln!(f, "|{line}|")?;
        }
        f.write_str(")")
    }
}

impl std::str::FromStr for Maze {
    type Err = MazeError;
    fn from_str(s: &str) -> Result<Maze, MazeError> {
        parse(s)
    }
}

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
fn check_markers(maze: &Maze) -> Result<(), MazeError> {
    for (kind, what) in [(Cell::Start, "start 'S'"), (Cell::Goal, "goal 'G'")] {
        let found = maze.all(kind);
        if found.len() != 1 {
            return Err(MazeError::MarkerCount { what, at: found.iter().map(|&i| rc(i, maze.side)).collect(), cells: found });
        }
    }
    Ok(())
}

/// Reads the dataset's CSV: `question,answer` lines of n*n characters each (fields hold spaces
/// but never commas or quotes). A header line naming a `question` and an `answer` column picks
/// them out of any number of columns (so Hugging Face's `source,question,answer,rating` works);
/// without a header the lines must have exactly two fields. Blank lines are skipped. Every
/// answer must be a valid path for its question (not necessarily a shortest one).
pub fn read_csv(text: &str) -> Result<Vec<(Maze, Maze)>, MazeError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
        .peekable();
    let mut columns = (0, 1, 2);
    if let Some((_, first)) = lines.peek() {
        let names: Vec<String> = first.split(',').map(|f| f.trim().to_lowercase()).collect();
        if names.iter().any(|n| n == "question" || n == "answer") {
            let find = |column: &'static str| {
                names
                    .iter()
                    .position(|n| n == column)
                    .ok_or(MazeError::CsvColumn { column })
            };
            columns = (find("question")?, find("answer")?, names.len());
            lines.next();
        }
    }
    let (qi, ai, expected) = columns;
    let mut out = Vec::new();
    for (k, line) in lines {
        let line_no = k + 1;
        let wrap = |field: &'static str| {
            move |error| MazeError::Line {
                line: line_no,
                field,
                error: Box::new(error),
            }
        };
        let fields: Vec<&str> = line.split(',').collect();
        if fields.len() != expected {
            return Err(wrap("line")(MazeError::CsvFields {
                expected,
                found: fields.len(),
            }));
        }
        let question = parse(fields[qi]).map_err(wrap("question"))?;
        let answer = parse(fields[ai]).map_err(wrap("answer"))?;
        let verdict = check_path(&question, &answer);
        if !verdict.valid {
            let reason = verdict.reason.unwrap_or_default();
            return Err(wrap("answer")(MazeError::InvalidAnswer { reason }));
        }
        out.push((question, answer));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

/// `#`, space, `S`, `G`, `o` become 1..=5; one token per cell, row-major.
pub fn encode(maze: &Maze) -> Vec<u32> {
    maze.cells.iter().map(|c| c.token()).collect()
}

/// The maze in n*n tokens (900 for Maze-Hard). Strict: PAD (0) or a token above 5 is an error
/// naming the first such cell, because a maze cell has no "unknown" state to show it as. Unlike
/// [`parse`] this does not require one start and one goal: a model's answer can get them wrong,
/// and [`check_path`] says so in its verdict.
pub fn decode(tokens: &[u32]) -> Result<Maze, MazeError> {
    let side = side_of(tokens.len()).ok_or(MazeError::TokenCount { found: tokens.len() })?;
    let mut cells = Vec::with_capacity(tokens.len());
    for (i, &token) in tokens.iter().enumerate() {
        let (row, col) = rc(i, side);
        cells.push(Cell::from_token(token).ok_or(MazeError::BadToken { token, row, col })?);
    }
    Ok(Maze { side, cells })
}

// ---------------------------------------------------------------------------------------------
// Shortest paths
// ---------------------------------------------------------------------------------------------

/// Neighbours of `i` in a fixed order (up, left, right, down) so that BFS, and with it the path
/// drawn by [`solve`] and [`generate`], is deterministic.
fn neighbours(i: usize, side: usize) -> impl Iterator<Item = usize> {
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

const UNREACHED: u16 = u16::MAX;

/// Moves from `from` to every cell over cells where `passable` holds, and each reached cell's
/// predecessor on one shortest route.
struct Bfs {
    dist: Vec<u16>,
    parent: Vec<u16>,
}

fn bfs(passable: &[bool], side: usize, from: usize) -> Bfs {
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
    fn route(&self, to: usize) -> Option<Vec<usize>> {
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

fn passable(maze: &Maze) -> Vec<bool> {
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

// ---------------------------------------------------------------------------------------------
// Checking a predicted path
// ---------------------------------------------------------------------------------------------

/// The verdict on an answer. `length` is the number of `o` cells in the answer and
/// `shortest_length` that of a shortest path of the question (None when it has none). `reason`
/// is None exactly when the answer is valid and shortest, and otherwise says what is wrong (or,
/// for a valid but longer path, by how much it is longer).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PathVerdict {
    pub valid: bool,
    pub shortest: bool,
    pub length: usize,
    pub shortest_length: Option<usize>,
    pub reason: Option<String>,
}

/// Checks a predicted answer against its question. The answer is valid when:
///
/// - it has the question's side and reproduces the question everywhere except open cells
///   turned into `o`;
/// - the `o` cells with S and G form one simple path: S and G each touch exactly one other path
///   cell and every `o` cell exactly two (4-neighbour), and all `o` cells lie on the walk from S
///   to G. A path that touches itself thus counts as branching, which is fair: it contains a
///   shortcut, so its cells do not spell out a single route.
///
/// It is shortest when its length also equals the BFS shortest path length. Several shortest
/// paths can exist, so this accepts more than exact match with a stored answer does (the
/// benchmark's metric is exact match).
pub fn check_path(question: &Maze, answer: &Maze) -> PathVerdict {
    let question = question.question();
    let side = question.side;
    let at = |i: usize| at(i, side);
    let length = answer.path_len();
    let shortest_length = shortest_len(&question);
    let verdict = |valid: bool, shortest: bool, reason: Option<String>| PathVerdict {
        valid,
        shortest,
        length,
        shortest_length,
        reason,
    };
    let invalid = |reason: String| verdict(false, false, Some(reason));

    let (Some(s), Some(g)) = (question.start(), question.goal()) else {
        return invalid(match check_markers(&question) {
            Err(e) => format!("the question is not a maze: {e}"),
            Ok(()) => "the question is not a maze".to_string(),
        });
    };
    if answer.side != side {
        return invalid(format!("the answer is {0}x{0} but the maze is {side}x{side}", answer.side));
    }
    for i in 0..question.cells.len() {
        let (q, a) = (question.cells[i], answer.cells[i]);
        if a == Cell::Path && q != Cell::Open {
            let what = match q {
                Cell::Start => "covers the start".to_string(),
                Cell::Goal => "covers the goal".to_string(),
                other => format!("is {}", other.describe()),
            };
            return invalid(format!("path cell at {} {what}", at(i)));
        }
        if a != Cell::Path && a != q {
            return invalid(format!(
                "the answer changes {} from {} to {}",
                at(i),
                q.describe(),
                a.describe()
            ));
        }
    }

    // From here on the answer is the question plus `o` cells, so S and G are where they belong.
    let on_path = |i: usize| answer.cells[i] != Cell::Wall && answer.cells[i] != Cell::Open;
    let next_of = |i: usize, prev: Option<usize>| -> Vec<usize> {
        neighbours(i, side)
            .filter(|&v| on_path(v) && Some(v) != prev)
            .collect()
    };
    let mut visited = vec![false; answer.cells.len()];
    let first = next_of(s, None);
    let mut prev = s;
    let mut cur = match first.as_slice() {
        [] if length == 0 => return invalid("the answer marks no path".to_string()),
        [] => return invalid(format!("the path does not leave the start ({})", at(s))),
        [only] => *only,
        _ => return invalid(format!("the path branches at the start ({})", at(s))),
    };
    let mut walked = 0;
    while cur != g {
        if cur == s || visited[cur] {
            // Only reachable through a branch, which is reported below first; kept as a guard.
            return invalid(format!("the path loops back at {}", at(cur)));
        }
        visited[cur] = true;
        walked += 1;
        match next_of(cur, Some(prev)).as_slice() {
            [] => {
                return invalid(format!(
                    "the path does not reach the goal: it stops at {}",
                    at(cur)
                ))
            }
            [only] => {
                prev = cur;
                cur = *only;
            }
            _ => return invalid(format!("the path branches at {}", at(cur))),
        }
    }
    if next_of(g, None).len() > 1 {
        return invalid(format!("the path branches at the goal ({})", at(g)));
    }
    if let Some(stray) = (0..answer.cells.len()).find(|&i| answer.cells[i] == Cell::Path && !visited[i]) {
        return invalid(format!(
            "path cell at {} is not on the path from the start to the goal",
            at(stray)
        ));
    }
    match shortest_length {
        Some(best) if walked == best => verdict(true, true, None),
        Some(best) => verdict(
            true,
            false,
            Some(format!(
                "valid but {} cells longer than the shortest ({best})",
                walked.saturating_sub(best)
            )),
        ),
        None => verdict(
            true,
            false,
            Some("valid, but no shortest path was found".to_string()),
        ),
    }
}

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

/// [`check_path`] on a model's raw tokens: tokens that do not decode make an invalid verdict
/// whose reason names the first bad token.
pub fn check_tokens(question: &Maze, tokens: &[u32]) -> PathVerdict {
    match decode(tokens) {
        Ok(answer) => check_path(question, &answer),
        Err(e) => PathVerdict {
            valid: false,
            shortest: false,
            length: tokens.iter().filter(|&&t| t == Cell::Path.token()).count(),
            shortest_length: shortest_len(question),
            reason: Some(e.to_string()),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------------------------

use crate::rng::below;

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
pub fn generate(rng: &mut impl FnMut() -> u64, min_len: usize) -> (Maze, Maze) {
    generate_within(rng, min_len, GENERATE_ATTEMPTS)
}

fn generate_within(rng: &mut impl FnMut() -> u64, min_len: usize, attempts: usize) -> (Maze, Maze) {
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
    pub fn generate(&self, rng: &mut impl FnMut() -> u64) -> (Maze, Maze) {
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
pub fn generate_corridors(rng: &mut impl FnMut() -> u64, side: usize, min_len: usize) -> (Maze, Maze) {
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
    let root = below(rng, r * r);
    in_tree[root] = true;
    walls[room_cell(root)] = false;
    let mut next = vec![usize::MAX; r * r];
    for start in 0..r * r {
        // Loop-erased random walk: `next` keeps only the last exit from each room, which erases
        // every loop the walk made.
        let mut k = start;
        while !in_tree[k] {
            let options: Vec<usize> = room_neighbours(k).into_iter().flatten().collect();
            next[k] = options[below(rng, options.len())];
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
        let s = room_cell(below(rng, r * r));
        let tree = bfs(&passable, side, s);
        let goals: Vec<usize> = (0..r * r).map(room_cell).filter(|&g| tree.dist[g] != UNREACHED && tree.dist[g] >= need).collect();
        if !goals.is_empty() {
            let g = goals[below(rng, goals.len())];
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

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// The crate's generator, seeded, as the closure the random functions take.
    fn rng(seed: u64) -> impl FnMut() -> u64 {
        let mut r = crate::rng::Rng::new(seed);
        move || r.next_u64()
    }

    /// The repository's copy of the data set (see data/README.md).
    fn maze_csv() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data/maze/maze_30x30_hard_1k_train.csv")
    }

    fn dataset() -> Vec<(Maze, Maze)> {
        let path = maze_csv();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}",
                path.display()
            )
        });
        read_csv(&text).unwrap()
    }

    /// A small hand-made maze: S top-left, G bottom-right, a wall with one gap between.
    fn small() -> String {
        let mut rows = vec![" ".repeat(SIDE); SIDE];
        rows[0].replace_range(0..1, "S");
        rows[29].replace_range(29..30, "G");
        rows[15] = "#".repeat(29) + " ";
        rows.join("\n")
    }

    #[test]
    fn parses_both_layouts_and_keeps_spaces() {
        let text = small();
        let maze = parse(&text).unwrap();
        assert_eq!(maze.start(), Some(0));
        assert_eq!(maze.goal(), Some(CELLS - 1));
        assert_eq!(maze.get(15, 3), Some(Cell::Wall));
        assert_eq!(maze.get(15, 29), Some(Cell::Open));
        assert_eq!(maze.get(30, 0), None);
        let line: String = text.split('\n').collect();
        assert_eq!(line.len(), CELLS);
        assert_eq!(parse(&line), Ok(maze.clone()));
        assert_eq!(parse(&format!("{line}\r\n")), Ok(maze.clone()));
        assert_eq!(parse(&text.replace('\n', "\r\n")), Ok(maze.clone()));
        assert_eq!(parse(&format!("\u{feff}{text}\n")), Ok(maze.clone()));
        assert_eq!(maze.to_line(), line);
        assert_eq!(parse(&maze.to_text()), Ok(maze.clone()));
        assert_eq!(maze.to_string(), maze.to_text());
        assert_eq!(maze.to_line().parse::<Maze>(), Ok(maze.clone()));
        assert!(format!("{maze:?}").contains("|S    "));
        // The last row ends in open cells followed by G; a maze ending in spaces keeps them.
        let mut ends_open = maze.clone();
        ends_open.cells.swap(CELLS - 1, CELLS - 2);
        assert_eq!(parse(&ends_open.to_line()), Ok(ends_open.clone()));
        assert!(ends_open.to_line().ends_with(' '));
    }

    #[test]
    fn corridor_mazes_of_every_side_are_trees_with_one_long_path() {
        for side in [5, 11, 15, 29] {
            let mut next = rng(side as u64);
            for _ in 0..20 {
                let (q, a) = generate_corridors(&mut next, side, side);
                assert_eq!((q.side(), q.cells().len()), (side, side * side));
                assert_eq!(parse(&q.to_text()), Ok(q.clone()));
                assert_eq!(parse(&a.to_line()), Ok(a.clone()));
                assert_eq!(decode(&encode(&a)), Ok(a.clone()));
                assert_eq!(a.question(), q);
                assert!(a.path_len() > side, "path of {} cells in a {side}x{side} maze", a.path_len());
                let v = check_path(&q, &a);
                assert!(v.valid && v.shortest, "{v:?}");
                // A tree: open cells are connected and have one edge fewer than cells, so the
                // path is the only route from S to G.
                let open: Vec<usize> = (0..side * side).filter(|&i| q.cells()[i].is_passable()).collect();
                let edges: usize = open.iter().map(|&i| neighbours(i, side).filter(|&j| j > i && q.cells()[j].is_passable()).count()).sum();
                assert_eq!(edges + 1, open.len());
                let reached = bfs(&passable(&q), side, open[0]).dist.iter().filter(|&&d| d != UNREACHED).count();
                assert_eq!(reached, open.len());
                for d in super::super::arc::Dihedral::ALL {
                    let (tq, ta) = (transform(&q, d), transform(&a, d));
                    assert_eq!(check_path(&tq, &ta), v);
                    assert_eq!(transform(&ta, d.inverse()), a);
                }
            }
        }
    }

    #[test]
    fn corridor_generator_is_seeded_and_bounded() {
        let one = |seed| generate_corridors(&mut rng(seed), 11, 11);
        assert_eq!(one(7), one(7));
        assert_ne!(one(7), one(8));
        // Asking for more than the side allows gives the longest path found, still valid.
        let (q, a) = generate_corridors(&mut rng(3), 11, 10_000);
        assert!(check_path(&q, &a).valid);
        assert!(a.path_len() <= corridor_max_len(11));
        // Sides it does not make are clamped to one it does, never a panic.
        for side in [0, 4, 12, 30, 1000] {
            let (q, a) = generate_corridors(&mut rng(1), side, 3);
            assert!(corridor_side_ok(q.side()), "{side} -> {}", q.side());
            assert!(check_path(&q, &a).valid);
        }
    }

    #[test]
    fn generate_requests_are_checked_once_for_every_caller() {
        // Defaults: Maze-Hard's rule at 30, the side itself for corridor mazes.
        assert_eq!(GenerateRequest::new(30, None).map(|r| r.min_len()), Ok(HARD_MIN_LEN));
        assert_eq!(GenerateRequest::new(11, None).map(|r| (r.side(), r.min_len())), Ok((11, 11)));
        for side in [0, 3, 4, 12, 31, 1000] {
            assert_eq!(GenerateRequest::new(side, None), Err(GenerateError::Side { side }));
        }
        // The longest corridor path a side holds is reachable (min_len one below it), no more.
        let most = corridor_max_len(11) - 1;
        let r = GenerateRequest::new(11, Some(most)).unwrap();
        let (q, a) = r.generate(&mut rng(4));
        assert!(check_path(&q, &a).valid);
        assert_eq!(GenerateRequest::new(11, Some(most + 1)), Err(GenerateError::MinLen { side: 11, min_len: most + 1, most }));
        assert!(GenerateRequest::new(30, Some(MAX_MIN_LEN)).is_ok());
        assert_eq!(
            GenerateRequest::new(30, Some(MAX_MIN_LEN + 1)).unwrap_err().to_string(),
            format!("a path of more than {} cells is beyond what 30x30 mazes reach: give a minimum length of at most {MAX_MIN_LEN}", MAX_MIN_LEN + 1)
        );
        // The request picks the generator by side.
        assert_eq!(GenerateRequest::new(11, Some(11)).unwrap().generate(&mut rng(9)), generate_corridors(&mut rng(9), 11, 11));
        assert_eq!(GenerateRequest::new(30, None).unwrap().generate(&mut rng(9)).0.side(), SIDE);
    }

    #[test]
    fn sides_must_match() {
        let (q, a) = generate_corridors(&mut rng(2), 11, 11);
        assert_eq!(
            parse_side(&q.to_text(), 30).unwrap_err().to_string(),
            "this maze is 11x11, but 30x30 is needed (the Maze-Hard size)"
        );
        assert_eq!(parse_side(&q.to_text(), 11), Ok(q.clone()));
        let big = parse(&small()).unwrap();
        let v = check_path(&big, &a);
        assert!(!v.valid);
        assert_eq!(v.reason.as_deref(), Some("the answer is 11x11 but the maze is 30x30"));
        assert_eq!(decode(&[2; 122]), Err(MazeError::TokenCount { found: 122 }));
        assert_eq!(decode(&[2; 4]), Err(MazeError::TokenCount { found: 4 }));
        assert_eq!(Maze::from_cells(vec![Cell::Open; 10]), None);
        assert_eq!(Maze::from_cells(vec![Cell::Open; 9]).map(|m| m.side()), Some(3));
    }

    #[test]
    fn parse_errors_say_what_and_where() {
        let text = small();
        assert_eq!(parse(""), Err(MazeError::Empty));
        assert_eq!(parse("\r\n\n"), Err(MazeError::Empty));
        let line: String = text.split('\n').collect();
        assert_eq!(
            parse(&line[..899]),
            Err(MazeError::WrongLength { found: 899 })
        );
        assert_eq!(
            parse(&format!("{line} ")).unwrap_err().to_string(),
            "a maze is a square of 3x3 to 30x30 cells (n lines of n characters, or one line of n*n, e.g. 900 for 30x30), found 901 characters"
        );
        let mut lines: Vec<&str> = text.split('\n').collect();
        // 29 lines make a 29x29 maze, so it is the first line that is too long.
        assert_eq!(
            parse(&lines[..29].join("\n")),
            Err(MazeError::LineLength { line: 1, found: 30, side: 29 })
        );
        assert_eq!(parse("#S\nG "), Err(MazeError::LineCount { found: 2 }));
        assert_eq!(
            parse(&format!("{text}\n{}", " ".repeat(30))),
            Err(MazeError::LineCount { found: 31 })
        );
        let short = lines[3].trim_end().to_string();
        lines[3] = &short;
        assert_eq!(
            parse(&lines.join("\n")).unwrap_err().to_string(),
            "a maze is square: its 30 lines need 30 characters each, but line 4 has 0 characters (spaces are open cells, so trailing spaces count)"
        );
        assert_eq!(
            parse(&text.replacen(' ', ".", 1)).unwrap_err(),
            MazeError::BadChar {
                ch: '.',
                index: 1,
                row: 1,
                col: 2
            }
        );
        assert!(parse(&text.replacen(' ', "é", 1))
            .unwrap_err()
            .to_string()
            .starts_with("unexpected character 'é' at row 1, column 2"));
        assert_eq!(
            parse(&text.replace('S', " ")).unwrap_err().to_string(),
            "expected exactly one start 'S', found none"
        );
        let mut two_goals = parse(&text).unwrap();
        two_goals.cells[4 * SIDE + 6] = Cell::Goal;
        assert_eq!(
            parse(&two_goals.to_line()).unwrap_err().to_string(),
            "expected exactly one goal 'G', found 2: at row 5, column 7 and row 30, column 30"
        );
        let many: String = "S".repeat(CELLS);
        assert!(parse(&many).unwrap_err().to_string().ends_with(" and more"));
    }

    #[test]
    fn tokens_round_trip_and_reject_junk() {
        let answer = solve(&parse(&small()).unwrap()).unwrap();
        let t = encode(&answer);
        assert_eq!(t[0], 3);
        assert_eq!(t[15 * SIDE], 1);
        assert_eq!(t[CELLS - 1], 4);
        assert!(t.contains(&5) && t.contains(&2));
        assert_eq!(decode(&t), Ok(answer.clone()));
        for c in Cell::ALL {
            assert_eq!(Cell::from_token(c.token()), Some(c));
            assert_eq!(Cell::from_char(c.char()), Some(c));
        }
        assert_eq!(Cell::from_token(0), None);
        assert_eq!(Cell::from_token(6), None);
        assert_eq!(Cell::from_token(u32::MAX), None);

        let mut bad = t.clone();
        bad[31] = PAD_TOKEN;
        assert_eq!(
            decode(&bad).unwrap_err().to_string(),
            "token 0 at row 2, column 2 is not a maze token (1 '#', 2 ' ', 3 'S', 4 'G', 5 'o')"
        );
        bad[31] = 6;
        assert!(decode(&bad).is_err());
        assert_eq!(decode(&t[..5]), Err(MazeError::TokenCount { found: 5 }));
        // No start is fine for decode; the checker reports it.
        let mut no_start = t.clone();
        no_start[0] = Cell::Open.token();
        assert!(decode(&no_start).is_ok());
        let question = parse(&small()).unwrap();
        let v = check_tokens(&question, &bad);
        assert!(!v.valid && v.reason.unwrap().starts_with("token 6 at row 2, column 2"));
        assert_eq!(check_tokens(&question, &t).reason, None);
    }

    #[test]
    fn shortest_path_on_a_hand_made_maze() {
        let maze = parse(&small()).unwrap();
        let route = shortest_path(&maze).unwrap();
        // 29 down plus 29 right moves: 59 cells, 57 of them path cells.
        assert_eq!(route.len(), 59);
        assert_eq!((route[0], route[58]), (0, CELLS - 1));
        assert!(route.contains(&(15 * SIDE + 29)));
        assert_eq!(shortest_len(&maze), Some(57));
        let answer = solve(&maze).unwrap();
        assert_eq!(answer.path_len(), 57);
        assert_eq!(answer.question(), maze);

        let mut sealed = maze;
        sealed.cells[15 * SIDE + 29] = Cell::Wall;
        assert_eq!(shortest_path(&sealed), None);
        assert_eq!(solve(&sealed), None);
        let v = check_path(&sealed, &sealed);
        assert_eq!((v.valid, v.shortest_length), (false, None));
        assert_eq!(v.reason.as_deref(), Some("the answer marks no path"));
        assert_eq!(shortest_path(&Maze::open(SIDE)), None);

        // Start next to the goal: an empty path is valid and shortest.
        let mut adjacent = Maze::open(SIDE);
        adjacent.cells[0] = Cell::Start;
        adjacent.cells[1] = Cell::Goal;
        assert_eq!(shortest_len(&adjacent), Some(0));
        let v = check_path(&adjacent, &adjacent);
        assert!(v.valid && v.shortest && v.reason.is_none(), "{v:?}");
    }

    #[test]
    fn every_maze_hard_answer_is_valid_and_shortest() {
        let pairs = dataset();
        assert_eq!(pairs.len(), 1000);
        let (mut min, mut max, mut sum, mut walls) = (usize::MAX, 0, 0, 0.0);
        for (k, (q, a)) in pairs.iter().enumerate() {
            let v = check_path(q, a);
            assert!(v.valid && v.shortest, "maze {}: {v:?}", k + 1);
            assert_eq!(v.reason, None);
            assert_eq!(Some(v.length), v.shortest_length);
            assert_eq!(a.question(), *q);
            assert_eq!(decode(&encode(a)), Ok(a.clone()));
            // Our own solution may pick another of several shortest paths but is as good.
            let ours = solve(q).unwrap();
            assert!(check_path(q, &ours).shortest);
            min = min.min(v.length);
            max = max.max(v.length);
            sum += v.length;
            walls += q.wall_fraction();
        }
        // The figures of the data's README.
        assert_eq!((min, max), (108, 145));
        assert!((sum as f64 / 1000.0 - 113.1).abs() < 0.05);
        let walls = walls / 1000.0;
        assert!((0.36..0.38).contains(&walls), "{walls}");
    }

    /// Replaces every path cell of `answer` with an open cell, then draws `cells` as path.
    fn redraw(answer: &Maze, cells: &[usize]) -> Maze {
        let mut out = answer.question();
        for &i in cells {
            out.cells[i] = Cell::Path;
        }
        out
    }

    #[test]
    fn broken_paths_are_caught() {
        let pairs = dataset();
        let mut detours = 0;
        for (q, a) in pairs.iter().take(40) {
            let route = shortest_path(a).unwrap();
            let path: Vec<usize> = route[1..route.len() - 1].to_vec();
            assert_eq!(redraw(a, &path).path_len(), path.len());

            // A gap in the middle: the walk stops just before it.
            let mid = path.len() / 2;
            let mut gap = path.clone();
            gap.remove(mid);
            let v = check_path(q, &redraw(a, &gap));
            assert!(!v.valid && !v.shortest);
            let reason = v.reason.unwrap();
            assert!(
                reason.starts_with("the path does not reach the goal: it stops at"),
                "{reason}"
            );
            assert!(reason.ends_with(&at(path[mid - 1], SIDE)), "{reason}");

            // Cutting the first cell leaves the start with nowhere to go.
            let v = check_path(q, &redraw(a, &path[1..]));
            assert!(v
                .reason
                .unwrap()
                .starts_with("the path does not leave the start"));

            // A stray `o` far from the path, or touching it.
            let touching: Vec<usize> = path
                .iter()
                .flat_map(|&i| neighbours(i, SIDE))
                .filter(|&i| q.cells[i] == Cell::Open && !path.contains(&i))
                .collect();
            let far = (0..CELLS).find(|&i| {
                q.cells[i] == Cell::Open
                    && !path.contains(&i)
                    && !neighbours(i, SIDE)
                        .any(|n| path.contains(&n) || n == route[0] || n == route[route.len() - 1])
            });
            if let Some(far) = far {
                let mut stray = path.clone();
                stray.push(far);
                let v = check_path(q, &redraw(a, &stray));
                assert!(!v.valid);
                assert_eq!(v.length, path.len() + 1);
                assert_eq!(
                    v.reason.unwrap(),
                    format!(
                        "path cell at {} is not on the path from the start to the goal",
                        at(far, SIDE)
                    )
                );
            }
            if let Some(&spur) = touching.first() {
                let mut branch = path.clone();
                branch.push(spur);
                let v = check_path(q, &redraw(a, &branch));
                assert!(!v.valid);
                let reason = v.reason.unwrap();
                assert!(reason.starts_with("the path branches at"), "{reason}");
            }

            // `o` on a wall, on the start, on the goal.
            let wall = (0..CELLS).find(|&i| q.cells[i] == Cell::Wall).unwrap();
            let mut on_wall = a.clone();
            on_wall.cells[wall] = Cell::Path;
            assert_eq!(
                check_path(q, &on_wall).reason.unwrap(),
                format!("path cell at {} is a wall", at(wall, SIDE))
            );
            let mut on_start = a.clone();
            on_start.cells[route[0]] = Cell::Path;
            assert!(check_path(q, &on_start)
                .reason
                .unwrap()
                .ends_with("covers the start"));
            let mut on_goal = a.clone();
            on_goal.cells[route[route.len() - 1]] = Cell::Path;
            assert!(check_path(q, &on_goal)
                .reason
                .unwrap()
                .ends_with("covers the goal"));

            // Other changes to the maze.
            let mut knocked = a.clone();
            knocked.cells[wall] = Cell::Open;
            assert_eq!(
                check_path(q, &knocked).reason.unwrap(),
                format!("the answer changes {} from a wall to open floor", at(wall, SIDE))
            );

            // A detour: block one path cell, take the new shortest path, draw it on the original.
            for &blocked in &path {
                let mut harder = q.clone();
                harder.cells[blocked] = Cell::Wall;
                let Some(longer) = shortest_path(&harder) else {
                    continue;
                };
                if longer.len() == route.len() {
                    continue;
                }
                let detour = redraw(a, &longer[1..longer.len() - 1]);
                let v = check_path(q, &detour);
                let extra = longer.len() - route.len();
                assert!(v.valid && !v.shortest, "{v:?}");
                assert_eq!(v.length, path.len() + extra);
                assert_eq!(
                    v.reason.unwrap(),
                    format!(
                        "valid but {extra} cells longer than the shortest ({})",
                        path.len()
                    )
                );
                detours += 1;
                break;
            }
        }
        assert!(detours >= 30, "{detours}");
    }

    #[test]
    fn checker_handles_odd_inputs() {
        let question = parse(&small()).unwrap();
        let mut no_goal = question.clone();
        no_goal.cells[CELLS - 1] = Cell::Open;
        let v = check_path(&no_goal, &question);
        assert_eq!(
            v.reason.unwrap(),
            "the question is not a maze: expected exactly one goal 'G', found none"
        );
        // An answer that is all path, all wall, or the question itself.
        for answer in [
            Maze {
                side: SIDE,
                cells: vec![Cell::Path; CELLS],
            },
            Maze {
                side: SIDE,
                cells: vec![Cell::Wall; CELLS],
            },
            question.clone(),
        ] {
            let v = check_path(&question, &answer);
            assert!(!v.valid && v.reason.is_some());
        }
        // The answer drops the start marker.
        let mut answer = solve(&question).unwrap();
        answer.cells[0] = Cell::Open;
        assert_eq!(
            check_path(&question, &answer).reason.unwrap(),
            "the answer changes row 1, column 1 from the start to open floor"
        );
        // A question that already shows a path is judged as its question.
        let solved = solve(&question).unwrap();
        assert!(check_path(&solved, &solved).shortest);
        // A 2x2 block of path touches itself: reported as a branch.
        let mut open = Maze::open(SIDE);
        open.cells[0] = Cell::Start;
        open.cells[3] = Cell::Goal;
        let mut blob = open.clone();
        for i in [1, 2, SIDE + 1, SIDE + 2] {
            blob.cells[i] = Cell::Path;
        }
        assert!(check_path(&open, &blob)
            .reason
            .unwrap()
            .starts_with("the path branches at"));
    }

    #[test]
    fn csv_reading() {
        let (q, a) = {
            let q = parse(&small()).unwrap();
            (q.clone(), solve(&q).unwrap())
        };
        let body = format!("{},{}\n", q.to_line(), a.to_line());
        assert_eq!(read_csv(&body), Ok(vec![(q.clone(), a.clone())]));
        assert_eq!(
            read_csv(&format!("question,answer\r\n{body}\n\n")),
            Ok(vec![(q.clone(), a.clone())])
        );
        let hf = format!(
            "source,question,answer,rating\nx,{},{},7\n",
            q.to_line(),
            a.to_line()
        );
        assert_eq!(read_csv(&hf), Ok(vec![(q.clone(), a.clone())]));
        assert_eq!(read_csv(""), Ok(vec![]));
        assert_eq!(
            read_csv("question,solution\n"),
            Err(MazeError::CsvColumn { column: "answer" })
        );
        assert_eq!(
            read_csv(&format!("{body}{},{},x\n", q.to_line(), a.to_line())),
            Err(MazeError::Line {
                line: 2,
                field: "line",
                error: Box::new(MazeError::CsvFields {
                    expected: 2,
                    found: 3
                })
            })
        );
        let err = read_csv(&format!("{},{}\n", q.to_line(), q.to_line())).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 1 (answer): the answer is not a valid path: the answer marks no path"
        );
        let err = read_csv(&format!("h\n{},{}\n", &q.to_line()[1..], a.to_line())).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("line 1 (line): expected 2 comma-separated fields, found 1"),
            "{err}"
        );
        let err = read_csv(&format!("{},{}\n", &q.to_line()[1..], a.to_line())).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("line 1 (question): a maze is a square of 3x3 to 30x30 cells"),
            "{err}"
        );
        let err = read_csv(&format!(
            "{},{}\n",
            q.to_line().replace('S', " "),
            a.to_line()
        ))
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 1 (question): expected exactly one start 'S', found none"
        );
    }

    #[test]
    fn generator_makes_hard_valid_mazes() {
        let mut next = rng(7);
        for _ in 0..3 {
            let (question, answer) = generate(&mut next, HARD_MIN_LEN);
            // Parsing the text form checks for exactly one S and one G.
            assert_eq!(parse(&question.to_line()), Ok(question.clone()));
            assert_eq!(parse(&answer.to_text()), Ok(answer.clone()));
            assert_eq!(answer.question(), question);
            assert_eq!(question.path_len(), 0);
            let v = check_path(&question, &answer);
            assert!(v.valid && v.shortest, "{v:?}");
            assert!(v.length > HARD_MIN_LEN, "{}", v.length);
            assert!((0.2..0.55).contains(&question.wall_fraction()));
        }
        // Same seed, same maze.
        assert_eq!(generate(&mut rng(9), 60), generate(&mut rng(9), 60));
        assert_ne!(generate(&mut rng(9), 60), generate(&mut rng(10), 60));
        assert!(shortest_len(&generate(&mut rng(1), 0).0).is_some_and(|n| n > 0));
    }

    #[test]
    fn generator_gives_up_gracefully() {
        // Far beyond what random walls allow: the longest path seen comes back, still valid.
        for min_len in [1_000, usize::MAX] {
            let (question, answer) = generate_within(&mut rng(3), min_len, 300);
            let v = check_path(&question, &answer);
            assert!(v.valid && v.shortest, "{v:?}");
            assert!(v.length > 60, "{}", v.length);
        }
        // A generator stuck on zeros walls every cell; the fallback open maze still works.
        let (question, answer) = generate_within(&mut || 0, 5, 100);
        let v = check_path(&question, &answer);
        assert!(v.valid && v.shortest, "{v:?}");
        assert_eq!(question.wall_fraction(), 0.0);
        // Zero attempts go straight to the fallback.
        let (question, answer) = generate_within(&mut rng(1), 5, 0);
        assert!(check_path(&question, &answer).shortest);
    }

    #[test]
    fn nothing_panics_on_random_input() {
        let mut next = rng(11);
        let charset: Vec<char> = "#  #  SGo\n\r.é\u{feff}".chars().collect();
        for k in 0..300 {
            let len = if k % 3 == 0 {
                below(&mut next, 1000)
            } else {
                895 + below(&mut next, 40)
            };
            let text: String = (0..len)
                .map(|_| charset[below(&mut next, charset.len())])
                .collect();
            if let Ok(maze) = parse(&text) {
                let _ = check_path(&maze, &maze);
                let _ = solve(&maze);
            }
            let _ = read_csv(&text);
        }
        let (question, answer) = generate(&mut next, 40);
        for _ in 0..300 {
            // Random cells of a real answer flipped to random kinds, and random token soup.
            let mut mangled = answer.clone();
            for _ in 0..1 + below(&mut next, 6) {
                mangled.cells[below(&mut next, CELLS)] = Cell::ALL[below(&mut next, 5)];
            }
            let v = check_path(&question, &mangled);
            assert_eq!(v.reason.is_none(), v.valid && v.shortest, "{v:?}");
            assert!(v.valid || !v.shortest);
            let _ = check_path(&mangled, &answer);
            let tokens: Vec<u32> = (0..CELLS).map(|_| below(&mut next, 7) as u32).collect();
            let v = check_tokens(&question, &tokens);
            assert!(!v.valid);
            let _ = check_tokens(&question, &tokens[..below(&mut next, CELLS)]);
        }
    }

    /// Statistics of the generator against the dataset. Slow in debug builds; run with
    /// `cargo test --release -- --ignored --nocapture generator_statistics`.
    #[test]
    #[ignore]
    fn generator_statistics() {
        fn stats(name: &str, mazes: &[(Maze, Maze)]) -> (f64, f64) {
            let walls: Vec<f64> = mazes.iter().map(|(q, _)| q.wall_fraction()).collect();
            let lens: Vec<usize> = mazes.iter().map(|(_, a)| a.path_len()).collect();
            let mean_wall = walls.iter().sum::<f64>() / walls.len() as f64;
            let mean_len = lens.iter().sum::<usize>() as f64 / lens.len() as f64;
            let min_wall = walls.iter().copied().fold(f64::INFINITY, f64::min);
            let max_wall = walls.iter().copied().fold(0.0, f64::max);
            println!(
                "{name}: {} mazes, wall fraction {min_wall:.3}/{mean_wall:.3}/{max_wall:.3}, path length {}/{mean_len:.1}/{} (min/mean/max)",
                mazes.len(),
                lens.iter().min().unwrap(),
                lens.iter().max().unwrap(),
            );
            (mean_wall, mean_len)
        }
        let data = stats("dataset", &dataset());
        let mut next = rng(2024);
        let start = std::time::Instant::now();
        let ours: Vec<(Maze, Maze)> = (0..100)
            .map(|_| generate(&mut next, HARD_MIN_LEN))
            .collect();
        println!("generated 100 in {:.2?}", start.elapsed());
        let gen = stats("generator", &ours);
        assert!((gen.0 - data.0).abs() < 0.02, "{gen:?} vs {data:?}");
        assert!((gen.1 - data.1).abs() < 5.0, "{gen:?} vs {data:?}");
    }
}
