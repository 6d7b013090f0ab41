//! tests/fixtures/arc_augment.json holds grids as the Python training pipeline augments and
//! encodes them (tests/fixtures/arc_augment.py). The crate must read each puzzle name as the
//! same augmentation and paint the same tokens, or a trained model would be evaluated on inputs
//! it never saw.

use serde_json::Value;
use trm::puzzle::arc::{self, Augmentation, Dihedral, Grid};
use trm::puzzle::maze;

fn fixture() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/arc_augment.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn tokens(v: &Value) -> Vec<u32> {
    v.as_array().unwrap().iter().map(|t| t.as_u64().unwrap() as u32).collect()
}

#[test]
fn arc_augmentations_and_tokens_match_the_training_pipeline() {
    let f = fixture();
    let cases = f["arc"].as_array().unwrap();
    assert_eq!(cases.len(), 48);
    for c in cases {
        let rows: Vec<Vec<u8>> = serde_json::from_value(c["grid"].clone()).unwrap();
        let g = Grid::from_rows(&rows).unwrap();
        let name = c["name"].as_str().unwrap();
        let (task, aug) = Augmentation::from_puzzle_name(name).unwrap();
        assert_eq!(task, "task");
        assert_eq!(aug.puzzle_name("task"), name);
        let placed = arc::encode_at(&aug.apply(&g), c["r0"].as_u64().unwrap() as usize, c["c0"].as_u64().unwrap() as usize)
            .unwrap();
        assert_eq!(placed.to_vec(), tokens(&c["tokens"]), "{name} at {}, {}", c["r0"], c["c0"]);
    }
}

#[test]
fn maze_dihedral_transforms_match_the_training_pipeline() {
    let f = fixture();
    let mazes = f["maze"].as_array().unwrap();
    let q0 = maze::decode(&tokens(&mazes[0]["question"])).unwrap();
    let a0 = maze::decode(&tokens(&mazes[0]["answer"])).unwrap();
    for m in mazes {
        let d = Dihedral::from_id(m["dihedral"].as_u64().unwrap() as u8).unwrap();
        // The maze codec has no transforms of its own; ARC's grid transform on the cell tokens
        // is the same map.
        let turn = |mz: &maze::Maze| -> Vec<u32> {
            let g = Grid::new(30, 30, maze::encode(mz).iter().map(|&t| t as u8).collect()).unwrap();
            d.apply(&g).cells.iter().map(|&c| c as u32).collect()
        };
        assert_eq!(turn(&q0), tokens(&m["question"]), "{d}");
        assert_eq!(turn(&a0), tokens(&m["answer"]), "{d}");
        // A transformed maze keeps a valid shortest path.
        let q = maze::decode(&tokens(&m["question"])).unwrap();
        let a = maze::decode(&tokens(&m["answer"])).unwrap();
        let v = maze::check_path(&q, &a);
        assert!(v.valid && v.shortest, "{d}: {:?}", v.reason);
    }
}
