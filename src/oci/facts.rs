//! What the artifact says about the model, taken from the signed manifest only: the ModelPack
//! config's `descriptor` and `config`, and the manifest annotations (identity, licence, the
//! declared MOF class). Nothing here reads a file, so the same manifest always gives the same
//! values.

use std::collections::{BTreeMap, BTreeSet};

use super::media;
use super::spec::{ModelDescriptor, ModelParams};
use crate::manifest::{Manifest, WeightsSummary};
use crate::release::{ContentKind, Status};

/// The model's licence: the one that applies to `weights.final` (its own, else the release's
/// defaults), when it is an SPDX expression; ModelPack and OCI take nothing else.
fn model_license(m: &Manifest) -> Option<String> {
    let release = m.release();
    let (text, _) = release.resolve_license("weights.final", ContentKind::Data, true)?;
    crate::license::spdx_parse(text)
        .is_ok()
        .then(|| text.to_string())
}

/// `descriptor`: name, version, the producer as author and vendor, the model's licence.
pub(crate) fn descriptor(m: &Manifest) -> ModelDescriptor {
    let producer = m.release.producer.clone().filter(|p| !p.is_empty());
    ModelDescriptor {
        authors: producer.iter().cloned().collect(),
        vendor: producer,
        name: Some(m.release.name.clone()).filter(|n| !n.is_empty()),
        version: Some(m.release.version.clone()).filter(|v| !v.is_empty()),
        licenses: model_license(m).into_iter().collect(),
    }
}

/// The summaries that describe the model: those of the final weights, or of every weights file
/// when none is marked final.
fn model_weights(m: &Manifest) -> Vec<&WeightsSummary> {
    let finals: BTreeSet<&str> = m.final_weights_files().into_iter().collect();
    let chosen: Vec<&WeightsSummary> = m
        .weights
        .iter()
        .filter(|w| finals.contains(w.path.as_str()))
        .collect();
    if chosen.is_empty() {
        m.weights.iter().collect()
    } else {
        chosen
    }
}

/// The distinct values, sorted, comma-separated; `None` when there are none.
fn joined<'a>(values: impl Iterator<Item = &'a str>) -> Option<String> {
    let set: BTreeSet<&str> = values.filter(|v| !v.is_empty()).collect();
    (!set.is_empty()).then(|| set.into_iter().collect::<Vec<_>>().join(","))
}

/// `config`: architecture, format, parameter count, precision and quantization of the model's
/// weights, from their inspection summaries.
pub(crate) fn params(m: &Manifest) -> ModelParams {
    let weights = model_weights(m);
    let mut by_dtype: BTreeMap<&str, u64> = BTreeMap::new();
    for w in &weights {
        for (dtype, n) in &w.parameters_by_dtype {
            let total = by_dtype.entry(dtype.as_str()).or_default();
            *total = total.saturating_add(*n);
        }
    }
    // Most parameters first; ties by name, so the order is fixed.
    let mut dtypes: Vec<(&str, u64)> = by_dtype.into_iter().collect();
    dtypes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let precision: Vec<String> = dtypes.iter().map(|(d, _)| precision_name(d)).collect();
    let total = weights
        .iter()
        .fold(0u64, |sum, w| sum.saturating_add(w.parameters));
    ModelParams {
        architecture: joined(weights.iter().filter_map(|w| w.architecture.as_deref())),
        format: joined(weights.iter().map(|w| w.format.as_str())),
        param_size: param_size(total),
        precision: (!precision.is_empty()).then(|| precision.join(",")),
        quantization: joined(weights.iter().filter_map(|w| w.quantization.as_deref())),
    }
}

/// ModelPack's short precision names for the common dtypes; other dtypes in lowercase.
fn precision_name(dtype: &str) -> String {
    let known = match dtype {
        "F64" => "fp64",
        "F32" => "fp32",
        "F16" => "fp16",
        "BF16" => "bf16",
        "F8_E4M3" => "fp8_e4m3",
        "F8_E5M2" => "fp8_e5m2",
        "I64" => "int64",
        "I32" => "int32",
        "I16" => "int16",
        "I8" => "int8",
        "U8" => "uint8",
        other => return other.to_ascii_lowercase(),
    };
    known.to_string()
}

/// A parameter count in ModelPack's notation, `<count><scale>` with at most one decimal
/// (`6.7B`, `107K`, `0.5K`); `None` below 50 parameters, which it cannot write.
pub(crate) fn param_size(n: u64) -> Option<String> {
    const SCALES: [(&str, f64); 5] = [("Q", 1e15), ("T", 1e12), ("B", 1e9), ("M", 1e6), ("K", 1e3)];
    let v = n as f64;
    for (i, (suffix, scale)) in SCALES.iter().enumerate() {
        let x = (v / scale * 10.0).round() / 10.0;
        let smallest = i == SCALES.len() - 1;
        if x >= 1.0 || (smallest && x >= 0.1) {
            let text = format!("{x:.1}");
            let text = text.strip_suffix(".0").unwrap_or(&text);
            return Some(format!("{text}{suffix}"));
        }
    }
    None
}

/// The manifest annotations: the release's identity and licence under the OCI keys, the
/// packaging format, and the declared MOF class with the components it rests on (cncf/toc#2299,
/// a proposal). Without a declared MOF class there are no MOF annotations.
pub(crate) fn annotations(m: &Manifest) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut put = |k: &str, v: String| {
        if !v.is_empty() {
            out.insert(k.to_string(), v);
        }
    };
    put(media::TITLE, m.release.name.clone());
    put(media::VERSION, m.release.version.clone());
    if let Some(p) = &m.release.producer {
        put(media::VENDOR, p.clone());
    }
    if let Some(l) = model_license(m) {
        put(media::LICENSES, l);
    }
    put(media::PACKAGING_FORMAT, "modelpack".into());
    let mof = m.declarations.iter().find_map(|d| {
        let class = media::mof_class(d.level.as_deref()?)?;
        (d.framework == "mof").then_some((class, d.version.clone()))
    });
    if let Some((class, version)) = mof {
        put(media::MOF_CLASS, class.into());
        put(media::MOF_VERSION, version);
        put(media::MOF_COMPONENTS, mof_components(m));
    }
    out
}

/// The MOF components the release makes available (includes or references), in the MOF's
/// order, comma-separated: what the declared class was derived from.
fn mof_components(m: &Manifest) -> String {
    let available: BTreeSet<&str> = m
        .components
        .iter()
        .filter(|c| matches!(c.status, Status::Included | Status::Referenced))
        .map(|c| c.id.as_str())
        .collect();
    media::MOF_COMPONENT_NAMES
        .iter()
        .filter(|(id, _)| available.contains(id))
        .map(|(_, name)| *name)
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_counts_use_one_decimal_and_a_scale_letter() {
        assert_eq!(param_size(6_738_415_616).as_deref(), Some("6.7B"));
        assert_eq!(param_size(8_000_000_000).as_deref(), Some("8B"));
        assert_eq!(param_size(106_816).as_deref(), Some("106.8K"));
        assert_eq!(param_size(999_960).as_deref(), Some("1M"));
        assert_eq!(param_size(1_500_000_000_000).as_deref(), Some("1.5T"));
        assert_eq!(param_size(500).as_deref(), Some("0.5K"));
        assert_eq!(param_size(40), None);
        assert_eq!(param_size(0), None);
    }

    #[test]
    fn precision_names_follow_modelpack() {
        assert_eq!(precision_name("BF16"), "bf16");
        assert_eq!(precision_name("Q4_K"), "q4_k");
    }

    #[test]
    fn joined_values_are_distinct_and_sorted() {
        assert_eq!(
            joined(["b", "a", "b", ""].into_iter()).as_deref(),
            Some("a,b")
        );
        assert_eq!(joined(std::iter::empty()), None);
    }
}
