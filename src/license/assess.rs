//! Reading one licence string: is it a licence at all, is it open, OSI-approved, and of the
//! right kind for the component's content.

use serde::{Deserialize, Serialize};

use super::aliases::spdx_id_ignoring_case;
use super::{Licenses, spdx_parse};

/// The LicenseRef prefix an id of additions.toml is parsed under.
const ADDED_REF: &str = "openseal-added-";
use crate::release::ContentKind;

/// How licence strings are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// SPDX expressions (AND, OR, WITH); free text mapped through the alias table with a
    /// warning; `LicenseRef-` ids open only when the framework says so.
    #[default]
    Default,
    /// The Model Openness Tool's rule: the whole string must equal an open id exactly.
    MotCompat,
}

/// Something worth knowing about how a licence string was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum LicenseWarning {
    /// Free text (or an id in the wrong letter case) was read as an SPDX expression.
    Alias {
        /// The text as written.
        text: String,
        /// The SPDX expression it was read as.
        spdx: String,
    },
    /// Neither an SPDX expression nor a known name: read as a licence that is not open.
    Unrecognised {
        /// The text as written.
        text: String,
    },
    /// An open licence not meant for this kind of content (e.g. Apache-2.0 on weights).
    NotTypeAppropriate {
        /// The licence as read.
        license: String,
        /// The component's kind of content.
        content: ContentKind,
    },
    /// A deprecated SPDX id (e.g. `GPL-3.0` for `GPL-3.0-only`).
    Deprecated {
        /// The deprecated id.
        id: String,
    },
}

impl std::fmt::Display for LicenseWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LicenseWarning::Alias { text, spdx } => {
                write!(f, "licence `{text}` is not an SPDX id; read as `{spdx}`")
            }
            LicenseWarning::Unrecognised { text } => {
                write!(f, "licence `{text}` is not recognised; treated as not open")
            }
            LicenseWarning::NotTypeAppropriate { license, content } => write!(
                f,
                "licence `{license}` is open but not meant for {} content",
                content.as_str()
            ),
            LicenseWarning::Deprecated { id } => write!(f, "`{id}` is a deprecated SPDX id"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Assessment {
    /// The SPDX expression (default mode) or exact id (MOT mode) the text was read as; `None`
    /// when the text says there is no licence.
    pub(crate) license: Option<String>,
    pub(crate) open: bool,
    pub(crate) osi: bool,
    /// Open through licences meant for the content kind (only then is it "type-appropriate").
    pub(crate) type_appropriate: bool,
    pub(crate) warnings: Vec<LicenseWarning>,
}

/// Strings that mean "no licence" rather than naming one.
fn says_none(text: &str, mode: Mode) -> bool {
    match mode {
        // MOT: `unlicensed` or empty; `NONE` is how openseal stores MOT's `unlicensed`.
        Mode::MotCompat => text.is_empty() || text == "unlicensed" || text == "NONE",
        Mode::Default => {
            let t = text.trim();
            t.is_empty()
                || t.eq_ignore_ascii_case("unlicensed")
                || t == "NONE"
                || t == "NOASSERTION"
        }
    }
}

impl Licenses {
    /// Reads `text` as the licence of a component of kind `content`. `open_refs` are the
    /// `LicenseRef-` ids the framework in use accepts as open. Never fails: unreadable text is
    /// a licence that is not open, with a warning.
    pub(crate) fn assess(
        &self,
        text: &str,
        content: ContentKind,
        mode: Mode,
        open_refs: &[String],
    ) -> Assessment {
        if says_none(text, mode) {
            return Assessment::default();
        }
        match mode {
            Mode::MotCompat => self.assess_exact(text, content),
            Mode::Default => self.assess_expression(text, content, open_refs),
        }
    }

    /// `text` with each id of additions.toml, as a whole token, written as
    /// `LicenseRef-openseal-added-ID`; `None` when it names none.
    fn mark_additions(&self, text: &str) -> Option<String> {
        let mut out = String::with_capacity(text.len());
        let mut changed = false;
        let mut token = String::new();
        let mut flush = |token: &mut String, out: &mut String| {
            if self.db.addition_ids().any(|id| id == token) {
                out.push_str("LicenseRef-");
                out.push_str(ADDED_REF);
                changed = true;
            }
            out.push_str(token);
            token.clear();
        };
        for c in text.chars() {
            if c.is_whitespace() || c == '(' || c == ')' {
                flush(&mut token, &mut out);
                out.push(c);
            } else {
                token.push(c);
            }
        }
        flush(&mut token, &mut out);
        changed.then_some(out)
    }

    fn assess_exact(&self, id: &str, content: ContentKind) -> Assessment {
        let open = self.db.is_open(id);
        let type_appropriate = open && self.db.type_appropriate(id, content);
        let mut warnings = Vec::new();
        if open && !type_appropriate {
            warnings.push(LicenseWarning::NotTypeAppropriate {
                license: id.into(),
                content,
            });
        }
        Assessment {
            license: Some(id.into()),
            open,
            osi: self.db.is_osi(id),
            type_appropriate,
            warnings,
        }
    }

    fn id_open(&self, id: &str) -> bool {
        self.db.is_open(id)
            || spdx::license_id(id).is_some_and(|l| l.is_osi_approved() || l.is_fsf_free_libre())
    }

    fn id_osi(&self, id: &str) -> bool {
        self.db.is_osi(id) || spdx::license_id(id).is_some_and(|l| l.is_osi_approved())
    }

    fn assess_expression(
        &self,
        text: &str,
        content: ContentKind,
        open_refs: &[String],
    ) -> Assessment {
        let text = text.trim();
        let mut warnings = Vec::new();
        // Ids the `spdx` crate does not know yet (additions.toml) are parsed as LicenseRefs.
        let with_additions = self.mark_additions(text);
        let expr = match spdx_parse(with_additions.as_deref().unwrap_or(text)) {
            Ok(e) => e,
            Err(_) => {
                // An id of MOT's lists that SPDX does not have (e.g. `ODC-PDDL-1.0`).
                if self.db.contains(text) {
                    return self.assess_exact(text, content);
                }
                let mapped = self
                    .aliases
                    .get(text)
                    .or_else(|| spdx_id_ignoring_case(text));
                match mapped.and_then(|m| spdx_parse(m).ok().map(|e| (m, e))) {
                    Some((m, e)) => {
                        warnings.push(LicenseWarning::Alias {
                            text: text.into(),
                            spdx: m.into(),
                        });
                        e
                    }
                    None => {
                        return Assessment {
                            license: Some(text.into()),
                            warnings: vec![LicenseWarning::Unrecognised { text: text.into() }],
                            ..Assessment::default()
                        };
                    }
                }
            }
        };
        for r in expr.requirements() {
            if let spdx::LicenseItem::Spdx { id, .. } = r.req.license
                && id.is_deprecated()
            {
                warnings.push(LicenseWarning::Deprecated { id: id.name.into() });
            }
        }
        let added = |r: &spdx::LicenseRef| {
            r.lic_ref
                .strip_prefix(ADDED_REF)
                .and_then(|id| self.db.addition(id))
        };
        // An exception (WITH) only adds permissions, so it does not change openness.
        let open_req = |req: &spdx::LicenseReq| match &req.license {
            spdx::LicenseItem::Spdx { id, .. } => self.id_open(id.name),
            spdx::LicenseItem::Other(r) => match added(r) {
                Some(a) => a.open,
                None => {
                    r.doc_ref.is_none()
                        && open_refs
                            .iter()
                            .any(|o| *o == format!("LicenseRef-{}", r.lic_ref))
                }
            },
        };
        let open = expr.evaluate(open_req);
        let osi = expr.evaluate(|req| match &req.license {
            spdx::LicenseItem::Spdx { id, .. } => self.id_osi(id.name),
            spdx::LicenseItem::Other(r) => added(r).is_some_and(|a| a.osi),
        });
        // A framework-accepted LicenseRef has no known content type: it is taken as fitting.
        let type_appropriate = open
            && expr.evaluate(|req| {
                open_req(req)
                    && match &req.license {
                        spdx::LicenseItem::Spdx { id, .. } => {
                            self.db.type_appropriate(id.name, content)
                        }
                        spdx::LicenseItem::Other(r) => {
                            added(r).is_none_or(|a| a.content.contains(&content))
                        }
                    }
            });
        let license = expr
            .to_string()
            .replace(&format!("LicenseRef-{ADDED_REF}"), "");
        if open && !type_appropriate {
            warnings.push(LicenseWarning::NotTypeAppropriate {
                license: license.clone(),
                content,
            });
        }
        Assessment {
            license: Some(license),
            open,
            osi,
            type_appropriate,
            warnings,
        }
    }
}
