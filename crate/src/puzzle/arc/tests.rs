use super::*;
use crate::rng::Rng;
use std::path::PathBuf;

/// The crate's generator, seeded.
fn rng(seed: u64) -> Rng {
    Rng::new(seed)
}

fn random_grid(rand: &mut Rng, h: usize, w: usize) -> Grid {
    let cells = (0..h * w).map(|_| rand.below(COLOURS) as u8).collect();
    Grid::new(h, w, cells).unwrap()
}

fn grid(rows: &[&[u8]]) -> Grid {
    Grid::from_rows(&rows.iter().map(|r| r.to_vec()).collect::<Vec<_>>()).unwrap()
}

/// The repository's copy of the data set (see data/README.md).
fn arc_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data/arc-agi-1")
}

#[test]
fn encode_layout_matches_the_spec() {
    let g = grid(&[&[0, 1, 2], &[3, 4, 5]]);
    let t = encode(&g, SIDE);
    assert_eq!(&t[0..4], &[2, 3, 4, EOS_TOKEN]);
    assert_eq!(&t[30..34], &[5, 6, 7, EOS_TOKEN]);
    // EOS row under the grid, corner PAD.
    assert_eq!(&t[60..64], &[EOS_TOKEN, EOS_TOKEN, EOS_TOKEN, PAD_TOKEN]);
    assert_eq!(t.iter().filter(|&&x| x == EOS_TOKEN).count(), 5);
    assert_eq!(t.iter().filter(|&&x| x == PAD_TOKEN).count(), 900 - 6 - 5);

    // A full-width grid has no EOS column, a full-height one no EOS row.
    let wide = Grid::new(2, 30, vec![9; 60]).unwrap();
    let t = encode(&wide, SIDE);
    assert!(t[..60].iter().all(|&x| x == 11));
    assert!(t[60..90].iter().all(|&x| x == EOS_TOKEN));
    assert!(t[90..].iter().all(|&x| x == PAD_TOKEN));
    let full = Grid::new(30, 30, vec![0; 900]).unwrap();
    assert!(encode(&full, SIDE).iter().all(|&x| x == 2));

    let at = encode_at(&g, 27, 26).unwrap();
    assert_eq!(&at[27 * 30 + 26..27 * 30 + 30], &[2, 3, 4, EOS_TOKEN]);
    assert_eq!(
        &at[29 * 30 + 26..],
        &[EOS_TOKEN, EOS_TOKEN, EOS_TOKEN, PAD_TOKEN]
    );
    assert_eq!(
        encode_at(&g, 29, 0),
        Err(ArcError::DoesNotFit {
            h: 2,
            w: 3,
            r0: 29,
            c0: 0
        })
    );
    assert!(encode_at(&g, usize::MAX, 0).is_err());
    assert!(encode_at(&g, 0, 28).is_err());
    assert!(encode_at(&g, 28, 27).is_ok());
    assert_eq!(
        encode_at(&Grid::default(), 0, 0),
        Err(ArcError::Grid(GridProblem::Height { h: 0 }))
    );
}

#[test]
fn random_offsets_fit_every_grid() {
    let mut rand = rng(6);
    let big = Grid::new(30, 30, vec![0; 900]).unwrap();
    let small = Grid::new(3, 28, vec![0; 84]).unwrap();
    let tall = Grid::new(25, 1, vec![0; 25]).unwrap();
    assert_eq!(random_offset(&mut rand, &[&small, &big]), (0, 0));
    let mut seen = std::collections::HashSet::new();
    for _ in 0..2000 {
        let (r0, c0) = random_offset(&mut rand, &[&small, &tall]);
        assert!(r0 <= 5 && c0 <= 2, "({r0}, {c0})");
        assert!(encode_at(&small, r0, c0).is_ok() && encode_at(&tall, r0, c0).is_ok());
        seen.insert((r0, c0));
    }
    assert_eq!(seen.len(), 6 * 3);
    let (r0, c0) = random_offset(&mut rand, &[]);
    assert!(r0 <= SIDE && c0 <= SIDE);
}

#[test]
fn a_smaller_canvas_round_trips_every_grid_that_fits_and_frames_it_the_same() {
    let mut rand = rng(4);
    for side in [10, 12] {
        for h in 1..=side {
            for w in 1..=side {
                let g = random_grid(&mut rand, h, w);
                let small = encode(&g, side);
                assert_eq!(small.len(), side * side);
                assert_eq!(decode(&small).as_ref(), Some(&g), "{h}x{w} on {side}x{side}");
                // The same picture as the 30x30 canvas's top-left corner, where the grid
                // does not reach the canvas's edge (there the frame falls off).
                let full = encode(&g, SIDE);
                for r in 0..side {
                    for c in 0..side {
                        assert_eq!(small[r * side + c], full[r * SIDE + c], "{h}x{w} at ({r},{c})");
                    }
                }
            }
        }
    }
    assert_eq!(canvas_side(100), Some(10));
    assert_eq!(canvas_side(99), None);
    assert_eq!(canvas_side(31 * 31), None);
}

#[test]
fn codec_round_trips_every_size() {
    let mut rand = rng(1);
    for h in 1..=SIDE {
        for w in 1..=SIDE {
            let g = random_grid(&mut rand, h, w);
            let t = encode(&g, SIDE);
            assert_eq!(decode(&t).as_ref(), Some(&g), "{h}x{w}");
            let eos = usize::from(h < SIDE) * w + usize::from(w < SIDE) * h;
            assert_eq!(t.iter().filter(|&&x| x == EOS_TOKEN).count(), eos);

            // A translated copy is the same picture shifted, PAD where it came from.
            let (r0, c0) = random_offset(&mut rand, &[&g]);
            let at = encode_at(&g, r0, c0).unwrap();
            for r in 0..SIDE {
                for c in 0..SIDE {
                    let expected = if r >= r0 && c >= c0 {
                        t[(r - r0) * SIDE + c - c0]
                    } else {
                        PAD_TOKEN
                    };
                    assert_eq!(at[r * SIDE + c], expected, "{h}x{w} at ({r0},{c0})");
                }
            }
        }
    }
}

#[test]
fn augmented_codec_round_trips() {
    let mut rand = rng(2);
    for k in 0..400 {
        let (h, w) = if k < 30 {
            (k + 1, k + 1)
        } else {
            (1 + rand.below(SIDE), 1 + rand.below(SIDE))
        };
        let g = random_grid(&mut rand, h, w);
        for dihedral in Dihedral::ALL {
            let aug = Augmentation {
                dihedral,
                colours: ColourPerm::random(&mut rand),
            };
            let seen = aug.apply(&g);
            assert!(seen.is_valid());
            let back = decode(&encode(&seen, SIDE)).map(|x| aug.inverse().apply(&x));
            assert_eq!(back.as_ref(), Some(&g), "{h}x{w} {aug:?}");
        }
    }
}

#[test]
fn dihedral_transforms_match_numpy() {
    // 2x3 with distinct values separates all eight transforms.
    let g = grid(&[&[1, 2, 3], &[4, 5, 6]]);
    let expected: [&[&[u8]]; 8] = [
        &[&[1, 2, 3], &[4, 5, 6]],
        &[&[3, 6], &[2, 5], &[1, 4]], // np.rot90(a)
        &[&[6, 5, 4], &[3, 2, 1]],
        &[&[4, 1], &[5, 2], &[6, 3]], // np.rot90(a, 3)
        &[&[3, 2, 1], &[6, 5, 4]],    // np.fliplr
        &[&[4, 5, 6], &[1, 2, 3]],    // np.flipud
        &[&[1, 4], &[2, 5], &[3, 6]], // a.T
        &[&[6, 3], &[5, 2], &[4, 1]], // np.fliplr(np.rot90(a))
    ];
    for (d, rows) in Dihedral::ALL.into_iter().zip(expected) {
        assert_eq!(d.apply(&g), grid(rows), "{d}");
        assert_eq!(Dihedral::from_id(d.id()), Some(d));
        assert_eq!(Dihedral::ALL[d.id() as usize], d);
    }
    assert_eq!(Dihedral::from_id(8), None);
    // The reference's DIHEDRAL_INVERSE table.
    let inverse_ids: Vec<u8> = Dihedral::ALL.iter().map(|d| d.inverse().id()).collect();
    assert_eq!(inverse_ids, [0, 3, 2, 1, 4, 5, 6, 7]);

    let r90 = |x: &Grid| Dihedral::Rot90.apply(x);
    assert_eq!(r90(&r90(&g)), Dihedral::Rot180.apply(&g));
    assert_eq!(r90(&r90(&r90(&g))), Dihedral::Rot270.apply(&g));
    assert_eq!(r90(&r90(&r90(&r90(&g)))), g);
}

#[test]
fn inverses_undo_transforms_and_permutations() {
    let mut rand = rng(3);
    for _ in 0..50 {
        let (h, w) = (1 + rand.below(SIDE), 1 + rand.below(SIDE));
        let g = random_grid(&mut rand, h, w);
        for d in Dihedral::ALL {
            assert_eq!(d.inverse().apply(&d.apply(&g)), g, "{d}");
            assert_eq!(d.apply(&d.inverse().apply(&g)), g, "{d}");
            let out = d.apply(&g);
            assert_eq!(
                (out.h, out.w),
                if d.swaps_sides() { (w, h) } else { (h, w) }
            );
        }
        let p = ColourPerm::random(&mut rand);
        assert!(p.is_valid() && p.inverse().is_valid());
        assert_eq!(p.0[0], 0);
        assert_eq!(p.inverse().apply(&p.apply(&g)), g);
        let a = Augmentation::random(&mut rand);
        assert_eq!(a.inverse().apply(&a.apply(&g)), g);
        assert_eq!(a.apply(&a.inverse().apply(&g)), g);
        // Black stays black.
        let zeros = g.cells.iter().filter(|&&c| c == 0).count();
        assert_eq!(a.apply(&g).cells.iter().filter(|&&c| c == 0).count(), zeros);
    }
    let all = Augmentation::all_dihedral();
    assert_eq!(all.map(|a| a.dihedral), Dihedral::ALL);
    assert!(all.iter().all(|a| a.colours == ColourPerm::IDENTITY));
    assert!(all[0].is_identity() && !all[1].is_identity());

    // Random permutations reach every colour in every slot.
    let mut seen = [[false; COLOURS]; COLOURS];
    for _ in 0..2000 {
        let p = ColourPerm::random(&mut rand);
        for (c, &to) in p.0.iter().enumerate() {
            seen[c][to as usize] = true;
        }
    }
    for (c, targets) in seen.iter().enumerate().skip(1) {
        assert!(targets[1..].iter().all(|&hit| hit), "colour {c}");
    }
    assert!(ColourPerm::new([1, 0, 2, 3, 4, 5, 6, 7, 8, 9]).is_none());
    assert!(ColourPerm::new([0, 1, 1, 3, 4, 5, 6, 7, 8, 9]).is_none());
    assert!(ColourPerm::new([0, 2, 1, 3, 4, 5, 6, 7, 8, 9]).is_some());
}

#[test]
fn hand_built_grids_do_not_panic() {
    let odd = [
        Grid::default(),
        Grid {
            h: 3,
            w: 4,
            cells: vec![1, 2],
        },
        Grid {
            h: usize::MAX,
            w: 2,
            cells: vec![0; 8],
        },
        Grid {
            h: usize::MAX,
            w: 0,
            cells: vec![],
        },
        Grid {
            h: 40,
            w: 40,
            cells: vec![200; 1600],
        },
    ];
    let wild = ColourPerm([9, 200, 3, 3, 4, 5, 6, 7, 8, 255]);
    for g in &odd {
        let t = encode(g, SIDE);
        assert!(t.iter().all(|&x| (x as usize) < VOCAB_SIZE));
        let _ = decode(&t);
        for d in Dihedral::ALL {
            let _ = d.apply(g);
        }
        let _ = wild.apply(g);
        let _ = wild.inverse().apply(g);
        let _ = format!("{g:?}");
        let _ = serde_json::to_string(g);
        let _ = g.get(usize::MAX, usize::MAX);
    }
    assert!(!wild.is_valid());
    assert_eq!(
        odd[1].check(),
        Err(GridProblem::CellCount { h: 3, w: 4, len: 2 })
    );
    assert_eq!(odd[4].check(), Err(GridProblem::Height { h: 40 }));
    let mut bad = Grid::new(2, 2, vec![0; 4]).unwrap();
    bad.cells[3] = 10;
    assert_eq!(
        bad.check().unwrap_err().to_string(),
        "cell (row 2, column 2) holds 10; colours are 0..9"
    );
}

fn canvas(rows: &[(usize, &[u32])]) -> Vec<u32> {
    let mut t = vec![PAD_TOKEN; SEQ_LEN];
    for &(r, row) in rows {
        t[r * SIDE..r * SIDE + row.len()].copy_from_slice(row);
    }
    t
}

#[test]
fn decode_follows_the_reference_crop() {
    assert_eq!(decode(&[PAD_TOKEN; SEQ_LEN]), None);
    assert_eq!(decode(&canvas(&[(0, &[EOS_TOKEN, 2, 3])])), None);
    assert_eq!(decode(&canvas(&[(0, &[12, 2, 3])])), None);
    assert_eq!(decode(&[2; 899]), None);
    assert_eq!(decode(&[]), None);

    // No frame at all: the whole canvas.
    assert_eq!(
        decode(&[5; SEQ_LEN]),
        Some(Grid::new(30, 30, vec![3; 900]).unwrap())
    );

    // The first row's run sets the width; a longer later row does not widen it.
    let t = canvas(&[(0, &[2, 3, 1]), (1, &[4, 5, 6, 7]), (2, &[1, 1])]);
    assert_eq!(decode(&t), Some(grid(&[&[0, 1], &[2, 3]])));

    // Rows narrower than the width shrink it; the largest area wins: 2x5 = 10 beats 3x2 = 6.
    let t = canvas(&[
        (0, &[2, 2, 2, 2, 2, 1]),
        (1, &[3, 3, 3, 3, 3, 0]),
        (2, &[4, 4, 0]),
    ]);
    assert_eq!(decode(&t).map(|g| (g.h, g.w)), Some((2, 5)));

    // ...even when that means a taller, narrower rectangle: 10x1 beats 1x3.
    let mut rows: Vec<(usize, &[u32])> = vec![(0, &[2, 3, 4, 0])];
    rows.extend((1..10).map(|r| (r, &[5u32, 0][..])));
    assert_eq!(decode(&canvas(&rows)).map(|g| (g.h, g.w)), Some((10, 1)));

    // Equal areas keep the earlier (shorter) rectangle: 1x2 and 2x1.
    let t = canvas(&[(0, &[2, 3, 0]), (1, &[4, 0])]);
    assert_eq!(decode(&t), Some(grid(&[&[0, 1]])));

    // Out-of-vocabulary tokens end a run like PAD does.
    let t = canvas(&[(0, &[11, 11, u32::MAX]), (1, &[11, 11, 11])]);
    assert_eq!(decode(&t), Some(grid(&[&[9, 9], &[9, 9]])));
}

#[test]
fn vote_ranks_by_count_then_mean_confidence() {
    let a = grid(&[&[1]]);
    let b = grid(&[&[2]]);
    let c = grid(&[&[3]]);
    let d = grid(&[&[1, 1]]); // same colour as `a`, other size: a different answer
    let ranked = vote(&[
        (c.clone(), 0.99),
        (a.clone(), 0.9),
        (b.clone(), 0.2),
        (b.clone(), 0.4),
        (a.clone(), 0.1),
        (d.clone(), 0.5),
        (b.clone(), 0.0),
    ]);
    let summary: Vec<(Grid, usize)> = ranked.iter().map(|(g, n, _)| (g.clone(), *n)).collect();
    assert_eq!(
        summary,
        vec![
            (b.clone(), 3),
            (a.clone(), 2),
            (c.clone(), 1),
            (d.clone(), 1)
        ]
    );
    assert!((ranked[0].2 - 0.2).abs() < 1e-6);
    assert!((ranked[1].2 - 0.5).abs() < 1e-6);
    assert!((ranked[2].2 - 0.99).abs() < 1e-6);

    // Equal counts: the higher mean wins, whatever the order of arrival.
    let ranked = vote(&[
        (a.clone(), 0.3),
        (b.clone(), 0.6),
        (a.clone(), 0.5),
        (b.clone(), 0.6),
    ]);
    assert_eq!(ranked[0].0, b);
    assert_eq!(ranked[1].0, a);
    // Fully tied answers keep their first-seen order; NaN confidence ranks last.
    let ranked = vote(&[(c.clone(), 0.5), (a.clone(), 0.5), (b.clone(), f32::NAN)]);
    let order: Vec<Grid> = ranked.into_iter().map(|(g, _, _)| g).collect();
    assert_eq!(order, vec![c.clone(), a.clone(), b.clone()]);
    assert!(vote(&[]).is_empty());
}

#[test]
fn pass_at_k_counts_the_first_k() {
    let (a, b, c) = (grid(&[&[1]]), grid(&[&[2]]), grid(&[&[3]]));
    let ranked = vec![a.clone(), b.clone(), c.clone()];
    assert!(pass_at_k(&ranked, &a, 1));
    assert!(!pass_at_k(&ranked, &b, 1));
    assert!(pass_at_k(&ranked, &b, 2));
    assert!(!pass_at_k(&ranked, &c, 2));
    assert!(pass_at_k(&ranked, &c, 99));
    assert!(!pass_at_k(&ranked, &a, 0));
    assert!(!pass_at_k(&[], &a, 2));
    assert!(!pass_at_k(&ranked, &grid(&[&[1, 1]]), 3));
}

#[test]
fn puzzle_names_follow_the_reference() {
    let a = Augmentation {
        dihedral: Dihedral::Rot270,
        colours: ColourPerm([0, 3, 1, 2, 4, 5, 6, 9, 8, 7]),
    };
    let name = a.puzzle_name("007bbfb7");
    assert_eq!(name, "007bbfb7|||t3|||0312456987");
    assert_eq!(Augmentation::from_puzzle_name(&name), Some(("007bbfb7", a)));
    assert_eq!(Augmentation::IDENTITY.puzzle_name("abc"), "abc");
    assert_eq!(
        Augmentation::from_puzzle_name("abc"),
        Some(("abc", Augmentation::IDENTITY))
    );
    for bad in [
        "abc|||t8|||0123456789",
        "abc|||3|||0123456789",
        "abc|||t3|||012345678",
        "abc|||t3|||1023456789",
        "abc|||t3|||01234567x9",
        "abc|||t3",
        "a|||t1|||0123456789|||x",
    ] {
        assert_eq!(Augmentation::from_puzzle_name(bad), None, "{bad}");
    }
}

#[test]
fn parse_reads_tasks_and_writes_them_back() {
    let text = r#"{"train": [{"input": [[0, 1], [2, 3]], "output": [[3]]}],
                   "test": [{"input": [[5]]}, {"input": [[6, 7]], "output": null}],
                   "name": "ignored"}"#;
    let task = parse_task(text).unwrap();
    assert_eq!(task.train.len(), 1);
    assert_eq!(task.train[0].input, grid(&[&[0, 1], &[2, 3]]));
    assert_eq!(task.train[0].output, Some(grid(&[&[3]])));
    assert_eq!(task.test[0].output, None);
    assert_eq!(task.test[1].input.w, 2);
    let json = serde_json::to_string(&task).unwrap();
    assert_eq!(
        json,
        r#"{"train":[{"input":[[0,1],[2,3]],"output":[[3]]}],"test":[{"input":[[5]]},{"input":[[6,7]]}]}"#
    );
    assert_eq!(parse_task(&json), Ok(task));
    assert_eq!(
        parse_task(&format!("\u{feff}{json}")).map(|t| t.test.len()),
        Ok(2)
    );
    assert_eq!(parse_grid("[[1, 2, 3]]"), Ok(grid(&[&[1, 2, 3]])));
}

fn err(json: &str) -> String {
    parse_task(json).unwrap_err().to_string()
}

#[test]
fn parse_errors_say_where() {
    let ok_pair = r#"{"input": [[1]], "output": [[1]]}"#;
    let task = |train: &str, test: &str| format!(r#"{{"train": [{train}], "test": [{test}]}}"#);

    assert_eq!(parse_task(""), Err(ArcError::Empty));
    assert_eq!(parse_task(" \n"), Err(ArcError::Empty));
    let e = parse_task("{\"train\": [\n  1,\n  2,,\n]}").unwrap_err();
    assert!(
        matches!(
            &e,
            ArcError::Json {
                line: 3,
                column: 5,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "not valid JSON: expected value (line 3, column 5)"
    );
    assert_eq!(
        err("[1, 2]"),
        "an ARC task must be a JSON object {\"train\": [...], \"test\": [...]}, not a list"
    );
    assert_eq!(
        err(r#"{"test": []}"#),
        "the task has no \"train\" list of pairs"
    );
    assert_eq!(
        err(&format!(r#"{{"train": [{ok_pair}]}}"#)),
        "the task has no \"test\" list of pairs"
    );
    assert_eq!(
        err(r#"{"train": {"a": 1}, "test": []}"#),
        "\"train\" must be a list of pairs, not an object"
    );
    assert_eq!(
        err(&format!(r#"{{"train": [], "test": [{ok_pair}]}}"#)),
        "\"train\" is empty: a task needs at least one demonstration pair"
    );
    assert_eq!(
        err(&format!(r#"{{"train": [{ok_pair}], "test": []}}"#)),
        "\"test\" is empty: a task needs at least one test input"
    );
    assert_eq!(
        err(&task(ok_pair, "7")),
        "test pair 1 must be an object with \"input\" and \"output\" grids, not 7"
    );
    assert_eq!(
        err(&task(&format!(r#"{ok_pair}, {{"input": [[1]]}}"#), ok_pair)),
        "train pair 2 has no \"output\" grid"
    );
    assert_eq!(
        err(&task(ok_pair, r#"{"output": [[1]]}"#)),
        "test pair 1 has no \"input\" grid"
    );
    assert_eq!(
        err(&task(
            &format!(
                r#"{ok_pair}, {{"input": [[1]], "output": [[1,1,1,1],[1,1,1,1],[1,1,1,1,1]]}}"#
            ),
            ok_pair
        )),
        "train pair 2, output: row 3 has 5 cells but row 1 has 4"
    );
    assert_eq!(
        err(&task(
            ok_pair,
            r#"{"input": [[0,0,0,0,0,0,0],[0,0,0,0,0,0,12]]}"#
        )),
        "test pair 1, input: cell (row 2, column 7) holds 12; colours are 0..9"
    );
    assert_eq!(
        err(&task(ok_pair, r#"{"input": [[0, -1]]}"#)),
        "test pair 1, input: cell (row 1, column 2) holds -1; colours are 0..9"
    );
    assert_eq!(
        err(&task(ok_pair, r#"{"input": [[0, 1.5]]}"#)),
        "test pair 1, input: cell (row 1, column 2) holds 1.5; colours are 0..9"
    );
    assert_eq!(
        err(&task(ok_pair, r#"{"input": [["3"]]}"#)),
        "test pair 1, input: cell (row 1, column 1) holds \"3\"; colours are 0..9"
    );
    assert_eq!(
        err(&task(ok_pair, r#"{"input": [[[1]]]}"#)),
        "test pair 1, input: cell (row 1, column 1) holds a list; colours are 0..9"
    );
    assert_eq!(
        err(&task(ok_pair, r#"{"input": [[1], 2]}"#)),
        "test pair 1, input: row 2 must be a list of colours 0..9, not 2"
    );
    assert_eq!(
        err(&task(ok_pair, r#"{"input": "[[1]]"}"#)),
        "test pair 1, input: a grid must be a list of rows, each a list of colours 0..9, not \"[[1]]\""
    );
    assert_eq!(
        err(&task(ok_pair, r#"{"input": []}"#)),
        "test pair 1, input: the grid is 0 rows high; ARC grids are 1..30 per side"
    );
    assert_eq!(
        err(&task(ok_pair, r#"{"input": [[]]}"#)),
        "test pair 1, input: the grid is 0 columns wide; ARC grids are 1..30 per side"
    );
    let tall = format!(r#"{{"input": [{}]}}"#, vec!["[0]"; 31].join(","));
    assert_eq!(
        err(&task(ok_pair, &tall)),
        "test pair 1, input: the grid is 31 rows high; ARC grids are 1..30 per side"
    );
    let wide = format!(
        r#"{{"input": [[{}]], "output": [[0]]}}"#,
        vec!["0"; 31].join(",")
    );
    assert_eq!(
        err(&task(&wide, ok_pair)),
        "train pair 1, input: the grid is 31 columns wide; ARC grids are 1..30 per side"
    );
    let edge = format!(
        r#"{{"input": [{}]}}"#,
        vec![format!("[{}]", vec!["9"; 30].join(",")); 30].join(",")
    );
    assert_eq!(
        parse_task(&task(ok_pair, &edge)).unwrap().test[0]
            .input
            .cells
            .len(),
        900
    );

    assert_eq!(
        parse_task(&task(ok_pair, r#"{"input": [[1, 2], [3]]}"#)),
        Err(ArcError::InPair {
            place: Place {
                split: Split::Test,
                pair: 1,
                field: Field::Input
            },
            problem: GridProblem::Ragged {
                row: 2,
                len: 1,
                expected: 2
            }
        })
    );
    assert_eq!(
        parse_grid("[[1], [1, 2]]").unwrap_err().to_string(),
        "row 2 has 2 cells but row 1 has 1"
    );
    assert!(matches!(parse_grid("[[1]"), Err(ArcError::Json { .. })));
}

#[test]
fn nothing_panics_on_mangled_json() {
    let base = r#"{"train": [{"input": [[0, 1], [2, 3]], "output": [[3, 2, 1]]}], "test": [{"input": [[5, 9, 0]]}]}"#;
    let junk: Vec<char> = "[]{},:\"0123456789-.e truefalsnul\u{feff}é"
        .chars()
        .collect();
    let mut rand = rng(4);
    for _ in 0..3000 {
        let mut chars: Vec<char> = base.chars().collect();
        for _ in 0..1 + rand.below(4) {
            let i = rand.below(chars.len() + 1);
            match rand.below(3) {
                0 if i < chars.len() => {
                    chars.remove(i);
                }
                1 if i < chars.len() => chars[i] = junk[rand.below(junk.len())],
                _ => chars.insert(i, junk[rand.below(junk.len())]),
            }
        }
        let text: String = chars.into_iter().collect();
        match parse_task(&text) {
            Ok(task) => {
                for pair in task.train.iter().chain(&task.test) {
                    assert!(pair.input.is_valid());
                    assert_eq!(decode(&encode(&pair.input, SIDE)).as_ref(), Some(&pair.input));
                }
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        }
        let _ = parse_grid(&text);
    }
    // Deep nesting stays within serde_json's recursion limit instead of overflowing the stack.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(parse_task(&deep).is_err());
    assert!(parse_grid(&deep).is_err());
}

#[test]
fn all_arc_agi_1_tasks_parse_and_round_trip() {
    let root = arc_dir();
    let mut rand = rng(5);
    // (tasks, demonstration pairs, test pairs) as listed in the data's README.
    for (split, expected) in [
        ("training", (400, 1302, 416)),
        ("evaluation", (400, 1363, 419)),
    ] {
        let dir = root.join(split);
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
            panic!(
                "{}: {e}",
                dir.display()
            )
        });
        let mut paths: Vec<PathBuf> = entries
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        let (mut tasks, mut demos, mut tests) = (0, 0, 0);
        for path in &paths {
            let text = std::fs::read_to_string(path).unwrap();
            let task = parse_task(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            tasks += 1;
            demos += task.train.len();
            tests += task.test.len();
            for pair in task.train.iter().chain(&task.test) {
                let output = pair
                    .output
                    .as_ref()
                    .expect("every shared test pair has an output");
                for g in [&pair.input, output] {
                    assert!(g.is_valid());
                    let aug = Augmentation {
                        dihedral: Dihedral::ALL[rand.below(8)],
                        colours: ColourPerm::random(&mut rand),
                    };
                    let back = decode(&encode(&aug.apply(g), SIDE)).map(|x| aug.inverse().apply(&x));
                    assert_eq!(back.as_ref(), Some(g), "{}", path.display());
                }
            }
            // Writing a task back gives the same task.
            assert_eq!(
                parse_task(&serde_json::to_string(&task).unwrap()).as_ref(),
                Ok(&task)
            );
        }
        assert_eq!((tasks, demos, tests), expected, "{split}");
    }
}
