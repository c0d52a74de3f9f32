//! The routes: the page and its assets, and the JSON API the page uses (described in
//! `assets/openapi.json`, served at `/api/openapi.json`).
//!
//! Each API route reads its body into a request struct (`deny_unknown_fields`, every wrong field
//! named by its path), checks it as the command line checks its flags, and runs the same library
//! calls as the matching subcommand on a solving slot ([`Jobs`]). Answers are the command line's
//! own JSON: `POST /api/solve` returns what `parkplan solve --format json` prints.
//!
//! One file for every route of the HTTP API, in the order of `/api/openapi.json`, so that the two
//! can be read side by side; each handler only parses its request and calls the library, and the
//! request plumbing lives beside it (`jobs`, `whatif`, `guard`, `error`). It stays one file, past
//! 600 lines, for that reading order.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use indexmap::IndexMap;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tokio::sync::mpsc;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::UnboundedReceiverStream;

use super::catalogue::load;
use super::error::ApiError;
use super::jobs::{Jobs, StopOnDrop, Watcher, frame};
use super::whatif::{self, MAX_PATH, MAX_SET, WhatIf};
use super::{Config, MAX_BODY};
use crate::analysis::alternatives::{self, AlternativesError, AlternativesOptions};
use crate::analysis::compare::NamedPlan;
use crate::analysis::designations::{self, DesignationsError, DesignationsOptions};
use crate::analysis::explain::explain;
use crate::analysis::robust::{self, RobustError, RobustOptions};
use crate::plan::{self, Plan};
use crate::problem::format::Measure;
use crate::problem::{Problem, SourceFile, ValidProblem};
use crate::report::{self, AnalysisFormat, Format, ReportInput};
use crate::solver::SolveOptions;
use crate::util::atomic;
use crate::variant;

const INDEX: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const APP_CSS: &str = include_str!("assets/app.css");
const OPENAPI: &str = include_str!("assets/openapi.json");

/// What every request is served with.
#[derive(Debug)]
pub struct App {
    /// The checked settings.
    pub config: Config,
    /// The solving slots.
    pub jobs: Jobs,
}

impl App {
    /// The app for `config`, solving `jobs` requests at once with `queue` more waiting.
    pub fn new(config: Config, jobs: usize, queue: usize) -> App {
        App {
            config,
            jobs: Jobs::new(jobs, queue),
        }
    }
}

/// The routes, behind the checks of [`super::guard`].
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/app.js", get(app_js))
        .route("/app.css", get(app_css))
        // Browsers ask for it unbidden; there is none.
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/api/openapi.json", get(openapi))
        .route("/api/problems", get(problems))
        .route("/api/status", get(status))
        .route("/api/document", post(document))
        .route("/api/solve", post(solve))
        .route("/api/explain", post(explain_route))
        .route("/api/alternatives", post(alternatives_route))
        .route("/api/robust", post(robust_route))
        .route("/api/designations", post(designations_route))
        .route("/api/report", post(report_route))
        .route("/api/export", post(export))
        .route("/api/save", post(save))
        .fallback(not_found)
        .method_not_allowed_fallback(not_allowed)
        .layer(middleware::from_fn_with_state(
            app.clone(),
            super::guard::check,
        ))
        .layer(middleware::from_fn(headers))
        .with_state(app)
}

/// Headers on every answer: no sniffing of types, no framing by other sites, and for the page a
/// policy that lets it run only its own script.
async fn headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; frame-ancestors 'self'; object-src 'none'; base-uri 'none'",
        ),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

fn typed(content_type: &'static str, body: impl Into<Body>) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body.into()).into_response()
}

async fn index() -> Response {
    typed("text/html; charset=utf-8", INDEX)
}

async fn app_js() -> Response {
    typed("text/javascript; charset=utf-8", APP_JS)
}

async fn app_css() -> Response {
    typed("text/css; charset=utf-8", APP_CSS)
}

async fn openapi() -> Response {
    typed("application/json", OPENAPI)
}

async fn not_found(req: Request) -> ApiError {
    let path: String = req.uri().path().chars().take(200).collect();
    ApiError::not_found(format!("nothing is served at `{path}`"))
        .at(path)
        .help("the API is described at /api/openapi.json")
}

async fn not_allowed(req: Request) -> ApiError {
    let path: String = req.uri().path().chars().take(200).collect();
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("`{} {path}` is not served", req.method()),
    )
    .at(path)
    .help("the API is described at /api/openapi.json")
}

async fn problems(State(app): State<Arc<App>>) -> Response {
    let list = tokio::task::spawn_blocking(move || app.config.catalogue.listings()).await;
    match list {
        Ok(list) => {
            Answer::json(serde_json::json!({ "problems": list }).to_string()).into_response()
        }
        Err(e) => ApiError::internal(&e.to_string()).into_response(),
    }
}

/// How busy the solving slots are: what a script or a test watches to see a cancelled solve
/// give its slot back.
async fn status(State(app): State<Arc<App>>) -> Response {
    Answer::json(serde_json::json!(app.jobs.load()).to_string()).into_response()
}

/// Reads a JSON body of at most [`MAX_BODY`] bytes into `T`, naming the field at fault.
async fn read<T: DeserializeOwned>(headers: &HeaderMap, body: Body) -> Result<T, ApiError> {
    let too_big = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is larger than {} bytes", MAX_BODY),
        )
        .help("send fewer changes at once")
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY) {
        return Err(too_big());
    }
    let bytes: Bytes = axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| too_big())?;
    let de = &mut serde_json::Deserializer::from_slice(&bytes);
    let value: T = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let err = ApiError::bad(format!(
            "the request is not valid JSON of this route: {}",
            e.inner()
        ))
        .help("the request bodies are described at /api/openapi.json");
        if path == "." { err } else { err.at(path) }
    })?;
    Ok(value)
}

/// The part of a request that names a what-if.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Target {
    problem: String,
    #[serde(default)]
    scenario: Option<String>,
    #[serde(default)]
    set: IndexMap<String, serde_json::Value>,
}

/// A what-if's file, read, and its changes, checked.
struct Prepared {
    name: String,
    src: SourceFile,
    base: Problem,
    what_if: WhatIf,
}

impl Target {
    /// The changes, bounded in count and path length; values as YAML.
    fn what_if(&self) -> Result<WhatIf, ApiError> {
        if self.set.len() > MAX_SET {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "`set` holds {} changes; at most {MAX_SET} are accepted",
                    self.set.len()
                ),
            )
            .at("set"));
        }
        let mut set = IndexMap::new();
        for (k, v) in &self.set {
            if k.len() > MAX_PATH {
                let shown: String = k.chars().take(60).collect();
                return Err(ApiError::bad(format!(
                    "the path `{shown}…` is longer than {MAX_PATH} bytes"
                ))
                .at("set"));
            }
            let yaml = serde_yaml::to_value(v)
                .map_err(|e| ApiError::bad(e.to_string()).at(format!("set.{k}")))?;
            set.insert(k.clone(), yaml);
        }
        let scenario = self
            .scenario
            .clone()
            .filter(|s| s != variant::BASE && !s.is_empty());
        Ok(WhatIf { scenario, set })
    }

    /// Reads the file this target names (blocking).
    fn prepare(&self, app: &App) -> Result<Prepared, ApiError> {
        let what_if = self.what_if()?;
        let path = app.config.catalogue.path(&self.problem).ok_or_else(|| {
            let names = app.config.catalogue.names();
            let e = ApiError::not_found(format!("no problem named `{}` is served", self.problem))
                .at("problem");
            match crate::problem::diagnostic::did_you_mean(
                &self.problem,
                names.iter().map(String::as_str),
            ) {
                Some(n) => e.help(format!("did you mean `{n}`?")),
                None => e.help(format!("the problems served are: {}", names.join(", "))),
            }
        })?;
        let (src, base) = load(&path)?;
        Ok(Prepared {
            name: self.problem.clone(),
            src,
            base,
            what_if,
        })
    }
}

impl Prepared {
    /// The what-if as a variant, validated as `parkplan validate` would.
    fn valid(&self) -> Result<(variant::Variant, ValidProblem), ApiError> {
        let v = self.what_if.variant(&self.src, &self.base)?;
        let valid = self.src.validate_variant(&v)?;
        Ok((v, valid))
    }

    /// The reference the what-if is compared with: its scenario (or the base) without `set`.
    fn reference(&self) -> Result<(variant::Variant, ValidProblem), ApiError> {
        let w = WhatIf {
            scenario: self.what_if.scenario.clone(),
            set: IndexMap::new(),
        };
        let v = w.variant(&self.src, &self.base)?;
        let valid = self.src.validate_variant(&v)?;
        Ok((v, valid))
    }
}

/// The solver settings of a request, checked as `--time-limit` and `--gap` are; the time limit
/// is at most the server's.
fn options(app: &App, time_limit: Option<f64>, gap: Option<f64>) -> Result<SolveOptions, ApiError> {
    let cap = app.config.time_limit;
    let t = match time_limit {
        None => cap,
        Some(t) if !(t.is_finite() && t > 0.0) => {
            return Err(
                ApiError::bad("`time_limit` must be a positive number of seconds").at("time_limit"),
            );
        }
        Some(t) if t > cap => {
            return Err(ApiError::bad(format!(
                "`time_limit` {t} is above this server's limit of {cap} s"
            ))
            .at("time_limit")
            .help("ask for less, or start the server with a larger --time-limit"));
        }
        Some(t) => t,
    };
    let gap = match gap {
        None => 1e-6,
        Some(g) if g.is_finite() && g >= 0.0 => g,
        Some(_) => {
            return Err(ApiError::bad("`gap` must be a finite number ≥ 0, e.g. 1e-4").at("gap"));
        }
    };
    Ok(SolveOptions {
        mip_rel_gap: gap,
        time_limit: Some(t),
        ..SolveOptions::default()
    })
}

fn wants_events(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/event-stream"))
}

/// A successful answer: its content type and body.
struct Answer {
    content_type: &'static str,
    body: Vec<u8>,
    file_name: Option<String>,
}

impl Answer {
    fn json(text: String) -> Answer {
        Answer {
            content_type: "application/json",
            body: text.into_bytes(),
            file_name: None,
        }
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        let mut resp = typed(self.content_type, self.body);
        if let Some(name) = self.file_name
            && let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        {
            resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
        resp
    }
}

/// Runs `work` on a solving slot and answers with its result: as one body, or (when the client
/// accepts `text/event-stream`) as server-sent events `started`, `progress`…, then `result` (the
/// JSON body) or `error` (the error's JSON). Either way the solves stop when the client leaves.
async fn run(
    app: Arc<App>,
    headers: &HeaderMap,
    work: impl FnOnce(&App) -> Result<Answer, ApiError> + Send + 'static,
) -> Response {
    if wants_events(headers) {
        let (tx, rx) = mpsc::unbounded_channel::<String>();
        let watcher = Watcher::streaming(tx.clone());
        tokio::spawn(async move {
            let a = app.clone();
            let out = app.jobs.run(watcher, move || work(&a)).await;
            let last = match out {
                Ok(answer) => frame(
                    "result",
                    &String::from_utf8_lossy(&answer.body).replace('\n', ""),
                ),
                Err(e) => frame(
                    "error",
                    &serde_json::json!({ "status": e.status.as_u16(), "error": e }).to_string(),
                ),
            };
            let _ = tx.send(last);
        });
        let stream = UnboundedReceiverStream::new(rx).map(Ok::<_, Infallible>);
        return (
            [
                (header::CONTENT_TYPE, "text/event-stream"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            Body::from_stream(stream),
        )
            .into_response();
    }
    let watcher = Watcher::new();
    let _stop = StopOnDrop(watcher.clone());
    let a = app.clone();
    match app.jobs.run(watcher, move || work(&a)).await {
        Ok(answer) => answer.into_response(),
        Err(e) => e.into_response(),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SolveRequest {
    problem: String,
    #[serde(default)]
    scenario: Option<String>,
    #[serde(default)]
    set: IndexMap<String, serde_json::Value>,
    #[serde(default)]
    time_limit: Option<f64>,
    #[serde(default)]
    gap: Option<f64>,
}

impl SolveRequest {
    fn target(&self) -> Target {
        Target {
            problem: self.problem.clone(),
            scenario: self.scenario.clone(),
            set: self.set.clone(),
        }
    }
}

/// Solves a valid variant as `parkplan solve` does (with its tie check).
fn solve_plan(valid: &ValidProblem, name: &str, options: &SolveOptions) -> Result<Plan, ApiError> {
    let options = options.started_now();
    let mut plan = plan::solve_variant(valid, name, &options)?;
    plan::check_tie(valid, &mut plan, &options)?;
    Ok(plan)
}

async fn solve(State(app): State<Arc<App>>, headers: HeaderMap, body: Body) -> Response {
    let req: SolveRequest = match read(&headers, body).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let (target, options) = match (
        req.target().what_if(),
        options(&app, req.time_limit, req.gap),
    ) {
        (Err(e), _) | (_, Err(e)) => return e.into_response(),
        (Ok(_), Ok(o)) => (req.target(), o),
    };
    run(app, &headers, move |app| {
        let p = target.prepare(app)?;
        let (v, valid) = p.valid()?;
        let plan = solve_plan(&valid, &v.name, &options)?;
        Ok(Answer::json(report::render(
            &plan,
            valid.problem(),
            Format::Json,
        )?))
    })
    .await
}

async fn document(State(app): State<Arc<App>>, headers: HeaderMap, body: Body) -> Response {
    let target: Target = match read(&headers, body).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let out = tokio::task::spawn_blocking(move || {
        let p = target.prepare(&app)?;
        let v = p.what_if.variant(&p.src, &p.base)?;
        let doc = serde_json::to_value(&v.document)
            .map_err(|e| ApiError::internal(&format!("cannot show the document as JSON: {e}")))?;
        let json = serde_json::json!({
            "problem": p.name,
            "variant": v.name,
            "description": v.description,
            "document": doc,
        });
        Ok::<_, ApiError>(Answer::json(json.to_string()))
    })
    .await;
    match out {
        Ok(Ok(a)) => a.into_response(),
        Ok(Err(e)) => e.into_response(),
        Err(e) => ApiError::internal(&e.to_string()).into_response(),
    }
}

async fn explain_route(State(app): State<Arc<App>>, headers: HeaderMap, body: Body) -> Response {
    let req: SolveRequest = match read(&headers, body).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let (target, options) = match (
        req.target().what_if(),
        options(&app, req.time_limit, req.gap),
    ) {
        (Err(e), _) | (_, Err(e)) => return e.into_response(),
        (Ok(_), Ok(o)) => (req.target(), o),
    };
    run(app, &headers, move |app| {
        let p = target.prepare(app)?;
        let (v, valid) = p.valid()?;
        let e = explain(&valid, &v.name, &options.started_now())
            .map_err(|e| ApiError::internal(&e.to_string()))?;
        let text = serde_json::to_string_pretty(&e).map_err(report::ReportError::from)? + "\n";
        Ok(Answer::json(text))
    })
    .await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AlternativesRequest {
    problem: String,
    #[serde(default)]
    scenario: Option<String>,
    #[serde(default)]
    set: IndexMap<String, serde_json::Value>,
    #[serde(default)]
    time_limit: Option<f64>,
    #[serde(default)]
    gap: Option<f64>,
    #[serde(default = "five")]
    count: usize,
    #[serde(default)]
    within: Option<f64>,
    #[serde(default = "one")]
    differ: usize,
}

fn five() -> usize {
    5
}

fn one() -> usize {
    1
}

/// The most plans `alternatives` may rank in one request: each is a MILP.
const MAX_ALTERNATIVES: usize = 20;

async fn alternatives_route(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let req: AlternativesRequest = match read(&headers, body).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let target = Target {
        problem: req.problem.clone(),
        scenario: req.scenario.clone(),
        set: req.set.clone(),
    };
    let solve = match (target.what_if(), options(&app, req.time_limit, req.gap)) {
        (Err(e), _) | (_, Err(e)) => return e.into_response(),
        (Ok(_), Ok(o)) => o,
    };
    if req.count == 0 || req.count > MAX_ALTERNATIVES {
        return ApiError::bad(format!("`count` must be between 1 and {MAX_ALTERNATIVES}"))
            .at("count")
            .into_response();
    }
    if let Some(f) = req.within
        && !(f.is_finite() && f >= 0.0)
    {
        return ApiError::bad("`within` must be a finite fraction ≥ 0, e.g. 0.05 for 5 %")
            .at("within")
            .into_response();
    }
    let (count, within, differ) = (req.count, req.within, req.differ);
    run(app, &headers, move |app| {
        let p = target.prepare(app)?;
        let (v, valid) = p.valid()?;
        let o = AlternativesOptions {
            count,
            within,
            differ,
            solve: solve.started_now(),
        };
        let list = alternatives::alternatives(&valid, &v.name, &o).map_err(|e| match e {
            AlternativesError::Solve(e) => ApiError::from(e),
            AlternativesError::Differ { .. } => ApiError::bad(e.to_string()).at("differ"),
            e => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
        })?;
        Ok(Answer::json(report::alternatives::render(
            &list,
            AnalysisFormat::Json,
        )?))
    })
    .await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RobustRequest {
    problem: String,
    /// The scenario or sweep point the what-if starts from; it takes the base's place.
    #[serde(default)]
    scenario: Option<String>,
    #[serde(default)]
    set: IndexMap<String, serde_json::Value>,
    #[serde(default)]
    time_limit: Option<f64>,
    #[serde(default)]
    gap: Option<f64>,
    /// Scenario names and probabilities; the file's `uncertainty:` block when left out.
    #[serde(default)]
    scenarios: Option<IndexMap<String, f64>>,
    #[serde(default)]
    measure: Option<Measure>,
}

async fn robust_route(State(app): State<Arc<App>>, headers: HeaderMap, body: Body) -> Response {
    let req: RobustRequest = match read(&headers, body).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let target = Target {
        problem: req.problem.clone(),
        scenario: req.scenario.clone(),
        set: req.set.clone(),
    };
    let solve = match (target.what_if(), options(&app, req.time_limit, req.gap)) {
        (Err(e), _) | (_, Err(e)) => return e.into_response(),
        (Ok(_), Ok(o)) => o,
    };
    if let Some(s) = &req.scenarios
        && let Some((k, _)) = s.iter().find(|(_, p)| !p.is_finite())
    {
        return ApiError::bad("a probability must be a finite number")
            .at(format!("scenarios.{k}"))
            .into_response();
    }
    let (pairs, measure) = (req.scenarios.clone(), req.measure);
    run(app, &headers, move |app| {
        let p = target.prepare(app)?;
        // The what-if (its scenario with its changes) takes the base's place; each scenario
        // weighed applies on top of it.
        let src = p.what_if.file(&p.src, &p.base)?;
        let base = src.base_problem()?;
        let (pairs, at): (Vec<(String, f64)>, &str) = match (&pairs, &base.uncertainty) {
            (Some(s), _) => (
                s.iter().map(|(k, v)| (k.clone(), *v)).collect(),
                "uncertainty.scenarios",
            ),
            (None, Some(u)) => (
                u.scenarios.iter().map(|(k, v)| (k.clone(), *v)).collect(),
                "uncertainty.scenarios",
            ),
            (None, None) => {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!("`{}` has no `uncertainty:` block", p.name),
                )
                .at("scenarios")
                .help("name the scenarios and their probabilities, e.g. {\"base\": 0.6, \"dry-season\": 0.4}"));
            }
        };
        let rp = robust::load(&src, &base, &pairs, at)?;
        let o = RobustOptions {
            measure: measure
                .or(base.uncertainty.as_ref().map(|u| u.measure))
                .unwrap_or_default(),
            solve: solve.started_now(),
            // One thread: the request's observer watches the solves of this thread only.
            jobs: 1,
        };
        let r = robust::robust(&rp, &o).map_err(|e| match e {
            RobustError::Solve(e) => ApiError::from(e),
            e => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
        })?;
        Ok(Answer::json(report::robust::render(&r, AnalysisFormat::Json)?))
    })
    .await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DesignationsRequest {
    problem: String,
    #[serde(default)]
    scenario: Option<String>,
    #[serde(default)]
    set: IndexMap<String, serde_json::Value>,
    /// The park whose designations are priced.
    park: String,
    #[serde(default)]
    time_limit: Option<f64>,
    #[serde(default)]
    gap: Option<f64>,
}

/// The price of every designation of one park of the what-if: what `parkplan designations
/// --park P --format json` prints for the same file, scenario and changes. The request's time
/// limit bounds the whole request (the optimum and every chain), not each solve.
async fn designations_route(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let req: DesignationsRequest = match read(&headers, body).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let target = Target {
        problem: req.problem.clone(),
        scenario: req.scenario.clone(),
        set: req.set.clone(),
    };
    let solve = match (target.what_if(), options(&app, req.time_limit, req.gap)) {
        (Err(e), _) | (_, Err(e)) => return e.into_response(),
        (Ok(_), Ok(o)) => o,
    };
    if req.park.is_empty() || req.park.len() > MAX_PATH {
        return ApiError::bad("`park` must be a park's id, e.g. `pannan`")
            .at("park")
            .into_response();
    }
    let park = req.park.clone();
    run(app, &headers, move |app| {
        let p = target.prepare(app)?;
        let (v, valid) = p.valid()?;
        let o = DesignationsOptions {
            parks: vec![park],
            solve: solve.started_now(),
            // One thread: a request holds one solving slot.
            jobs: 1,
        };
        let d =
            designations::designations(&valid, &v.name, &o, &|_, _| {}).map_err(|e| match e {
                DesignationsError::Solve(e) => ApiError::from(e),
                DesignationsError::UnknownPark { ref near, .. } => {
                    let e = ApiError::not_found(e.to_string()).at("park");
                    if near.is_some() {
                        e
                    } else {
                        e.help("name one of the problem's parks")
                    }
                }
                e => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
            })?;
        Ok(Answer::json(report::designations::render(
            &d,
            AnalysisFormat::Json,
        )?))
    })
    .await
}

/// The HTML report comparing the what-if with its reference: the report `parkplan report`
/// writes, so the page shows the same charts.
async fn report_route(State(app): State<Arc<App>>, headers: HeaderMap, body: Body) -> Response {
    let req: SolveRequest = match read(&headers, body).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let (target, options) = match (
        req.target().what_if(),
        options(&app, req.time_limit, req.gap),
    ) {
        (Err(e), _) | (_, Err(e)) => return e.into_response(),
        (Ok(_), Ok(o)) => (req.target(), o),
    };
    run(app, &headers, move |app| {
        let p = target.prepare(app)?;
        let (v, valid) = p.valid()?;
        let mut plans = Vec::new();
        if !p.what_if.set.is_empty() {
            let (rv, rvalid) = p.reference()?;
            plans.push(NamedPlan {
                label: rv.name.clone(),
                plan: solve_plan(&rvalid, &rv.name, &options)?,
            });
        }
        plans.push(NamedPlan {
            label: v.name.clone(),
            plan: solve_plan(&valid, &v.name, &options)?,
        });
        let title = p.base.name.clone().unwrap_or_else(|| p.name.clone());
        let input = ReportInput {
            title: &title,
            plans: &plans,
            problem: Some(valid.problem()),
            base: 0,
            rows: &[],
            fronts: &[],
            notes: &[],
            designations: &[],
        };
        Ok(Answer {
            content_type: "text/html; charset=utf-8",
            body: report::render_report(&input, report::ReportFormat::Html).into_bytes(),
            file_name: None,
        })
    })
    .await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum ExportFormat {
    Json,
    Yaml,
    Csv,
    Markdown,
    Html,
    Xlsx,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportRequest {
    problem: String,
    #[serde(default)]
    scenario: Option<String>,
    #[serde(default)]
    set: IndexMap<String, serde_json::Value>,
    #[serde(default)]
    time_limit: Option<f64>,
    #[serde(default)]
    gap: Option<f64>,
    format: ExportFormat,
}

/// A file name made of letters, digits, `-`, `_` and `.` only.
fn file_name(parts: &[&str], ext: &str) -> String {
    let stem: String = parts
        .join("-")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    format!("{stem}.{ext}")
}

async fn export(State(app): State<Arc<App>>, headers: HeaderMap, body: Body) -> Response {
    let req: ExportRequest = match read(&headers, body).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let target = Target {
        problem: req.problem.clone(),
        scenario: req.scenario.clone(),
        set: req.set.clone(),
    };
    let options = match (target.what_if(), options(&app, req.time_limit, req.gap)) {
        (Err(e), _) | (_, Err(e)) => return e.into_response(),
        (Ok(_), Ok(o)) => o,
    };
    let format = req.format;
    run(app, &headers, move |app| {
        let p = target.prepare(app)?;
        let (v, valid) = p.valid()?;
        let plan = solve_plan(&valid, &v.name, &options)?;
        let (content_type, ext, body) = match format {
            ExportFormat::Xlsx => (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx",
                report::xlsx::plan(&plan)?,
            ),
            f => {
                let (fmt, ct, ext) = match f {
                    ExportFormat::Json => (Format::Json, "application/json", "json"),
                    ExportFormat::Yaml => (Format::Yaml, "application/yaml", "yaml"),
                    ExportFormat::Csv => (Format::Csv, "text/csv", "csv"),
                    ExportFormat::Markdown => (Format::Markdown, "text/markdown", "md"),
                    _ => (Format::Html, "text/html; charset=utf-8", "html"),
                };
                (
                    ct,
                    ext,
                    report::render(&plan, valid.problem(), fmt)?.into_bytes(),
                )
            }
        };
        Ok(Answer {
            content_type,
            body,
            file_name: Some(file_name(&[&p.name, &v.name], ext)),
        })
    })
    .await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum SaveTo {
    /// A new file beside the original, served from then on.
    Copy,
    /// The original, atomically, after a backup.
    Original,
    /// Nothing written: the file's new text is the answer.
    Download,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SaveRequest {
    problem: String,
    #[serde(default)]
    scenario: Option<String>,
    #[serde(default)]
    set: IndexMap<String, serde_json::Value>,
    name: String,
    #[serde(default)]
    description: Option<String>,
    to: SaveTo,
}

async fn save(State(app): State<Arc<App>>, headers: HeaderMap, body: Body) -> Response {
    let req: SaveRequest = match read(&headers, body).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let target = Target {
        problem: req.problem.clone(),
        scenario: req.scenario.clone(),
        set: req.set.clone(),
    };
    if let Err(e) = target.what_if() {
        return e.into_response();
    }
    if req.description.as_ref().is_some_and(|d| d.len() > 2000) {
        return ApiError::bad("`description` is longer than 2000 bytes")
            .at("description")
            .into_response();
    }
    let out = tokio::task::spawn_blocking(move || save_blocking(&app, &target, &req)).await;
    match out {
        Ok(Ok(a)) => a.into_response(),
        Ok(Err(e)) => e.into_response(),
        Err(e) => ApiError::internal(&e.to_string()).into_response(),
    }
}

fn save_blocking(app: &App, target: &Target, req: &SaveRequest) -> Result<Answer, ApiError> {
    let p = target.prepare(app)?;
    let (v, _) = p.valid()?;
    let description = req.description.clone().unwrap_or_else(|| {
        let from = target.scenario.as_deref().unwrap_or(variant::BASE);
        format!("What-if saved from the web app, starting from `{from}`")
    });
    let text = whatif::save_as_scenario(&p.src, &p.base, &v, &req.name, &description).map_err(
        |e| match e {
            whatif::SaveError::Name(m) => {
                let status = if m.contains("already has") {
                    StatusCode::CONFLICT
                } else {
                    StatusCode::BAD_REQUEST
                };
                ApiError::new(status, m).at("name")
            }
            e => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
        },
    )?;
    let original = p.src.path.clone();
    let stem = original
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "problem".into());
    let io = |path: &std::path::Path, e: std::io::Error| {
        ApiError::internal(&format!(
            "cannot write {}: {e}",
            path.file_name()
                .map(|f| f.to_string_lossy())
                .unwrap_or_default()
        ))
    };
    match req.to {
        SaveTo::Download => Ok(Answer {
            content_type: "application/yaml",
            body: text.into_bytes(),
            file_name: Some(file_name(&[&stem, &req.name], "yaml")),
        }),
        SaveTo::Copy => {
            let path = original.with_file_name(file_name(&[&stem, &req.name], "yaml"));
            // Never over another file: the copy is written whole beside it, then linked in under
            // its name only if that name is free.
            let dir = path.parent().unwrap_or(std::path::Path::new("."));
            let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| io(&path, e))?;
            std::io::Write::write_all(&mut tmp, text.as_bytes()).map_err(|e| io(&path, e))?;
            tmp.as_file().sync_all().map_err(|e| io(&path, e))?;
            if let Err(e) = tmp.persist_noclobber(&path) {
                if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                    return Err(ApiError::new(
                        StatusCode::CONFLICT,
                        format!(
                            "{} exists already",
                            path.file_name()
                                .map(|f| f.to_string_lossy())
                                .unwrap_or_default()
                        ),
                    )
                    .at("name")
                    .help("choose another scenario name"));
                }
                return Err(io(&path, e.error));
            }
            let served = app.config.catalogue.add(path.clone());
            Ok(Answer::json(
                serde_json::json!({
                    "problem": served,
                    "file": path.file_name().map(|f| f.to_string_lossy().into_owned()),
                    "scenario": req.name,
                })
                .to_string(),
            ))
        }
        SaveTo::Original => {
            let backup = original.with_file_name(format!(
                "{}.bak",
                original
                    .file_name()
                    .map(|f| f.to_string_lossy())
                    .unwrap_or_default()
            ));
            atomic::write(&backup, &p.src.text).map_err(|e| io(&backup, e))?;
            atomic::write(&original, &text).map_err(|e| io(&original, e))?;
            Ok(Answer::json(
                serde_json::json!({
                    "problem": p.name,
                    "file": original.file_name().map(|f| f.to_string_lossy().into_owned()),
                    "backup": backup.file_name().map(|f| f.to_string_lossy().into_owned()),
                    "scenario": req.name,
                })
                .to_string(),
            ))
        }
    }
}
