//! The frameworks openseal knows: the files of `formats/frameworks/` compiled into the binary,
//! or a directory of framework files given at run time.

use std::path::Path;

use super::error::FrameworkError;
use super::schema::Framework;
use super::vocabulary::Vocabulary;

/// (file name, text) of every embedded framework file.
pub const EMBEDDED: [(&str, &str); 8] = [
    (
        "formats/frameworks/stack.toml",
        include_str!("../../formats/frameworks/stack.toml"),
    ),
    (
        "formats/frameworks/mof-1.0.toml",
        include_str!("../../formats/frameworks/mof-1.0.toml"),
    ),
    (
        "formats/frameworks/osaid-1.0.toml",
        include_str!("../../formats/frameworks/osaid-1.0.toml"),
    ),
    (
        "formats/frameworks/release-gradient.toml",
        include_str!("../../formats/frameworks/release-gradient.toml"),
    ),
    (
        "formats/frameworks/opening-up-chatgpt.toml",
        include_str!("../../formats/frameworks/opening-up-chatgpt.toml"),
    ),
    (
        "formats/frameworks/dpga.toml",
        include_str!("../../formats/frameworks/dpga.toml"),
    ),
    (
        "formats/frameworks/osai-index.toml",
        include_str!("../../formats/frameworks/osai-index.toml"),
    ),
    (
        "formats/frameworks/fmti-2025.toml",
        include_str!("../../formats/frameworks/fmti-2025.toml"),
    ),
];

/// Framework definitions with distinct ids, in load order.
#[derive(Debug, Clone)]
pub struct FrameworkSet {
    frameworks: Vec<Framework>,
}

impl FrameworkSet {
    /// The frameworks compiled into openseal, checked against the embedded vocabulary.
    pub fn embedded() -> Result<FrameworkSet, FrameworkError> {
        let vocab = Vocabulary::embedded()?;
        let mut set = FrameworkSet {
            frameworks: Vec::new(),
        };
        for (file, text) in EMBEDDED {
            set.add(file, Framework::parse(file, text, vocab)?)?;
        }
        Ok(set)
    }

    /// Every `*.toml` file of `dir`, in file-name order.
    pub fn load_dir(dir: &Path, vocab: &Vocabulary) -> Result<FrameworkSet, FrameworkError> {
        let io = |e: std::io::Error| FrameworkError::Io {
            file: dir.display().to_string(),
            message: e.to_string(),
        };
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        let mut set = FrameworkSet {
            frameworks: Vec::new(),
        };
        for p in paths {
            let fw = Framework::load(&p, vocab)?;
            set.add(&p.display().to_string(), fw)?;
        }
        Ok(set)
    }

    fn add(&mut self, file: &str, fw: Framework) -> Result<(), FrameworkError> {
        if self.get(&fw.id).is_some() {
            return Err(FrameworkError::DuplicateId {
                file: file.into(),
                line: 0,
                id: fw.id,
            });
        }
        self.frameworks.push(fw);
        Ok(())
    }

    /// The framework with id `id`.
    pub fn get(&self, id: &str) -> Option<&Framework> {
        self.frameworks.iter().find(|f| f.id == id)
    }

    /// Every framework, in load order.
    pub fn frameworks(&self) -> &[Framework] {
        &self.frameworks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_set_and_formats_directory_load() {
        let set = FrameworkSet::embedded().unwrap();
        assert_eq!(set.frameworks().len(), EMBEDDED.len());
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("formats/frameworks");
        let loaded = FrameworkSet::load_dir(&dir, Vocabulary::embedded().unwrap()).unwrap();
        assert_eq!(loaded.frameworks().len(), EMBEDDED.len());
        let mof = set.get("mof").unwrap();
        let ids: Vec<&str> = mof.levels.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(ids, ["class-iii", "class-ii", "class-i"]);
        // Class I inherits everything: 5 + 4 + 4 required, plus the TR/RP group.
        let eff = mof.effective(2);
        assert_eq!(eff.requires.len(), 13);
        assert_eq!(eff.any_of.len(), 1);
        assert_eq!(eff.optional.len(), 3);
    }

    #[test]
    fn duplicate_framework_ids_in_a_directory_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.toml", "b.toml"] {
            std::fs::write(dir.path().join(name), EMBEDDED[1].1).unwrap();
        }
        let err = FrameworkSet::load_dir(dir.path(), Vocabulary::embedded().unwrap()).unwrap_err();
        assert!(
            matches!(err, FrameworkError::DuplicateId { ref id, .. } if id == "mof"),
            "{err}"
        );
    }

    proptest::proptest! {
        #[test]
        fn parsing_never_panics(cut in 0usize..2000, insert in "[ =\\[\\]\"a-z.\\n-]{0,12}") {
            let text = EMBEDDED[1].1;
            let cut = cut.min(text.len());
            if text.is_char_boundary(cut) {
                let s = format!("{}{}{}", &text[..cut], insert, &text[cut..]);
                let _ = Framework::parse("p.toml", &s, Vocabulary::embedded().unwrap());
            }
        }
    }
}
