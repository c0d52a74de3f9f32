//! `parkplan serve`: the web app. Only its flags are read here; the server is the library's
//! ([`parkplan::serve`]).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::net::SocketAddr;
use std::path::PathBuf;

use super::CliError;
use crate::cli::exit::Exit;
use parkplan::serve::{self, Options, Server};

/// `parkplan serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Problem files, or folders whose `.yaml` files are all served.
    #[arg(required = true, value_name = "FILE|FOLDER")]
    pub paths: Vec<PathBuf>,
    /// The address to listen on. Loopback by default; any other address needs a token (one is
    /// generated and printed in the URL when --token is not given).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "IP:PORT")]
    pub addr: SocketAddr,
    /// A token every request must carry (8 to 256 letters, digits, `-` or `_`).
    #[arg(
        long,
        value_name = "TOKEN",
        env = "PARKPLAN_TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,
    /// Solves at once; further requests wait in a queue.
    #[arg(
        allow_negative_numbers = true,
        long,
        short = 'j',
        default_value_t = 2,
        value_name = "N",
        value_parser = super::whole::whole::<usize>("between 1 and 256")
    )]
    pub jobs: usize,
    /// The longest a request's solves may take, in seconds (and the limit of requests that name
    /// none).
    #[arg(
        allow_negative_numbers = true,
        long,
        default_value_t = serve::DEFAULT_TIME_LIMIT,
        value_name = "SECONDS"
    )]
    pub time_limit: f64,
    /// Requests that may wait for a solver; more are answered 503 at once.
    #[arg(
        allow_negative_numbers = true,
        long,
        default_value_t = 256,
        value_name = "N",
        value_parser = super::whole::whole::<usize>("0 or more")
    )]
    pub queue: usize,
}

pub(super) fn run(a: ServeArgs) -> Result<Exit, CliError> {
    let options = Options {
        paths: a.paths,
        addr: a.addr,
        token: a.token,
        jobs: a.jobs,
        time_limit: a.time_limit,
        queue: a.queue,
    };
    let server = Server::bind(&options).map_err(|e| match e {
        serve::ServeError::Options(m) => CliError::Usage(m),
        e => CliError::Usage(e.to_string()),
    })?;
    let problems = server.problems();
    eprintln!(
        "parkplan serve: {} problem{} ({}); Ctrl-C stops the server",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" },
        problems.join(", ")
    );
    // The URL alone on standard output, so that a script can read it.
    println!("{}", server.url());
    server.run().map_err(|e| CliError::Usage(e.to_string()))?;
    Ok(Exit::Ok)
}
