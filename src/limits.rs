//! Every cap openseal puts on sizes and counts that come from untrusted files.
//!
//! A reader checks each size it reads against the bytes that remain *and* against the cap here
//! before it allocates anything, so a hostile header cannot make openseal allocate without bound.

/// Largest safetensors JSON header accepted (the `safetensors` crate's own `MAX_HEADER_SIZE`).
pub const SAFETENSORS_MAX_HEADER: u64 = 100_000_000;

/// Most tensors one weights file may declare (any format). Real models stay far below 1M.
pub const MAX_TENSORS: u64 = 4_000_000;

/// Most dimensions a tensor may have. GGUF allows 4; safetensors and PyTorch have no limit, but no
/// real model uses more than a handful.
pub const MAX_DIMS: usize = 64;

/// GGUF: longest string (key, value or tensor name) and most array elements, as llama.cpp caps
/// them (2^30) after its overflow CVEs.
pub const GGUF_MAX_STRING: u64 = 1 << 30;
pub const GGUF_MAX_ARRAY: u64 = 1 << 30;
/// GGUF: most metadata key/value pairs.
pub const GGUF_MAX_KV: u64 = 1_000_000;
/// GGUF: deepest nesting of arrays inside arrays.
pub const GGUF_MAX_ARRAY_DEPTH: usize = 8;
/// GGUF: longest tensor name (GGML_MAX_NAME is 64 including the NUL).
pub const GGUF_MAX_NAME: usize = 63;
/// GGUF: most dimensions of a tensor (GGML_MAX_DIMS).
pub const GGUF_MAX_DIMS: u32 = 4;
/// GGUF: array elements kept in memory for display; the rest are counted, not stored.
pub const GGUF_ARRAY_PREVIEW: usize = 8;

/// Pickle: the most values on the VM stack, memo entries and nesting depth.
pub const PICKLE_MAX_STACK: usize = 1_000_000;
pub const PICKLE_MAX_MEMO: usize = 1_000_000;
pub const PICKLE_MAX_DEPTH: usize = 256;
/// Pickle: most opcodes executed in one pickle (bounds time on hostile loops of DUP/POP).
pub const PICKLE_MAX_OPS: u64 = 200_000_000;
/// Pickle: total bytes of strings the VM keeps (names, keys); longer payloads are summarised.
pub const PICKLE_MAX_RETAINED_BYTES: usize = 256 << 20;

/// Zip archives (PyTorch, .npz): most entries, and the largest entry decompressed into memory
/// (only pickles and small text entries are ever decompressed; tensor data is sliced in place).
pub const ZIP_MAX_ENTRIES: usize = 1_000_000;
pub const ZIP_MAX_INFLATED_ENTRY: u64 = 1 << 30;

/// NumPy: largest `.npy` header (numpy itself refuses more than 10000 bytes by default).
pub const NPY_MAX_HEADER: u64 = 1 << 20;

/// JSON and YAML side files (config.json, index.json, model card): largest file read.
pub const MAX_SIDE_FILE: u64 = 64 << 20;
/// Most files looked at in one model folder.
pub const MAX_FOLDER_FILES: usize = 100_000;
/// Deepest folder nesting followed when walking a model folder.
pub const MAX_FOLDER_DEPTH: usize = 16;

/// Tensor data (statistics, fingerprint, diff): most elements turned into one candle tensor at a
/// time. Statistics convert to f64 and keep a few same-sized temporaries, so one worker holds
/// roughly 5 x 8 x this many bytes (160 MiB) at its peak, whatever the tensor's size.
pub const STATS_CHUNK_ELEMENTS: u64 = 1 << 22;
/// Tensor data: most bytes read (hashed, gathered from strides or byte-swapped) at a time.
pub const DATA_CHUNK_BYTES: u64 = 16 << 20;
/// Most worker threads reading tensor data at once (each holds one chunk).
pub const MAX_DATA_WORKERS: usize = 8;
