//! The stack of the framework paper (Fig. 5) as the page draws it: Product/UX over the model
//! components (datasets, code, weights) over infrastructure, with documentation, licensing and
//! safeguards beside. Each item is one cell with a colour, a pattern, a glyph and a word for its
//! status, and the reason as a tooltip (and in text) when withheld or not applicable.

use super::esc;
use super::style::swatch;
use crate::classify::{ComponentRow, Coverage, CoverageResult, FrameworkResult};
use crate::framework::Checks;
use crate::release::Status;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CellStatus {
    IncludedOpen,
    IncludedRestrictive,
    Referenced,
    Withheld,
    Absent,
    NotApplicable,
}

impl CellStatus {
    pub const ALL: [CellStatus; 6] = [
        CellStatus::IncludedOpen,
        CellStatus::IncludedRestrictive,
        CellStatus::Referenced,
        CellStatus::Withheld,
        CellStatus::Absent,
        CellStatus::NotApplicable,
    ];

    pub fn class(self) -> &'static str {
        match self {
            CellStatus::IncludedOpen => "open",
            CellStatus::IncludedRestrictive => "restrictive",
            CellStatus::Referenced => "referenced",
            CellStatus::Withheld => "withheld",
            CellStatus::Absent => "absent",
            CellStatus::NotApplicable => "na",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CellStatus::IncludedOpen => "included, open licence",
            CellStatus::IncludedRestrictive => "included, restrictive or no licence",
            CellStatus::Referenced => "referenced",
            CellStatus::Withheld => "withheld",
            CellStatus::Absent => "absent",
            CellStatus::NotApplicable => "not applicable",
        }
    }

    /// The item's share in its dimension's openness score; `None`: left out (not applicable).
    pub fn score(self) -> Option<f64> {
        match self {
            CellStatus::IncludedOpen => Some(1.0),
            CellStatus::Referenced => Some(0.75),
            CellStatus::IncludedRestrictive => Some(0.5),
            CellStatus::Withheld | CellStatus::Absent => Some(0.0),
            CellStatus::NotApplicable => None,
        }
    }
}

/// One stack item as drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct StackCell {
    pub id: String,
    pub name: String,
    pub group: String,
    pub status: CellStatus,
    /// Why withheld or not applicable.
    pub reasons: Vec<String>,
    /// The licences of the components present (deduplicated, in order).
    pub licenses: Vec<String>,
}

/// The cells of a stack evaluation, in the framework's item order.
pub fn cells(result: &FrameworkResult) -> Vec<StackCell> {
    result
        .coverage
        .iter()
        .map(|item| cell(item, &result.components))
        .collect()
}

fn cell(item: &CoverageResult, rows: &[ComponentRow]) -> StackCell {
    let present: Vec<&ComponentRow> = item
        .components
        .iter()
        .filter(|c| matches!(c.status, Some(Status::Included | Status::Referenced)))
        .filter_map(|c| rows.iter().find(|r| r.id == c.id))
        .collect();
    let all_open = present.iter().all(|r| r.open);
    let status = match item.coverage {
        Coverage::Included | Coverage::Referenced if item.checks == Checks::License => {
            if all_open {
                CellStatus::IncludedOpen
            } else {
                CellStatus::IncludedRestrictive
            }
        }
        Coverage::Included => {
            let included_open = present
                .iter()
                .filter(|r| r.status == Some(Status::Included))
                .all(|r| r.open);
            if included_open {
                CellStatus::IncludedOpen
            } else {
                CellStatus::IncludedRestrictive
            }
        }
        Coverage::Referenced => CellStatus::Referenced,
        Coverage::Withheld => CellStatus::Withheld,
        Coverage::NotApplicable => CellStatus::NotApplicable,
        Coverage::Unknown => CellStatus::Absent,
    };
    let mut licenses: Vec<String> = Vec::new();
    for r in &present {
        let l = r.license.clone().unwrap_or_else(|| "no licence".into());
        if !licenses.contains(&l) {
            licenses.push(l);
        }
    }
    StackCell {
        id: item.id.clone(),
        name: item.name.clone(),
        group: item.group.clone(),
        status,
        reasons: item.reasons.clone(),
        licenses,
    }
}

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
