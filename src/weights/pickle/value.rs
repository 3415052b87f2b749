//! Symbolic values of the pickle VM. Scalars are small `Copy` values; containers, calls and
//! globals live in an arena ([`Heap`]) and are referred to by index, so memo references share
//! instead of cloning, cycles cannot leak, and dropping a deep structure cannot recurse.

/// Index of a string kept in the heap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StrId(pub u32);

/// Index of a node in the heap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NodeId(pub u32);

/// One value on the VM stack or inside a container.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    /// An integer that does not fit in i64; only the size of its encoding is kept.
    BigInt {
        bytes: u64,
    },
    Float(f64),
    Str(StrId),
    /// A string too long to keep (longer than [`crate::limits::PICKLE_MAX_KEPT_STRING`]); only its byte length.
    LongStr(u64),
    /// A bytes or bytearray payload; only its length (tensor data never needs to be copied).
    Bytes(u64),
    Node(NodeId),
}

/// How an object was built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    /// `REDUCE`: `func(*args)`.
    Reduce,
    /// `NEWOBJ`/`NEWOBJ_EX`: `cls.__new__(cls, *args, **kwargs)`.
    NewObj,
    /// `OBJ`/`INST`: `cls(*args)` (protocol 0/1 instances).
    Inst,
}

/// A call that loading the pickle would make, plus what later opcodes do to its result.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub(crate) kind: CallKind,
    pub(crate) func: Value,
    /// The argument tuple (a `Node` holding a tuple, usually).
    pub(crate) args: Value,
    pub(crate) kwargs: Option<Value>,
    /// The `BUILD` state (`__setstate__` argument or attribute dict), if any.
    pub(crate) state: Option<Value>,
    /// Items added with `APPEND(S)` (a list subclass, a deque, ...).
    pub(crate) items: Vec<Value>,
    /// Entries added with `SETITEM(S)` (`OrderedDict` and other dict subclasses).
    pub(crate) entries: Vec<(Value, Value)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    List(Vec<Value>),
    Tuple(Vec<Value>),
    Dict(Vec<(Value, Value)>),
    Set(Vec<Value>),
    FrozenSet(Vec<Value>),
    /// A global that `GLOBAL`, `INST` or `STACK_GLOBAL` would import.
    Global {
        module: StrId,
        name: StrId,
    },
    /// A `STACK_GLOBAL` whose operands are not both strings: the name is only known at load time.
    ComputedGlobal,
    /// An object from the `copyreg` extension registry (`EXT1/2/4`).
    Extension(u32),
    Call(Box<Call>),
    /// `persistent_load(pid)`: how PyTorch refers to storages.
    PersId(Value),
    /// An out-of-band buffer (`NEXT_BUFFER`, protocol 5).
    Buffer,
}

/// The arena holding strings and nodes, with the bytes it accounts for.
#[derive(Debug, Default, Clone)]
pub struct Heap {
    strings: Vec<Box<str>>,
    nodes: Vec<Node>,
    /// Nesting depth recorded when each node was built or extended.
    depths: Vec<u16>,
    retained: usize,
}

/// Approximate cost of one container slot, charged against the retained-bytes cap.
pub(crate) const SLOT_BYTES: usize = std::mem::size_of::<Value>();

impl Heap {
    pub(crate) fn str(&self, id: StrId) -> &str {
        self.strings.get(id.0 as usize).map_or("", |s| s)
    }

    pub(crate) fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id.0 as usize)
    }

    pub(crate) fn node_mut(&mut self, id: NodeId) -> Option<&mut Node> {
        self.nodes.get_mut(id.0 as usize)
    }

    pub(crate) fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Bytes charged so far (strings, nodes and container slots).
    pub(crate) fn retained(&self) -> usize {
        self.retained
    }

    pub(crate) fn charge(&mut self, bytes: usize) {
        self.retained = self.retained.saturating_add(bytes);
    }

    pub(crate) fn add_str(&mut self, s: String) -> StrId {
        self.charge(std::mem::size_of::<Box<str>>() + s.len());
        let id = StrId(self.strings.len() as u32);
        self.strings.push(s.into_boxed_str());
        id
    }

    pub(crate) fn add_node(&mut self, node: Node, depth: u16) -> NodeId {
        let extra = match &node {
            Node::Call(_) => std::mem::size_of::<Call>(),
            _ => 0,
        };
        self.charge(std::mem::size_of::<Node>() + extra);
        let id = NodeId(self.nodes.len() as u32);
        self.nodes.push(node);
        self.depths.push(depth);
        id
    }

    /// Nesting depth of a value: 0 for scalars.
    pub(crate) fn depth(&self, v: Value) -> u16 {
        match v {
            Value::Node(id) => self.depths.get(id.0 as usize).copied().unwrap_or(0),
            _ => 0,
        }
    }

    pub(crate) fn raise_depth(&mut self, id: NodeId, depth: u16) {
        if let Some(d) = self.depths.get_mut(id.0 as usize) {
            *d = (*d).max(depth);
        }
    }

    // Accessors used by the readers that walk the top-level value.

    /// The string a value holds, if it is a kept string.
    pub(crate) fn as_str(&self, v: Value) -> Option<&str> {
        match v {
            Value::Str(id) => Some(self.str(id)),
            _ => None,
        }
    }

    pub(crate) fn as_node(&self, v: Value) -> Option<&Node> {
        match v {
            Value::Node(id) => self.node(id),
            _ => None,
        }
    }

    /// The items of a tuple or list value.
    pub(crate) fn as_seq(&self, v: Value) -> Option<&[Value]> {
        match self.as_node(v)? {
            Node::Tuple(items) | Node::List(items) => Some(items),
            _ => None,
        }
    }

    /// `(module, name)` of a global value.
    pub(crate) fn as_global(&self, v: Value) -> Option<(&str, &str)> {
        match self.as_node(v)? {
            Node::Global { module, name } => Some((self.str(*module), self.str(*name))),
            _ => None,
        }
    }

    /// The call a value is the result of.
    pub(crate) fn as_call(&self, v: Value) -> Option<&Call> {
        match self.as_node(v)? {
            Node::Call(c) => Some(c),
            _ => None,
        }
    }

    /// A non-negative integer (sizes, offsets); booleans count as 0/1 like Python.
    pub(crate) fn as_u64(&self, v: Value) -> Option<u64> {
        match v {
            Value::Int(i) => u64::try_from(i).ok(),
            Value::Bool(b) => Some(u64::from(b)),
            _ => None,
        }
    }
}
