//! The `remedy` binary: hands the process's arguments and streams to the library.

use std::io::IsTerminal;

fn main() {
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(e) => {
            eprintln!("error: cannot read the current directory: {e}");
            std::process::exit(remedy::EXIT_ERROR);
        }
    };
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut err = stderr.lock();
    let mut io = remedy::Io {
        cwd,
        stdout_is_terminal: std::io::stdout().is_terminal(),
        stderr_is_terminal: std::io::stderr().is_terminal(),
        stdout: &mut out,
        stderr: &mut err,
    };
    let code = remedy::run_with_args(std::env::args_os(), &mut io);
    drop(io);
    use std::io::Write;
    let _ = out.flush();
    std::process::exit(code);
}
