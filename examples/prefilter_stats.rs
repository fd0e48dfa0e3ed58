//! The benchmark's explanation: how many files pass each transform's prefilter (path gate,
//! trigger words, `may_match`) and so get parsed, with the time each prefilter takes
//! (the engine's own `candidates`, one transform at a time).
//! `cargo run --release --example prefilter_stats -- DIR...`

use std::time::{Duration, Instant};

fn main() {
    let registry = remedy::transforms::registry();
    let n = registry.len();
    // One engine per transform, so each prefilter is timed on its own.
    let engines: Vec<_> = registry
        .iter()
        .map(|r| remedy::engine::Engine::new(vec![r], false))
        .collect();
    let mut passed = vec![0usize; n];
    let mut time = vec![Duration::ZERO; n];
    let (mut files, mut parsed, mut parsed_bytes) = (0usize, 0usize, 0usize);
    for root in std::env::args().skip(1) {
        for entry in ignore::WalkBuilder::new(&root)
            .hidden(false)
            .build()
            .flatten()
        {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "py") {
                continue;
            }
            let relative = path.strip_prefix(&root).unwrap_or(path);
            let is_test = remedy::context::is_test_path(relative);
            let Ok(bytes) = std::fs::read(path) else {
                continue;
            };
            let Ok(text) = std::str::from_utf8(&bytes) else {
                continue;
            };
            files += 1;
            let mut any = false;
            for i in 0..n {
                let start = Instant::now();
                let pass = !engines[i].candidates(text, is_test).is_empty();
                time[i] += start.elapsed();
                passed[i] += usize::from(pass);
                any |= pass;
            }
            if any {
                parsed += 1;
                parsed_bytes += bytes.len();
            }
        }
    }
    println!(
        "{files} files; {parsed} parsed ({:.1} MB), the rest never parsed",
        parsed_bytes as f64 / 1e6
    );
    println!("| transform | files passing its prefilter | prefilter time (1 thread) |");
    println!("|---|---|---|");
    for i in 0..n {
        println!(
            "| {} | {} | {:.1} ms |",
            registry[i].id(),
            passed[i],
            time[i].as_secs_f64() * 1000.0
        );
    }
}
