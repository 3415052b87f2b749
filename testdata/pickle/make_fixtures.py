#!/usr/bin/env python3
"""Regenerate the hand-built fixtures under testdata/pickle, testdata/pytorch and testdata/numpy.

Every pickle here is assembled opcode by opcode (or written by pickle.dumps from plain data);
nothing is ever unpickled. File names start with the outcome the tests expect:
safe-/suspicious-/dangerous- (verdict), ok- (reads fine), err- (reading fails or stops early).
Run from anywhere: python3 testdata/pickle/make_fixtures.py
"""
import io
import os
import pickle
import struct
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def write(folder, name, data):
    with open(os.path.join(ROOT, folder, name), "wb") as f:
        f.write(data)


# --- a tiny opcode assembler -------------------------------------------------------------------

def proto(n):
    return b"\x80" + bytes([n])


def glob(module, name):
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def uni(s):
    b = s.encode()
    return b"X" + struct.pack("<I", len(b)) + b


def short_uni(s):
    b = s.encode()
    return b"\x8c" + bytes([len(b)]) + b


def intv(n):
    if 0 <= n < 256:
        return b"K" + bytes([n])
    return b"J" + struct.pack("<i", n)


def tup(items):
    return b"(" + b"".join(items) + b"t"


def ordered_dict(entries):
    """OrderedDict() then SETITEMS of (key opcodes, value opcodes)."""
    body = b"".join(k + v for k, v in entries)
    return glob("collections", "OrderedDict") + b")R" + (b"(" + body + b"u" if entries else b"")


def plain_dict(entries):
    return b"}" + (b"(" + b"".join(k + v for k, v in entries) + b"u" if entries else b"")


def storage(cls, key, numel):
    return tup([uni("storage"), glob("torch", cls), uni(key), uni("cpu"), intv(numel)]) + b"Q"


def rebuild_v2(cls, key, numel, offset, size, stride):
    return glob("torch._utils", "_rebuild_tensor_v2") + tup(
        [storage(cls, key, numel), intv(offset), tup([intv(s) for s in size]),
         tup([intv(s) for s in stride]), b"\x89", ordered_dict([])]
    ) + b"R"


def os_system(cmd="echo pwned"):
    return glob("posix", "system") + tup([uni(cmd)]) + b"R"


# --- bare pickles --------------------------------------------------------------------------------

def pickles():
    d = "pickle"
    write(d, "safe-ordered-dict.pkl", proto(2) + ordered_dict([(uni("a"), intv(1)), (uni("b"), intv(2))]) + b".")
    data = {"ints": [1, -5, 2**70], "f": 2.5, "s": "héllo", "b": b"\x00\x01", "t": (1, None, True),
            "set": {1, 2}, "fs": frozenset([3]), "ba": bytearray(b"xy"), "c": 1 + 2j}
    for n in range(0, 6):
        write(d, f"safe-protocol{n}-data.pkl", pickle.dumps(data, protocol=n))
    write(d, "dangerous-os-system.pkl", b"cposix\nsystem\n(S'echo pwned'\ntR.")
    write(d, "dangerous-builtins-eval.pkl",
          proto(4) + short_uni("builtins") + b"\x94" + short_uni("eval") + b"\x94\x93\x94" + short_uni("1+1") + b"\x85R.")
    write(d, "dangerous-stack-global-computed.pkl",
          proto(4) + glob("builtins", "str") + short_uni("os") + b"\x85R" + short_uni("system") + b"\x93" + short_uni("id") + b"\x85R.")
    write(d, "dangerous-subprocess-inst.pkl", b"(S'id'\nisubprocess\nPopen\n.")
    write(d, "dangerous-dotted-attribute-path.pkl",
          proto(4) + short_uni("torch") + short_uni("serialization.os.system") + b"\x93" + short_uni("id") + b"\x85R.")
    write(d, "dangerous-build-on-global.pkl",
          proto(2) + glob("torch", "Tensor") + plain_dict([(uni("__reduce_ex__"), uni("x"))]) + b"b.")
    write(d, "err-unreadable-pickle-dangerous-global-before-bad-opcode.pkl", proto(2) + os_system() + b"\xff")
    write(d, "dangerous-second-pickle.pkl", pickle.dumps({"a": 1}, protocol=2) + proto(2) + os_system() + b".")
    write(d, "dangerous-runpy-protocol1.pkl", b"crunpy\n_run_code\n(X\x04\x00\x00\x001+1}tR.")
    write(d, "suspicious-unknown-global.pkl", proto(2) + glob("mymodule", "MyClass") + b")\x81}b.")
    write(d, "suspicious-ext-code.pkl", proto(2) + b"\x82\x07)R.")
    write(d, "suspicious-discarded-call.pkl", proto(2) + glob("collections", "OrderedDict") + b")R0N.")
    write(d, "err-truncated.pkl", pickle.dumps({"a": [1, 2, 3], "b": "text"}, protocol=2)[:-7])
    write(d, "err-unknown-opcode.pkl", proto(2) + b"N\xff.")
    write(d, "err-binunicode-longer-than-file.pkl", proto(3) + b"X\xff\xff\xff\x7fabc.")
    write(d, "err-binbytes8-4gib.pkl", proto(4) + b"\x8e" + struct.pack("<Q", 4 << 30) + b"abcdefghi")
    write(d, "err-deep-nesting.pkl", proto(2) + b"(" * 300 + b"t" * 300 + b".")
    write(d, "err-memo-missing.pkl", proto(2) + b"h\x05.")
    write(d, "err-stack-underflow.pkl", proto(2) + b"R.")
    write(d, "err-no-stop.pkl", proto(2) + b"N")
    write(d, "err-unsupported-protocol.pkl", b"\x80\x09N.")
    write(d, "err-odd-setitems.pkl", proto(2) + b"}(K\x01u.")
    write(d, "err-append-to-int.pkl", proto(2) + b"K\x01K\x02a.")
    write(d, "err-negative-binstring.pkl", proto(1) + b"T\xff\xff\xff\xff.")
    write(d, "err-bad-float-literal.pkl", b"Fnot-a-float\n.")


# --- PyTorch -----------------------------------------------------------------------------------

def torch_zip(entries, prefix="archive/", deflate=()):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries:
            method = zipfile.ZIP_DEFLATED if name in deflate else zipfile.ZIP_STORED
            z.writestr(zipfile.ZipInfo(prefix + name, date_time=(2020, 1, 1, 0, 0, 0)), data, compress_type=method)
    return buf.getvalue()


def standard_entries(pkl, storages):
    return [("data.pkl", pkl), ("byteorder", b"little"), ("version", b"3\n")] + [
        ("data/" + k, v) for k, v in storages]


def legacy(obj_pickle, keys_and_bytes, cut=0):
    out = pickle.dumps(0x1950A86A20F9469CFC6C, protocol=2)
    out += pickle.dumps(1001, protocol=2)
    out += pickle.dumps({"protocol_version": 1001, "little_endian": True,
                         "type_sizes": {"short": 2, "int": 4, "long": 4}}, protocol=2)
    out += obj_pickle
    out += pickle.dumps([k for k, _, _ in keys_and_bytes], protocol=2)
    for _, count, data in keys_and_bytes:
        out += struct.pack("<q", count) + data
    return out[: len(out) - cut]


def pytorch():
    d = "pytorch"
    two = proto(2) + ordered_dict([
        (uni("w"), rebuild_v2("FloatStorage", "0", 6, 0, [2, 3], [3, 1])),
        (uni("b"), rebuild_v2("LongStorage", "1", 2, 0, [2], [1])),
    ]) + b"."
    storages = [("0", b"\x00" * 24), ("1", b"\x00" * 16)]
    write(d, "ok-legacy.pt", legacy(two, [("0", 6, b"\x00" * 24), ("1", 2, b"\x00" * 16)]))
    write(d, "err-legacy-truncated-storage.pt", legacy(two, [("0", 6, b"\x00" * 24), ("1", 2, b"\x00" * 16)], cut=5))
    write(d, "ok-zip-two-tensors.pt", torch_zip(standard_entries(two, storages)))
    write(d, "ok-zip-deflated-data-pkl.pt", torch_zip(standard_entries(two, storages), deflate=("archive/data.pkl",)))
    write(d, "err-missing-storage.pt", torch_zip(standard_entries(two, storages[:1])))
    write(d, "err-tensor-outside-storage.pt", torch_zip(standard_entries(two, [("0", b"\x00" * 20), ("1", b"\x00" * 16)])))
    # Found by the pytorch fuzz target: a tensor with no elements may name any storage offset
    # (PyTorch accepts it), yet the offset openseal reports must lie inside the file.
    empty_far = proto(2) + ordered_dict([
        (uni("w"), rebuild_v2("FloatStorage", "0", 6, 0, [2, 3], [3, 1])),
        (uni("e"), rebuild_v2("FloatStorage", "0", 6, 1000000, [0], [1])),
    ]) + b"."
    write(d, "ok-zip-empty-tensor-offset-past-storage.pt", torch_zip(standard_entries(empty_far, storages[:1])))
    write(d, "ok-legacy-empty-tensor-offset-past-storage.pt", legacy(empty_far, [("0", 6, b"\x00" * 24)]))
    write(d, "err-zip-no-data-pkl.pt", torch_zip([("byteorder", b"little"), ("data/0", b"\x00" * 4)]))
    evil = proto(2) + plain_dict([
        (uni("w"), rebuild_v2("FloatStorage", "0", 6, 0, [2, 3], [3, 1])),
        (uni("x"), os_system()),
    ]) + b"."
    write(d, "dangerous-zip-data-pkl.pt", torch_zip(standard_entries(evil, storages[:1])))
    write(d, "dangerous-zip-extra-pickle.pt",
          torch_zip(standard_entries(two, storages) + [("extra.pkl", proto(2) + os_system() + b".")]))
    odd = proto(2) + plain_dict([
        (uni("w"), rebuild_v2("FloatStorage", "0", 6, 0, [2, 3], [3, 1])),
        (uni("args"), glob("argparse", "Namespace") + b")R"),
    ]) + b"."
    write(d, "suspicious-zip-unknown-global.pt", torch_zip(standard_entries(odd, storages[:1])))
    v3 = glob("torch._utils", "_rebuild_parameter") + tup([
        glob("torch._utils", "_rebuild_tensor_v3") + tup([
            storage("UntypedStorage", "0", 12), intv(1), tup([intv(2), intv(2)]), tup([intv(2), intv(1)]),
            b"\x89", ordered_dict([]), glob("torch", "bfloat16")]) + b"R",
        b"\x88", ordered_dict([])]) + b"R"
    nested = proto(2) + plain_dict([
        (uni("epoch"), intv(3)),
        (uni("state_dict"), ordered_dict([(uni("layer.weight"), v3)])),
    ]) + b"."
    write(d, "ok-zip-v3-parameter-nested.pt", torch_zip(standard_entries(nested, [("0", b"\x00" * 12)])))
    module = proto(2) + glob("__torch__.m", "Net") + b")\x81" + plain_dict([
        (uni("training"), b"\x89"),
        (uni("fc"), glob("__torch__.m", "Linear") + b")\x81" + plain_dict([
            (uni("weight"), rebuild_v2("FloatStorage", "0", 6, 0, [2, 3], [3, 1]))]) + b"b"),
    ]) + b"b."
    write(d, "suspicious-torchscript-code.pt", torch_zip(
        standard_entries(module, storages[:1]) + [
            ("code/__torch__/m.py", b"class Net(Module):\n  pass\n"),
            ("constants.pkl", proto(2) + b").")],
        deflate=("archive/code/__torch__/m.py",)))


# --- NumPy -------------------------------------------------------------------------------------

def npy(header, data=b"", version=(1, 0), pad=True):
    h = header.encode("utf-8" if version[0] >= 3 else "latin-1")
    pre = 10 if version[0] == 1 else 12
    if pad:
        h += b" " * ((64 - (pre + len(h) + 1) % 64) % 64) + b"\n"
    length = struct.pack("<H", len(h)) if version[0] == 1 else struct.pack("<I", len(h))
    return b"\x93NUMPY" + bytes(version) + length + h + data


def npz(entries, deflate=False):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED) as z:
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data,
                       compress_type=zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED)
    return buf.getvalue()


def numpy():
    d = "numpy"
    f4 = lambda shape, fortran=False: "{'descr': '<f4', 'fortran_order': %s, 'shape': %s, }" % (fortran, shape)
    write(d, "ok-npy-fortran.npy", npy(f4("(2, 3)", True), b"\x00" * 24))
    write(d, "ok-npy-big-endian.npy", npy("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", b"\x00" * 16))
    write(d, "ok-npy-structured.npy",
          npy("{'descr': [('x', '<f4'), ('y', '<i2', (3,))], 'fortran_order': False, 'shape': (2,), }", b"\x00" * 20))
    write(d, "ok-npy-v3-utf8.npy", npy("{'descr': '<U2', 'fortran_order': False, 'shape': (), }", b"\x00" * 8, version=(3, 0)))
    write(d, "ok-npy-v2-scalar.npy", npy("{'descr': '<i2', 'fortran_order': False, 'shape': (), }", b"\x00" * 2, version=(2, 0)))
    write(d, "err-npy-header-too-long.npy", b"\x93NUMPY\x02\x00" + struct.pack("<I", 2 << 20) + b"{'descr'")
    write(d, "err-npy-bad-literal.npy", npy("{'descr': __import__('os').system('id'), 'fortran_order': False, 'shape': (1,), }", b"\x00" * 4))
    write(d, "err-npy-truncated-data.npy", npy(f4("(100,)"), b"\x00" * 8))
    write(d, "err-npy-header-past-end.npy", b"\x93NUMPY\x01\x00\xff\x00{'descr': '<f4'")
    write(d, "err-npy-bad-magic.npy", b"\x93NUMPX\x01\x00\x00\x00")
    write(d, "err-npy-bad-version.npy", b"\x93NUMPY\x09\x00\x02\x00{}")
    write(d, "err-npy-negative-dim.npy", npy(f4("(-1,)"), b""))
    write(d, "err-npy-missing-shape.npy", npy("{'descr': '<f4', 'fortran_order': False}", b""))
    write(d, "err-npy-unknown-dtype.npy", npy("{'descr': '<q9', 'fortran_order': False, 'shape': (1,), }", b"\x00" * 9))
    write(d, "dangerous-npy-object-os-system.npy",
          npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", proto(2) + os_system() + b"."))
    arr = npy("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", b"\x01\x00\x00\x00" * 3)
    write(d, "ok-npz-compressed.npz", npz([("a.npy", arr), ("b/c.npy", arr)], deflate=True))
    write(d, "ok-npz-stored.npz", npz([("a.npy", arr)]))
    write(d, "err-npz-entry-bad-header.npz", npz([("a.npy", arr), ("bad.npy", b"\x93NUMPY\x01\x00\x05\x00{'a'")]))
    write(d, "dangerous-npz-object.npz",
          npz([("evil.npy", npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", proto(2) + os_system() + b"."))], deflate=True))


if __name__ == "__main__":
    pickles()
    pytorch()
    numpy()
