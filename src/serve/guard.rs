//! The checks every request passes before any route sees it.
//!
//! - **Host**: without a token the server answers only to loopback host names, so a web page
//!   whose DNS name is rebound to 127.0.0.1 cannot reach it through the victim's browser.
//! - **Origin**: a browser request from another site (an `Origin:` other than the server's own,
//!   or `Sec-Fetch-Site: cross-site`) is refused, so no page elsewhere can start solves or save
//!   files through a browser that has the page open.
//! - **Token**: when one is set, every request carries it: `Authorization: Bearer T`, the
//!   `parkplan_token` cookie (set, `HttpOnly` and `SameSite=Strict`, when the page is opened
//!   with `?token=T`), or `?token=T`.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::api::App;
use super::error::ApiError;

const COOKIE: &str = "parkplan_token";

/// A new random token: 128 bits from the system's random source, as 32 hex digits.
pub fn new_token() -> String {
    let mut bytes = [0u8; 16];
    let from_os = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes));
    if from_os.is_err() {
        // No /dev/urandom: the standard library's per-process random keys, twice.
        use std::hash::{BuildHasher, Hasher};
        for (i, chunk) in bytes.chunks_mut(8).enumerate() {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_usize(i);
            h.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or(0),
            );
            chunk.copy_from_slice(&h.finish().to_le_bytes());
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares in time that does not depend on where the strings differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map(|(h, _)| h).unwrap_or(host),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn query_token(req: &Request) -> Option<String> {
    req.uri().query().and_then(|q| {
        q.split('&')
            .find_map(|kv| kv.strip_prefix("token=").map(str::to_string))
    })
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            kv.trim()
                .strip_prefix(COOKIE)
                .and_then(|r| r.strip_prefix('='))
                .map(str::to_string)
        })
}

fn bearer_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string())
}

/// The checks, as middleware.
pub async fn check(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .to_string();
    if app.config.loopback_only && !is_loopback_host(&host) {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            format!("host `{host}` is not served: this server answers to localhost only"),
        )
        .at("Host")
        .help("open the page at http://127.0.0.1:PORT/, or start the server with --token to serve other names")
        .into_response();
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok())
        && origin != format!("http://{host}")
    {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            format!(
                "requests from `{origin}` are refused: only the page this server serves may call it"
            ),
        )
        .at("Origin")
        .into_response();
    }
    let cross_site = headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"cross-site");
    let page = req.method() == Method::GET && !req.uri().path().starts_with("/api/");
    if cross_site && !page {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "a request from another site is refused: only the page this server serves may call it",
        )
        .at("Sec-Fetch-Site")
        .into_response();
    }
    let mut set_cookie = None;
    if let Some(token) = &app.config.token {
        let from_query = query_token(&req);
        let given = bearer_token(headers)
            .or_else(|| cookie_token(headers))
            .or_else(|| from_query.clone());
        match given {
            None => {
                return ApiError::new(StatusCode::UNAUTHORIZED, "this server needs a token")
                    .at("token")
                    .help(
                        "open the URL the server printed (with a generated token it ends in \
                         ?token=…), or add ?token=TOKEN to the address, or send \
                         `Authorization: Bearer TOKEN`, with the token given to --token",
                    )
                    .into_response();
            }
            Some(g) if !same(&g, token) => {
                return ApiError::new(StatusCode::UNAUTHORIZED, "the token is wrong")
                    .at("token")
                    .help("use the token the server printed when it started")
                    .into_response();
            }
            Some(_) => {
                if from_query.is_some() && page {
                    set_cookie = Some(format!(
                        "{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/"
                    ));
                }
            }
        }
    }
    let mut resp = next.run(req).await;
    if let Some(c) = set_cookie
        && let Ok(v) = HeaderValue::from_str(&c)
    {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_are_told_from_others() {
        for h in [
            "127.0.0.1:8080",
            "localhost:1",
            "[::1]:80",
            "127.0.0.1",
            "LOCALHOST:9",
        ] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in [
            "evil.example:8080",
            "10.0.0.1:80",
            "",
            "localhost.evil.example:80",
        ] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }

    #[test]
    fn tokens_are_random_and_compared_whole() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(same(&a, &a.clone()));
        assert!(!same(&a, &b) && !same(&a, &a[..31]));
    }
}
