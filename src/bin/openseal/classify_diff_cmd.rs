//! `openseal classify --diff OLD NEW`: openness over time. Both releases are evaluated on the
//! same frameworks; the output says which components and licences changed and how each
//! framework moved, with what the newer release lacks where it moved down. Exit 1 when some
//! framework moved down, so a pipeline can refuse a release that is less open than the last.

use crate::Outcome;
use crate::classify_cmd::{Args, evaluate, load};
use crate::human::name_version;
use crate::output::Out;
use anyhow::Result;
use openseal::classify::compare::{self, ClassifyDiff, ComponentState, DIFF_SCHEMA, Direction};
use openseal::classify::{Missing, MissingReason};
use openseal::release_loader::Input;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

#[derive(Serialize)]
struct Side<'a> {
    path: &'a PathBuf,
    name: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct Report<'a> {
    schema: &'static str,
    old: Side<'a>,
    new: Side<'a>,
    #[serde(flatten)]
    diff: &'a ClassifyDiff,
}

fn side(input: &Input) -> Side<'_> {
    Side {
        path: &input.path,
        name: &input.release.name,
        version: &input.release.version,
    }
}

pub fn run(args: &Args, pair: &[PathBuf], out: &mut Out) -> Result<Outcome> {
    let [old_path, new_path] = pair else {
        anyhow::bail!("--diff takes two releases: OLD NEW");
    };
    let (old, new) = (load(old_path)?, load(new_path)?);
    let (_, old_results) = evaluate(args, &old)?;
    let (_, new_results) = evaluate(args, &new)?;
    let diff = compare::compare(&old_results, &new_results);
    if args.json {
        out.json(&Report {
            schema: DIFF_SCHEMA,
            old: side(&old),
            new: side(&new),
            diff: &diff,
        })?;
    } else {
        out.write_all(render(&old, &new, &diff).as_bytes())?;
    }
    Ok(if diff.regressed {
        Outcome::CheckFailed
    } else {
        Outcome::Ok
    })
}

fn state(s: &ComponentState) -> String {
    // The status as the descriptor writes it (kebab-case).
    let status = s.status.map_or("unknown".to_string(), |st| {
        serde_json::to_value(st)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    });
    match &s.license {
        Some(l) => format!("{status}, {l}{}", if s.open { "" } else { " (not open)" }),
        None => status,
    }
}

fn missing(m: &Missing) -> String {
    let mut s = format!("{} {}", m.component, m.reason);
    if let Some(l) = &m.license
        && matches!(
            m.reason,
            MissingReason::LicenseNotOpen | MissingReason::LicenseWrongKind
        )
    {
        let _ = write!(s, " ({l})");
    }
    s
}

fn arrow(d: Direction) -> &'static str {
    match d {
        Direction::Up => "up",
        Direction::Down => "DOWN",
        Direction::Same => "same",
    }
}

fn render(old: &Input, new: &Input, d: &ClassifyDiff) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "old  {}  ({})",
        name_version(&old.release.name, &old.release.version),
        old.path.display()
    );
    let _ = writeln!(
        o,
        "new  {}  ({})",
        name_version(&new.release.name, &new.release.version),
        new.path.display()
    );
    let _ = writeln!(o, "\ncomponents  {} changed", d.components.len());
    for c in &d.components {
        let _ = writeln!(o, "  {}: {} -> {}", c.id, state(&c.old), state(&c.new));
    }
    let _ = writeln!(o, "\nframeworks");
    for f in &d.frameworks {
        let levels = match (&f.old_level, &f.new_level) {
            (None, None) if f.items.is_empty() => "no change".to_string(),
            (None, None) => format!("{} item(s) changed", f.items.len()),
            (a, b) => format!(
                "{} -> {}",
                a.as_deref().unwrap_or("none"),
                b.as_deref().unwrap_or("none")
            ),
        };
        let _ = writeln!(o, "  {}  {levels}  [{}]", f.framework, arrow(f.direction));
        if !f.missing.is_empty() {
            let lacks: Vec<String> = f.missing.iter().map(missing).collect();
            let _ = writeln!(o, "    lost because: {}", lacks.join("; "));
        }
        for i in &f.items {
            let _ = write!(
                o,
                "    {}: {} -> {} [{}]",
                i.name,
                i.old,
                i.new,
                arrow(i.direction)
            );
            if !i.missing.is_empty() {
                let lacks: Vec<String> = i.missing.iter().map(missing).collect();
                let _ = write!(o, "  ({})", lacks.join("; "));
            }
            let _ = writeln!(o);
        }
    }
    let _ = writeln!(
        o,
        "\n{}",
        if d.regressed {
            "less open: some framework moved down"
        } else {
            "no framework moved down"
        }
    );
    o
}
