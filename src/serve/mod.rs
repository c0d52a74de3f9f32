//! The web app (`parkplan serve`): a second front door beside the command line, for people who
//! ask what-if questions in a browser rather than in YAML.
//!
//! HTTP routes ([`api`]) parse requests into the same checked options the command line builds and
//! call the same library functions: a what-if is a variant ([`whatif`]) solved by
//! [`crate::plan::solve_variant`], explained by [`crate::analysis::explain`], and so on; the page's
//! charts are the HTML report's own ([`crate::report::html`]). Solves run on blocking threads, at
//! most N at once, each watched by its own observer so that it reports progress to its client and
//! stops when the client leaves ([`jobs`]). What the server will serve and to whom is decided
//! once, in [`Config::check`]; every request passes [`guard`] first.
//!
//! The page itself (HTML, CSS, JavaScript and the OpenAPI description) is embedded in the binary
//! from `assets/`: nothing is built or fetched at run time.
// An error is built once per request and answered at once; boxing it would only add noise.
#![allow(clippy::result_large_err)]

pub mod api;
pub mod catalogue;
pub mod error;
pub mod guard;
pub mod jobs;
pub mod whatif;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

pub use catalogue::Catalogue;

/// The most bytes a request body may hold.
pub const MAX_BODY: usize = 1 << 20;

/// The default time limit of one request's solves, in seconds.
pub const DEFAULT_TIME_LIMIT: f64 = 60.0;

/// How the server is asked to run, as given (see [`Config::check`]).
#[derive(Debug, Clone)]
pub struct Options {
    /// Problem files and folders to serve.
    pub paths: Vec<PathBuf>,
    /// The address to listen on (`127.0.0.1:8080`; port 0 for any free port).
    pub addr: SocketAddr,
    /// The token every request must carry; `None` for none on loopback, a generated one
    /// elsewhere.
    pub token: Option<String>,
    /// Solves at once.
    pub jobs: usize,
    /// The longest time limit a request may ask for, and the one it gets when it names none.
    pub time_limit: f64,
    /// Requests that may wait for a solver beyond those solving.
    pub queue: usize,
}

/// Why the server cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The files to serve cannot be gathered.
    #[error("{0}")]
    Catalogue(#[from] catalogue::CatalogueError),
    /// An option is wrong.
    #[error("{0}")]
    Options(String),
    /// The address cannot be listened on.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// The server stopped with an error.
    #[error("the server failed: {0}")]
    Io(#[from] std::io::Error),
}

/// The checked settings every request is served under.
#[derive(Debug)]
pub struct Config {
    /// The files served.
    pub catalogue: Catalogue,
    /// The token required, if any.
    pub token: Option<String>,
    /// Whether the token was generated (and so is printed in the URL).
    pub generated_token: bool,
    /// Whether only loopback host names are accepted in `Host:` (no token: the defence against
    /// DNS rebinding).
    pub loopback_only: bool,
    /// The longest time limit a request may have.
    pub time_limit: f64,
}

impl Config {
    /// Checks the options: the files exist; a token of sane form; an address other than loopback
    /// only with a token (one is generated when none is given).
    pub fn check(o: &Options) -> Result<Config, ServeError> {
        if o.jobs == 0 || o.jobs > 256 {
            return Err(ServeError::Options(
                "--jobs must be between 1 and 256".into(),
            ));
        }
        if !(o.time_limit.is_finite() && o.time_limit > 0.0) {
            return Err(ServeError::Options(
                "--time-limit must be a positive number of seconds".into(),
            ));
        }
        if let Some(t) = &o.token
            && (t.len() < 8
                || t.len() > 256
                || !t
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        {
            return Err(ServeError::Options(
                "--token must be 8 to 256 letters, digits, `-` or `_` (it travels in URLs and cookies)"
                    .into(),
            ));
        }
        let catalogue = Catalogue::gather(&o.paths)?;
        let loopback = o.addr.ip().is_loopback();
        let (token, generated_token) = match (&o.token, loopback) {
            (Some(t), _) => (Some(t.clone()), false),
            (None, true) => (None, false),
            (None, false) => (Some(guard::new_token()), true),
        };
        Ok(Config {
            catalogue,
            loopback_only: token.is_none(),
            token,
            generated_token,
            time_limit: o.time_limit,
        })
    }
}

/// A server bound to its address, ready to [`Server::run`].
pub struct Server {
    listener: std::net::TcpListener,
    app: Arc<api::App>,
    url: String,
}

impl Server {
    /// Checks the options and binds the address (so the URL, with the port chosen for port 0, is
    /// known before serving starts).
    pub fn bind(o: &Options) -> Result<Server, ServeError> {
        let config = Config::check(o)?;
        let listener = std::net::TcpListener::bind(o.addr).map_err(|source| ServeError::Bind {
            addr: o.addr,
            source,
        })?;
        listener.set_nonblocking(true)?;
        let local = listener.local_addr()?;
        let host = if local.ip().is_unspecified() {
            // Listening everywhere: this machine's loopback name still reaches it.
            format!("127.0.0.1:{}", local.port())
        } else {
            local.to_string()
        };
        let url = match (&config.token, config.generated_token) {
            (Some(t), true) => format!("http://{host}/?token={t}"),
            _ => format!("http://{host}/"),
        };
        let app = Arc::new(api::App::new(config, o.jobs, o.queue));
        Ok(Server { listener, app, url })
    }

    /// The page's address (with the token when it was generated).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The names of the problems served.
    pub fn problems(&self) -> Vec<String> {
        self.app.config.catalogue.names()
    }

    /// Serves until the process ends.
    pub fn run(self) -> Result<(), ServeError> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?;
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(self.listener)?;
            axum::serve(listener, api::router(self.app)).await
        })?;
        Ok(())
    }
}
