//! The `parkplan` command: parse the command line, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = parkplan::cli::Args::parse();
    match parkplan::cli::run(args) {
        Ok(exit) => ExitCode::from(exit as u8),
        Err(e) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("{e}");
            }
            ExitCode::from(e.exit() as u8)
        }
    }
}
