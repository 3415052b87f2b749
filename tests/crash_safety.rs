//! Crash safety: `openseal pack` and `openseal unpack` killed with SIGKILL at random moments
//! never leave a partial result under the final name. The bundle is either absent or complete
//! and verifying; the unpacked folder is either absent or the whole verified tree. Temporaries
//! beside the target (`.NAME.openseal-PID-NANOS.tmp`) may remain after SIGKILL: nothing can
//! remove them when the process dies without running its destructors.

use openseal::progress::NoProgress;
use openseal::trust::TrustStore;
use openseal::verification::VerifyOptions;
use openseal::verify::verify;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const NOW: i64 = 1_800_000_000;

/// xorshift64*: reproducible random delays and contents (the seed is printed).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn seed() -> u64 {
    let s = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("CRASH_SEED={s}");
    s | 1
}

fn openseal() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_openseal"));
    c.stdout(Stdio::null()).stderr(Stdio::null());
    c
}

/// A release of a few MB of incompressible data in a few files.
fn make_release(root: &Path, rng: &mut Rng) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    files.insert("README.md".to_string(), b"# crash test\n".to_vec());
    for i in 0..4 {
        let data: Vec<u8> = (0..(768 << 10) / 8)
            .flat_map(|_| rng.next().to_le_bytes())
            .collect();
        files.insert(format!("data/part-{i}.dat"), data);
    }
    for (path, data) in &files {
        let p = root.join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, data).unwrap();
    }
    files
}

fn keygen(dir: &Path) -> (PathBuf, PathBuf) {
    let base = dir.join("key");
    let st = openseal()
        .args(["keygen", "-o"])
        .arg(&base)
        .status()
        .unwrap();
    assert!(st.success());
    (base.with_extension("key"), base.with_extension("pub"))
}

/// Runs `cmd` to completion, returning how long it took.
fn timed(cmd: &mut Command) -> Duration {
    let start = Instant::now();
    let st = cmd.status().unwrap();
    assert!(st.success(), "{cmd:?}");
    start.elapsed()
}

/// Spawns `cmd`, SIGKILLs it after `delay` (if still running) and reaps it.
fn kill_after(cmd: &mut Command, delay: Duration) {
    let mut child = cmd.spawn().unwrap();
    std::thread::sleep(delay);
    // `Child::kill` sends SIGKILL on Unix; an error means it had already exited.
    let _ = child.kill();
    child.wait().unwrap();
}

/// The delays to try: mostly 0..=50 ms, and some spread over an uninterrupted run's duration
/// and a little beyond (so that some runs complete before the kill).
fn delays(rng: &mut Rng, full: Duration) -> Vec<Duration> {
    let full_ms = full.as_millis() as u64 * 5 / 4 + 1;
    let mut d: Vec<Duration> = (0..6)
        .map(|_| Duration::from_millis(rng.below(51)))
        .collect();
    d.extend((0..4).map(|_| Duration::from_millis(rng.below(full_ms))));
    d
}

/// Only `allowed` names, and temporaries named after one of them, are in `dir`; returns how
/// many temporaries there are.
fn check_leftovers(dir: &Path, allowed: &[&str]) -> usize {
    let mut temps = 0;
    for e in fs::read_dir(dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if allowed.contains(&name.as_str()) {
            continue;
        }
        let temp = allowed
            .iter()
            .any(|a| name.starts_with(&format!(".{a}.openseal-")) && name.ends_with(".tmp"));
        assert!(temp, "unexpected file {name} in {}", dir.display());
        temps += 1;
    }
    temps
}

fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

#[test]
fn killed_pack_and_unpack_leave_nothing_partial() {
    let mut rng = Rng(seed());
    let tmp = tempfile::tempdir().unwrap();
    let release = tmp.path().join("release");
    let files = make_release(&release, &mut rng);
    let (key, public) = keygen(tmp.path());
    let store = TrustStore::load(&public).unwrap();
    let opts = VerifyOptions {
        trust: &store,
        requires: &[],
        now: NOW,
    };
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();

    let pack = |bundle: &Path| {
        let mut c = openseal();
        c.arg("pack")
            .arg(&release)
            .arg("-o")
            .arg(bundle)
            .arg("--key")
            .arg(&key)
            // The tree unpacked is compared with the release folder: no generated BOM.
            .args(["--level", "1", "--no-bom"]);
        c
    };

    // pack: the bundle is absent or complete.
    let full = timed(&mut pack(&out.join("reference.tar.zst")));
    let (mut complete, mut absent, mut temps) = (0, 0, 0);
    for (i, delay) in delays(&mut rng, full).into_iter().enumerate() {
        let name = format!("b{i}.tar.zst");
        let bundle = out.join(&name);
        kill_after(&mut pack(&bundle), delay);
        if bundle.exists() {
            let v = verify(&bundle, &opts, &NoProgress)
                .unwrap_or_else(|e| panic!("{name} (killed after {delay:?}) is partial: {e}"));
            assert_eq!(v.files as usize, files.len());
            complete += 1;
        } else {
            absent += 1;
        }
        let mut allowed: Vec<String> = (0..=i).map(|j| format!("b{j}.tar.zst")).collect();
        allowed.push("reference.tar.zst".into());
        temps = check_leftovers(
            &out,
            &allowed.iter().map(String::as_str).collect::<Vec<_>>(),
        );
    }
    eprintln!(
        "pack ({full:?} uninterrupted): {complete} complete, {absent} absent, {temps} temporaries left"
    );

    // unpack: the folder is absent or the whole tree.
    let bundle = out.join("reference.tar.zst");
    let unpack = |target: &Path| {
        let mut c = openseal();
        c.arg("unpack")
            .arg(&bundle)
            .arg("-C")
            .arg(target)
            .arg("--trust")
            .arg(&public);
        c
    };
    let dest = tmp.path().join("dest");
    fs::create_dir(&dest).unwrap();
    let full = timed(&mut unpack(&dest.join("reference")));
    assert_eq!(tree(&dest.join("reference")), files);
    let (mut complete, mut absent, mut temps) = (0, 0, 0);
    for (i, delay) in delays(&mut rng, full).into_iter().enumerate() {
        let name = format!("u{i}");
        let target = dest.join(&name);
        kill_after(&mut unpack(&target), delay);
        if target.exists() {
            assert_eq!(
                tree(&target),
                files,
                "{name} (killed after {delay:?}) is partial"
            );
            complete += 1;
        } else {
            absent += 1;
        }
        let mut allowed: Vec<String> = (0..=i).map(|j| format!("u{j}")).collect();
        allowed.push("reference".into());
        temps = check_leftovers(
            &dest,
            &allowed.iter().map(String::as_str).collect::<Vec<_>>(),
        );
    }
    eprintln!(
        "unpack ({full:?} uninterrupted): {complete} complete, {absent} absent, {temps} temporaries left"
    );
}
