//! Which file names are weights files. A file's format is decided by its content; the name only
//! picks the files inspect, detection and pack look at, and the reader that explains a file
//! whose content matches no format.

use super::Format;
use std::path::Path;

/// Each extension (lower case, no dot) of the files openseal reads as weights, with the reader
/// the name suggests. `bin` is ambiguous (a PyTorch checkpoint, a bare pickle, or no weights at
/// all, like `training_args.bin`): the content decides, and a `.bin` in no weights format is
/// reported as such rather than skipped. `pt`, `pth` and `ckpt` name zip and legacy
/// `torch.save` files alike; the content tells them apart.
const READERS: &[(&str, Format)] = &[
    ("safetensors", Format::Safetensors),
    ("gguf", Format::Gguf),
    ("bin", Format::PytorchZip),
    ("pt", Format::PytorchZip),
    ("pth", Format::PytorchZip),
    ("ckpt", Format::PytorchZip),
    ("jit", Format::Torchscript),
    ("pkl", Format::Pickle),
    ("pickle", Format::Pickle),
    ("joblib", Format::Pickle),
    ("npy", Format::Npy),
    ("npz", Format::Npz),
];

/// Extensions (lower case, no dot) of the files openseal reads as weights: the names of
/// `READERS`, in its order (a test keeps the two equal).
pub const WEIGHTS_EXTENSIONS: &[&str] = &[
    "safetensors",
    "gguf",
    "bin",
    "pt",
    "pth",
    "ckpt",
    "jit",
    "pkl",
    "pickle",
    "joblib",
    "npy",
    "npz",
];

/// Extensions of other frameworks' weights (ONNX, Flax `msgpack`, Keras `h5`). openseal has no
/// reader for them, so inspect and pack pass them by, but detection still files them as
/// weights: they are the release's parameters all the same.
pub const UNREAD_WEIGHTS_EXTENSIONS: &[&str] = &["onnx", "msgpack", "h5"];

/// The format a file's name suggests.
pub fn format_from_extension(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    READERS.iter().find(|(e, _)| *e == ext).map(|(_, f)| *f)
}

/// Whether openseal reads the file as weights, judged from its extension (any case).
pub fn is_weights_file(path: &Path) -> bool {
    format_from_extension(path).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_and_readers_agree() {
        let names: Vec<&str> = READERS.iter().map(|(e, _)| *e).collect();
        assert_eq!(names, WEIGHTS_EXTENSIONS);
        for ext in WEIGHTS_EXTENSIONS {
            for name in [
                format!("m.{ext}"),
                format!("m.{}", ext.to_ascii_uppercase()),
            ] {
                assert!(is_weights_file(Path::new(&name)), "{name}");
            }
        }
        for ext in UNREAD_WEIGHTS_EXTENSIONS
            .iter()
            .chain(&["json", "txt", "model"])
        {
            assert_eq!(format_from_extension(Path::new(&format!("m.{ext}"))), None);
        }
        assert!(!is_weights_file(Path::new("safetensors")));
    }

    #[test]
    fn names_suggest_readers() {
        let f = |name: &str| format_from_extension(Path::new(name));
        assert_eq!(f("model.Safetensors"), Some(Format::Safetensors));
        assert_eq!(f("pytorch_model.bin"), Some(Format::PytorchZip));
        assert_eq!(f("vad.jit"), Some(Format::Torchscript));
        assert_eq!(f("scaler.joblib"), Some(Format::Pickle));
        assert_eq!(f("arrays.npz"), Some(Format::Npz));
    }
}
