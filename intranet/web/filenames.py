"""Names of downloaded files: readable words in any language, and an ASCII form for the
browsers and mail programs that cannot take more."""

import re
import unicodedata
from urllib.parse import quote

from intranet.core.stored_text import printable

# Letters that Unicode does not decompose into an ASCII letter and a mark.
_OWN_LETTERS = {"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ð": "d", "ł": "l", "þ": "th"}
_FOLD = str.maketrans(
    {**_OWN_LETTERS, **{k.upper(): v.capitalize() for k, v in _OWN_LETTERS.items() if k != "ß"}}
)


def slug(text: str) -> str:
    """Lower-case words joined by hyphens ("Handlingsplan 2018–2021" ->
    "handlingsplan-2018-2021"); letters outside ASCII are kept."""
    return "-".join(re.findall(r"[^\W_]+", printable(text).lower()))


def ascii_fold(text: str) -> str:
    """The same letters without their marks ("Šukar nämnd" -> "Sukar namnd"); characters
    without an ASCII letter in them are left out."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return kept.encode("ascii", "ignore").decode()


def content_disposition(filename: str) -> str:
    """An attachment header with an ASCII `filename` for every client and, when the name
    has other characters, the exact name as RFC 5987 `filename*` for those that read it."""
    fallback = re.sub(r'["\\\x00-\x1f\x7f]', "", ascii_fold(filename)) or "download"
    header = f'attachment; filename="{fallback}"'
    if fallback != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header
