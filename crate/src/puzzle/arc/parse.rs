use serde_json::Value;

use super::error::describe;
use super::{ArcError, Field, Grid, GridProblem, Pair, Place, Split, Task, COLOURS, SIDE};

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

fn parse_json(text: &str) -> Result<Value, ArcError> {
    // Editors on some systems prepend a byte-order mark, which serde_json rejects.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ArcError::Empty);
    }
    serde_json::from_str(text).map_err(|e| {
        let (line, column) = (e.line(), e.column());
        let full = e.to_string();
        let suffix = format!(" at line {line} column {column}");
        let message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
        ArcError::Json {
            line,
            column,
            message,
        }
    })
}

fn grid_from_value(v: &Value) -> Result<Grid, GridProblem> {
    let rows = v
        .as_array()
        .ok_or_else(|| GridProblem::NotAList { found: describe(v) })?;
    let h = rows.len();
    if h == 0 || h > SIDE {
        return Err(GridProblem::Height { h });
    }
    let mut w = 0;
    let mut cells = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let row_values = row.as_array().ok_or_else(|| GridProblem::RowNotAList {
            row: r + 1,
            found: describe(row),
        })?;
        if r == 0 {
            w = row_values.len();
            if w == 0 || w > SIDE {
                return Err(GridProblem::Width { w });
            }
            cells.reserve(h * w);
        } else if row_values.len() != w {
            return Err(GridProblem::Ragged {
                row: r + 1,
                len: row_values.len(),
                expected: w,
            });
        }
        for (c, x) in row_values.iter().enumerate() {
            // as_u64 is None for negative numbers and for floats, even 1.0: ARC files hold
            // integers, so anything else is more likely a mistake than a colour.
            match x.as_u64() {
                Some(n) if (n as usize) < COLOURS => cells.push(n as u8),
                _ => {
                    return Err(GridProblem::BadCell {
                        row: r + 1,
                        col: c + 1,
                        value: describe(x),
                    })
                }
            }
        }
    }
    Ok(Grid { h, w, cells })
}

fn pairs_from(
    obj: &serde_json::Map<String, Value>,
    key: &'static str,
    split: Split,
) -> Result<Vec<Pair>, ArcError> {
    let list = obj.get(key).ok_or(ArcError::MissingList { key })?;
    let list = list.as_array().ok_or_else(|| ArcError::NotAList {
        key,
        found: describe(list),
    })?;
    if list.is_empty() {
        let needed = match split {
            Split::Train => "demonstration pair",
            Split::Test => "test input",
        };
        return Err(ArcError::EmptyList { key, needed });
    }
    let mut out = Vec::with_capacity(list.len());
    for (k, item) in list.iter().enumerate() {
        let pair = k + 1;
        let fields = item.as_object().ok_or_else(|| ArcError::NotAPair {
            split,
            pair,
            found: describe(item),
        })?;
        // Unknown keys are ignored: other ARC dumps add their own (e.g. ids or notes).
        let grid = |field: Field| -> Result<Option<Grid>, ArcError> {
            let name = match field {
                Field::Input => "input",
                Field::Output => "output",
            };
            match fields.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => grid_from_value(v)
                    .map(Some)
                    .map_err(|problem| ArcError::InPair {
                        place: Place { split, pair, field },
                        problem,
                    }),
            }
        };
        let missing = |field| ArcError::MissingGrid {
            place: Place { split, pair, field },
        };
        let input = grid(Field::Input)?.ok_or_else(|| missing(Field::Input))?;
        let output = grid(Field::Output)?;
        if output.is_none() && split == Split::Train {
            return Err(missing(Field::Output));
        }
        out.push(Pair { input, output });
    }
    Ok(out)
}

/// Parses an ARC task file: `{"train": [{"input": grid, "output": grid}, ...], "test": [...]}`.
/// Demonstration pairs need an output; test pairs may leave it out (or give `null`). Both lists
/// must be non-empty. Keys other than these are ignored.
pub fn parse_task(json: &str) -> Result<Task, ArcError> {
    let v = parse_json(json)?;
    let obj = v.as_object().ok_or_else(|| ArcError::NotATask {
        found: describe(&v),
    })?;
    let train = pairs_from(obj, "train", Split::Train)?;
    let test = pairs_from(obj, "test", Split::Test)?;
    Ok(Task { train, test })
}

/// Parses one grid given as JSON, e.g. `[[0, 1], [2, 3]]`.
pub fn parse_grid(json: &str) -> Result<Grid, ArcError> {
    let v = parse_json(json)?;
    Ok(grid_from_value(&v)?)
}
