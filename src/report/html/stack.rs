//! The stack drawn as HTML: every cell exactly once, in the paper's arrangement.

use crate::report::esc;
use crate::report::stack::{CellStatus, StackCell};
use crate::report::style::swatch;

/// Groups of the main column and of the side column, with their headings.
const MODEL: [(&str, &str); 3] = [
    ("model/datasets", "Datasets"),
    ("model/code", "Code"),
    ("model/weights", "Model weights"),
];
const SIDE: [(&str, &str); 3] = [
    ("documentation", "Documentation"),
    ("licensing", "Licensing"),
    ("safeguards", "Safeguards"),
];

fn known(group: &str) -> bool {
    group == "product"
        || group == "infrastructure"
        || MODEL.iter().chain(SIDE.iter()).any(|(g, _)| *g == group)
}

/// The stack as HTML: every cell exactly once.
pub fn html(cells: &[StackCell]) -> String {
    let of = |g: &str| -> String {
        cells
            .iter()
            .filter(|c| c.group == g)
            .map(cell_html)
            .collect()
    };
    let mut out = String::from("<div class=\"stack-wrap\">\n<div class=\"stack-main\">\n");
    out.push_str(&band("product", "Product/UX", &of("product")));
    let mut model = String::from("<div class=\"cols cols-3\">");
    for (g, title) in MODEL {
        model.push_str(&format!(
            "<div class=\"col\" id=\"group-{}\"><h3>{}</h3><div class=\"cells\">{}</div></div>",
            esc(g.trim_start_matches("model/")),
            esc(title),
            of(g)
        ));
    }
    model.push_str("</div>");
    out.push_str(&format!(
        "<section class=\"band\" id=\"group-model\" aria-label=\"Model components\"><h3>Model components</h3>{model}</section>\n"
    ));
    out.push_str(&band(
        "infrastructure",
        "Infrastructure",
        &of("infrastructure"),
    ));
    let other: String = cells
        .iter()
        .filter(|c| !known(&c.group))
        .map(cell_html)
        .collect();
    if !other.is_empty() {
        out.push_str(&band("other", "Other items", &other));
    }
    out.push_str("</div>\n<div class=\"stack-side\">\n");
    for (g, title) in SIDE {
        out.push_str(&band(g, title, &of(g)));
    }
    out.push_str("</div>\n</div>\n");
    out
}

fn band(group: &str, title: &str, cells: &str) -> String {
    format!(
        "<section class=\"band\" id=\"group-{g}\" aria-label=\"{t}\"><h3>{t}</h3><div class=\"cells\">{cells}</div></section>\n",
        g = esc(group),
        t = esc(title)
    )
}

fn cell_html(c: &StackCell) -> String {
    let mut title = format!("{}: {}", c.name, c.status.label());
    if !c.licenses.is_empty() {
        title.push_str(&format!(" ({})", c.licenses.join(", ")));
    }
    let reasons: &[String] = match c.status {
        CellStatus::Withheld | CellStatus::NotApplicable => &c.reasons,
        _ => &[],
    };
    for r in reasons {
        title.push_str(&format!(" \u{2014} {r}"));
    }
    let mut detail = String::new();
    if !c.licenses.is_empty() {
        detail.push_str(&format!(
            "<span class=\"why\">{}</span>",
            esc(&c.licenses.join(", "))
        ));
    }
    for r in reasons {
        let short: String = r.chars().take(140).collect();
        let more = if short.len() < r.len() {
            "\u{2026}"
        } else {
            ""
        };
        detail.push_str(&format!("<span class=\"why\">{}{more}</span>", esc(&short)));
    }
    format!(
        "<div class=\"cell st-{cls}\" id=\"stack-{id}\" data-status=\"{cls}\" title=\"{title}\"><span class=\"nm\">{name}</span><span class=\"tag\"><span aria-hidden=\"true\">{glyph}</span> {label}</span>{detail}</div>",
        cls = c.status.class(),
        id = esc(&c.id),
        title = esc(&title),
        name = esc(&c.name),
        glyph = swatch(c.status).glyph,
        label = c.status.label(),
    )
}

/// The legend: one swatch per status, with its word and glyph.
pub fn legend() -> String {
    let mut out = String::from("<ul class=\"legend\" aria-label=\"Legend\">");
    for s in CellStatus::ALL {
        out.push_str(&format!(
            "<li class=\"st-{}\"><span aria-hidden=\"true\">{}</span> {}</li>",
            s.class(),
            swatch(s).glyph,
            s.label()
        ));
    }
    out.push_str("</ul>");
    out
}
