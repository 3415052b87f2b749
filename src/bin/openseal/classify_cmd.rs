//! `openseal classify PATH`: evaluate openness frameworks on a release and render the results.

use crate::Outcome;
use crate::output::Out;
use anyhow::{Context, Result, anyhow};
use openseal::classify::requirements::{self, Requirement, RequirementCheck, RequirementError};
use openseal::classify::{Coverage, Evaluator, FrameworkResult, Rating};
use openseal::framework::{Framework, FrameworkSet, Kind, Vocabulary};
use openseal::license::Mode;
use openseal::release::Status;
use openseal::release_loader::{self as input, Input};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// A release folder, a bundle, a manifest (.json), a Model Openness Tool file (.yml), a CycloneDX or SPDX 3 bill of materials (.json, .jsonld) or hf://ORG/NAME[@REV]
    #[arg(required_unless_present = "diff")]
    path: Option<PathBuf>,
    /// Compare two releases (any of the kinds PATH takes): which components and licences changed
    /// and how each framework moved; exit 1 when some framework moved down
    #[arg(long, num_args = 2, value_names = ["OLD", "NEW"], conflicts_with_all = ["path", "to_mot_yml", "requires"])]
    pub diff: Option<Vec<PathBuf>>,
    /// Framework to evaluate (repeatable): stack, mof, osaid, release-gradient,
    /// opening-up-chatgpt, dpga, osai-index, fmti-2025, or all [default: stack, mof, osaid]
    #[arg(long = "framework", value_name = "ID")]
    frameworks: Vec<String>,
    /// Evaluate a framework definition file as well (repeatable)
    #[arg(long = "framework-file", value_name = "PATH")]
    framework_files: Vec<PathBuf>,
    /// Judge licences exactly as the Model Openness Tool does (exact SPDX strings only)
    #[arg(long)]
    mot_compat: bool,
    /// Exit with status 1 unless FRAMEWORK:LEVEL is met (repeatable), e.g. mof:class-ii
    #[arg(long = "require", value_name = "FRAMEWORK:LEVEL")]
    requires: Vec<String>,
    /// Write the release as a Model Openness Tool YAML file
    #[arg(long, value_name = "OUT")]
    to_mot_yml: Option<PathBuf>,
    /// Print a JSON report (schema openseal.classify/v1; with --diff, openseal.classify-diff/v1)
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Report<'a> {
    schema: &'static str,
    path: &'a PathBuf,
    source: input::SourceKind,
    release: Identity<'a>,
    results: &'a [FrameworkResult],
    requirements: &'a [RequirementCheck],
    unclassified: &'a [String],
    notes: &'a [String],
}

#[derive(Serialize)]
struct Identity<'a> {
    name: &'a str,
    version: &'a str,
    producer: Option<&'a str>,
}

pub fn run(args: Args, out: &mut Out) -> Result<Outcome> {
    if let Some(pair) = &args.diff {
        return crate::classify_diff_cmd::run(&args, pair, out);
    }
    let Some(path) = &args.path else {
        anyhow::bail!("give PATH, or --diff OLD NEW");
    };
    let input = load(path)?;
    let (frameworks, results) = evaluate(&args, &input)?;
    let requirements = check_requirements(&args.requires, &frameworks, &results)?;

    if let Some(out) = &args.to_mot_yml {
        let export = openseal::mot::to_mot_yaml(&input.release)?;
        std::fs::write(out, &export.yaml)
            .with_context(|| format!("{}: cannot write", out.display()))?;
        if !export.dropped.is_empty() && !args.json {
            eprintln!(
                "openseal: {} not written to the MOT file (MOT has no place for them): {}",
                out.display(),
                export.dropped.join(", ")
            );
        }
    }
    if args.json {
        let report = Report {
            schema: "openseal.classify/v1",
            path: &input.path,
            source: input.source,
            release: Identity {
                name: &input.release.name,
                version: &input.release.version,
                producer: input.release.producer.as_deref(),
            },
            results: &results,
            requirements: &requirements,
            unclassified: &input.unclassified,
            notes: &input.notes,
        };
        out.json(&report)?;
    } else {
        out.write_all(render(&input, &results, &requirements).as_bytes())?;
    }
    if requirements.iter().any(|r| !r.met) {
        return Ok(Outcome::CheckFailed);
    }
    Ok(Outcome::Ok)
}

/// A release from any PATH classify takes; a remote source's unread files become notes.
pub fn load(path: &std::path::Path) -> Result<Input> {
    let source = crate::source_arg::open(path)?;
    let mut input = input::load(&source.path)?;
    if let Some(m) = &source.mirror {
        input.path = path.to_path_buf();
        if !m.not_read.is_empty() {
            let names: Vec<&str> = m.not_read.iter().map(|n| n.path.as_str()).collect();
            input.notes.push(format!(
                "{} file(s) of {} were not read (remote sources are read header-only) and are not classified: {}",
                names.len(),
                m.shown(),
                names.join(", ")
            ));
        }
    }
    Ok(input)
}

/// The frameworks asked for, evaluated on `input`.
pub fn evaluate(args: &Args, input: &Input) -> Result<(Vec<Framework>, Vec<FrameworkResult>)> {
    let frameworks = select(args)?;
    let mode = if args.mot_compat {
        Mode::MotCompat
    } else {
        Mode::Default
    };
    let evaluator = Evaluator::embedded()?;
    let results = frameworks
        .iter()
        .map(|fw| evaluator.evaluate(fw, &input.release, mode))
        .collect();
    Ok((frameworks, results))
}

/// The frameworks to evaluate, in the order asked for.
fn select(args: &Args) -> Result<Vec<Framework>> {
    let set = FrameworkSet::embedded()?;
    let mut ids: Vec<String> = args.frameworks.clone();
    if ids.is_empty() && args.framework_files.is_empty() {
        ids = ["stack", "mof", "osaid"].map(String::from).to_vec();
    }
    let mut out = Vec::new();
    for id in ids {
        if id == "all" {
            out.extend(set.frameworks().iter().cloned());
            continue;
        }
        let fw = set.get(&id).ok_or_else(|| {
            let known: Vec<&str> = set.frameworks().iter().map(|f| f.id.as_str()).collect();
            anyhow!(
                "unknown framework \"{id}\" (known: {}, all)",
                known.join(", ")
            )
        })?;
        out.push(fw.clone());
    }
    let vocab = Vocabulary::embedded()?;
    for path in &args.framework_files {
        out.push(Framework::load(path, vocab)?);
    }
    Ok(out)
}

/// Each `--require` checked against the frameworks evaluated here.
fn check_requirements(
    requires: &[String],
    frameworks: &[Framework],
    results: &[FrameworkResult],
) -> Result<Vec<RequirementCheck>> {
    let parsed = requires
        .iter()
        .map(|r| {
            Requirement::parse(r, frameworks).map_err(|e| match e {
                RequirementError::UnknownFramework { framework, .. } => anyhow!(
                    "--require {r}: framework \"{framework}\" is not evaluated (add --framework {framework})"
                ),
                e => anyhow!("--require {e}"),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(requirements::check(results, &parsed)?)
}

pub fn render(
    input: &Input,
    results: &[FrameworkResult],
    requirements: &[RequirementCheck],
) -> String {
    let mut o = String::new();
    let r = &input.release;
    let source = match input.source {
        input::SourceKind::Descriptor => "openseal.toml",
        input::SourceKind::Detected => "detected components (no openseal.toml)",
        input::SourceKind::Manifest => "manifest",
        input::SourceKind::Bundle => "bundle manifest",
        input::SourceKind::MotYaml => "Model Openness Tool file",
        input::SourceKind::CycloneDx => "CycloneDX bill of materials",
        input::SourceKind::Spdx => "SPDX 3 bill of materials",
    };
    let _ = writeln!(
        o,
        "{}  ({}, {source})",
        crate::human::name_version(&r.name, &r.version),
        input.path.display()
    );
    for res in results {
        let _ = writeln!(o);
        match res.kind {
            Kind::Levels => render_levels(&mut o, res),
            Kind::Criteria => render_criteria(&mut o, res),
            Kind::Coverage => render_coverage(&mut o, res),
            Kind::Indicators => render_indicators(&mut o, res),
        }
    }
    if !input.unclassified.is_empty() {
        let _ = writeln!(o, "\nunclassified files: {}", input.unclassified.join(", "));
    }
    for n in &input.notes {
        let _ = writeln!(o, "note: {n}");
    }
    for req in requirements {
        let _ = writeln!(
            o,
            "\nrequire {}:{}  {}",
            req.framework,
            req.level,
            if req.met { "met" } else { "NOT MET" }
        );
    }
    o
}

fn render_levels(o: &mut String, res: &FrameworkResult) {
    let level = res.level_name.as_deref().unwrap_or("no level met");
    let _ = writeln!(o, "{} {}: {level}", res.name, res.version);
    for (class, pct) in &res.progress {
        let _ = writeln!(o, "  progress {class}: {pct:.0}%");
    }
    if let Some(next) = &res.next_level {
        let _ = writeln!(o, "  for {}, missing:", next.name);
        for m in &next.missing {
            let alt = if m.alternatives.is_empty() {
                String::new()
            } else {
                format!(" (or {})", m.alternatives.join(", "))
            };
            let license = m
                .license
                .as_ref()
                .map(|l| format!(" [{l}]"))
                .unwrap_or_default();
            let _ = writeln!(o, "    {:<28} {}{license}{alt}", m.component, m.reason);
        }
    }
    render_components(o, res);
}

fn render_components(o: &mut String, res: &FrameworkResult) {
    let _ = writeln!(o, "  components");
    for c in &res.components {
        let status = c.status.map_or("absent".to_string(), |s| {
            serde_json::to_value(s)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default()
        });
        let available = matches!(c.status, Some(Status::Included | Status::Referenced));
        let license = match (available, &c.license) {
            (false, _) => "-".to_string(),
            (true, Some(l)) => l.clone(),
            (true, None) => "no licence".to_string(),
        };
        let open = if !available {
            ""
        } else if c.open {
            "open"
        } else {
            "not open"
        };
        let _ = writeln!(o, "    {:<28} {:<14} {:<26} {open}", c.id, status, license);
        for w in &c.warnings {
            let _ = writeln!(o, "      warning: {w}");
        }
    }
}

fn render_criteria(o: &mut String, res: &FrameworkResult) {
    let _ = writeln!(o, "{} {}", res.name, res.version);
    for c in &res.criteria {
        let mark = match c.rating {
            Rating::Open => "open",
            Rating::Partial => "partial",
            Rating::Closed => "closed",
        };
        let _ = writeln!(o, "  {:<28} {:<8} {}", c.name, mark, c.label);
        for m in c.missing_for_open.iter().take(4) {
            let _ = writeln!(o, "    for open: {} {}", m.component, m.reason);
        }
    }
}

/// A transparency index: disclosed of observable, by subdomain, then each observable indicator.
fn render_indicators(o: &mut String, res: &FrameworkResult) {
    let _ = writeln!(o, "{} {}", res.name, res.version);
    let Some(d) = &res.disclosure else {
        return;
    };
    let _ = writeln!(
        o,
        "  {} of {} artifact-observable indicators disclosed ({} of the {} are not observable from a release)",
        d.disclosed,
        d.observable,
        d.indicators - d.observable,
        d.indicators
    );
    for c in d.by_subdomain.iter().filter(|c| c.observable > 0) {
        let _ = writeln!(
            o,
            "  {:<44} {} of {}",
            format!("{} / {}", c.domain, c.subdomain),
            c.disclosed,
            c.observable
        );
        for i in res
            .indicators
            .iter()
            .filter(|i| i.observable && i.domain == c.domain && i.subdomain == c.subdomain)
        {
            let how = if i.disclosed {
                format!("disclosed ({})", i.shown_by.join(", "))
            } else {
                format!("not disclosed (needs one of {})", i.evidence.join(", "))
            };
            let _ = writeln!(o, "    {:<42} {how}", i.name);
        }
    }
}

fn render_coverage(o: &mut String, res: &FrameworkResult) {
    let _ = writeln!(o, "{} {}", res.name, res.version);
    let mut group = "";
    for item in &res.coverage {
        if item.group != group {
            group = &item.group;
            let _ = writeln!(o, "  {group}");
        }
        let mark = match item.coverage {
            Coverage::Included => "included",
            Coverage::Referenced => "referenced",
            Coverage::Withheld => "withheld",
            Coverage::NotApplicable => "not applicable",
            Coverage::Unknown => "unknown",
        };
        let reasons = if item.reasons.is_empty() {
            String::new()
        } else {
            format!(" ({})", item.reasons.join("; "))
        };
        let _ = writeln!(o, "    {:<44} {mark}{reasons}", item.name);
    }
}
