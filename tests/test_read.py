from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from policytext import InputError, decode, read

TEXT = "总结创先争优成果\n一是强化组织领导。“三亮三比三创”活动\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("gb18030"), "gb18030"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
        (TEXT.replace("\n", "\r").encode("gb18030"), "gb18030"),
    ],
)
def test_decode_gives_the_same_text(data: bytes, encoding: str) -> None:
    got = decode(data)
    assert got.text == TEXT
    assert got.encoding == encoding


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "PNG image"),
        (b"%PDF-1.7\n", "PDF document"),
        ("一是".encode() + b"\0\0abc", "NUL byte at offset 6"),
        (bytes(range(0x80, 0x100)) * 3, "cannot be decoded"),
    ],
)
def test_decode_refuses_binary_with_a_clear_message(data: bytes, problem: str) -> None:
    with pytest.raises(InputError, match=problem) as info:
        decode(data, "scan.txt")
    assert str(info.value).startswith("scan.txt: ")


def test_big5_is_told_from_gb18030() -> None:
    text = "各級黨組織充分利用報刊、廣播、電視、互聯網，對活動進行集中宣傳，強化了輿論引導。"
    got = decode(text.encode("big5"))
    assert (got.text, got.encoding) == (text, "big5")


def test_read_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="is a folder"):
        read(tmp_path)


def test_read_seed_in_other_encodings(seed_path: Path, tmp_path: Path) -> None:
    text = read(seed_path).text
    for encoding, bom in [("gb18030", b""), ("utf-16-le", codecs.BOM_UTF16_LE)]:
        copy = tmp_path / f"seed.{encoding}.txt"
        copy.write_bytes(bom + text.encode(encoding))
        assert read(copy).text == text
