//! ARC evaluation end to end with a scripted engine: augmented copies go in, answers come back
//! in the augmented frame, and `evaluate_arc` must map them back, vote and score pass@k as the
//! reference does.

use std::collections::HashMap;

use trm::config::{Config, PosEncoding};
use trm::eval::evaluate_arc;
use trm::puzzle::arc::{self, Augmentation, Grid, Pair, Task};
use trm::{block_on, Batch, Engine, Options, Readout};

fn arc_config() -> Config {
    Config {
        vocab_size: arc::VOCAB_SIZE,
        seq_len: arc::SEQ_LEN,
        hidden_size: 8,
        num_heads: 2,
        expansion: 1.0,
        l_layers: 1,
        h_cycles: 1,
        l_cycles: 1,
        halt_max_steps: 2,
        pos_encodings: PosEncoding::Rope,
        mlp_t: false,
        puzzle_emb_ndim: 0,
        puzzle_emb_len: 0,
        num_puzzle_identifiers: 1,
        rms_norm_eps: 1e-5,
        rope_theta: 10000.0,
    }
}

/// Answers each input it recognises with a scripted (answer, q_halt); anything else gets PAD.
struct Scripted {
    cfg: Config,
    script: HashMap<Vec<u32>, (Vec<u32>, f32)>,
    loaded: Vec<Vec<u32>>,
}

impl Engine for Scripted {
    fn config(&self) -> &Config {
        &self.cfg
    }
    fn load_batch(&mut self, b: &Batch) -> trm::Result<()> {
        self.loaded = b.tokens.chunks(arc::SEQ_LEN).map(|c| c.to_vec()).collect();
        Ok(())
    }
    fn restart_slot(&mut self, slot: usize, tokens: &[u32], _: u32) -> trm::Result<()> {
        self.loaded[slot] = tokens.to_vec();
        Ok(())
    }
    fn update_z(&mut self) -> trm::Result<()> {
        Ok(())
    }
    fn update_y(&mut self, _: bool) -> trm::Result<()> {
        Ok(())
    }
    async fn finish_step(&mut self) -> trm::Result<Readout> {
        let mut r = Readout::default();
        for x in &self.loaded {
            let (a, q) = self.script.get(x).cloned().unwrap_or((vec![0; arc::SEQ_LEN], -5.0));
            r.tokens.extend(a);
            r.probs.extend(std::iter::repeat_n(1.0, arc::SEQ_LEN));
            r.q_halt.push(q);
        }
        Ok(r)
    }
    fn read_latent(&mut self) -> trm::Result<()> {
        Err(trm::TrmError::Options("no latent basis".into()))
    }
    fn has_latent_basis(&self) -> bool {
        false
    }
    fn name(&self) -> String {
        "scripted".into()
    }
}

fn grid(rows: &[&[u8]]) -> Grid {
    Grid::from_rows(&rows.iter().map(|r| r.to_vec()).collect::<Vec<_>>()).unwrap()
}

/// Scores one task whose 8 dihedral copies answer, in plan order, with `answers[i]` (a grid in
/// the original frame, or None for no grid) and confidence logit `q[i]`.
fn score(answers: &[Option<&Grid>], q: &[f32], truth: &Grid) -> (usize, usize) {
    // No symmetry, so the 8 transformed inputs differ and each can be told apart.
    let input = grid(&[&[1, 2, 3], &[4, 5, 6]]);
    let plan = arc::test_plan(None, "t", 8, 0);
    assert_eq!(plan.len(), 8);
    let mut script = HashMap::new();
    for (i, (aug, id)) in plan.iter().enumerate() {
        assert_eq!(*id, 0);
        let out = match answers[i] {
            Some(g) => arc::encode(&aug.apply(g), arc::SIDE),
            None => vec![0; arc::SEQ_LEN],
        };
        assert!(script.insert(arc::encode(&aug.apply(&input), arc::SIDE), (out, q[i])).is_none());
    }
    let task = Task { train: vec![], test: vec![Pair { input, output: Some(truth.clone()) }] };
    let mut e = Scripted { cfg: arc_config(), script, loaded: vec![] };
    let opts = Options { max_steps: 2, ..Options::full(&arc_config()) };
    let r = block_on(evaluate_arc(&mut e, None, &[("t".into(), task)], arc::SIDE, 8, &opts, 3, || 0.0)).unwrap();
    assert_eq!((r.test_inputs, r.tasks, r.augmentations), (1, 1, 8));
    assert_eq!(r.per_copy.puzzles, 8);
    // The scripted copies answer the same at every step, so the vote after each step is the final one.
    assert_eq!(r.pass_at_1_per_step, vec![r.pass_at_1; 2]);
    assert_eq!(r.pass_at_2_per_step, vec![r.pass_at_2; 2]);
    (r.pass_at_1, r.pass_at_2)
}

#[test]
fn majority_answer_wins_pass_at_1() {
    let truth = grid(&[&[7, 7], &[0, 9]]);
    let wrong = grid(&[&[7, 7], &[9, 0]]);
    let a = [Some(&truth), Some(&wrong), Some(&truth), None, Some(&truth), Some(&wrong), Some(&truth), Some(&truth)];
    assert_eq!(score(&a, &[0.0; 8], &truth), (1, 1));
}

#[test]
fn tie_on_votes_goes_to_the_more_confident_answer() {
    let truth = grid(&[&[3]]);
    let wrong = grid(&[&[4]]);
    let a = [Some(&truth), Some(&wrong), Some(&truth), Some(&wrong), Some(&truth), Some(&wrong), Some(&truth), Some(&wrong)];
    let q = [0.0, 3.0, 0.0, 3.0, 0.0, 3.0, 0.0, 3.0];
    assert_eq!(score(&a, &q, &truth), (0, 1), "wrong is more confident: truth second");
    let q = [3.0, 0.0, 3.0, 0.0, 3.0, 0.0, 3.0, 0.0];
    assert_eq!(score(&a, &q, &truth), (1, 1));
}

#[test]
fn third_place_is_a_miss() {
    let truth = grid(&[&[1, 2]]);
    let (w1, w2) = (grid(&[&[2, 1]]), grid(&[&[1], &[2]]));
    let a = [Some(&w1), Some(&w2), Some(&truth), Some(&w1), Some(&w2), Some(&truth), Some(&w1), Some(&w2)];
    assert_eq!(score(&a, &[0.0; 8], &truth), (0, 0));
}

#[test]
fn plan_uses_the_models_rows_for_the_task() {
    let aug = Augmentation::all_dihedral()[3];
    let rows: Vec<String> =
        vec!["<blank>".into(), aug.puzzle_name("a"), "b".into(), "a".into(), Augmentation::all_dihedral()[5].puzzle_name("a")];
    let plan = arc::test_plan(Some(&rows), "a", 8, 0);
    assert_eq!(plan.iter().map(|(_, id)| *id).collect::<Vec<_>>(), vec![3, 1, 4], "identity first, then table order");
    assert!(plan[0].0.is_identity() && plan[1].0 == aug);
    assert_eq!(arc::test_plan(Some(&rows), "a", 2, 0).len(), 2);
    // A task the table lacks runs on the blank row under the dihedral set and colour draws.
    let other = arc::test_plan(Some(&rows), "zzz", 12, 0);
    assert_eq!(other.len(), 12);
    assert!(other.iter().all(|(_, id)| *id == 0));
    assert_eq!(other.iter().collect::<std::collections::HashSet<_>>().len(), 12, "distinct augmentations");
}
