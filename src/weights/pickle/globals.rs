//! Judging the Python globals a pickle references.
//!
//! Safe: on an allow-list modelled on torch's `weights_only` unpickler (plus the NumPy
//! reconstruction helpers and TorchScript's list builders). Dangerous: on the deny-lists of
//! picklescan 1.0.5, modelscan and fickling 0.1.12. Everything else is Suspicious.

use crate::weights::safety::Verdict;

const RUNS_COMMANDS: &str = "runs shell commands or spawns processes";
const EVALUATES: &str = "evaluates Python code";
const IMPORTS: &str = "imports arbitrary modules";
const FILES: &str = "reads or writes files";
const NETWORK: &str = "opens network connections";
const NESTED_LOAD: &str = "loads nested pickles or serialized code";
const GADGET: &str = "calls or looks up arbitrary attributes (a code-execution gadget)";
const INTERPRETER: &str = "changes interpreter state";
const NATIVE: &str = "calls native code";
const DEBUGGER: &str = "starts a debugger";
const CODE_OBJECTS: &str = "builds code or function objects";
const INSTALLS: &str = "installs packages";
const THREADS: &str = "runs code in other threads, processes or at exit";
const INTROSPECTION: &str = "inspects or alters live objects";
const FLAGGED: &str = "can run code (flagged by picklescan)";

/// Whole modules (and their submodules) whose every global is dangerous.
const DANGEROUS_MODULES: &[(&str, &str)] = &[
    ("os", RUNS_COMMANDS),
    ("posix", RUNS_COMMANDS),
    ("nt", RUNS_COMMANDS),
    ("subprocess", RUNS_COMMANDS),
    ("pty", RUNS_COMMANDS),
    ("commands", RUNS_COMMANDS),
    ("popen2", RUNS_COMMANDS),
    ("sys", INTERPRETER),
    ("socket", NETWORK),
    ("ssl", NETWORK),
    ("httplib", NETWORK),
    ("http", NETWORK),
    ("requests", NETWORK),
    ("urllib", NETWORK),
    ("urllib2", NETWORK),
    ("aiohttp", NETWORK),
    ("webbrowser", NETWORK),
    ("smtplib", NETWORK),
    ("ftplib", NETWORK),
    ("poplib", NETWORK),
    ("imaplib", NETWORK),
    ("telnetlib", NETWORK),
    ("nntplib", NETWORK),
    ("xmlrpc", NETWORK),
    ("asyncio", THREADS),
    ("shutil", FILES),
    ("tempfile", FILES),
    ("glob", FILES),
    ("tarfile", FILES),
    ("zipfile", FILES),
    ("mmap", FILES),
    ("sqlite3", FILES),
    ("logging", FILES),
    ("runpy", EVALUATES),
    ("code", EVALUATES),
    ("codeop", EVALUATES),
    ("pdb", DEBUGGER),
    ("bdb", DEBUGGER),
    ("pickle", NESTED_LOAD),
    ("_pickle", NESTED_LOAD),
    ("cPickle", NESTED_LOAD),
    ("marshal", NESTED_LOAD),
    ("shelve", NESTED_LOAD),
    ("dill", NESTED_LOAD),
    ("joblib", NESTED_LOAD),
    ("cloudpickle", NESTED_LOAD),
    ("pip", INSTALLS),
    ("venv", INSTALLS),
    ("ensurepip", INSTALLS),
    ("ctypes", NATIVE),
    ("_ctypes", NATIVE),
    ("cffi", NATIVE),
    ("importlib", IMPORTS),
    ("pkgutil", IMPORTS),
    ("zipimport", IMPORTS),
    ("imp", IMPORTS),
    ("site", IMPORTS),
    ("types", CODE_OBJECTS),
    ("multiprocessing", THREADS),
    ("threading", THREADS),
    ("_thread", THREADS),
    ("signal", THREADS),
    ("atexit", THREADS),
    ("inspect", INTROSPECTION),
    ("gc", INTROSPECTION),
    ("cProfile", FLAGGED),
    ("profile", FLAGGED),
    ("timeit", FLAGGED),
    ("pydoc", FLAGGED),
    ("test", FLAGGED),
    ("uuid", FLAGGED),
    ("_osx_support", FLAGGED),
    ("_aix_support", FLAGGED),
    ("_pyrepl", FLAGGED),
    ("idlelib", FLAGGED),
    ("lib2to3", FLAGGED),
    ("distutils", FLAGGED),
    ("numpy.f2py", FLAGGED),
    ("numpy.testing._private.utils", FLAGGED),
];

/// Single dangerous globals in otherwise ordinary modules.
const DANGEROUS_GLOBALS: &[(&str, &str, &str)] = &[
    ("builtins", "eval", EVALUATES),
    ("builtins", "exec", EVALUATES),
    ("builtins", "compile", EVALUATES),
    ("builtins", "execfile", EVALUATES),
    ("builtins", "open", FILES),
    ("builtins", "file", FILES),
    ("builtins", "getattr", GADGET),
    ("builtins", "setattr", GADGET),
    ("builtins", "delattr", GADGET),
    ("builtins", "apply", GADGET),
    ("builtins", "globals", INTROSPECTION),
    ("builtins", "locals", INTROSPECTION),
    ("builtins", "vars", INTROSPECTION),
    ("builtins", "breakpoint", DEBUGGER),
    ("builtins", "__import__", IMPORTS),
    ("builtins", "reload", IMPORTS),
    ("functools", "partial", GADGET),
    ("operator", "attrgetter", GADGET),
    ("operator", "itemgetter", GADGET),
    ("operator", "methodcaller", GADGET),
    ("_operator", "attrgetter", GADGET),
    ("_operator", "itemgetter", GADGET),
    ("_operator", "methodcaller", GADGET),
    ("_io", "FileIO", FILES),
    ("_io", "open", FILES),
    ("io", "FileIO", FILES),
    ("io", "open", FILES),
    ("codecs", "open", FILES),
    ("torch.serialization", "load", NESTED_LOAD),
    ("torch", "load", NESTED_LOAD),
    ("torch._inductor.codecache", "compile_file", RUNS_COMMANDS),
    ("torch.jit.unsupported_tensor_ops", "execWrapper", EVALUATES),
    ("torch.hub", "load", NESTED_LOAD),
    ("numpy", "load", NESTED_LOAD),
    ("numpy.lib.npyio", "load", NESTED_LOAD),
    ("pandas", "read_pickle", NESTED_LOAD),
];

/// Globals torch's `weights_only` unpickler (and NumPy's array reconstruction) accepts.
const SAFE_GLOBALS: &[(&str, &str)] = &[
    ("collections", "OrderedDict"),
    ("collections", "Counter"),
    ("torch", "Size"),
    ("torch", "device"),
    ("torch", "Tensor"),
    ("torch", "dtype"),
    ("torch", "finfo"),
    ("torch", "iinfo"),
    ("torch.nn", "Parameter"),
    ("torch.nn.parameter", "Parameter"),
    ("torch.nn.parameter", "Buffer"),
    ("torch.serialization", "_get_layout"),
    ("torch._tensor", "_rebuild_from_type_v2"),
    ("torch._utils", "_element_size"),
    ("_codecs", "encode"),
    ("builtins", "set"),
    ("builtins", "frozenset"),
    ("builtins", "complex"),
    ("builtins", "bytearray"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"),
    ("numpy._core.multiarray", "scalar"),
];

/// Names of torch's dtype, layout, memory-format and qscheme constants (`GLOBAL torch float32`).
const TORCH_CONSTANTS: &[&str] = &[
    "float32",
    "float",
    "float64",
    "double",
    "float16",
    "half",
    "bfloat16",
    "complex32",
    "complex64",
    "complex128",
    "cfloat",
    "cdouble",
    "chalf",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "int8",
    "int16",
    "short",
    "int32",
    "int",
    "int64",
    "long",
    "bool",
    "qint8",
    "quint8",
    "qint32",
    "quint4x2",
    "quint2x4",
    "float8_e4m3fn",
    "float8_e5m2",
    "float8_e4m3fnuz",
    "float8_e5m2fnuz",
    "float8_e8m0fnu",
    "float4_e2m1fn_x2",
    "bits8",
    "bits16",
    "strided",
    "sparse_coo",
    "sparse_csr",
    "sparse_csc",
    "sparse_bsr",
    "sparse_bsc",
    "_mkldnn",
    "contiguous_format",
    "channels_last",
    "channels_last_3d",
    "preserve_format",
    "per_tensor_affine",
    "per_channel_affine",
    "per_tensor_symmetric",
    "per_channel_symmetric",
    "per_channel_affine_float_qparams",
];

/// Python 2 module names that Python 3's unpickler maps to their new names (`fix_imports`).
fn py3_module(module: &str) -> &str {
    match module {
        "__builtin__" | "exceptions" => "builtins",
        "copy_reg" => "copyreg",
        "cPickle" => "pickle",
        "commands" => "subprocess",
        "urllib2" => "urllib.request",
        "httplib" => "http.client",
        "thread" => "_thread",
        other => other,
    }
}

/// `module` is `root` or one of its submodules.
fn in_module(module: &str, root: &str) -> bool {
    module == root
        || module
            .strip_prefix(root)
            .is_some_and(|rest| rest.starts_with('.'))
}

fn deny(module: &str, name: &str) -> Option<&'static str> {
    let m = py3_module(module);
    for cand in [module, m] {
        if let Some((_, why)) = DANGEROUS_MODULES.iter().find(|(r, _)| in_module(cand, r)) {
            return Some(why);
        }
        if let Some((_, _, why)) = DANGEROUS_GLOBALS
            .iter()
            .find(|(dm, dn, _)| *dm == cand && *dn == name)
        {
            return Some(why);
        }
    }
    None
}

fn is_storage_or_tensor_class(module: &str, name: &str) -> bool {
    let torch_ns = matches!(
        module,
        "torch" | "torch.cuda" | "torch.storage" | "torch.sparse"
    );
    torch_ns && (name.ends_with("Storage") || name.ends_with("Tensor"))
}

fn allow(module: &str, name: &str) -> Option<&'static str> {
    if SAFE_GLOBALS.iter().any(|(m, n)| *m == module && *n == name) {
        return Some("on torch's weights_only allow-list");
    }
    if module == "torch._utils" && name.starts_with("_rebuild_") {
        return Some("torch tensor rebuild function (weights_only allow-list)");
    }
    if is_storage_or_tensor_class(module, name) {
        return Some("torch storage or tensor class (weights_only allow-list)");
    }
    if module == "torch" && TORCH_CONSTANTS.contains(&name) {
        return Some("torch dtype/layout constant (weights_only allow-list)");
    }
    if module == "numpy.dtypes" && name.ends_with("DType") {
        return Some("NumPy dtype class (weights_only allow-list)");
    }
    if module == "torch.jit._pickle" && (name.starts_with("build_") || name == "restore_type_tag") {
        return Some("TorchScript container builder (data only)");
    }
    None
}

/// The verdict for one global and why. `name` may be a dotted attribute path (protocol 4 looks
/// names up attribute by attribute), so every tail of the path is checked against the
/// deny-lists too: `torch` + `serialization.os.system` reaches `os.system`.
pub fn judge(module: &str, name: &str) -> (Verdict, String) {
    if let Some(why) = deny(module, name) {
        return (Verdict::Dangerous, why.to_string());
    }
    if name.contains('.') {
        let parts: Vec<&str> = name.split('.').collect();
        if parts
            .iter()
            .any(|p| p.starts_with("__") && p.ends_with("__"))
        {
            return (
                Verdict::Dangerous,
                format!("attribute path {name:?} goes through a dunder attribute"),
            );
        }
        for start in 0..parts.len().saturating_sub(1) {
            let (tail_mod, tail_name) = match parts.get(start..) {
                Some([m @ .., n]) => (m.join("."), *n),
                _ => continue,
            };
            if let Some(why) = deny(&tail_mod, tail_name) {
                return (
                    Verdict::Dangerous,
                    format!("{why} (reached through attribute path {name:?})"),
                );
            }
        }
    }
    if let Some(why) = allow(py3_module(module), name) {
        return (Verdict::Safe, why.to_string());
    }
    if module.starts_with("__torch__") {
        return (
            Verdict::Suspicious,
            "TorchScript class: loading it runs the archive's code".to_string(),
        );
    }
    (Verdict::Suspicious, "not on the allow-list".to_string())
}

#[cfg(test)]
#[path = "globals_tests.rs"]
mod tests;
