//! The `parkplan` command: parse the command line, run, map the outcome to an exit code.

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// Runs before the standard library's start-up, which quietly points a closed standard output
/// (`parkplan solve >&-`) at /dev/null: noted here, a plan written to `-` then fails instead of
/// vanishing with exit 0.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static NOTE_CLOSED_STDOUT: extern "C" fn() = {
    extern "C" fn note() {
        // SAFETY: F_GETFD only reads the descriptor's flags.
        if unsafe { libc::fcntl(1, libc::F_GETFD) } == -1 {
            parkplan::util::atomic::mark_stdout_closed();
        }
    }
    note
};

fn main() -> ExitCode {
    // Like other Unix filters, stop quietly when the reader of our output goes away
    // (`parkplan check | head`) instead of failing on the closed pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default action of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    parkplan::util::atomic::guard_stdout();
    let args = cli::Args::parse();
    match cli::run(args) {
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
