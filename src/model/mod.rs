//! The optimisation model of MODEL.md §3–§5, built from a [`ValidProblem`] without calling any
//! solver.
//!
//! Variables are created in [`Model::build`]; each constraint family of §4 is one function in
//! [`constraints`], and the objective of §5 is [`objective`]. Every row carries a [`RowKind`] and a
//! readable name (`land[pannan]`), so duals can be reported in domain terms and the model can be
//! exported for another solver.
//!
//! The model's shared types (options, columns, rows) and the one function that assembles them stay
//! together here, past 600 lines, because every constraint family in the submodules reads them; the
//! families themselves are one file each.

pub mod constraints;
pub mod exchange;
pub mod hull;
pub mod joint;
pub mod objective;
pub mod periods;
pub mod units;

use std::collections::{HashMap, HashSet};

use good_lp::{Constraint, Expression, ProblemVariables, Variable, VariableDefinition, variable};

pub use exchange::{Flows, Groups, Node};
pub use hull::Formulation;
pub use units::{BuildCols, BuildValues};

use crate::problem::{ChainIx, ParkIx, ValidProblem};
use crate::util::timings::{self, Step};

/// What the objective maximises.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Goal {
    /// The weighted objective of MODEL.md §5.
    #[default]
    Weighted,
    /// Total output value only (the Pareto front's objective).
    Output,
    /// Total waste reuse only (the Pareto front's other end).
    WasteReuse,
}

/// How to build a model from a problem.
#[derive(Debug, Clone, Default)]
pub struct ModelOptions {
    /// Fix parks' main chains (chain index, by park; `None` leaves the park's choice free). With
    /// every park fixed the MILP becomes an LP: used for shadow prices of a MILP and for
    /// enumerating assignments. An empty vector fixes nothing.
    pub fixed_main: Vec<Option<ChainIx>>,
    /// Make the free main-chain choices continuous in [0, 1], and the units and switches of
    /// MODEL.md §12 continuous (the LP relaxation).
    pub relax: bool,
    /// What to maximise.
    pub goal: Goal,
    /// The ε-constraint: total waste reuse at least this much.
    pub min_waste_reuse: Option<f64>,
    /// Total output value at least this much: holds a Pareto point's output while its reuse is
    /// maximised, so that every point of the front is efficient.
    pub min_output: Option<f64>,
    /// The rule's `U[p,c]` and `M_p` to use instead of those the problem's data imply: for a
    /// model whose limits may give way (explain's elastic model), where the stated data's bounds
    /// would cut off the very changes it looks for.
    pub rule_bounds: Option<RuleBounds>,
    /// Main-chain assignments to cut off (MODEL.md §11): the plan must differ from each in at
    /// least as many parks as it says.
    pub exclude: Vec<Exclusion>,
    /// The objective (of [`ModelOptions::goal`]) at least this much: holds an optimum's value
    /// while a second solve looks for another plan that reaches it ([`RowKind::MinObjective`]).
    pub min_objective: Option<f64>,
    /// Maximise instead the number of parks whose main chain is this one (chain index, by park; `None` counts nothing):
    /// with [`ModelOptions::min_objective`] holding the optimum, the plan among the optimal ones
    /// that keeps most of these main chains.
    pub agree_with: Option<Vec<Option<ChainIx>>>,
    /// How the material exchange is formulated ([`exchange`]): through group hubs (the default)
    /// or one column per pair of parks.
    pub flows: Flows,
    /// How the one-main-chain rule is formulated ([`hull`]).
    pub formulation: Formulation,
    /// A main-chain assignment (chain index, by park) from which a MILP's solve starts: the
    /// model with these main chains fixed is solved as an LP and, when that has a plan, HiGHS
    /// starts from it (`crate::plan::solve_with`). Not a row of the model: the model and its
    /// optimum are the same with or without it. `None` starts from nothing.
    pub start_from: Option<Vec<ChainIx>>,
    /// Hold the units `u` and switches `z` of MODEL.md §12 at these values (by park and
    /// candidate slot), as continuous columns: with the main chains fixed too, the LP whose duals
    /// are a plan's shadow prices (§7).
    /// One set of values per period, in order (one for a problem without periods).
    pub fixed_build: Option<Vec<BuildValues>>,
}

/// A no-good cut: `Σ_p y[p, main(p)] ≤ |P| − differ`, so that a plan differs from `main` in at
/// least `differ` parks.
#[derive(Debug, Clone, PartialEq)]
pub struct Exclusion {
    /// The main chain of every park, by park index.
    pub main: Vec<ChainIx>,
    /// In how many parks a plan must differ from it (at least 1).
    pub differ: usize,
}

/// `U[p,c]` (by park and candidate slot) and `M_p` (by park) of MODEL.md §4.6.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleBounds {
    /// `U[p,c]`, indexed like the park's candidates.
    pub growth: Vec<Vec<f64>>,
    /// `M_p`.
    pub share_big_m: Vec<f64>,
    /// The bound on `x[p,c]` from which `N[p,c]` of MODEL.md §12 follows (infinite where the
    /// data set none), indexed like the park's candidates.
    pub activity: Vec<Vec<f64>>,
}

impl RuleBounds {
    /// The bounds a validated problem's data imply.
    pub fn of(problem: &ValidProblem) -> RuleBounds {
        let p = problem.problem();
        RuleBounds {
            growth: p
                .park_ixs()
                .map(|p| {
                    (0..problem.candidates(p).len())
                        .map(|slot| problem.growth_bound(p, slot))
                        .collect()
                })
                .collect(),
            share_big_m: p.park_ixs().map(|pi| problem.share_big_m(pi)).collect(),
            activity: p
                .park_ixs()
                .map(|pi| {
                    (0..problem.candidates(pi).len())
                        .map(|slot| problem.upper(pi, slot).unwrap_or(f64::INFINITY))
                        .collect()
                })
                .collect(),
        }
    }
}

impl ModelOptions {
    /// The main chain fixed for park `p`, if any.
    pub fn fixed(&self, p: ParkIx) -> Option<ChainIx> {
        self.fixed_main.get(p.0).copied().flatten()
    }
}

/// The kind of a constraint row, in domain terms.
#[derive(Debug, Clone, PartialEq)]
pub enum RowKind {
    /// §4.1: resource `resource` in park `park`.
    ParkResource {
        /// Park index.
        park: ParkIx,
        /// Resource index.
        resource: usize,
    },
    /// §4.2: the city pool of resource `resource`.
    Pool {
        /// Resource index.
        resource: usize,
    },
    /// §4.3: `max_total` of chain `chain`.
    ChainTotal {
        /// Chain index.
        chain: ChainIx,
    },
    /// §4.4: material leaving park `park` is at most what it generates.
    MaterialOut {
        /// Material index.
        material: usize,
        /// Park index.
        park: ParkIx,
    },
    /// §4.4: feedstock of park `park` is met exactly.
    MaterialIn {
        /// Material index.
        material: usize,
        /// Park index.
        park: ParkIx,
    },
    /// §4.4: external purchase limit.
    ExternalLimit {
        /// Material index.
        material: usize,
    },
    /// §4.5: minimum reuse rate.
    ReuseRate,
    /// §4.6: exactly one main chain in a park.
    OneMain {
        /// Park index.
        park: ParkIx,
    },
    /// §4.6: only the main chain and those it supports may grow.
    Growth {
        /// Park index.
        park: ParkIx,
        /// Chain index.
        chain: ChainIx,
    },
    /// §4.6: the main chain's minimum share of the park's output value.
    Share {
        /// Park index.
        park: ParkIx,
        /// Chain index.
        chain: ChainIx,
    },
    /// The park's total output value, one column the share rows of a park with many candidate
    /// main chains refer to.
    ParkOutput {
        /// Park index.
        park: ParkIx,
    },
    /// The ε-constraint of the Pareto front.
    MinWasteReuse,
    /// Existing activity as a row `x + shrink ≥ e` rather than a bound on `x`, for elastic models
    /// in which it may give way.
    Floor {
        /// Park index.
        park: ParkIx,
        /// Chain index.
        chain: ChainIx,
    },
    /// `max_per_park` as a row rather than a bound on `x`, for elastic models in which it may give
    /// way.
    PerPark {
        /// Park index.
        park: ParkIx,
        /// Chain index.
        chain: ChainIx,
    },
    /// An elastic model's weighted slacks stay within a budget (the least total found).
    ChangeBudget,
    /// The output floor of a Pareto point's second stage.
    MinOutput,
    /// `z ≤ obj_s`: the worst-case objective of a joint model is at most scenario s's.
    WorstCase,
    /// Built plant stays: `x[p,c,t] ≥ x[p,c,t−1]` in a later period of a multi-period model.
    Stays {
        /// Park index.
        park: ParkIx,
        /// Chain index.
        chain: ChainIx,
    },
    /// The objective's floor of a second solve ([`ModelOptions::min_objective`]).
    MinObjective,
    /// A row of MODEL.md §12 for chain `chain` in park `park`: whole units, the minimum, the
    /// switch "built", built stays built ([`units`]).
    Build {
        /// Park index.
        park: ParkIx,
        /// Chain index.
        chain: ChainIx,
    },
    /// A row of the disjunct of main chain `chain` in park `park` ([`hull`]); for a link row
    /// `x = b + Σ g`, the chain is the activity's.
    Disjunct {
        /// Park index.
        park: ParkIx,
        /// Chain index.
        chain: ChainIx,
    },
    /// A group hub's balance of material `material` ([`exchange`]).
    Hub {
        /// Material index.
        material: usize,
        /// Group index ([`Groups`]).
        group: usize,
    },
    /// A group hub's export at most what its parks send, or its import at most what they take.
    HubTrade {
        /// Material index.
        material: usize,
        /// Group index ([`Groups`]).
        group: usize,
    },
    /// The total of a material moved across groups, and no group trading with itself.
    Across {
        /// Material index.
        material: usize,
    },
    /// A no-good cut against the `index`-th excluded assignment ([`ModelOptions::exclude`]).
    NoGood {
        /// Position in [`ModelOptions::exclude`].
        index: usize,
    },
}

/// A constraint row with its meaning and name.
#[derive(Debug, Clone)]
pub struct Row {
    /// The constraint.
    pub constraint: Constraint,
    /// What it stands for.
    pub kind: RowKind,
    /// A readable name, e.g. `land[pannan]`.
    pub name: String,
}

/// A material flow column: `f[k,p,q]` between two parks, or in the hub formulation a park's
/// trade with its group's hub or across groups ([`exchange`]).
#[derive(Debug, Clone, Copy)]
pub struct FlowVar {
    /// Material index.
    pub material: usize,
    /// Where it comes from.
    pub from: Node,
    /// Where it goes.
    pub to: Node,
    /// Cost per unit moved (0 unless across zones).
    pub cost: f64,
    /// The variable.
    pub var: Variable,
}

/// An external purchase variable `b[k,q]`.
#[derive(Debug, Clone, Copy)]
pub struct BuyVar {
    /// Material index.
    pub material: usize,
    /// Receiving park.
    pub park: ParkIx,
    /// The variable.
    pub var: Variable,
}

/// The model: variables, rows and objective, ready for a solver.
pub struct Model<'a> {
    /// The problem it was built from.
    pub problem: &'a ValidProblem,
    /// The variables (good_lp's registry).
    pub vars: ProblemVariables,
    /// Column names, by column index.
    pub col_names: Vec<String>,
    /// Column index of each variable (the order in which they were added).
    pub cols: HashMap<Variable, usize>,
    /// `x[p][slot]` for each park and each of its candidate chains.
    pub x: Vec<Vec<Variable>>,
    /// `y[p][slot]`, when the rule is on and main chains are not fixed.
    pub y: Vec<Vec<Option<Variable>>>,
    /// Material flow columns.
    pub flows: Vec<FlowVar>,
    /// In the hub formulation, the groups of parks that trade freely, and per material the
    /// column of its total moved across groups ([`exchange`]).
    pub groups: Option<Groups>,
    /// `across[k]`: material index and column.
    pub across: Vec<(usize, Variable)>,
    /// External purchases.
    pub buys: Vec<BuyVar>,
    /// Constraint rows.
    pub rows: Vec<Row>,
    /// The objective to maximise.
    pub objective: Expression,
    /// The options it was built with.
    pub options: ModelOptions,
    /// Appended to every column and row name (`@dry-season`) when this is one scenario's block of
    /// a joint model ([`joint`]); `None` for a model of one problem.
    pub tag: Option<String>,
    /// In a later period of a multi-period model ([`periods`]), the activity columns of the
    /// period before, `x[p,c,t−1]`: a resource charged on new activity is charged on
    /// `x[t] − x[t−1]` rather than on growth over the existing plant.
    pub previous: Option<Vec<Vec<Variable>>>,
    /// A later block sharing the first block's main-chain columns: the rows on `y` alone (one
    /// main chain per park, no-good cuts) are the first block's and not repeated.
    pub follower: bool,
    /// `u[p][slot]` and `z[p][slot]` of MODEL.md §12 ([`units`]); columns absent where the chain
    /// has no `build:`.
    pub units: Vec<Vec<BuildCols>>,
    /// In a later period, the period before's `u` and `z` (built stays built; a fixed use of a
    /// resource on new activity is charged in the period of the first build).
    pub previous_units: Option<Vec<Vec<BuildCols>>>,
    /// In a later period, the first period's existing plant (by park and slot): what new
    /// activity `n` counts from in every period. `None`: this problem's own existing plant.
    pub base: Option<Vec<Vec<f64>>>,
}

/// What a block of a model built into shared columns takes from the blocks before it.
#[derive(Default)]
pub struct Link {
    /// The main-chain columns `y` of the first block.
    pub y: Option<Vec<Vec<Option<Variable>>>>,
    /// The activity columns of the period before (see [`Model::previous`]).
    pub previous: Option<Vec<Vec<Variable>>>,
    /// The unit columns of the period before (see [`Model::previous_units`]).
    pub previous_units: Option<Vec<Vec<BuildCols>>>,
    /// The first period's existing plant (see [`Model::base`]).
    pub base: Option<Vec<Vec<f64>>>,
}

/// Columns that several blocks of one model share: good_lp's registry, with names and numbers.
#[derive(Default)]
pub struct Registry {
    pub(crate) vars: ProblemVariables,
    pub(crate) col_names: Vec<String>,
    pub(crate) cols: HashMap<Variable, usize>,
}

impl<'a> Model<'a> {
    /// Builds the whole model: for a problem with periods, the model over every period
    /// ([`periods`]; its blocks, to read each period's plan, come from [`periods::build`]).
    pub fn build(problem: &'a ValidProblem, options: ModelOptions) -> Self {
        match problem.horizon() {
            Some(horizon) => periods::build(problem, horizon, options).model,
            None => Self::build_in(problem, options, Registry::default(), None, None),
        }
    }

    /// Builds the model of `problem` into columns an earlier block already holds (`registry`,
    /// taken back with [`Model::take_registry`]), with that block's main-chain variables `y` when
    /// given — for a joint model of several scenarios with one first stage ([`joint`]). `tag`
    /// marks this block's column and row names.
    pub fn build_in(
        problem: &'a ValidProblem,
        options: ModelOptions,
        registry: Registry,
        shared_y: Option<Vec<Vec<Option<Variable>>>>,
        tag: Option<&str>,
    ) -> Self {
        let link = Link {
            y: shared_y,
            ..Link::default()
        };
        Self::build_block(problem, options, registry, link, tag)
    }

    /// Builds a block of a model into shared columns (see [`Model::build_in`]) with what it takes
    /// from the blocks before it: their `y` and, for a later period, the period before's `x`.
    pub fn build_block(
        problem: &'a ValidProblem,
        options: ModelOptions,
        registry: Registry,
        link: Link,
        tag: Option<&str>,
    ) -> Self {
        let started = std::time::Instant::now();
        let follower = link.y.is_some();
        let mut model = Model {
            problem,
            vars: registry.vars,
            col_names: registry.col_names,
            cols: registry.cols,
            x: Vec::new(),
            y: Vec::new(),
            flows: Vec::new(),
            groups: None,
            across: Vec::new(),
            buys: Vec::new(),
            rows: Vec::new(),
            objective: Expression::from(0.0),
            options,
            tag: tag.map(str::to_string),
            previous: link.previous,
            follower,
            units: Vec::new(),
            previous_units: link.previous_units,
            base: link.base,
        };
        model.x = model.activity_columns();
        model.y = match link.y {
            Some(y) => y,
            None => model.main_columns(),
        };
        if problem.has_builds() {
            model.units = units::columns(&mut model);
        }
        model.exchange_columns();
        constraints::park_resources(&mut model);
        constraints::city_pools(&mut model);
        constraints::chain_limits(&mut model);
        if !model.units.is_empty() {
            units::unit_rows(&mut model);
        }
        constraints::material_balance(&mut model);
        exchange::hub_rows(&mut model);
        constraints::min_reuse_rate(&mut model);
        constraints::one_main_chain(&mut model);
        constraints::min_waste_reuse(&mut model);
        constraints::min_output(&mut model);
        constraints::no_good_cuts(&mut model);
        model.objective = objective::objective(&model);
        objective::second_stage(&mut model);
        timings::add(Step::Build, started.elapsed());
        model
    }

    /// `x[p,c]` for each park and candidate: at least the existing activity, at most the chain's
    /// `max_per_park`.
    fn activity_columns(&mut self) -> Vec<Vec<Variable>> {
        let problem = self.problem;
        let p = problem.problem();
        let mut x = Vec::with_capacity(p.parks.len());
        for (pi, park_id) in p.park_ixs().zip(p.parks.keys()) {
            let mut row = Vec::with_capacity(problem.candidates(pi).len());
            for &c in problem.candidates(pi) {
                let (chain_id, chain) = p.chains.get_index(c.0).expect("chain");
                let lo = problem.existing(pi, c);
                let mut def = variable().min(lo);
                if let Some(m) = chain.max_per_park {
                    def = def.max(m);
                }
                row.push(self.add_column(def, format!("x[{park_id},{chain_id}]")));
            }
            x.push(row);
        }
        x
    }

    /// `y[p,c]` for each park and candidate, when the rule is on and the park's main chain is not
    /// fixed: binary, or in [0, 1] for the relaxation.
    fn main_columns(&mut self) -> Vec<Vec<Option<Variable>>> {
        let problem = self.problem;
        let p = problem.problem();
        let mut y = Vec::with_capacity(p.parks.len());
        for (pi, park_id) in p.park_ixs().zip(p.parks.keys()) {
            let choose = problem.rule().is_some() && self.options.fixed(pi).is_none();
            let mut row = Vec::with_capacity(problem.candidates(pi).len());
            for &c in problem.candidates(pi) {
                row.push(choose.then(|| {
                    let chain_id = p.chain_id(c);
                    let def = if self.options.relax {
                        variable().clamp(0, 1)
                    } else {
                        variable().binary()
                    };
                    self.add_column(def, format!("y[{park_id},{chain_id}]"))
                }));
            }
            y.push(row);
        }
        y
    }

    /// Adds a column named `name` (unique names read best in exported files) and returns its
    /// variable; columns are numbered in the order they are added.
    pub fn add_column(&mut self, def: VariableDefinition, mut name: String) -> Variable {
        if let Some(tag) = &self.tag {
            name = format!("{name}@{tag}");
        }
        let v = self.vars.add(def);
        self.cols.insert(v, self.col_names.len());
        self.col_names.push(name);
        v
    }

    /// Drops the bounds of every activity column `x`, its existing floor and its `max_per_park`,
    /// leaving `x ≥ 0`: for a model that states them as rows instead ([`RowKind::Floor`],
    /// [`RowKind::PerPark`]). Columns keep their numbers and names.
    pub fn free_activity_bounds(&mut self) {
        let x_cols: HashSet<usize> = self.x.iter().flatten().map(|&v| self.col(v)).collect();
        let mut vars = ProblemVariables::new();
        for (i, (_, def)) in self.vars.iter_variables_with_def().enumerate() {
            let def = if x_cols.contains(&i) {
                def.clone().min(0.0).max(f64::INFINITY)
            } else {
                def.clone()
            };
            vars.add(def);
        }
        self.vars = vars;
    }

    /// `y[p][slot]` as an expression: the variable, or the fixed 0/1 when main chains are fixed,
    /// or `None` when the rule is off.
    pub fn main_term(&self, p: ParkIx, slot: usize) -> Option<Expression> {
        self.problem.rule()?;
        if let Some(fixed) = self.options.fixed(p) {
            let c = self.problem.candidates(p)[slot];
            return Some(Expression::from(if fixed == c { 1.0 } else { 0.0 }));
        }
        self.y[p.0][slot].map(Expression::from)
    }

    /// Moves the columns out (for the next block of a joint model), leaving this model none.
    pub fn take_registry(&mut self) -> Registry {
        Registry {
            vars: std::mem::take(&mut self.vars),
            col_names: std::mem::take(&mut self.col_names),
            cols: std::mem::take(&mut self.cols),
        }
    }

    /// Gives the columns back (see [`Model::take_registry`]).
    pub fn restore_registry(&mut self, registry: Registry) {
        self.vars = registry.vars;
        self.col_names = registry.col_names;
        self.cols = registry.cols;
    }

    /// The column index of a variable.
    pub fn col(&self, v: Variable) -> usize {
        self.cols[&v]
    }

    /// Adds a row.
    pub fn push(&mut self, constraint: Constraint, kind: RowKind, mut name: String) {
        if let Some(tag) = &self.tag {
            name = format!("{name}@{tag}");
        }
        self.rows.push(Row {
            constraint,
            kind,
            name,
        });
    }

    /// Σ_c coef(c)·x[p,c] over the candidates of park `p`.
    pub fn park_sum(&self, p: ParkIx, coef: impl Fn(ChainIx) -> f64) -> Expression {
        let mut e = Expression::from(0.0);
        for (slot, &c) in self.problem.candidates(p).iter().enumerate() {
            let a = coef(c);
            if a != 0.0 {
                e.add_mul(a, self.x[p.0][slot]);
            }
        }
        e
    }

    /// Park id by index.
    pub fn park_id(&self, p: ParkIx) -> &str {
        self.problem.problem().park_id(p)
    }

    /// Chain id by index.
    pub fn chain_id(&self, c: ChainIx) -> &str {
        self.problem.problem().chain_id(c)
    }
}

/// `materials[c][k]`: positive generated, negative consumed per unit of activity.
pub fn material_coef(problem: &ValidProblem, c: ChainIx, k: usize) -> f64 {
    problem.material(c, k)
}

/// `uses[c][r]`.
pub fn use_coef(problem: &ValidProblem, c: ChainIx, r: usize) -> f64 {
    problem.uses(c, r)
}
