//! Finding tensors in the symbolic value of a PyTorch pickle: calls to torch's `_rebuild_*`
//! functions on a persistent storage id, nested in dicts, lists and module objects at any depth.
//! Tensors are named by their dotted key path (`model_state_dict.fc.weight`).

use super::dtypes;
use crate::limits::{MAX_DIMS, MAX_TENSORS, PICKLE_MAX_DEPTH};
use crate::weights::dtype::Dtype;
use crate::weights::pickle::{Heap, Node, NodeId, Value};
use std::collections::HashSet;

/// A storage as a persistent id names it: `('storage', StorageClass, key, location, numel)`.
#[derive(Debug, Clone, PartialEq)]
pub struct StorageRef {
    pub key: String,
    /// The storage class name (`FloatStorage`).
    pub class: String,
    pub dtype: Option<Dtype>,
    pub location: String,
    /// Elements the storage holds, as the pickle claims.
    pub numel: Option<u64>,
    /// Element offset of a legacy storage view into its root storage.
    pub view_offset: u64,
}

/// A tensor as the pickle describes it, before its storage is located.
#[derive(Debug, Clone, PartialEq)]
pub struct TensorRef {
    pub name: String,
    pub storage: StorageRef,
    /// The tensor's dtype (from `_rebuild_tensor_v3`, else the storage's).
    pub dtype: Option<Dtype>,
    pub storage_offset: u64,
    pub size: Vec<u64>,
    pub stride: Vec<u64>,
}

/// What walking found: tensors in order, and problems worth a warning.
#[derive(Debug, Default)]
pub struct Found {
    pub tensors: Vec<TensorRef>,
    pub warnings: Vec<String>,
    /// The tensor count cap was reached.
    pub truncated: bool,
}

/// Walk `root` and collect every tensor in it; `prefix` starts every name (e.g. `constants`).
pub fn find_tensors(heap: &Heap, root: Value, prefix: &str) -> Found {
    let mut w = Walker {
        heap,
        found: Found::default(),
        visited: HashSet::new(),
        depth_warned: false,
    };
    w.walk(root, prefix.to_string(), 0);
    w.found
}

struct Walker<'h> {
    heap: &'h Heap,
    found: Found,
    /// Containers already walked: shared references and cycles are followed once.
    visited: HashSet<NodeId>,
    depth_warned: bool,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

impl Walker<'_> {
    fn key_text(&self, k: Value) -> String {
        match k {
            Value::Str(_) => self.heap.as_str(k).unwrap_or_default().to_string(),
            Value::Int(i) => i.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => "?".to_string(),
        }
    }

    fn walk(&mut self, v: Value, path: String, depth: usize) {
        if self.found.truncated {
            return;
        }
        let Value::Node(id) = v else { return };
        if depth > PICKLE_MAX_DEPTH {
            if !self.depth_warned {
                self.depth_warned = true;
                self.found.warnings.push(format!(
                    "stopped looking for tensors below {path:?}: nested deeper than {PICKLE_MAX_DEPTH}"
                ));
            }
            return;
        }
        let heap = self.heap;
        let Some(node) = heap.node(id) else { return };
        if let Node::Call(call) = node
            && let Some((module, name)) = heap.as_global(call.func)
            && self.rebuild_call(module, name, call.args, &path, depth)
        {
            return;
        }
        if !self.visited.insert(id) {
            return;
        }
        match node {
            Node::Dict(entries) => self.walk_entries(entries, &path, depth),
            Node::List(items) | Node::Tuple(items) => self.walk_items(items, &path, depth),
            Node::Call(call) => {
                self.walk_entries(&call.entries, &path, depth);
                self.walk_items(&call.items, &path, depth);
                if let Some(state) = call.state {
                    self.walk_state(state, &path, depth);
                }
                // Arguments of other calls (Lightning extras, wrappers) may hold tensors too.
                self.walk(call.args, path, depth + 1);
            }
            _ => {}
        }
    }

    /// `BUILD` state: an attribute dict, or `(dict, slotstate)`.
    fn walk_state(&mut self, state: Value, path: &str, depth: usize) {
        match self.heap.as_node(state) {
            Some(Node::Tuple(items)) if items.len() == 2 => {
                for item in items.clone() {
                    self.walk(item, path.to_string(), depth + 1);
                }
            }
            _ => self.walk(state, path.to_string(), depth + 1),
        }
    }

    fn walk_entries(&mut self, entries: &[(Value, Value)], path: &str, depth: usize) {
        for (k, v) in entries {
            let name = join(path, &self.key_text(*k));
            self.walk(*v, name, depth + 1);
        }
    }

    fn walk_items(&mut self, items: &[Value], path: &str, depth: usize) {
        for (i, v) in items.iter().enumerate() {
            self.walk(*v, join(path, &i.to_string()), depth + 1);
        }
    }

    /// Handle calls to torch's rebuild functions; false when `module.name` is not one.
    fn rebuild_call(
        &mut self,
        module: &str,
        name: &str,
        args: Value,
        path: &str,
        depth: usize,
    ) -> bool {
        if depth > PICKLE_MAX_DEPTH {
            return true;
        }
        let args = self.heap.as_seq(args).unwrap_or_default();
        match (module, name) {
            ("torch._utils", "_rebuild_tensor" | "_rebuild_tensor_v2" | "_rebuild_qtensor") => {
                self.tensor(args, None, path);
                true
            }
            ("torch._utils", "_rebuild_tensor_v3") => {
                let dtype = args
                    .get(6)
                    .and_then(|d| self.heap.as_global(*d))
                    .and_then(|(_, n)| dtypes::from_torch_dtype(n));
                self.tensor(args, dtype, path);
                true
            }
            (
                "torch._utils",
                "_rebuild_parameter" | "_rebuild_parameter_with_state" | "_rebuild_parameter_v2",
            ) => {
                if let Some(data) = args.first() {
                    self.walk(*data, path.to_string(), depth + 1);
                }
                true
            }
            // `_rebuild_from_type_v2(func, new_type, args, state)` calls `func(*args)`.
            ("torch._tensor", "_rebuild_from_type_v2") => {
                let inner = args.get(2).copied();
                let func = args.first().and_then(|f| self.heap.as_global(*f));
                if let Some(inner) = inner {
                    let handled =
                        func.is_some_and(|(m, n)| self.rebuild_call(m, n, inner, path, depth + 1));
                    if !handled {
                        self.walk(inner, path.to_string(), depth + 1);
                    }
                }
                true
            }
            _ => false,
        }
    }

    /// `(storage, storage_offset, size, stride, ...)`.
    fn tensor(&mut self, args: &[Value], dtype: Option<Dtype>, path: &str) {
        let name = if path.is_empty() { "tensor" } else { path };
        let storage = args.first().and_then(|s| self.storage(*s));
        let offset = args.get(1).and_then(|v| self.heap.as_u64(*v));
        let size = args.get(2).and_then(|v| self.int_tuple(*v));
        let stride = args.get(3).and_then(|v| self.int_tuple(*v));
        let (Some(storage), Some(storage_offset), Some(size), Some(stride)) =
            (storage, offset, size, stride)
        else {
            self.found.warnings.push(format!(
                "tensor {name:?}: rebuild arguments are not (storage, offset, size, stride); skipped"
            ));
            return;
        };
        if size.len() > MAX_DIMS || size.len() != stride.len() {
            self.found.warnings.push(format!(
                "tensor {name:?}: {} sizes and {} strides (at most {MAX_DIMS}); skipped",
                size.len(),
                stride.len()
            ));
            return;
        }
        if self.found.tensors.len() as u64 >= MAX_TENSORS {
            self.found.truncated = true;
            self.found.warnings.push(format!(
                "more than {MAX_TENSORS} tensors; the rest are not listed"
            ));
            return;
        }
        let dtype = dtype.or_else(|| storage.dtype.clone());
        self.found.tensors.push(TensorRef {
            name: name.to_string(),
            storage,
            dtype,
            storage_offset,
            size,
            stride,
        });
    }

    /// A size or stride: a tuple of ints, possibly wrapped in `torch.Size(...)`.
    fn int_tuple(&self, v: Value) -> Option<Vec<u64>> {
        if let Some(call) = self.heap.as_call(v) {
            let inner = *self.heap.as_seq(call.args)?.first()?;
            return self.int_tuple(inner);
        }
        let items = self.heap.as_seq(v)?;
        if items.len() > MAX_DIMS {
            return None;
        }
        items.iter().map(|i| self.heap.as_u64(*i)).collect()
    }

    fn storage(&self, v: Value) -> Option<StorageRef> {
        let Some(Node::PersId(pid)) = self.heap.as_node(v) else {
            return None;
        };
        parse_persid(self.heap, *pid)
    }
}

/// `('storage', StorageClass, key, location, numel[, view_metadata])`.
pub fn parse_persid(heap: &Heap, pid: Value) -> Option<StorageRef> {
    let items = heap.as_seq(pid)?;
    if heap.as_str(*items.first()?)? != "storage" {
        return None;
    }
    let class = match heap.as_global(*items.get(1)?) {
        Some((_, name)) => name.to_string(),
        None => "?".to_string(),
    };
    let key = match *items.get(2)? {
        Value::Int(i) => i.to_string(),
        k => heap.as_str(k)?.to_string(),
    };
    let location = items
        .get(3)
        .and_then(|l| heap.as_str(*l))
        .unwrap_or_default()
        .to_string();
    let numel = items.get(4).and_then(|n| heap.as_u64(*n));
    // Legacy views: (view_key, offset, view_size) into the root storage.
    let view_offset = items
        .get(5)
        .and_then(|m| heap.as_seq(*m))
        .and_then(|m| m.get(1).and_then(|o| heap.as_u64(*o)))
        .unwrap_or(0);
    Some(StorageRef {
        dtype: dtypes::from_storage_class(&class),
        key,
        class,
        location,
        numel,
        view_offset,
    })
}
