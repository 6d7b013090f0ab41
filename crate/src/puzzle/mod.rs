//! Puzzle codecs: parse, validate, encode to and decode from tokens, augment. Nothing
//! here touches tensors or engines.
//!
//! [`Puzzle`] is the one seam every front end (CLI, wasm, evaluators) goes through, whatever
//! the kind: parse a person's text, check that a model fits it, plan the copies to run (each
//! under an augmentation with its puzzle-table row), read a copy's tokens back into an answer
//! in the puzzle's own frame, vote over copies, and judge an answer. The kind modules below
//! keep the details.

pub mod arc;
mod augment;
mod kind;
pub mod maze;
pub mod sudoku;

pub use kind::PuzzleKind;

use std::collections::HashMap;
use std::hash::Hash;

use serde::{Deserialize, Serialize};

use crate::error::{Result, TrmError};
use crate::config::Config;

/// One puzzle, as a person gives it.
#[derive(Debug, Clone, PartialEq)]
pub enum Puzzle {
    Sudoku(sudoku::Grid),
    Maze(maze::Maze),
    /// One test input of an ARC task; `name` picks the model's puzzle-table rows, `side` is
    /// the side of the model's canvas (30, or smaller for a model of small tasks).
    Arc { name: String, task: arc::Task, test: usize, side: usize },
}

/// How one copy of a puzzle was transformed before it met the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Augment {
    Sudoku(sudoku::Augmentation),
    /// Mazes keep their meaning under the eight symmetries of the square.
    Maze(arc::Dihedral),
    Arc(arc::Augmentation),
}

/// A copy to run: the model's input and which puzzle-table row it reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Copy {
    pub tokens: Vec<u32>,
    pub puzzle_id: u32,
    pub augment: Augment,
}

/// Copies (of one puzzle or many, in order) as one batch for the engine.
pub fn batch<'a>(copies: impl IntoIterator<Item = &'a Copy> + Clone) -> crate::Batch {
    crate::Batch {
        tokens: copies.clone().into_iter().flat_map(|c| c.tokens.iter().copied()).collect(),
        puzzle_ids: copies.into_iter().map(|c| c.puzzle_id).collect(),
    }
}

/// A model's answer, mapped back to the puzzle's own frame.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Answer {
    Sudoku(sudoku::Grid),
    Maze(maze::Maze),
    Arc(arc::Grid),
}

impl std::fmt::Display for Answer {
    /// As a person reads the grid: Sudoku in 9 lines with box rules, a maze in its 30 lines of
    /// characters, an ARC grid as one line of colour digits per row.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Answer::Sudoku(g) => write!(f, "{}", g.to_pretty()),
            Answer::Maze(m) => write!(f, "{}", m.to_text()),
            Answer::Arc(g) => {
                for row in g.rows() {
                    writeln!(f, "{}", row.iter().map(|c| char::from(b'0' + c)).collect::<String>())?;
                }
                Ok(())
            }
        }
    }
}

/// What the puzzle's rules (Sudoku, maze) or its known output (ARC) say of an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "lowercase")]
pub enum Verdict {
    Solved,
    /// Breaks a rule or differs from the known output; `cells` are 0-based cell indices at
    /// fault, where the rule can name them.
    Wrong { reason: String, cells: Vec<usize> },
    /// The tokens do not spell an answer of this kind at all.
    Unreadable { reason: String },
    /// ARC without a known output: nothing to judge against.
    Unknown,
}

impl Verdict {
    pub fn is_solved(&self) -> bool {
        matches!(self, Verdict::Solved)
    }
}

fn puzzle_err(e: impl std::fmt::Display) -> TrmError {
    TrmError::puzzle(e.to_string())
}

impl Puzzle {
    /// Parses a person's text: a Sudoku (81 characters or 9 lines), a maze (n lines of n
    /// characters) or an ARC task's JSON (its first test input on the 30x30 canvas; see
    /// [`Puzzle::arc`]).
    pub fn parse(kind: PuzzleKind, text: &str) -> Result<Puzzle> {
        match kind {
            PuzzleKind::Sudoku => {
                let g = sudoku::parse(text)?;
                sudoku::validate(&g)?;
                Ok(Puzzle::Sudoku(g))
            }
            PuzzleKind::Maze => {
                let m = maze::parse(text)?.question();
                if maze::shortest_path(&m).is_none() {
                    return Err(TrmError::puzzle("this maze has no route from S to G"));
                }
                Ok(Puzzle::Maze(m))
            }
            PuzzleKind::Arc => Puzzle::arc("task", arc::parse_task(text).map_err(puzzle_err)?, 0, arc::SIDE),
        }
    }

    /// What a person gave a model of kind `kind` reading `seq_len` tokens: Sudoku or maze
    /// text, or an ARC task's JSON (test input `test`; `name` is the task's name for the
    /// model's puzzle-table rows; the canvas is the model's). When the text does not parse and
    /// looks like another kind, the error says so and names the model to use instead of the
    /// codec's complaint.
    pub fn read(kind: PuzzleKind, seq_len: usize, text: &str, name: &str, test: usize) -> Result<Puzzle> {
        let parsed = match kind {
            PuzzleKind::Arc => arc::parse_task(text).map_err(puzzle_err).and_then(|task| {
                let side = arc::canvas_side(seq_len).ok_or_else(|| {
                    TrmError::ModelFile(format!("an ARC model reads a square canvas of up to 30x30 cells, not {seq_len} tokens"))
                })?;
                Puzzle::arc(name, task, test, side)
            }),
            kind => Puzzle::parse(kind, text),
        };
        parsed.map_err(|e| match guess_kind(text) {
            Some(other) if other != kind => TrmError::puzzle(format!(
                "this puzzle looks like {}, but the model is a {} model (give a {} model)",
                match other {
                    PuzzleKind::Arc => "an ARC task",
                    PuzzleKind::Maze => "a maze",
                    PuzzleKind::Sudoku => "a sudoku",
                },
                kind.as_str(),
                other.as_str()
            )),
            _ => e,
        })
    }

    /// Test input `test` of an ARC task named `name` (a task file's stem, as the puzzle-table
    /// rows name tasks) for a model whose canvas is `side` x `side`.
    pub fn arc(name: &str, task: arc::Task, test: usize, side: usize) -> Result<Puzzle> {
        if test >= task.test.len() {
            return Err(TrmError::puzzle(format!(
                "the task has {} test input(s); test {} does not exist (they count from 0)",
                task.test.len(),
                test
            )));
        }
        let input = &task.test[test].input;
        if input.h > side || input.w > side {
            return Err(TrmError::puzzle(format!(
                "the test input is {}x{} (rows x columns), larger than this model's {side}x{side} canvas: \
                 give a task whose grids fit {side}x{side}, or a model for grids up to 30x30",
                input.h, input.w
            )));
        }
        Ok(Puzzle::Arc { name: name.to_string(), task, test, side })
    }

    pub fn kind(&self) -> PuzzleKind {
        match self {
            Puzzle::Sudoku(_) => PuzzleKind::Sudoku,
            Puzzle::Maze(_) => PuzzleKind::Maze,
            Puzzle::Arc { .. } => PuzzleKind::Arc,
        }
    }

    /// Tokens per copy.
    pub fn seq_len(&self) -> usize {
        match self {
            Puzzle::Sudoku(_) => sudoku::CELLS,
            Puzzle::Maze(m) => m.side() * m.side(),
            Puzzle::Arc { side, .. } => side * side,
        }
    }

    /// An error a person can act on unless a model of `kind` and `config` (a model file's)
    /// was trained for this kind at this size.
    pub fn check_model(&self, kind: PuzzleKind, config: &Config) -> Result<()> {
        kind.expect(self.kind())?;
        let n = config.seq_len;
        if n != self.seq_len() {
            let side = (n as f64).sqrt().round() as usize;
            if let Puzzle::Maze(m) = self {
                // "an 11x11", "a 30x30": the article goes by how the side is said.
                let article = |s: usize| if matches!(s, 8 | 11 | 18) { "an" } else { "a" };
                return Err(TrmError::puzzle(format!(
                    "this maze is {0}x{0}, but the model was trained on {side}x{side} mazes: give {1} {side}x{side} maze or a model for {0}x{0}",
                    m.side(),
                    article(side)
                )));
            }
            return Err(TrmError::ModelFile(format!(
                "this {} model reads {n} cells ({side}x{side}); the puzzle has {}",
                kind.as_str(),
                self.seq_len()
            )));
        }
        Ok(())
    }

    /// The known output, where there is one to judge against (ARC test pairs that carry it).
    fn arc_truth(&self) -> Option<&arc::Grid> {
        match self {
            Puzzle::Arc { task, test, .. } => task.test[*test].output.as_ref(),
            _ => None,
        }
    }

    /// The cells whose answer is the model's own work, the ones cell accuracy counts:
    /// a Sudoku's blanks, a maze's open cells (walls, S and G are only copied), every cell of
    /// an ARC canvas.
    pub fn scored_cells(&self) -> Vec<bool> {
        match self {
            Puzzle::Sudoku(g) => g.cells.iter().map(|&c| c == 0).collect(),
            Puzzle::Maze(m) => m.cells().iter().map(|c| *c == maze::Cell::Open).collect(),
            Puzzle::Arc { side, .. } => vec![true; side * side],
        }
    }

    /// `copies` copies to run in one batch, the untransformed puzzle first. ARC takes
    /// [`arc::test_plan`] (the model's own rows for the task where it has them); Sudoku takes
    /// seeded random augmentations and mazes the symmetries of the square, on row 0.
    pub fn plan(&self, rows: Option<&[String]>, copies: usize, seed: u64) -> Vec<Copy> {
        let copies = copies.max(1);
        let mut rng = crate::rng::Rng::new(seed);
        match self {
            Puzzle::Sudoku(g) => (0..copies)
                .map(|i| {
                    let a = if i == 0 { sudoku::Augmentation::identity() } else { sudoku::Augmentation::random(&mut rng) };
                    Copy { tokens: sudoku::to_tokens(&a.apply(g)).to_vec(), puzzle_id: 0, augment: Augment::Sudoku(a) }
                })
                .collect(),
            // A maze has eight symmetries and no other meaning-keeping change, so at most 8.
            Puzzle::Maze(m) => arc::Dihedral::ALL[..copies.min(8)]
                .iter()
                .map(|&d| {
                    Copy { tokens: maze::encode(&maze::transform(m, d)).to_vec(), puzzle_id: 0, augment: Augment::Maze(d) }
                })
                .collect(),
            Puzzle::Arc { name, task, test, side } => arc::test_plan(rows, name, copies, seed)
                .into_iter()
                .map(|(a, id)| Copy {
                    tokens: arc::encode(&a.apply(&task.test[*test].input), *side),
                    puzzle_id: id,
                    augment: Augment::Arc(a),
                })
                .collect(),
        }
    }

    /// The copy that plan slot `index` starts over with on its `attempt`-th restart (1, 2, ...),
    /// under an augmentation drawn from (seed, index, attempt) alone, so that the attempts of
    /// one slot differ from each other and from every other slot's, and a split of the slots
    /// over workers draws the same ones. None where there is nothing new to try: a maze has
    /// only its 8 symmetries, and ARC has no rules to tell a settled wrong answer from a
    /// right one.
    pub fn restart_copy(&self, seed: u64, index: usize, attempt: usize) -> Option<Copy> {
        match self {
            Puzzle::Sudoku(g) => {
                let mut rng = crate::rng::Rng::new(
                    seed ^ (index as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03)
                        ^ (attempt as u64).wrapping_mul(0x8CB9_2BA7_2F3D_8DD7),
                );
                let a = sudoku::Augmentation::random(&mut rng);
                Some(Copy { tokens: sudoku::to_tokens(&a.apply(g)).to_vec(), puzzle_id: 0, augment: Augment::Sudoku(a) })
            }
            Puzzle::Maze(_) | Puzzle::Arc { .. } => None,
        }
    }

    /// A copy's tokens as an answer in the puzzle's own frame, or why they spell none.
    pub fn answer(&self, augment: &Augment, tokens: &[u32]) -> std::result::Result<Answer, String> {
        match augment {
            Augment::Sudoku(a) => {
                sudoku::from_tokens(tokens).map(|g| Answer::Sudoku(a.inverse().apply(&g))).map_err(|e| e.to_string())
            }
            Augment::Maze(d) => {
                maze::decode(tokens).map(|m| Answer::Maze(maze::transform(&m, d.inverse()))).map_err(|e| e.to_string())
            }
            Augment::Arc(a) => arc::decode(tokens)
                .map(|g| Answer::Arc(a.inverse().apply(&g)))
                .ok_or_else(|| "no grid in the answer: the top-left cell is not a colour".to_string()),
        }
    }

    /// An answer as the model's target tokens for this puzzle (the frame of the untransformed
    /// puzzle, on this puzzle's canvas).
    pub fn target_tokens(&self, answer: &Answer) -> Vec<u32> {
        match answer {
            Answer::Sudoku(g) => sudoku::to_tokens(g).to_vec(),
            Answer::Maze(m) => maze::encode(m).to_vec(),
            Answer::Arc(g) => arc::encode(g, arc::canvas_side(self.seq_len()).unwrap_or(arc::SIDE)),
        }
    }

    /// Judges an answer by the puzzle's rules: a Sudoku must be complete, keep the givens and
    /// break no rule; a maze path must be valid and shortest; an ARC answer must equal the
    /// known output (Unknown without one). The rules only judge: they never fill or fix a cell.
    pub fn judge(&self, answer: &Answer) -> Verdict {
        match (self, answer) {
            (Puzzle::Sudoku(p), Answer::Sudoku(a)) => match sudoku::check_solution(p, a) {
                Ok(()) => Verdict::Solved,
                Err(e) => {
                    let mut cells: Vec<usize> = sudoku::clashes(a).into_iter().flat_map(|(i, j)| [i, j]).collect();
                    cells.extend((0..sudoku::CELLS).filter(|&i| a.cells[i] == 0 || (p.cells[i] != 0 && p.cells[i] != a.cells[i])));
                    cells.sort_unstable();
                    cells.dedup();
                    Verdict::Wrong { reason: e.to_string(), cells }
                }
            },
            (Puzzle::Maze(q), Answer::Maze(a)) => {
                let v = maze::check_path(q, a);
                match v.reason {
                    None => Verdict::Solved,
                    Some(reason) => Verdict::Wrong { reason, cells: Vec::new() },
                }
            }
            (Puzzle::Arc { .. }, Answer::Arc(g)) => match self.arc_truth() {
                None => Verdict::Unknown,
                Some(t) if t == g => Verdict::Solved,
                Some(t) => {
                    let cells = if (t.h, t.w) == (g.h, g.w) {
                        (0..t.cells.len()).filter(|&i| t.cells[i] != g.cells[i]).collect()
                    } else {
                        Vec::new()
                    };
                    let reason = if cells.is_empty() {
                        format!("the answer is {}x{}, the known output {}x{}", g.h, g.w, t.h, t.w)
                    } else {
                        format!("{} cell(s) differ from the known output", cells.len())
                    };
                    Verdict::Wrong { reason, cells }
                }
            },
            _ => Verdict::Unreadable { reason: "an answer of another kind of puzzle".into() },
        }
    }

    /// [`Puzzle::answer`] then [`Puzzle::judge`].
    pub fn judge_tokens(&self, augment: &Augment, tokens: &[u32]) -> (Option<Answer>, Verdict) {
        match self.answer(augment, tokens) {
            Ok(a) => {
                let v = self.judge(&a);
                (Some(a), v)
            }
            Err(reason) => (None, Verdict::Unreadable { reason }),
        }
    }
}

/// The kind a text most likely holds, so that a puzzle given to a model of another kind gets
/// "this looks like a maze" rather than a parse error of the wrong codec. None when unclear.
pub fn guess_kind(text: &str) -> Option<PuzzleKind> {
    let t = text.trim_start();
    if t.starts_with('{') {
        return Some(PuzzleKind::Arc);
    }
    if t.contains('#') || t.contains('S') || t.contains('G') {
        return Some(PuzzleKind::Maze);
    }
    let cells = t.chars().filter(|c| !c.is_whitespace()).count();
    (t.chars().all(|c| c.is_whitespace() || c == '.' || c.is_ascii_digit()) && cells > 0 && cells <= sudoku::CELLS)
        .then_some(PuzzleKind::Sudoku)
}

/// NaN sorts below every number, so a broken confidence never outranks a real one.
fn q_key(q: f32) -> f32 {
    if q.is_nan() {
        f32::NEG_INFINITY
    } else {
        q
    }
}

/// Groups identical answers (already in the puzzle's own frame) and ranks them as the paper's
/// ARC evaluation does: by how many copies produced the answer, then by the mean of their
/// confidences (sigmoid of q_halt), both descending. Answers tied on both keep the order in
/// which they first appear (a stable sort). Returns `(answer, count, mean confidence)`.
pub fn vote<T: Hash + Eq + Clone>(candidates: &[(T, f32)]) -> Vec<(T, usize, f32)> {
    let mut index: HashMap<&T, usize> = HashMap::new();
    let mut groups: Vec<(&T, usize, f64)> = Vec::new();
    for (answer, q) in candidates {
        let k = *index.entry(answer).or_insert_with(|| {
            groups.push((answer, 0, 0.0));
            groups.len() - 1
        });
        groups[k].1 += 1;
        groups[k].2 += *q as f64;
    }
    let mut ranked: Vec<(T, usize, f32)> =
        groups.into_iter().map(|(a, n, sum)| (a.clone(), n, (sum / n as f64) as f32)).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| q_key(b.2).total_cmp(&q_key(a.2))));
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUDOKU: &str =
        "4.....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......";


    #[test]
    fn parse_checks_each_kind_and_names_the_problem() {
        assert!(matches!(Puzzle::parse(PuzzleKind::Sudoku, SUDOKU), Ok(Puzzle::Sudoku(_))));
        let e = Puzzle::parse(PuzzleKind::Sudoku, "12").unwrap_err();
        assert_eq!(e.kind(), "PuzzleError");
        assert!(e.to_string().contains("81 cells"), "{e}");
        // A wall between S and G: parsed, but refused as unsolvable.
        let mut rows = vec![" ".repeat(30); 30];
        rows[0].replace_range(0..1, "S");
        rows[29].replace_range(29..30, "G");
        rows[15] = "#".repeat(30);
        let e = Puzzle::parse(PuzzleKind::Maze, &rows.join("\n")).unwrap_err();
        assert!(e.to_string().contains("no route"), "{e}");
        rows[15].replace_range(3..4, " ");
        assert!(matches!(Puzzle::parse(PuzzleKind::Maze, &rows.join("\n")), Ok(Puzzle::Maze(_))));
        let e = Puzzle::parse(PuzzleKind::Arc, "{\"train\": []").unwrap_err();
        assert_eq!(e.kind(), "PuzzleError");
        let task = arc::parse_task(r#"{"train": [{"input": [[0]], "output": [[0]]}], "test": [{"input": [[1]]}]}"#).unwrap();
        assert!(Puzzle::arc("t", task, 1, arc::SIDE).unwrap_err().to_string().contains("1 test input"));
    }

    #[test]
    fn guess_kind_tells_the_three_apart() {
        assert_eq!(guess_kind(SUDOKU), Some(PuzzleKind::Sudoku));
        assert_eq!(guess_kind("  {\"train\": []}"), Some(PuzzleKind::Arc));
        let (q, _) = maze::generate(&mut crate::rng::Rng::new(3), 60);
        assert_eq!(guess_kind(&q.to_text()), Some(PuzzleKind::Maze));
        assert_eq!(guess_kind("hello"), None);
    }

    #[test]
    fn a_model_of_another_kind_or_size_is_refused() {
        let p = Puzzle::parse(PuzzleKind::Sudoku, SUDOKU).unwrap();
        p.check_model(PuzzleKind::Sudoku, &PuzzleKind::Sudoku.paper_config()).unwrap();
        let e = p.check_model(PuzzleKind::Maze, &PuzzleKind::Maze.paper_config()).unwrap_err();
        assert!(e.to_string().contains("maze model"), "{e}");
    }

    #[test]
    fn every_copy_reads_back_to_the_puzzle_itself() {
        // Feeding a copy's own tokens back as the "answer" must give the puzzle in its own
        // frame, whatever the augmentation.
        let s = Puzzle::parse(PuzzleKind::Sudoku, SUDOKU).unwrap();
        let copies = s.plan(None, 12, 7);
        assert_eq!(copies.len(), 12);
        assert!(copies[1..].iter().any(|c| c.tokens != copies[0].tokens));
        for c in &copies {
            assert_eq!(s.answer(&c.augment, &c.tokens), Ok(Answer::Sudoku(match &s {
                Puzzle::Sudoku(g) => *g,
                _ => unreachable!(),
            })));
        }
        let (q, _) = maze::generate(&mut crate::rng::Rng::new(3), 60);
        let m = Puzzle::Maze(q.clone());
        let copies = m.plan(None, 8, 0);
        for c in &copies {
            assert_eq!(m.answer(&c.augment, &c.tokens), Ok(Answer::Maze(q.clone())));
        }
        let distinct: std::collections::HashSet<_> = copies.iter().map(|c| c.tokens.clone()).collect();
        assert_eq!(distinct.len(), 8, "the eight symmetries of a random maze differ");
        assert_eq!(m.plan(None, 20, 0).len(), 8, "no copy repeats a symmetry");
    }

    #[test]
    fn judge_names_what_is_wrong() {
        let p = Puzzle::parse(PuzzleKind::Sudoku, SUDOKU).unwrap();
        let Puzzle::Sudoku(g) = &p else { unreachable!() };
        let solved = sudoku::solve(g).unwrap();
        assert_eq!(p.judge(&Answer::Sudoku(solved)), Verdict::Solved);
        let mut wrong = solved;
        wrong.cells[1] = wrong.cells[2]; // a clash in row 1
        match p.judge(&Answer::Sudoku(wrong)) {
            Verdict::Wrong { cells, .. } => assert!(cells.contains(&1) && cells.contains(&2), "{cells:?}"),
            v => panic!("{v:?}"),
        }
        let (q, a) = maze::generate(&mut crate::rng::Rng::new(5), 60);
        let m = Puzzle::Maze(q.clone());
        assert_eq!(m.judge(&Answer::Maze(a)), Verdict::Solved);
        assert!(matches!(m.judge(&Answer::Maze(q)), Verdict::Wrong { .. }));
        let (_, v) = m.judge_tokens(&Augment::Maze(arc::Dihedral::default()), &[0; maze::CELLS]);
        assert!(matches!(v, Verdict::Unreadable { .. }));

        let task = arc::parse_task(r#"{"train": [{"input": [[0]], "output": [[0]]}], "test": [{"input": [[1, 2]], "output": [[3, 4]]}]}"#).unwrap();
        let a = Puzzle::arc("t", task, 0, arc::SIDE).unwrap();
        let grid = |rows: &[&[u8]]| arc::Grid::from_rows(&rows.iter().map(|r| r.to_vec()).collect::<Vec<_>>()).unwrap();
        assert_eq!(a.judge(&Answer::Arc(grid(&[&[3, 4]]))), Verdict::Solved);
        assert_eq!(a.judge(&Answer::Arc(grid(&[&[3, 5]]))), Verdict::Wrong { reason: "1 cell(s) differ from the known output".into(), cells: vec![1] });
        let task = arc::parse_task(r#"{"train": [{"input": [[0]], "output": [[0]]}], "test": [{"input": [[1, 2]]}]}"#).unwrap();
        assert_eq!(Puzzle::arc("t", task, 0, arc::SIDE).unwrap().judge(&Answer::Arc(grid(&[&[3]]))), Verdict::Unknown);
    }

    #[test]
    fn an_arc_model_on_a_small_canvas_reads_tasks_that_fit_and_says_which_do_not() {
        let small = r#"{"train": [{"input": [[0]], "output": [[0]]}], "test": [{"input": [[1, 2], [3, 4]], "output": [[4, 3], [2, 1]]}]}"#;
        let p = Puzzle::read(PuzzleKind::Arc, 100, small, "t", 0).unwrap();
        assert_eq!(p.seq_len(), 100);
        assert_eq!(p.scored_cells().len(), 100);
        for copy in p.plan(None, 8, 1) {
            assert_eq!(copy.tokens.len(), 100);
        }
        // The known output, encoded on the same canvas, reads back as a solved answer under
        // every copy's augmentation.
        let Puzzle::Arc { task, .. } = &p else { unreachable!() };
        let truth = Answer::Arc(task.test[0].output.clone().unwrap());
        for copy in p.plan(None, 8, 1) {
            let Augment::Arc(a) = copy.augment else { unreachable!() };
            let Answer::Arc(t) = &truth else { unreachable!() };
            let (answer, verdict) = p.judge_tokens(&copy.augment, &arc::encode(&a.apply(t), 10));
            assert_eq!((answer.as_ref(), verdict), (Some(&truth), Verdict::Solved));
        }
        assert_eq!(p.target_tokens(&truth).len(), 100);

        let wide = format!(r#"{{"train": [{{"input": [[0]], "output": [[0]]}}], "test": [{{"input": [[{}]]}}]}}"#, vec!["1"; 11].join(","));
        let e = Puzzle::read(PuzzleKind::Arc, 100, &wide, "t", 0).unwrap_err();
        assert_eq!(e.kind(), "PuzzleError");
        assert!(e.to_string().contains("1x11 (rows x columns), larger than this model's 10x10 canvas"), "{e}");
        assert!(Puzzle::read(PuzzleKind::Arc, 900, &wide, "t", 0).is_ok());
        let e = Puzzle::read(PuzzleKind::Arc, 99, small, "t", 0).unwrap_err();
        assert_eq!(e.kind(), "ModelError");
    }

    #[test]
    fn vote_ranks_by_count_then_confidence_and_is_stable() {
        let v = vote(&[("a", 0.9), ("b", 0.2), ("b", 0.4), ("c", 0.9), ("a", 0.1), ("d", f32::NAN)]);
        let order: Vec<&str> = v.iter().map(|(a, _, _)| *a).collect();
        assert_eq!(order, ["a", "b", "c", "d"]);
        assert_eq!(v[0].1, 2);
        assert!((v[0].2 - 0.5).abs() < 1e-6 && (v[1].2 - 0.3).abs() < 1e-6);
        assert_eq!(vote(&[("x", 0.5), ("y", 0.5)])[0].0, "x");
    }
}
