//! Parsing and validating framework files: every id a file names must exist (components in
//! `formats/components.toml`, levels in the same file), ids are unique, levels are non-empty
//! and extend only lower levels, without cycles.

use std::collections::HashMap;
use std::path::Path;

use toml::Spanned;

use super::error::FrameworkError;
use super::raw::{
    RawClause, RawCriterion, RawFile, RawIndicator, RawItem, RawLevel, RawLicenseRule,
};
use super::schema::{
    Clause, Criterion, Framework, Indicator, Item, Kind, Level, LicenseNeed, LicenseRule,
    Quantifier, Requirement,
};
use super::vocabulary::Vocabulary;
use crate::lines::line_of;
use crate::release::Status;

/// Context for one file: its name and text (for line numbers) and the vocabulary.
struct Ctx<'a> {
    file: &'a str,
    text: &'a str,
    vocab: &'a Vocabulary,
}

impl Ctx<'_> {
    fn line<T>(&self, s: &Spanned<T>) -> usize {
        line_of(self.text, s.span().start)
    }

    fn component(&self, id: &Spanned<String>) -> Result<String, FrameworkError> {
        if self.vocab.get(id.get_ref()).is_none() {
            return Err(FrameworkError::UnknownComponent {
                file: self.file.into(),
                line: self.line(id),
                id: id.get_ref().clone(),
            });
        }
        Ok(id.get_ref().clone())
    }

    fn requirements(
        &self,
        ids: &[Spanned<String>],
        rule: LicenseRule,
        seen: &mut HashMap<String, usize>,
    ) -> Result<Vec<Requirement>, FrameworkError> {
        ids.iter()
            .map(|id| {
                let component = self.component(id)?;
                self.unique(id, seen)?;
                Ok(Requirement {
                    component,
                    license: rule,
                })
            })
            .collect()
    }

    /// Records `id` in `seen`, failing when it is already there.
    fn unique(
        &self,
        id: &Spanned<String>,
        seen: &mut HashMap<String, usize>,
    ) -> Result<(), FrameworkError> {
        if seen.insert(id.get_ref().clone(), self.line(id)).is_some() {
            return Err(FrameworkError::DuplicateId {
                file: self.file.into(),
                line: self.line(id),
                id: id.get_ref().clone(),
            });
        }
        Ok(())
    }

    fn invalid(&self, line: usize, message: impl Into<String>) -> FrameworkError {
        FrameworkError::Invalid {
            file: self.file.into(),
            line,
            message: message.into(),
        }
    }
}

fn rule(raw: Option<RawLicenseRule>, default: LicenseRule) -> LicenseRule {
    match raw {
        None => default,
        Some(RawLicenseRule::Uniform(n)) => LicenseRule::uniform(n),
        Some(RawLicenseRule::ByContent(b)) => LicenseRule {
            code: b.code,
            data: b.data,
            document: b.document,
        },
    }
}

impl Framework {
    /// Parses and validates one framework file; `file` is used in error messages only.
    pub fn parse(file: &str, text: &str, vocab: &Vocabulary) -> Result<Framework, FrameworkError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| FrameworkError::Syntax {
            file: file.into(),
            line: e.span().map(|s| line_of(text, s.start)).unwrap_or(0),
            message: e.message().trim().to_string(),
        })?;
        let cx = Ctx { file, text, vocab };
        let h = &raw.framework;
        let kind = *h.kind.get_ref();
        let kind_line = cx.line(&h.kind);
        // Levels and clauses default to "open": the frameworks are about open licences.
        let default_rule = rule(h.license, LicenseRule::uniform(LicenseNeed::Open));
        let present = [
            !raw.level.is_empty(),
            !raw.criterion.is_empty(),
            !raw.item.is_empty(),
            !raw.indicator.is_empty(),
        ];
        let (own, table) = match kind {
            Kind::Levels => (0, "[[level]]"),
            Kind::Criteria => (1, "[[criterion]]"),
            Kind::Coverage => (2, "[[item]]"),
            Kind::Indicators => (3, "[[indicator]]"),
        };
        let needs = present
            .iter()
            .enumerate()
            .all(|(i, has)| *has == (i == own));
        if !needs {
            return Err(cx.invalid(
                kind_line,
                format!("a framework of this kind has {table} tables and no others"),
            ));
        }
        for r in &h.open_license_refs {
            if !r.starts_with("LicenseRef-") {
                return Err(cx.invalid(
                    cx.line(&h.id),
                    format!("open_license_refs: `{r}` is not a LicenseRef- id"),
                ));
            }
        }
        let levels = levels(&cx, &raw.level, default_rule)?;
        let criteria = criteria(&cx, &raw.criterion, default_rule)?;
        let items = items(&cx, &raw.item)?;
        let indicators = indicators(&cx, &raw.indicator)?;
        Ok(Framework {
            id: h.id.get_ref().clone(),
            version: h.version.clone(),
            name: h.name.clone(),
            kind,
            description: h.description.clone(),
            source: h.source.clone(),
            open_license_refs: h.open_license_refs.clone(),
            levels,
            criteria,
            items,
            indicators,
        })
    }

    /// Reads and validates a framework file from disk.
    pub fn load(path: &Path, vocab: &Vocabulary) -> Result<Framework, FrameworkError> {
        let file = path.display().to_string();
        let text = crate::json::read_side_file(path)
            .and_then(|b| {
                String::from_utf8(b)
                    .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
            })
            .map_err(|e| FrameworkError::Io {
                file: file.clone(),
                message: e.to_string(),
            })?;
        Framework::parse(&file, &text, vocab)
    }
}

fn levels(
    cx: &Ctx,
    raw: &[Spanned<RawLevel>],
    default_rule: LicenseRule,
) -> Result<Vec<Level>, FrameworkError> {
    let mut ids: HashMap<String, usize> = HashMap::new();
    for l in raw {
        cx.unique(&l.get_ref().id, &mut ids)?;
    }
    let position: HashMap<&str, usize> = raw
        .iter()
        .enumerate()
        .map(|(i, l)| (l.get_ref().id.get_ref().as_str(), i))
        .collect();
    let mut out = Vec::new();
    for (i, sl) in raw.iter().enumerate() {
        let l = sl.get_ref();
        let r = rule(l.license, default_rule);
        let mut seen = HashMap::new();
        let requires = cx.requirements(&l.requires, r, &mut seen)?;
        let any_of = l
            .any_of
            .iter()
            .map(|g| {
                if g.len() < 2 {
                    let line = g.first().map(|s| cx.line(s)).unwrap_or(cx.line(&l.id));
                    return Err(cx.invalid(line, "an any_of group needs at least two components"));
                }
                cx.requirements(g, r, &mut seen)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let optional = cx.requirements(&l.optional, r, &mut seen)?;
        let mut extends = Vec::new();
        let mut ext_seen = HashMap::new();
        for e in &l.extends {
            cx.unique(e, &mut ext_seen)?;
            if !position.contains_key(e.get_ref().as_str()) {
                return Err(FrameworkError::UnknownLevel {
                    file: cx.file.into(),
                    line: cx.line(e),
                    level: e.get_ref().clone(),
                });
            }
            extends.push(e.get_ref().clone());
        }
        let has_own = !requires.is_empty() || !any_of.is_empty();
        if l.floor && (has_own || !extends.is_empty()) {
            return Err(FrameworkError::FloorWithRequirements {
                file: cx.file.into(),
                line: cx.line(&l.id),
                level: l.id.get_ref().clone(),
            });
        }
        if !l.floor && !has_own && extends.is_empty() {
            return Err(FrameworkError::EmptyLevel {
                file: cx.file.into(),
                line: cx.line(&l.id),
                level: l.id.get_ref().clone(),
            });
        }
        out.push((
            i,
            Level {
                id: l.id.get_ref().clone(),
                name: l.name.clone(),
                description: l.description.clone(),
                floor: l.floor,
                extends,
                requires,
                any_of,
                optional,
            },
        ));
    }
    check_cycles(cx, raw, &position)?;
    // Ordering: a level may only extend levels listed before it (lower ones).
    for (i, sl) in raw.iter().enumerate() {
        for e in &sl.get_ref().extends {
            if position.get(e.get_ref().as_str()).is_some_and(|&p| p >= i) {
                return Err(FrameworkError::ExtendsHigher {
                    file: cx.file.into(),
                    line: cx.line(e),
                    level: sl.get_ref().id.get_ref().clone(),
                    extends: e.get_ref().clone(),
                });
            }
        }
    }
    Ok(out.into_iter().map(|(_, l)| l).collect())
}

/// Depth-first search over `extends`; a back edge is a cycle, reported at the level that
/// closes it with the whole chain.
fn check_cycles(
    cx: &Ctx,
    raw: &[Spanned<RawLevel>],
    position: &HashMap<&str, usize>,
) -> Result<(), FrameworkError> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    fn visit(
        i: usize,
        cx: &Ctx,
        raw: &[Spanned<RawLevel>],
        position: &HashMap<&str, usize>,
        marks: &mut [Mark],
        stack: &mut Vec<usize>,
    ) -> Result<(), FrameworkError> {
        marks[i] = Mark::Active;
        stack.push(i);
        for e in &raw[i].get_ref().extends {
            let Some(&j) = position.get(e.get_ref().as_str()) else {
                continue;
            };
            match marks[j] {
                Mark::Active => {
                    let from = stack.iter().position(|&k| k == j).unwrap_or(0);
                    let mut chain: Vec<String> = stack[from..]
                        .iter()
                        .map(|&k| raw[k].get_ref().id.get_ref().clone())
                        .collect();
                    chain.push(e.get_ref().clone());
                    return Err(FrameworkError::Cycle {
                        file: cx.file.into(),
                        line: cx.line(e),
                        chain,
                    });
                }
                Mark::New => visit(j, cx, raw, position, marks, stack)?,
                Mark::Done => {}
            }
        }
        stack.pop();
        marks[i] = Mark::Done;
        Ok(())
    }
    let mut marks = vec![Mark::New; raw.len()];
    for i in 0..raw.len() {
        if marks[i] == Mark::New {
            visit(i, cx, raw, position, &mut marks, &mut Vec::new())?;
        }
    }
    Ok(())
}

const DEFAULT_STATUSES: [Status; 2] = [Status::Included, Status::Referenced];

fn clause(
    cx: &Ctx,
    c: &Spanned<RawClause>,
    default_rule: LicenseRule,
) -> Result<Clause, FrameworkError> {
    let raw = c.get_ref();
    let line = line_of(cx.text, c.span().start);
    let (quantifier, ids) = match (raw.all.is_empty(), raw.any.is_empty()) {
        (false, true) => (Quantifier::All, &raw.all),
        (true, false) => (Quantifier::Any, &raw.any),
        _ => return Err(cx.invalid(line, "a clause has exactly one of `all` or `any`")),
    };
    let statuses = raw
        .status
        .clone()
        .unwrap_or_else(|| DEFAULT_STATUSES.to_vec());
    if statuses.is_empty() {
        return Err(cx.invalid(line, "a clause's `status` list is empty"));
    }
    let mut seen = HashMap::new();
    Ok(Clause {
        quantifier,
        components: cx.requirements(ids, rule(raw.license, default_rule), &mut seen)?,
        statuses,
    })
}

fn criteria(
    cx: &Ctx,
    raw: &[Spanned<RawCriterion>],
    default_rule: LicenseRule,
) -> Result<Vec<Criterion>, FrameworkError> {
    let mut ids = HashMap::new();
    raw.iter()
        .map(|sc| {
            let c = sc.get_ref();
            cx.unique(&c.id, &mut ids)?;
            if c.open.is_empty() {
                return Err(cx.invalid(
                    cx.line(&c.id),
                    format!("criterion `{}` has no `open` rule", c.id.get_ref()),
                ));
            }
            Ok(Criterion {
                id: c.id.get_ref().clone(),
                name: c.name.clone(),
                group: c.group.clone(),
                description: c.description.clone(),
                open: c
                    .open
                    .iter()
                    .map(|cl| clause(cx, cl, default_rule))
                    .collect::<Result<_, _>>()?,
                partial: c
                    .partial
                    .iter()
                    .map(|cl| clause(cx, cl, default_rule))
                    .collect::<Result<_, _>>()?,
                labels: c.labels.clone().unwrap_or_default(),
            })
        })
        .collect()
}

fn items(cx: &Ctx, raw: &[Spanned<RawItem>]) -> Result<Vec<Item>, FrameworkError> {
    let mut ids = HashMap::new();
    raw.iter()
        .map(|si| {
            let i = si.get_ref();
            cx.unique(&i.id, &mut ids)?;
            if i.components.is_empty() {
                return Err(cx.invalid(
                    cx.line(&i.id),
                    format!("item `{}` maps to no component", i.id.get_ref()),
                ));
            }
            let mut seen = HashMap::new();
            let components = i
                .components
                .iter()
                .map(|c| {
                    cx.unique(c, &mut seen)?;
                    cx.component(c)
                })
                .collect::<Result<_, _>>()?;
            Ok(Item {
                id: i.id.get_ref().clone(),
                name: i.name.clone(),
                group: i.group.clone(),
                components,
                checks: i.checks,
            })
        })
        .collect()
}

fn indicators(cx: &Ctx, raw: &[Spanned<RawIndicator>]) -> Result<Vec<Indicator>, FrameworkError> {
    let mut ids = HashMap::new();
    raw.iter()
        .map(|si| {
            let i = si.get_ref();
            cx.unique(&i.id, &mut ids)?;
            let line = cx.line(&i.id);
            let id = i.id.get_ref();
            let not_observable = match (i.observable, &i.reason, i.evidence.is_empty()) {
                (Some(false), Some(reason), true) if !reason.trim().is_empty() => {
                    Some(reason.clone())
                }
                (Some(false), _, true) => {
                    return Err(cx.invalid(
                        line,
                        format!("indicator `{id}` is not observable but gives no reason"),
                    ));
                }
                (None | Some(true), None, false) => None,
                (Some(false), _, false) => {
                    return Err(cx.invalid(
                        line,
                        format!("indicator `{id}` is not observable yet lists evidence"),
                    ));
                }
                (_, Some(_), false) => {
                    return Err(cx.invalid(
                        line,
                        format!("indicator `{id}`: a reason is only for `observable = false`"),
                    ));
                }
                (None | Some(true), _, true) => {
                    return Err(cx.invalid(
                        line,
                        format!(
                            "indicator `{id}` has no evidence: list components, or set `observable = false` with a reason"
                        ),
                    ));
                }
            };
            let mut seen = HashMap::new();
            let evidence = i
                .evidence
                .iter()
                .map(|c| {
                    cx.unique(c, &mut seen)?;
                    cx.component(c)
                })
                .collect::<Result<_, _>>()?;
            Ok(Indicator {
                id: id.clone(),
                name: i.name.clone(),
                domain: i.domain.clone(),
                subdomain: i.subdomain.clone(),
                evidence,
                not_observable,
            })
        })
        .collect()
}
