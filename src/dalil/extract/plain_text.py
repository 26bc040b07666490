"""Plain-text files: their encoding told from their bytes, their lines kept.

UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1256 (Arabic) or Windows-1252, told
apart by how their high bytes cluster (:func:`decode`).
"""

from __future__ import annotations

import itertools
import re

from dalil.errors import InvalidInput
from dalil.extract.text_map import Document, TextBuilder

_UTF8_ARABIC = re.compile(rb"[\xd8-\xdb][\x80-\xbf]")
#: bytes of a text file looked at to tell its code page (a list of every high byte's
#: position in a 50 MB file would take gigabytes)
_SAMPLE = 1 << 20
#: control characters a text file does not hold (tab, CR, LF and form feed it may)
_CONTROLS = dict.fromkeys(i for i in range(32) if chr(i) not in "\t\r\n\f")


def decode(data: bytes, where: str) -> tuple[str, str]:
    """The text of a plain-text file and its encoding.

    UTF-8 is tried first (strict), then a BOM; otherwise the file is a single-byte code
    page: Windows-1256 when most high bytes stand next to other high bytes (Arabic words
    are runs of them), Windows-1252 when they stand alone between ASCII letters (accented
    Latin). A file that is partly valid UTF-8 and partly not is refused: guessing would
    garble one of the parts."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return strict_decode(data, "utf-16", where), "utf-16"
    if b"\x00" in data[:8192]:
        raise InvalidInput("holds NUL bytes, so it is not a text file (is it a binary "
                           "file with a text extension?)", path=where)  # fmt: skip
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as err:
        bad = err.start
    utf8_arabic = _UTF8_ARABIC.search(data)
    if utf8_arabic and len(list(itertools.islice(_UTF8_ARABIC.finditer(data), 4))) > 3:
        raise InvalidInput(
            f"mixes encodings: it holds UTF-8 Arabic (from byte {utf8_arabic.start()}) "
            f"but byte {bad} is not UTF-8; convert the file to one encoding (UTF-8) and add "
            "it again",
            path=where,
        )
    sample = data[:_SAMPLE]  # the code page is told from the first MiB (bounded work)
    high = [i for i, b in enumerate(sample) if b >= 0x80]
    clustered = sum(
        1 for i in high
        if (i > 0 and (sample[i - 1] >= 0x80 or sample[i - 1] == 0x20))
        and (i + 1 < len(sample) and (sample[i + 1] >= 0x80 or sample[i + 1] in b" .,:;!?)\r\n"))
    )  # fmt: skip
    encoding = "cp1256" if high and clustered * 2 >= len(high) else "cp1252"
    text = strict_decode(data, encoding, where)
    controls = len(text) - len(text.translate(_CONTROLS))
    if controls > max(8, len(text) // 100):
        raise InvalidInput(f"{controls} control characters, so it is not a text file (is "
                           "it a binary file with a text extension?)", path=where)  # fmt: skip
    return text, encoding


def strict_decode(data: bytes, encoding: str, where: str) -> str:
    """``data`` decoded as ``encoding``, or one :class:`InvalidInput` saying which byte
    does not fit (or that the encoding is unknown)."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise InvalidInput(f"byte {err.start} is not valid {encoding}", path=where) from err
    except LookupError:  # an HTML page declaring a charset Python has no text codec for
        raise InvalidInput(f"declares the character set {encoding[:40]!r}, which is not "
                           "a known text encoding", path=where) from None  # fmt: skip


def read_text(data: bytes, where: str) -> Document:
    """A plain-text file: lines kept, blank lines separate paragraphs."""
    text, encoding = decode(data, where)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    b = TextBuilder()
    b.add(text, 0, collapse=False)
    return b.document("text", encoding=encoding)
