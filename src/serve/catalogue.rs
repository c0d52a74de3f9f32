//! The problem files the web app serves, by name: the only files it reads or writes.
//!
//! A request names a problem, never a path: the name is looked up here, so no path a client sends
//! can reach a file outside those named on the command line (or found in a folder named there),
//! however it is spelled. Files are read afresh on each request, so a file edited (or saved from
//! the page) is seen at once.

use std::path::{Path, PathBuf};
use std::sync::RwLock;

use indexmap::IndexMap;
use serde::Serialize;

use crate::problem::{Diagnostics, Problem, SourceFile};
use crate::variant::{DEFAULT_MAX_POINTS, SweepPoints};

/// The most sweep points of one sweep listed for the page to pick from.
pub const LISTED_POINTS: usize = 200;

/// The served files, by name.
#[derive(Debug, Default)]
pub struct Catalogue {
    files: RwLock<IndexMap<String, PathBuf>>,
}

/// Why the files to serve cannot be gathered.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    /// A path named does not exist or cannot be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Nothing to serve.
    #[error(
        "no problem files to serve: name YAML files or folders holding them, e.g. `parkplan serve problems/`"
    )]
    Empty,
}

/// What the page lists of one problem file.
#[derive(Debug, Clone, Serialize)]
pub struct Listing {
    /// The name requests use.
    pub name: String,
    /// The file's name (not its folder: the page has no use for the server's paths).
    pub file: String,
    /// The problem's own `name:`, if it reads.
    pub title: Option<String>,
    /// Its description.
    pub description: Option<String>,
    /// Its scenarios, in file order, with their descriptions.
    pub scenarios: Vec<Named>,
    /// Its sweeps, each with the names of its first [`LISTED_POINTS`] points.
    pub sweeps: Vec<Sweep>,
    /// Whether it has an `uncertainty:` block (`robust` needs one, or scenarios named).
    pub uncertainty: bool,
    /// Why the file cannot be used, when it cannot (read, parsed or checked).
    pub error: Option<String>,
}

/// A named variant and what it changes.
#[derive(Debug, Clone, Serialize)]
pub struct Named {
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
}

/// A sweep and its points.
#[derive(Debug, Clone, Serialize)]
pub struct Sweep {
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// The names of its points, as `scenario` takes them (`reuse-rate[rules.min_reuse_rate=0.7]`).
    pub points: Vec<String>,
    /// How many points it has in all.
    pub total: usize,
}

impl Catalogue {
    /// The files named: each file as it is, each folder's `.yaml`/`.yml` files (recursively, in
    /// name order). A file's name is its stem, made unique with `-2`, `-3`… when stems repeat.
    pub fn gather(paths: &[PathBuf]) -> Result<Catalogue, CatalogueError> {
        let mut found = Vec::new();
        for p in paths {
            let meta = std::fs::metadata(p).map_err(|source| CatalogueError::Io {
                path: p.clone(),
                source,
            })?;
            if meta.is_dir() {
                walk(p, &mut found)?;
            } else {
                found.push(p.clone());
            }
        }
        if found.is_empty() {
            return Err(CatalogueError::Empty);
        }
        let c = Catalogue::default();
        for f in found {
            c.add(f);
        }
        Ok(c)
    }

    /// Adds a file and returns the name it is served by (the same name if it is served already).
    pub fn add(&self, path: PathBuf) -> String {
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        if let Some((name, _)) = files.iter().find(|(_, p)| **p == path) {
            return name.clone();
        }
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "problem".into());
        let mut name = stem.clone();
        let mut n = 2;
        while files.contains_key(&name) {
            name = format!("{stem}-{n}");
            n += 1;
        }
        files.insert(name.clone(), path);
        name
    }

    /// The path of the file served as `name`.
    pub fn path(&self, name: &str) -> Option<PathBuf> {
        let files = self.files.read().unwrap_or_else(|e| e.into_inner());
        files.get(name).cloned()
    }

    /// The names served, in order.
    pub fn names(&self) -> Vec<String> {
        let files = self.files.read().unwrap_or_else(|e| e.into_inner());
        files.keys().cloned().collect()
    }

    /// What the page lists of every file, each read now.
    pub fn listings(&self) -> Vec<Listing> {
        let files: Vec<(String, PathBuf)> = {
            let files = self.files.read().unwrap_or_else(|e| e.into_inner());
            files.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
        };
        files.iter().map(|(n, p)| listing(n, p)).collect()
    }
}

/// Reads a served file and its base problem.
pub fn load(path: &Path) -> Result<(SourceFile, Problem), Diagnostics> {
    let src = SourceFile::read(path)?;
    let base = src.base_problem()?;
    Ok((src, base))
}

fn listing(name: &str, path: &Path) -> Listing {
    let mut out = Listing {
        name: name.to_string(),
        file: path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
        title: None,
        description: None,
        scenarios: Vec::new(),
        sweeps: Vec::new(),
        uncertainty: false,
        error: None,
    };
    let (_, base) = match load(path) {
        Ok(x) => x,
        Err(d) => {
            out.error = Some(d.to_string());
            return out;
        }
    };
    out.title = base.name.clone();
    out.description = base.description.clone();
    out.uncertainty = base.uncertainty.is_some();
    out.scenarios = base
        .scenarios
        .iter()
        .map(|(n, s)| Named {
            name: n.clone(),
            description: s.description.clone(),
        })
        .collect();
    for (n, s) in &base.sweeps {
        let points = SweepPoints::new(&base, n, DEFAULT_MAX_POINTS);
        let (points, total) = match points {
            Ok(p) => (
                (0..p.len().min(LISTED_POINTS)).map(|i| p.name(i)).collect(),
                p.len(),
            ),
            Err(_) => (Vec::new(), 0),
        };
        out.sweeps.push(Sweep {
            name: n.clone(),
            description: s.description.clone(),
            points,
            total,
        });
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), CatalogueError> {
    let io = |source| CatalogueError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        // Links are not followed into folders: a folder served holds only what it holds.
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            walk(&p, out)?;
        } else if meta.is_file() && p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(p);
        }
    }
    Ok(())
}
