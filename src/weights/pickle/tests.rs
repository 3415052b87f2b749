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
