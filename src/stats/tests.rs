//! Statistics checked against an independent plain-Rust computation over the raw bytes
//! (`half` for f16/bf16, `from_le_bytes` for the rest), and against values known from the
//! scripts that wrote the samples.

use super::*;
use crate::progress::NoProgress;
use crate::weights::{self, ReadOptions, StDtype};
use half::{bf16, f16};
use std::path::Path;

fn open(rel: &str) -> WeightsFile {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    weights::open(&path, ReadOptions::default()).unwrap()
}

fn run(file: &WeightsFile, chunk_elements: u64) -> FileStats {
    let opts = StatsOptions {
        chunk_elements,
        ..StatsOptions::default()
    };
    file_stats(file, &opts, &NoProgress).unwrap()
}

/// The reference: a two-pass computation over all values at once.
fn reference(values: &[f64]) -> TensorStats {
    let fin: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let any = !fin.is_empty();
    let mean = fin.iter().sum::<f64>() / fin.len().max(1) as f64;
    let var = fin.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / fin.len().max(1) as f64;
    let zeros = values.iter().filter(|v| **v == 0.0).count() as u64;
    TensorStats {
        elements: values.len() as u64,
        finite: fin.len() as u64,
        nan: values.iter().filter(|v| v.is_nan()).count() as u64,
        pos_inf: values.iter().filter(|v| **v == f64::INFINITY).count() as u64,
        neg_inf: values.iter().filter(|v| **v == f64::NEG_INFINITY).count() as u64,
        zeros,
        zero_fraction: (!values.is_empty()).then(|| zeros as f64 / values.len() as f64),
        min: any.then(|| fin.iter().copied().fold(f64::INFINITY, f64::min)),
        max: any.then(|| fin.iter().copied().fold(f64::NEG_INFINITY, f64::max)),
        mean: any.then_some(mean),
        std: any.then(|| var.sqrt()),
    }
}

fn close(a: Option<f64>, b: Option<f64>, tol: f64) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= tol * (1.0 + b.abs()),
        (None, None) => true,
        _ => false,
    }
}

fn assert_matches(got: &TensorStats, want: &TensorStats, what: &str) {
    let counts = |s: &TensorStats| (s.elements, s.finite, s.nan, s.pos_inf, s.neg_inf, s.zeros);
    assert_eq!(counts(got), counts(want), "{what}: counts");
    assert_eq!((got.min, got.max), (want.min, want.max), "{what}: min/max");
    assert!(
        close(got.mean, want.mean, 1e-9),
        "{what}: mean {got:?} vs {want:?}"
    );
    assert!(
        close(got.std, want.std, 1e-9),
        "{what}: std {got:?} vs {want:?}"
    );
    assert_eq!(
        got.zero_fraction, want.zero_fraction,
        "{what}: zero fraction"
    );
}

/// Independent decoding of the plain dtypes, straight from the file bytes.
fn values(bytes: &[u8], t: &TensorInfo) -> Vec<f64> {
    let off = t.offset.unwrap_or(0) as usize;
    let data = &bytes[off..off + t.nbytes.unwrap() as usize];
    let name = t.dtype.name();
    match name.as_str() {
        "F32" => data
            .chunks(4)
            .map(|c| f32::from_le_bytes(c.try_into().unwrap()) as f64)
            .collect(),
        "F64" => data
            .chunks(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
            .collect(),
        "F16" => data
            .chunks(2)
            .map(|c| f16::from_le_bytes([c[0], c[1]]).to_f64())
            .collect(),
        "BF16" => data
            .chunks(2)
            .map(|c| bf16::from_le_bytes([c[0], c[1]]).to_f64())
            .collect(),
        "Q8_0" => data
            .chunks(34)
            .flat_map(|b| {
                let d = f16::from_le_bytes([b[0], b[1]]).to_f64();
                b[2..].iter().map(move |q| d * f64::from(*q as i8))
            })
            .collect(),
        "Q4_0" => data
            .chunks(18)
            .flat_map(|b| {
                let d = f16::from_le_bytes([b[0], b[1]]).to_f64();
                let lo = b[2..].iter().map(move |q| d * (f64::from(q % 16) - 8.0));
                let hi = b[2..].iter().map(move |q| d * (f64::from(q / 16) - 8.0));
                lo.chain(hi).collect::<Vec<_>>()
            })
            .collect(),
        other => panic!("no reference decoder for {other}"),
    }
}

#[test]
fn silero_f32_matches_reference_whatever_the_chunk_size() {
    let file = open("testdata/real/safetensors/silero_vad_16k.safetensors");
    let bytes = std::fs::read(&file.path).unwrap();
    let mut all = Vec::new();
    for chunk in [crate::limits::STATS_CHUNK_ELEMENTS, 1000, 7] {
        let got = run(&file, chunk);
        assert_eq!(got.not_supported, 0);
        for (t, e) in file.parsed.tensors.iter().zip(&got.tensors) {
            let v = values(&bytes, t);
            assert_matches(e.stats.as_ref().unwrap(), &reference(&v), &t.name);
            if chunk == 7 {
                all.extend(v);
            }
        }
        if chunk == 7 {
            assert_matches(&got.summary, &reference(&all), "file summary");
        }
    }
}

#[test]
fn gguf_float_and_quantized_tensors() {
    let file = open("testdata/real/generated/tiny-llama-q.gguf");
    let bytes = std::fs::read(&file.path).unwrap();
    let got = run(&file, 100);
    let by_name = |n: &str| got.tensors.iter().find(|e| e.name == n).unwrap();
    for (t, e) in file.parsed.tensors.iter().zip(&got.tensors) {
        if t.dtype.name() == "Q5_1" {
            assert!(
                e.not_supported.as_deref().unwrap().contains("Q5_1"),
                "{e:?}"
            );
            continue;
        }
        assert_matches(
            e.stats.as_ref().unwrap(),
            &reference(&values(&bytes, t)),
            &t.name,
        );
    }
    // Q8_0, Q4_0 and BF16 hold the same matrix as the F16 tensor (mk_gguf.py): their
    // statistics agree up to the quantization error.
    for layer in 0..2 {
        let f16 = by_name(&format!("blk.{layer}.attn_q.weight"))
            .stats
            .clone()
            .unwrap();
        for (kind, tol) in [("q8_0", 0.03), ("q4_0", 0.3), ("bf16", 0.02)] {
            let q = by_name(&format!("blk.{layer}.attn_{kind}.weight"))
                .stats
                .clone()
                .unwrap();
            assert!(
                (q.mean.unwrap() - f16.mean.unwrap()).abs() < tol / 10.0,
                "{kind}"
            );
            assert!((q.std.unwrap() - f16.std.unwrap()).abs() < tol, "{kind}");
            assert!((q.max.unwrap() - f16.max.unwrap()).abs() < tol, "{kind}");
            assert!((q.min.unwrap() - f16.min.unwrap()).abs() < tol, "{kind}");
        }
    }
    assert_eq!(got.not_supported, 2);
}

#[test]
fn sixteen_dtypes_with_nan_inf_and_negative_zero() {
    // Values from mk_dtypes.py, which wrote the file.
    let file = open("testdata/real/generated/dtypes-mixed.safetensors");
    let got = run(&file, 2);
    let inf = f64::INFINITY;
    let expect: &[(&str, &[f64])] = &[
        ("bool", &[1.0, 0.0, 1.0]),
        ("u8", &[0.0, 255.0]),
        ("i8", &[-128.0, 127.0]),
        ("i16", &[-3.0, 5.0]),
        ("u16", &[7.0, 65535.0]),
        ("i32", &[-1.0, 2147483647.0]),
        ("u32", &[0.0, 4294967295.0]),
        ("i64", &[-9223372036854775808.0, 5.0]),
        ("u64", &[0.0, 18446744073709551615.0]),
        ("f16", &[1.5, inf, -0.0]),
        ("f32", &[1.0, f64::NAN, 3.0, -inf]),
        ("f64", &[1.0, f64::NAN]),
        ("bf16", &[1.0, -2.0, 3.5]),
        ("f8_e4m3", &[1.0, -2.5, 448.0]),
        ("f8_e5m2", &[1.0, -2.5, 57344.0]),
        ("scalar", &[3.0]),
        ("empty", &[]),
    ];
    for (name, vals) in expect {
        let e = got.tensors.iter().find(|e| e.name == *name).unwrap();
        assert_matches(e.stats.as_ref().unwrap(), &reference(vals), name);
    }
    let c64 = got.tensors.iter().find(|e| e.name == "c64").unwrap();
    assert!(c64.not_supported.as_deref().unwrap().contains("complex"));
    assert_eq!((got.supported, got.not_supported), (17, 1));
    let f16 = got.tensors.iter().find(|e| e.name == "f16").unwrap();
    assert_eq!(f16.stats.as_ref().unwrap().zeros, 1, "-0.0 counts as zero");
}

/// Writes a one-tensor safetensors file by hand.
fn write_safetensors(path: &Path, dtype: StDtype, shape: &[u64], data: &[u8]) {
    let header = format!(
        r#"{{"t":{{"dtype":"{}","shape":{:?},"data_offsets":[0,{}]}}}}"#,
        dtype.name(),
        shape,
        data.len()
    );
    let mut out = (header.len() as u64).to_le_bytes().to_vec();
    out.extend(header.as_bytes());
    out.extend(data);
    std::fs::write(path, out).unwrap();
}

#[test]
fn tensor_bigger_than_one_chunk() {
    // 5M bf16 values with NaN and infinities spread over several default-sized chunks.
    let n = 5_000_000usize;
    let mut vals = Vec::with_capacity(n);
    let mut x: u64 = 12345;
    for i in 0..n {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let v = match i % 1_000_003 {
            7 => f32::NAN,
            8 => f32::INFINITY,
            9 => f32::NEG_INFINITY,
            10 => 0.0,
            _ => ((x >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * 8.0 + 1.0,
        };
        vals.push(bf16::from_f32(v));
    }
    let data: Vec<u8> = vals.iter().flat_map(|v| v.to_le_bytes()).collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.safetensors");
    write_safetensors(&path, StDtype::Bf16, &[1000, 5000], &data);
    let file = weights::open(&path, ReadOptions::default()).unwrap();
    let got = run(&file, crate::limits::STATS_CHUNK_ELEMENTS);
    let want = reference(&vals.iter().map(|v| v.to_f64()).collect::<Vec<_>>());
    assert!(n as u64 > crate::limits::STATS_CHUNK_ELEMENTS);
    assert_matches(got.tensors[0].stats.as_ref().unwrap(), &want, "big");
    assert_eq!(want.nan, 5);
}

#[test]
fn exotic_dtypes_are_decoded() {
    let dir = tempfile::tempdir().unwrap();
    type Case<'a> = (StDtype, &'a [u64], &'a [u8], &'a [f64]);
    let cases: &[Case] = &[
        // F4 E2M1, low nibble first: codes 1 (0.5) and 15 (-6).
        (StDtype::F4, &[2], &[0xF1], &[0.5, -6.0]),
        (StDtype::F8E8M0, &[2], &[127, 128], &[1.0, 2.0]),
        (StDtype::F8E4M3Fnuz, &[2], &[0x40, 0x80], &[1.0, f64::NAN]),
        (StDtype::F8E5M2Fnuz, &[1], &[0xC0], &[-1.0]),
    ];
    for (i, (dtype, shape, data, vals)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("{i}.safetensors"));
        write_safetensors(&path, *dtype, shape, data);
        let file = weights::open(&path, ReadOptions::default()).unwrap();
        let got = run(&file, 1);
        assert_matches(
            got.tensors[0].stats.as_ref().unwrap(),
            &reference(vals),
            dtype.name(),
        );
    }
}

#[test]
fn fused_and_elementwise_paths_agree() {
    // The CUDA path uses the element-wise ops; check them against the fused CPU op here.
    let dev = candle_core::Device::Cpu;
    let v: Vec<f32> = vec![
        1.0,
        f32::NAN,
        3.0,
        f32::INFINITY,
        -2.0,
        0.0,
        -0.0,
        f32::NEG_INFINITY,
    ];
    for values in [v.clone(), vec![0.5, -1.5, 2.0], vec![f32::NAN]] {
        let t = candle_core::Tensor::from_vec(values.clone(), values.len(), &dev).unwrap();
        let a = super::fused::reduce(&t).unwrap().stats();
        let b = super::chunk::reduce_elementwise(&t).unwrap().stats();
        let want = reference(&values.iter().map(|x| *x as f64).collect::<Vec<_>>());
        assert_matches(&a, &want, "fused");
        assert_matches(&b, &want, "elementwise");
    }
}
