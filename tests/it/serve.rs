//! `parkplan serve` through HTTP: the binary started on a free loopback port, every route called
//! with plain HTTP/1.1 over a socket, good requests and bad ones (unknown paths, wrong types, NaN,
//! huge bodies, traversal attempts, wrong hosts, origins and tokens), each bad one answered with a
//! JSON error and the right status. A what-if's objective is checked against `parkplan solve` of
//! a copy of the file holding the same change as a scenario. The end-to-end test in a real
//! Chromium (`tests/e2e/`) is run from here too, and skipped with a note where Node.js, its
//! packages or Chromium are missing.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{Test, path};

/// A running server, stopped when dropped.
pub(crate) struct Server {
    child: Child,
    pub(crate) port: u16,
    pub(crate) url: String,
    _dir: tempfile::TempDir,
    pub(crate) dir: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `parkplan serve` on copies of `files` (from problems/) with `extra` flags.
fn serve(files: &[&str], extra: &[&str]) -> Server {
    let files: Vec<PathBuf> = files.iter().map(|f| path(f)).collect();
    serve_at(&files, "127.0.0.1:0", extra)
}

/// Starts `parkplan serve` on copies of `files` at `addr` with `extra` flags (`--jobs 2` unless
/// they say otherwise); the port is read from the URL it prints.
pub(crate) fn serve_at(files: &[PathBuf], addr: &str, extra: &[&str]) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let mut args: Vec<String> = vec!["serve".into()];
    for f in files {
        let to = dir.path().join(f.file_name().unwrap());
        std::fs::copy(f, &to).unwrap();
        args.push(to.display().to_string());
    }
    args.extend(["--addr", addr].map(String::from));
    if !extra.contains(&"--jobs") {
        args.extend(["--jobs", "2"].map(String::from));
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_parkplan"))
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("parkplan serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "printed {url:?}");
    let port: u16 = url["http://127.0.0.1:".len()..]
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let dir_path = dir.path().to_path_buf();
    Server {
        child,
        port,
        url,
        _dir: dir,
        dir: dir_path,
    }
}

/// One answer: status, headers (lower-case names) and body.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Answer {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body[..self.body.len().min(500)])
            )
        })
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A JSON error with this status, its message containing `says` and naming `at`.
    pub(crate) fn error(&self, status: u16, says: &str, at: Option<&str>) -> Value {
        assert_eq!(self.status, status, "{}", self.text());
        assert!(
            self.header("content-type")
                .is_some_and(|c| c.starts_with("application/json")),
            "{:?}",
            self.headers
        );
        let e = self.json();
        let message = e["message"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{message:?} lacks {says:?}");
        if let Some(at) = at {
            assert_eq!(e["path"].as_str(), Some(at), "{e}");
        }
        e
    }
}

/// Sends one request; `headers` are extra lines such as `("Origin", "http://x")`.
pub(crate) fn request(
    port: u16,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Answer {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let mut head = format!("{method} {target} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: 127.0.0.1:{port}\r\n"));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    ));
    s.write_all(head.as_bytes()).unwrap();
    // A body over the limit is only announced: the server refuses it by its length alone, and
    // bytes it never reads would reset the connection before its answer is read.
    if body.len() <= 1 << 20 {
        s.write_all(body).unwrap();
    }
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a whole answer");
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v == "chunked")
    {
        body = unchunk(&body);
    }
    Answer {
        status,
        headers,
        body,
    }
}

fn unchunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = data.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(std::str::from_utf8(&data[..eol]).unwrap().trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[eol + 2 + size + 2..];
    }
}

pub(crate) fn post(s: &Server, route: &str, body: &Value) -> Answer {
    request(s.port, "POST", route, &[], body.to_string().as_bytes())
}

/// The objective `parkplan solve` finds for scenario `name` of `file`.
pub(crate) fn cli_objective(file: &Path, scenario: &str) -> f64 {
    let plan = Test::new()
        .args([
            "solve".as_ref(),
            file.as_os_str(),
            "--scenario".as_ref(),
            scenario.as_ref(),
            "-f".as_ref(),
            "json".as_ref(),
        ])
        .json();
    plan["objective"].as_f64().unwrap()
}

#[test]
fn a_what_if_solves_to_what_the_command_line_finds_for_the_same_change() {
    let s = serve(&["problems/liupanshui.yaml"], &[]);
    let a = post(
        &s,
        "/api/solve",
        &json!({"problem": "liupanshui", "set": {"parks.pannan.capacity.land": 5.2}, "time_limit": 30}),
    );
    assert_eq!(a.status, 200, "{}", a.text());
    let plan = a.json();
    assert_eq!(plan["status"], "optimal");
    assert_eq!(plan["variant"], "what-if");
    // The same change written into a copy of the file as a scenario, solved by the CLI.
    let text = std::fs::read_to_string(path("problems/liupanshui.yaml")).unwrap();
    let copy = s.dir.join("with-scenario.yaml");
    std::fs::write(
        &copy,
        text.replacen(
            "scenarios:\n",
            "scenarios:\n  more-land:\n    set: { \"parks.pannan.capacity.land\": 5.2 }\n",
            1,
        ),
    )
    .unwrap();
    let cli = cli_objective(&copy, "more-land");
    let web = plan["objective"].as_f64().unwrap();
    assert!(
        (web - cli).abs() <= 1e-9 * cli.abs().max(1.0),
        "{web} vs {cli}"
    );
    // More land for Pannan is worth something: above the file's known optimum.
    assert!(web > 141.105828 + 1e-3, "{web}");

    // On a scenario, the base plan is the scenario's known optimum; a sweep point is a variant.
    let a = post(
        &s,
        "/api/solve",
        &json!({"problem": "liupanshui", "scenario": "dry-season"}),
    );
    assert!((a.json()["objective"].as_f64().unwrap() - 135.353254).abs() < 1e-5);
    let a = post(
        &s,
        "/api/solve",
        &json!({"problem": "liupanshui", "scenario": "reuse-rate[rules.min_reuse_rate=0.7]"}),
    );
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(a.json()["variant"], "reuse-rate[rules.min_reuse_rate=0.7]");
}

#[test]
fn every_route_answers_what_its_command_prints() {
    let s = serve(
        &[
            "problems/liupanshui.yaml",
            "problems/small/infeasible-capacity.yaml",
        ],
        &[],
    );
    // The page and its assets.
    let page = request(s.port, "GET", "/", &[], b"");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("<script src=\"app.js\""));
    assert!(page.header("content-security-policy").is_some());
    for asset in ["/app.js", "/app.css"] {
        assert_eq!(
            request(s.port, "GET", asset, &[], b"").status,
            200,
            "{asset}"
        );
    }
    // The OpenAPI description lists every route the server answers.
    let spec = request(s.port, "GET", "/api/openapi.json", &[], b"").json();
    assert_eq!(spec["openapi"], "3.1.0");
    for route in [
        "/api/problems",
        "/api/document",
        "/api/solve",
        "/api/explain",
        "/api/alternatives",
        "/api/robust",
        "/api/designations",
        "/api/status",
        "/api/report",
        "/api/export",
        "/api/save",
    ] {
        assert!(spec["paths"][route].is_object(), "{route} undocumented");
    }
    // The files, with scenarios and sweeps.
    let list = request(s.port, "GET", "/api/problems", &[], b"").json();
    let problems = list["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 2);
    let lps = &problems[0];
    assert_eq!(lps["name"], "liupanshui");
    assert_eq!(lps["scenarios"][0]["name"], "dry-season");
    assert_eq!(lps["sweeps"][1]["points"].as_array().unwrap().len(), 6);
    assert!(
        lps.to_string().find("/tmp").is_none(),
        "no server path shown"
    );
    // The document the forms start from: the scenario applied.
    let doc = post(
        &s,
        "/api/document",
        &json!({"problem": "liupanshui", "scenario": "dry-season"}),
    )
    .json();
    let water = doc["document"]["parks"]["liuzhi"]["capacity"]["water"]
        .as_f64()
        .unwrap();
    assert!((water - 21.0).abs() < 1e-9, "{water}");

    // Server-sent events: started, then the result.
    let a = request(
        s.port,
        "POST",
        "/api/solve",
        &[("Accept", "text/event-stream")],
        br#"{"problem": "liupanshui"}"#,
    );
    let text = a.text();
    assert_eq!(a.header("content-type"), Some("text/event-stream"));
    assert!(text.starts_with("event: started\n"), "{text}");
    let result = text
        .split("event: result\ndata: ")
        .nth(1)
        .expect("a result event");
    let plan: Value = serde_json::from_str(result.trim()).unwrap();
    assert!((plan["objective"].as_f64().unwrap() - 141.105828).abs() < 1e-5);

    // explain: the smallest changes, as `parkplan explain --format json` prints them.
    let e = post(
        &s,
        "/api/explain",
        &json!({"problem": "infeasible-capacity"}),
    )
    .json();
    let cli = Test::new()
        .args([
            "explain",
            "problems/small/infeasible-capacity.yaml",
            "-f",
            "json",
        ])
        .json();
    assert_eq!(e["status"], "infeasible");
    assert_eq!(e["changes"], cli["changes"]);

    let alt = post(
        &s,
        "/api/alternatives",
        &json!({"problem": "liupanshui", "count": 2}),
    )
    .json();
    assert_eq!(alt["plans"].as_array().unwrap().len(), 2);
    assert!((alt["plans"][0]["objective"].as_f64().unwrap() - 141.105828).abs() < 1e-5);

    let r = post(&s, "/api/robust", &json!({"problem": "liupanshui"}));
    assert_eq!(r.status, 200, "{}", r.text());
    let r = r.json();
    assert_eq!(r["scenarios"].as_array().unwrap().len(), 4);
    assert!(r["objective"].as_f64().is_some());

    // The report beside the base, and the downloads.
    let what_if = json!({"problem": "liupanshui", "set": {"parks.pannan.capacity.land": 5.2}});
    let html = post(&s, "/api/report", &what_if).text();
    assert!(html.contains("<svg") && html.contains("what-if") && html.contains("base"));
    for (format, starts) in [
        ("json", "{"),
        ("yaml", "problem:"),
        ("html", "<!DOCTYPE html>"),
        ("xlsx", "PK"),
    ] {
        let mut body = what_if.clone();
        body["format"] = json!(format);
        let a = post(&s, "/api/export", &body);
        assert_eq!(a.status, 200, "{format}: {}", a.text());
        assert!(a.body.starts_with(starts.as_bytes()), "{format}");
        let disposition = a.header("content-disposition").unwrap();
        assert!(
            disposition.contains(&format!("liupanshui-what-if.{format}")),
            "{disposition}"
        );
    }
}

#[test]
fn a_what_if_saved_as_a_scenario_solves_to_the_same_objective_and_the_original_is_kept() {
    let s = serve(&["problems/liupanshui.yaml"], &[]);
    let original = s.dir.join("liupanshui.yaml");
    let before = std::fs::read_to_string(&original).unwrap();
    let what_if = json!({"problem": "liupanshui", "scenario": "dry-season",
        "set": {"parks.pannan.capacity.land": 5.2, "parks.hidz.capacity.land": 3.0}});
    let web = post(&s, "/api/solve", &what_if).json()["objective"]
        .as_f64()
        .unwrap();

    let mut body = what_if.clone();
    body["name"] = json!("dry-more-land");
    body["to"] = json!("copy");
    let a = post(&s, "/api/save", &body);
    assert_eq!(a.status, 200, "{}", a.text());
    let saved = s.dir.join(a.json()["file"].as_str().unwrap());
    assert_eq!(std::fs::read_to_string(&original).unwrap(), before);
    let cli = cli_objective(&saved, "dry-more-land");
    assert!((web - cli).abs() <= 1e-9 * cli.abs(), "{web} vs {cli}");
    // The copy is served from now on; saving again under its name is refused.
    let list = request(s.port, "GET", "/api/problems", &[], b"").json();
    assert_eq!(list["problems"].as_array().unwrap().len(), 2);
    post(&s, "/api/save", &body).error(409, "exists already", Some("name"));

    // A download writes nothing.
    body["to"] = json!("download");
    body["name"] = json!("other");
    let a = post(&s, "/api/save", &body);
    assert!(a.text().contains("  other:\n"));
    assert!(!s.dir.join("liupanshui-other.yaml").exists());

    // Into the original only when asked, with a backup of what it was.
    body["to"] = json!("original");
    body["name"] = json!("in-place");
    assert_eq!(post(&s, "/api/save", &body).status, 200);
    assert_eq!(
        std::fs::read_to_string(s.dir.join("liupanshui.yaml.bak")).unwrap(),
        before
    );
    assert!((cli_objective(&original, "in-place") - web).abs() <= 1e-9 * web.abs());
    for bad in ["base", "dry-season", "a b", "../x"] {
        body["name"] = json!(bad);
        let a = post(&s, "/api/save", &body);
        assert!(matches!(a.status, 400 | 409), "{bad}: {}", a.text());
        assert_eq!(a.json()["path"], "name");
    }
}

#[test]
fn bad_requests_get_a_json_error_naming_what_is_wrong() {
    let s = serve(&["problems/liupanshui.yaml"], &["--time-limit", "30"]);
    let p = s.port;
    request(p, "GET", "/nothing/here", &[], b"").error(
        404,
        "nothing is served",
        Some("/nothing/here"),
    );
    request(p, "DELETE", "/api/solve", &[], b"").error(405, "is not served", None);
    // Wrong types, unknown fields, NaN (not JSON), bad values.
    post(
        &s,
        "/api/solve",
        &json!({"problem": "liupanshui", "time_limit": "ten"}),
    )
    .error(400, "invalid type", Some("time_limit"));
    post(
        &s,
        "/api/solve",
        &json!({"problem": "liupanshui", "set": [1]}),
    )
    .error(400, "invalid type", Some("set"));
    post(
        &s,
        "/api/solve",
        &json!({"problem": "liupanshui", "sett": {}}),
    )
    .error(400, "unknown field `sett`", None);
    request(
        p,
        "POST",
        "/api/solve",
        &[],
        br#"{"problem": "liupanshui", "time_limit": NaN}"#,
    )
    .error(400, "expected value", Some("time_limit"));
    request(p, "POST", "/api/solve", &[], b"not json").error(400, "expected", None);
    post(
        &s,
        "/api/solve",
        &json!({"problem": "liupanshui", "time_limit": -1}),
    )
    .error(400, "positive number", Some("time_limit"));
    post(
        &s,
        "/api/solve",
        &json!({"problem": "liupanshui", "time_limit": 31}),
    )
    .error(400, "above this server's limit", Some("time_limit"));
    // A what-if the file's validation refuses: the CLI's message, at the YAML path.
    let e = post(
        &s,
        "/api/solve",
        &json!({"problem": "liupanshui", "set": {"parks.pannan.capacity.land": "NaN"}}),
    )
    .error(422, "expected a number", Some("parks.pannan.capacity.land"));
    assert!(e["text"].as_str().unwrap().contains("liupanshui.yaml:"));
    post(
        &s,
        "/api/solve",
        &json!({"problem": "liupanshui", "set": {"parks.pannam.capacity.land": 1}}),
    )
    .error(422, "did you mean", Some("set.parks.pannam.capacity.land"))
    .to_string();
    post(
        &s,
        "/api/solve",
        &json!({"problem": "liupanshui", "scenario": "wet-season"}),
    )
    .error(422, "no scenario named `wet-season`", Some("scenarios"));
    // Huge bodies and `set`s.
    let huge = vec![b' '; (1 << 20) + 10];
    request(p, "POST", "/api/solve", &[], &huge).error(413, "larger than", None);
    let many: serde_json::Map<String, Value> = (0..2001)
        .map(|i| (format!("parks.p{i}.capacity.land"), json!(1)))
        .collect();
    post(
        &s,
        "/api/solve",
        &json!({"problem": "liupanshui", "set": many}),
    )
    .error(413, "at most 2000", Some("set"));
    // Names, never paths: traversal reaches nothing.
    for name in [
        "../../../etc/passwd",
        "/etc/passwd",
        "liupanshui.yaml",
        "..",
        "",
    ] {
        post(&s, "/api/solve", &json!({"problem": name})).error(
            404,
            "no problem named",
            Some("problem"),
        );
    }
    for target in [
        "/../../etc/passwd",
        "/api/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/api/problems/..%2fliupanshui",
    ] {
        let a = request(p, "GET", target, &[], b"");
        assert_eq!(a.status, 404, "{target}: {}", a.text());
        assert!(!a.text().contains("root:"));
    }
    // DNS rebinding and other sites.
    request(
        p,
        "GET",
        "/api/problems",
        &[("Host", "evil.example:80")],
        b"",
    )
    .error(403, "answers to localhost only", Some("Host"));
    post_with(&s, &[("Origin", "http://evil.example")]).error(403, "are refused", Some("Origin"));
    post_with(&s, &[("Sec-Fetch-Site", "cross-site")]).error(
        403,
        "another site",
        Some("Sec-Fetch-Site"),
    );
    assert_eq!(
        post_with(&s, &[("Origin", &format!("http://127.0.0.1:{p}"))]).status,
        200
    );
}

fn post_with(s: &Server, headers: &[(&str, &str)]) -> Answer {
    request(
        s.port,
        "POST",
        "/api/solve",
        headers,
        br#"{"problem": "liupanshui"}"#,
    )
}

#[test]
fn with_a_token_every_request_must_carry_it() {
    let s = serve(
        &["problems/small/city-pool.yaml"],
        &["--token", "s3cret-token-1"],
    );
    let p = s.port;
    request(p, "GET", "/api/problems", &[], b"").error(401, "needs a token", Some("token"));
    request(p, "GET", "/", &[], b"").error(401, "needs a token", Some("token"));
    request(
        p,
        "GET",
        "/api/problems",
        &[("Authorization", "Bearer wrong-token-9")],
        b"",
    )
    .error(401, "the token is wrong", Some("token"));
    request(p, "GET", "/?token=s3cret-token-2", &[], b"").error(401, "wrong", None);
    let ok = request(
        p,
        "GET",
        "/api/problems",
        &[("Authorization", "Bearer s3cret-token-1")],
        b"",
    );
    assert_eq!(ok.status, 200);
    // The page opened with the token sets a strict cookie, which then suffices.
    let page = request(p, "GET", "/?token=s3cret-token-1", &[], b"");
    assert_eq!(page.status, 200);
    let cookie = page.header("set-cookie").unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let a = request(
        p,
        "GET",
        "/api/problems",
        &[("Cookie", "parkplan_token=s3cret-token-1")],
        b"",
    );
    assert_eq!(a.status, 200);
    // A token of unsafe form is refused at start.
    Test::new()
        .args([
            "serve",
            "problems/small/city-pool.yaml",
            "--addr",
            "127.0.0.1:0",
            "--token",
            "x y",
        ])
        .status(2)
        .stderr_contains("--token must be 8 to 256")
        .run();
    assert!(
        s.url.ends_with('/'),
        "a token given is not printed: {}",
        s.url
    );
}

#[test]
fn the_page_works_in_a_real_chromium() {
    let e2e = path("tests/e2e");
    let node = Command::new("node").arg("--version").output();
    let chromium =
        std::env::var("PARKPLAN_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let skip =
        |why: &str| eprintln!("note: the end-to-end test of `parkplan serve` is skipped: {why}");
    if std::env::var_os("PARKPLAN_SKIP_BROWSER").is_some() {
        return skip("PARKPLAN_SKIP_BROWSER is set");
    }
    if node.is_err() {
        return skip("Node.js is not installed (`apt-get install nodejs npm`)");
    }
    if !Path::new(&chromium).exists() {
        return skip("Chromium is not installed (`apt-get install chromium`)");
    }
    if !e2e.join("node_modules/playwright-core").exists() {
        return skip(
            "its packages are not installed (`./x test` installs them, or `npm ci` in tests/e2e)",
        );
    }
    let shots = std::env::var_os("PARKPLAN_SCREENSHOTS");
    let mut cmd = Command::new("node");
    cmd.arg(e2e.join("serve.test.mjs"))
        .env("PARKPLAN_BIN", env!("CARGO_BIN_EXE_parkplan"))
        .env("PARKPLAN_CHROMIUM", &chromium);
    if let Some(dir) = shots {
        cmd.arg(dir);
    }
    let out = cmd.output().expect("node runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "the end-to-end test failed:\n{text}");
    assert!(text.contains("all end-to-end checks passed"), "{text}");
}
