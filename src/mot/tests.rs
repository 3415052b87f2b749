use super::import::NO_LICENSE;
use super::*;
use crate::framework::Vocabulary;
use crate::license::Licenses;
use crate::release::{LicenseSource, Status};

const SAMPLE: &str = r#"framework:
  name: 'Model Openness Framework'
  version: '1.0'
  date: '2024-12-15'
release:
  name: 'My-model'
  version: ''
  date: '2024-06-13'
  license:
    distribution:
      name: Apache-2.0
      path: /path/to/LICENSE
    code:
      name: MIT
      path:
    data:
      name:
      path:
  producer: ''
  components:
    -
      name: 'Model architecture'
      license: unlicensed
    -
      name: 'Data preprocessing code'
      license: Apache-2.0
      component_path: /path/to/component
    -
      name: 'Training code'
    -
      name: 'Model parameters (Final)'
      license:
    -
      name: 'Research paper'
      license: 'arXiv.org perpetual non-exclusive license 1.0'
"#;

fn line_of_error(text: &str) -> (usize, String) {
    match from_mot_yaml("m.yml", text) {
        Err(MotError::Yaml { line, message, .. }) => (line, message),
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn imports_the_sample_with_mot_inheritance() {
    let r = from_mot_yaml("sample.yml", SAMPLE).unwrap();
    assert_eq!(r.name, "My-model");
    assert_eq!(r.producer, None);
    assert_eq!(r.licenses.distribution.as_deref(), Some("Apache-2.0"));
    assert_eq!(r.licenses.code.as_deref(), Some("MIT"));
    assert_eq!(r.licenses.data, None);
    assert_eq!(r.components.len(), 5);
    assert!(r.components.iter().all(|c| c.status == Status::Included));
    let arch = r.component("code.model-architecture").unwrap();
    assert_eq!(arch.license.as_deref(), Some(NO_LICENSE));
    assert_eq!(
        r.component("code.data-preprocessing")
            .unwrap()
            .url
            .as_deref(),
        Some("/path/to/component")
    );
    use crate::release::ContentKind::{Code, Data};
    assert_eq!(
        r.resolve_license("code.training", Code, false),
        Some(("MIT", LicenseSource::DefaultCode))
    );
    // Data default is empty: the weights inherit the distribution licence.
    assert_eq!(
        r.resolve_license("weights.final", Data, true),
        Some(("Apache-2.0", LicenseSource::Distribution))
    );
}

#[test]
fn unknown_component_name_names_its_line() {
    let text = SAMPLE.replace("'Training code'", "'Training kode'");
    let (line, message) = line_of_error(&text);
    assert_eq!(line, 29, "{message}");
    assert!(
        message.contains("unknown MOF component name `Training kode`"),
        "{message}"
    );
}

#[test]
fn schema_errors_name_their_line() {
    let (line, m) = line_of_error(&SAMPLE.replace("'My-model'", "''"));
    assert_eq!(line, 6, "{m}");
    let (line, m) = line_of_error(&SAMPLE.replace("'Model Openness Framework'", "'MOF'"));
    assert_eq!(line, 2, "{m}");
    let (_, m) = line_of_error(&SAMPLE.replace("  producer: ''\n", ""));
    assert!(m.contains("producer"), "{m}");
    let (_, m) = line_of_error(&SAMPLE.replace("'Research paper'", "'Training code'"));
    assert!(m.contains("listed twice"), "{m}");
    let (_, m) = line_of_error("just text");
    assert!(!m.is_empty());
}

#[test]
fn export_round_trips_what_mot_can_hold() {
    let r = from_mot_yaml("sample.yml", SAMPLE).unwrap();
    let out = to_mot_yaml(&r).unwrap();
    assert!(out.dropped.is_empty());
    assert!(out.yaml.contains("license: unlicensed"));
    let back = from_mot_yaml("out.yml", &out.yaml).unwrap();
    let mut a = r.components.clone();
    let mut b = back.components.clone();
    a.sort_by(|x, y| x.id.cmp(&y.id));
    b.sort_by(|x, y| x.id.cmp(&y.id));
    // MOT's `license:` (null) and an absent key both mean "inherit".
    assert_eq!(a, b);
    assert_eq!(r.licenses, back.licenses);
    assert_eq!(r.name, back.name);
}

#[test]
fn export_reports_what_mot_cannot_hold() {
    let mut r = from_mot_yaml("sample.yml", SAMPLE).unwrap();
    r.components[2].status = Status::Withheld;
    r.components.push(crate::release::ComponentRecord {
        id: "safeguards.policies".into(),
        status: Status::Included,
        license: None,
        files: Vec::new(),
        url: None,
        urls: Vec::new(),
        reason: None,
    });
    r.licenses.weights = Some("CDLA-Permissive-2.0".into());
    let out = to_mot_yaml(&r).unwrap();
    assert_eq!(out.dropped, ["code.training", "safeguards.policies"]);
    let back = from_mot_yaml("out.yml", &out.yaml).unwrap();
    assert!(back.component("code.training").is_none());
    // The weights default is written onto the weights component itself.
    assert_eq!(
        back.component("weights.final").unwrap().license.as_deref(),
        Some("CDLA-Permissive-2.0")
    );
}

#[test]
fn mot_classifier_on_the_sample() {
    let r = from_mot_yaml("sample.yml", SAMPLE).unwrap();
    let m = classify(
        &r,
        Vocabulary::embedded().unwrap(),
        Licenses::embedded().unwrap(),
    );
    assert_eq!(m.class, 0);
    // Class III: only the final parameters of 6 are open-included.
    assert!((m.progress[2] - 100.0 / 6.0).abs() < 1e-9);
}

proptest::proptest! {
    #[test]
    fn import_never_panics(text in "\\PC{0,300}") {
        let _ = from_mot_yaml("p.yml", &text);
    }

    #[test]
    fn mutated_sample_never_panics(cut in 0usize..SAMPLE.len(), insert in "[ :\\-'\\n\\[\\]{}a-z]{0,8}") {
        let mut s = SAMPLE.as_bytes()[..cut].to_vec();
        s.extend_from_slice(insert.as_bytes());
        s.extend_from_slice(&SAMPLE.as_bytes()[cut..]);
        if let Ok(s) = String::from_utf8(s)
            && let Ok(r) = from_mot_yaml("p.yml", &s)
        {
            let _ = to_mot_yaml(&r);
        }
    }
}
