//! The mapping from each format to a release record, and garbage that must give an error, never
//! a panic. The round trip through the binary (`openseal bom`, then `classify` of the BOM) is
//! `tests/bom_import.rs`.

use super::*;
use serde_json::{Value, json};

fn path() -> &'static Path {
    Path::new("test.json")
}

fn read_value(v: &Value) -> Result<Imported, BomImportError> {
    let bytes = serde_json::to_vec(v).unwrap();
    match sniff(&bytes) {
        Sniffed::Bom(kind) => from_bytes(path(), &bytes, kind),
        other => panic!("not sniffed as a BOM: {other:?}"),
    }
}

fn component<'a>(i: &'a Imported, id: &str) -> &'a ComponentRecord {
    i.release
        .components
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no {id} in {:?}", i.release.components))
}

fn has_note(i: &Imported, words: &str) -> bool {
    i.notes.iter().any(|n| n.contains(words))
}

/// A CycloneDX BOM as another tool writes it: a model with a licence and a distribution
/// reference, a data component it names, an inline evaluation dataset, files, a library.
fn foreign_cyclonedx() -> Value {
    json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {
            "tools": [{"vendor": "x", "name": "other-tool"}],
            "component": {
                "type": "machine-learning-model",
                "name": "tiny",
                "version": "2",
                "manufacturer": {"name": "Lab"},
                "licenses": [{"license": {"id": "Apache-2.0"}}, {"license": {"name": "Extra Terms"}}],
                "externalReferences": [{"type": "distribution", "url": "https://example.org/tiny"}],
                "modelCard": {"modelParameters": {"datasets": [
                    {"ref": "corpus"},
                    {"type": "dataset", "name": "held-out test", "contents": {"url": "https://example.org/test"}}
                ]}}
            }
        },
        "components": [
            {"type": "data", "bom-ref": "corpus", "name": "web corpus",
             "licenses": [{"expression": "ODC-By-1.0 OR CC-BY-4.0"}],
             "data": [{"type": "dataset", "contents": {"url": "https://example.org/corpus"}}]},
            {"type": "file", "name": "model.safetensors"},
            {"type": "file", "name": "src/train.py", "licenses": [{"license": {"id": "MIT"}}]},
            {"type": "file", "name": "LICENSE"},
            {"type": "file", "name": "mystery.xyz"},
            {"type": "library", "name": "torch"}
        ]
    })
}

#[test]
fn sniffing_tells_the_kinds_apart() {
    let s = |v: Value| sniff(&serde_json::to_vec(&v).unwrap());
    assert_eq!(
        s(json!({"bomFormat": "CycloneDX"})),
        Sniffed::Bom(BomKind::CycloneDx)
    );
    assert_eq!(s(json!({"bomFormat": "SPDX"})), Sniffed::OtherObject);
    assert_eq!(
        s(json!({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []})),
        Sniffed::Bom(BomKind::Spdx)
    );
    assert_eq!(
        s(
            json!({"@context": ["https://spdx.org/rdf/3.0.1/spdx-context.jsonld", {"x": "y"}], "@graph": []})
        ),
        Sniffed::Bom(BomKind::Spdx)
    );
    // An SPDX context without a graph, or a graph of another vocabulary, is no SPDX 3 document.
    assert_eq!(
        s(json!({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"})),
        Sniffed::OtherObject
    );
    assert_eq!(
        s(json!({"@context": "https://schema.org", "@graph": []})),
        Sniffed::OtherObject
    );
    assert_eq!(s(json!({"spdxVersion": "SPDX-2.3"})), Sniffed::Spdx2);
    assert_eq!(
        s(json!({"schema": "openseal.manifest/v1"})),
        Sniffed::Schema
    );
    assert_eq!(s(json!({"name": "x"})), Sniffed::OtherObject);
    assert_eq!(s(json!([1, 2])), Sniffed::NotAnObject);
    assert_eq!(sniff(b"{\"bomFormat\": \"Cyclone"), Sniffed::NotAnObject);
    assert_eq!(sniff(b""), Sniffed::NotAnObject);
}

#[test]
fn another_tools_cyclonedx_maps_by_paths_and_names_with_notes() {
    let i = read_value(&foreign_cyclonedx()).unwrap();
    assert_eq!(i.kind, BomKind::CycloneDx);
    assert!(!i.by_openseal);
    assert_eq!(i.release.name, "tiny");
    assert_eq!(i.release.version, "2");
    assert_eq!(i.release.producer.as_deref(), Some("Lab"));

    let weights = component(&i, "weights.final");
    assert_eq!(weights.status, Status::Included);
    assert_eq!(weights.files, vec!["model.safetensors"]);
    // Every licence a component lists applies; a name is kept as written.
    assert_eq!(
        weights.license.as_deref(),
        Some("Apache-2.0 AND (Extra Terms)")
    );
    let train = component(&i, "code.training");
    assert_eq!(train.license.as_deref(), Some("MIT"));

    let corpus = component(&i, "datasets.pre-training");
    assert_eq!(corpus.status, Status::Referenced);
    assert_eq!(corpus.url.as_deref(), Some("https://example.org/corpus"));
    assert_eq!(corpus.license.as_deref(), Some("ODC-By-1.0 OR CC-BY-4.0"));
    let test = component(&i, "datasets.evaluation");
    assert_eq!(test.url.as_deref(), Some("https://example.org/test"));
    assert_eq!(
        test.license, None,
        "datasets never take the model's licence"
    );

    // The model's licence is the default of weights, code and documents, not of data.
    let d = &i.release.licenses;
    assert_eq!(d.code, d.weights);
    assert_eq!(d.document, d.weights);
    assert!(d.code.is_some());
    assert_eq!(d.data, None);
    assert_eq!(d.distribution, None);

    assert_eq!(i.license_files, vec!["LICENSE"]);
    assert_eq!(i.unclassified, vec!["mystery.xyz"]);
    assert!(has_note(&i, "a guess"), "{:?}", i.notes);
    assert!(has_note(&i, "1 library"), "{:?}", i.notes);
    assert!(
        has_note(&i, "\"held-out test\" → datasets.evaluation"),
        "{:?}",
        i.notes
    );
}

#[test]
fn a_model_without_files_is_the_final_weights_referenced_where_it_is_published() {
    let mut v = foreign_cyclonedx();
    v["components"] = json!([]);
    let i = read_value(&v).unwrap();
    let w = component(&i, "weights.final");
    assert_eq!(w.status, Status::Referenced);
    assert_eq!(w.url.as_deref(), Some("https://example.org/tiny"));
    assert!(w.license.is_some());
    v["metadata"]["component"]
        .as_object_mut()
        .unwrap()
        .remove("externalReferences");
    let i = read_value(&v).unwrap();
    assert_eq!(component(&i, "weights.final").status, Status::Included);
    assert!(has_note(&i, "weights.final"), "{:?}", i.notes);
}

#[test]
fn the_model_may_be_in_components_and_nested_ones_are_read() {
    let v = json!({
        "bomFormat": "CycloneDX",
        "metadata": {"component": {"type": "application", "name": "service"}},
        "components": [
            {"type": "library", "name": "lib", "components": [
                {"type": "machine-learning-model", "name": "inner", "components": [
                    {"type": "file", "name": "weights/model.gguf"}
                ]}
            ]},
            {"type": "machine-learning-model", "name": "second"}
        ]
    });
    let i = read_value(&v).unwrap();
    assert_eq!(i.release.name, "inner");
    assert_eq!(
        component(&i, "weights.final").files,
        vec!["weights/model.gguf"]
    );
    assert!(has_note(&i, "of type application"), "{:?}", i.notes);
    assert!(has_note(&i, "one model per release"), "{:?}", i.notes);
}

#[test]
fn openseal_entries_are_read_as_written() {
    let v = json!({
        "bomFormat": "CycloneDX",
        "metadata": {
            "tools": {"components": [{"type": "application", "name": "openseal"}]},
            "component": {
                "type": "machine-learning-model",
                "name": "r",
                "licenses": [{"expression": "MIT"}],
                "properties": [
                    {"name": "openseal:component:code.training:status", "value": "withheld"},
                    {"name": "openseal:component:code.training:reason", "value": "private: for now"},
                    {"name": "openseal:component:docs.research-paper:status", "value": "referenced"},
                    {"name": "openseal:component:docs.research-paper:license", "value": "CC-BY-4.0"},
                    {"name": "openseal:component:docs.research-paper:url", "value": "https://arxiv.org/abs/1"},
                    {"name": "openseal:component:docs.research-paper:url", "value": "see the appendix"},
                    {"name": "openseal:component:README.md:status", "value": "included"},
                    {"name": "openseal:component:weights.bogus:status", "value": "included"},
                    {"name": "openseal:component:docs.data-card:status", "value": "lost"}
                ]
            }
        },
        "components": [
            {"type": "file", "name": "model.safetensors", "licenses": [{"expression": "MIT"}],
             "properties": [{"name": "openseal:component", "value": "weights.final"}]},
            {"type": "file", "name": "shared.md", "licenses": [{"expression": "CC-BY-4.0"}],
             "properties": [
                 {"name": "openseal:component", "value": "docs.model-card"},
                 {"name": "openseal:component", "value": "docs.evaluation-results"}]},
            {"type": "file", "name": "train.py"},
            {"type": "file", "name": "COPYING", "properties": [{"name": "openseal:role", "value": "license-text"}]},
            {"type": "file", "name": "openseal.toml", "properties": [{"name": "openseal:role", "value": "descriptor"}]},
            {"type": "data", "name": "Pre-training datasets", "licenses": [{"expression": "CC0-1.0"}],
             "externalReferences": [{"type": "distribution", "url": "https://example.org/d"}],
             "properties": [
                 {"name": "openseal:component", "value": "datasets.pre-training"},
                 {"name": "openseal:status", "value": "referenced"}]}
        ]
    });
    let i = read_value(&v).unwrap();
    assert!(i.by_openseal);
    // No guess from paths in openseal's own BOM: a file without components is unclassified.
    assert_eq!(i.unclassified, vec!["train.py"]);
    assert_eq!(i.license_files, vec!["COPYING"]);
    assert_eq!(i.release.licenses, DefaultLicenses::default());
    let training = component(&i, "code.training");
    assert_eq!(training.status, Status::Withheld);
    assert_eq!(training.reason.as_deref(), Some("private: for now"));
    let paper = component(&i, "docs.research-paper");
    assert_eq!(paper.status, Status::Referenced);
    assert_eq!(paper.license.as_deref(), Some("CC-BY-4.0"));
    assert_eq!(paper.url.as_deref(), Some("https://arxiv.org/abs/1"));
    assert_eq!(paper.urls, vec!["see the appendix"]);
    assert_eq!(
        component(&i, "docs.evaluation-results").files,
        vec!["shared.md"]
    );
    let data = component(&i, "datasets.pre-training");
    assert_eq!(data.status, Status::Referenced);
    assert_eq!(data.license.as_deref(), Some("CC0-1.0"));
    assert!(
        i.release
            .components
            .iter()
            .all(|c| c.id != "weights.bogus" && c.id != "docs.data-card")
    );
    assert!(has_note(&i, "weights.bogus"), "{:?}", i.notes);
    assert!(has_note(
        &i,
        "docs.data-card: its openseal:component entries"
    ));
    assert!(!has_note(&i, "a guess"), "{:?}", i.notes);
}

/// An SPDX 3 document as another tool writes it, types compact and as IRIs, one reference
/// inline.
fn foreign_spdx() -> Value {
    let b = "https://example.org/doc";
    json!({
        "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
        "@graph": [
            {"type": "CreationInfo", "@id": "_:c", "createdBy": [format!("{b}#p")]},
            {"type": "Person", "spdxId": format!("{b}#p"), "name": "Ada"},
            {"type": "SpdxDocument", "spdxId": b, "rootElement": [format!("{b}#model")]},
            {"type": "ai_AIPackage", "spdxId": format!("{b}#other"), "name": "not the root"},
            {"type": "https://spdx.org/rdf/3.0.1/terms/AI/AIPackage", "spdxId": format!("{b}#model"),
             "name": "summarizer", "software_packageVersion": "1.0",
             "software_downloadLocation": "NOASSERTION",
             "suppliedBy": {"type": "Organization", "spdxId": format!("{b}#org"), "name": "Org"}},
            {"type": "software_File", "spdxId": format!("{b}#f1"), "name": "model.safetensors"},
            {"type": "software_File", "spdxId": format!("{b}#f2"), "name": "data/train.jsonl"},
            {"type": "software_File", "spdxId": format!("{b}#f3"), "name": "README.md"},
            {"type": "dataset_DatasetPackage", "spdxId": format!("{b}#d1"), "name": "news",
             "software_downloadLocation": "https://example.org/news"},
            {"type": "dataset_DatasetPackage", "spdxId": format!("{b}#d2"), "name": "bench",
             "software_downloadLocation": "NOASSERTION"},
            {"type": "simplelicensing_LicenseExpression", "spdxId": format!("{b}#l1"),
             "simplelicensing_licenseExpression": "Apache-2.0"},
            {"type": "simplelicensing_LicenseExpression", "spdxId": format!("{b}#l2"),
             "simplelicensing_licenseExpression": "CC-BY-4.0"},
            {"type": "Relationship", "from": format!("{b}#model"), "relationshipType": "hasConcludedLicense", "to": [format!("{b}#l2")]},
            {"type": "Relationship", "from": format!("{b}#model"), "relationshipType": "hasDeclaredLicense", "to": [format!("{b}#l1")]},
            {"type": "Relationship", "from": format!("{b}#model"), "relationshipType": "contains", "to": [format!("{b}#f1"), format!("{b}#f3")]},
            {"type": "Relationship", "from": format!("{b}#model"), "relationshipType": "trainedOn", "to": [format!("{b}#d1")]},
            {"type": "LifecycleScopedRelationship", "from": format!("{b}#model"),
             "relationshipType": "https://spdx.org/rdf/3.0.1/terms/Core/RelationshipType/testedOn", "to": [format!("{b}#d2")]},
            {"type": "Relationship", "from": format!("{b}#d1"), "relationshipType": "hasDataFile", "to": [format!("{b}#f2")]},
            {"type": "Relationship", "from": format!("{b}#d1"), "relationshipType": "hasConcludedLicense", "to": ["https://spdx.org/licenses/CC0-1.0"]},
            {"type": "Relationship", "from": format!("{b}#d2"), "relationshipType": "hasDeclaredLicense", "to": [format!("{b}#l2")]},
            {"type": "software_Package", "spdxId": format!("{b}#lib"), "name": "transformers"}
        ]
    })
}

#[test]
fn another_tools_spdx_maps_relationships() {
    let i = read_value(&foreign_spdx()).unwrap();
    assert_eq!(i.kind, BomKind::Spdx);
    assert_eq!(i.release.name, "summarizer");
    assert_eq!(i.release.version, "1.0");
    assert_eq!(i.release.producer.as_deref(), Some("Org"));
    let w = component(&i, "weights.final");
    assert_eq!(w.files, vec!["model.safetensors"]);
    // Declared wins over concluded.
    assert_eq!(w.license.as_deref(), Some("Apache-2.0"));
    assert_eq!(component(&i, "docs.model-card").files, vec!["README.md"]);
    // trainedOn: pre-training, included with its data file, licence by its IRI.
    let news = component(&i, "datasets.pre-training");
    assert_eq!(news.status, Status::Included);
    assert_eq!(news.files, vec!["data/train.jsonl"]);
    assert_eq!(news.url.as_deref(), Some("https://example.org/news"));
    assert_eq!(news.license.as_deref(), Some("CC0-1.0"));
    // testedOn (an IRI relationship type): evaluation, referenced, no place given.
    let bench = component(&i, "datasets.evaluation");
    assert_eq!(bench.status, Status::Referenced);
    assert_eq!(bench.url, None);
    assert_eq!(bench.license.as_deref(), Some("CC-BY-4.0"));
    assert!(
        has_note(&i, "datasets.evaluation: referenced, but"),
        "{:?}",
        i.notes
    );
    assert!(has_note(&i, "not the root"), "{:?}", i.notes);
    assert!(has_note(&i, "1 software_Package"), "{:?}", i.notes);
}

#[test]
fn openseal_spdx_comments_and_annotations_are_read_as_written() {
    let b = "urn:uuid:x";
    let v = json!({
        "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
        "@graph": [
            {"type": "CreationInfo", "@id": "_:c", "createdBy": [format!("{b}#openseal")]},
            {"type": "SoftwareAgent", "spdxId": format!("{b}#openseal"), "name": "openseal 0.1.0"},
            {"type": "ai_AIPackage", "spdxId": format!("{b}#model"), "name": "m"},
            {"type": "software_File", "spdxId": format!("{b}#f"), "name": "weights.bin",
             "comment": "openseal components: weights.final, weights.compressed"},
            {"type": "software_File", "spdxId": format!("{b}#t"), "name": "TERMS",
             "comment": "openseal role: license-text"},
            {"type": "simplelicensing_LicenseExpression", "spdxId": format!("{b}#l"),
             "simplelicensing_licenseExpression": "LicenseRef-openseal-The-Llama-licence",
             "comment": "the licence as the release writes it: The Llama licence"},
            {"type": "Relationship", "from": format!("{b}#f"), "relationshipType": "hasDeclaredLicense", "to": [format!("{b}#l")]},
            {"type": "dataset_DatasetPackage", "spdxId": format!("{b}#d"), "name": "Evaluation datasets",
             "comment": "openseal component datasets.evaluation, referenced by the release",
             "software_downloadLocation": "https://example.org/eval"},
            {"type": "Annotation", "subject": format!("{b}#model"),
             "statement": "openseal:component:safeguards.policies:status=not-applicable"},
            {"type": "Annotation", "subject": format!("{b}#model"),
             "statement": "openseal:component:safeguards.policies:reason=a=b: c"},
            {"type": "Annotation", "subject": format!("{b}#elsewhere"),
             "statement": "openseal:component:code.training:status=included"}
        ]
    });
    let i = read_value(&v).unwrap();
    assert!(i.by_openseal);
    let w = component(&i, "weights.compressed");
    assert_eq!(w.files, vec!["weights.bin"]);
    assert_eq!(w.license.as_deref(), Some("The Llama licence"));
    assert_eq!(i.license_files, vec!["TERMS"]);
    let eval = component(&i, "datasets.evaluation");
    assert_eq!(eval.status, Status::Referenced);
    assert_eq!(eval.license, None);
    let p = component(&i, "safeguards.policies");
    assert_eq!(p.status, Status::NotApplicable);
    assert_eq!(p.reason.as_deref(), Some("a=b: c"));
    // Only annotations on the model count.
    assert!(i.release.components.iter().all(|c| c.id != "code.training"));
}

#[test]
fn documents_without_a_model_are_refused_by_name() {
    let e = read_value(&json!({
        "bomFormat": "CycloneDX",
        "metadata": {"component": {"type": "application", "name": "app"}},
        "components": [{"type": "library", "name": "lib"}]
    }))
    .unwrap_err();
    assert!(matches!(e, BomImportError::NoModelComponent { .. }), "{e}");
    assert!(e.to_string().contains("machine-learning-model"), "{e}");
    let e = read_value(&json!({
        "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
        "@graph": [{"type": "software_Package", "spdxId": "x", "name": "p"}]
    }))
    .unwrap_err();
    assert!(matches!(e, BomImportError::NoAiPackage { .. }), "{e}");
    assert!(e.to_string().contains("ai_AIPackage"), "{e}");
}

#[test]
fn wrong_types_are_errors_with_a_place() {
    let e =
        read_value(&json!({"bomFormat": "CycloneDX", "components": {"type": "file"}})).unwrap_err();
    let text = e.to_string();
    assert!(matches!(e, BomImportError::Json { line: 1, .. }), "{text}");
    assert!(text.starts_with("test.json:1:"), "{text}");
    assert!(text.contains("CycloneDX BOM cannot be read"), "{text}");
    let e = read_value(&json!({"@context": "https://spdx.org/x", "@graph": [{"name": 7}]}))
        .unwrap_err();
    assert!(
        e.to_string().contains("SPDX 3 document cannot be read"),
        "{e}"
    );
}

#[test]
fn names_fall_back_to_the_file() {
    let i = read_value(&json!({
        "bomFormat": "CycloneDX",
        "metadata": {"component": {"type": "machine-learning-model"}}
    }))
    .unwrap();
    assert_eq!(i.release.name, "test");
    assert!(has_note(&i, "no name"), "{:?}", i.notes);
}

/// Every value of a document replaced by values of every other JSON type, one at a time.
fn mutations(doc: &Value) -> Vec<Value> {
    fn paths(v: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(at.clone());
        match v {
            Value::Object(o) => {
                for (k, x) in o {
                    at.push(k.clone());
                    paths(x, at, out);
                    at.pop();
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    at.push(i.to_string());
                    paths(x, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }
    let mut all = Vec::new();
    paths(doc, &mut Vec::new(), &mut all);
    let replacements = [
        Value::Null,
        json!(true),
        json!(-1),
        json!(1.5),
        json!(""),
        json!("openseal:component:x:y"),
        json!([]),
        json!([null]),
        json!({}),
    ];
    let mut out = Vec::new();
    for p in all.iter().filter(|p| !p.is_empty()) {
        for r in &replacements {
            let mut d = doc.clone();
            let pointer = format!("/{}", p.join("/"));
            if let Some(slot) = d.pointer_mut(&pointer) {
                *slot = r.clone();
                out.push(d);
            }
        }
    }
    out
}

#[test]
fn garbage_never_panics() {
    let docs = [foreign_cyclonedx(), foreign_spdx()];
    for (kind, doc) in [BomKind::CycloneDx, BomKind::Spdx].into_iter().zip(&docs) {
        let bytes = serde_json::to_vec(doc).unwrap();
        // Every truncation.
        for n in 0..bytes.len() {
            let _ = sniff(&bytes[..n]);
            let _ = from_bytes(path(), &bytes[..n], kind);
        }
        // Every value of the wrong type (or an odd one of the right type).
        for m in mutations(doc) {
            let b = serde_json::to_vec(&m).unwrap();
            let _ = sniff(&b);
            let _ = from_bytes(path(), &b, kind);
        }
        // Bytes that are no JSON at all.
        for junk in [
            &b"\xff\xfe\x00"[..],
            b"nul",
            b"{\"@graph\":[",
            b"[[[[[[[[[[",
        ] {
            assert!(from_bytes(path(), junk, kind).is_err());
        }
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 100_000;
    let mut text = String::from(r#"{"bomFormat":"CycloneDX","components":"#);
    for _ in 0..depth {
        text.push_str(r#"[{"type":"library","components":"#);
    }
    text.push_str("[]");
    for _ in 0..depth {
        text.push_str("}]");
    }
    text.push('}');
    // The sniffer skips what it does not read without recursing.
    assert_eq!(sniff(text.as_bytes()), Sniffed::Bom(BomKind::CycloneDx));
    let e = from_bytes(path(), text.as_bytes(), BomKind::CycloneDx).unwrap_err();
    assert!(e.to_string().contains("recursion limit"), "{e}");
    // The same in an SPDX element's field that is read as any JSON value.
    let mut text = String::from(r#"{"@context":"https://spdx.org/x","@graph":[{"type":"#);
    text.push_str(&"[".repeat(depth));
    text.push_str(&"]".repeat(depth));
    text.push_str("}]}");
    assert_eq!(sniff(text.as_bytes()), Sniffed::Bom(BomKind::Spdx));
    let e = from_bytes(path(), text.as_bytes(), BomKind::Spdx).unwrap_err();
    assert!(e.to_string().contains("recursion limit"), "{e}");
}

#[test]
fn huge_lists_read_in_linear_time() {
    // 100 000 files in one component, 10 000 datasets landing on one id, each with its own
    // licence and place: quadratic bookkeeping would take minutes here.
    let files: Vec<Value> = (0..100_000)
        .map(|i| json!({"type": "file", "name": format!("src/m{i}.py"), "licenses": [{"expression": format!("LicenseRef-f{}", i % 1000)}]}))
        .collect();
    let data: Vec<Value> = (0..10_000)
        .map(|i| json!({"type": "data", "name": format!("corpus {i}"), "licenses": [{"expression": format!("LicenseRef-d{i}")}],
                         "data": [{"type": "dataset", "contents": {"url": format!("https://example.org/{i}")}}]}))
        .collect();
    let mut components = files;
    components.extend(data);
    let v = json!({
        "bomFormat": "CycloneDX",
        "metadata": {"component": {"type": "machine-learning-model", "name": "big"}},
        "components": components
    });
    let start = std::time::Instant::now();
    let i = read_value(&v).unwrap();
    let code = component(&i, "code.supporting-libraries");
    assert_eq!(code.files.len(), 100_000);
    assert_eq!(
        code.license.as_deref().unwrap().matches(" AND ").count(),
        999
    );
    let data = component(&i, "datasets.pre-training");
    assert_eq!(data.urls.len() + 1, 10_000);
    assert!(i.notes.iter().all(|n| n.len() < 2_000), "notes stay short");
    assert!(
        start.elapsed() < std::time::Duration::from_secs(60),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn licences_that_all_apply_join_with_and() {
    assert_eq!(all_of(vec![]), None);
    assert_eq!(
        all_of(vec![" MIT ".into(), "MIT".into()]).as_deref(),
        Some("MIT")
    );
    assert_eq!(
        all_of(vec!["MIT".into(), "CC-BY-4.0 OR CC0-1.0".into(), "".into()]).as_deref(),
        Some("MIT AND (CC-BY-4.0 OR CC0-1.0)")
    );
}

#[test]
fn reading_a_file_caps_its_size_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bom.json");
    std::fs::write(&p, serde_json::to_vec(&foreign_cyclonedx()).unwrap()).unwrap();
    assert_eq!(read(&p).unwrap().release.name, "tiny");
    std::fs::write(&p, br#"{"name": "x"}"#).unwrap();
    let e = read(&p).unwrap_err().to_string();
    assert!(e.contains("bom.json: not a bill of materials"), "{e}");
    std::fs::write(&p, br#"{"spdxVersion": "SPDX-2.3"}"#).unwrap();
    assert!(read(&p).unwrap_err().to_string().contains("SPDX 2"));
    let big = std::fs::File::create(&p).unwrap();
    big.set_len(MAX_SIDE_FILE + 1).unwrap();
    assert!(matches!(
        read(&p),
        Err(BomImportError::TooLarge { size, .. }) if size == MAX_SIDE_FILE + 1
    ));
    let e = read(&dir.path().join("missing.json"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("missing.json: cannot read"), "{e}");
}
