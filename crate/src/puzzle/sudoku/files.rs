use super::{check_solution, parse, Grid, SudokuError};

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

/// Lines of a file without a leading byte-order mark or trailing blank lines, which editors
/// add freely and which would otherwise break line alignment counts.
fn content_lines(text: &str) -> Vec<&str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines: Vec<&str> = text.lines().collect();
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    lines
}

fn at_line(line: usize, field: &'static str) -> impl Fn(SudokuError) -> SudokuError {
    move |error| SudokuError::Line {
        line,
        field,
        error: Box::new(error),
    }
}

/// Reads line-aligned puzzle and solution files (one 81-character grid per line). Lines blank
/// in both files are skipped. Each solution must complete its puzzle without clashes.
pub fn read_pairs(puzzles: &str, solutions: &str) -> Result<Vec<(Grid, Grid)>, SudokuError> {
    let (p, s) = (content_lines(puzzles), content_lines(solutions));
    if p.len() != s.len() {
        return Err(SudokuError::CountMismatch {
            puzzles: p.len(),
            solutions: s.len(),
        });
    }
    let mut out = Vec::with_capacity(p.len());
    for (k, (pl, sl)) in p.iter().zip(&s).enumerate() {
        if pl.trim().is_empty() && sl.trim().is_empty() {
            continue;
        }
        let line = k + 1;
        let puzzle = parse(pl).map_err(at_line(line, "puzzle"))?;
        let solution = parse(sl).map_err(at_line(line, "solution"))?;
        check_solution(&puzzle, &solution).map_err(at_line(line, "solution"))?;
        out.push((puzzle, solution));
    }
    Ok(out)
}

/// Reads `puzzle,solution` lines. Blank lines are skipped, and so is a first line without any
/// digit (a header such as `quizzes,solutions`).
pub fn read_csv_pairs(text: &str) -> Result<Vec<(Grid, Grid)>, SudokuError> {
    let mut out = Vec::new();
    let mut seen_content = false;
    for (k, raw) in content_lines(text).into_iter().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let line = k + 1;
        let is_first = !seen_content;
        seen_content = true;
        if is_first && !raw.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let fields: Vec<&str> = raw.split(',').collect();
        let [p, s] = fields[..] else {
            return Err(at_line(line, "line")(SudokuError::CsvFields {
                found: fields.len(),
            }));
        };
        let puzzle = parse(p).map_err(at_line(line, "puzzle"))?;
        let solution = parse(s).map_err(at_line(line, "solution"))?;
        check_solution(&puzzle, &solution).map_err(at_line(line, "solution"))?;
        out.push((puzzle, solution));
    }
    Ok(out)
}
