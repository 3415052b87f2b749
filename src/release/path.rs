//! The paths a bundle may hold, checked the same way when writing and when reading: a bundle that
//! openseal writes always passes its own reader, and a hostile one cannot name a place outside
//! the target folder, or two names that one file system would merge into one file.

use std::collections::HashMap;
use std::fmt;

use unicode_normalization::UnicodeNormalization;

use crate::limits::BUNDLE_MAX_PATH;

/// What is wrong with a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathProblem {
    /// The empty path.
    Empty,
    /// Longer than [`BUNDLE_MAX_PATH`] bytes.
    TooLong {
        /// Its length, in bytes.
        len: usize,
    },
    /// Starts with `/`.
    Absolute,
    /// A `..` component.
    ParentDir,
    /// A `.` component.
    CurDir,
    /// `a//b`, or a trailing `/`.
    EmptyComponent,
    /// A `\`, a separator on Windows.
    Backslash,
    /// NUL, another control character, or DEL.
    ControlChar {
        /// The character's code point.
        code: u32,
    },
    /// A character Windows forbids in names (`< > : " | ? *`): the bundle would not unpack there.
    NotPortable {
        /// The character.
        ch: char,
    },
    /// Under `.openseal/`, which holds the manifest and signature only.
    Reserved,
}

impl fmt::Display for PathProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathProblem::Empty => write!(f, "empty path"),
            PathProblem::TooLong { len } => {
                write!(f, "path of {len} bytes, longer than {BUNDLE_MAX_PATH}")
            }
            PathProblem::Absolute => write!(f, "absolute path"),
            PathProblem::ParentDir => write!(f, "`..` component"),
            PathProblem::CurDir => write!(f, "`.` component"),
            PathProblem::EmptyComponent => write!(f, "empty component (`//` or a trailing `/`)"),
            PathProblem::Backslash => write!(f, "backslash in path"),
            PathProblem::ControlChar { code } => write!(f, "control character U+{code:04X}"),
            PathProblem::NotPortable { ch } => {
                write!(
                    f,
                    "character {ch:?} is not allowed in file names on Windows"
                )
            }
            PathProblem::Reserved => write!(f, "under .openseal/, which is reserved"),
        }
    }
}

/// The folder that holds the manifest and signature; release files may not live under it.
pub const RESERVED_DIR: &str = ".openseal";

/// Checks a release file's path: relative, `/`-separated, every component a plain name.
pub fn check_path(path: &str) -> Result<(), PathProblem> {
    if path.is_empty() {
        return Err(PathProblem::Empty);
    }
    if path.len() > BUNDLE_MAX_PATH {
        return Err(PathProblem::TooLong { len: path.len() });
    }
    if path.starts_with('/') {
        return Err(PathProblem::Absolute);
    }
    for ch in path.chars() {
        match ch {
            '\\' => return Err(PathProblem::Backslash),
            c if c.is_control() => return Err(PathProblem::ControlChar { code: c as u32 }),
            '<' | '>' | ':' | '"' | '|' | '?' | '*' => {
                return Err(PathProblem::NotPortable { ch });
            }
            _ => {}
        }
    }
    for component in path.split('/') {
        match component {
            "" => return Err(PathProblem::EmptyComponent),
            "." => return Err(PathProblem::CurDir),
            ".." => return Err(PathProblem::ParentDir),
            _ => {}
        }
    }
    if path.split('/').next() == Some(RESERVED_DIR) {
        return Err(PathProblem::Reserved);
    }
    Ok(())
}

/// How two paths collide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CollisionKind {
    /// The same bytes twice.
    Duplicate,
    /// The same after case folding (one file on macOS and Windows).
    Case,
    /// The same after Unicode normalisation to NFC (one file on macOS).
    Unicode,
    /// One path is a file and also a folder of another path.
    FileAndFolder,
}

impl fmt::Display for CollisionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CollisionKind::Duplicate => "duplicate path",
            CollisionKind::Case => "differs only in case from",
            CollisionKind::Unicode => "differs only in Unicode normalisation from",
            CollisionKind::FileAndFolder => "is a file and a folder of",
        })
    }
}

/// The name a path has on a case-insensitive, normalising file system.
fn fold(path: &str) -> String {
    let lower: String = path.nfc().collect::<String>().to_lowercase();
    lower.nfc().collect()
}

/// Remembers every path seen and reports the first collision of a new one.
#[derive(Debug, Default)]
pub struct CollisionCheck {
    /// Folded file path → the path as given.
    files: HashMap<String, String>,
    /// Folded folder path → the first file path that implied it.
    folders: HashMap<String, String>,
}

impl CollisionCheck {
    pub fn new() -> CollisionCheck {
        CollisionCheck::default()
    }

    /// Records `path` (already passed [`check_path`]); on a collision returns the earlier path
    /// it collides with and how.
    pub fn insert(&mut self, path: &str) -> Result<(), (String, CollisionKind)> {
        let key = fold(path);
        if let Some(other) = self.files.get(&key) {
            let kind = if other == path {
                CollisionKind::Duplicate
            } else if other.nfc().eq(path.nfc()) {
                CollisionKind::Unicode
            } else {
                CollisionKind::Case
            };
            return Err((other.clone(), kind));
        }
        if let Some(other) = self.folders.get(&key) {
            return Err((other.clone(), CollisionKind::FileAndFolder));
        }
        // Every ancestor folder of the new path must not be a file.
        let mut folder_keys = Vec::new();
        for (i, _) in key.match_indices('/') {
            let folder = &key[..i];
            if let Some(other) = self.files.get(folder) {
                return Err((other.clone(), CollisionKind::FileAndFolder));
            }
            folder_keys.push(folder.to_string());
        }
        for f in folder_keys {
            self.folders.entry(f).or_insert_with(|| path.to_string());
        }
        self.files.insert(key, path.to_string());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_paths() {
        for p in [
            "a",
            "model.safetensors",
            "a/b/c.txt",
            ".gitattributes",
            "dir/.hidden",
            "ünïcödé/名前.txt",
            "a..b",
            "...",
            ".openseal-not-reserved/x",
        ] {
            assert_eq!(check_path(p), Ok(()), "{p}");
        }
    }

    #[test]
    fn bad_paths() {
        let long = "a".repeat(BUNDLE_MAX_PATH + 1);
        let cases: &[(&str, PathProblem)] = &[
            ("", PathProblem::Empty),
            (&long, PathProblem::TooLong { len: long.len() }),
            ("/etc/passwd", PathProblem::Absolute),
            ("../x", PathProblem::ParentDir),
            ("a/../../x", PathProblem::ParentDir),
            ("a/..", PathProblem::ParentDir),
            ("./a", PathProblem::CurDir),
            ("a/./b", PathProblem::CurDir),
            ("a//b", PathProblem::EmptyComponent),
            ("a/", PathProblem::EmptyComponent),
            ("a\\b", PathProblem::Backslash),
            ("..\\x", PathProblem::Backslash),
            ("a\0b", PathProblem::ControlChar { code: 0 }),
            ("a\nb", PathProblem::ControlChar { code: 10 }),
            ("a\u{7f}", PathProblem::ControlChar { code: 0x7f }),
            ("a\u{85}", PathProblem::ControlChar { code: 0x85 }),
            ("c:x", PathProblem::NotPortable { ch: ':' }),
            ("a*", PathProblem::NotPortable { ch: '*' }),
            (".openseal/manifest.json", PathProblem::Reserved),
            (".openseal", PathProblem::Reserved),
        ];
        for (p, want) in cases {
            assert_eq!(check_path(p).as_ref(), Err(want), "{p:?}");
        }
    }

    #[test]
    fn collisions() {
        let mut c = CollisionCheck::new();
        c.insert("a/b.txt").unwrap();
        c.insert("a/c.txt").unwrap();
        c.insert("README.md").unwrap();
        assert_eq!(
            c.insert("a/b.txt"),
            Err(("a/b.txt".into(), CollisionKind::Duplicate))
        );
        assert_eq!(
            c.insert("readme.MD"),
            Err(("README.md".into(), CollisionKind::Case))
        );
        assert_eq!(
            c.insert("A/x"),
            Ok(()),
            "a folder differing in case from a folder is the same folder, not a collision"
        );
        // "é" precomposed (NFC) vs "e" + combining acute (NFD).
        c.insert("caf\u{e9}.txt").unwrap();
        assert_eq!(
            c.insert("cafe\u{301}.txt"),
            Err(("caf\u{e9}.txt".into(), CollisionKind::Unicode))
        );
        // A file that is also a folder, in both orders.
        assert_eq!(
            c.insert("README.md/x"),
            Err(("README.md".into(), CollisionKind::FileAndFolder))
        );
        assert_eq!(
            c.insert("a"),
            Err(("a/b.txt".into(), CollisionKind::FileAndFolder))
        );
        assert_eq!(
            c.insert("A"),
            Err(("a/b.txt".into(), CollisionKind::FileAndFolder))
        );
    }
}
