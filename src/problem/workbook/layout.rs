//! The table layout of a problem: which sheets (or CSV files) there are, their columns, and what
//! kind of value each column holds. Reading and writing both follow these specs, and
//! docs/src/how-to/workbooks.md describes them for planners.
//!
//! Wide tables where planners expect them (a park's capacities in one row, a chain's scalar
//! fields in one row), long tables where the data is sparse (a chain's uses and materials,
//! existing plant, allowed lists, supports, exchange costs, and every change of a scenario or a
//! period). A header may carry a unit in parentheses, `land (km2)`: the reader ignores what
//! stands in the parentheses, so units are labels only, as `units:` is in YAML.

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The id of the row's thing (a park, a chain) or of another it names: text, trimmed; a
    /// number is read as the text it shows (`2030`).
    Id,
    /// Free text, kept as written.
    Text,
    /// A number.
    Number,
    /// A whole number of 0 or more.
    Whole,
    /// One word of a fixed list (`waste` or `product`).
    Word(&'static [&'static str]),
    /// Any value as YAML reads it: a number, `true`, a word, or a list or mapping written inline
    /// (`[bricks, cement]`, `{ strict: true }`); text that YAML would read otherwise is quoted
    /// (`"2030"`).
    Value,
}

/// One column of a sheet.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Its header (without a unit).
    pub key: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// What it means, for the documentation and the template.
    pub doc: &'static str,
}

/// One sheet of the layout.
#[derive(Debug, Clone, Copy)]
pub struct SheetSpec {
    /// The sheet's name (the CSV file's name without `.csv`).
    pub name: &'static str,
    /// Its fixed columns, in order; the first names the row.
    pub columns: &'static [Column],
    /// Whether every problem needs it.
    pub required: bool,
    /// What it holds.
    pub doc: &'static str,
}

const fn col(key: &'static str, kind: Kind, doc: &'static str) -> Column {
    Column { key, kind, doc }
}

/// The changes a scenario or a period row may make.
pub const CHANGES: [&str; 4] = ["description", "set", "scale", "merge"];
/// The changes of a period row: a scenario's, and its length.
pub const PERIOD_CHANGES: [&str; 5] = ["years", "description", "set", "scale", "merge"];

/// Every sheet, in the order a workbook holds them.
pub const SHEETS: &[SheetSpec] = &[
    SheetSpec {
        name: "settings",
        columns: &[
            col(
                "setting",
                Kind::Id,
                "name, description, or a path under exchange, rules, objective or uncertainty (`rules.one_main_chain.min_share`)",
            ),
            col("value", Kind::Value, "its value"),
        ],
        required: false,
        doc: "the problem's name and description, and every single setting: exchange, rules, objective weights, the measure of a robust plan",
    },
    SheetSpec {
        name: "units",
        columns: &[
            col("quantity", Kind::Id, "a resource, `output` or `materials`"),
            col(
                "unit",
                Kind::Text,
                "its unit label (for reports; never converted)",
            ),
        ],
        required: false,
        doc: "unit labels, as `units:`",
    },
    SheetSpec {
        name: "resources",
        columns: &[
            col("resource", Kind::Id, "the resource's id"),
            col("name", Kind::Text, "display name"),
            col("unit", Kind::Text, "unit label"),
            col(
                "pool",
                Kind::Number,
                "city-wide limit on every park's use together",
            ),
            col(
                "applies_to",
                Kind::Word(&["total", "new"]),
                "`total` (default) or `new` (use counts new activity only)",
            ),
        ],
        required: false,
        doc: "scarce resources, one row each",
    },
    SheetSpec {
        name: "zones",
        columns: &[
            col("zone", Kind::Id, "the zone's id"),
            col("name", Kind::Text, "display name"),
        ],
        required: false,
        doc: "zones of partner parks, one row each",
    },
    SheetSpec {
        name: "parks",
        columns: &[
            col("park", Kind::Id, "the park's id"),
            col("name", Kind::Text, "display name"),
            col("zone", Kind::Id, "its zone"),
        ],
        required: true,
        doc: "one row per park; every further column is the capacity of the resource its header names (`land (km2)`), empty where the park has no limit",
    },
    SheetSpec {
        name: "chains",
        columns: &[
            col("chain", Kind::Id, "the chain's id"),
            col("name", Kind::Text, "display name"),
            col("unit", Kind::Text, "unit of activity (GW, Mt/yr)"),
            col(
                "output",
                Kind::Number,
                "output value per unit of activity (required; 0 for none)",
            ),
            col("max_per_park", Kind::Number, "most activity in one park"),
            col("max_total", Kind::Number, "most activity over all parks"),
            col(
                "build_unit",
                Kind::Number,
                "new activity comes in whole units of this size (build.unit)",
            ),
            col(
                "build_min",
                Kind::Number,
                "new activity is 0 or at least this much (build.min)",
            ),
        ],
        required: true,
        doc: "one row per chain, its single values",
    },
    SheetSpec {
        name: "uses",
        columns: &[
            col("chain", Kind::Id, "a chain of the chains sheet"),
            col("resource", Kind::Id, "a resource"),
            col(
                "amount",
                Kind::Number,
                "use per unit of activity; negative: the chain produces it",
            ),
        ],
        required: false,
        doc: "resource use per unit of a chain's activity, one row per chain and resource",
    },
    SheetSpec {
        name: "chain_materials",
        columns: &[
            col("chain", Kind::Id, "a chain of the chains sheet"),
            col("material", Kind::Id, "a material"),
            col(
                "amount",
                Kind::Number,
                "generated per unit of activity; negative: consumed as feedstock",
            ),
        ],
        required: false,
        doc: "materials generated and consumed per unit of a chain's activity, one row per chain and material",
    },
    SheetSpec {
        name: "build_fixed",
        columns: &[
            col("chain", Kind::Id, "a chain of the chains sheet"),
            col("resource", Kind::Id, "a resource"),
            col(
                "amount",
                Kind::Number,
                "used once by a park that builds any new activity of the chain",
            ),
        ],
        required: false,
        doc: "a chain's fixed outlays (build.fixed): one row per chain and resource, spent once by a park that builds any of it, whatever the size",
    },
    SheetSpec {
        name: "supports",
        columns: &[
            col("chain", Kind::Id, "a chain of the chains sheet"),
            col(
                "supports",
                Kind::Id,
                "a chain that may grow where this one is the main chain",
            ),
        ],
        required: false,
        doc: "supporting chains, one row per pair",
    },
    SheetSpec {
        name: "materials",
        columns: &[
            col("material", Kind::Id, "the material's id"),
            col("name", Kind::Text, "display name"),
            col("unit", Kind::Text, "unit label"),
            col(
                "kind",
                Kind::Word(&["waste", "product"]),
                "`waste` (default) or `product`",
            ),
            col("reuse_value", Kind::Number, "value of each unit reused"),
            col(
                "disposal_cost",
                Kind::Number,
                "cost of each unit generated and not reused",
            ),
            col(
                "external_price",
                Kind::Number,
                "price of a unit bought from outside (a value here, or a limit, allows buying)",
            ),
            col(
                "external_limit",
                Kind::Number,
                "most that can be bought from outside",
            ),
        ],
        required: false,
        doc: "wastes and by-products, one row each",
    },
    SheetSpec {
        name: "existing",
        columns: &[
            col("park", Kind::Id, "a park of the parks sheet"),
            col("chain", Kind::Id, "a chain"),
            col(
                "activity",
                Kind::Number,
                "activity already built, in the chain's unit",
            ),
        ],
        required: false,
        doc: "existing plant, one row per park and chain",
    },
    SheetSpec {
        name: "allowed",
        columns: &[
            col("park", Kind::Id, "a park of the parks sheet"),
            col(
                "chain",
                Kind::Id,
                "a chain the park may run; empty: the park may run none",
            ),
        ],
        required: false,
        doc: "the chains a park may run, one row per pair; a park with no row may run every chain",
    },
    SheetSpec {
        name: "exchange_costs",
        columns: &[
            col("material", Kind::Id, "a material"),
            col("cost", Kind::Number, "cost per unit moved across zones"),
        ],
        required: false,
        doc: "exchange across zones at a cost, one row per material (a row here allows exchange across zones)",
    },
    SheetSpec {
        name: "scenarios",
        columns: &[
            col("scenario", Kind::Id, "the scenario's name"),
            col(
                "change",
                Kind::Word(&CHANGES),
                "`description`, `set`, `scale` or `merge`",
            ),
            col(
                "path",
                Kind::Text,
                "what is changed, as in a sweep: `parks.*.capacity.water` (empty for a description)",
            ),
            col(
                "value",
                Kind::Value,
                "the value set, the factor, the value merged, or the description",
            ),
        ],
        required: false,
        doc: "one row per change of a scenario",
    },
    SheetSpec {
        name: "sweeps",
        columns: &[
            col("sweep", Kind::Id, "the sweep's name"),
            col(
                "description",
                Kind::Text,
                "what it explores (on any one of its rows)",
            ),
            col("path", Kind::Text, "the path varied"),
            col(
                "value",
                Kind::Value,
                "one value it takes (one row per value, in order)",
            ),
            col("from", Kind::Number, "or: the first value of a range"),
            col("to", Kind::Number, "the last value of the range"),
            col("steps", Kind::Whole, "how many values, both ends included"),
        ],
        required: false,
        doc: "parameter sweeps: a row per value of a path, or a row per range",
    },
    SheetSpec {
        name: "periods",
        columns: &[
            col("period", Kind::Id, "the period's name, in order (`2030`)"),
            col(
                "change",
                Kind::Word(&PERIOD_CHANGES),
                "`years`, `description`, `set`, `scale` or `merge`",
            ),
            col(
                "path",
                Kind::Text,
                "what is changed (empty for years and a description)",
            ),
            col(
                "value",
                Kind::Value,
                "the number of years, the value set, the factor, the value merged, or the description",
            ),
        ],
        required: false,
        doc: "planning periods in order, one row per change against the period before",
    },
    SheetSpec {
        name: "uncertainty",
        columns: &[
            col("scenario", Kind::Id, "`base` or a scenario's name"),
            col(
                "probability",
                Kind::Number,
                "its probability (they sum to 1)",
            ),
        ],
        required: false,
        doc: "the scenarios one robust main-chain assignment serves (`parkplan robust`); the measure is a setting",
    },
    SheetSpec {
        name: "expected",
        columns: &[
            col(
                "scenario",
                Kind::Id,
                "empty for the problem as written, or a scenario's name",
            ),
            col(
                "path",
                Kind::Text,
                "`objective`, `tolerance`, `status`, `main_chains.<park>`, `robust.vss`, `alternatives[0].objective`, …",
            ),
            col("value", Kind::Value, "the known value"),
        ],
        required: false,
        doc: "known optima, one row per value",
    },
];

/// The spec of the sheet called `name`.
pub fn spec(name: &str) -> Option<&'static SheetSpec> {
    SHEETS.iter().find(|s| s.name == name)
}

/// The top-level keys the `settings` sheet may set.
pub const SETTING_ROOTS: [&str; 6] = [
    "name",
    "description",
    "exchange",
    "rules",
    "objective",
    "uncertainty",
];

/// A header cell's key: what stands before a unit in parentheses, trimmed (`land (km2)` →
/// `land`).
pub fn header_key(header: &str) -> &str {
    let h = header.trim();
    match h.find(" (") {
        Some(i) if h.ends_with(')') => h[..i].trim(),
        _ => h,
    }
}
