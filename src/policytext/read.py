"""Bytes to text: encodings, byte-order marks and line ends.

The text as read is what every offset indexes: decoded, BOM removed, CRLF
and CR turned into LF.

```pycon
>>> decode("一是\\r\\n二是".encode("gb18030")).text
'一是\\n二是'
>>> decode("一是".encode("gb18030")).encoding
'gb18030'

```
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass

from policytext.errors import InputError

__all__ = ["SourceText", "decode", "normalize_newlines", "read"]

#: Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Signatures of binary formats people mistake for text, and their names.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc/.xls)"),
    (b"\x7fELF", "an executable"),
)

#: Encodings a Chinese text without a BOM may be in, besides UTF-8.
_CANDIDATES = ("gb18030", "big5", "utf_16", "utf_32")

#: Encodings charset-normalizer may name for Chinese text, read as their superset GB18030.
_GB_FAMILY = frozenset({"gb2312", "gbk", "gb18030", "hz", "cp936"})


@dataclass(frozen=True, slots=True)
class SourceText:
    """A text as read, with the encoding it was found in and where it came from."""

    text: str
    encoding: str
    path: str = "<text>"

    def __str__(self) -> str:
        return self.text


def normalize_newlines(text: str) -> str:
    """Turn CRLF and lone CR into LF.

    ```pycon
    >>> normalize_newlines("a\\r\\nb\\rc")
    'a\\nb\\nc'

    ```
    """
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _first_bad_byte(data: bytes, encoding: str) -> int:
    try:
        data.decode(encoding)
    except UnicodeDecodeError as e:
        return e.start
    return -1


def decode(data: bytes, where: str = "<bytes>") -> SourceText:
    """Decode ``data`` to text: a BOM if there is one, else UTF-8, else the encoding detected.

    Raises :class:`InputError` naming ``where`` for a binary file, NUL bytes
    or bytes no encoding explains.
    """
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise InputError(where, f"is {kind}, not a text file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as e:
                raise InputError(
                    where,
                    f"starts with a {encoding} byte-order mark, but byte {e.start} "
                    f"is not {encoding}",
                ) from None
            return SourceText(normalize_newlines(text), encoding, where)
    nul = data.find(b"\0")
    if nul >= 0:
        raise InputError(where, f"has a NUL byte at offset {nul}: a binary file, not text")
    try:
        return SourceText(normalize_newlines(data.decode("utf-8")), "utf-8", where)
    except UnicodeDecodeError:
        pass
    found = _detect(data)
    if found is None:
        bad = _first_bad_byte(data, "utf-8")
        raise InputError(
            where,
            f"cannot be decoded: byte {bad} is not UTF-8, and no other encoding "
            "(GB18030, Big5, UTF-16 …) explains the bytes; save it as UTF-8",
        )
    return SourceText(normalize_newlines(data.decode(found)), found, where)


def _detect(data: bytes) -> str | None:
    """The encoding charset-normalizer finds for ``data`` among those Chinese texts use.

    GB18030 wins a near tie: short texts often decode cleanly in both GB18030
    and Big5, and mainland policy archives are far more often GB-encoded.
    """
    from charset_normalizer import from_bytes

    matches = from_bytes(data, cp_isolation=list(_CANDIDATES))
    best = matches.best()
    if best is None:
        return None
    gb = next((m for m in matches if _is_gb(m.encoding)), None)
    if gb is not None and gb.chaos <= best.chaos + 0.1:
        return "gb18030"
    return str(best.encoding)


def _is_gb(encoding: str) -> bool:
    return encoding.replace("_", "").lower() in _GB_FAMILY


def read(path: str | os.PathLike[str]) -> SourceText:
    """Read a text file in any encoding policytext supports.

    Raises :class:`InputError` naming the file for a missing, unreadable,
    binary or undecodable file.
    """
    where = os.fspath(path)
    try:
        with open(where, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise InputError(where, "no such file") from None
    except IsADirectoryError:
        raise InputError(where, "is a folder, not a file") from None
    except OSError as e:
        raise InputError(where, f"cannot be read: {e.strerror or e}") from None
    return decode(data, where)
