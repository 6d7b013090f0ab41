//! 30x30 mazes (the Maze-Hard benchmark of HRM and TRM): parsing, the token encoding, a BFS
//! solver, a checker for a model's path, and a generator of mazes like Maze-Hard.
//!
//! A maze is 900 cells: `#` wall, space open, `S` start, `G` goal, and in answers `o` for the
//! cells of the path from S to G (S and G themselves stay `S` and `G`). "Path length" everywhere
//! here is the number of `o` cells, as in the dataset's README; moves from S to G are one more.
//!
//! Plain CPU code: randomness comes from the caller as a `FnMut() -> u64`, so the same seed gives
//! the same maze natively and in wasm32. Nothing here panics on user input.

use std::fmt;

/// Side of the grid.
pub const SIDE: usize = 30;
/// Cells in a maze.
pub const CELLS: usize = SIDE * SIDE;
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

/// 1-based (row, column) of a cell index, as messages show it.
fn rc(i: usize) -> (usize, usize) {
    (i / SIDE + 1, i % SIDE + 1)
}

fn at(i: usize) -> String {
    let (r, c) = rc(i);
    format!("row {r}, column {c}")
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

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
    #[error("expected 900 cells (30 lines of 30 characters, or one line of 900), found {found} characters")]
    WrongLength { found: usize },
    #[error("expected 30 lines of 30 characters, found {found} lines")]
    LineCount { found: usize },
    #[error("line {line} has {found} characters but every line needs 30 (spaces are open cells, so trailing spaces count)")]
    LineLength { line: usize, found: usize },
    #[error("unexpected character {ch:?} at row {row}, column {col}: use '#' for walls, a space for open cells, 'S' start, 'G' goal, 'o' path")]
    BadChar { ch: char, row: usize, col: usize },
    /// `what` is "start 'S'" or "goal 'G'"; `at` lists where they were found.
    #[error("expected exactly one {what}, found {}", found_list(.at))]
    MarkerCount {
        what: &'static str,
        at: Vec<(usize, usize)>,
    },
    #[error("expected 900 tokens, found {found}")]
    TokenCount { found: usize },
    #[error("token {token} at row {row}, column {col} is not a maze token (1 '#', 2 ' ', 3 'S', 4 'G', 5 'o')")]
    BadToken { token: u32, row: usize, col: usize },
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

/// A 30x30 maze, row-major. [`parse`] guarantees one start and one goal; the field is public,
/// so other mazes can be built, and every function here tolerates them.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Maze {
    pub cells: [Cell; CELLS],
}

impl Maze {
    /// All open, no start or goal.
    pub const fn open() -> Maze {
        Maze {
            cells: [Cell::Open; CELLS],
        }
    }

    /// The cell at 0-based `row`, `col`; None outside the grid.
    pub fn get(&self, row: usize, col: usize) -> Option<Cell> {
        (row < SIDE && col < SIDE).then(|| self.cells[row * SIDE + col])
    }

    fn all(&self, kind: Cell) -> Vec<usize> {
        (0..CELLS).filter(|&i| self.cells[i] == kind).collect()
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
        self.cells.iter().filter(|&&c| c == Cell::Wall).count() as f64 / CELLS as f64
    }

    /// The maze without its path: `o` becomes open floor.
    pub fn question(&self) -> Maze {
        Maze {
            cells: self
                .cells
                .map(|c| if c == Cell::Path { Cell::Open } else { c }),
        }
    }

    /// The 900-character form of the dataset's CSV.
    pub fn to_line(&self) -> String {
        self.cells.iter().map(|c| c.char()).collect()
    }

    /// 30 lines of 30, each ending in a newline.
    pub fn to_text(&self) -> String {
        let mut s = String::with_capacity(CELLS + SIDE);
        for row in self.cells.chunks(SIDE) {
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
        Maze::open()
    }
}

impl fmt::Display for Maze {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

// A flat line of 900 is unreadable in a failed assertion; the 30 rows, fenced so that trailing
// spaces show, are what people compare.
impl fmt::Debug for Maze {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Maze(\n")?;
        for row in self.cells.chunks(SIDE) {
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

/// Parses a maze given as 30 lines of 30 characters or as one line of 900 (the CSV form).
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
        if lines.len() != SIDE {
            return Err(MazeError::LineCount { found: lines.len() });
        }
        let mut chars = Vec::with_capacity(CELLS);
        for (k, line) in lines.iter().enumerate() {
            let n = line.chars().count();
            if n != SIDE {
                return Err(MazeError::LineLength {
                    line: k + 1,
                    found: n,
                });
            }
            chars.extend(line.chars());
        }
        chars
    } else {
        body.chars().collect()
    };
    if chars.len() != CELLS {
        return Err(MazeError::WrongLength { found: chars.len() });
    }
    let mut cells = [Cell::Open; CELLS];
    for (i, (cell, &ch)) in cells.iter_mut().zip(&chars).enumerate() {
        let (row, col) = rc(i);
        *cell = Cell::from_char(ch).ok_or(MazeError::BadChar { ch, row, col })?;
    }
    Ok(Maze { cells })
}

/// Exactly one start and one goal.
fn check_markers(maze: &Maze) -> Result<(), MazeError> {
    for (kind, what) in [(Cell::Start, "start 'S'"), (Cell::Goal, "goal 'G'")] {
        let found = maze.all(kind);
        if found.len() != 1 {
            return Err(MazeError::MarkerCount {
                what,
                at: found.into_iter().map(rc).collect(),
            });
        }
    }
    Ok(())
}

/// Reads the dataset's CSV: `question,answer` lines of 900 characters each (fields hold spaces
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

/// `#`, space, `S`, `G`, `o` become 1..=5.
pub fn encode(maze: &Maze) -> [u32; CELLS] {
    maze.cells.map(Cell::token)
}

/// The maze in 900 tokens. Strict: PAD (0) or a token above 5 is an error naming the first such
/// cell, because a maze cell has no "unknown" state to show it as. Unlike [`parse`] this does not
/// require one start and one goal: a model's answer can get them wrong, and [`check_path`] says
/// so in its verdict.
pub fn decode(tokens: &[u32]) -> Result<Maze, MazeError> {
    if tokens.len() != CELLS {
        return Err(MazeError::TokenCount {
            found: tokens.len(),
        });
    }
    let mut cells = [Cell::Open; CELLS];
    for (i, (cell, &token)) in cells.iter_mut().zip(tokens).enumerate() {
        let (row, col) = rc(i);
        *cell = Cell::from_token(token).ok_or(MazeError::BadToken { token, row, col })?;
    }
    Ok(Maze { cells })
}

// ---------------------------------------------------------------------------------------------
// Shortest paths
// ---------------------------------------------------------------------------------------------

/// Neighbours of `i` in a fixed order (up, left, right, down) so that BFS, and with it the path
/// drawn by [`solve`] and [`generate`], is deterministic.
fn neighbours(i: usize) -> impl Iterator<Item = usize> {
    let (r, c) = (i / SIDE, i % SIDE);
    [
        (r > 0).then(|| i - SIDE),
        (c > 0).then(|| i - 1),
        (c + 1 < SIDE).then(|| i + 1),
        (r + 1 < SIDE).then(|| i + SIDE),
    ]
    .into_iter()
    .flatten()
}

const UNREACHED: u16 = u16::MAX;

/// Moves from `from` to every cell over cells where `passable` holds, and each reached cell's
/// predecessor on one shortest route.
struct Bfs {
    dist: [u16; CELLS],
    parent: [u16; CELLS],
}

fn bfs(passable: &[bool; CELLS], from: usize) -> Bfs {
    let mut dist = [UNREACHED; CELLS];
    let mut parent = [UNREACHED; CELLS];
    let mut queue = [0u16; CELLS];
    let (mut head, mut tail) = (0, 0);
    if from < CELLS && passable[from] {
        dist[from] = 0;
        queue[tail] = from as u16;
        tail += 1;
    }
    while head < tail {
        let u = queue[head] as usize;
        head += 1;
        for v in neighbours(u) {
            if passable[v] && dist[v] == UNREACHED {
                dist[v] = dist[u] + 1;
                parent[v] = u as u16;
                queue[tail] = v as u16;
                tail += 1;
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

fn passable(maze: &Maze) -> [bool; CELLS] {
    maze.cells.map(Cell::is_passable)
}

/// A shortest route from S to G as cell indices, S first and G last (so its length is the path
/// length plus 2), or None when the maze lacks a unique S or G or G cannot be reached. `o` cells
/// count as open.
pub fn shortest_path(maze: &Maze) -> Option<Vec<usize>> {
    let (s, g) = (maze.start()?, maze.goal()?);
    bfs(&passable(maze), s).route(g)
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
/// - it reproduces the question everywhere except open cells turned into `o`;
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
    for i in 0..CELLS {
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
        neighbours(i)
            .filter(|&v| on_path(v) && Some(v) != prev)
            .collect()
    };
    let mut visited = [false; CELLS];
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
    if let Some(stray) = (0..CELLS).find(|&i| answer.cells[i] == Cell::Path && !visited[i]) {
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
    let mut out = Maze::open();
    for i in 0..SIDE {
        for j in 0..SIDE {
            let (r, c) = d.source(i, j, SIDE, SIDE);
            out.cells[i * SIDE + j] = maze.cells[r * SIDE + c];
        }
    }
    out
}

/// [`check_path`] on a model's raw 900 tokens: tokens that do not decode make an invalid verdict
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

fn build(walls: &[bool; CELLS], route: &[usize]) -> (Maze, Maze) {
    let mut question = Maze {
        cells: walls.map(|w| if w { Cell::Wall } else { Cell::Open }),
    };
    let (Some(&s), Some(&g)) = (route.first(), route.last()) else {
        return (question, question);
    };
    question.cells[s] = Cell::Start;
    question.cells[g] = Cell::Goal;
    let mut answer = question;
    for &i in route.iter().skip(1).take(route.len().saturating_sub(2)) {
        answer.cells[i] = Cell::Path;
    }
    (question, answer)
}

/// The largest `min_len` the command line and the page accept: past about 140 almost every
/// random 30x30 grid fails, and past 200 the generator would only hand back the longest path
/// it found, shorter than asked.
pub const MAX_MIN_LEN: usize = 200;

/// A random maze like Maze-Hard and its answer (one shortest path drawn in `o`), with a shortest
/// path of more than `min_len` cells.
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
    let mut best: Option<(u16, [bool; CELLS], Vec<usize>)> = None;
    let mut walls = [false; CELLS];
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
        let passable = walls.map(|w| !w);
        let s = open[below(rng, open.len())];
        let tree = bfs(&passable, s);
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
                return build(&walls, &route);
            }
        }
        if far > 0 && best.as_ref().is_none_or(|(d, _, _)| far > *d) {
            if let Some(g) = open.iter().copied().find(|&i| tree.dist[i] == far) {
                if let Some(route) = tree.route(g) {
                    best = Some((far, walls, route));
                }
            }
        }
    }
    match best {
        Some((_, walls, route)) => build(&walls, &route),
        // Only if every grid was (nearly) all wall, which a 30..50% density never gives; an open
        // maze with S and G in opposite corners keeps this total.
        None => {
            let route: Vec<usize> = (0..SIDE)
                .chain((1..SIDE).map(|r| r * SIDE + SIDE - 1))
                .collect();
            build(&[false; CELLS], &route)
        }
    }
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
        assert_eq!(parse(&line), Ok(maze));
        assert_eq!(parse(&format!("{line}\r\n")), Ok(maze));
        assert_eq!(parse(&text.replace('\n', "\r\n")), Ok(maze));
        assert_eq!(parse(&format!("\u{feff}{text}\n")), Ok(maze));
        assert_eq!(maze.to_line(), line);
        assert_eq!(parse(&maze.to_text()), Ok(maze));
        assert_eq!(maze.to_string(), maze.to_text());
        assert_eq!(maze.to_line().parse::<Maze>(), Ok(maze));
        assert!(format!("{maze:?}").contains("|S    "));
        // The last row ends in open cells followed by G; a maze ending in spaces keeps them.
        let mut ends_open = maze;
        ends_open.cells.swap(CELLS - 1, CELLS - 2);
        assert_eq!(parse(&ends_open.to_line()), Ok(ends_open));
        assert!(ends_open.to_line().ends_with(' '));
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
            "expected 900 cells (30 lines of 30 characters, or one line of 900), found 901 characters"
        );
        let mut lines: Vec<&str> = text.split('\n').collect();
        assert_eq!(
            parse(&lines[..29].join("\n")),
            Err(MazeError::LineCount { found: 29 })
        );
        let short = lines[3].trim_end().to_string();
        lines[3] = &short;
        assert_eq!(
            parse(&lines.join("\n")).unwrap_err().to_string(),
            "line 4 has 0 characters but every line needs 30 (spaces are open cells, so trailing spaces count)"
        );
        assert_eq!(
            parse(&text.replacen(' ', ".", 1)).unwrap_err(),
            MazeError::BadChar {
                ch: '.',
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
        assert_eq!(decode(&t), Ok(answer));
        for c in Cell::ALL {
            assert_eq!(Cell::from_token(c.token()), Some(c));
            assert_eq!(Cell::from_char(c.char()), Some(c));
        }
        assert_eq!(Cell::from_token(0), None);
        assert_eq!(Cell::from_token(6), None);
        assert_eq!(Cell::from_token(u32::MAX), None);

        let mut bad = t;
        bad[31] = PAD_TOKEN;
        assert_eq!(
            decode(&bad).unwrap_err().to_string(),
            "token 0 at row 2, column 2 is not a maze token (1 '#', 2 ' ', 3 'S', 4 'G', 5 'o')"
        );
        bad[31] = 6;
        assert!(decode(&bad).is_err());
        assert_eq!(decode(&t[..5]), Err(MazeError::TokenCount { found: 5 }));
        // No start is fine for decode; the checker reports it.
        let mut no_start = t;
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
        assert_eq!(shortest_path(&Maze::open()), None);

        // Start next to the goal: an empty path is valid and shortest.
        let mut adjacent = Maze::open();
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
            assert_eq!(decode(&encode(a)), Ok(*a));
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
            assert!(reason.ends_with(&at(path[mid - 1])), "{reason}");

            // Cutting the first cell leaves the start with nowhere to go.
            let v = check_path(q, &redraw(a, &path[1..]));
            assert!(v
                .reason
                .unwrap()
                .starts_with("the path does not leave the start"));

            // A stray `o` far from the path, or touching it.
            let touching: Vec<usize> = path
                .iter()
                .flat_map(|&i| neighbours(i))
                .filter(|&i| q.cells[i] == Cell::Open && !path.contains(&i))
                .collect();
            let far = (0..CELLS).find(|&i| {
                q.cells[i] == Cell::Open
                    && !path.contains(&i)
                    && !neighbours(i)
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
                        at(far)
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
            let mut on_wall = *a;
            on_wall.cells[wall] = Cell::Path;
            assert_eq!(
                check_path(q, &on_wall).reason.unwrap(),
                format!("path cell at {} is a wall", at(wall))
            );
            let mut on_start = *a;
            on_start.cells[route[0]] = Cell::Path;
            assert!(check_path(q, &on_start)
                .reason
                .unwrap()
                .ends_with("covers the start"));
            let mut on_goal = *a;
            on_goal.cells[route[route.len() - 1]] = Cell::Path;
            assert!(check_path(q, &on_goal)
                .reason
                .unwrap()
                .ends_with("covers the goal"));

            // Other changes to the maze.
            let mut knocked = *a;
            knocked.cells[wall] = Cell::Open;
            assert_eq!(
                check_path(q, &knocked).reason.unwrap(),
                format!("the answer changes {} from a wall to open floor", at(wall))
            );

            // A detour: block one path cell, take the new shortest path, draw it on the original.
            for &blocked in &path {
                let mut harder = *q;
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
        let mut no_goal = question;
        no_goal.cells[CELLS - 1] = Cell::Open;
        let v = check_path(&no_goal, &question);
        assert_eq!(
            v.reason.unwrap(),
            "the question is not a maze: expected exactly one goal 'G', found none"
        );
        // An answer that is all path, all wall, or the question itself.
        for answer in [
            Maze {
                cells: [Cell::Path; CELLS],
            },
            Maze {
                cells: [Cell::Wall; CELLS],
            },
            question,
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
        let mut open = Maze::open();
        open.cells[0] = Cell::Start;
        open.cells[3] = Cell::Goal;
        let mut blob = open;
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
            (q, solve(&q).unwrap())
        };
        let body = format!("{},{}\n", q.to_line(), a.to_line());
        assert_eq!(read_csv(&body), Ok(vec![(q, a)]));
        assert_eq!(
            read_csv(&format!("question,answer\r\n{body}\n\n")),
            Ok(vec![(q, a)])
        );
        let hf = format!(
            "source,question,answer,rating\nx,{},{},7\n",
            q.to_line(),
            a.to_line()
        );
        assert_eq!(read_csv(&hf), Ok(vec![(q, a)]));
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
                .starts_with("line 1 (question): expected 900 cells"),
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
            assert_eq!(parse(&question.to_line()), Ok(question));
            assert_eq!(parse(&answer.to_text()), Ok(answer));
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
            let mut mangled = answer;
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
