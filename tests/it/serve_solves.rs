//! `parkplan serve` beyond single answers: a park's designations priced as `parkplan
//! designations --park` prices them, the robust choice starting from the chosen scenario, long
//! solves streamed as progress and cancelled by closing the stream, and the token a server
//! listening beyond loopback requires.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{Test, path};
use crate::serve::{Server, post, request, serve_at};

fn liupanshui() -> Vec<PathBuf> {
    vec![path("problems/liupanshui.yaml")]
}

/// The designations `parkplan designations FILE [--scenario S] --park P --format json` prints.
fn cli_designations(file: &Path, scenario: Option<&str>, park: &str) -> Value {
    let mut args = vec![
        "designations".to_string(),
        file.display().to_string(),
        "--park".into(),
        park.into(),
        "--format".into(),
        "json".into(),
    ];
    if let Some(s) = scenario {
        args.extend(["--scenario".into(), s.into()]);
    }
    Test::new().args(args).json()
}

#[test]
fn a_parks_designations_cost_what_the_command_line_finds() {
    let s = serve_at(&liupanshui(), "127.0.0.1:0", &[]);
    // A what-if: Pannan gets 5.2 km² of land. Liuzhi's chains, priced through HTTP…
    let set = json!({"parks.pannan.capacity.land": 5.2});
    let a = post(
        &s,
        "/api/designations",
        &json!({"problem": "liupanshui", "set": set, "park": "liuzhi"}),
    );
    assert_eq!(a.status, 200, "{}", a.text());
    let web = a.json();
    // …and by the command line, on a copy of the file holding the same change as a scenario.
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
    let cli = cli_designations(&copy, Some("more-land"), "liuzhi");
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * b.abs().max(1.0);
    assert!(close(
        web["objective"].as_f64().unwrap(),
        cli["objective"].as_f64().unwrap()
    ));
    let (w, c) = (
        web["designations"].as_array().unwrap(),
        cli["designations"].as_array().unwrap(),
    );
    assert_eq!(w.len(), c.len());
    assert!(w.len() >= 5, "{web}");
    let mut positive = 0;
    for (x, y) in w.iter().zip(c) {
        assert_eq!(x["park"], "liuzhi");
        assert_eq!((&x["chain"], &x["status"]), (&y["chain"], &y["status"]));
        assert_eq!(x["chosen"], y["chosen"]);
        match (x["loss"].as_f64(), y["loss"].as_f64()) {
            (Some(a), Some(b)) => {
                assert!(close(a, b), "{}: {a} vs {b}", x["chain"]);
                positive += usize::from(a > 1e-6);
            }
            (None, None) => assert_eq!(x["status"], "infeasible"),
            other => panic!("{}: {other:?}", x["chain"]),
        }
    }
    // Liuzhi's other chains cost something (coal mining about 5.3 bn CNY/yr).
    assert!(positive >= 3, "{web}");

    // Pannan on the base: its chosen chain, every other one infeasible, as the CLI says.
    let web = post(
        &s,
        "/api/designations",
        &json!({"problem": "liupanshui", "park": "pannan"}),
    )
    .json();
    let cli = cli_designations(&path("problems/liupanshui.yaml"), None, "pannan");
    assert_eq!(web["designations"], cli["designations"]);
    assert_eq!(web["main_chains"]["pannan"], "coal_mine");

    // Under a gap each loss is an interval holding the exact one.
    let gap = post(
        &s,
        "/api/designations",
        &json!({"problem": "liupanshui", "park": "liuzhi", "gap": 0.05}),
    )
    .json();
    let exact = cli_designations(&path("problems/liupanshui.yaml"), None, "liuzhi");
    for (x, y) in gap["designations"]
        .as_array()
        .unwrap()
        .iter()
        .zip(exact["designations"].as_array().unwrap())
    {
        if let Some(l) = y["loss"].as_f64() {
            let lo = x["loss_low"].as_f64().unwrap();
            let hi = x["loss_high"].as_f64().unwrap();
            assert!(x["loss"].is_null(), "{x}");
            assert!(lo - 1e-6 <= l && l <= hi + 1e-6, "{lo} ≤ {l} ≤ {hi}");
        }
    }

    // Errors: an unknown park, a scenario without the rule, a missing park.
    post(
        &s,
        "/api/designations",
        &json!({"problem": "liupanshui", "park": "pannam"}),
    )
    .error(404, "did you mean `pannan`", Some("park"));
    post(
        &s,
        "/api/designations",
        &json!({"problem": "liupanshui", "park": "pannan", "scenario": "no-main-chain-rule"}),
    )
    .error(422, "one-main-chain rule is off", None);
    post(&s, "/api/designations", &json!({"problem": "liupanshui"})).error(
        400,
        "missing field `park`",
        None,
    );
}

#[test]
fn the_robust_choice_starts_from_the_chosen_scenario() {
    let s = serve_at(&liupanshui(), "127.0.0.1:0", &[]);
    // Weighing the base alone, from the dry season: the dry season's own optimum, not the
    // base's (141.105828).
    let r = post(
        &s,
        "/api/robust",
        &json!({"problem": "liupanshui", "scenario": "dry-season", "scenarios": {"base": 1.0}}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let z = r.json()["objective"].as_f64().unwrap();
    assert!((z - 135.353254).abs() < 1e-5, "{z}");
    // With changes on top of the scenario: the what-if's own optimum, as /api/solve finds it.
    let what_if = json!({"problem": "liupanshui", "scenario": "dry-season",
        "set": {"parks.pannan.capacity.land": 5.2}});
    let solved = post(&s, "/api/solve", &what_if).json()["objective"]
        .as_f64()
        .unwrap();
    let mut body = what_if.clone();
    body["scenarios"] = json!({"base": 1.0});
    let z = post(&s, "/api/robust", &body).json()["objective"]
        .as_f64()
        .unwrap();
    assert!((z - solved).abs() <= 1e-6 * solved, "{z} vs {solved}");
    assert!(solved > 135.353254 + 1e-3, "{solved}");
    // The file's own weights, from the base: unchanged by the fix.
    let base = post(&s, "/api/robust", &json!({"problem": "liupanshui"})).json();
    let cli = Test::new()
        .args(["robust", "problems/liupanshui.yaml", "-f", "json"])
        .json();
    let (a, b) = (
        base["objective"].as_f64().unwrap(),
        cli["objective"].as_f64().unwrap(),
    );
    assert!((a - b).abs() <= 1e-6 * b, "{a} vs {b}");
}

/// A generated problem of 300 parks, large enough that proving its optimum takes a while.
fn large(dir: &Path, chains: u32) -> PathBuf {
    let file = dir.join(format!("large-{chains}.yaml"));
    Test::new()
        .args([
            "generate".to_string(),
            "--parks".into(),
            "300".into(),
            "--chains".into(),
            chains.to_string(),
            "-o".into(),
            file.display().to_string(),
        ])
        .run();
    file
}

/// A request answered as server-sent events, read event by event as they arrive.
struct Events {
    stream: TcpStream,
    raw: Vec<u8>,
    /// Where the body starts in `raw`, once the head is read.
    body: Option<usize>,
    /// Events handed out so far.
    seen: usize,
}

impl Events {
    fn post(port: u16, route: &str, body: &Value) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        // Generous: an event stream that stalls this long is a failure, not a slow machine.
        stream
            .set_read_timeout(Some(Duration::from_secs(120)))
            .unwrap();
        let body = body.to_string();
        write!(
            stream,
            "POST {route} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nAccept: text/event-stream\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        Events {
            stream,
            raw: Vec::new(),
            body: None,
            seen: 0,
        }
    }

    /// The next event, `(name, data)`; `None` when the stream ends.
    fn next(&mut self) -> Option<(String, Value)> {
        loop {
            if let Some(at) = self.body {
                // The chunks complete so far, joined; a partial chunk waits for more bytes.
                let text = String::from_utf8_lossy(&whole_chunks(&self.raw[at..])).into_owned();
                let events: Vec<&str> = text.split("\n\n").collect();
                // The last piece is incomplete (or empty).
                if events.len() - 1 > self.seen {
                    let e = events[self.seen];
                    self.seen += 1;
                    let mut name = String::new();
                    let mut data = String::new();
                    for line in e.lines() {
                        if let Some(n) = line.strip_prefix("event: ") {
                            name = n.to_string();
                        } else if let Some(d) = line.strip_prefix("data: ") {
                            data.push_str(d);
                        }
                    }
                    let data = serde_json::from_str(&data)
                        .unwrap_or_else(|e| panic!("event {name}: {e}: {data}"));
                    return Some((name, data));
                }
            }
            let mut buf = [0u8; 8192];
            let n = self.stream.read(&mut buf).expect("the stream goes on");
            if n == 0 {
                return None;
            }
            self.raw.extend_from_slice(&buf[..n]);
            if self.body.is_none()
                && let Some(end) = self.raw.windows(4).position(|w| w == b"\r\n\r\n")
            {
                let head = String::from_utf8_lossy(&self.raw[..end]);
                assert!(head.starts_with("HTTP/1.1 200"), "{head}");
                assert!(head.contains("text/event-stream"), "{head}");
                self.body = Some(end + 4);
            }
        }
    }
}

/// The data of the chunks of a chunked body that have arrived whole.
fn whole_chunks(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&data[..eol])
            .ok()
            .and_then(|s| usize::from_str_radix(s.trim(), 16).ok())
            .unwrap_or(0);
        if size == 0 || data.len() < eol + 2 + size + 2 {
            break;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[eol + 2 + size + 2..];
    }
    out
}

/// Whether a progress event carries every figure: time, best plan, bound and gap.
fn full_progress(data: &Value) -> bool {
    ["elapsed", "best", "bound", "gap"]
        .iter()
        .all(|k| data[k].as_f64().is_some_and(f64::is_finite))
}

#[test]
fn a_long_solve_streams_its_progress_before_its_result() {
    let dir = tempfile::tempdir().unwrap();
    let file = large(dir.path(), 10);
    let s = serve_at(&[file], "127.0.0.1:0", &["--jobs", "1"]);
    // Proving the optimum takes far longer than the time limit: the solve runs all of it,
    // reporting as it goes, and ends with the best plan found.
    let mut events = Events::post(
        s.port,
        "/api/solve",
        &json!({"problem": "large-10", "gap": 0, "time_limit": 8}),
    );
    let mut names = Vec::new();
    let mut full = 0;
    let mut result = None;
    while let Some((name, data)) = events.next() {
        if name == "progress" && full_progress(&data) {
            full += 1;
            let (best, bound) = (
                data["best"].as_f64().unwrap(),
                data["bound"].as_f64().unwrap(),
            );
            // A maximisation: the bound is above the best plan, the gap between them.
            assert!(bound >= best - 1e-6 * best.abs(), "{data}");
        }
        names.push(name.clone());
        if name == "result" || name == "error" {
            result = Some((name, data));
            break;
        }
    }
    assert_eq!(
        names.first().map(String::as_str),
        Some("started"),
        "{names:?}"
    );
    assert!(
        full >= 1,
        "no progress event with time, best, bound and gap: {names:?}"
    );
    let (name, plan) = result.expect("a result event");
    assert_eq!(name, "result", "{plan}");
    assert!(
        matches!(plan["status"].as_str(), Some("optimal" | "time_limit")),
        "{}",
        plan["status"]
    );
    assert!(plan["objective"].as_f64().is_some());
}

/// Polls `GET /api/status` until no solve holds a slot, for at most `within`.
fn slots_freed(s: &Server, within: Duration) -> Value {
    let start = Instant::now();
    loop {
        let status = request(s.port, "GET", "/api/status", &[], b"").json();
        if status["solving"] == 0 || start.elapsed() > within {
            return status;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn closing_the_stream_cancels_a_long_solve_and_frees_its_slot() {
    let dir = tempfile::tempdir().unwrap();
    let file = large(dir.path(), 40);
    // One slot: the next solve can only start once the cancelled one has stopped.
    let s = serve_at(
        &[file],
        "127.0.0.1:0",
        &["--jobs", "1", "--time-limit", "600"],
    );
    let idle = request(s.port, "GET", "/api/status", &[], b"").json();
    assert_eq!(
        idle,
        json!({"slots": 1, "solving": 0, "waiting": 0, "queue": 256})
    );
    // Left alone, this solve would run for minutes (its optimum is not proven in one).
    let mut events = Events::post(
        s.port,
        "/api/solve",
        &json!({"problem": "large-40", "gap": 0, "time_limit": 600}),
    );
    loop {
        let (name, data) = events.next().expect("events until the first progress");
        assert!(name != "result" && name != "error", "{name}: {data}");
        if name == "progress" {
            break;
        }
    }
    let busy = request(s.port, "GET", "/api/status", &[], b"").json();
    assert_eq!(busy["solving"], 1, "{busy}");
    // The page cancels by closing the stream.
    drop(events);
    // A generous bound: the solve stops within a second or two of noticing.
    let after = slots_freed(&s, Duration::from_secs(60));
    assert_eq!(
        after["solving"], 0,
        "the cancelled solve still holds its slot: {after}"
    );
    // The server answers the next solve on the freed slot.
    let a = post(
        &s,
        "/api/solve",
        &json!({"problem": "large-40", "time_limit": 5}),
    );
    assert_eq!(a.status, 200, "{}", a.text());
    assert!(a.json()["objective"].as_f64().is_some());
}

#[test]
fn beyond_loopback_a_generated_or_given_token_is_required() {
    // No token given: one is generated and printed in the URL.
    let s = serve_at(&[path("problems/small/city-pool.yaml")], "0.0.0.0:0", &[]);
    let token = s
        .url
        .split_once("?token=")
        .map(|(_, t)| t.to_string())
        .unwrap_or_else(|| panic!("no token in {}", s.url));
    assert!(
        token.len() == 32 && token.chars().all(|c| c.is_ascii_hexdigit()),
        "{token}"
    );
    request(s.port, "GET", "/api/problems", &[], b"").error(401, "needs a token", Some("token"));
    let bearer = format!("Bearer {token}");
    let ok = request(
        s.port,
        "GET",
        "/api/problems",
        &[("Authorization", &bearer)],
        b"",
    );
    assert_eq!(ok.status, 200, "{}", ok.text());
    // The printed URL itself opens the page, under any host name the network gives it.
    let page = request(
        s.port,
        "GET",
        &format!("/?token={token}"),
        &[("Host", &format!("10.1.2.3:{}", s.port))],
        b"",
    );
    assert_eq!(page.status, 200, "{}", page.text());
    drop(s);

    // A token given: it works, it is not printed, and nothing else does.
    let s = serve_at(
        &[path("problems/small/city-pool.yaml")],
        "0.0.0.0:0",
        &["--token", "given-token-42"],
    );
    assert!(!s.url.contains("token"), "{}", s.url);
    request(s.port, "GET", "/api/problems", &[], b"").error(401, "needs a token", Some("token"));
    let ok = request(
        s.port,
        "GET",
        "/api/problems",
        &[("Authorization", "Bearer given-token-42")],
        b"",
    );
    assert_eq!(ok.status, 200, "{}", ok.text());
    assert_eq!(
        request(
            s.port,
            "GET",
            "/api/problems?token=given-token-42",
            &[],
            b""
        )
        .status,
        200
    );
    request(
        s.port,
        "GET",
        "/api/problems",
        &[("Authorization", "Bearer given-token-43")],
        b"",
    )
    .error(401, "wrong", Some("token"));
}
