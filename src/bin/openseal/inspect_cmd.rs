//! `openseal inspect`: render inspection reports as text or JSON.

use crate::Outcome;
use crate::human::{bytes, short_count, thousands};
use crate::output::Out;
use anyhow::Result;
use openseal::device::Device;
use openseal::fingerprint::FingerprintReport;
use openseal::inspect::fact::Fact;
use openseal::inspect::report::{FileReport, InputVerdict, Inspection, Report, SCHEMA};
use openseal::inspect::{self, DataOptions, InspectOptions};
use openseal::stats::{FileStats, StatsOptions, TensorStats};
use openseal::weights::{ReadOptions, Verdict};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Weights files, sharded-checkpoint indexes (*.index.json) or model folders
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Print a JSON report (schema openseal.inspect/v1) instead of text
    #[arg(long)]
    json: bool,
    /// List every tensor (name, dtype, row-major shape)
    #[arg(long)]
    tensors: bool,
    /// Print all metadata in full, including long arrays such as GGUF token lists
    #[arg(long)]
    kv: bool,
    /// Exit with status 1 when any file is suspicious or dangerous to load
    #[arg(long)]
    deny_unsafe: bool,
    /// Read tensor data: min, max, mean, std, NaN/±inf counts and share of zeros per tensor and file
    #[arg(long)]
    stats: bool,
    /// Device for --stats: cpu, or cuda:N in builds with the `cuda` feature
    #[arg(long, default_value = "cpu", value_name = "DEVICE")]
    device: String,
    /// Compute the weights fingerprint (SHA-256 over canonical tensors; see formats/fingerprint.md)
    #[arg(long)]
    fingerprint: bool,
}

/// Parse `--device` and check this build can use it, before any file is read.
fn device(arg: &str) -> Result<Device> {
    let device: Device = arg.parse()?;
    device.open()?;
    Ok(device)
}

/// Statistics options for `--stats` on `--device`; `None` without `--stats`.
pub fn stats_options(stats: bool, device_arg: &str) -> Result<Option<StatsOptions>> {
    if !stats {
        return Ok(None);
    }
    Ok(Some(StatsOptions {
        device: device(device_arg)?,
        ..StatsOptions::default()
    }))
}

pub fn run(args: Args, out: &mut Out) -> Result<Outcome> {
    let opts = InspectOptions {
        read: ReadOptions {
            full_arrays: args.kv,
        },
        tensors: args.tensors,
    };
    let stats = stats_options(args.stats, &args.device)?;
    let progress = crate::progress::for_stderr("reading tensors");
    let data = DataOptions {
        stats,
        fingerprint: args.fingerprint,
        progress: progress.as_ref(),
    };
    let mut inputs = Vec::with_capacity(args.paths.len());
    for path in &args.paths {
        let input = crate::source_arg::open(path)?;
        if args.stats {
            input.require_local("--stats")?;
        }
        if args.fingerprint {
            input.require_local("--fingerprint")?;
        }
        let mut inspection = inspect::inspect_with_data(&input.path, opts, &data)?;
        if let Some(m) = &input.mirror {
            inspection.add_remote(m.summary(), &m.not_read);
            inspection.show_as(m.local_path(), m.shown());
        }
        inputs.push(inspection);
    }
    let report = Report {
        schema: SCHEMA,
        inputs,
    };
    if args.json {
        out.json(&report)?;
    } else {
        for (i, input) in report.inputs.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            out.write_all(render(input, &args).as_bytes())?;
        }
    }
    let unreadable: Vec<_> = report.inputs.iter().flat_map(|i| &i.errors).collect();
    if !unreadable.is_empty() {
        let list: Vec<String> = unreadable
            .iter()
            .map(|e| format!("{}: {}", e.path.display(), e.error))
            .collect();
        anyhow::bail!(
            "{} file(s) could not be read:\n  {}",
            list.len(),
            list.join("\n  ")
        );
    }
    let unsafe_found = report.inputs.iter().any(|i| i.safety.verdict.is_unsafe());
    let unscanned = report
        .inputs
        .iter()
        .any(|i| i.safety.verdict == InputVerdict::NotScanned);
    if args.deny_unsafe && (unsafe_found || unscanned) {
        // The report first, then the verdict, as on an unbuffered terminal.
        out.flush()?;
        if unsafe_found {
            eprintln!("openseal: unsafe file(s) found and --deny-unsafe was given");
        } else {
            eprintln!(
                "openseal: weights file(s) of a remote source were not read, so not scanned, and --deny-unsafe was given"
            );
        }
        return Ok(Outcome::CheckFailed);
    }
    Ok(Outcome::Ok)
}

fn render(i: &Inspection, args: &Args) -> String {
    let mut o = String::new();
    let kind = format!("{:?}", i.kind).to_lowercase();
    let _ = writeln!(o, "{}  ({kind})", i.path.display());
    render_files(&mut o, i);
    render_parameters(&mut o, i);
    render_architecture(&mut o, i);
    render_extras(&mut o, i);
    render_safety(&mut o, i);
    if let Some(fp) = &i.fingerprint {
        render_fingerprint(&mut o, fp);
    }
    for f in &i.files {
        if let Some(s) = &f.stats {
            render_stats(&mut o, &f.path.display().to_string(), s);
        }
        render_metadata(&mut o, f, args.kv);
        if args.tensors {
            render_tensors(&mut o, f);
        }
    }
    let warnings: Vec<String> = i
        .warnings
        .iter()
        .cloned()
        .chain(i.sharded.iter().flat_map(|s| s.warnings.iter().cloned()))
        .chain(i.files.iter().flat_map(|f| {
            f.warnings
                .iter()
                .map(move |w| format!("{}: {w}", f.path.display()))
        }))
        .collect();
    if !warnings.is_empty() {
        let _ = writeln!(o, "warnings");
        for w in warnings {
            let _ = writeln!(o, "  - {w}");
        }
    }
    o
}

fn render_files(o: &mut String, i: &Inspection) {
    let _ = writeln!(o, "files");
    let width = i
        .files
        .iter()
        .map(|f| display_name(i, f).len())
        .max()
        .unwrap_or(0);
    for f in &i.files {
        let _ = writeln!(
            o,
            "  {:<width$}  {:<14} {:>10}  {:>7} tensors  {:>8} params  {}",
            display_name(i, f),
            f.format.name(),
            bytes(f.size),
            thousands(f.tensor_count as u64),
            short_count(f.parameters.total),
            f.safety.verdict.as_str(),
        );
        if let Some(target) = &f.link_target {
            let _ = writeln!(o, "    -> {}", target.display());
        }
    }
    if i.files.is_empty() && i.errors.is_empty() {
        let _ = writeln!(o, "  no weights found");
    }
    for e in &i.errors {
        let _ = writeln!(o, "  {}  UNREADABLE: {}", e.path.display(), e.error);
    }
    for s in &i.sharded {
        let _ = writeln!(
            o,
            "  sharded: {} maps {} tensors to {} shard(s)",
            s.index.display(),
            thousands(s.mapped_tensors as u64),
            s.shards.len()
        );
    }
    if !i.other_files.is_empty() {
        let names: Vec<String> = i
            .other_files
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        let _ = writeln!(o, "  other files ({}): {}", names.len(), names.join(", "));
    }
}

fn display_name(i: &Inspection, f: &FileReport) -> String {
    f.path
        .strip_prefix(&i.path)
        .ok()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(&f.path)
        .display()
        .to_string()
}

fn render_parameters(o: &mut String, i: &Inspection) {
    let by: Vec<String> = i
        .parameters
        .by_dtype
        .iter()
        .map(|(d, n)| format!("{d} {}", thousands(*n)))
        .collect();
    let _ = writeln!(
        o,
        "parameters  {} ({}){}",
        thousands(i.parameters.total),
        short_count(i.parameters.total),
        if by.is_empty() {
            String::new()
        } else {
            format!(": {}", by.join(", "))
        }
    );
    if let Some(a) = &i.adapter_parameters {
        let _ = writeln!(o, "adapter parameters  {}", thousands(a.total));
    }
}

fn row<T: std::fmt::Display>(o: &mut String, label: &str, fact: &Option<Fact<T>>) {
    match fact {
        Some(f) => sourced(o, label, &f.value, &f.source),
        None => {
            let _ = writeln!(o, "  {label:<18} unknown");
        }
    }
}

/// One `label  value  (source)` line of a facts table.
fn sourced(o: &mut String, label: &str, value: &dyn std::fmt::Display, source: &str) {
    let _ = writeln!(o, "  {label:<18} {:<24} ({source})", value.to_string());
}

fn render_architecture(o: &mut String, i: &Inspection) {
    let a = &i.architecture;
    if *a == Default::default() {
        let _ = writeln!(
            o,
            "architecture  unknown (no config.json, GGUF architecture keys or known tensor names)"
        );
        return;
    }
    let _ = writeln!(o, "architecture");
    row(o, "family", &a.family);
    if let Some(c) = &a.classes {
        sourced(o, "classes", &c.value.join(", "), &c.source);
    }
    row(o, "layers", &a.layers);
    row(o, "hidden size", &a.hidden_size);
    row(o, "intermediate size", &a.intermediate_size);
    row(o, "attention heads", &a.attention_heads);
    match &a.kv_heads {
        Some(kv) => {
            let kind = match a.attention_heads.as_ref().map(|h| h.value) {
                Some(h) if h == kv.value => " (MHA)",
                Some(_) if kv.value == 1 => " (MQA)",
                Some(h) if kv.value < h => " (GQA)",
                _ => "",
            };
            sourced(o, "kv heads", &format!("{}{kind}", kv.value), &kv.source);
        }
        None => row(o, "kv heads", &a.kv_heads),
    }
    row(o, "vocabulary", &a.vocab_size);
    row(o, "context length", &a.context_length);
    if a.experts.is_some() || a.experts_per_token.is_some() {
        row(o, "experts", &a.experts);
        row(o, "experts per token", &a.experts_per_token);
    }
    row(o, "declared dtype", &a.declared_dtype);
    row(o, "quantization", &a.quantization);
}

fn render_extras(o: &mut String, i: &Inspection) {
    if let Some(a) = &i.adapter {
        let _ = writeln!(o, "adapter");
        row(o, "kind", &a.kind);
        row(o, "rank", &a.rank);
        row(o, "alpha", &a.alpha);
        if let Some(t) = &a.target_modules {
            sourced(o, "targets", &t.value.join(", "), &t.source);
        }
        row(o, "base model", &a.base_model);
        row(o, "adapted modules", &a.adapted_modules);
    }
    if let Some(t) = &i.tokenizer {
        let _ = writeln!(o, "tokenizer");
        row(o, "kind", &t.kind);
        row(o, "class", &t.class);
        row(o, "max length", &t.model_max_length);
        let _ = writeln!(
            o,
            "  {:<18} {}",
            "chat template",
            if t.chat_template { "yes" } else { "no" }
        );
    }
    if let Some(c) = &i.card {
        let _ = writeln!(o, "model card");
        let pairs = [
            ("base model", c.base_model.join(", ")),
            ("datasets", c.datasets.join(", ")),
            ("pipeline", c.pipeline_tag.clone().unwrap_or_default()),
            ("library", c.library_name.clone().unwrap_or_default()),
        ];
        for (k, v) in pairs {
            if !v.is_empty() {
                let _ = writeln!(o, "  {k:<18} {v}");
            }
        }
    }
    if i.licenses.is_empty() {
        let _ = writeln!(o, "licence hints  none found");
    } else {
        let _ = writeln!(o, "licence hints");
        for l in &i.licenses {
            let _ = writeln!(o, "  {:<24} ({})", l.value, l.source);
        }
    }
}

fn render_safety(o: &mut String, i: &Inspection) {
    let _ = writeln!(o, "safety  {}", i.safety.verdict.as_str());
    for f in i.files.iter().filter(|f| f.safety.verdict != Verdict::Safe) {
        let _ = writeln!(o, "  {}: {}", f.path.display(), f.safety.verdict.as_str());
        for g in f
            .safety
            .globals
            .iter()
            .filter(|g| g.verdict != Verdict::Safe)
        {
            let _ = writeln!(
                o,
                "    {} {}.{}: {}",
                g.verdict.as_str(),
                g.module,
                g.name,
                g.reason
            );
        }
        for finding in &f.safety.findings {
            let _ = writeln!(o, "    {finding}");
        }
    }
    render_remote(o, i);
}

/// What a remote source's read fetched, and what it left unread.
fn render_remote(o: &mut String, i: &Inspection) {
    let Some(r) = &i.remote else {
        return;
    };
    let _ = writeln!(
        o,
        "remote  read {} of {} in {} request(s), headers only",
        bytes(r.bytes_received),
        bytes(r.total_size),
        r.requests
    );
    for n in &i.not_read {
        let _ = writeln!(
            o,
            "  not read: {} ({}): {}",
            n.path,
            bytes(n.size),
            n.reason
        );
    }
}

fn render_metadata(o: &mut String, f: &FileReport, full: bool) {
    if f.metadata.is_empty() {
        return;
    }
    let _ = writeln!(o, "metadata  {}", f.path.display());
    let max_items = if full { usize::MAX } else { 8 };
    for (k, v) in &f.metadata {
        let _ = writeln!(o, "  {k} = {}", v.display(max_items));
    }
}

fn render_tensors(o: &mut String, f: &FileReport) {
    let Some(tensors) = &f.tensors else { return };
    let _ = writeln!(o, "tensors  {}", f.path.display());
    let width = tensors.iter().map(|t| t.name.len()).max().unwrap_or(0);
    for t in tensors {
        let shape: Vec<String> = t.shape.iter().map(u64::to_string).collect();
        let strides = t
            .strides
            .as_ref()
            .map(|s| {
                format!(
                    "  strides [{}]",
                    s.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "  {:<width$}  {:<8} [{}]{strides}",
            t.name,
            t.dtype.name(),
            shape.join(", ")
        );
    }
}

fn render_fingerprint(o: &mut String, fp: &FingerprintReport) {
    let _ = writeln!(
        o,
        "fingerprint  {}  ({} tensors, {})",
        fp.root,
        thousands(fp.tensor_count as u64),
        fp.algorithm
    );
    for (name, digest) in fp.tensors.iter().flatten() {
        let _ = writeln!(o, "  {name}  {digest}");
    }
}

/// A number for a stats table: short, but exact for small integers.
pub fn num(v: Option<f64>) -> String {
    match v {
        None => "-".to_string(),
        Some(v) if v == v.trunc() && v.abs() < 1e9 => format!("{v:.0}"),
        Some(v) if v != 0.0 && (v.abs() >= 1e5 || v.abs() < 1e-3) => format!("{v:.4e}"),
        Some(v) => format!("{v:.6}"),
    }
}

fn stats_row(s: &TensorStats) -> String {
    format!(
        "min {}  max {}  mean {}  std {}  nan {}  +inf {}  -inf {}  zeros {:.2}%",
        num(s.min),
        num(s.max),
        num(s.mean),
        num(s.std),
        thousands(s.nan),
        thousands(s.pos_inf),
        thousands(s.neg_inf),
        s.zero_fraction.unwrap_or(0.0) * 100.0
    )
}

fn render_stats(o: &mut String, path: &str, s: &FileStats) {
    let _ = writeln!(o, "stats  {path}  (device {})", s.device);
    let _ = writeln!(
        o,
        "  all {} supported tensors ({} elements): {}",
        thousands(s.supported as u64),
        thousands(s.summary.elements),
        stats_row(&s.summary)
    );
    if s.not_supported > 0 {
        let _ = writeln!(o, "  not supported: {} tensor(s)", s.not_supported);
    }
    let width = s.tensors.iter().map(|t| t.name.len()).max().unwrap_or(0);
    for t in &s.tensors {
        let detail = match (&t.stats, &t.not_supported) {
            (Some(st), _) => stats_row(st),
            (None, Some(why)) => format!("not supported: {why}"),
            (None, None) => String::new(),
        };
        let _ = writeln!(o, "  {:<width$}  {:<8} {detail}", t.name, t.dtype);
    }
}
