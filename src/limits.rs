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

/// GGUF: longest string (key, value or tensor name), in bytes, as llama.cpp caps it (2^30)
/// after its overflow CVEs.
pub const GGUF_MAX_STRING: u64 = 1 << 30;
/// GGUF: most elements of one array, llama.cpp's cap too.
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

/// Pickle: most values on the VM stack (also the most MARKs).
pub const PICKLE_MAX_STACK: usize = 1_000_000;
/// Pickle: most memo entries.
pub const PICKLE_MAX_MEMO: usize = 1_000_000;
/// Pickle: deepest nesting of values inside values.
pub const PICKLE_MAX_DEPTH: usize = 256;
/// Pickle: most opcodes executed in one pickle (bounds time on hostile loops of DUP/POP).
pub const PICKLE_MAX_OPS: u64 = 200_000_000;
/// Pickle: total bytes of strings the VM keeps (names, keys); longer payloads are summarised.
pub const PICKLE_MAX_RETAINED_BYTES: usize = 256 << 20;

/// Zip archives (PyTorch, .npz): most entries.
pub const ZIP_MAX_ENTRIES: usize = 1_000_000;
/// Zip archives: largest entry decompressed into memory, in bytes (only pickles and small text
/// entries are ever decompressed; tensor data is sliced in place).
pub const ZIP_MAX_INFLATED_ENTRY: u64 = 1 << 30;

/// NumPy: largest `.npy` header (numpy itself refuses more than 10000 bytes by default).
pub const NPY_MAX_HEADER: u64 = 1 << 20;

/// JSON and YAML side files (config.json, index.json, model card): largest file read.
pub const MAX_SIDE_FILE: u64 = 64 << 20;
/// Key files (PEM): largest file read. A PEM key is under 200 bytes; the cap stops a mistaken
/// path to a weights file from being read whole.
pub const MAX_KEY_FILE: u64 = 64 << 10;
/// Trust files: largest file read (thousands of keys fit; a stray weights file is not read).
pub const MAX_TRUST_FILE: u64 = 4 << 20;
/// Hugging Face cache: largest `refs/REVISION` file read (it holds one 40-hex commit hash).
pub const HF_MAX_REF_FILE: u64 = 4096;
/// Most files looked at in one model folder.
pub const MAX_FOLDER_FILES: usize = 100_000;
/// Deepest folder nesting followed when walking a model folder.
pub const MAX_FOLDER_DEPTH: usize = 16;

/// Bundles: the largest `.openseal/manifest.json` read into memory. A manifest lists every file
/// with path, size and digest (~200 bytes each), so 32 MiB covers far more than
/// `BUNDLE_MAX_FILES` entries while keeping `verify` within its flat memory budget.
pub const BUNDLE_MAX_MANIFEST: u64 = 32 << 20;
/// Bundles: the largest `.openseal/manifest.sig` (a DSSE envelope: the base64 manifest plus a few
/// signatures, so a little over 4/3 of the manifest).
pub const BUNDLE_MAX_SIGNATURE: u64 = BUNDLE_MAX_MANIFEST / 3 * 4 + (1 << 20);
/// OCI registries: blobs uploaded or downloaded at once by `push` and `pull` (transfers wait on
/// the network and the registry's disk more than on a core, so more than the cores).
pub const REGISTRY_TRANSFERS: usize = 4;
/// OMS signatures (`model.sig`): the largest file read. Its payload lists every file with path
/// and digest (~150 bytes each, base64 adds a third), so 64 MiB covers `MAX_FOLDER_FILES` files.
pub const MAX_OMS_SIGNATURE: u64 = 64 << 20;
/// Bundles: most release files in one bundle (the same bound as a model folder walk).
pub const BUNDLE_MAX_FILES: usize = MAX_FOLDER_FILES;
/// Bundles: most bytes of release files in one bundle (16 TiB; the largest open releases are a
/// few TiB). Checked on the signed file list before any data is streamed.
pub const BUNDLE_MAX_TOTAL_BYTES: u64 = 1 << 44;
/// Bundles: longest path of an entry, in bytes (Linux PATH_MAX).
pub const BUNDLE_MAX_PATH: usize = 4096;
/// Bundles: largest PAX extended header (only `path` and `size` records are allowed, so a path of
/// `BUNDLE_MAX_PATH` bytes plus a size record fit with room to spare).
pub const BUNDLE_MAX_PAX_HEADER: u64 = 8 << 10;
/// Bundles: zero bytes tolerated after the two end-of-archive blocks (GNU tar pads an archive to
/// a 10240-byte record); any non-zero byte there is rejected.
pub const BUNDLE_MAX_TRAILING_ZEROS: u64 = 10240;
/// Bundles: largest zstd window (log2) a reader accepts. The writer's levels 1..=19 use at most
/// 2^23; 2^24 bounds a hostile frame's decoder memory to 16 MiB.
pub const BUNDLE_ZSTD_WINDOW_LOG_MAX: u32 = 24;
/// Tensor data (statistics, fingerprint, diff): most elements turned into one candle tensor at a
/// time. Statistics convert to f64 and keep a few same-sized temporaries, so one worker holds
/// roughly 5 x 8 x this many bytes (160 MiB) at its peak, whatever the tensor's size.
pub const STATS_CHUNK_ELEMENTS: u64 = 1 << 22;
/// Tensor data: most bytes read (hashed, gathered from strides or byte-swapped) at a time.
pub const DATA_CHUNK_BYTES: u64 = 16 << 20;
/// Most worker threads reading tensor data at once (each holds one chunk).
pub const MAX_DATA_WORKERS: usize = 8;

/// NumPy: deepest nesting of the Python literal in a `.npy` header. The literal parser recurses
/// once per level, so this bounds its stack on a hostile header; structured dtypes nest a few
/// levels at most.
pub const NPY_MAX_LITERAL_DEPTH: usize = 32;
/// Pickle: longest string the VM keeps. Names and keys are short; a longer string is a payload
/// that is never needed, so only its length is kept.
pub const PICKLE_MAX_KEPT_STRING: usize = 64 << 10;
/// PyTorch: pickles written back to back in a bare pickle file that are scanned (a custom loader
/// may read them all); the rest is reported as trailing bytes, bounding time on a file of many
/// tiny pickles.
pub const PYTORCH_MAX_BARE_PICKLES: usize = 64;
/// PyTorch: bytes read of a checkpoint's small text entries (`version`, `byteorder`), which hold a
/// word; a hostile entry cannot make openseal inflate more.
pub const PYTORCH_MAX_TEXT_ENTRY: u64 = 64;

/// Remote sources: most bytes of one HTTP response body read into memory (a range of a header,
/// a whole side file, the Hub's file list). A server that ignores `Range` is read up to this.
pub const REMOTE_MAX_BODY: u64 = 128 << 20;
/// Remote sources: the Hub's file list (`/api/models/...?blobs=true`), largest accepted.
pub const REMOTE_MAX_LISTING: u64 = 64 << 20;
/// Remote sources: a file that is not weights (config, card, licence, tokenizer) is downloaded
/// whole up to this size; a larger one is listed as not read.
pub const REMOTE_MAX_WHOLE_FILE: u64 = 16 << 20;
/// Remote sources: all whole-file downloads of one repository together.
pub const REMOTE_MAX_WHOLE_TOTAL: u64 = 256 << 20;
/// Remote sources: the first range of a safetensors file, which holds the whole header of
/// almost every real file (as `huggingface_hub` reads it), so one request usually suffices.
pub const REMOTE_SAFETENSORS_FIRST_RANGE: u64 = 100_000;
/// Remote sources: the first range of a GGUF file; doubled until the metadata ends.
pub const REMOTE_GGUF_FIRST_RANGE: u64 = 256 << 10;
/// Remote sources: the most of a GGUF file read looking for the end of its metadata (token lists
/// of big vocabularies reach tens of MiB).
pub const REMOTE_GGUF_MAX_METADATA: u64 = 96 << 20;
/// Remote sources: the tail of a zip (PyTorch checkpoint, `.npz`) read first for the end of
/// central directory record and, usually, the whole central directory.
pub const REMOTE_ZIP_TAIL: u64 = 256 << 10;
/// Remote sources: the most bytes of one zip entry that is not tensor data (`data.pkl`,
/// `version`) downloaded to scan it.
pub const REMOTE_ZIP_MAX_ENTRY: u64 = 64 << 20;
/// Remote sources: a pickle or other weights file that cannot be read by ranges is downloaded
/// whole up to this size; a larger one is listed as not scanned.
pub const REMOTE_MAX_WHOLE_WEIGHTS: u64 = 64 << 20;
/// Remote sources: all weights files downloaded whole in one run together; further ones are
/// read by their zip directory when they are zips, else listed as not scanned.
pub const REMOTE_MAX_WHOLE_WEIGHTS_TOTAL: u64 = 512 << 20;
/// Remote sources: files fetched at once.
pub const REMOTE_PARALLEL_FETCHES: usize = 8;
/// Remote sources: redirects followed for one request (the Hub sends LFS files to a CDN).
pub const REMOTE_MAX_REDIRECTS: u32 = 10;
/// Remote sources: longest wait honoured from a `Retry-After` header, in seconds.
pub const REMOTE_MAX_RETRY_WAIT_S: u64 = 60;
