//! HTTP reads for remote sources: whole small files and byte ranges of large ones, over `ureq`
//! (blocking, rustls, no async runtime to carry for a command-line tool that makes a few dozen
//! requests).
//!
//! Redirects are followed here, not by `ureq`, so that every hop keeps the `Range` header (the Hub
//! sends LFS files to a CDN with signed URLs) and the token is sent only to the host it is for.
//! 429 and 5xx answers and broken connections are retried with backoff, honouring
//! `Retry-After`; everything else fails at once with a typed error. Addresses in errors never
//! carry their query string (a CDN's signature) and the token is never in a message.

use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use thiserror::Error;

use crate::limits::{REMOTE_MAX_BODY, REMOTE_MAX_REDIRECTS, REMOTE_MAX_RETRY_WAIT_S};

/// A request that is not a download (a range, a small file, the file list) must end within this
/// many read timeouts.
const REQUEST_TIME_IN_READS: u32 = 10;

/// Timeouts and attempts; each can be overridden from the environment
/// (`OPENSEAL_HTTP_CONNECT_TIMEOUT`, `OPENSEAL_HTTP_TIMEOUT` in seconds, `OPENSEAL_HTTP_ATTEMPTS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpOptions {
    /// Longest wait for a connection (TCP and TLS).
    pub connect_timeout: Duration,
    /// Longest wait for an answer, and for each read of its body.
    pub read_timeout: Duration,
    /// Tries per request (1 = no retry) for 429, 5xx and broken connections.
    pub attempts: u32,
    /// First wait between tries; doubled after each.
    pub backoff: Duration,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            attempts: 4,
            backoff: Duration::from_millis(250),
        }
    }
}

impl HttpOptions {
    /// The defaults, with any override the environment sets. A value that is not a positive
    /// number is an error naming the variable.
    pub fn from_env() -> Result<HttpOptions, HttpError> {
        let mut o = HttpOptions::default();
        let read = |name: &'static str| -> Result<Option<u64>, HttpError> {
            match std::env::var(name) {
                Ok(v) if !v.trim().is_empty() => match v.trim().parse::<u64>() {
                    Ok(n) if n > 0 => Ok(Some(n)),
                    _ => Err(HttpError::BadSetting { name, value: v }),
                },
                _ => Ok(None),
            }
        };
        if let Some(s) = read("OPENSEAL_HTTP_CONNECT_TIMEOUT")? {
            o.connect_timeout = Duration::from_secs(s);
        }
        if let Some(s) = read("OPENSEAL_HTTP_TIMEOUT")? {
            o.read_timeout = Duration::from_secs(s);
        }
        if let Some(n) = read("OPENSEAL_HTTP_ATTEMPTS")? {
            o.attempts = u32::try_from(n).unwrap_or(u32::MAX).min(20);
        }
        Ok(o)
    }
}

/// A bearer token, sent only to one host. Its `Debug` never shows it.
#[derive(Clone)]
pub struct Token {
    secret: String,
    /// `scheme://host[:port]` the token is for.
    origin: String,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Token(for {}, redacted)", self.origin)
    }
}

impl Token {
    /// A token for requests to `base_url`'s scheme, host and port only.
    pub fn new(secret: String, base_url: &str) -> Token {
        Token {
            secret,
            origin: origin(base_url).to_string(),
        }
    }
}

/// Why a request failed.
#[derive(Debug, Error)]
pub enum HttpError {
    /// An environment setting is not a positive number.
    #[error("{name}={value:?} is not a positive whole number")]
    BadSetting {
        /// The variable.
        name: &'static str,
        /// Its value.
        value: String,
    },
    /// No answer: connection refused, name not found, timeout, a connection broken mid-answer.
    #[error("{url}: {message} (after {attempts} attempt(s))")]
    Transport {
        /// The address, without its query.
        url: String,
        /// What went wrong.
        message: String,
        /// Tries made.
        attempts: u32,
    },
    /// The server answered with an error status.
    #[error("{url}: HTTP {status}{}", retried(*attempts))]
    Status {
        /// The address, without its query.
        url: String,
        /// The status code.
        status: u16,
        /// Tries made.
        attempts: u32,
        /// The Hub's `X-Error-Code` header (`RepoNotFound`, `RevisionNotFound`,
        /// `EntryNotFound`, `GatedRepo`), when sent.
        error_code: Option<String>,
    },
    /// A redirect with no usable `Location`, or too many redirects.
    #[error("{url}: {problem}")]
    Redirect {
        /// The address, without its query.
        url: String,
        /// What is wrong.
        problem: String,
    },
    /// The answer does not match the range asked for: a missing or inconsistent
    /// `Content-Range`, or a server that ignores `Range` on a file over the cap.
    #[error("{url}: {problem}")]
    BadRange {
        /// The address, without its query.
        url: String,
        /// What is wrong.
        problem: String,
    },
    /// The body ended before the length the server announced.
    #[error(
        "{url}: the answer was cut short: {got} of {expected} bytes (after {attempts} attempt(s))"
    )]
    Truncated {
        /// The address, without its query.
        url: String,
        /// Bytes announced.
        expected: u64,
        /// Bytes received.
        got: u64,
        /// Tries made.
        attempts: u32,
    },
    /// A download's bytes could not be written where they go.
    #[error("{url}: cannot write the download: {source}")]
    Sink {
        /// The address, without its query.
        url: String,
        /// The error.
        source: std::io::Error,
    },
    /// The body is larger than openseal reads for this purpose.
    #[error("{url}: the answer is larger than openseal's cap of {cap} bytes")]
    TooLarge {
        /// The address, without its query.
        url: String,
        /// The cap.
        cap: u64,
    },
}

fn retried(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (after {attempts} attempts)")
    } else {
        String::new()
    }
}

/// `url` without its query string or fragment, for messages.
pub fn shown(url: &str) -> String {
    url.split(['?', '#']).next().unwrap_or(url).to_string()
}

/// `scheme://authority` of an absolute URL.
fn origin(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let end = url[after_scheme..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| after_scheme + i);
    &url[..end]
}

/// Resolve a `Location` header against the address that sent it.
fn join_location(base: &str, location: &str) -> Option<String> {
    if location.starts_with("https://") || location.starts_with("http://") {
        Some(location.to_string())
    } else if location.starts_with("//") {
        let scheme = base.split("://").next()?;
        Some(format!("{scheme}:{location}"))
    } else if location.starts_with('/') {
        Some(format!("{}{location}", origin(base)))
    } else {
        None
    }
}

/// Bytes received by a request, and what the server says of the whole file.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The bytes asked for (the whole body, or the range).
    pub bytes: Vec<u8>,
    /// The whole file's size from `Content-Range` or `Content-Length`, when given.
    pub total: Option<u64>,
}

/// Requests made and body bytes received, for reports and tests.
#[derive(Debug, Default)]
pub struct Traffic {
    requests: AtomicU64,
    bytes: AtomicU64,
}

impl Traffic {
    /// Requests sent (each redirect hop and retry counts).
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }
    /// Body bytes received.
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }
}

/// A blocking HTTP client for remote sources. Cheap to clone; clones share connections and
/// the traffic count.
#[derive(Clone)]
pub struct Client {
    agent: ureq::Agent,
    opts: HttpOptions,
    token: Option<Token>,
    traffic: Arc<Traffic>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("opts", &self.opts)
            .field("token", &self.token)
            .finish()
    }
}

/// One answer's status, headers that matter, and its body reader.
struct Answer {
    status: u16,
    response: ureq::http::Response<ureq::Body>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<String> {
        self.response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
}

/// What one try came to: an answer to use, or a reason to try again.
enum Try {
    Done(Result<Fetched, HttpError>),
    Again {
        wait: Option<Duration>,
        error: HttpError,
    },
}

/// The agent every openseal request goes through: statuses are answers (not errors), redirects
/// are followed by the caller (so each hop is checked), and the timeouts of `opts` apply.
pub(crate) fn agent(opts: &HttpOptions) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .timeout_connect(Some(opts.connect_timeout))
        .timeout_recv_response(Some(opts.read_timeout))
        .timeout_per_read(Some(opts.read_timeout))
        .user_agent(concat!("openseal/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

impl Client {
    /// A client with these options and, optionally, a token for one host.
    pub fn new(opts: HttpOptions, token: Option<Token>) -> Client {
        Client {
            agent: agent(&opts),
            opts,
            token,
            traffic: Arc::new(Traffic::default()),
        }
    }

    /// Requests and bytes so far, by this client and its clones.
    pub fn traffic(&self) -> &Traffic {
        &self.traffic
    }

    /// Whether a token will be sent to `url`.
    pub fn has_token_for(&self, url: &str) -> bool {
        self.token.as_ref().is_some_and(|t| t.origin == origin(url))
    }

    /// The whole body of `url`, refused when over `cap` bytes.
    pub fn get(&self, url: &str, cap: u64) -> Result<Fetched, HttpError> {
        self.fetch(url, None, cap.min(REMOTE_MAX_BODY))
    }

    /// Bytes `start..start+len` of `url` (fewer when the file ends sooner). A server that
    /// ignores `Range` is read up to `cap` bytes, then refused.
    pub fn get_range(
        &self,
        url: &str,
        start: u64,
        len: u64,
        cap: u64,
    ) -> Result<Fetched, HttpError> {
        self.fetch(url, Some((start, len)), cap.min(REMOTE_MAX_BODY))
    }

    fn fetch(&self, url: &str, range: Option<(u64, u64)>, cap: u64) -> Result<Fetched, HttpError> {
        self.retrying(|attempt| self.try_once(url, range, cap, attempt))
    }

    /// Runs `once(attempt)` until it is done or the attempts are spent, waiting between tries
    /// (doubling from the first backoff, or as long as the server's `Retry-After` asks).
    fn retrying(&self, mut once: impl FnMut(u32) -> Try) -> Result<Fetched, HttpError> {
        let mut wait = self.opts.backoff;
        let mut attempt = 1;
        loop {
            match once(attempt) {
                Try::Done(result) => return result,
                Try::Again { wait: asked, error } => {
                    if attempt >= self.opts.attempts.max(1) {
                        return Err(error);
                    }
                    std::thread::sleep(asked.unwrap_or(wait));
                    wait = wait
                        .saturating_mul(2)
                        .min(Duration::from_secs(REMOTE_MAX_RETRY_WAIT_S));
                    attempt += 1;
                }
            }
        }
    }

    /// One try, following redirects.
    fn try_once(&self, url: &str, range: Option<(u64, u64)>, cap: u64, attempt: u32) -> Try {
        let header = range.map(|(start, len)| {
            let last = start.saturating_add(len.max(1)) - 1;
            format!("bytes={start}-{last}")
        });
        let limit = self.opts.read_timeout.saturating_mul(REQUEST_TIME_IN_READS);
        match self.reach(url, header.as_deref(), Some(limit), attempt) {
            Ok((current, answer)) => self.read_body(&current, answer, range, cap, attempt),
            Err(t) => t,
        }
    }

    /// Sends GET (with `Range: range`) and follows redirects to a 200 or 206 answer, from the
    /// address that gave it. Any other outcome is a [`Try`] to return.
    fn reach(
        &self,
        url: &str,
        range: Option<&str>,
        limit: Option<Duration>,
        attempt: u32,
    ) -> Result<(String, Answer), Try> {
        let mut current = url.to_string();
        for _ in 0..=REMOTE_MAX_REDIRECTS {
            let answer = match self.send(&current, range, limit) {
                Ok(a) => a,
                Err(message) => {
                    return Err(Try::Again {
                        wait: None,
                        error: HttpError::Transport {
                            url: shown(&current),
                            message,
                            attempts: attempt,
                        },
                    });
                }
            };
            match answer.status {
                301 | 302 | 303 | 307 | 308 => {
                    let next = answer
                        .header("location")
                        .and_then(|l| join_location(&current, &l));
                    match next {
                        Some(next) => current = next,
                        None => {
                            return Err(Try::Done(Err(HttpError::Redirect {
                                url: shown(&current),
                                problem: format!(
                                    "redirect {} without a usable Location",
                                    answer.status
                                ),
                            })));
                        }
                    }
                }
                200 | 206 => return Ok((current, answer)),
                status => {
                    let error = HttpError::Status {
                        url: shown(&current),
                        status,
                        attempts: attempt,
                        error_code: answer.header("x-error-code"),
                    };
                    if status == 429 || (500..600).contains(&status) {
                        let wait = answer
                            .header("retry-after")
                            .and_then(|v| v.trim().parse::<u64>().ok())
                            .map(|s| Duration::from_secs(s.min(REMOTE_MAX_RETRY_WAIT_S)));
                        return Err(Try::Again { wait, error });
                    }
                    return Err(Try::Done(Err(error)));
                }
            }
        }
        Err(Try::Done(Err(HttpError::Redirect {
            url: shown(url),
            problem: format!("more than {REMOTE_MAX_REDIRECTS} redirects"),
        })))
    }

    /// Streams `url` from byte `from` to its end into `sink`, resuming where a broken
    /// connection left off (each retry asks `Range: bytes=N-` from the byte reached). Returns
    /// the offset reached: the file's size.
    pub fn stream(
        &self,
        url: &str,
        from: u64,
        sink: &mut dyn FnMut(&[u8]) -> std::io::Result<()>,
    ) -> Result<u64, HttpError> {
        let mut offset = from;
        self.retrying(|attempt| self.stream_once(url, &mut offset, sink, attempt))?;
        Ok(offset)
    }

    fn stream_once(
        &self,
        url: &str,
        offset: &mut u64,
        sink: &mut dyn FnMut(&[u8]) -> std::io::Result<()>,
        attempt: u32,
    ) -> Try {
        let header = (*offset > 0).then(|| format!("bytes={offset}-"));
        // A download may take long; each read still has its timeout.
        let (current, mut answer) = match self.reach(url, header.as_deref(), None, attempt) {
            Ok(a) => a,
            Err(t) => return t,
        };
        // A server that ignores Range sends the file from its start: skip what is already here.
        let mut skip = 0;
        let total = match answer.status {
            206 => {
                let header = answer.header("content-range");
                let parsed = header.as_deref().and_then(|h| {
                    let spec = h.trim().strip_prefix("bytes ")?;
                    let (span, total) = spec.split_once('/')?;
                    let first = span.split_once('-')?.0.trim().parse::<u64>().ok()?;
                    Some((first, total.trim().parse::<u64>().ok()))
                });
                match parsed {
                    Some((first, total)) if first == *offset => total,
                    _ => {
                        return Try::Done(Err(HttpError::BadRange {
                            url: shown(&current),
                            problem: format!(
                                "Content-Range {header:?} does not start at byte {offset}, where the download resumes"
                            ),
                        }));
                    }
                }
            }
            _ => {
                skip = *offset;
                answer
                    .header("content-length")
                    .and_then(|v| v.trim().parse::<u64>().ok())
            }
        };
        let mut reader = answer.response.body_mut().as_reader();
        let mut buf = vec![0u8; 256 << 10];
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Try::Again {
                        wait: None,
                        error: HttpError::Transport {
                            url: shown(&current),
                            message: format!("the download broke off at byte {offset}: {e}"),
                            attempts: attempt,
                        },
                    };
                }
            };
            self.traffic.bytes.fetch_add(n as u64, Ordering::Relaxed);
            let mut chunk = &buf[..n];
            if skip > 0 {
                let dropped = usize::try_from(skip).unwrap_or(usize::MAX).min(chunk.len());
                chunk = &chunk[dropped..];
                skip -= dropped as u64;
            }
            if chunk.is_empty() {
                continue;
            }
            if let Err(e) = sink(chunk) {
                return Try::Done(Err(HttpError::Sink {
                    url: shown(&current),
                    source: e,
                }));
            }
            *offset += chunk.len() as u64;
        }
        let expected_end = match (answer.status, total) {
            (206, Some(total)) => Some(total),
            (200, Some(len)) => Some(len),
            _ => None,
        };
        if let Some(end) = expected_end
            && *offset < end
        {
            return Try::Again {
                wait: None,
                error: HttpError::Truncated {
                    url: shown(&current),
                    expected: end,
                    got: *offset,
                    attempts: attempt,
                },
            };
        }
        Try::Done(Ok(Fetched {
            bytes: Vec::new(),
            total: expected_end,
        }))
    }

    fn send(
        &self,
        url: &str,
        range: Option<&str>,
        limit: Option<Duration>,
    ) -> Result<Answer, String> {
        let mut request = self.agent.get(url);
        if let Some(limit) = limit {
            // A whole request (answer and body) must end in time: a server that drips a byte
            // at a time would otherwise keep it alive forever.
            request = request.config().timeout_global(Some(limit)).build();
        }
        if let Some(range) = range {
            request = request.header("Range", range);
        }
        if let Some(t) = &self.token
            && t.origin == origin(url)
        {
            request = request.header("Authorization", format!("Bearer {}", t.secret));
        }
        self.traffic.requests.fetch_add(1, Ordering::Relaxed);
        let response = request.call().map_err(|e| e.to_string())?;
        Ok(Answer {
            status: response.status().as_u16(),
            response,
        })
    }

    fn read_body(
        &self,
        url: &str,
        mut answer: Answer,
        range: Option<(u64, u64)>,
        cap: u64,
        attempt: u32,
    ) -> Try {
        let length = answer
            .header("content-length")
            .and_then(|v| v.trim().parse::<u64>().ok());
        let content_range = answer.header("content-range");
        // What this answer should hold (its length) and the whole file's size.
        let (expected, total) = match (answer.status, range) {
            (206, Some((start, len))) => {
                match check_content_range(content_range.as_deref(), start, len) {
                    Ok((len, total)) => (Some(len), Some(total)),
                    Err(problem) => {
                        return Try::Done(Err(HttpError::BadRange {
                            url: shown(url),
                            problem,
                        }));
                    }
                }
            }
            (206, None) => {
                return Try::Done(Err(HttpError::BadRange {
                    url: shown(url),
                    problem: "partial content (206) to a request for the whole file".into(),
                }));
            }
            // 200: the whole file, whether a range was asked for or not.
            _ => (length, length),
        };
        if let Some(n) = expected
            && n > cap
        {
            return Try::Done(Err(too_large(url, range, cap)));
        }
        let mut body = Vec::new();
        let reader = answer.response.body_mut().as_reader();
        let read = reader.take(cap.saturating_add(1)).read_to_end(&mut body);
        self.traffic
            .bytes
            .fetch_add(body.len() as u64, Ordering::Relaxed);
        if let Err(e) = read {
            return Try::Again {
                wait: None,
                error: match expected {
                    Some(n) => HttpError::Truncated {
                        url: shown(url),
                        expected: n,
                        got: body.len() as u64,
                        attempts: attempt,
                    },
                    None => HttpError::Transport {
                        url: shown(url),
                        message: e.to_string(),
                        attempts: attempt,
                    },
                },
            };
        }
        if body.len() as u64 > cap {
            return Try::Done(Err(too_large(url, range, cap)));
        }
        if let Some(n) = expected
            && (body.len() as u64) > n
        {
            return Try::Done(Err(HttpError::BadRange {
                url: shown(url),
                problem: format!(
                    "the answer holds {} bytes, more than the {n} its headers announce",
                    body.len()
                ),
            }));
        }
        if let Some(n) = expected
            && (body.len() as u64) < n
        {
            return Try::Again {
                wait: None,
                error: HttpError::Truncated {
                    url: shown(url),
                    expected: n,
                    got: body.len() as u64,
                    attempts: attempt,
                },
            };
        }
        let bytes = match range {
            // A server that ignored Range sent the whole file: keep the part asked for.
            Some((start, len)) if answer.status == 200 => {
                let from = usize::try_from(start.min(body.len() as u64)).unwrap_or(body.len());
                let to = usize::try_from(start.saturating_add(len).min(body.len() as u64))
                    .unwrap_or(body.len());
                body[from..to].to_vec()
            }
            _ => body,
        };
        Try::Done(Ok(Fetched {
            total: total.or(length),
            bytes,
        }))
    }
}

fn too_large(url: &str, range: Option<(u64, u64)>, cap: u64) -> HttpError {
    match range {
        Some(_) => HttpError::BadRange {
            url: shown(url),
            problem: format!(
                "the server ignores Range and sends the whole file, which is over openseal's cap of {cap} bytes for it"
            ),
        },
        None => HttpError::TooLarge {
            url: shown(url),
            cap,
        },
    }
}

/// Checks `Content-Range: bytes FIRST-LAST/TOTAL` against the range asked for; returns the
/// length the body must have and the file's total size.
fn check_content_range(header: Option<&str>, start: u64, len: u64) -> Result<(u64, u64), String> {
    let header = header.ok_or("partial content (206) without a Content-Range")?;
    let bad = || format!("Content-Range {header:?} is not 'bytes FIRST-LAST/TOTAL'");
    let spec = header.trim().strip_prefix("bytes ").ok_or_else(bad)?;
    let (span, total) = spec.split_once('/').ok_or_else(bad)?;
    let (first, last) = span.split_once('-').ok_or_else(bad)?;
    let num = |s: &str| s.trim().parse::<u64>().map_err(|_| bad());
    let (first, last, total) = (num(first)?, num(last)?, num(total)?);
    let want_last = start.saturating_add(len.max(1)) - 1;
    let expected_last = want_last.min(total.saturating_sub(1));
    if first != start || last != expected_last || last < first || last >= total {
        return Err(format!(
            "Content-Range {header:?} does not match the range asked for (bytes {start}-{want_last})"
        ));
    }
    Ok((last - first + 1, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_is_checked_against_the_request() {
        assert_eq!(
            check_content_range(Some("bytes 0-99/1000"), 0, 100),
            Ok((100, 1000))
        );
        // The file ends before the range does.
        assert_eq!(
            check_content_range(Some("bytes 10-19/20"), 10, 100),
            Ok((10, 20))
        );
        for bad in [
            None,
            Some("bytes 1-99/1000"),
            Some("bytes 0-50/1000"),
            Some("bytes 0-99/50"),
            Some("0-99/1000"),
            Some("bytes 0-99/*"),
        ] {
            assert!(check_content_range(bad, 0, 100).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn messages_drop_queries_and_tokens_stay_with_their_host() {
        assert_eq!(
            shown("https://cdn.example/x?sig=secret#f"),
            "https://cdn.example/x"
        );
        assert_eq!(origin("http://127.0.0.1:80/a/b?c"), "http://127.0.0.1:80");
        assert_eq!(
            join_location("https://hub.example/a/b", "/c?x"),
            Some("https://hub.example/c?x".into())
        );
        assert_eq!(
            join_location("https://hub.example/a", "//cdn.example/c"),
            Some("https://cdn.example/c".into())
        );
        assert_eq!(join_location("https://hub.example/a", "relative"), None);
        let t = Token::new("hf_secret".into(), "https://hub.example/");
        assert!(!format!("{t:?}").contains("hf_secret"));
        let c = Client::new(HttpOptions::default(), Some(t));
        assert!(c.has_token_for("https://hub.example/api/models/a/b"));
        assert!(!c.has_token_for("https://cdn.example/x"));
        assert!(!format!("{c:?}").contains("hf_secret"));
    }
}
