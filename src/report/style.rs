//! The page's palette and style sheet. Every status has a colour, a pattern and a word, so
//! colour is never the only signal; text colours meet WCAG AA (4.5:1) on every background and
//! pattern stripe they sit on (checked by the tests below).

use super::stack::CellStatus;

/// Body text.
pub const TEXT: &str = "#1b1b1b";
/// Secondary text (still AA on white and on the light panels).
pub const MUTED: &str = "#4a4a4a";
pub const PAGE: &str = "#ffffff";
pub const PANEL: &str = "#f5f6f8";

/// How a status is drawn: background, stripe colour of its pattern (`None`: plain), border
/// style, and the glyph shown before its label.
#[derive(Debug, Clone, Copy)]
pub struct Swatch {
    pub background: &'static str,
    pub stripe: Option<&'static str>,
    pub border: &'static str,
    pub border_style: &'static str,
    pub glyph: &'static str,
}

pub fn swatch(s: CellStatus) -> Swatch {
    match s {
        CellStatus::IncludedOpen => Swatch {
            background: "#c8ebc9",
            stripe: None,
            border: "#2e7d32",
            border_style: "solid",
            glyph: "\u{2714}",
        },
        CellStatus::IncludedRestrictive => Swatch {
            background: "#ffe0a6",
            stripe: Some("#ffd37f"),
            border: "#a15c00",
            border_style: "solid",
            glyph: "!",
        },
        CellStatus::Referenced => Swatch {
            background: "#d3e5fa",
            stripe: None,
            border: "#1f5fa8",
            border_style: "dashed",
            glyph: "\u{2197}",
        },
        CellStatus::Withheld => Swatch {
            background: "#f8d3d3",
            stripe: Some("#efb5b5"),
            border: "#b3261e",
            border_style: "solid",
            glyph: "\u{2716}",
        },
        CellStatus::Absent => Swatch {
            background: "#eeeeee",
            stripe: None,
            border: "#8a8a8a",
            border_style: "dotted",
            glyph: "\u{2205}",
        },
        CellStatus::NotApplicable => Swatch {
            background: "#ffffff",
            stripe: Some("#e6e6e6"),
            border: "#8a8a8a",
            border_style: "dashed",
            glyph: "\u{2013}",
        },
    }
}

/// The CSS background of a status: plain, or diagonal stripes.
pub fn background(s: CellStatus) -> String {
    let w = swatch(s);
    match w.stripe {
        None => w.background.to_string(),
        Some(stripe) => format!(
            "repeating-linear-gradient(135deg,{bg} 0,{bg} 6px,{stripe} 6px,{stripe} 9px)",
            bg = w.background
        ),
    }
}

/// The whole style sheet.
pub fn css() -> String {
    let mut out = String::from(BASE);
    for s in CellStatus::ALL {
        let w = swatch(s);
        out.push_str(&format!(
            ".st-{c}{{background:{bg};border:2px {bs} {b};}}\n",
            c = s.class(),
            bg = background(s),
            bs = w.border_style,
            b = w.border,
        ));
    }
    out.replace("$TEXT", TEXT)
        .replace("$MUTED", MUTED)
        .replace("$PAGE", PAGE)
        .replace("$PANEL", PANEL)
}

const BASE: &str = r#"*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;color:$TEXT;background:$PAGE;margin:0;padding:24px 32px;line-height:1.4;font-size:15px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:19px;margin:28px 0 10px;border-bottom:2px solid #d0d4da;padding-bottom:4px}
h3{font-size:15px;margin:0 0 6px}
.muted{color:$MUTED}
code,.mono{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12.5px}
.identity{display:flex;flex-wrap:wrap;gap:12px 32px;align-items:flex-start}
.identity dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px;margin:0}
.identity dt{font-weight:600}
.identity dd{margin:0;overflow-wrap:anywhere}
.sig{display:inline-block;padding:2px 8px;border-radius:4px;font-weight:600;border:2px solid}
.sig-ok{background:#c8ebc9;border-color:#2e7d32}
.sig-bad{background:#f8d3d3;border-color:#b3261e}
.sig-none{background:#eeeeee;border-color:#8a8a8a;border-style:dashed}
.summary{display:grid;grid-template-columns:repeat(auto-fit,minmax(230px,1fr));gap:12px}
.card{background:$PANEL;border:1px solid #d0d4da;border-radius:6px;padding:10px 12px;break-inside:avoid}
.card .big{font-size:18px;font-weight:700}
.stack-wrap{display:grid;grid-template-columns:3fr 2fr;gap:14px;align-items:start}
.band{border:1px solid #b9bec6;border-radius:6px;padding:8px;margin-bottom:10px;background:$PANEL;break-inside:avoid}
.band>h3{text-transform:none}
.cols{display:grid;gap:8px}
.cols-3{grid-template-columns:repeat(3,1fr)}
.cols-2{grid-template-columns:1fr 2fr}
.cols-4{grid-template-columns:repeat(2,1fr)}
.cells{display:grid;gap:6px;grid-template-columns:repeat(auto-fill,minmax(150px,1fr))}
.col .cells{grid-template-columns:1fr}
.cell{border-radius:5px;padding:5px 7px;min-height:48px;font-size:13px;color:$TEXT}
.cell .nm{display:block;font-weight:600}
.cell .tag{display:block;font-size:12px}
.cell .why{display:block;font-size:12px;font-style:italic;overflow-wrap:anywhere}
.legend{display:flex;flex-wrap:wrap;gap:8px;margin:6px 0 12px;padding:0;list-style:none}
.legend li{padding:3px 8px;border-radius:4px;font-size:13px;color:$TEXT}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border:1px solid #c9cdd3;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#e8eaee}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.digest{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:11.5px;white-space:nowrap}
@media (max-width:1100px){td.digest{white-space:normal}}
table.narrow{width:auto;min-width:260px}
.rating{font-weight:600}
.r-open{background:#c8ebc9}
.r-partial{background:#ffe0a6}
.r-closed{background:#f8d3d3}
.charts{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}
.charts svg{max-width:100%;height:auto}
ul.missing{margin:4px 0 0;padding-left:18px}
footer{margin-top:30px;font-size:12px;color:$MUTED}
@media (max-width:900px){.stack-wrap{grid-template-columns:1fr}.cols-3{grid-template-columns:1fr}}
@media print{body{padding:0;font-size:11pt}h2{break-after:avoid}tr,.cell,.card{break-inside:avoid}.stack-wrap{grid-template-columns:3fr 2fr}a{color:$TEXT}}
"#;

/// WCAG relative luminance of `#rrggbb`.
#[cfg(test)] // the palette's contrast tests (here and in svg) are its only users
pub fn luminance(hex: &str) -> Option<f64> {
    let h = hex.strip_prefix('#')?;
    if h.len() != 6 {
        return None;
    }
    let ch = |i: usize| -> Option<f64> {
        let v = u8::from_str_radix(h.get(i..i + 2)?, 16).ok()? as f64 / 255.0;
        Some(if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        })
    };
    Some(0.2126 * ch(0)? + 0.7152 * ch(2)? + 0.0722 * ch(4)?)
}

/// WCAG contrast ratio of two `#rrggbb` colours.
#[cfg(test)]
pub fn contrast(a: &str, b: &str) -> Option<f64> {
    let (x, y) = (luminance(a)?, luminance(b)?);
    let (hi, lo) = if x > y { (x, y) } else { (y, x) };
    Some((hi + 0.05) / (lo + 0.05))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_meets_wcag_aa_on_every_status() {
        for s in CellStatus::ALL {
            let w = swatch(s);
            for bg in std::iter::once(w.background).chain(w.stripe) {
                let c = contrast(TEXT, bg).unwrap();
                assert!(c >= 4.5, "{s:?}: text on {bg} is {c:.2}:1");
            }
            // The border carries the status for non-text contrast (WCAG 1.4.11: 3:1 on white).
            let c = contrast(w.border, PAGE).unwrap();
            assert!(c >= 3.0, "{s:?}: border {} is {c:.2}:1", w.border);
        }
        for bg in [PAGE, PANEL, "#e8eaee", "#eeeeee"] {
            assert!(contrast(TEXT, bg).unwrap() >= 7.0);
            assert!(contrast(MUTED, bg).unwrap() >= 4.5, "muted on {bg}");
        }
    }

    #[test]
    fn contrast_of_black_on_white_is_21() {
        assert!((contrast("#000000", "#ffffff").unwrap() - 21.0).abs() < 1e-9);
    }
}
