//! GGUF block quantization: ggml's `dequantize_row_q8_0` and `dequantize_row_q4_0`.

use half::f16;

fn scale(block: &[u8]) -> f32 {
    f16::from_le_bytes([block[0], block[1]]).to_f32()
}

/// Q8_0: blocks of 34 bytes, an f16 scale then 32 signed bytes; x = d * q.
pub fn q8_0(bytes: &[u8], out: &mut Vec<f32>) {
    for block in bytes.chunks_exact(34) {
        let d = scale(block);
        out.extend(block[2..].iter().map(|&q| d * f32::from(q as i8)));
    }
}

/// Q4_0: blocks of 18 bytes, an f16 scale then 16 bytes of nibbles. Low nibbles hold elements
/// 0..16, high nibbles elements 16..32; x = d * (q - 8).
pub fn q4_0(bytes: &[u8], out: &mut Vec<f32>) {
    for block in bytes.chunks_exact(18) {
        let d = scale(block);
        let qs = &block[2..];
        out.extend(
            qs.iter()
                .map(|&q| d * f32::from(i16::from(q & 0x0F) as i8 - 8)),
        );
        out.extend(
            qs.iter()
                .map(|&q| d * f32::from(i16::from(q >> 4) as i8 - 8)),
        );
    }
}
