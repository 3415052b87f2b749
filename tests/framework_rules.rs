//! Each framework file's rules on small hand-built releases.

use openseal::classify::{Coverage, FrameworkResult, Missing, MissingReason, Rating, evaluate};
use openseal::framework::FrameworkSet;
use openseal::license::Mode;
use openseal::release::{ComponentRecord, DefaultLicenses, Release, Status};

fn comp(id: &str, status: Status, license: Option<&str>) -> ComponentRecord {
    ComponentRecord {
        id: id.into(),
        status,
        license: license.map(Into::into),
        files: Vec::new(),
        url: None,
        urls: Vec::new(),
        reason: None,
    }
}

fn release(distribution: Option<&str>, comps: Vec<ComponentRecord>) -> Release {
    Release {
        name: "test".into(),
        licenses: DefaultLicenses {
            distribution: distribution.map(Into::into),
            ..DefaultLicenses::default()
        },
        components: comps,
        ..Release::default()
    }
}

fn run(fw: &str, r: &Release) -> FrameworkResult {
    let set = FrameworkSet::embedded().unwrap();
    evaluate(set.get(fw).unwrap(), r, Mode::Default).unwrap()
}

fn missing(component: &str, reason: MissingReason) -> Missing {
    Missing {
        component: component.into(),
        reason,
        license: None,
        alternatives: Vec::new(),
    }
}

const CLASS_III: [&str; 6] = [
    "code.model-architecture",
    "weights.final",
    "docs.evaluation-results",
    "docs.model-card",
    "docs.data-card",
    "docs.research-paper",
];
const CLASS_II: [&str; 4] = [
    "code.training",
    "code.inference",
    "code.evaluation",
    "datasets.evaluation",
];

fn included(ids: &[&str]) -> Vec<ComponentRecord> {
    ids.iter()
        .map(|id| comp(id, Status::Included, None))
        .collect()
}

#[test]
fn mof_class_ii_missing_datasets_for_class_i() {
    let mut c = included(&CLASS_III);
    c.extend(included(&CLASS_II));
    c.extend(included(&[
        "code.data-preprocessing",
        "weights.intermediate",
    ]));
    let r = run("mof", &release(Some("Apache-2.0"), c));
    assert_eq!(r.level.as_deref(), Some("class-ii"));
    let next = r.next_level.unwrap();
    assert_eq!(next.id, "class-i");
    assert_eq!(
        next.missing,
        vec![missing("datasets.pre-training", MissingReason::Absent)]
    );
    // Apache-2.0 on weights is open but not a data licence: a warning, not a failure.
    let w = r
        .components
        .iter()
        .find(|c| c.id == "weights.final")
        .unwrap();
    assert!(w.open && !w.type_appropriate && !w.warnings.is_empty());
}

#[test]
fn mof_json_shape() {
    let r = run("mof", &release(Some("MIT"), included(&CLASS_III)));
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["framework"], "mof");
    assert_eq!(v["version"], "1.0");
    assert_eq!(v["level"], "class-iii");
    assert_eq!(v["next_level"]["id"], "class-ii");
    let none = serde_json::to_value(run("mof", &Release::default())).unwrap();
    assert!(none["level"].is_null());
}

#[test]
fn mof_reasons_for_missing_class_iii() {
    let mut c = vec![
        comp("code.model-architecture", Status::Included, Some("NONE")),
        comp(
            "weights.final",
            Status::Included,
            Some("LicenseRef-Llama-3-Community-License"),
        ),
        comp("docs.evaluation-results", Status::NotApplicable, None),
        ComponentRecord {
            reason: Some("contains personal data".into()),
            ..comp("docs.technical-report", Status::Withheld, None)
        },
    ];
    c.extend(included(&["docs.model-card", "docs.data-card"]));
    let r = run("mof", &release(Some("CC-BY-4.0"), c));
    assert_eq!(r.level, None);
    let next = r.next_level.unwrap();
    assert_eq!(next.id, "class-iii");
    let reasons: Vec<(&str, MissingReason)> = next
        .missing
        .iter()
        .map(|m| (m.component.as_str(), m.reason))
        .collect();
    assert_eq!(
        reasons,
        [
            ("code.model-architecture", MissingReason::NoLicense),
            ("weights.final", MissingReason::LicenseNotOpen),
            ("docs.evaluation-results", MissingReason::NotApplicable),
            ("docs.technical-report", MissingReason::Withheld),
            ("docs.research-paper", MissingReason::Absent),
        ]
    );
    assert_eq!(
        next.missing[1].license.as_deref(),
        Some("LicenseRef-Llama-3-Community-License")
    );
    assert_eq!(next.missing[3].alternatives, ["docs.research-paper"]);
}

#[test]
fn mof_technical_report_or_paper() {
    let mut c = included(&CLASS_III[..5]);
    c.push(comp("docs.technical-report", Status::Referenced, None));
    let r = run("mof", &release(Some("MIT"), c));
    assert_eq!(r.level.as_deref(), Some("class-iii"));
}

const OSAID: [&str; 9] = [
    "datasets.pre-training",
    "docs.data-card",
    "code.data-preprocessing",
    "code.training",
    "code.inference",
    "code.supporting-libraries",
    "code.model-architecture",
    "weights.final",
    "docs.research-paper",
];

#[test]
fn osaid_needs_osi_licences_on_code() {
    let r = release(Some("Apache-2.0"), included(&OSAID));
    assert_eq!(run("osaid", &r).level.as_deref(), Some("open-source-ai"));
    let mut r2 = r.clone();
    r2.components[3].license = Some("CC-BY-4.0".into());
    let res = run("osaid", &r2);
    assert_eq!(res.level, None);
    let m = &res.next_level.unwrap().missing;
    assert_eq!(m.len(), 1);
    assert_eq!(
        (m[0].component.as_str(), m[0].reason),
        ("code.training", MissingReason::LicenseWrongKind)
    );
    // Open data terms are enough for weights (OSI publishes no list of "OSI-approved terms").
    let mut r3 = r.clone();
    r3.components[7].license = Some("CDLA-Permissive-2.0".into());
    assert_eq!(run("osaid", &r3).level.as_deref(), Some("open-source-ai"));
}

#[test]
fn release_gradient_steps() {
    let closed = run("release-gradient", &Release::default());
    assert_eq!(closed.level.as_deref(), Some("fully-closed"));
    assert_eq!(closed.next_level.unwrap().id, "gradual-staged");

    let hosted = run(
        "release-gradient",
        &release(None, included(&["product.ui-api"])),
    );
    assert_eq!(hosted.level.as_deref(), Some("hosted"));
    let next = hosted.next_level.unwrap();
    assert_eq!(next.id, "cloud-api");
    assert_eq!(
        next.missing,
        vec![missing("product.output-settings", MissingReason::Absent)]
    );

    let llama = release(
        Some("LicenseRef-Llama-3-Community-License"),
        included(&["weights.final", "code.inference"]),
    );
    let down = run("release-gradient", &llama);
    assert_eq!(down.level.as_deref(), Some("downloadable"));
    let reasons: Vec<MissingReason> = down
        .next_level
        .unwrap()
        .missing
        .iter()
        .map(|m| m.reason)
        .collect();
    assert_eq!(
        reasons,
        [
            MissingReason::LicenseNotOpen,
            MissingReason::Absent,
            MissingReason::LicenseNotOpen,
            MissingReason::Absent
        ]
    );

    let open = release(
        Some("Apache-2.0"),
        included(&[
            "weights.final",
            "code.training",
            "code.inference",
            "datasets.pre-training",
        ]),
    );
    let r = run("release-gradient", &open);
    assert_eq!(r.level.as_deref(), Some("fully-open"));
    assert!(r.next_level.is_none());
}

fn rating(r: &FrameworkResult, id: &str) -> (Rating, String) {
    let c = r.criteria.iter().find(|c| c.id == id).unwrap();
    (c.rating, c.label.clone())
}

#[test]
fn opening_up_chatgpt_ratings() {
    let mut c = included(&[
        "code.training",
        "code.inference",
        "weights.final",
        "docs.model-card",
        "docs.research-paper",
    ]);
    c.push(comp(
        "datasets.pre-training",
        Status::Referenced,
        Some("LicenseRef-Web"),
    ));
    let mut r = release(Some("Apache-2.0"), c);
    let res = run("opening-up-chatgpt", &r);
    assert_eq!(res.criteria.len(), 14);
    assert_eq!(rating(&res, "open-code").0, Rating::Open);
    assert_eq!(rating(&res, "llm-data").0, Rating::Partial);
    assert_eq!(rating(&res, "llm-weights").0, Rating::Open);
    assert_eq!(rating(&res, "rl-data").0, Rating::Closed);
    assert_eq!(rating(&res, "license").0, Rating::Open);
    assert_eq!(rating(&res, "code-docs").0, Rating::Open);
    assert_eq!(rating(&res, "architecture").0, Rating::Partial);
    assert_eq!(rating(&res, "paper").0, Rating::Open);
    assert_eq!(rating(&res, "preprint").0, Rating::Closed);
    assert_eq!(rating(&res, "package").0, Rating::Open);
    assert_eq!(rating(&res, "api").0, Rating::Closed);
    // Referenced inference code is no package, only partial.
    r.components[1].status = Status::Referenced;
    assert_eq!(
        rating(&run("opening-up-chatgpt", &r), "package").0,
        Rating::Partial
    );
    // Weights under an open but not OSI-approved licence: the licence criterion is partial.
    r.components[2].license = Some("CC-BY-4.0".into());
    let res = run("opening-up-chatgpt", &r);
    assert_eq!(rating(&res, "license").0, Rating::Partial);
    let lic = res.criteria.iter().find(|c| c.id == "license").unwrap();
    assert_eq!(
        lic.missing_for_open[0].reason,
        MissingReason::LicenseWrongKind
    );
}

#[test]
fn dpga_gradient() {
    let r = release(
        Some("MIT"),
        vec![
            comp("code.training", Status::Included, None),
            comp("code.inference", Status::Included, None),
            comp(
                "weights.final",
                Status::Included,
                Some("LicenseRef-OpenRAIL-M"),
            ),
            comp("code.model-architecture", Status::Included, None),
        ],
    );
    let res = run("dpga", &r);
    assert_eq!(rating(&res, "code"), (Rating::Open, "Full openness".into()));
    assert_eq!(
        rating(&res, "model"),
        (Rating::Partial, "Ethical openness".into())
    );
    assert_eq!(rating(&res, "data"), (Rating::Closed, "No access".into()));
}

#[test]
fn stack_coverage() {
    let r = release(
        None,
        vec![
            ComponentRecord {
                reason: Some("licensed from a third party".into()),
                ..comp("datasets.pre-training", Status::Withheld, None)
            },
            comp("docs.research-paper", Status::Referenced, Some("CC-BY-4.0")),
            comp("weights.final", Status::Included, None),
            comp("datasets.preference", Status::NotApplicable, None),
        ],
    );
    let res = run("stack", &r);
    assert_eq!(res.level, None);
    let item = |id: &str| res.coverage.iter().find(|i| i.id == id).unwrap();
    assert_eq!(res.coverage.len(), 49);
    assert_eq!(item("pre-training-dataset").coverage, Coverage::Withheld);
    assert_eq!(
        item("pre-training-dataset").reasons,
        ["licensed from a third party"]
    );
    assert_eq!(item("publication").coverage, Coverage::Referenced);
    assert_eq!(item("preference-dataset").coverage, Coverage::NotApplicable);
    assert_eq!(item("telemetry").coverage, Coverage::Unknown);
    assert_eq!(item("reward-model").coverage, Coverage::Unknown);
    let w = item("weights-licenses");
    assert_eq!(
        (w.licensed, w.unlicensed.clone()),
        (Some(false), vec!["weights.final".to_string()])
    );
    assert_eq!(item("code-licenses").licensed, None);
}
