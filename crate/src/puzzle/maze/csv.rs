use super::{check_path, parse, Maze, MazeError};

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
