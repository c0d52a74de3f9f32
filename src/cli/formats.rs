//! The output formats as the command line names them. The library's format enums know nothing of
//! clap; each is mirrored here once, with its help text, and converted where it is used.

use parkplan::report::{AnalysisFormat, Format, ReportFormat, SummaryFormat};
use parkplan::solver::files::ModelFormat;

/// Declares a clap value enum that stands for a library enum with the same variants.
macro_rules! mirror {
    ($(#[$meta:meta])* $name:ident => $lib:ident { $($(#[$vmeta:meta])* $variant:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
        pub enum $name {
            $($(#[$vmeta])* $variant),*
        }

        impl From<$name> for $lib {
            fn from(f: $name) -> Self {
                match f {
                    $($name::$variant => $lib::$variant),*
                }
            }
        }
    };
}

/// Declares a clap value enum that stands for a library enum's variants and one more, `Xlsx`, an
/// Excel workbook that is bytes rather than text and so is rendered apart:
/// `text()` gives the library format, `None` for the workbook.
macro_rules! mirror_and_xlsx {
    ($(#[$meta:meta])* $name:ident => $lib:ident { $($(#[$vmeta:meta])* $variant:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// An Excel workbook: one sheet per table, numbers as numbers, units in the headers.
            Xlsx,
        }

        impl $name {
            /// The text format, or `None` for the workbook.
            pub fn text(self) -> Option<$lib> {
                match self {
                    $($name::$variant => Some($lib::$variant),)*
                    $name::Xlsx => None,
                }
            }
        }
    };
}

mirror_and_xlsx! {
    /// The formats a plan can be written in.
    PlanFormat => Format {
        /// A readable terminal report.
        Table,
        /// YAML, the same fields as JSON.
        Yaml,
        /// JSON, the machine interface.
        Json,
        /// CSV in long form: one record per activity, flow, purchase and resource.
        Csv,
        /// A Markdown report.
        Markdown,
        /// A self-contained HTML report with charts.
        Html,
    }
}

mirror! {
    /// The formats of a batch summary (a sweep, a Pareto front).
    SummaryFormatArg => SummaryFormat {
        /// A readable terminal table.
        Table,
        /// YAML, the same fields as JSON.
        Yaml,
        /// JSON, the machine interface.
        Json,
        /// CSV, one record per variant or point.
        Csv,
    }
}

mirror_and_xlsx! {
    /// The formats of a sweep's summary.
    SweepFormatArg => SummaryFormat {
        /// A readable terminal table.
        Table,
        /// YAML, the same fields as JSON.
        Yaml,
        /// JSON, the machine interface.
        Json,
        /// CSV, one record per variant or point.
        Csv,
    }
}

mirror_and_xlsx! {
    /// The formats of a list of alternatives.
    AlternativesFormatArg => AnalysisFormat {
        /// A readable terminal table.
        Table,
        /// YAML, the same fields as JSON.
        Yaml,
        /// JSON, the machine interface.
        Json,
        /// CSV, one record per plan.
        Csv,
        /// Markdown tables.
        Markdown,
    }
}

mirror_and_xlsx! {
    /// The formats of the price of every designation.
    DesignationsFormatArg => AnalysisFormat {
        /// A readable terminal table, per park its chains ranked by loss.
        Table,
        /// JSON, the machine interface (and what `parkplan report` reads).
        Json,
        /// CSV, one record per (park, chain) pair.
        Csv,
        /// YAML, the same fields as JSON.
        Yaml,
        /// Markdown tables.
        Markdown,
    }
}

mirror! {
    /// The formats of a report on one or more plans.
    ReportFormatArg => ReportFormat {
        /// One self-contained HTML file: inline CSS and SVG charts.
        Html,
        /// Markdown tables.
        Markdown,
    }
}

mirror! {
    /// The file formats of an exported model.
    ModelFormatArg => ModelFormat {
        /// CPLEX LP format.
        Lp,
        /// Free MPS format.
        Mps,
    }
}

mirror! {
    /// The formats of an analysis over several plans (`alternatives`, `robust`).
    AnalysisFormatArg => AnalysisFormat {
        /// A readable terminal table.
        Table,
        /// YAML, the same fields as JSON.
        Yaml,
        /// JSON, the machine interface.
        Json,
        /// CSV, one record per plan or scenario.
        Csv,
        /// Markdown tables.
        Markdown,
    }
}
