use super::*;

#[test]
fn allow_list() {
    for (m, n) in [
        ("collections", "OrderedDict"),
        ("torch._utils", "_rebuild_tensor_v2"),
        ("torch._utils", "_rebuild_parameter"),
        ("torch._utils", "_rebuild_qtensor"),
        ("torch", "FloatStorage"),
        ("torch.cuda", "HalfStorage"),
        ("torch", "bfloat16"),
        ("torch", "Size"),
        ("__builtin__", "set"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("torch.jit._pickle", "build_intlist"),
    ] {
        assert_eq!(judge(m, n).0, Verdict::Safe, "{m}.{n}");
    }
}

#[test]
fn deny_list() {
    for (m, n, why) in [
        ("posix", "system", RUNS_COMMANDS),
        ("os", "system", RUNS_COMMANDS),
        ("nt", "system", RUNS_COMMANDS),
        ("subprocess", "Popen", RUNS_COMMANDS),
        ("builtins", "eval", EVALUATES),
        ("__builtin__", "exec", EVALUATES),
        ("builtins", "getattr", GADGET),
        ("runpy", "_run_code", EVALUATES),
        ("urllib.request", "urlopen", NETWORK),
        ("operator", "attrgetter", GADGET),
        ("torch.serialization", "load", NESTED_LOAD),
        ("os.path", "join", RUNS_COMMANDS),
    ] {
        assert_eq!(
            judge(m, n),
            (Verdict::Dangerous, why.to_string()),
            "{m}.{n}"
        );
    }
}

#[test]
fn dotted_names_are_followed() {
    assert_eq!(
        judge("torch", "serialization.os.system").0,
        Verdict::Dangerous
    );
    assert_eq!(judge("torch", "Tensor.__class__").0, Verdict::Dangerous);
    assert_eq!(judge("torch", "nn.Linear").0, Verdict::Suspicious);
}

#[test]
fn everything_else_is_suspicious() {
    assert_eq!(
        judge("builtins", "range"),
        (Verdict::Suspicious, "not on the allow-list".to_string())
    );
    assert_eq!(judge("numpy", "loads").0, Verdict::Suspicious);
    assert_eq!(judge("osmodule", "x").0, Verdict::Suspicious);
    assert_eq!(judge("__torch__.m", "Net").0, Verdict::Suspicious);
}
