use super::assess::Assessment;
use super::*;
use crate::release::ContentKind::{Code, Data, Document};

fn lic() -> &'static Licenses {
    Licenses::embedded().unwrap()
}

fn default(text: &str) -> Assessment {
    lic().assess(text, Code, Mode::Default, &[])
}

fn alias(text: &str, spdx: &str) -> LicenseWarning {
    LicenseWarning::Alias {
        text: text.into(),
        spdx: spdx.into(),
    }
}

#[test]
fn mot_database_has_225_open_ids() {
    assert_eq!(lic().db.open_count(), 225);
    assert!(!lic().aliases.is_empty());
}

#[test]
fn single_ids() {
    let a = default("MIT");
    assert!(a.open && a.osi && a.type_appropriate && a.warnings.is_empty());
    assert_eq!(a.license.as_deref(), Some("MIT"));
    let nc = default("CC-BY-NC-4.0");
    assert!(!nc.open && !nc.osi);
    let mdw = default("OpenMDW-1.0");
    assert!(mdw.open && !mdw.osi);
}

#[test]
fn or_is_open_when_one_side_is() {
    assert!(default("MIT OR LicenseRef-Custom").open);
    assert!(default("LicenseRef-Custom OR CC-BY-NC-4.0").open.eq(&false));
}

#[test]
fn and_is_open_only_when_all_are() {
    assert!(default("MIT AND Apache-2.0").open);
    assert!(!default("MIT AND LicenseRef-Custom").open);
    assert!(!default("MIT AND CC-BY-NC-4.0").open);
}

#[test]
fn with_exception_keeps_the_licence_open() {
    let a = default("GPL-2.0-only WITH Classpath-exception-2.0");
    assert!(a.open && a.osi);
}

#[test]
fn license_ref_is_open_only_when_the_framework_says_so() {
    assert!(!default("LicenseRef-Acme-Open").open);
    let refs = vec!["LicenseRef-Acme-Open".to_string()];
    let a = lic().assess("LicenseRef-Acme-Open", Code, Mode::Default, &refs);
    assert!(a.open && !a.osi && a.type_appropriate);
}

#[test]
fn free_text_maps_with_a_warning() {
    for (text, spdx, open) in [
        ("Apache 2.0", "Apache-2.0", true),
        ("MIT License", "MIT", true),
        ("  mit   license ", "MIT", true),
        ("apache-2.0", "Apache-2.0", true),
        ("cc-by-4.0", "CC-BY-4.0", true),
        ("BSD-3", "BSD-3-Clause", true),
        ("llama3", "LicenseRef-Llama-3-Community-License", false),
        ("Gemma Terms of Use", "LicenseRef-Gemma-Terms-of-Use", false),
    ] {
        let a = lic().assess(text, Document, Mode::Default, &[]);
        assert_eq!(a.open, open, "{text}");
        assert_eq!(a.license.as_deref(), Some(spdx), "{text}");
        assert!(
            a.warnings.contains(&alias(text.trim(), spdx)),
            "{text}: {:?}",
            a.warnings
        );
    }
}

#[test]
fn unknown_text_is_not_open_and_warned() {
    let a = default("Proprietary");
    assert!(!a.open);
    assert_eq!(
        a.warnings,
        vec![LicenseWarning::Unrecognised {
            text: "Proprietary".into()
        }]
    );
}

#[test]
fn none_means_no_licence() {
    for t in ["", "NONE", "unlicensed", "NOASSERTION"] {
        assert_eq!(default(t), Assessment::default(), "{t:?}");
    }
    for t in ["", "NONE", "unlicensed"] {
        assert_eq!(
            lic().assess(t, Code, Mode::MotCompat, &[]),
            Assessment::default()
        );
    }
}

#[test]
fn deprecated_ids_are_read_with_a_warning() {
    let a = default("GPL-3.0");
    assert!(a.open);
    assert!(a.warnings.contains(&LicenseWarning::Deprecated {
        id: "GPL-3.0".into()
    }));
}

#[test]
fn type_mismatch_is_a_warning() {
    let a = lic().assess("Apache-2.0", Data, Mode::Default, &[]);
    assert!(a.open && !a.type_appropriate);
    assert!(matches!(
        a.warnings[..],
        [LicenseWarning::NotTypeAppropriate { content: Data, .. }]
    ));
    assert!(
        lic()
            .assess("CDLA-Permissive-2.0", Data, Mode::Default, &[])
            .type_appropriate
    );
}

#[test]
fn mot_mode_matches_exact_strings_only() {
    let mot = |t: &str, k| lic().assess(t, k, Mode::MotCompat, &[]);
    assert!(!mot("Apache 2.0", Code).open);
    assert!(mot("Apache 2.0", Code).warnings.is_empty());
    assert!(!mot("apache-2.0", Code).open);
    assert!(!mot("MIT OR Apache-2.0", Code).open);
    assert!(mot("Apache-2.0", Code).open);
    // MOT quirks: CC0-1.0's second entry makes it a document licence only; PDDL-1.0 is typed
    // but not open (MOT's open-data list spells it ODC-PDDL-1.0).
    let cc0 = mot("CC0-1.0", Data);
    assert!(cc0.open && !cc0.type_appropriate && cc0.warnings.len() == 1);
    assert!(!mot("PDDL-1.0", Data).open);
    assert!(mot("ODC-PDDL-1.0", Data).open);
    assert!(!mot("Undisclosed", Data).open);
}

#[test]
fn openmdw_1_1_stands_with_openmdw_1_0_in_the_default_mode_only() {
    for kind in [Code, Data, Document] {
        for id in ["OpenMDW-1.0", "OpenMDW-1.1"] {
            let a = lic().assess(id, kind, Mode::Default, &[]);
            assert!(a.open && !a.osi && a.type_appropriate, "{id} {kind:?}");
            assert!(a.warnings.is_empty(), "{id}: {:?}", a.warnings);
            assert_eq!(a.license.as_deref(), Some(id));
        }
    }
    // Inside expressions, shown as written.
    let or = default("OpenMDW-1.1 OR MIT");
    assert!(or.open);
    assert_eq!(or.license.as_deref(), Some("OpenMDW-1.1 OR MIT"));
    assert!(default("(OpenMDW-1.1 AND CC-BY-4.0)").open);
    assert!(!default("OpenMDW-1.1 AND LicenseRef-Custom").open);
    // A token that only contains the id is not it.
    assert!(!default("LicenseRef-OpenMDW-1.1-draft").open);
    // MOT does not list 1.1: --mot-compat judges as MOT does.
    assert!(!lic().assess("OpenMDW-1.1", Code, Mode::MotCompat, &[]).open);
    assert!(lic().assess("OpenMDW-1.0", Code, Mode::MotCompat, &[]).open);
}

/// Every id of MOT's licence lists, judged alone in both modes: the only ones where the modes
/// differ are those formats/README.md lists (SPDX now flags them OSI-approved or FSF-libre,
/// MOT's copy of the list does not).
#[test]
fn default_mode_agrees_with_mot_on_its_own_ids_but_for_the_listed_ones() {
    let mut differ: Vec<String> = lic()
        .db
        .mot_ids()
        .filter(|id| {
            let d = lic().assess(id, Code, Mode::Default, &[]).open;
            let m = lic().assess(id, Code, Mode::MotCompat, &[]).open;
            d != m
        })
        .map(str::to_string)
        .collect();
    differ.sort();
    assert_eq!(
        differ, DEFAULT_ONLY_OPEN,
        "update formats/README.md and this list"
    );
}

/// MOT ids that only the default mode counts as open (see formats/README.md, "Licences").
const DEFAULT_ONLY_OPEN: &[&str] = &[
    "BSD-3-Clause-Open-MPI",
    "CDDL-1.1",
    "CNRI-Python-GPL-Compatible",
    "Python-2.0.1",
    "W3C-20150513",
    "curl",
];
