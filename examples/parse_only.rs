//! The benchmark's floors: read and parse every `*.py` file under the given directories with
//! ruff_python_parser, in parallel, doing nothing else; with `--read-only`, only walk and read
//! them (the I/O floor). `remedy check` is compared to both.

use std::path::PathBuf;

use rayon::prelude::*;

fn main() {
    let mut read_only = false;
    let roots: Vec<PathBuf> = std::env::args_os()
        .skip(1)
        .filter(|a| {
            let flag = a == "--read-only";
            read_only |= flag;
            !flag
        })
        .map(PathBuf::from)
        .collect();
    let mut files = Vec::new();
    for root in &roots {
        for entry in ignore::WalkBuilder::new(root)
            .hidden(false)
            .build()
            .flatten()
        {
            if entry.path().extension().is_some_and(|e| e == "py")
                && entry.file_type().is_some_and(|t| t.is_file())
            {
                files.push(entry.into_path());
            }
        }
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(256 * 1024 * 1024)
        .build()
        .expect("thread pool");
    let (parsed, failed) = pool.install(|| {
        files
            .par_iter()
            .map(|p| {
                let Ok(bytes) = std::fs::read(p) else {
                    return (0, 1);
                };
                if read_only {
                    return (usize::from(!bytes.is_empty()), 0);
                }
                let Ok(text) = std::str::from_utf8(&bytes) else {
                    return (0, 1);
                };
                match ruff_python_parser::parse_module(text) {
                    Ok(_) => (1, 0),
                    Err(_) => (0, 1),
                }
            })
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    });
    println!("parsed {parsed} files, {failed} failed");
}
