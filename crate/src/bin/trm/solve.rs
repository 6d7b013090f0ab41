use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use trm::search::{Search, SearchOptions};
use trm::puzzle::{self, sudoku, Puzzle};
use trm::solve::{GridView, Solve, SolveOptions};
use trm::{block_on, Engine, Model, PuzzleKind};

use crate::args::{engine, read_text, submissions, RunArgs};

/// The puzzle text of `--puzzle` (the text itself, or a file of that name) or `--file`, with the
/// file's stem as the puzzle's name (ARC's puzzle-table rows are named after task files).
pub(crate) fn puzzle_text(puzzle: Option<String>, file: Option<PathBuf>) -> Result<(String, String), String> {
    let path = match (puzzle, file) {
        (_, Some(f)) => f,
        (Some(t), None) => {
            let p = PathBuf::from(&t);
            // A Sudoku line or a maze is never a file name worth trying (and may be too long for one).
            if t.len() > 255 || t.contains('\n') || !p.is_file() {
                return Ok((t, "task".into()));
            }
            p
        }
        (None, None) => return Err("give --puzzle TEXT|FILE".to_string()),
    };
    let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "task".into());
    Ok((read_text(&path)?, name))
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn solve(model: Arc<Model>, run: &RunArgs, puzzle: Puzzle, solve_opts: SolveOptions) -> Result<(), String> {
    let mut e = engine(model.clone(), run.backend)?;
    let mut s = Solve::start(&mut e, &model, puzzle, solve_opts).map_err(|e| e.to_string())?;
    let n = s.copies().len();
    let kind = s.puzzle().kind();
    println!("engine: {}, {} kind, {n} cop{}", e.name(), s.puzzle().kind().as_str(), if n == 1 { "y" } else { "ies" });
    let mut last = None;
    loop {
        let t0 = Instant::now();
        let Some(step) = block_on(s.step(&mut e)).map_err(|e| e.to_string())? else { break };
        let ms = t0.elapsed().as_secs_f64() * 1e3;
        let solved = step.copies.iter().filter(|c| c.verdict.is_solved()).count();
        let subs = submissions(&e).map(|n| format!("  GPU submissions so far: {n}")).unwrap_or_default();
        let copies_note = if n > 1 { format!("  copies solved: {solved}/{n}") } else { String::new() };
        println!("step {:2}  sigmoid(q_halt) {:.3}  {:.1} ms{copies_note}{subs}", step.step, step.halt_probability, ms);
        for (c, answer) in step.cycles.iter().enumerate() {
            let shown = match answer {
                Some(a) => format!("\n{}", show(kind, a)),
                None => " (no answer)".into(),
            };
            println!("  after H cycle {}:{shown}", c + 1);
        }
        if let Some(a) = &step.answer {
            print!("{}", show(kind, a));
        }
        // The answer a verified copy gave, else the one most copies agree on (ARC's scoring).
        let votes = if n > 1 { format!(" ({} of {n} copies)", step.votes) } else { String::new() };
        println!("verdict{votes}: {}", describe(&step.verdict));
        last = Some(step.verdict);
    }
    if let Some(v) = last {
        println!("final verdict: {}", describe(&v));
    }
    Ok(())
}

/// `trm solve --search-budget`: each step's round and shown answer, and at each round's end
/// the hypotheses the next round adds and withdraws.
pub(crate) fn solve_search(model: Arc<Model>, run: &RunArgs, puzzle: Puzzle, so: SearchOptions) -> Result<(), String> {
    let mut e = engine(model.clone(), run.backend)?;
    let (copies, budget) = (so.round.copies, so.budget);
    let mut s = Search::start(&mut e, &model, puzzle, so).map_err(|e| e.to_string())?;
    println!("engine: {}, sudoku, hypotheses: rounds of {copies} copies, at most {budget} network steps", e.name());
    let list = |hs: &[trm::search::Hypothesis]| hs.iter().map(|h| h.to_string()).collect::<Vec<_>>().join(", ");
    let mut last = None;
    while let Some(step) = block_on(s.step(&mut e, &model)).map_err(|e| e.to_string())? {
        let on = if step.hypotheses.is_empty() { "the puzzle as given".to_string() } else { list(&step.hypotheses) };
        println!("step {:2}  round {} step {} on {on}  network steps {}", step.solve.step, step.round, step.round_step, step.solve.network_steps);
        if let Some(a) = &step.solve.answer {
            print!("{}", show(PuzzleKind::Sudoku, a));
        }
        println!("verdict ({} of {copies} copies): {}", step.solve.votes, describe(&step.solve.verdict));
        if !step.withdrawn.is_empty() {
            println!("withdrawn: {}", list(&step.withdrawn));
        }
        if !step.added.is_empty() {
            println!("next round adds: {}", list(&step.added));
        }
        last = Some(step.solve.verdict);
    }
    if let Some(v) = last {
        println!("final verdict: {}", describe(&v));
    }
    Ok(())
}

/// A grid as `trm solve` prints it: Sudoku with box rules, mazes and ARC as their rows.
fn show(kind: PuzzleKind, g: &GridView) -> String {
    if kind == PuzzleKind::Sudoku {
        if let Ok(grid) = sudoku::parse(&g.rows.concat()) {
            return grid.to_pretty();
        }
    }
    g.rows.iter().map(|r| format!("{r}\n")).collect()
}

fn describe(v: &puzzle::Verdict) -> String {
    match v {
        puzzle::Verdict::Solved => "solved (checked by the rules or the known output)".into(),
        puzzle::Verdict::Wrong { reason, .. } => format!("not solved: {reason}"),
        puzzle::Verdict::Unreadable { reason } => format!("no answer yet: {reason}"),
        puzzle::Verdict::Unknown => "unverified (no known output to compare with)".into(),
    }
}
