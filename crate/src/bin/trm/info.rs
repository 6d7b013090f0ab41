use std::sync::Arc;

use trm::Model;

pub(crate) fn info(model: Arc<Model>) {
    let c = &model.config;
    println!("kind: {}", model.kind.as_str());
    println!("config: {}", c.to_json());
    println!("parameters (puzzle table excluded): {}", model.parameter_count());
    println!("sequence: {} cells + {} prefix rows", c.seq_len, c.prefix_len());
    println!("network calls per supervision step: {}", c.net_calls_per_step());
    println!("GFLOP per supervision step per puzzle: {:.3}", c.flops_per_step() / 1e9);
    if let Some(rows) = &model.puzzle_rows {
        println!("puzzle rows: {}", rows.len());
    }
    println!("latent basis (for the latent view): {}", if model.latent.is_some() { "yes" } else { "no (add one with `trm latent-basis`)" });
}
