use super::*;
use super::generate::pattern_solution;

// (puzzle, solution) pairs copied from data/sudoku: the first two lines of
// tdoku_17_clue_sample10k.txt and two lines of sudoku_extreme_train_subsample.txt
// (line 1, and line 20, a 17-clue one).
const KNOWN: [(&str, &str); 4] = [
    (
        ".................1.....2.3......3.2...4....5...6.1.....3......6.7..8...952.7.....",
        "143657982952438761867192435795863124314279658286514397438921576671385249529746813",
    ),
    (
        ".................1.....2.3......45.6..3.......17...8.....16......8....4..6.5..2..",
        "836491752724835961591672438982314576653789124417256893245167389178923645369548217",
    ),
    (
        "...7.2..5....95.8.19..8..67..4...6....79...2.26...1......5......39.....8....784..",
        "846712935372695184195483267984237651517964823263851749728549316439126578651378492",
    ),
    (
        "92.3.....1..9....6......4...........21.....9.....84.....4...5.8...2..........6...",
        "926341785148975236357862419483529167215637894769184352694713528571298643832456971",
    ),
];

fn g(s: &str) -> Grid {
    parse(s).expect("test grid parses")
}

fn is_valid_full(grid: &Grid) -> bool {
    grid.is_full() && validate(grid).is_ok()
}

#[test]
fn parse_line_format_with_dots_and_zeros() {
    let (p, _) = KNOWN[0];
    let a = g(p);
    let b = g(&p.replace('.', "0"));
    assert_eq!(a, b);
    assert_eq!(a.givens(), 17);
    assert_eq!(a.to_line(), p);
    assert_eq!(a.to_string().len(), 81);
    assert_eq!(format!("{a:?}"), format!("Grid({p})"));
    assert_eq!(p.parse::<Grid>().unwrap(), a);
}

#[test]
fn parse_nine_lines_and_any_whitespace() {
    let (p, _) = KNOWN[2];
    let nine: String = p
        .as_bytes()
        .chunks(9)
        .map(|r| format!("  {} \r\n", std::str::from_utf8(r).unwrap()))
        .collect();
    assert_eq!(g(&nine), g(p));
    let pretty = g(p).to_pretty();
    assert_eq!(pretty.lines().count(), 9);
    assert_eq!(g(&pretty), g(p));
    let spaced: String = p.chars().flat_map(|c| [c, ' ', '\t']).collect();
    assert_eq!(g(&format!("\u{feff}{spaced}")), g(p));
}

#[test]
fn parse_errors() {
    assert_eq!(parse(""), Err(SudokuError::Empty));
    assert_eq!(parse(" \n\t "), Err(SudokuError::Empty));
    assert_eq!(
        parse(&".".repeat(80)),
        Err(SudokuError::WrongLength { found: 80 })
    );
    assert_eq!(
        parse(&"1".repeat(82)),
        Err(SudokuError::WrongLength { found: 82 })
    );
    // A CSV line pasted whole: the comma is past cell 81, so length is the useful message.
    let (p, s) = KNOWN[0];
    assert_eq!(
        parse(&format!("{p},{s}")),
        Err(SudokuError::WrongLength { found: 163 })
    );

    let mut bad: Vec<char> = KNOWN[0].0.chars().collect();
    bad[13] = 'x'; // row 2, column 5
    let err = parse(&bad.iter().collect::<String>()).unwrap_err();
    assert_eq!(
        err,
        SudokuError::BadChar {
            ch: 'x',
            index: 13,
            row: 2,
            col: 5
        }
    );
    let msg = err.to_string();
    assert!(
        msg.contains("row 2, column 5") && msg.contains("'x'"),
        "{msg}"
    );

    let err = parse("é").unwrap_err();
    assert_eq!(
        err,
        SudokuError::BadChar {
            ch: 'é',
            index: 0,
            row: 1,
            col: 1
        }
    );
    assert!(SudokuError::WrongLength { found: 80 }
        .to_string()
        .contains("expected 81 cells, found 80"));
}

#[test]
fn validate_reports_each_clash_kind() {
    let mut row = Grid::empty();
    row.cells[9 + 1] = 5;
    row.cells[9 + 7] = 5;
    let err = validate(&row).unwrap_err();
    assert_eq!(
        err,
        SudokuError::Clash {
            digit: 5,
            a: (2, 2),
            b: (2, 8),
            unit: Unit::Row
        }
    );
    assert!(
        err.to_string()
            .contains("same row: at row 2, column 2 and at row 2, column 8"),
        "{err}"
    );

    let mut col = Grid::empty();
    col.cells[4] = 3;
    col.cells[8 * 9 + 4] = 3;
    assert_eq!(
        validate(&col),
        Err(SudokuError::Clash {
            digit: 3,
            a: (1, 5),
            b: (9, 5),
            unit: Unit::Column
        })
    );

    let mut bx = Grid::empty();
    bx.cells[0] = 9;
    bx.cells[2 * 9 + 2] = 9;
    assert_eq!(
        validate(&bx),
        Err(SudokuError::Clash {
            digit: 9,
            a: (1, 1),
            b: (3, 3),
            unit: Unit::Box
        })
    );

    let mut bad = Grid::empty();
    bad.cells[80] = 12;
    assert_eq!(
        validate(&bad),
        Err(SudokuError::BadValue {
            index: 80,
            row: 9,
            col: 9,
            value: 12
        })
    );
    assert_eq!(solve(&bad), None);
    assert_eq!(bad.to_line().chars().last(), Some('?'));

    for (p, s) in KNOWN {
        assert_eq!(validate(&g(p)), Ok(()));
        assert_eq!(validate(&g(s)), Ok(()));
    }
}

#[test]
fn clashes_on_hand_made_full_grid() {
    let solution = g(KNOWN[0].1);
    assert!(clashes(&solution).is_empty());
    // Overwrite cell (0,0) (a 1) with the 4 from (0,1): clashes with (0,1) in its row and
    // box, and with the 4 in column 1 further down; the row/box pair is listed once.
    let mut wrong = solution;
    assert_eq!((wrong.cells[0], wrong.cells[1]), (1, 4));
    wrong.cells[0] = 4;
    let col_four = (1..9)
        .map(|r| r * 9)
        .find(|&i| wrong.cells[i] == 4)
        .unwrap();
    assert_eq!(clashes(&wrong), vec![(0, 1), (0, col_four)]);
    assert!(validate(&wrong).is_err());
    assert_eq!(
        check_solution(&g(KNOWN[0].0), &wrong).unwrap_err(),
        validate(&wrong).unwrap_err()
    );
}

#[test]
fn solver_solves_known_puzzles_uniquely() {
    for (p, s) in KNOWN {
        let (puzzle, solution) = (g(p), g(s));
        assert_eq!(solve(&puzzle), Some(solution), "{p}");
        assert_eq!(count_solutions(&puzzle, 2), 1, "{p}");
        assert_eq!(solve_unique(&puzzle), Ok(solution));
        assert!(is_solution_of(&puzzle, &solution));
        // A full, valid grid is its own (only) solution.
        assert_eq!(solve(&solution), Some(solution));
    }
}

#[test]
fn solver_edge_cases() {
    let empty = Grid::empty();
    assert!(is_valid_full(&solve(&empty).unwrap()));
    assert_eq!(count_solutions(&empty, 2), 2);
    assert_eq!(count_solutions(&empty, 0), 0);
    assert_eq!(solve_unique(&empty), Err(SudokuError::MultipleSolutions));

    // No clash among the givens, but cell (0,0) sees 1-8 in its row and 9 in its column.
    let mut dead = Grid::empty();
    for c in 1..9 {
        dead.cells[c] = c as u8;
    }
    dead.cells[9 * 4] = 9;
    assert_eq!(validate(&dead), Ok(()));
    assert_eq!(solve(&dead), None);
    assert_eq!(count_solutions(&dead, 5), 0);
    assert_eq!(solve_unique(&dead), Err(SudokuError::Unsolvable));

    let mut clash = g(KNOWN[1].0);
    clash.cells[9] = clash.cells[17]; // same row
    assert_eq!(solve(&clash), None);
    assert!(matches!(
        solve_unique(&clash),
        Err(SudokuError::Clash { .. })
    ));

    // Removing one clue from a minimal-ish puzzle typically allows more solutions.
    let mut loose = g(KNOWN[0].0);
    let first = loose.cells.iter().position(|&v| v != 0).unwrap();
    loose.cells[first] = 0;
    let n = count_solutions(&loose, 10);
    assert!(n >= 2, "{n}");
}

#[test]
fn rng_is_deterministic_and_in_range() {
    let (mut a, mut b) = (Rng::new(7), Rng::new(7));
    for _ in 0..100 {
        assert_eq!(a.next_u64(), b.next_u64());
    }
    let mut seen = [0usize; 7];
    for _ in 0..7000 {
        seen[a.below(7)] += 1;
    }
    assert!(seen.iter().all(|&n| n > 800), "{seen:?}");
    assert_eq!(a.below(0), 0);
    assert_eq!(a.below(1), 0);
    assert!(a.below(usize::MAX) < usize::MAX);
}

#[test]
fn random_solutions_are_valid_and_varied() {
    let mut rng = Rng::new(1);
    let sols: Vec<Grid> = (0..50).map(|_| random_solution(&mut rng)).collect();
    assert!(sols.iter().all(is_valid_full));
    assert!(sols.windows(2).all(|w| w[0] != w[1]));
    assert!(is_valid_full(&pattern_solution()));
}

#[test]
fn generator_hits_target_with_unique_solution() {
    for seed in 0..4 {
        let mut rng = Rng::new(seed);
        let (puzzle, solution) = generate(&mut rng, 30);
        assert_eq!(puzzle.givens(), 30, "seed {seed}");
        assert_eq!(count_solutions(&puzzle, 2), 1);
        assert_eq!(solve(&puzzle), Some(solution));
        assert!(is_solution_of(&puzzle, &solution));
    }
    // Same seed, same puzzle.
    assert_eq!(
        generate(&mut Rng::new(9), 35),
        generate(&mut Rng::new(9), 35)
    );
}

#[test]
fn minimal_puzzles_are_minimal() {
    for seed in 10..13 {
        let (puzzle, solution) = generate_minimal(&mut Rng::new(seed));
        assert_eq!(solve_unique(&puzzle), Ok(solution));
        assert!(
            puzzle.givens() >= 17 && puzzle.givens() <= 30,
            "{}",
            puzzle.givens()
        );
        for i in (0..CELLS).filter(|&i| puzzle.cells[i] != 0) {
            let mut fewer = puzzle;
            fewer.cells[i] = 0;
            assert_eq!(count_solutions(&fewer, 2), 2, "clue {i} was removable");
        }
    }
}

#[test]
fn guesses_rate_search_work() {
    let rows = "8........ ..36..... .7..9.2.. .5...7... ....457.. ...1...3. ..1....68 ..85...1. .9....4..";
    let extreme = parse(&rows.replace(' ', "")).unwrap();
    let solution = solve(&extreme).unwrap();
    assert_eq!(guesses(&solution), Some(0), "a full grid needs no guess");
    let hard = guesses(&extreme).unwrap();
    assert!(hard >= 10, "Arto Inkala's puzzle took {hard} guesses");
    // One blank is a naked single: no guess.
    let mut one = solution;
    one.cells[40] = 0;
    assert_eq!(guesses(&one), Some(0));
    let mut broken = extreme;
    broken.cells[1] = 8; // clashes with the 8 in the same row
    assert_eq!(guesses(&broken), None);
    // The whole tree holds the path to the first solution, and more.
    let all = exhaustive_guesses(&extreme).unwrap();
    assert!(all > hard, "{all} guesses for the whole tree, {hard} to the first solution");
    assert_eq!(exhaustive_guesses(&one), Some(0));
    assert_eq!(exhaustive_guesses(&broken), None);
}

#[test]
fn singles_at_start_tell_puzzles_that_need_reasoning_from_the_first_move() {
    // Arto Inkala's puzzle offers no single at all; the first two 17-clue puzzles and
    // Extreme line 1 do, and one blank in a full grid is a naked single.
    let rows = "8........ ..36..... .7..9.2.. .5...7... ....457.. ...1...3. ..1....68 ..85...1. .9....4..";
    let inkala = parse(&rows.replace(' ', "")).unwrap();
    assert_eq!(has_single_at_start(&inkala), Some(false));
    assert_eq!(blanks_after_singles(&inkala), Some(inkala.cells.iter().filter(|&&v| v == 0).count()));
    for (puzzle, solution) in &KNOWN[..3] {
        let p = g(puzzle);
        assert_eq!(has_single_at_start(&p), Some(true), "{puzzle}");
        let left = blanks_after_singles(&p).unwrap();
        assert!(left < p.cells.iter().filter(|&&v| v == 0).count(), "{puzzle}: {left} blanks left");
        let mut one = g(solution);
        one.cells[7] = 0;
        assert_eq!(has_single_at_start(&one), Some(true));
        assert_eq!(blanks_after_singles(&one), Some(0));
    }
    let mut broken = inkala;
    broken.cells[1] = 8; // clashes with the 8 in the same row
    assert_eq!(has_single_at_start(&broken), None);
    assert_eq!(blanks_after_singles(&broken), None);
}

#[test]
fn vicinity_moves_givens_and_keeps_a_unique_minimal_puzzle_of_the_same_solution() {
    let mut rng = Rng::new(5);
    let (source, solution) = generate_minimal(&mut rng);
    let mut found = 0;
    for _ in 0..200 {
        let Some(n) = vicinity(&source, &solution, 1, &mut rng) else { continue };
        found += 1;
        assert_ne!(n, source);
        assert_eq!(solve_unique(&n), Ok(solution), "{n}");
        for i in (0..CELLS).filter(|&i| n.cells[i] != 0) {
            let mut fewer = n;
            fewer.cells[i] = 0;
            assert_eq!(count_solutions(&fewer, 2), 2, "given {i} of {n} is not needed");
        }
    }
    assert!(found > 0, "no neighbour of {source} in 200 draws");
    // Not a neighbour of anything: a wrong solution, or more swaps than givens.
    let mut wrong = solution;
    wrong.cells.swap(0, 1);
    assert_eq!(vicinity(&source, &wrong, 1, &mut rng), None);
    assert_eq!(vicinity(&source, &solution, 0, &mut rng), None);
    assert_eq!(vicinity(&source, &solution, source.givens() + 1, &mut rng), None);
}

#[test]
fn difficulty_names_and_ranges() {
    for d in Difficulty::ALL {
        assert_eq!(d.name().parse::<Difficulty>(), Ok(d));
        assert_eq!(d.to_string().to_uppercase().parse::<Difficulty>(), Ok(d));
        if d != Difficulty::Minimal {
            assert!(d.givens_range().contains(&d.target_givens()));
        }
    }
    assert!(matches!(
        "extreme".parse::<Difficulty>(),
        Err(SudokuError::UnknownDifficulty { .. })
    ));
    let mut rng = Rng::new(3);
    for d in Difficulty::ALL {
        let (puzzle, solution) = generate_difficulty(&mut rng, d);
        assert!(
            d.givens_range().contains(&puzzle.givens()),
            "{d}: {}",
            puzzle.givens()
        );
        assert_eq!(solve_unique(&puzzle), Ok(solution));
    }
}

#[test]
fn augmentation_preserves_validity_and_round_trips() {
    let mut rng = Rng::new(42);
    let pairs: Vec<(Grid, Grid)> = KNOWN.iter().map(|&(p, s)| (g(p), g(s))).collect();
    for k in 0..300 {
        let aug = Augmentation::random(&mut rng);
        assert!(aug.is_valid(), "{aug:?}");
        assert!(aug.inverse().is_valid());
        let (puzzle, solution) = pairs[k % pairs.len()];
        let (ap, asol) = (aug.apply(&puzzle), aug.apply(&solution));
        assert!(is_valid_full(&asol));
        assert_eq!(ap.givens(), puzzle.givens());
        assert!(is_solution_of(&ap, &asol));
        assert_eq!(aug.inverse().apply(&ap), puzzle);
        assert_eq!(aug.inverse().apply(&asol), solution);
        assert_eq!(aug.apply(&aug.inverse().apply(&solution)), solution);
        if k < 8 {
            assert_eq!(solve(&ap), Some(asol)); // uniqueness survives too
        }
    }
}

#[test]
fn augmentation_identity_transpose_and_invalid() {
    let s = g(KNOWN[1].1);
    assert_eq!(Augmentation::identity().apply(&s), s);
    assert_eq!(Augmentation::default(), Augmentation::identity());
    let t = Augmentation {
        transpose: true,
        ..Augmentation::identity()
    };
    let ts = t.apply(&s);
    assert_eq!(ts.get(2, 7), s.get(7, 2));
    assert_eq!(t.apply(&ts), s);

    // Swapping rows across bands breaks boxes, so it is not a symmetry; it must not panic.
    let mut bad = Augmentation::identity();
    bad.row_order.swap(0, 3);
    assert!(!bad.is_valid());
    let mut wild = Augmentation::identity();
    wild.row_order[0] = 200;
    wild.digit_perm[3] = 77;
    assert!(!wild.is_valid());
    let _ = wild.apply(&s);
    let _ = wild.inverse().apply(&s);
}

#[test]
fn tokens_round_trip_and_tolerate_junk() {
    let p = g(KNOWN[2].0);
    let t = to_tokens(&p);
    assert!(t.iter().all(|&x| (1..=10).contains(&x)));
    assert_eq!(t[0], BLANK_TOKEN);
    assert_eq!(t[3], 8); // digit 7
    assert_eq!(from_tokens(&t), Ok(p));
    let s = g(KNOWN[2].1);
    assert_eq!(from_tokens(&to_tokens(&s)), Ok(s));

    let mut junk = [5u32; CELLS];
    junk[0] = PAD_TOKEN;
    junk[1] = BLANK_TOKEN;
    junk[2] = 11;
    junk[3] = u32::MAX;
    let grid = from_tokens(&junk).unwrap();
    assert_eq!(&grid.cells[..5], &[0, 0, 0, 0, 4]);
    assert_eq!(
        from_tokens(&junk[..80]),
        Err(SudokuError::WrongLength { found: 80 })
    );
    assert_eq!(from_tokens(&[]), Err(SudokuError::WrongLength { found: 0 }));

    let mut odd = Grid::empty();
    odd.cells[0] = 200;
    assert_eq!(to_tokens(&odd)[0], BLANK_TOKEN);
}

#[test]
fn read_line_aligned_files() {
    let puzzles: String = KNOWN.iter().map(|(p, _)| format!("{p}\n")).collect();
    let solutions: String = KNOWN.iter().map(|(_, s)| format!("{s}\r\n")).collect();
    let pairs = read_pairs(&puzzles, &format!("\u{feff}{solutions}\n\n")).unwrap();
    assert_eq!(pairs.len(), 4);
    assert_eq!(pairs[3], (g(KNOWN[3].0), g(KNOWN[3].1)));

    assert_eq!(
        read_pairs(&puzzles, KNOWN[0].1),
        Err(SudokuError::CountMismatch {
            puzzles: 4,
            solutions: 1
        })
    );

    // Line 3's solution does not match line 3's puzzle.
    let shuffled: String = [0, 1, 3, 2]
        .iter()
        .map(|&k| format!("{}\n", KNOWN[k].1))
        .collect();
    let err = read_pairs(&puzzles, &shuffled).unwrap_err();
    match &err {
        SudokuError::Line {
            line: 3,
            field: "solution",
            error,
        } => {
            assert!(
                matches!(**error, SudokuError::GivenChanged { .. }),
                "{error}"
            )
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(
        err.to_string()
            .starts_with("line 3 (solution): the solution puts"),
        "{err}"
    );

    let broken = puzzles.replacen('.', "x", 1);
    let err = read_pairs(&broken, &solutions).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("line 1 (puzzle): unexpected character 'x'"),
        "{err}"
    );

    let blank_solution = solutions.replacen('1', ".", 1);
    let err = read_pairs(&puzzles, &blank_solution).unwrap_err();
    assert!(
        matches!(&err, SudokuError::Line { line: 1, error, .. } if **error == SudokuError::Incomplete { blanks: 1 }),
        "{err}"
    );
}

#[test]
fn read_csv_files() {
    let body: String = KNOWN.iter().map(|(p, s)| format!("{p},{s}\n")).collect();
    let pairs = read_csv_pairs(&format!("quizzes,solutions\n{body}\n")).unwrap();
    assert_eq!(pairs.len(), 4);
    assert_eq!(pairs[0], (g(KNOWN[0].0), g(KNOWN[0].1)));
    assert_eq!(read_csv_pairs(&body).unwrap(), pairs);
    assert_eq!(read_csv_pairs("").unwrap(), vec![]);

    let three = format!("{body}{},{},x\n", KNOWN[0].0, KNOWN[0].1);
    assert_eq!(
        read_csv_pairs(&three),
        Err(SudokuError::Line {
            line: 5,
            field: "line",
            error: Box::new(SudokuError::CsvFields { found: 3 })
        })
    );
    let short = format!(
        "h,h\n{}\n{},{}\n",
        body.trim_end(),
        &KNOWN[1].0[..80],
        KNOWN[1].1
    );
    let err = read_csv_pairs(&short).unwrap_err();
    assert_eq!(err.to_string(), "line 6 (puzzle): expected 81 cells, found 80 (digits 1-9, '.' or '0' for blanks; whitespace is ignored)");
}

#[test]
fn nothing_panics_on_random_text() {
    let charset: Vec<char> = "0123456789.........     \n\t\r,abcxyzXY#-|+éß€😀\u{feff}\u{0}"
        .chars()
        .collect();
    let mut rng = Rng::new(2024);
    for k in 0..200 {
        // Mostly lengths near 81 so that all parser paths get exercised.
        let len = if k % 4 == 0 {
            rng.below(200)
        } else {
            75 + rng.below(15)
        };
        let text: String = (0..len)
            .map(|_| charset[rng.below(charset.len())])
            .collect();
        if let Ok(grid) = parse(&text) {
            let _ = validate(&grid);
            let _ = clashes(&grid);
            let _ = solve_unique(&grid);
            let _ = from_tokens(&to_tokens(&grid));
        }
        let _ = read_csv_pairs(&text);
        let _ = read_pairs(&text, &text);
    }
    // Digit-only grids actually reach the solver with many (often clashing) givens.
    for _ in 0..200 {
        let text: String = (0..81)
            .map(|_| ['.', '.', '.', '1', '5', '9', '3'][rng.below(7)])
            .collect();
        let grid = parse(&text).unwrap();
        let solved = solve(&grid);
        assert!(solved.is_none() || is_solution_of(&grid, &solved.unwrap()));
        assert_eq!(clashes(&grid).is_empty(), validate(&grid).is_ok());
    }
}
