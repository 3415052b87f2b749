//! Inline SVG: the radar chart of openness per dimension (after the "triangle badges" of the
//! paper's Fig. 9) and the README badge (MOF class and signer status).

use super::stack::StackCell;
use super::{ReportData, SignerStatus, esc};

/// The radar's axes: (dimension, stack groups it averages).
pub(crate) const DIMENSIONS: [(&str, &[&str]); 8] = [
    ("Product/UX", &["product"]),
    ("Datasets", &["model/datasets"]),
    ("Code", &["model/code"]),
    ("Weights", &["model/weights"]),
    ("Infrastructure", &["infrastructure"]),
    ("Documentation", &["documentation"]),
    ("Licensing", &["licensing"]),
    ("Safeguards", &["safeguards"]),
];

/// Openness of each dimension in 0..=1: the mean score of its items (included with an open
/// licence 1, referenced 0.75, included with a restrictive or no licence 0.5, withheld or
/// absent 0; not applicable items left out). `None` when every item is not applicable.
pub(crate) fn scores(cells: &[StackCell]) -> Vec<(&'static str, Option<f64>)> {
    DIMENSIONS
        .iter()
        .map(|(name, groups)| {
            let s: Vec<f64> = cells
                .iter()
                .filter(|c| groups.contains(&c.group.as_str()))
                .filter_map(|c| c.status.score())
                .collect();
            let mean = (!s.is_empty()).then(|| s.iter().sum::<f64>() / s.len() as f64);
            (*name, mean)
        })
        .collect()
}

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".to_string(), |v| format!("{:.0}%", v * 100.0))
}

/// The radar chart.
pub(crate) fn radar(cells: &[StackCell]) -> String {
    let scores = scores(cells);
    let (cx, cy, r) = (260.0f64, 200.0f64, 125.0f64);
    let n = scores.len() as f64;
    let at = |i: usize, f: f64| {
        let a = -std::f64::consts::FRAC_PI_2 + i as f64 * std::f64::consts::TAU / n;
        (cx + r * f * a.cos(), cy + r * f * a.sin())
    };
    let desc: Vec<String> = scores
        .iter()
        .map(|(d, v)| format!("{d} {}", pct(*v)))
        .collect();
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"radar\" viewBox=\"0 0 520 400\" width=\"520\" height=\"400\" role=\"img\" aria-labelledby=\"radar-title radar-desc\">\
<title id=\"radar-title\">Openness per dimension</title><desc id=\"radar-desc\">{}</desc>\n",
        esc(&desc.join("; "))
    );
    for ring in [0.25, 0.5, 0.75, 1.0] {
        let pts: Vec<String> = (0..scores.len())
            .map(|i| {
                let (x, y) = at(i, ring);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        out.push_str(&format!(
            "<polygon points=\"{}\" fill=\"none\" stroke=\"#b9bec6\" stroke-width=\"1\"/>\n",
            pts.join(" ")
        ));
    }
    for (i, (name, v)) in scores.iter().enumerate() {
        let (x, y) = at(i, 1.0);
        out.push_str(&format!(
            "<line x1=\"{cx}\" y1=\"{cy}\" x2=\"{x:.1}\" y2=\"{y:.1}\" stroke=\"#b9bec6\"/>\n"
        ));
        let (lx, ly) = at(i, 1.17);
        let anchor = if (lx - cx).abs() < 1.0 {
            "middle"
        } else if lx > cx {
            "start"
        } else {
            "end"
        };
        out.push_str(&format!(
            "<text x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"{anchor}\" font-size=\"13\" fill=\"#1b1b1b\"><tspan font-weight=\"600\">{}</tspan><tspan x=\"{lx:.1}\" dy=\"15\" fill=\"#4a4a4a\">{}</tspan></text>\n",
            esc(name),
            pct(*v)
        ));
    }
    let pts: Vec<String> = scores
        .iter()
        .enumerate()
        .map(|(i, (_, v))| {
            let (x, y) = at(i, v.unwrap_or(0.0));
            format!("{x:.1},{y:.1}")
        })
        .collect();
    out.push_str(&format!(
        "<polygon points=\"{}\" fill=\"#1f5fa8\" fill-opacity=\"0.28\" stroke=\"#1f5fa8\" stroke-width=\"2.5\"/>\n",
        pts.join(" ")
    ));
    for p in &pts {
        if let Some((x, y)) = p.split_once(',') {
            out.push_str(&format!(
                "<circle cx=\"{x}\" cy=\"{y}\" r=\"3.5\" fill=\"#1f5fa8\"/>\n"
            ));
        }
    }
    out.push_str("</svg>");
    out
}

/// `Class II` from `Class II - Open Tooling Model`; `unclassified` when no class is met.
pub(crate) fn short_class(data: &ReportData) -> String {
    data.mof_class()
        .map(|n| n.split(" - ").next().unwrap_or(n).trim().to_string())
        .unwrap_or_else(|| "unclassified".to_string())
}

fn badge_signer(s: &SignerStatus) -> (&'static str, &'static str) {
    match s {
        SignerStatus::Verified { .. } => ("\u{2714} signature verified", "#2e7d32"),
        SignerStatus::Failed { .. } => ("\u{2716} verification failed", "#b3261e"),
        SignerStatus::NotChecked { .. } => ("? signature not checked", "#595959"),
        SignerStatus::Unsigned | SignerStatus::ManifestOnly => ("unsigned", "#595959"),
    }
}

/// Rough width of `s` in 11px DejaVu Sans / Verdana.
fn text_width(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii_uppercase() { 8.0 } else { 6.9 })
        .sum::<f64>()
}

/// The README badge: `MOF | Class II | ✔ signature verified`.
pub fn badge(data: &ReportData) -> String {
    let class = short_class(data);
    let (signer, signer_bg) = badge_signer(&data.signer);
    let parts = [
        ("MOF", "#3b3b3b"),
        (class.as_str(), "#1f5fa8"),
        (signer, signer_bg),
    ];
    let widths: Vec<f64> = parts.iter().map(|(t, _)| text_width(t) + 14.0).collect();
    let total: f64 = widths.iter().sum();
    let label = format!("MOF {class}, {signer}");
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"badge\" width=\"{total:.0}\" height=\"20\" viewBox=\"0 0 {total:.0} 20\" role=\"img\" aria-label=\"{l}\"><title>{l} ({name})</title>\
<g font-family=\"DejaVu Sans,Verdana,Geneva,sans-serif\" font-size=\"11\" fill=\"#ffffff\">",
        l = esc(&label),
        name = esc(&data.name),
    );
    let mut x = 0.0;
    for ((text, bg), w) in parts.iter().zip(&widths) {
        out.push_str(&format!(
            "<rect x=\"{x:.1}\" width=\"{w:.1}\" height=\"20\" fill=\"{bg}\"/><text x=\"{tx:.1}\" y=\"14\" text-anchor=\"middle\">{t}</text>",
            tx = x + w / 2.0,
            t = esc(text)
        ));
        x += w;
    }
    out.push_str("</g></svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::super::style::contrast;

    #[test]
    fn badge_text_contrast() {
        for bg in ["#3b3b3b", "#1f5fa8", "#2e7d32", "#b3261e", "#595959"] {
            assert!(contrast("#ffffff", bg).unwrap() >= 4.5, "{bg}");
        }
    }
}
