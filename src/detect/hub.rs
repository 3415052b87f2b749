//! A descriptor for a Hub repository read from the local cache. Its files stay on the Hub, so
//! every component found in the snapshot becomes *referenced*, by a URL pinned to the commit.

use super::Detected;
use crate::release::Status;

/// `detected` (a cache snapshot's detection) with each included component referenced at
/// `base` (`https://huggingface.co/ORG/NAME`) as of `commit`: one file by its `blob/` URL,
/// several by the commit's `tree/` URL. Licence texts and unplaced files, which cannot be named
/// by a descriptor outside the snapshot, are listed in the notes.
pub fn referenced_on_hub(mut detected: Detected, base: &str, commit: &str) -> Detected {
    for c in &mut detected.release.components {
        if c.status != Status::Included {
            continue;
        }
        let url = match c.files.as_slice() {
            [one] => format!("{base}/blob/{commit}/{one}"),
            _ => format!("{base}/tree/{commit}"),
        };
        c.status = Status::Referenced;
        c.url = Some(url);
        c.files.clear();
    }
    if !detected.license_files.is_empty() {
        detected.notes.push(format!(
            "licence texts on the Hub, read for the defaults above: {}",
            detected.license_files.join(", ")
        ));
        detected.license_files.clear();
    }
    if !detected.unclassified.is_empty() {
        detected.notes.push(format!(
            "files on the Hub that no rule placed: {}",
            detected.unclassified.join(", ")
        ));
        detected.unclassified.clear();
    }
    detected
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::release::{ComponentRecord, Release};

    fn included(id: &str, files: &[&str]) -> ComponentRecord {
        ComponentRecord {
            id: id.into(),
            status: Status::Included,
            license: None,
            files: files.iter().map(|f| f.to_string()).collect(),
            url: None,
            urls: Vec::new(),
            reason: None,
        }
    }

    #[test]
    fn included_components_become_pinned_references() {
        let mut d = Detected {
            release: Release {
                name: "org/m".into(),
                ..Default::default()
            },
            license_files: vec!["LICENSE".into()],
            unclassified: vec!["notes.txt".into()],
            notes: Vec::new(),
        };
        d.release.components = vec![
            included("weights.final", &["model.safetensors"]),
            included(
                "code.supporting-libraries",
                &["tokenizer.json", "vocab.txt"],
            ),
        ];
        let r = referenced_on_hub(d, "https://hub.example/org/m", "abc");
        let c = &r.release.components;
        assert_eq!(
            c[0].url.as_deref(),
            Some("https://hub.example/org/m/blob/abc/model.safetensors")
        );
        assert_eq!(
            c[1].url.as_deref(),
            Some("https://hub.example/org/m/tree/abc")
        );
        assert!(
            c.iter()
                .all(|c| c.status == Status::Referenced && c.files.is_empty())
        );
        assert!(r.license_files.is_empty() && r.unclassified.is_empty());
        assert_eq!(r.notes.len(), 2);
    }
}
