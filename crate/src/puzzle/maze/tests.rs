use super::*;
use super::cell::at;
use super::generate::generate_within;
use super::path::{bfs, neighbours, passable, UNREACHED};
use crate::rng::Rng;
use std::path::PathBuf;

/// The crate's generator, seeded.
fn rng(seed: u64) -> Rng {
    Rng::new(seed)
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
        let mut rand = rng(side as u64);
        for _ in 0..20 {
            let (q, a) = generate_corridors(&mut rand, side, side);
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
    let mut rand = rng(7);
    for _ in 0..3 {
        let (question, answer) = generate(&mut rand, HARD_MIN_LEN);
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
        let (question, answer) = generate_within(&mut { let mut r = rng(3); move || r.next_u64() }, min_len, 300);
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
    let (question, answer) = generate_within(&mut { let mut r = rng(1); move || r.next_u64() }, 5, 0);
    assert!(check_path(&question, &answer).shortest);
}

#[test]
fn nothing_panics_on_random_input() {
    let mut rand = rng(11);
    let charset: Vec<char> = "#  #  SGo\n\r.é\u{feff}".chars().collect();
    for k in 0..300 {
        let len = if k % 3 == 0 {
            rand.below(1000)
        } else {
            895 + rand.below(40)
        };
        let text: String = (0..len)
            .map(|_| charset[rand.below(charset.len())])
            .collect();
        if let Ok(maze) = parse(&text) {
            let _ = check_path(&maze, &maze);
            let _ = solve(&maze);
        }
        let _ = read_csv(&text);
    }
    let (question, answer) = generate(&mut rand, 40);
    for _ in 0..300 {
        // Random cells of a real answer flipped to random kinds, and random token soup.
        let mut mangled = answer.clone();
        for _ in 0..1 + rand.below(6) {
            mangled.cells[rand.below(CELLS)] = Cell::ALL[rand.below(5)];
        }
        let v = check_path(&question, &mangled);
        assert_eq!(v.reason.is_none(), v.valid && v.shortest, "{v:?}");
        assert!(v.valid || !v.shortest);
        let _ = check_path(&mangled, &answer);
        let tokens: Vec<u32> = (0..CELLS).map(|_| rand.below(7) as u32).collect();
        let v = check_tokens(&question, &tokens);
        assert!(!v.valid);
        let _ = check_tokens(&question, &tokens[..rand.below(CELLS)]);
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
    let mut rand = rng(2024);
    let start = std::time::Instant::now();
    let ours: Vec<(Maze, Maze)> = (0..100)
        .map(|_| generate(&mut rand, HARD_MIN_LEN))
        .collect();
    println!("generated 100 in {:.2?}", start.elapsed());
    let gen = stats("generator", &ours);
    assert!((gen.0 - data.0).abs() < 0.02, "{gen:?} vs {data:?}");
    assert!((gen.1 - data.1).abs() < 5.0, "{gen:?} vs {data:?}");
}
