//! A Hub-shaped HTTP server for tests and the remote benchmark, on 127.0.0.1 with a random
//! port: `/api/models/ORG/NAME/revision/REV?blobs=true`, `/ORG/NAME/resolve/REV/PATH` (answered
//! with a redirect to `/cdn/...`, as the Hub sends LFS files to its CDN, or served directly),
//! with `Range`, HEAD for `huggingface_hub`'s metadata calls, a gated repository, and faults a
//! test asks for. It counts requests and body bytes sent.
#![allow(dead_code)]

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// A file's bytes: given, or a head followed by zeros up to `size` (a 2 GiB shard whose data is
/// never read costs nothing).
#[derive(Clone)]
pub enum Content {
    Bytes(Vec<u8>),
    Sparse { head: Vec<u8>, size: u64 },
}

impl Content {
    pub fn len(&self) -> u64 {
        match self {
            Content::Bytes(b) => b.len() as u64,
            Content::Sparse { size, .. } => *size,
        }
    }
    fn copy(&self, start: u64, end: u64, out: &mut Vec<u8>) {
        match self {
            Content::Bytes(b) => out.extend_from_slice(&b[start as usize..end as usize]),
            Content::Sparse { head, .. } => {
                for i in start..end {
                    out.push(head.get(i as usize).copied().unwrap_or(0));
                }
            }
        }
    }
}

#[derive(Clone)]
pub struct File {
    pub path: String,
    pub content: Content,
    /// Listed as an LFS file with this SHA-256 (computed for `Bytes` when `None` is not asked).
    pub sha256: Option<String>,
}

impl File {
    /// A file stored with LFS, its SHA-256 computed from its bytes.
    pub fn lfs(path: &str, bytes: Vec<u8>) -> File {
        let sha = hex(&Sha256::digest(&bytes));
        File {
            path: path.into(),
            content: Content::Bytes(bytes),
            sha256: Some(sha),
        }
    }
    /// A small file stored in git (no LFS SHA-256).
    pub fn git(path: &str, bytes: Vec<u8>) -> File {
        File {
            path: path.into(),
            content: Content::Bytes(bytes),
            sha256: None,
        }
    }
    /// A large LFS file: `head` then zeros up to `size`, with a made-up SHA-256.
    pub fn sparse(path: &str, head: Vec<u8>, size: u64, sha256: &str) -> File {
        File {
            path: path.into(),
            content: Content::Sparse { head, size },
            sha256: Some(sha256.into()),
        }
    }
}

pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[derive(Clone)]
pub struct Repo {
    pub id: String,
    pub commit: String,
    pub files: Vec<File>,
    /// Answer 401 unless `Authorization: Bearer <token>` is sent.
    pub token: Option<String>,
}

/// Faults a test asks for.
#[derive(Default)]
pub struct Faults {
    /// Answer `Range` requests with 200 and the whole file.
    pub ignore_range: AtomicBool,
    /// Answer this many requests with 429 (`Retry-After: 0`) before serving.
    pub too_many_first: AtomicU64,
    /// Answer every request with 500.
    pub always_500: AtomicBool,
    /// Announce the full length but send half, then close.
    pub truncate: AtomicBool,
    /// Send a `Content-Range` one byte off.
    pub lie_content_range: AtomicBool,
    /// Serve /resolve/ directly instead of redirecting to /cdn/.
    pub no_redirect: AtomicBool,
    /// Read the request, then say nothing for 30 seconds.
    pub stall: AtomicBool,
    /// Answer ranges with a `Content-Range` whose total is half the file's size.
    pub halve_total: AtomicBool,
}

pub struct Server {
    pub port: u16,
    pub requests: Arc<AtomicU64>,
    pub bytes_sent: Arc<AtomicU64>,
    pub faults: Arc<Faults>,
    /// Every request line with its Range header, for tests that check what was asked.
    pub log: Arc<Mutex<Vec<String>>>,
    /// Authorization headers seen, by path prefix (`/cdn` or other).
    pub auth_seen: Arc<Mutex<Vec<(String, String)>>>,
}

impl Server {
    pub fn start(repos: Vec<Repo>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let repos: Arc<BTreeMap<String, Repo>> =
            Arc::new(repos.into_iter().map(|r| (r.id.clone(), r)).collect());
        let server = Server {
            port,
            requests: Arc::default(),
            bytes_sent: Arc::default(),
            faults: Arc::default(),
            log: Arc::default(),
            auth_seen: Arc::default(),
        };
        let shared = (
            repos,
            server.requests.clone(),
            server.bytes_sent.clone(),
            server.faults.clone(),
            server.log.clone(),
            server.auth_seen.clone(),
        );
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = shared.clone();
                std::thread::spawn(move || {
                    let (repos, requests, bytes, faults, log, auth) = shared;
                    let _ = serve(
                        stream, port, &repos, &requests, &bytes, &faults, &log, &auth,
                    );
                });
            }
        });
        server
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

struct Request {
    method: String,
    target: String,
    headers: BTreeMap<String, String>,
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = BTreeMap::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    Some(Request {
        method,
        target,
        headers,
    })
}

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// Announce this length instead of the body's (truncation).
    announced: Option<u64>,
}

impl Answer {
    fn new(status: u16, body: Vec<u8>) -> Answer {
        Answer {
            status,
            headers: Vec::new(),
            body,
            announced: None,
        }
    }
    fn header(mut self, k: &str, v: impl Into<String>) -> Answer {
        self.headers.push((k.into(), v.into()));
        self
    }
}

#[allow(clippy::too_many_arguments)]
fn serve(
    stream: TcpStream,
    port: u16,
    repos: &BTreeMap<String, Repo>,
    requests: &AtomicU64,
    bytes: &AtomicU64,
    faults: &Faults,
    log: &Mutex<Vec<String>>,
    auth: &Mutex<Vec<(String, String)>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut stream = stream;
    while let Some(req) = read_request(&mut reader) {
        if req.target == "/__stats" {
            // For the benchmark script: what the server sent so far, not itself counted.
            let body = format!(
                "{{\"requests\": {}, \"bytes\": {}}}",
                requests.load(Ordering::SeqCst),
                bytes.load(Ordering::SeqCst)
            );
            let text = format!(
                "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: keep-alive\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(text.as_bytes())?;
            continue;
        }
        requests.fetch_add(1, Ordering::SeqCst);
        if faults.stall.load(Ordering::SeqCst) {
            std::thread::sleep(std::time::Duration::from_secs(30));
            return Ok(());
        }
        log.lock().unwrap().push(format!(
            "{} {} {}",
            req.method,
            req.target,
            req.headers.get("range").cloned().unwrap_or_default()
        ));
        if let Some(a) = req.headers.get("authorization") {
            auth.lock().unwrap().push((req.target.clone(), a.clone()));
        }
        let answer = answer(&req, port, repos, faults);
        let head_only = req.method == "HEAD";
        let len = answer.announced.unwrap_or(answer.body.len() as u64);
        let mut text = format!("HTTP/1.1 {} X\r\ncontent-length: {len}\r\n", answer.status);
        for (k, v) in &answer.headers {
            text.push_str(&format!("{k}: {v}\r\n"));
        }
        text.push_str("connection: keep-alive\r\n\r\n");
        stream.write_all(text.as_bytes())?;
        if !head_only {
            stream.write_all(&answer.body)?;
            bytes.fetch_add(answer.body.len() as u64, Ordering::SeqCst);
        }
        stream.flush()?;
        if answer.announced.is_some() {
            return Ok(());
        }
    }
    Ok(())
}

fn answer(req: &Request, port: u16, repos: &BTreeMap<String, Repo>, faults: &Faults) -> Answer {
    if faults.always_500.load(Ordering::SeqCst) {
        return Answer::new(500, b"boom".to_vec());
    }
    if faults
        .too_many_first
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        return Answer::new(429, Vec::new()).header("retry-after", "0");
    }
    let (path, _query) = req.target.split_once('?').unwrap_or((&req.target, ""));
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match parts.as_slice() {
        ["api", "models", org, name, "revision", rev] => {
            let Some(repo) = repos.get(&format!("{org}/{name}")) else {
                return Answer::new(404, Vec::new()).header("x-error-code", "RepoNotFound");
            };
            if let Some(a) = denied(req, repo) {
                return a;
            }
            if *rev != "main" && *rev != repo.commit {
                return Answer::new(404, Vec::new()).header("x-error-code", "RevisionNotFound");
            }
            listing(repo)
        }
        [org, name, "resolve", rev, file @ ..] | ["cdn", org, name, rev, file @ ..] => {
            let Some(repo) = repos.get(&format!("{org}/{name}")) else {
                return Answer::new(404, Vec::new()).header("x-error-code", "RepoNotFound");
            };
            let on_cdn = parts[0] == "cdn";
            if !on_cdn && let Some(a) = denied(req, repo) {
                return a;
            }
            let file_path = file.join("/");
            let Some(f) = repo.files.iter().find(|f| f.path == file_path) else {
                return Answer::new(404, Vec::new()).header("x-error-code", "EntryNotFound");
            };
            if !on_cdn && f.sha256.is_some() && !faults.no_redirect.load(Ordering::SeqCst) {
                let sha = f.sha256.clone().unwrap_or_default();
                return Answer::new(302, Vec::new())
                    .header(
                        "location",
                        format!(
                            // Another host name for the same server: the CDN is another origin.
                            "http://localhost:{port}/cdn/{org}/{name}/{rev}/{file_path}?sig=secret-signature"
                        ),
                    )
                    .header("x-repo-commit", repo.commit.clone())
                    .header("x-linked-etag", format!("\"{sha}\""))
                    .header("x-linked-size", f.content.len().to_string())
                    .header("etag", format!("\"{sha}\""));
            }
            serve_file(req, repo, f, faults)
        }
        _ => Answer::new(404, Vec::new()),
    }
}

fn denied(req: &Request, repo: &Repo) -> Option<Answer> {
    let token = repo.token.as_ref()?;
    let sent = req.headers.get("authorization");
    if sent.map(String::as_str) == Some(format!("Bearer {token}").as_str()) {
        return None;
    }
    Some(Answer::new(401, Vec::new()).header("x-error-code", "GatedRepo"))
}

fn listing(repo: &Repo) -> Answer {
    let siblings: Vec<serde_json::Value> = repo
        .files
        .iter()
        .map(|f| {
            let blob_id = &hex(&Sha256::digest(f.path.as_bytes()))[..40];
            let mut v = serde_json::json!({"rfilename": f.path, "size": f.content.len(), "blobId": blob_id});
            if let Some(sha) = &f.sha256 {
                v["lfs"] =
                    serde_json::json!({"sha256": sha, "size": f.content.len(), "pointerSize": 134});
            }
            v
        })
        .collect();
    let body = serde_json::json!({"id": repo.id, "sha": repo.commit, "siblings": siblings});
    Answer::new(200, serde_json::to_vec(&body).unwrap()).header("content-type", "application/json")
}

fn serve_file(req: &Request, repo: &Repo, f: &File, faults: &Faults) -> Answer {
    let size = f.content.len();
    let etag = f.sha256.clone().unwrap_or_else(|| "git-blob".into());
    let meta = |a: Answer| {
        a.header("x-repo-commit", repo.commit.clone())
            .header("etag", format!("\"{etag}\""))
            .header("accept-ranges", "bytes")
    };
    let range = req
        .headers
        .get("range")
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.split_once('-'))
        .and_then(|(a, b)| Some((a.parse::<u64>().ok()?, b.parse::<u64>().unwrap_or(u64::MAX))));
    if req.method == "HEAD" {
        return meta(Answer {
            status: 200,
            headers: Vec::new(),
            body: Vec::new(),
            announced: Some(size),
        });
    }
    let (status, start, end) = match range {
        Some((a, b)) if !faults.ignore_range.load(Ordering::SeqCst) => {
            if a >= size {
                return Answer::new(416, Vec::new())
                    .header("content-range", format!("bytes */{size}"));
            }
            (206, a, b.saturating_add(1).min(size))
        }
        _ => (200, 0, size),
    };
    // Never build a multi-GiB body: announce the real length, send a little and close (a
    // client that asked for a range and got this must refuse it).
    let cut = end - start > (16 << 20);
    let announced = end - start;
    let end = if cut { start + (1 << 20) } else { end };
    let mut body = Vec::with_capacity((end - start) as usize);
    f.content.copy(start, end, &mut body);
    let mut a = meta(Answer::new(status, body));
    if status == 206 {
        let shift = u64::from(faults.lie_content_range.load(Ordering::SeqCst));
        let total = if faults.halve_total.load(Ordering::SeqCst) {
            (size / 2).max(end)
        } else {
            size
        };
        a = a.header(
            "content-range",
            format!("bytes {}-{}/{total}", start + shift, end - 1 + shift),
        );
    }
    if cut {
        a.announced = Some(announced);
    }
    if faults.truncate.load(Ordering::SeqCst) && a.body.len() > 1 {
        let full = a.body.len() as u64;
        a.body.truncate(a.body.len() / 2);
        a.announced = Some(full);
    }
    a
}

/// Reads the whole of a file from testdata (for fixtures).
pub fn testdata(rel: &str) -> Vec<u8> {
    let mut v = Vec::new();
    std::fs::File::open(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata")
            .join(rel),
    )
    .unwrap()
    .read_to_end(&mut v)
    .unwrap();
    v
}
