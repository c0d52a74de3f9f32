//! Errors as the API answers them: a status and a JSON body with the message, the path at fault
//! (a field of the request or a YAML path of the problem) and how to mend it. A problem file's
//! diagnostics keep every item and the command line's own rendering of them.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::problem::Diagnostics;

/// One error answer.
#[derive(Debug, Clone, Serialize)]
pub struct ApiError {
    /// The HTTP status.
    #[serde(skip)]
    pub status: StatusCode,
    /// What is wrong, in a sentence.
    pub message: String,
    /// Where: a field of the request (`set.parks.pannan.capacity.land`, `time_limit`) or a YAML
    /// path of the problem.
    pub path: Option<String>,
    /// How to mend it.
    pub help: Option<String>,
    /// Every problem found in the file, when the file (or the what-if) is at fault.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Item>,
    /// The command line's text for the same diagnostics, as `parkplan validate` prints it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// One diagnostic of a problem file.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// What is wrong.
    pub message: String,
    /// The YAML path.
    pub path: Option<String>,
    /// Line in the file, when the value is written there.
    pub line: Option<usize>,
    /// Column in the file.
    pub column: Option<usize>,
    /// How to mend it.
    pub help: Option<String>,
}

impl ApiError {
    /// An error with `status` and `message`.
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            path: None,
            help: None,
            diagnostics: Vec::new(),
            text: None,
        }
    }

    /// A request that cannot be read or holds a wrong value (400).
    pub fn bad(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    /// Names the request field or YAML path at fault.
    pub fn at(mut self, path: impl Into<String>) -> ApiError {
        self.path = Some(path.into());
        self
    }

    /// Says how to mend it.
    pub fn help(mut self, help: impl Into<String>) -> ApiError {
        self.help = Some(help.into());
        self
    }

    /// Nothing served by that name (404).
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }

    /// The queue of solves is full (503).
    pub fn busy(waiting: usize) -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("the server is busy: {waiting} requests already wait for a solver"),
        )
        .help("try again in a moment")
    }

    /// The client left before its turn (499 is not standard; 503 says the same to a proxy).
    pub fn cancelled() -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "the request was cancelled")
    }

    /// A failure of the server or the solver (500).
    pub fn internal(message: &str) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// A problem file, or a what-if of it, that does not validate (422).
    pub fn diagnostics(d: &Diagnostics) -> ApiError {
        // The page shows a what-if's messages beside its fields, where naming it says nothing.
        let mut d = d.clone();
        let label = format!("in scenario `{}`: ", super::whatif::WHAT_IF);
        for i in &mut d.items {
            if let Some(rest) = i.message.strip_prefix(&label) {
                i.message = format!("in the what-if: {rest}");
            }
        }
        let first = d.items.first();
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: first
                .map(|i| i.message.clone())
                .unwrap_or_else(|| "the problem is not valid".into()),
            path: first.and_then(|i| i.path.clone()),
            help: first.and_then(|i| i.help.clone()),
            diagnostics: d
                .items
                .iter()
                .map(|i| Item {
                    message: i.message.clone(),
                    path: i.path.clone(),
                    line: i.location.map(|l| l.line),
                    column: i.location.map(|l| l.column),
                    help: i.help.clone(),
                })
                .collect(),
            text: Some(d.to_string()),
        }
    }
}

impl From<Diagnostics> for ApiError {
    fn from(d: Diagnostics) -> ApiError {
        ApiError::diagnostics(&d)
    }
}

impl From<crate::solver::SolveError> for ApiError {
    fn from(e: crate::solver::SolveError) -> ApiError {
        ApiError::internal(&format!("the solver failed: {e}"))
    }
}

impl From<crate::report::ReportError> for ApiError {
    fn from(e: crate::report::ReportError) -> ApiError {
        ApiError::internal(&e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_string(&self).unwrap_or_else(|_| {
            "{\"message\":\"the error could not be written as JSON\"}".to_string()
        });
        (
            self.status,
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response()
    }
}
