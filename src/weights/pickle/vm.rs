//! The symbolic pickle machine: it follows every opcode of protocols 0-5 and builds [`Value`]s,
//! but never imports or calls anything. Globals become data; calls become [`Call`] nodes.
//!
//! Every length read from the pickle is checked against the bytes that remain before anything is
//! allocated, and the stack, memo, nesting depth, op count and retained bytes are all capped.

use super::error::PickleError;
use super::globals::judge;
use super::opcodes::Op;
use super::text;
use super::value::{Call, CallKind, Heap, Node, NodeId, SLOT_BYTES, Value};
use crate::limits::{
    PICKLE_MAX_DEPTH, PICKLE_MAX_KEPT_STRING, PICKLE_MAX_MEMO, PICKLE_MAX_OPS,
    PICKLE_MAX_RETAINED_BYTES, PICKLE_MAX_STACK,
};
use crate::weights::cursor::Cursor;
use crate::weights::safety::{GlobalRef, Verdict};
use std::collections::{HashMap, HashSet};

/// Highest pickle protocol this machine knows.
pub const HIGHEST_PROTOCOL: u8 = 5;

type R<T> = Result<T, PickleError>;

pub(crate) struct Machine<'a> {
    cur: Cursor<'a>,
    location: &'a str,
    pub heap: Heap,
    stack: Vec<Value>,
    /// Stack heights at each open MARK.
    marks: Vec<usize>,
    memo: HashMap<u64, Value>,
    pub globals: Vec<GlobalRef>,
    seen: HashSet<(String, String)>,
    pub findings: Vec<String>,
    pub verdict: Verdict,
    ops: u64,
    /// Offset and name of the opcode being run, for errors.
    at: u64,
    op: &'static str,
}

impl<'a> Machine<'a> {
    /// A machine reading `bytes` from position `start`; offsets are reported relative to `bytes`.
    pub fn new(bytes: &'a [u8], start: usize, location: &'a str) -> Machine<'a> {
        let rest = bytes.get(start..).unwrap_or_default();
        Machine {
            cur: Cursor::with_base(rest, start as u64),
            location,
            heap: Heap::default(),
            stack: Vec::new(),
            marks: Vec::new(),
            memo: HashMap::new(),
            globals: Vec::new(),
            seen: HashSet::new(),
            findings: Vec::new(),
            verdict: Verdict::Safe,
            ops: 0,
            at: start as u64,
            op: "",
        }
    }

    /// Offset just past the last byte read (after STOP when `run` succeeded).
    pub fn position(&self) -> u64 {
        self.cur.offset()
    }

    /// Run until STOP and return the value it pops.
    pub fn run(&mut self) -> R<Value> {
        loop {
            self.at = self.cur.offset();
            if self.cur.is_empty() {
                return Err(PickleError::NoStop { offset: self.at });
            }
            let byte = self
                .cur
                .u8()
                .map_err(|e| PickleError::truncated("opcode", e))?;
            let Some(op) = Op::from_byte(byte) else {
                return Err(PickleError::UnknownOpcode {
                    offset: self.at,
                    byte,
                });
            };
            self.op = op.name();
            self.ops += 1;
            if self.ops > PICKLE_MAX_OPS {
                return Err(self.limit("opcode count", PICKLE_MAX_OPS));
            }
            if let Some(v) = self.step(op)? {
                return Ok(v);
            }
            if self.heap.retained() > PICKLE_MAX_RETAINED_BYTES {
                return Err(self.limit("retained bytes", PICKLE_MAX_RETAINED_BYTES as u64));
            }
        }
    }

    fn step(&mut self, op: Op) -> R<Option<Value>> {
        match op {
            Op::Stop => return self.pop().map(Some),
            Op::Proto => {
                let version = self.u8()?;
                if version > HIGHEST_PROTOCOL {
                    return Err(PickleError::UnsupportedProtocol {
                        offset: self.at,
                        version,
                    });
                }
            }
            Op::Frame => {
                // Frames only group opcodes for buffered reading; check the claim and go on.
                let len = self.u64()?;
                if len > self.cur.remaining() {
                    return Err(self.bad(format!(
                        "frame of {len} bytes, only {} remain",
                        self.cur.remaining()
                    )));
                }
            }
            Op::Mark => {
                if self.marks.len() >= PICKLE_MAX_STACK {
                    return Err(self.limit("MARK count", PICKLE_MAX_STACK as u64));
                }
                self.marks.push(self.stack.len());
            }
            Op::Pop => {
                // CPython pops the topmost MARK when the stack above it is empty.
                if self.stack.len() > self.marks.last().copied().unwrap_or(0) {
                    let v = self.pop()?;
                    self.note_discarded_call(v);
                } else {
                    self.pop_mark()?;
                }
            }
            Op::PopMark => {
                self.pop_mark()?;
            }
            Op::Dup => {
                let v = self.top()?;
                self.push(v)?;
            }

            Op::None => self.push(Value::None)?,
            Op::Newtrue => self.push(Value::Bool(true))?,
            Op::Newfalse => self.push(Value::Bool(false))?,
            Op::Int => {
                let line = self.line()?;
                let v = match line {
                    b"00" => Value::Bool(false),
                    b"01" => Value::Bool(true),
                    _ => self.int_value(line)?,
                };
                self.push(v)?;
            }
            Op::Long => {
                let line = self.line()?;
                let v = self.int_value(line)?;
                self.push(v)?;
            }
            Op::Binint => {
                let v = self
                    .cur
                    .i32()
                    .map_err(|e| PickleError::truncated(self.op, e))?;
                self.push(Value::Int(i64::from(v)))?;
            }
            Op::Binint1 => {
                let v = self.u8()?;
                self.push(Value::Int(i64::from(v)))?;
            }
            Op::Binint2 => {
                let v = self
                    .cur
                    .u16()
                    .map_err(|e| PickleError::truncated(self.op, e))?;
                self.push(Value::Int(i64::from(v)))?;
            }
            Op::Long1 => {
                let n = u64::from(self.u8()?);
                let v = self.long_bytes(n)?;
                self.push(v)?;
            }
            Op::Long4 => {
                let n = self.len_i32()?;
                let v = self.long_bytes(n)?;
                self.push(v)?;
            }
            Op::Float => {
                let line = self.line()?;
                let v = text::parse_float(line).map_err(|why| self.bad(why))?;
                self.push(Value::Float(v))?;
            }
            Op::Binfloat => {
                let bytes = self
                    .cur
                    .array::<8>()
                    .map_err(|e| PickleError::truncated(self.op, e))?;
                self.push(Value::Float(f64::from_be_bytes(bytes)))?;
            }

            Op::String => {
                let line = self.line()?;
                let bytes = text::parse_quoted(line).map_err(|why| self.bad(why))?;
                let v = self.str_value(&bytes);
                self.push(v)?;
            }
            Op::Binstring => {
                let n = self.len_i32()?;
                self.push_str_of_len(n)?;
            }
            Op::ShortBinstring | Op::ShortBinunicode => {
                let n = u64::from(self.u8()?);
                self.push_str_of_len(n)?;
            }
            Op::Binunicode => {
                let n = u64::from(self.u32()?);
                self.push_str_of_len(n)?;
            }
            Op::Binunicode8 => {
                let n = self.u64()?;
                self.push_str_of_len(n)?;
            }
            Op::Unicode => {
                let line = self.line()?;
                let s = text::parse_raw_unicode(line).map_err(|why| self.bad(why))?;
                let v = self.string_value(s);
                self.push(v)?;
            }
            Op::ShortBinbytes => {
                let n = u64::from(self.u8()?);
                self.push_bytes_of_len(n)?;
            }
            Op::Binbytes => {
                let n = u64::from(self.u32()?);
                self.push_bytes_of_len(n)?;
            }
            Op::Binbytes8 | Op::Bytearray8 => {
                let n = self.u64()?;
                self.push_bytes_of_len(n)?;
            }
            Op::NextBuffer => {
                let id = self.add_node(Node::Buffer, &[])?;
                self.push(Value::Node(id))?;
            }
            Op::ReadonlyBuffer => {
                self.top()?;
            }

            Op::EmptyList => self.push_container(Node::List(Vec::new()), &[])?,
            Op::EmptyTuple => self.push_container(Node::Tuple(Vec::new()), &[])?,
            Op::EmptyDict => self.push_container(Node::Dict(Vec::new()), &[])?,
            Op::EmptySet => self.push_container(Node::Set(Vec::new()), &[])?,
            Op::List => {
                let items = self.pop_mark()?;
                self.push_container(Node::List(items.clone()), &items)?;
            }
            Op::Tuple => {
                let items = self.pop_mark()?;
                self.push_container(Node::Tuple(items.clone()), &items)?;
            }
            Op::Frozenset => {
                let items = self.pop_mark()?;
                self.push_container(Node::FrozenSet(items.clone()), &items)?;
            }
            Op::Tuple1 | Op::Tuple2 | Op::Tuple3 => {
                let n = match op {
                    Op::Tuple1 => 1,
                    Op::Tuple2 => 2,
                    _ => 3,
                };
                let items = self.pop_n(n)?;
                self.push_container(Node::Tuple(items.clone()), &items)?;
            }
            Op::Dict => {
                let items = self.pop_mark()?;
                let entries = self.pairs(&items)?;
                self.push_container(Node::Dict(entries), &items)?;
            }
            Op::Append => {
                let v = self.pop()?;
                self.extend_top(vec![v], Vec::new())?;
            }
            Op::Appends | Op::Additems => {
                let items = self.pop_mark()?;
                self.extend_top(items, Vec::new())?;
            }
            Op::Setitem => {
                let v = self.pop()?;
                let k = self.pop()?;
                self.extend_top(Vec::new(), vec![(k, v)])?;
            }
            Op::Setitems => {
                let items = self.pop_mark()?;
                let entries = self.pairs(&items)?;
                self.extend_top(Vec::new(), entries)?;
            }

            Op::Get => {
                let line = self.line()?;
                let index = text::parse_index(line).map_err(|why| self.bad(why))?;
                self.memo_get(index)?;
            }
            Op::Binget => {
                let index = u64::from(self.u8()?);
                self.memo_get(index)?;
            }
            Op::LongBinget => {
                let index = u64::from(self.u32()?);
                self.memo_get(index)?;
            }
            Op::Put => {
                let line = self.line()?;
                let index = text::parse_index(line).map_err(|why| self.bad(why))?;
                self.memo_put(index)?;
            }
            Op::Binput => {
                let index = u64::from(self.u8()?);
                self.memo_put(index)?;
            }
            Op::LongBinput => {
                let index = u64::from(self.u32()?);
                self.memo_put(index)?;
            }
            Op::Memoize => {
                let index = self.memo.len() as u64;
                self.memo_put(index)?;
            }

            Op::Global => {
                let module = self.line()?;
                let name = self.line()?;
                let g = self.global_from_bytes(module, name)?;
                self.push(g)?;
            }
            Op::StackGlobal => {
                let name = self.pop()?;
                let module = self.pop()?;
                let g = match (module, name) {
                    (Value::Str(m), Value::Str(n)) => {
                        self.record_global(
                            self.heap.str(m).to_string(),
                            self.heap.str(n).to_string(),
                        );
                        self.add_node(Node::Global { module: m, name: n }, &[])?
                    }
                    _ => {
                        self.record_computed_global();
                        self.add_node(Node::ComputedGlobal, &[])?
                    }
                };
                self.push(Value::Node(g))?;
            }
            Op::Ext1 | Op::Ext2 | Op::Ext4 => {
                let code = match op {
                    Op::Ext1 => u32::from(self.u8()?),
                    Op::Ext2 => u32::from(
                        self.cur
                            .u16()
                            .map_err(|e| PickleError::truncated(self.op, e))?,
                    ),
                    _ => self.u32()?,
                };
                self.record_extension(code);
                let id = self.add_node(Node::Extension(code), &[])?;
                self.push(Value::Node(id))?;
            }

            Op::Reduce => {
                let args = self.pop()?;
                let func = self.pop()?;
                self.push_call(CallKind::Reduce, func, args, None)?;
            }
            Op::Newobj => {
                let args = self.pop()?;
                let cls = self.pop()?;
                self.push_call(CallKind::NewObj, cls, args, None)?;
            }
            Op::NewobjEx => {
                let kwargs = self.pop()?;
                let args = self.pop()?;
                let cls = self.pop()?;
                self.push_call(CallKind::NewObj, cls, args, Some(kwargs))?;
            }
            Op::Obj => {
                let mut items = self.pop_mark()?;
                if items.is_empty() {
                    return Err(self.bad("OBJ without a class after the MARK".to_string()));
                }
                let cls = items.remove(0);
                let args = self.add_node(Node::Tuple(items.clone()), &items)?;
                self.push_call(CallKind::Inst, cls, Value::Node(args), None)?;
            }
            Op::Inst => {
                let module = self.line()?;
                let name = self.line()?;
                let cls = self.global_from_bytes(module, name)?;
                let items = self.pop_mark()?;
                let args = self.add_node(Node::Tuple(items.clone()), &items)?;
                self.push_call(CallKind::Inst, cls, Value::Node(args), None)?;
            }
            Op::Build => {
                let state = self.pop()?;
                let target = self.top()?;
                self.build(target, state)?;
            }
            Op::Persid => {
                let line = self.line()?;
                let pid = self.str_value(line);
                let id = self.add_node(Node::PersId(pid), &[pid])?;
                self.push(Value::Node(id))?;
            }
            Op::Binpersid => {
                let pid = self.pop()?;
                let id = self.add_node(Node::PersId(pid), &[pid])?;
                self.push(Value::Node(id))?;
            }
        }
        Ok(None)
    }

    // --- errors -------------------------------------------------------------------------------

    fn limit(&self, what: &'static str, limit: u64) -> PickleError {
        PickleError::Limit {
            offset: self.at,
            op: self.op,
            what,
            limit,
        }
    }

    fn bad(&self, why: String) -> PickleError {
        PickleError::BadArgument {
            offset: self.at,
            op: self.op,
            why,
        }
    }

    // --- reading arguments --------------------------------------------------------------------

    fn u8(&mut self) -> R<u8> {
        self.cur
            .u8()
            .map_err(|e| PickleError::truncated(self.op, e))
    }

    fn u32(&mut self) -> R<u32> {
        self.cur
            .u32()
            .map_err(|e| PickleError::truncated(self.op, e))
    }

    fn u64(&mut self) -> R<u64> {
        self.cur
            .u64()
            .map_err(|e| PickleError::truncated(self.op, e))
    }

    /// A signed 4-byte length (BINSTRING, LONG4): negative lengths are invalid.
    fn len_i32(&mut self) -> R<u64> {
        let n = self
            .cur
            .i32()
            .map_err(|e| PickleError::truncated(self.op, e))?;
        u64::try_from(n).map_err(|_| self.bad(format!("negative length {n}")))
    }

    fn take(&mut self, n: u64) -> R<&'a [u8]> {
        self.cur
            .take(n)
            .map_err(|e| PickleError::truncated(self.op, e))
    }

    /// A protocol-0 argument line, without its `\n` (and a `\r` before it).
    fn line(&mut self) -> R<&'a [u8]> {
        let rest = self.cur.peek(usize::MAX);
        let Some(end) = rest.iter().position(|&b| b == b'\n') else {
            return Err(PickleError::Truncated {
                offset: self.cur.offset(),
                op: self.op,
                needed: rest.len() as u64 + 1,
                remaining: rest.len() as u64,
            });
        };
        let line = self.take(end as u64 + 1)?;
        let line = line.get(..end).unwrap_or_default();
        Ok(line.strip_suffix(b"\r").unwrap_or(line))
    }

    // --- values -------------------------------------------------------------------------------

    fn int_value(&self, line: &[u8]) -> R<Value> {
        match text::parse_int(line).map_err(|why| self.bad(why))? {
            Some(i) => Ok(Value::Int(i)),
            None => Ok(Value::BigInt {
                bytes: line.len() as u64,
            }),
        }
    }

    /// LONG1/LONG4: little-endian two's complement of `n` bytes.
    fn long_bytes(&mut self, n: u64) -> R<Value> {
        let bytes = self.take(n)?;
        if bytes.len() > 8 {
            return Ok(Value::BigInt { bytes: n });
        }
        let negative = bytes.last().is_some_and(|b| b & 0x80 != 0);
        let mut buf = [if negative { 0xff } else { 0 }; 8];
        for (slot, b) in buf.iter_mut().zip(bytes) {
            *slot = *b;
        }
        Ok(Value::Int(i64::from_le_bytes(buf)))
    }

    fn string_value(&mut self, s: String) -> Value {
        if s.len() > PICKLE_MAX_KEPT_STRING {
            Value::LongStr(s.len() as u64)
        } else {
            Value::Str(self.heap.add_str(s))
        }
    }

    fn str_value(&mut self, bytes: &[u8]) -> Value {
        if bytes.len() > PICKLE_MAX_KEPT_STRING {
            return Value::LongStr(bytes.len() as u64);
        }
        let s = String::from_utf8_lossy(bytes).into_owned();
        Value::Str(self.heap.add_str(s))
    }

    fn push_str_of_len(&mut self, n: u64) -> R<()> {
        let bytes = self.take(n)?;
        let v = self.str_value(bytes);
        self.push(v)
    }

    fn push_bytes_of_len(&mut self, n: u64) -> R<()> {
        self.take(n)?;
        self.push(Value::Bytes(n))
    }

    // --- stack --------------------------------------------------------------------------------

    fn push(&mut self, v: Value) -> R<()> {
        if self.stack.len() >= PICKLE_MAX_STACK {
            return Err(self.limit("stack size", PICKLE_MAX_STACK as u64));
        }
        self.stack.push(v);
        Ok(())
    }

    /// The stack height below which the current MARK protects values.
    fn floor(&self) -> usize {
        self.marks.last().copied().unwrap_or(0)
    }

    fn pop(&mut self) -> R<Value> {
        if self.stack.len() <= self.floor() {
            return Err(PickleError::StackUnderflow {
                offset: self.at,
                op: self.op,
            });
        }
        self.stack.pop().ok_or(PickleError::StackUnderflow {
            offset: self.at,
            op: self.op,
        })
    }

    fn top(&self) -> R<Value> {
        if self.stack.len() <= self.floor() {
            return Err(PickleError::StackUnderflow {
                offset: self.at,
                op: self.op,
            });
        }
        self.stack
            .last()
            .copied()
            .ok_or(PickleError::StackUnderflow {
                offset: self.at,
                op: self.op,
            })
    }

    fn pop_n(&mut self, n: usize) -> R<Vec<Value>> {
        let available = self.stack.len().saturating_sub(self.floor());
        if available < n {
            return Err(PickleError::StackUnderflow {
                offset: self.at,
                op: self.op,
            });
        }
        Ok(self.stack.split_off(self.stack.len() - n))
    }

    fn pop_mark(&mut self) -> R<Vec<Value>> {
        let Some(mark) = self.marks.pop() else {
            return Err(PickleError::NoMark {
                offset: self.at,
                op: self.op,
            });
        };
        Ok(self.stack.split_off(mark.min(self.stack.len())))
    }

    fn pairs(&self, items: &[Value]) -> R<Vec<(Value, Value)>> {
        if !items.len().is_multiple_of(2) {
            return Err(self.bad(format!(
                "odd number of items ({}) for key/value pairs",
                items.len()
            )));
        }
        Ok(items.chunks_exact(2).map(|kv| (kv[0], kv[1])).collect())
    }

    // --- memo ---------------------------------------------------------------------------------

    fn memo_get(&mut self, index: u64) -> R<()> {
        let v = *self.memo.get(&index).ok_or(PickleError::MemoMissing {
            offset: self.at,
            op: self.op,
            index,
        })?;
        self.push(v)
    }

    fn memo_put(&mut self, index: u64) -> R<()> {
        let v = self.top()?;
        if self.memo.len() >= PICKLE_MAX_MEMO && !self.memo.contains_key(&index) {
            return Err(self.limit("memo size", PICKLE_MAX_MEMO as u64));
        }
        self.memo.insert(index, v);
        Ok(())
    }

    // --- containers ---------------------------------------------------------------------------

    /// Depth a node holding `children` has; errors past the nesting cap.
    fn depth_over(&self, children: &[Value]) -> R<u16> {
        let inner = children
            .iter()
            .map(|v| self.heap.depth(*v))
            .max()
            .unwrap_or(0);
        let depth = usize::from(inner) + 1;
        if depth > PICKLE_MAX_DEPTH {
            return Err(PickleError::TooDeep {
                offset: self.at,
                op: self.op,
                limit: PICKLE_MAX_DEPTH,
            });
        }
        Ok(depth as u16)
    }

    fn add_node(&mut self, node: Node, children: &[Value]) -> R<NodeId> {
        let depth = self.depth_over(children)?;
        self.heap.charge(children.len().saturating_mul(SLOT_BYTES));
        Ok(self.heap.add_node(node, depth))
    }

    fn push_container(&mut self, node: Node, children: &[Value]) -> R<()> {
        let id = self.add_node(node, children)?;
        self.push(Value::Node(id))
    }

    fn push_call(
        &mut self,
        kind: CallKind,
        func: Value,
        args: Value,
        kwargs: Option<Value>,
    ) -> R<()> {
        let call = Call {
            kind,
            func,
            args,
            kwargs,
            state: None,
            items: Vec::new(),
            entries: Vec::new(),
        };
        let children: Vec<Value> = [func, args].into_iter().chain(kwargs).collect();
        self.push_container(Node::Call(Box::new(call)), &children)
    }

    /// APPEND(S)/ADDITEMS/SETITEM(S) onto the value on top of the stack.
    fn extend_top(&mut self, items: Vec<Value>, entries: Vec<(Value, Value)>) -> R<()> {
        let target = self.top()?;
        let mut children = items.clone();
        children.extend(entries.iter().flat_map(|(k, v)| [*k, *v]));
        let depth = self.depth_over(&children)?;
        self.heap.charge(children.len().saturating_mul(SLOT_BYTES));
        let Value::Node(id) = target else {
            return Err(self.bad(format!("cannot add items to a {}", scalar_kind(target))));
        };
        let op = self.op;
        let node = self.heap.node_mut(id);
        let ok = match node {
            Some(Node::List(v)) | Some(Node::Set(v)) if entries.is_empty() => {
                v.extend(items);
                true
            }
            Some(Node::Dict(d)) if items.is_empty() => {
                d.extend(entries);
                true
            }
            Some(Node::Call(c)) => {
                c.items.extend(items);
                c.entries.extend(entries);
                true
            }
            // Objects the loader supplies: their type is unknown here.
            Some(Node::PersId(_)) | Some(Node::Extension(_)) | Some(Node::ComputedGlobal) => true,
            _ => false,
        };
        if !ok {
            return Err(self.bad(format!(
                "{op} onto a value that is not a matching container"
            )));
        }
        self.heap.raise_depth(id, depth);
        Ok(())
    }

    fn build(&mut self, target: Value, state: Value) -> R<()> {
        let depth = self.depth_over(&[state])?;
        let Value::Node(id) = target else {
            return Err(self.bad(format!("BUILD on a {}", scalar_kind(target))));
        };
        match self.heap.node_mut(id) {
            Some(Node::Call(c)) => c.state = Some(state),
            Some(Node::Global { module, name }) => {
                // BUILD on a class or function sets attributes on it: monkey-patching.
                let (module, name) = (*module, *name);
                let what = format!("{}.{}", self.heap.str(module), self.heap.str(name));
                self.escalate(
                    Verdict::Dangerous,
                    format!("BUILD sets attributes on the global {what} itself (monkey-patching)"),
                );
            }
            Some(Node::PersId(_)) | Some(Node::Extension(_)) | Some(Node::ComputedGlobal) => {}
            _ => return Err(self.bad("BUILD on a value that has no state".to_string())),
        }
        self.heap.raise_depth(id, depth);
        Ok(())
    }

    // --- globals ------------------------------------------------------------------------------

    fn global_from_bytes(&mut self, module: &[u8], name: &[u8]) -> R<Value> {
        let m = String::from_utf8_lossy(module).into_owned();
        let n = String::from_utf8_lossy(name).into_owned();
        self.record_global(m.clone(), n.clone());
        let module = self.heap.add_str(m);
        let name = self.heap.add_str(n);
        Ok(Value::Node(
            self.add_node(Node::Global { module, name }, &[])?,
        ))
    }

    fn escalate(&mut self, v: Verdict, finding: String) {
        self.verdict = self.verdict.max(v);
        self.findings.push(format!(
            "{}at byte {}: {finding}",
            self.where_prefix(),
            self.at
        ));
    }

    fn where_prefix(&self) -> String {
        if self.location.is_empty() {
            String::new()
        } else {
            format!("{} ", self.location)
        }
    }

    fn push_global_ref(&mut self, module: String, name: String, verdict: Verdict, reason: String) {
        if !self.seen.insert((module.clone(), name.clone())) {
            return;
        }
        self.verdict = self.verdict.max(verdict);
        self.globals.push(GlobalRef {
            module,
            name,
            verdict,
            reason,
            location: self.location.to_string(),
        });
    }

    fn record_global(&mut self, module: String, name: String) {
        let (verdict, reason) = judge(&module, &name);
        self.push_global_ref(module, name, verdict, reason);
    }

    fn record_computed_global(&mut self) {
        self.push_global_ref(
            "?".to_string(),
            format!("<computed at byte {}>", self.at),
            Verdict::Dangerous,
            "global name computed at load time (STACK_GLOBAL on non-string operands)".to_string(),
        );
    }

    fn record_extension(&mut self, code: u32) {
        self.push_global_ref(
            "copyreg._extension_registry".to_string(),
            code.to_string(),
            Verdict::Suspicious,
            "extension code: resolves to whatever the loading process registered".to_string(),
        );
    }

    /// fickling's heuristic: a call whose result is thrown away was made for its side effect.
    fn note_discarded_call(&mut self, v: Value) {
        let Some(call) = self.heap.as_call(v) else {
            return;
        };
        let Some((m, n)) = self.heap.as_global(call.func) else {
            return;
        };
        let what = format!("{m}.{n}");
        self.escalate(
            Verdict::Suspicious,
            format!("the result of calling {what} is discarded (called for its side effect)"),
        );
    }
}

fn scalar_kind(v: Value) -> &'static str {
    match v {
        Value::None => "None",
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::BigInt { .. } => "int",
        Value::Float(_) => "float",
        Value::Str(_) | Value::LongStr(_) => "str",
        Value::Bytes(_) => "bytes",
        Value::Node(_) => "object",
    }
}
