//! The output folder of a batch, and joining the folders of its shards.
//!
//! ```text
//! DIR/variants/<variant>.json          one plan per variant, as `solve --format json` writes it
//! DIR/summary.json                     the summary of a whole batch
//! DIR/summary-shard-K-of-N.json        the summary of shard K of N
//! DIR/.parkplan.lock                   held while a sweep writes the folder
//! DIR/.parkplan.shard-K-of-N.lock      held while shard K of N writes it
//! ```
//!
//! A sweep locks the folder for as long as it writes it ([`OutDir::open`]): a whole batch
//! exclusively, a shard shared with the other shards (their files are disjoint) and its own shard
//! lock exclusively, so that two runs never write one summary or one plan at once. Holding the
//! folder alone, a sweep removes the temporary files (`.parkplan-*`) a killed run left.
//!
//! Every file is written whole or not at all (a temporary file renamed into place, see
//! [`crate::util::atomic`]), and each plan the moment its variant finishes, so a run that is stopped
//! keeps every plan it finished, and `--resume` takes them up. Shards may share one folder (their
//! plan files are disjoint and their summaries named apart) or write one each; [`merge`] reads
//! either.

use std::collections::HashSet;
use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::batch::names::file_stem;
use crate::batch::shard::Shard;
use crate::batch::summary::Summary;
use crate::batch::sweep::Failure;
use crate::plan::Plan;
use crate::solver::VariantStatus;

/// Plan files live in this subfolder.
const VARIANTS: &str = "variants";

/// The lock of a whole folder.
const LOCK: &str = ".parkplan.lock";

/// How temporary files of [`crate::util::atomic`] begin.
const TEMPORARY: &str = ".parkplan-";

/// An output folder, created and ready for plan files; locked when opened by [`OutDir::open`].
#[derive(Debug, Clone)]
pub struct OutDir {
    root: PathBuf,
    /// The lock files held, released when the last clone is dropped.
    _locks: Arc<Vec<File>>,
    removed_temporaries: usize,
}

/// Why an output folder cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    /// The folder, a lock file or a leftover cannot be created, read or removed.
    #[error("cannot write {path}: {source}", path = .path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Another sweep is writing the folder.
    #[error(
        "{folder} is being written by another parkplan sweep ({holder}; {lock} is locked): wait for it to finish, or give another -o folder",
        folder = .folder.display(),
        lock = .lock.display()
    )]
    Locked {
        /// The output folder.
        folder: PathBuf,
        /// The lock file held by the other sweep.
        lock: PathBuf,
        /// Who holds it, in words.
        holder: &'static str,
    },
}

/// What an earlier run left for a variant.
#[derive(Debug, Clone)]
pub enum Earlier {
    /// No plan of this variant (or a file that is not one).
    Missing,
    /// Its plan, for the same problem and options, with its file.
    Fresh(Box<Plan>, String),
    /// A plan of this variant for another version of its problem or other options (or one that
    /// records no fingerprint): to be solved again.
    Stale,
}

impl OutDir {
    /// Creates the folder (and its `variants/` subfolder) if need be, without locking it: for
    /// reading, and for tests. A sweep writes through [`OutDir::open`].
    pub fn create(root: &Path) -> std::io::Result<OutDir> {
        std::fs::create_dir_all(root.join(VARIANTS))?;
        Ok(OutDir {
            root: root.to_path_buf(),
            _locks: Arc::new(Vec::new()),
            removed_temporaries: 0,
        })
    }

    /// Creates the folder if need be and locks it for a sweep of `shard` (`None`: the whole
    /// batch), failing at once when another sweep holds it; then, if no other sweep is writing
    /// there, removes the temporary files a killed run left.
    pub fn open(root: &Path, shard: Option<Shard>) -> Result<OutDir, FolderError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| FolderError::Io { path, source }
        };
        std::fs::create_dir_all(root.join(VARIANTS)).map_err(io(&root.join(VARIANTS)))?;
        let lock_path = root.join(LOCK);
        let open_lock = |path: &Path| {
            std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(path)
                .map_err(io(path))
        };
        let locked = |lock: &Path, holder| FolderError::Locked {
            folder: root.to_path_buf(),
            lock: lock.to_path_buf(),
            holder,
        };
        let main = open_lock(&lock_path)?;
        let mut locks = Vec::new();
        let alone = match main.try_lock() {
            Ok(()) => true,
            Err(TryLockError::WouldBlock) => false,
            Err(TryLockError::Error(e)) => return Err(io(&lock_path)(e)),
        };
        let mut removed = 0;
        if alone {
            removed = remove_temporaries(root)?;
        }
        match shard {
            None if alone => {}
            None => {
                return Err(locked(
                    &lock_path,
                    "another sweep of this folder, or a shard",
                ));
            }
            Some(s) => {
                if alone {
                    // Shards share the folder: from exclusive (to clean up) to shared.
                    main.unlock().map_err(io(&lock_path))?;
                }
                // Another shard may hold the lock exclusively for the moment it cleans up.
                let mut tries = 0;
                loop {
                    match main.try_lock_shared() {
                        Ok(()) => break,
                        Err(TryLockError::WouldBlock) if tries < 30 => {
                            tries += 1;
                            std::thread::sleep(Duration::from_millis(100));
                        }
                        Err(TryLockError::WouldBlock) => {
                            return Err(locked(&lock_path, "a sweep of the whole batch"));
                        }
                        Err(TryLockError::Error(e)) => return Err(io(&lock_path)(e)),
                    }
                }
                let own_path =
                    root.join(format!(".parkplan.shard-{}-of-{}.lock", s.index, s.count));
                let own = open_lock(&own_path)?;
                match own.try_lock() {
                    Ok(()) => locks.push(own),
                    Err(TryLockError::WouldBlock) => {
                        return Err(locked(&own_path, "another run of the same shard"));
                    }
                    Err(TryLockError::Error(e)) => return Err(io(&own_path)(e)),
                }
            }
        }
        locks.insert(0, main);
        Ok(OutDir {
            root: root.to_path_buf(),
            _locks: Arc::new(locks),
            removed_temporaries: removed,
        })
    }

    /// How many temporary files of killed runs [`OutDir::open`] removed.
    pub fn removed_temporaries(&self) -> usize {
        self.removed_temporaries
    }

    /// The folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The plan file of a variant, relative to the folder (`variants/dry-season.json`).
    pub fn plan_file(variant: &str) -> String {
        format!("{VARIANTS}/{}.json", file_stem(variant))
    }

    /// Writes a variant's plan, recording the fingerprint of the variant as solved, and returns
    /// its file, relative to the folder.
    pub fn write_plan(&self, plan: &Plan, fingerprint: &str) -> Result<String, Failure> {
        let rel = Self::plan_file(&plan.variant);
        let path = self.root.join(&rel);
        let mut plan = plan.clone();
        plan.fingerprint = Some(fingerprint.to_string());
        let text = serde_json::to_string_pretty(&plan).expect("a plan is plain data") + "\n";
        crate::util::atomic::write_file(&path, text.as_bytes())
            .map_err(|source| Failure::Write { path, source })?;
        Ok(rel)
    }

    /// What an earlier run left for `variant`, whose fingerprint is now `fingerprint`. Only a
    /// regular file is read (a link to a device such as `/dev/zero` would never end).
    pub fn earlier(&self, variant: &str, fingerprint: &str) -> Earlier {
        let rel = Self::plan_file(variant);
        let path = self.root.join(&rel);
        if !std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
            return Earlier::Missing;
        }
        let Some(plan) = crate::util::input::read_text(&path)
            .ok()
            .and_then(|text| serde_json::from_str::<Plan>(&text).ok())
        else {
            return Earlier::Missing;
        };
        if plan.variant != variant {
            return Earlier::Missing;
        }
        if plan.fingerprint.as_deref() == Some(fingerprint) {
            Earlier::Fresh(Box::new(plan), rel)
        } else {
            Earlier::Stale
        }
    }

    /// Removes the plan file of `variant` when there is one (a regular file: a link the user put
    /// there stays).
    pub fn remove_plan(&self, variant: &str) -> std::io::Result<bool> {
        remove_regular(&self.root.join(Self::plan_file(variant)))
    }

    /// Removes the summary of `shard` when there is one, so that a run stopped before it writes
    /// its own leaves none that its plans would contradict.
    pub fn remove_summary(&self, shard: Option<Shard>) -> std::io::Result<bool> {
        remove_regular(&self.root.join(summary_file(shard)))
    }

    /// Removes every plan file in `variants/` but those named in `keep` (relative to the folder,
    /// as [`OutDir::plan_file`] names them), and returns how many it removed.
    pub fn remove_plans_except(&self, keep: &HashSet<String>) -> std::io::Result<usize> {
        let mut removed = 0;
        for e in std::fs::read_dir(self.root.join(VARIANTS))? {
            let e = e?;
            let Some(name) = e.file_name().to_str().map(String::from) else {
                continue;
            };
            if name.ends_with(".json")
                && !keep.contains(&format!("{VARIANTS}/{name}"))
                && remove_regular(&e.path())?
            {
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Writes the summary (named after its shard) and returns its path.
    pub fn write_summary(&self, summary: &Summary) -> std::io::Result<PathBuf> {
        let path = self.root.join(summary_file(summary.shard));
        let text = serde_json::to_string_pretty(summary).expect("a summary is plain data") + "\n";
        crate::util::atomic::write_file(&path, text.as_bytes())?;
        Ok(path)
    }
}

/// The summary's file name: `summary.json`, or `summary-shard-K-of-N.json` for a shard (K padded
/// so that the files of one batch sort in order).
pub fn summary_file(shard: Option<Shard>) -> String {
    match shard {
        None => "summary.json".into(),
        Some(s) => {
            let width = (s.count - 1).to_string().len();
            format!(
                "summary-shard-{:0width$}-of-{}.json",
                s.index,
                s.count,
                width = width
            )
        }
    }
}

/// Removes `path` if it is a regular file; `false` when there is none.
fn remove_regular(path: &Path) -> std::io::Result<bool> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_file() => std::fs::remove_file(path).map(|()| true),
        _ => Ok(false),
    }
}

/// Removes the temporary files (`.parkplan-*`) in the folder and its `variants/`, and returns how
/// many. Only a sweep that holds the folder alone calls it: no other run's file is in flight.
fn remove_temporaries(root: &Path) -> Result<usize, FolderError> {
    let mut removed = 0;
    for dir in [root.to_path_buf(), root.join(VARIANTS)] {
        let io = |source| FolderError::Io {
            path: dir.clone(),
            source,
        };
        for e in std::fs::read_dir(&dir).map_err(io)? {
            let e = e.map_err(io)?;
            let temporary = e
                .file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(TEMPORARY));
            if temporary && remove_regular(&e.path()).map_err(io)? {
                removed += 1;
            }
        }
    }
    Ok(removed)
}

/// Whether a file name is a summary's: `summary.json` or `summary-shard-K-of-N.json`.
pub fn is_summary_file(name: &str) -> bool {
    name == "summary.json"
        || (name.starts_with("summary-shard-") && name.ends_with(".json") && name.contains("-of-"))
}

/// Whether a folder is the output folder of a batch: it holds a summary.
pub fn holds_summary(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_str().is_some_and(is_summary_file))
    })
}

/// Why shard outputs cannot be joined.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// No folder or file was given.
    #[error("give at least one output folder of `parkplan sweep -o`")]
    NothingGiven,
    /// A folder or file cannot be read.
    #[error("cannot read {path}: {source}", path = .path.display())]
    Read {
        /// The folder or file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file is not a summary.
    #[error("{path} is not a sweep summary: {source}", path = .path.display())]
    NotASummary {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: serde_json::Error,
    },
    /// A folder holds no summary.
    #[error(
        "{path} holds no sweep summary (summary.json or summary-shard-K-of-N.json): give folders written by `parkplan sweep -o`; a shard that was stopped writes its summary when run again with --resume",
        path = .path.display()
    )]
    NoSummary {
        /// The folder.
        path: PathBuf,
    },
    /// Two summaries come from different batches.
    #[error(
        "{other} and {first} are not shards of one batch: {why}; merge only the shards of one sweep, run with the same file, the same --scenarios/--sweep and the same --gap and --time-limit",
        other = .other.display(),
        first = .first.display()
    )]
    OtherBatch {
        /// The first summary read.
        first: PathBuf,
        /// The summary that does not fit.
        other: PathBuf,
        /// How they differ, in words.
        why: String,
    },
}

/// Shard outputs joined into one summary.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The summary of the whole batch, as far as the shards cover it.
    pub summary: Summary,
    /// Positions of the variants no shard reported.
    pub missing: Vec<usize>,
    /// The summary files read.
    pub sources: Vec<PathBuf>,
}

impl Merged {
    /// The positions of the missing variants for a message: the first 20, then `…`.
    pub fn missing_positions(&self) -> String {
        let shown: Vec<String> = self
            .missing
            .iter()
            .take(20)
            .map(|i| i.to_string())
            .collect();
        let more = if self.missing.len() > 20 { ", …" } else { "" };
        format!("{}{more}", shown.join(", "))
    }
}

/// Joins the summaries in `paths` (output folders or summary files) into one, in batch order.
///
/// All must come from one batch (same variant list). A variant reported twice (a shard run again)
/// is kept once: its optimal row if there is one, else the first read. Plan file paths are given
/// as the summary's folder joined with the path it holds.
pub fn merge(paths: &[PathBuf]) -> Result<Merged, MergeError> {
    let files = summary_files(paths)?;
    let mut merged: Option<(PathBuf, Summary)> = None;
    for file in &files {
        let s = read_summary(file)?;
        let Some((first, m)) = &mut merged else {
            merged = Some((file.clone(), s));
            continue;
        };
        join(first, m, file, s)?;
    }
    let (_, mut summary) = merged.expect("at least one path is given");
    summary.shard = None;
    summary.variants.sort_by_key(|v| v.index);
    summary.compare_with_base();
    let missing = (0..summary.total)
        .filter(|i| {
            summary
                .variants
                .binary_search_by_key(i, |v| v.index)
                .is_err()
        })
        .collect();
    Ok(Merged {
        summary,
        missing,
        sources: files,
    })
}

/// The summary files `paths` name: each file as given, and a folder's summary files by name.
fn summary_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, MergeError> {
    if paths.is_empty() {
        return Err(MergeError::NothingGiven);
    }
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let read = |source| MergeError::Read {
                path: p.clone(),
                source,
            };
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(read)?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|f| {
                    f.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(is_summary_file)
                })
                .collect();
            if found.is_empty() {
                return Err(MergeError::NoSummary { path: p.clone() });
            }
            found.sort();
            files.extend(found);
        } else {
            files.push(p.clone());
        }
    }
    Ok(files)
}

/// A summary file, with its plan files named from the current folder rather than its own.
fn read_summary(file: &Path) -> Result<Summary, MergeError> {
    let text = crate::util::input::read_text(file).map_err(|e| MergeError::Read {
        path: file.to_path_buf(),
        source: e.into(),
    })?;
    let mut s: Summary = serde_json::from_str(&text).map_err(|source| MergeError::NotASummary {
        path: file.to_path_buf(),
        source,
    })?;
    // Plan files are named relative to their own folder; the merged summary spans several.
    let folder = file.parent().unwrap_or(Path::new(""));
    for v in &mut s.variants {
        if let Some(plan) = &mut v.plan {
            *plan = folder.join(&*plan).display().to_string();
        }
    }
    Ok(s)
}

/// Joins summary `s`, read from `file`, into `m`, read first from `first`: a variant already in
/// `m` is replaced only by an optimal row where it has none.
fn join(first: &Path, m: &mut Summary, file: &Path, s: Summary) -> Result<(), MergeError> {
    let name = |s: &Summary| s.problem.clone().unwrap_or_default();
    let why = if s.total != m.total || s.problem != m.problem {
        Some(format!(
            "problem `{}` with {} variants against `{}` with {}",
            name(&s),
            s.total,
            name(m),
            m.total
        ))
    } else if s.batch != m.batch {
        Some(format!(
            "they were run on different versions of problem `{}` or with other options (batch {} against {})",
            name(&s),
            s.batch,
            m.batch
        ))
    } else {
        None
    };
    if let Some(why) = why {
        return Err(MergeError::OtherBatch {
            first: first.to_path_buf(),
            other: file.to_path_buf(),
            why,
        });
    }
    for v in s.variants {
        match m.variants.iter_mut().find(|w| w.index == v.index) {
            None => m.variants.push(v),
            Some(w) => {
                if w.status != VariantStatus::OPTIMAL && v.status == VariantStatus::OPTIMAL {
                    *w = v;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
