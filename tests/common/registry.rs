//! The CNCF distribution registry (`docker-registry`) on a free loopback port, storing in a
//! folder, killed when dropped; and `skopeo`. Tests skip with a note when either tool is missing,
//! unless `CI` is set (`.ci/run` installs both: `apt-get install docker-registry skopeo`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The program on `PATH` (or at `/usr/bin/NAME`), if installed.
pub fn tool(name: &str) -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join(name))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    on_path
        .into_iter()
        .chain([Path::new("/usr/bin").join(name)])
        .find(|p| p.is_file())
}

/// `skopeo` and `docker-registry`, or `None` after a note (a panic when `CI` is set).
pub fn tools() -> Option<(PathBuf, PathBuf)> {
    match (tool("skopeo"), tool("docker-registry")) {
        (Some(s), Some(r)) => Some((s, r)),
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI is set but skopeo or docker-registry is missing (.ci/run installs them)"
            );
            eprintln!(
                "note: skopeo or docker-registry not found; skipping (apt-get install docker-registry skopeo)"
            );
            None
        }
    }
}

/// A running registry; killed when the test ends, however it ends.
pub struct Registry {
    child: Child,
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// Its storage root.
    pub storage: PathBuf,
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free local port: bind port 0, read it, let it go.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Whether `GET /v2/` answers 200 on the port.
fn registry_answers(port: u16) -> bool {
    use std::io::{Read, Write};
    let Ok(mut c) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = c.set_read_timeout(Some(Duration::from_secs(2)));
    if c.write_all(b"GET /v2/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut head = [0u8; 12];
    c.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.") && &head[9..12] == b"200"
}

/// Starts `registry_bin` on a free port, storing under `dir/registry`, and waits until it
/// answers.
pub fn start(registry_bin: &Path, dir: &Path) -> Registry {
    let port = free_port();
    let storage = dir.join("registry");
    fs::create_dir(&storage).unwrap();
    let config = dir.join("registry.yml");
    fs::write(
        &config,
        format!(
            "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: 127.0.0.1:{port}\n",
            storage.display()
        ),
    )
    .unwrap();
    let child = Command::new(registry_bin)
        .arg("serve")
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let registry = Registry {
        child,
        port,
        storage,
    };
    let start = Instant::now();
    while !registry_answers(port) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the registry did not answer on port {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    registry
}

/// Runs `skopeo --insecure-policy ARGS`, which must succeed.
pub fn skopeo(skopeo: &Path, args: &[&str]) -> Output {
    let o = Command::new(skopeo)
        .arg("--insecure-policy")
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "skopeo {args:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}
