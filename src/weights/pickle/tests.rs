use super::tests_support::{fixtures, verdict_of};
use super::*;

fn g(module: &str, name: &str) -> Vec<u8> {
    format!("c{module}\n{name}\n").into_bytes()
}

#[test]
fn ordered_dict_state_dict_is_safe() {
    let mut p = vec![0x80, 2];
    p.extend(g("collections", "OrderedDict"));
    p.extend(b")R");
    p.extend(b"X\x01\x00\x00\x00aK\x05s.");
    let s = scan(&p, "");
    assert!(s.error.is_none(), "{:?}", s.error);
    assert_eq!(s.verdict, Verdict::Safe);
    let call = s.heap.as_call(s.value.unwrap()).unwrap();
    assert_eq!(call.entries.len(), 1);
}

#[test]
fn pickle_fixtures_have_the_outcome_their_name_says() {
    use crate::weights::ReadOptions;
    for (name, outcome, bytes) in fixtures("pickle") {
        let r = crate::weights::pytorch::parse_pickle(&bytes, ReadOptions::default());
        match outcome.as_str() {
            "err" => {
                let e = r.expect_err(&name).to_string();
                assert!(e.contains("could not be read"), "{name}: {e}");
                if name.contains("dangerous") {
                    assert!(e.contains("so it is dangerous to load"), "{name}: {e}");
                }
            }
            o => {
                let p = r.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(
                    Some(p.safety.verdict),
                    verdict_of(o),
                    "{name}: {:#?}",
                    p.safety
                );
            }
        }
    }
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/testdata/pickle/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn errors_name_the_place() {
    type Check = fn(&PickleError) -> bool;
    let cases: &[(&str, Check)] = &[
        ("err-unknown-opcode.pkl", |e| {
            matches!(
                e,
                PickleError::UnknownOpcode {
                    offset: 3,
                    byte: 0xff
                }
            )
        }),
        ("err-binunicode-longer-than-file.pkl", |e| {
            matches!(
                e,
                PickleError::Truncated {
                    op: "BINUNICODE",
                    needed: 0x7fff_ffff,
                    ..
                }
            )
        }),
        (
            "err-binbytes8-4gib.pkl",
            |e| matches!(e, PickleError::Truncated { op: "BINBYTES8", needed, .. } if *needed == 4 << 30),
        ),
        ("err-deep-nesting.pkl", |e| {
            matches!(e, PickleError::TooDeep { .. })
        }),
        ("err-memo-missing.pkl", |e| {
            matches!(e, PickleError::MemoMissing { index: 5, .. })
        }),
        ("err-stack-underflow.pkl", |e| {
            matches!(e, PickleError::StackUnderflow { op: "REDUCE", .. })
        }),
        ("err-no-stop.pkl", |e| {
            matches!(e, PickleError::NoStop { offset: 3 })
        }),
        ("err-unsupported-protocol.pkl", |e| {
            matches!(e, PickleError::UnsupportedProtocol { version: 9, .. })
        }),
        ("err-truncated.pkl", |e| {
            matches!(
                e,
                PickleError::Truncated { .. } | PickleError::NoStop { .. }
            )
        }),
        ("err-odd-setitems.pkl", |e| {
            matches!(e, PickleError::BadArgument { op: "SETITEMS", .. })
        }),
        ("err-negative-binstring.pkl", |e| {
            matches!(
                e,
                PickleError::BadArgument {
                    op: "BINSTRING",
                    ..
                }
            )
        }),
    ];
    for (name, check) in cases {
        let s = scan(&fixture(name), name);
        let e = s
            .error
            .as_ref()
            .unwrap_or_else(|| panic!("{name} read fine"));
        assert!(check(e), "{name}: {e:?}");
        assert!(
            s.findings
                .iter()
                .any(|f| f.contains(&format!("byte {}", e.offset()))),
            "{name}"
        );
    }
}

#[test]
fn globals_found_before_an_error_are_reported() {
    let s = scan(
        &fixture("err-unreadable-pickle-dangerous-global-before-bad-opcode.pkl"),
        "x.pkl",
    );
    assert!(matches!(s.error, Some(PickleError::UnknownOpcode { .. })));
    assert_eq!(s.verdict, Verdict::Dangerous);
    let g = &s.globals[0];
    assert_eq!((g.module.as_str(), g.name.as_str()), ("posix", "system"));
    assert_eq!(g.reason, "runs shell commands or spawns processes");
    assert_eq!(g.location, "x.pkl");
}

#[test]
fn computed_stack_global_is_dangerous() {
    let s = scan(&fixture("dangerous-stack-global-computed.pkl"), "");
    let g = s
        .globals
        .iter()
        .find(|g| g.verdict == Verdict::Dangerous)
        .unwrap();
    assert!(g.reason.contains("computed at load time"), "{g:?}");
    assert!(s.error.is_none());
}

#[test]
fn every_protocol_reads_to_the_end() {
    for n in 0..=5 {
        let s = scan(&fixture(&format!("safe-protocol{n}-data.pkl")), "");
        assert!(s.error.is_none(), "protocol {n}: {:?}", s.error);
        let Some(Node::Dict(entries)) = s.heap.as_node(s.value.unwrap()) else {
            panic!("protocol {n}: top is not a dict")
        };
        assert_eq!(entries.len(), 9, "protocol {n}");
        let keys: Vec<&str> = entries
            .iter()
            .filter_map(|(k, _)| s.heap.as_str(*k))
            .collect();
        assert!(
            keys.contains(&"ints") && keys.contains(&"s"),
            "protocol {n}: {keys:?}"
        );
        let s_val = entries
            .iter()
            .find(|(k, _)| s.heap.as_str(*k) == Some("s"))
            .unwrap()
            .1;
        assert_eq!(s.heap.as_str(s_val), Some("héllo"), "protocol {n}");
    }
}

#[test]
fn memo_references_share_instead_of_copying() {
    // L0 = []; Li = [L(i-1), L(i-1)] built through the memo, 60 levels: 2^60 leaves if copied.
    let mut p = vec![0x80, 2, b']', b'q', 0];
    for i in 0..60u8 {
        p.extend([b']', b'(', b'h', i, b'h', i, b'e', b'q', i + 1]);
        if i + 1 >= 250 {
            break;
        }
    }
    // Then DUP and GET the top list a hundred thousand times into one big list.
    p.extend([b']', b'(']);
    for _ in 0..100_000 {
        p.extend([b'h', 60]);
    }
    p.extend([b'e', b'.']);
    let start = std::time::Instant::now();
    let s = scan(&p, "");
    assert!(s.error.is_none(), "{:?}", s.error);
    assert!(s.heap.node_count() < 100, "{}", s.heap.node_count());
    assert!(s.heap.retained() < 4 << 20, "{}", s.heap.retained());
    assert!(start.elapsed().as_secs() < 5);
    // Walking it for tensors visits each list once.
    let found = crate::weights::pytorch::tensors::find_tensors(&s.heap, s.value.unwrap(), "");
    assert!(found.tensors.is_empty());
}

#[test]
fn self_referencing_list_does_not_hang_the_walker() {
    // l = []; l.append(l)
    let p = [0x80, 2, b']', b'q', 0, b'h', 0, b'a', b'.'];
    let s = scan(&p, "");
    assert!(s.error.is_none());
    let found = crate::weights::pytorch::tensors::find_tensors(&s.heap, s.value.unwrap(), "");
    assert!(found.tensors.is_empty());
}

#[test]
fn every_opcode_is_known_and_named_like_pickletools() {
    assert_eq!(Op::ALL.len(), 68);
    for op in Op::ALL {
        let byte = (0..=255u8).find(|b| Op::from_byte(*b) == Some(op)).unwrap();
        assert_eq!(Op::from_byte(byte), Some(op));
        assert!(!op.name().is_empty());
    }
}

#[test]
fn looks_like_pickle_detects_openings() {
    assert!(looks_like_pickle(&fixture("safe-protocol2-data.pkl")));
    assert!(looks_like_pickle(&fixture("safe-protocol0-data.pkl")));
    assert!(!looks_like_pickle(b"PK\x03\x04"));
    assert!(!looks_like_pickle(b"\x80\x09N"));
}

mod props {
    use super::*;
    use proptest::prelude::*;

    /// Opcodes (with arguments) that build, combine and reference values.
    const OPCODE_SNIPPETS: &[&[u8]] = &[
        b"(",
        b"t",
        b"l",
        b"d",
        b"]",
        b"}",
        b")",
        b"a",
        b"e",
        b"s",
        b"u",
        b"b",
        b"R",
        b"\x81",
        b"\x92",
        b"o",
        b"2",
        b"0",
        b"1",
        b"Q",
        b"\x94",
        b"h\x00",
        b"q\x01",
        b"h\x01",
        b"\x93",
        b"\x8c\x02os",
        b"K\x05",
        b"N",
        b"cposix\nsystem\n",
        b"ctorch._utils\n_rebuild_tensor_v2\n",
        b"ctorch._utils\n_rebuild_parameter\n",
        b"\x85",
        b"\x86",
        b"\x87",
        b"\x8f",
        b"\x90",
        b"\x91",
        b"\x97",
        b"\x98",
        b"X\x07\x00\x00\x00storage",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]
        #[test]
        fn random_bytes_never_panic(proto in 0u8..=5, body in proptest::collection::vec(any::<u8>(), 0..300)) {
            let mut p = vec![0x80, proto];
            p.extend(body);
            let s = scan(&p, "fuzz");
            if s.error.is_some() {
                prop_assert!(s.verdict >= Verdict::Suspicious);
            }
            if let Some(v) = s.value {
                let _ = crate::weights::pytorch::tensors::find_tensors(&s.heap, v, "");
            }
            let _ = crate::weights::pytorch::parse_pickle(&p, crate::weights::ReadOptions::default());
        }

        #[test]
        fn random_opcode_sequences_never_panic(ops in proptest::collection::vec(0..OPCODE_SNIPPETS.len(), 0..200)) {
            let mut p = vec![0x80, 4];
            for o in ops { p.extend(OPCODE_SNIPPETS[o]); }
            p.push(b'.');
            let s = scan(&p, "");
            if let Some(v) = s.value {
                let _ = crate::weights::pytorch::tensors::find_tensors(&s.heap, v, "");
            }
        }
    }
}
