use super::cell::at;
use super::parse::check_markers;
use super::path::neighbours;
use super::{decode, shortest_len, Cell, Maze};

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
