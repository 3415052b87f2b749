//! The report page in a real browser: headless Chromium renders it, the screenshot is not blank
//! and the page loaded without console errors (a Content-Security-Policy violation, a script
//! error). Skipped with a note when `chromium` is not installed, unless `CI` is set: `.ci/run`
//! installs it, and there the test must run.
//!
//! `OPENSEAL_UPDATE_SCREENSHOT=1 cargo test --test report_browser` also refreshes the README's
//! screenshot, `testdata/report/example-model.png`.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("chromium"))
        .find(|p| p.is_file())
}

/// Runs `cmd`, killing it after `limit`.
fn run_with_timeout(cmd: &mut Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = stdout.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = stderr.read_to_end(&mut v);
        v
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("chromium did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    Output {
        status,
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    }
}

fn headless(chromium: &Path, profile: &Path) -> Command {
    let mut c = Command::new(chromium);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

fn console_errors(stderr: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter(|l| {
            l.contains("Uncaught")
                || l.contains("ERROR:CONSOLE")
                || l.contains("Content Security Policy")
        })
        .map(String::from)
        .collect()
}

/// Distinct colours and the share of pixels that are not white.
fn pixels(png_path: &Path) -> (u32, u32, usize, f64) {
    let file = std::io::BufReader::new(std::fs::File::open(png_path).unwrap());
    let mut decoder = png::Decoder::new(file);
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let data = &buf[..info.buffer_size()];
    let mut colours = HashSet::new();
    let mut non_white = 0usize;
    let mut total = 0usize;
    for px in data.chunks_exact(channels) {
        let rgb = match channels {
            1 | 2 => [px[0], px[0], px[0]],
            _ => [px[0], px[1], px[2]],
        };
        colours.insert(rgb);
        if rgb.iter().any(|&c| c < 245) {
            non_white += 1;
        }
        total += 1;
    }
    (
        info.width,
        info.height,
        colours.len(),
        non_white as f64 / total.max(1) as f64,
    )
}

#[test]
fn report_renders_in_headless_chromium() {
    let Some(chromium) = chromium() else {
        if std::env::var_os("CI").is_some() {
            panic!("CI is set but chromium is not installed (.ci/run installs it)");
        }
        eprintln!(
            "note: chromium not found on PATH; skipping the browser test (install it: apt-get install -y chromium)"
        );
        return;
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("example-model.html");
    let out = Command::new(env!("CARGO_BIN_EXE_openseal"))
        .current_dir(&root)
        .arg("report")
        .arg("testdata/example-model")
        .arg("--html")
        .arg(&html)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let url = format!("file://{}", html.display());

    // The screenshot.
    let png_path = dir.path().join("shot.png");
    let shot = run_with_timeout(
        headless(&chromium, &dir.path().join("profile-1"))
            .arg(format!("--screenshot={}", png_path.display()))
            .arg("--window-size=1280,2000")
            .arg(&url),
        Duration::from_secs(120),
    );
    assert!(
        shot.status.success() && png_path.is_file(),
        "chromium failed: {}",
        String::from_utf8_lossy(&shot.stderr)
    );
    let errors = console_errors(&shot.stderr);
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    let (w, h, colours, ink) = pixels(&png_path);
    assert_eq!((w, h), (1280, 2000));
    assert!(
        colours >= 16,
        "only {colours} distinct colours: the page looks blank"
    );
    assert!(
        ink > 0.05,
        "only {:.1}% of the pixels are not white",
        ink * 100.0
    );

    // The DOM as the browser built it.
    let dom = run_with_timeout(
        headless(&chromium, &dir.path().join("profile-2"))
            .arg("--dump-dom")
            .arg(&url),
        Duration::from_secs(120),
    );
    assert!(dom.status.success());
    let dom_text = String::from_utf8_lossy(&dom.stdout);
    for id in [
        "identity",
        "stack-base-weights",
        "stack-refusal",
        "radar",
        "files-table",
    ] {
        assert!(
            dom_text.contains(&format!("id=\"{id}\"")),
            "DOM lacks #{id}"
        );
    }
    let errors = console_errors(&dom.stderr);
    assert!(errors.is_empty(), "console errors: {errors:#?}");

    if std::env::var_os("OPENSEAL_UPDATE_SCREENSHOT").is_some() {
        let target = root.join("testdata/report/example-model.png");
        std::fs::copy(&png_path, &target).unwrap();
        let size = std::fs::metadata(&target).unwrap().len();
        assert!(size < 500 * 1024, "screenshot is {size} bytes");
    }
}
