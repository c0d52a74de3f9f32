//! `parkplan convert`: a problem from one syntax to another — YAML, an xlsx workbook, a folder of
//! CSV files — in any direction, or the template workbook.

use std::path::{Path, PathBuf};

use super::CliError;
use crate::cli::exit::Exit;
use parkplan::problem::SourceFile;
use parkplan::problem::workbook::write;

/// `parkplan convert`.
#[derive(Debug, clap::Args)]
pub struct ConvertArgs {
    /// The problem to convert: a YAML file, a workbook (.xlsx, .ods, …) or a folder of CSV files
    /// holding parks.csv.
    #[arg(required_unless_present = "template", conflicts_with = "template")]
    pub file: Option<PathBuf>,
    /// Where to write: a name ending in .yaml or .yml (YAML), .xlsx (a workbook), or any other
    /// name for a folder of CSV files; `-` writes YAML on standard output.
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,
    /// What to write when OUT's name does not say it.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub to: Option<Target>,
    /// Write the template instead of converting a file: every sheet and header, with a one-park
    /// example filled in that solves.
    #[arg(long)]
    pub template: bool,
}

/// What `convert` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// A YAML problem file.
    Yaml,
    /// An xlsx workbook.
    Xlsx,
    /// A folder of CSV files, one per sheet.
    Csv,
}

fn target_of(out: &Path, to: Option<Target>) -> Target {
    if let Some(t) = to {
        return t;
    }
    if out.as_os_str() == "-" {
        return Target::Yaml;
    }
    match out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("yaml" | "yml") => Target::Yaml,
        Some("xlsx") => Target::Xlsx,
        _ => Target::Csv,
    }
}

pub(super) fn run(a: ConvertArgs) -> Result<Exit, CliError> {
    let target = target_of(&a.output, a.to);
    if target == Target::Xlsx {
        super::workbook_target(&a.output, "give -o NAME.xlsx")?;
    }
    if target == Target::Csv && a.output.as_os_str() == "-" {
        return Err(CliError::Usage(
            "a folder of CSV files cannot go to standard output: give -o FOLDER".into(),
        ));
    }
    let (problem, yaml) = if a.template {
        (write::template(), write::TEMPLATE.to_string())
    } else {
        let file = a.file.as_deref().unwrap_or(Path::new("-"));
        let src = SourceFile::read(file)?;
        let problem = src.base_problem()?;
        let yaml = if src.is_tables() {
            let body = serde_yaml::to_string(&src.document).map_err(|e| {
                CliError::Usage(format!("the problem cannot be written as YAML: {e}"))
            })?;
            format!(
                "# Converted by `parkplan convert` from {}.\n{body}",
                file.display()
            )
        } else {
            src.text.clone()
        };
        (problem, yaml)
    };
    match target {
        Target::Yaml => super::write(&a.output, &yaml)?,
        Target::Xlsx => {
            let bytes = write::xlsx(&write::book_of(&problem))
                .map_err(|e| CliError::Usage(format!("the workbook cannot be made: {e}")))?;
            super::write_workbook(&a.output, &bytes)?;
        }
        Target::Csv => {
            write::write_csv_folder(&a.output, &write::book_of(&problem)).map_err(|source| {
                CliError::Io {
                    path: a.output.clone(),
                    source,
                }
            })?
        }
    }
    if a.output.as_os_str() != "-" {
        let what = match target {
            Target::Yaml => "YAML problem file",
            Target::Xlsx => "workbook",
            Target::Csv => "folder of CSV files",
        };
        #[allow(clippy::print_stderr)]
        {
            eprintln!("wrote {} ({what})", a.output.display());
        }
    }
    Ok(Exit::Ok)
}
