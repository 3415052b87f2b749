//! The dependency policy in `deny.toml`, checked offline on every test run: every crate in the
//! build graph (all features, dev-dependencies included) comes from crates.io and offers a
//! licence expression that the allow-list satisfies. cargo-deny reads the same file; its
//! advisory check needs the RustSec database from GitHub and is run by hand (README).

use std::collections::BTreeSet;
use std::process::Command;

struct Policy {
    allowed: BTreeSet<String>,
    registry: String,
}

fn policy() -> Policy {
    let text = std::fs::read_to_string("deny.toml").unwrap();
    let value: toml::Table = toml::from_str(&text).unwrap();
    let allowed = value["licenses"]["allow"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let registries = value["sources"]["allow-registry"].as_array().unwrap();
    assert_eq!(registries.len(), 1, "one registry");
    Policy {
        allowed,
        registry: registries[0].as_str().unwrap().to_string(),
    }
}

/// `cargo metadata` for every package the lock file resolves, as `(name version, licence, source)`.
fn packages() -> Vec<(String, Option<String>, Option<String>)> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--locked",
            "--all-features",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let text = |k: &str| p[k].as_str().map(str::to_string);
            (
                format!("{} {}", text("name").unwrap(), text("version").unwrap()),
                text("license"),
                text("source"),
            )
        })
        .collect()
}

/// Whether an SPDX expression (crates.io still carries the old `MIT/Apache-2.0` form, which lax
/// parsing reads as OR) can be satisfied using only allowed licences.
fn satisfied(expression: &str, allowed: &BTreeSet<String>) -> Result<bool, String> {
    let expr = spdx::Expression::parse_mode(expression, spdx::ParseMode::LAX)
        .map_err(|e| e.to_string())?;
    Ok(expr.evaluate(|req| {
        let id = req.license.to_string();
        let full = match &req.addition {
            Some(addition) => format!("{id} WITH {addition}"),
            None => id.clone(),
        };
        allowed.contains(&full) || (req.addition.is_none() && allowed.contains(&id))
    }))
}

#[test]
fn every_dependency_offers_an_allowed_licence_and_comes_from_crates_io() {
    let policy = policy();
    let registry = format!("registry+{}", policy.registry);
    let mut problems = Vec::new();
    let packages = packages();
    assert!(packages.len() > 50, "cargo metadata listed the whole graph");
    for (name, license, source) in packages {
        let Some(source) = source else {
            continue; // openseal itself (a path package)
        };
        if source != registry {
            problems.push(format!("{name}: from {source}, not crates.io"));
        }
        match license.as_deref().map(|l| satisfied(l, &policy.allowed)) {
            None => problems.push(format!("{name}: no licence expression")),
            Some(Err(e)) => problems.push(format!("{name}: licence does not parse: {e}")),
            Some(Ok(false)) => problems.push(format!(
                "{name}: {} is not satisfied by deny.toml's allow-list",
                license.unwrap()
            )),
            Some(Ok(true)) => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_licence_check_refuses_what_it_must() {
    let allowed: BTreeSet<String> = ["MIT", "Apache-2.0"].map(String::from).into();
    assert_eq!(satisfied("MIT OR GPL-3.0-only", &allowed), Ok(true));
    assert_eq!(satisfied("MIT/Apache-2.0", &allowed), Ok(true));
    assert_eq!(satisfied("MIT AND GPL-3.0-only", &allowed), Ok(false));
    assert_eq!(satisfied("LGPL-2.1-or-later", &allowed), Ok(false));
    assert_eq!(
        satisfied("Apache-2.0 WITH LLVM-exception", &allowed),
        Ok(false)
    );
    assert!(satisfied("not a licence ((", &allowed).is_err());
}
