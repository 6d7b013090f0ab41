//! `trm solve` on each kind with the shipped models, through the puzzle layer: the verdict
//! lines come from the rules (or the known ARC output), and a model of the wrong kind is
//! refused with a message that names both kinds.

use std::path::PathBuf;
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs `trm ARGS` in the repository root.
fn trm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trm")).args(args).current_dir(root()).output().expect("run trm")
}

/// Runs `trm solve` and gives (exit code, stdout, stderr).
fn solve(args: &[&str]) -> (i32, String, String) {
    let out = trm(&[&["solve"], args].concat());
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

/// The first held-out puzzle of tdoku_unbiased (easy: the shipped model solves it in 16 steps
/// in the demo); the verdict must agree with the rules whichever way it goes.
#[test]
fn sudoku_solve_prints_a_verdict_per_step() {
    let line = std::fs::read_to_string(root().join("data/sudoku/tdoku_unbiased_first1000.txt")).unwrap();
    let puzzle = line.lines().next().unwrap();
    let (code, out, err) = solve(&["--model", "models/sudoku.safetensors", "--puzzle", puzzle, "--steps", "16"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches("verdict: ").count(), 16 + 1, "{out}");
    let last = out.lines().last().unwrap();
    assert!(last.starts_with("final verdict: "), "{last}");
    // The printed final grid, read back, must get the same verdict from the library.
    let grid: String = out
        .split("step 16")
        .nth(1)
        .unwrap()
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with("verdict"))
        .flat_map(|l| l.chars().filter(|c| c.is_ascii_digit() || *c == '.'))
        .collect();
    let answer = trm::puzzle::sudoku::parse(&grid).unwrap();
    let p = trm::puzzle::sudoku::parse(puzzle).unwrap();
    let ok = trm::puzzle::sudoku::check_solution(&p, &answer).is_ok();
    assert_eq!(last.contains("final verdict: solved"), ok, "{last}");
}

#[test]
fn maze_and_arc_solve_from_files() {
    let csv = std::fs::read_to_string(root().join("data/maze/maze_30x30_hard_1k_train.csv")).unwrap();
    let question = csv.lines().nth(801).unwrap().split(',').next().unwrap().to_string();
    let dir = std::env::temp_dir().join(format!("trm-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let maze_file = dir.join("maze.txt");
    std::fs::write(&maze_file, &question).unwrap();
    let (code, out, err) = solve(&["--model", "models/maze.safetensors", "--puzzle", maze_file.to_str().unwrap(), "--steps", "1"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("maze kind"), "{out}");
    assert!(out.lines().last().unwrap().starts_with("final verdict: "), "{out}");

    // An evaluation task with a known test output: the verdict compares against it.
    let task = root().join("data/arc-agi-1/evaluation/66e6c45b.json");
    let (code, out, err) = solve(&["--model", "models/arc.safetensors", "--puzzle", task.to_str().unwrap(), "--steps", "1", "--copies", "2"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("arc kind, 2 copies"), "{out}");
    let last = out.lines().last().unwrap();
    assert!(!last.contains("unverified"), "the task's output is known: {last}");
    let (code, _, err) = solve(&["--model", "models/arc.safetensors", "--puzzle", task.to_str().unwrap(), "--test", "5"]);
    assert_eq!(code, 2);
    assert!(err.contains("test 5 does not exist"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_puzzle_of_another_kind_is_refused_with_both_kinds_named() {
    let sudoku = "4.....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......";
    let (code, _, err) = solve(&["--model", "models/maze.safetensors", "--puzzle", sudoku]);
    assert_eq!(code, 2);
    assert!(err.contains("looks like a sudoku, but the model is a maze model"), "{err}");
    let task = root().join("data/arc-agi-1/evaluation/66e6c45b.json");
    let (code, _, err) = solve(&["--model", "models/sudoku.safetensors", "--puzzle", task.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("looks like an ARC task, but the model is a sudoku model"), "{err}");
    let (code, _, err) = solve(&["--model", "models/sudoku.safetensors", "--puzzle", "12345"]);
    assert_eq!(code, 2);
    assert!(err.contains("81 cells"), "{err}");
}

fn eval(args: &[&str]) -> String {
    let out = trm(&[&["eval"], args].concat());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into()
}

fn per_step(out: &str) -> Vec<f64> {
    let line = out.lines().find(|l| l.starts_with("solved after each step")).expect("per-step line");
    line.split(": ").nth(1).unwrap().split(' ').map(|v| v.parse().unwrap()).collect()
}

/// Copy 0 is the puzzle itself and every copy runs independently in the batch, so K copies
/// judged by the rules solve at every step at least what one copy solves; the network steps
/// spent stop at the first verified copy.
#[test]
fn copies_solve_at_least_what_one_copy_solves() {
    let d = "data/sudoku";
    let base = [
        "--model", "models/sudoku.safetensors",
        "--puzzles", &format!("{d}/sudoku_extreme_train_subsample.txt"),
        "--solutions", &format!("{d}/solutions/sudoku_extreme_train_subsample.txt"),
        "--skip", "776", "--limit", "12", "--steps", "8",
    ]
    .map(String::from);
    let run = |extra: &[&str]| eval(&base.iter().map(String::as_str).chain(extra.iter().copied()).collect::<Vec<_>>());
    let one = run(&["--copies", "1"]);
    let four = run(&["--copies", "4", "--stop-when-verified", "--seed", "3"]);
    let (a, b) = (per_step(&one), per_step(&four));
    assert_eq!((a.len(), b.len()), (8, 8));
    for (x, y) in a.iter().zip(&b) {
        assert!(y >= x, "one copy {a:?}, four {b:?}");
    }
    let steps: f64 = four
        .lines()
        .find(|l| l.starts_with("network steps per puzzle"))
        .and_then(|l| l.split(": ").nth(1)?.split(' ').next()?.parse().ok())
        .unwrap();
    assert!(steps > 0.0 && steps <= 4.0 * 8.0, "{steps}");
    // Without a verified copy, a puzzle runs all 8 steps with all 4 copies.
    let unsolved = 1.0 - b[7] / 100.0;
    assert!(steps >= unsolved * 32.0 - 1e-9, "{steps} vs {unsolved}");
}

/// Threads split the puzzles, not the work on one: every figure but the time is the same
/// with one thread or three (ragged shares included), for plain, copies and maze evaluation.
#[test]
fn threads_change_only_the_time() {
    let d = "data/sudoku";
    let sudoku = [
        "--model", "models/sudoku.safetensors",
        "--puzzles", &format!("{d}/sudoku_extreme_train_subsample.txt"),
        "--solutions", &format!("{d}/solutions/sudoku_extreme_train_subsample.txt"),
        "--skip", "776", "--limit", "10", "--steps", "6", "--batch", "2",
    ]
    .map(String::from);
    let maze = [
        "--model", "models/maze.safetensors", "--puzzles", "data/maze/maze_30x30_hard_1k_train.csv",
        "--skip", "800", "--limit", "3", "--steps", "2", "--batch", "1",
    ]
    .map(String::from);
    let figures = |out: &str| -> Vec<String> {
        out.lines().filter(|l| !l.starts_with("engine:") && !l.contains("/s:")).map(String::from).collect()
    };
    for (base, extra) in [
        (&sudoku[..], &[][..]),
        (&sudoku[..], &["--copies", "3", "--restart-after", "2"][..]),
        (&maze[..], &[][..]),
    ] {
        let run = |threads: &str| {
            let args: Vec<&str> =
                base.iter().map(String::as_str).chain(extra.iter().copied()).chain(["--threads", threads]).collect();
            eval(&args)
        };
        let (one, three) = (run("1"), run("3"));
        assert!(three.starts_with("engine: CPU, 3 threads"), "{three}");
        assert_eq!(figures(&one), figures(&three));
    }
}

/// Mazes of a smaller side: the 11x11 model reads generated corridor mazes, reports path-cell
/// recall and precision per step, and a model of another side is refused before it runs.
#[test]
fn eval_on_small_mazes_reports_path_recall_and_refuses_other_sides() {
    let gen = trm(&["generate", "--kind", "maze", "--side", "11", "--count", "6", "--seed", "5"]);
    assert!(gen.status.success());
    let dir = std::env::temp_dir().join(format!("trm-cli-maze11-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("mazes.csv");
    std::fs::write(&csv, &gen.stdout).unwrap();
    let out = eval(&["--model", "models/maze11.safetensors", "--puzzles", csv.to_str().unwrap(), "--steps", "3"]);
    let values = |prefix: &str| -> Vec<f64> {
        let line = out.lines().find(|l| l.starts_with(prefix)).unwrap_or_else(|| panic!("no {prefix:?} line in {out}"));
        line.split(": ").nth(1).unwrap().split(' ').map(|v| v.parse().unwrap()).collect()
    };
    let (recall, precision, exact) = (values("path-cell recall"), values("path-cell precision"), values("exact accuracy after"));
    assert_eq!((recall.len(), precision.len(), exact.len()), (3, 3, 3), "{out}");
    for ((r, p), e) in recall.iter().zip(&precision).zip(&exact) {
        assert!((0.0..=100.0).contains(r) && (0.0..=100.0).contains(p), "{out}");
        // When every maze is answered exactly, every path cell is recalled and none is extra.
        assert!(*e < 100.0 || (*r == 100.0 && *p == 100.0), "{out}");
    }
    let refused = trm(&["eval", "--model", "models/maze.safetensors", "--puzzles", csv.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("this maze is 11x11, but the model was trained on 30x30 mazes"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

/// `--min-tree-guesses` keeps only puzzles whose whole search tree is at least that big, and
/// `trm rate` reports the solver's work and what the singles leave.
#[test]
fn generate_bounds_the_search_tree_and_rate_reports_it() {
    let gen = trm(&["generate", "--count", "3", "--difficulty", "minimal", "--seed", "7", "--min-tree-guesses", "12"]);
    assert!(gen.status.success());
    let text = String::from_utf8_lossy(&gen.stdout).to_string();
    assert_eq!(text.lines().count(), 3, "{text}");
    for line in text.lines() {
        let g = trm::puzzle::sudoku::parse(line.split(',').next().unwrap()).unwrap();
        let tree = trm::puzzle::sudoku::exhaustive_guesses(&g).unwrap();
        assert!(tree >= 12, "{line}: {tree} guesses for the whole tree");
    }
    let dir = std::env::temp_dir().join(format!("trm-cli-rate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("puzzles.csv");
    std::fs::write(&csv, &gen.stdout).unwrap();
    let rate = trm(&["rate", "--file", csv.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&rate.stdout);
    assert!(rate.status.success() && out.contains("puzzles: 3"), "{out}");
    let max_tree: usize = out
        .lines()
        .find(|l| l.starts_with("guesses to search the whole tree"))
        .and_then(|l| l.rsplit("max ").next())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no whole-tree line in {out}"));
    assert!(max_tree >= 12, "{out}");
    // A tree of 12 guesses means the singles stop short on every one of them.
    let mean_left: usize = out
        .lines()
        .find(|l| l.starts_with("blanks left after singles"))
        .and_then(|l| l.split(", ").find_map(|p| p.strip_prefix("blanks left after singles: mean ")))
        .and_then(|v| v.parse::<f64>().ok())
        .map(|mean| mean as usize)
        .unwrap_or_else(|| panic!("no blanks-left line in {out}"));
    assert!(mean_left > 0, "{out}");
    assert!(out.contains("no naked or hidden single at the start: "), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

/// `--vicinity-of` grows puzzles from a file's first lines: each has the solution of one of
/// them, and a bad source line is reported by its line number.
#[test]
fn generate_grows_neighbours_of_the_first_lines_of_a_file() {
    let extreme = std::fs::read_to_string(root().join("data/sudoku/sudoku_extreme_train_subsample.txt")).unwrap();
    let first: Vec<&str> = extreme.lines().take(3).collect();
    let solutions: Vec<String> = first
        .iter()
        .map(|l| trm::puzzle::sudoku::solve(&trm::puzzle::sudoku::parse(l).unwrap()).unwrap().to_line())
        .collect();
    let file = "data/sudoku/sudoku_extreme_train_subsample.txt";
    let gen = trm(&["generate", "--vicinity-of", file, "--vicinity-lines", "3", "--count", "5", "--seed", "3"]);
    assert!(gen.status.success(), "{}", String::from_utf8_lossy(&gen.stderr));
    let text = String::from_utf8_lossy(&gen.stdout).to_string();
    assert_eq!(text.lines().count(), 5, "{text}");
    for line in text.lines() {
        let (puzzle, solution) = line.split_once(',').unwrap();
        assert!(solutions.iter().any(|s| s == solution), "{line}: not the solution of a source line");
        assert!(!first.contains(&puzzle), "{line}: a source line itself");
        let g = trm::puzzle::sudoku::parse(puzzle).unwrap();
        assert_eq!(trm::puzzle::sudoku::solve_unique(&g).unwrap().to_line(), solution);
    }
    let dir = std::env::temp_dir().join(format!("trm-cli-vicinity-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.txt");
    std::fs::write(&bad, format!("{}\n{}\n", first[0], ".".repeat(81))).unwrap();
    let out = trm(&["generate", "--vicinity-of", bad.to_str().unwrap(), "--count", "1"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains(":2:"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

/// `trm bench --tile` is for the GPU engine's products: on the CPU, or as text that is not a
/// tile, it is refused before anything runs, with what to write instead.
#[test]
fn bench_refuses_a_tile_off_the_gpu_or_misspelt() {
    for (args, says) in [
        (&["--backend", "cpu", "--tile", "32x32x8"][..], "add --backend gpu"),
        (&["--backend", "gpu", "--tile", "32x32"][..], "as 64x64x16"),
    ] {
        let out = trm(&[&["bench", "--model", "models/sudoku.safetensors", "--steps", "1"], args].concat());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
}
