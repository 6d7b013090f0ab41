use std::path::PathBuf;

use trm::puzzle::{maze, sudoku};

use crate::args::read_text;

/// The least work a kept Sudoku's search must take: guesses to the first solution and to
/// the end of the whole tree (0: no bound).
pub(crate) struct MinWork {
    pub(crate) guesses: usize,
    pub(crate) tree_guesses: usize,
}

pub(crate) fn generate(count: usize, difficulty: &str, givens: Option<usize>, min: MinWork, seed: u64) -> Result<(), String> {
    let mut rng = sudoku::Rng::new(seed);
    let diff = match givens {
        Some(g) if !(17..=80).contains(&g) => return Err(format!("--givens must be in 17..=80, not {g}")),
        Some(_) => None,
        None => Some(difficulty.parse::<sudoku::Difficulty>().map_err(|e| e.to_string())?),
    };
    let mut kept = 0;
    while kept < count {
        let (p, s) = match (givens, diff) {
            (Some(g), _) => sudoku::generate(&mut rng, g),
            (None, Some(d)) => sudoku::generate_difficulty(&mut rng, d),
            (None, None) => unreachable!("one of the two is set above"),
        };
        if min.admits(&p) {
            kept += 1;
            println!("{},{}", p.to_line(), s.to_line());
        }
    }
    Ok(())
}

impl MinWork {
    fn admits(&self, p: &sudoku::Grid) -> bool {
        (self.guesses == 0 || sudoku::guesses(p).unwrap_or(0) >= self.guesses)
            && (self.tree_guesses == 0 || sudoku::exhaustive_guesses(p).unwrap_or(0) >= self.tree_guesses)
    }
}

pub(crate) fn generate_vicinity(
    count: usize,
    file: &PathBuf,
    lines: Option<usize>,
    swaps: usize,
    min: MinWork,
    seed: u64,
) -> Result<(), String> {
    if swaps == 0 || swaps > 40 {
        return Err(format!("--swaps must be in 1..=40, not {swaps}"));
    }
    let mut sources = Vec::new();
    for (line, p) in read_sudoku_lines(file)?.into_iter().take(lines.unwrap_or(usize::MAX)) {
        let s = sudoku::solve_unique(&p).map_err(|e| format!("{}:{line}: {e}", file.display()))?;
        sources.push((p, s));
    }
    if sources.is_empty() {
        return Err(format!("{}: no puzzles", file.display()));
    }
    let mut rng = sudoku::Rng::new(seed);
    let (mut kept, mut tries) = (0, 0usize);
    while kept < count {
        tries += 1;
        // A source whose every neighbour loses uniqueness or work would loop forever.
        if tries > 1000 * (count + 100) {
            return Err(format!("only {kept} of {count} neighbours found in {} tries", tries - 1));
        }
        let (p, s) = &sources[rng.below(sources.len())];
        let Some(n) = sudoku::vicinity(p, s, swaps, &mut rng) else { continue };
        if min.admits(&n) {
            kept += 1;
            println!("{},{}", n.to_line(), s.to_line());
        }
    }
    Ok(())
}

/// The puzzles of a file of lines (or CSV with the puzzle first; headers skipped), each
/// with its 1-based line number.
fn read_sudoku_lines(file: &PathBuf) -> Result<Vec<(usize, sudoku::Grid)>, String> {
    let mut out = Vec::new();
    for (i, line) in read_text(file)?.lines().enumerate() {
        let puzzle = line.split(',').next().unwrap_or("").trim();
        if puzzle.is_empty() || puzzle.starts_with("question") || puzzle.starts_with("puzzle") {
            continue;
        }
        let g = sudoku::parse(puzzle).map_err(|e| format!("{}:{}: {e}", file.display(), i + 1))?;
        out.push((i + 1, g));
    }
    Ok(out)
}

pub(crate) fn rate(file: &PathBuf) -> Result<(), String> {
    let (mut counts, mut whole, mut left, mut stalled) = (Vec::new(), Vec::new(), Vec::new(), 0);
    for (line, g) in read_sudoku_lines(file)? {
        counts.push(sudoku::guesses(&g).ok_or_else(|| format!("{}:{line}: no solution", file.display()))?);
        whole.push(sudoku::exhaustive_guesses(&g).unwrap_or(0));
        // A puzzle with a solution neither clashes nor dead-ends under singles.
        left.push(sudoku::blanks_after_singles(&g).unwrap_or(0));
        stalled += usize::from(sudoku::has_single_at_start(&g) == Some(false));
    }
    if counts.is_empty() {
        return Err(format!("{}: no puzzles", file.display()));
    }
    let none = counts.iter().filter(|&&c| c == 0).count();
    println!("puzzles: {}", counts.len());
    println!("solved by singles alone: {:.1}%", 100.0 * none as f64 / counts.len() as f64);
    println!("no naked or hidden single at the start: {:.1}%", 100.0 * stalled as f64 / counts.len() as f64);
    for (label, mut v) in [("guesses", counts), ("guesses to search the whole tree", whole), ("blanks left after singles", left)] {
        v.sort_unstable();
        let q = |f: f64| v[((v.len() - 1) as f64 * f).round() as usize];
        let mean = v.iter().sum::<usize>() as f64 / v.len() as f64;
        println!("{label}: mean {mean:.1}, median {}, p90 {}, max {}", q(0.5), q(0.9), q(1.0));
    }
    Ok(())
}

pub(crate) fn generate_mazes(count: usize, side: usize, min_len: Option<usize>, seed: u64) -> Result<(), String> {
    let request = maze::GenerateRequest::new(side, min_len).map_err(|e| e.to_string())?;
    let mut rng = trm::rng::Rng::new(seed);
    println!("question,answer");
    for _ in 0..count {
        let (q, a) = request.generate(&mut rng);
        println!("{},{}", q.to_line(), a.to_line());
    }
    Ok(())
}
