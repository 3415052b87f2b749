//! An OCI distribution (registry) client: the handful of requests `openseal push` and
//! `openseal pull` make, over the same blocking `ureq` agent settings as [`super::http`].
//!
//! - [`Reference`]: `oci://HOST[:PORT]/REPO[:TAG|@sha256:HEX]`; plain `http://` only for a
//!   loopback host (127.0.0.0/8, `localhost`, `::1`) or when asked for, else `https://`;
//! - [`Registry`]: `HEAD`/`GET` blobs (streamed and hashed), monolithic blob upload
//!   (`POST /v2/<repo>/blobs/uploads/` then `PUT <Location>?digest=`), `PUT`/`GET` manifests.
//!
//! No credentials are sent yet: a 401 is reported as such. Errors name the address without its
//! query, the HTTP status and the registry's error code from its JSON error body.

use std::io::{Read, Write};

use sha2::{Digest as _, Sha256};
use thiserror::Error;

use super::http::{HttpOptions, shown};
use crate::digest::Sha256Digest;

/// The image manifest media type asked for and sent.
pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";

/// The largest manifest read (the distribution registry itself refuses manifests over 4 MiB).
pub const MAX_MANIFEST: u64 = 4 << 20;

/// Redirects followed for a blob download (registries may send blobs to a storage service).
const MAX_REDIRECTS: usize = 5;

/// What a reference points at in its repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A tag.
    Tag(String),
    /// A manifest digest, `sha256:<64 lowercase hex>`.
    Digest(String),
}

/// A parsed `oci://HOST[:PORT]/REPO[:TAG|@sha256:HEX]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// `http` or `https`.
    pub scheme: &'static str,
    /// `HOST[:PORT]` as given.
    pub host: String,
    /// The repository (`org/model`).
    pub repository: String,
    /// The tag or digest; `None` when the reference names neither.
    pub target: Option<Target>,
}

impl std::fmt::Display for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "oci://{}/{}", self.host, self.repository)?;
        match &self.target {
            Some(Target::Tag(t)) => write!(f, ":{t}"),
            Some(Target::Digest(d)) => write!(f, "@{d}"),
            None => Ok(()),
        }
    }
}

/// Whether `host` (without its port) is a loopback address or `localhost`.
fn is_loopback(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    name.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

fn is_sha256(d: &str) -> bool {
    d.strip_prefix("sha256:").is_some_and(|h| {
        h.len() == 64
            && h.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// A repository name component as the distribution spec allows:
/// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`.
fn good_component(c: &str) -> bool {
    let b = c.as_bytes();
    if b.is_empty() || !b[0].is_ascii_alphanumeric() || !b[b.len() - 1].is_ascii_alphanumeric() {
        return false;
    }
    c.bytes()
        .all(|x| x.is_ascii_lowercase() || x.is_ascii_digit() || matches!(x, b'.' | b'_' | b'-'))
}

/// A tag: `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`.
pub fn good_tag(t: &str) -> bool {
    let b = t.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
        && b.iter()
            .all(|x| x.is_ascii_alphanumeric() || matches!(x, b'.' | b'_' | b'-'))
}

impl Reference {
    /// Parses `oci://HOST[:PORT]/REPO[:TAG|@sha256:HEX]`. `insecure` allows plain HTTP to a host
    /// that is not loopback.
    pub fn parse(text: &str, insecure: bool) -> Result<Reference, RegistryError> {
        let bad = |problem: &str| RegistryError::BadReference {
            reference: text.to_string(),
            problem: problem.to_string(),
        };
        let rest = text
            .strip_prefix("oci://")
            .ok_or_else(|| bad("it must start with oci://"))?;
        let (host, path) = rest
            .split_once('/')
            .ok_or_else(|| bad("it names no repository (oci://HOST/REPO:TAG)"))?;
        if host.is_empty() || host.contains('@') || host.contains(['?', '#']) {
            return Err(bad(
                "bad host (credentials in the address are not supported)",
            ));
        }
        let (name, target) = if let Some((name, digest)) = path.split_once('@') {
            if !is_sha256(digest) {
                return Err(bad(
                    "the digest must be sha256: and 64 lowercase hex digits",
                ));
            }
            (name, Some(Target::Digest(digest.to_string())))
        } else {
            // A tag follows the last ':' after the last '/'.
            let last = path.rfind('/').map_or(0, |i| i + 1);
            match path[last..].rfind(':') {
                Some(i) => {
                    let tag = &path[last + i + 1..];
                    if !good_tag(tag) {
                        return Err(bad("bad tag ([A-Za-z0-9_][A-Za-z0-9._-]{0,127})"));
                    }
                    (&path[..last + i], Some(Target::Tag(tag.to_string())))
                }
                None => (path, None),
            }
        };
        if !name.split('/').all(good_component) {
            return Err(bad(
                "bad repository name (lowercase letters, digits and . _ - between /)",
            ));
        }
        let scheme = if insecure || is_loopback(host) {
            "http"
        } else {
            "https"
        };
        Ok(Reference {
            scheme,
            host: host.to_string(),
            repository: name.to_string(),
            target,
        })
    }

    /// `scheme://host/v2/<repo>/`.
    fn base(&self) -> String {
        format!("{}://{}/v2/{}/", self.scheme, self.host, self.repository)
    }
}

/// Why a registry request failed.
#[derive(Debug, Error)]
pub enum RegistryError {
    /// The reference is not `oci://HOST[:PORT]/REPO[:TAG|@sha256:HEX]`.
    #[error("{reference:?}: not a registry reference: {problem}")]
    BadReference {
        /// The text given.
        reference: String,
        /// What is wrong.
        problem: String,
    },
    /// No answer: connection refused, name not found, timeout, a broken connection.
    #[error("{url}: {message}")]
    Transport {
        /// The address, without its query.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// The registry wants credentials.
    #[error(
        "{url}: HTTP 401: the registry wants credentials; openseal does not send any yet{}",
        code_text(code)
    )]
    Unauthorized {
        /// The address, without its query.
        url: String,
        /// The registry's error code (`UNAUTHORIZED`).
        code: Option<String>,
    },
    /// The repository, tag, manifest or blob is not there.
    #[error("{url}: HTTP 404: not found{}", code_text(code))]
    NotFound {
        /// The address, without its query.
        url: String,
        /// The registry's error code (`NAME_UNKNOWN`, `MANIFEST_UNKNOWN`, `BLOB_UNKNOWN`).
        code: Option<String>,
    },
    /// Any other error status.
    #[error("{url}: HTTP {status}{}{}", code_text(code), message.as_deref().map(|m| format!(": {m}")).unwrap_or_default())]
    Status {
        /// The address, without its query.
        url: String,
        /// The status code.
        status: u16,
        /// The registry's first error code.
        code: Option<String>,
        /// The registry's first error message.
        message: Option<String>,
    },
    /// The manifest is larger than openseal reads.
    #[error("{url}: the manifest is larger than openseal's cap of {cap} bytes")]
    ManifestTooLarge {
        /// The address, without its query.
        url: String,
        /// The cap.
        cap: u64,
    },
    /// The bytes received or stored are not the ones their digest names.
    #[error("{url}: digest mismatch: expected {expected}, got {found}")]
    DigestMismatch {
        /// The address, without its query.
        url: String,
        /// The digest asked for.
        expected: String,
        /// The digest of what came (or what the registry says it stored).
        found: String,
    },
    /// A blob is not the size its descriptor states.
    #[error("{url}: size mismatch: expected {expected} bytes, got {found}")]
    SizeMismatch {
        /// The address, without its query.
        url: String,
        /// The size stated.
        expected: u64,
        /// The size received (at least).
        found: u64,
    },
    /// The registry's answer does not follow the distribution spec.
    #[error("{url}: {problem}")]
    Protocol {
        /// The address, without its query.
        url: String,
        /// What is wrong.
        problem: String,
    },
    /// Reading what is uploaded, or writing what is downloaded, failed.
    #[error("{url}: {source}")]
    Io {
        /// The address, without its query.
        url: String,
        /// The error.
        #[source]
        source: std::io::Error,
    },
}

fn code_text(code: &Option<String>) -> String {
    code.as_deref()
        .map(|c| format!(" ({c})"))
        .unwrap_or_default()
}

impl RegistryError {
    /// True when the registry's content failed a check (a digest or size mismatch): exit 1.
    pub fn is_check_failure(&self) -> bool {
        matches!(
            self,
            RegistryError::DigestMismatch { .. } | RegistryError::SizeMismatch { .. }
        )
    }

    /// A stable kebab-case name of the failure for `--json`.
    pub fn kind(&self) -> &'static str {
        match self {
            RegistryError::BadReference { .. } => "reference",
            RegistryError::Transport { .. } => "transport",
            RegistryError::Unauthorized { .. } => "unauthorized",
            RegistryError::NotFound { .. } => "not-found",
            RegistryError::Status { .. } => "http-status",
            RegistryError::ManifestTooLarge { .. } => "manifest-too-large",
            RegistryError::DigestMismatch { .. } => "digest",
            RegistryError::SizeMismatch { .. } => "size",
            RegistryError::Protocol { .. } => "protocol",
            RegistryError::Io { .. } => "io",
        }
    }
}

/// The registry's `{"errors":[{"code":..,"message":..}]}` body, first entry.
#[derive(serde::Deserialize)]
struct ErrorBody {
    #[serde(default)]
    errors: Vec<ErrorEntry>,
}

#[derive(serde::Deserialize)]
struct ErrorEntry {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

/// The typed error of a non-success answer.
fn status_error(url: &str, mut response: ureq::http::Response<ureq::Body>) -> RegistryError {
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(64 << 10)
        .read_to_vec()
        .unwrap_or_default();
    let first = serde_json::from_slice::<ErrorBody>(&body)
        .ok()
        .and_then(|b| b.errors.into_iter().next());
    let (code, message) = first.map_or((None, None), |e| (e.code, e.message));
    let url = shown(url);
    match status {
        401 => RegistryError::Unauthorized { url, code },
        404 => RegistryError::NotFound { url, code },
        _ => RegistryError::Status {
            url,
            status,
            code,
            message,
        },
    }
}

fn header(response: &ureq::http::Response<ureq::Body>, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Resolves an upload `Location` (absolute, or relative to the registry's origin or to the
/// address that sent it).
fn resolve(base: &str, location: &str) -> String {
    if location.starts_with("http://") || location.starts_with("https://") {
        return location.to_string();
    }
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let origin_end = base[after_scheme..]
        .find('/')
        .map_or(base.len(), |i| after_scheme + i);
    if location.starts_with('/') {
        format!("{}{location}", &base[..origin_end])
    } else {
        let dir = base.rfind('/').map_or(base, |i| &base[..=i]);
        format!("{dir}{location}")
    }
}

/// A registry client for one repository.
#[derive(Clone)]
pub struct Registry {
    agent: ureq::Agent,
    reference: Reference,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("reference", &self.reference)
            .finish()
    }
}

impl Registry {
    /// A client for `reference`'s registry and repository, with these timeouts.
    pub fn new(reference: Reference, opts: HttpOptions) -> Registry {
        Registry {
            agent: super::http::agent(&opts),
            reference,
        }
    }

    /// The reference this client was made for.
    pub fn reference(&self) -> &Reference {
        &self.reference
    }

    fn transport(url: &str, e: ureq::Error) -> RegistryError {
        RegistryError::Transport {
            url: shown(url),
            message: e.to_string(),
        }
    }

    /// Whether the repository holds the blob `digest` (`HEAD /v2/<repo>/blobs/<digest>`).
    pub fn blob_exists(&self, digest: &str) -> Result<bool, RegistryError> {
        let url = format!("{}blobs/{digest}", self.reference.base());
        let response = self
            .agent
            .head(&url)
            .call()
            .map_err(|e| Self::transport(&url, e))?;
        match response.status().as_u16() {
            200 | 307 | 302 => Ok(true),
            404 => Ok(false),
            _ => Err(status_error(&url, response)),
        }
    }

    /// Uploads a blob of `size` bytes read from `body` (monolithic: `POST` to open the upload,
    /// one `PUT` with the bytes and the digest). The registry checks the digest.
    pub fn upload_blob(
        &self,
        digest: &str,
        size: u64,
        body: &mut dyn Read,
    ) -> Result<(), RegistryError> {
        let start = format!("{}blobs/uploads/", self.reference.base());
        let response = self
            .agent
            .post(&start)
            .header("Content-Length", "0")
            .send_empty()
            .map_err(|e| Self::transport(&start, e))?;
        if response.status().as_u16() != 202 {
            return Err(status_error(&start, response));
        }
        let location = header(&response, "location").ok_or_else(|| RegistryError::Protocol {
            url: shown(&start),
            problem: "the upload was opened without a Location".into(),
        })?;
        let mut url = resolve(&start, &location);
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str("digest=");
        url.push_str(digest);
        let response = self
            .agent
            .put(&url)
            .header("Content-Type", "application/octet-stream")
            .header("Content-Length", size.to_string())
            .send(ureq::SendBody::from_reader(&mut body.take(size)))
            .map_err(|e| Self::transport(&url, e))?;
        if response.status().as_u16() != 201 {
            return Err(status_error(&url, response));
        }
        if let Some(stored) = header(&response, "docker-content-digest")
            && stored != digest
        {
            return Err(RegistryError::DigestMismatch {
                url: shown(&url),
                expected: digest.to_string(),
                found: stored,
            });
        }
        Ok(())
    }

    /// Puts the image manifest `bytes` under `reference` (a tag or its digest); returns the
    /// manifest's digest, checked against the registry's `Docker-Content-Digest` when sent.
    pub fn put_manifest(&self, reference: &str, bytes: &[u8]) -> Result<String, RegistryError> {
        let url = format!("{}manifests/{reference}", self.reference.base());
        let digest = format!("sha256:{}", Sha256Digest::of(bytes).to_hex());
        let response = self
            .agent
            .put(&url)
            .header("Content-Type", OCI_MANIFEST)
            .send(bytes)
            .map_err(|e| Self::transport(&url, e))?;
        if response.status().as_u16() != 201 {
            return Err(status_error(&url, response));
        }
        if let Some(stored) = header(&response, "docker-content-digest")
            && stored != digest
        {
            return Err(RegistryError::DigestMismatch {
                url: shown(&url),
                expected: digest,
                found: stored,
            });
        }
        Ok(digest)
    }

    /// The image manifest `reference` (a tag or digest) names: its bytes and digest. Refused
    /// over [`MAX_MANIFEST`] bytes; checked against the digest when `reference` is one.
    pub fn get_manifest(&self, reference: &str) -> Result<(Vec<u8>, String), RegistryError> {
        let url = format!("{}manifests/{reference}", self.reference.base());
        let mut response = self
            .agent
            .get(&url)
            .header("Accept", OCI_MANIFEST)
            .call()
            .map_err(|e| Self::transport(&url, e))?;
        if response.status().as_u16() != 200 {
            return Err(status_error(&url, response));
        }
        let too_large = || RegistryError::ManifestTooLarge {
            url: shown(&url),
            cap: MAX_MANIFEST,
        };
        if header(&response, "content-length")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .is_some_and(|n| n > MAX_MANIFEST)
        {
            return Err(too_large());
        }
        let mut bytes = Vec::new();
        response
            .body_mut()
            .as_reader()
            .take(MAX_MANIFEST + 1)
            .read_to_end(&mut bytes)
            .map_err(|source| RegistryError::Io {
                url: shown(&url),
                source,
            })?;
        if bytes.len() as u64 > MAX_MANIFEST {
            return Err(too_large());
        }
        let digest = format!("sha256:{}", Sha256Digest::of(&bytes).to_hex());
        if is_sha256(reference) && digest != reference {
            return Err(RegistryError::DigestMismatch {
                url: shown(&url),
                expected: reference.to_string(),
                found: digest,
            });
        }
        Ok((bytes, digest))
    }

    /// Streams the blob `digest` of `size` bytes into `sink`, hashing it; fails when more or
    /// fewer bytes come, or their SHA-256 is not `digest`. What reached `sink` before a
    /// failure is the caller's to discard.
    pub fn get_blob(
        &self,
        digest: &str,
        size: u64,
        sink: &mut dyn Write,
    ) -> Result<(), RegistryError> {
        let first = format!("{}blobs/{digest}", self.reference.base());
        let mut url = first.clone();
        let mut redirects = 0;
        let mut response = loop {
            let response = self
                .agent
                .get(&url)
                .call()
                .map_err(|e| Self::transport(&url, e))?;
            match response.status().as_u16() {
                200 => break response,
                301 | 302 | 303 | 307 | 308 if redirects < MAX_REDIRECTS => {
                    let location =
                        header(&response, "location").ok_or_else(|| RegistryError::Protocol {
                            url: shown(&url),
                            problem: "a redirect without a Location".into(),
                        })?;
                    url = resolve(&url, &location);
                    redirects += 1;
                }
                _ => return Err(status_error(&url, response)),
            }
        };
        let mut reader = response.body_mut().as_reader();
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 256 << 10];
        let mut got: u64 = 0;
        let io = |source| RegistryError::Io {
            url: shown(&first),
            source,
        };
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(RegistryError::Transport {
                        url: shown(&first),
                        message: format!("the download broke off at byte {got}: {e}"),
                    });
                }
            };
            got += n as u64;
            if got > size {
                return Err(RegistryError::SizeMismatch {
                    url: shown(&first),
                    expected: size,
                    found: got,
                });
            }
            hasher.update(&buf[..n]);
            sink.write_all(&buf[..n]).map_err(io)?;
        }
        if got != size {
            return Err(RegistryError::SizeMismatch {
                url: shown(&first),
                expected: size,
                found: got,
            });
        }
        let found = format!("sha256:{}", Sha256Digest(hasher.finalize().into()).to_hex());
        if found != digest {
            return Err(RegistryError::DigestMismatch {
                url: shown(&first),
                expected: digest.to_string(),
                found,
            });
        }
        Ok(())
    }

    /// Reads a small blob (a manifest or signature layer) of `size` bytes, at most `cap`.
    pub fn get_small_blob(
        &self,
        digest: &str,
        size: u64,
        cap: u64,
    ) -> Result<Vec<u8>, RegistryError> {
        if size > cap {
            return Err(RegistryError::Protocol {
                url: shown(&format!("{}blobs/{digest}", self.reference.base())),
                problem: format!("the blob's stated size {size} is over openseal's cap of {cap}"),
            });
        }
        let mut out = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        self.get_blob(digest, size, &mut out)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_references_and_picks_the_scheme() {
        let r = Reference::parse("oci://127.0.0.1:5000/org/model:v1", false).unwrap();
        assert_eq!(r.scheme, "http");
        assert_eq!(r.host, "127.0.0.1:5000");
        assert_eq!(r.repository, "org/model");
        assert_eq!(r.target, Some(Target::Tag("v1".into())));
        assert_eq!(r.to_string(), "oci://127.0.0.1:5000/org/model:v1");
        let d = format!("sha256:{}", "a".repeat(64));
        let r = Reference::parse(&format!("oci://localhost/m@{d}"), false).unwrap();
        assert_eq!(r.target, Some(Target::Digest(d)));
        assert_eq!(r.scheme, "http");
        let r = Reference::parse("oci://[::1]:80/m", false).unwrap();
        assert_eq!((r.scheme, r.target), ("http", None));
        let r = Reference::parse("oci://registry.example:443/a/b:1.0", false).unwrap();
        assert_eq!(r.scheme, "https");
        assert_eq!(
            Reference::parse("oci://registry.example/a", true)
                .unwrap()
                .scheme,
            "http"
        );
        for bad in [
            "docker://h/r:t",
            "oci://h",
            "oci://h/R:t",
            "oci://h/r:bad/tag",
            "oci://h/r@sha256:12",
            "oci://u:p@h/r:t",
            "oci://h/r:",
            "oci://h//r",
        ] {
            assert!(Reference::parse(bad, false).is_err(), "{bad}");
        }
    }

    #[test]
    fn resolves_upload_locations() {
        let base = "http://h:1/v2/r/blobs/uploads/";
        assert_eq!(
            resolve(base, "/v2/r/blobs/uploads/u?s=1"),
            "http://h:1/v2/r/blobs/uploads/u?s=1"
        );
        assert_eq!(resolve(base, "https://other/x"), "https://other/x");
        assert_eq!(resolve(base, "u1"), "http://h:1/v2/r/blobs/uploads/u1");
    }
}
