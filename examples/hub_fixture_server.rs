//! The tests' Hub-shaped fixture server, standing alone for `benches/compare_hub.sh`: serves
//! `org/llama-4shard`, a Llama-like model of four 2 GiB safetensors shards (headers only, data
//! as zeros never sent), with its index and config.json, on 127.0.0.1. Prints the port, then
//! serves until killed. `GET /__stats` answers the requests and body bytes served so far.

#[path = "../tests/hub_server/mod.rs"]
mod hub_server;

use hub_server::{File, Repo, Server};
use serde_json::Value;

const SHARD_BYTES: u64 = 2 << 30;

/// A safetensors header declaring `tensors` (name, dtype, shape), laid out back to back.
fn header(tensors: &[(String, Vec<u64>)]) -> (Vec<u8>, u64) {
    let mut map = serde_json::Map::new();
    map.insert("__metadata__".into(), serde_json::json!({"format": "pt"}));
    let mut offset = 0u64;
    for (name, shape) in tensors {
        let size = shape.iter().product::<u64>() * 2;
        map.insert(
            name.clone(),
            serde_json::json!({"dtype": "BF16", "shape": shape, "data_offsets": [offset, offset + size]}),
        );
        offset += size;
    }
    let mut text = serde_json::to_vec(&Value::Object(map)).unwrap();
    while !(text.len() + 8).is_multiple_of(8) {
        text.push(b' ');
    }
    let mut out = (text.len() as u64).to_le_bytes().to_vec();
    out.extend(text);
    (out, offset)
}

fn main() {
    // 32 layers of a Llama-7B-like shape, spread over four shards by layer.
    let mut shards: Vec<Vec<(String, Vec<u64>)>> = vec![Vec::new(); 4];
    shards[0].push(("model.embed_tokens.weight".into(), vec![32000, 4096]));
    for layer in 0..32u64 {
        let s = &mut shards[(layer / 8) as usize];
        for (part, shape) in [
            ("self_attn.q_proj", vec![4096, 4096]),
            ("self_attn.k_proj", vec![4096, 4096]),
            ("self_attn.v_proj", vec![4096, 4096]),
            ("self_attn.o_proj", vec![4096, 4096]),
            ("mlp.gate_proj", vec![11008, 4096]),
            ("mlp.up_proj", vec![11008, 4096]),
            ("mlp.down_proj", vec![4096, 11008]),
            ("input_layernorm", vec![4096]),
            ("post_attention_layernorm", vec![4096]),
        ] {
            s.push((format!("model.layers.{layer}.{part}.weight"), shape));
        }
    }
    shards[3].push(("model.norm.weight".into(), vec![4096]));
    shards[3].push(("lm_head.weight".into(), vec![32000, 4096]));
    let mut files = Vec::new();
    let mut weight_map = serde_json::Map::new();
    let mut total_size = 0;
    for (i, tensors) in shards.iter().enumerate() {
        let name = format!("model-{:05}-of-00004.safetensors", i + 1);
        let (head, data) = header(tensors);
        total_size += data;
        let size = head.len() as u64 + data.max(SHARD_BYTES);
        for (t, _) in tensors {
            weight_map.insert(t.clone(), Value::String(name.clone()));
        }
        files.push(File::sparse(&name, head, size, &format!("{:064x}", i + 1)));
    }
    let index =
        serde_json::json!({"metadata": {"total_size": total_size}, "weight_map": weight_map});
    files.push(File::git(
        "model.safetensors.index.json",
        serde_json::to_vec(&index).unwrap(),
    ));
    files.push(File::git(
        "config.json",
        br#"{"model_type": "llama", "architectures": ["LlamaForCausalLM"], "hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 32, "vocab_size": 32000}"#.to_vec(),
    ));
    let server = Server::start(vec![Repo {
        id: "org/llama-4shard".into(),
        commit: "0123456789abcdef0123456789abcdef01234567".into(),
        files,
        token: None,
    }]);
    println!("{}", server.port);
    loop {
        std::thread::park();
    }
}
