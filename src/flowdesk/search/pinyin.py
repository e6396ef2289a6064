"""Pinyin of titles and keywords, with call-centre heteronyms read right.

Agents type pinyin in full (xiehaozhuanwang), as initials (xhzw) or half of
either (xiehao, xhz), and make homophone typos (携号专网 for 携号转网). pypinyin
reads a few words of our trade wrong (重置 as zhongzhi, 还款 as haikuan), and
then neither chongzhi nor czmm would find 重置密码; :data:`PHRASE_FIXES` teaches
it the readings agents actually type. pypinyin and its phrase tables (about half
a second to import) are loaded on the first reading, not on import, so a desk
opens and shows its window without waiting for them; the window warms them up in
the background (:func:`warm_up`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import lru_cache

#: Words pypinyin misreads (or might), with the reading agents type. Tone marks are
#: kept so the table is right for every pypinyin style, not only the toneless one.
PHRASE_FIXES: dict[str, str] = {
    "重置": "chóng zhì",
    "重发": "chóng fā",
    "重设": "chóng shè",
    "重开": "chóng kāi",
    "重装": "chóng zhuāng",
    "重办": "chóng bàn",
    "重拨": "chóng bō",
    "重签": "chóng qiān",
    "重连": "chóng lián",
    "重订": "chóng dìng",
    "重选": "chóng xuǎn",
    "重填": "chóng tián",
    "重输": "chóng shū",
    "重登": "chóng dēng",
    "重启": "chóng qǐ",
    "重新": "chóng xīn",
    "重复": "chóng fù",
    "还款": "huán kuǎn",
    "还钱": "huán qián",
    "还贷": "huán dài",
    "还清": "huán qīng",
    "退还": "tuì huán",
    "银行": "yín háng",
    "支行": "zhī háng",
    "总行": "zǒng háng",
    "分行": "fēn háng",
    "行长": "háng zhǎng",
    "长途": "cháng tú",
    "调整": "tiáo zhěng",
    "单据": "dān jù",
    "行程": "xíng chéng",
    "套餐": "tào cān",
    "话费": "huà fèi",
}

_TONELESS = str.maketrans(
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ",
    "aaaaeeeeiiiioooouuuuvvvvvnnnm",
)


_loaded: Callable[..., list[str]] | None = None
_load_lock = threading.Lock()


def _lazy_pinyin() -> Callable[..., list[str]]:
    """pypinyin's ``lazy_pinyin``, imported and taught our fixes on first use."""
    global _loaded
    if _loaded is None:
        with _load_lock:
            if _loaded is None:
                from pypinyin import lazy_pinyin, load_phrases_dict

                load_phrases_dict(
                    {
                        word: [[syllable] for syllable in reading.split()]
                        for word, reading in PHRASE_FIXES.items()
                    }
                )
                _loaded = lazy_pinyin
    return _loaded


def warm_up() -> None:
    """Load pypinyin now (from a background thread) so the first search does not wait."""
    _lazy_pinyin()


@lru_cache(maxsize=65536)
def syllables(han_run: str) -> tuple[str, ...]:
    """Toneless pinyin, one syllable per character of a run of Han characters.

    ü is written ``v`` (lv, nv), as pinyin keyboards take it. A character
    pypinyin does not know comes back as itself.
    """
    lazy_pinyin = _lazy_pinyin()
    result = lazy_pinyin(han_run, v_to_u=False)
    if len(result) != len(han_run):
        # pypinyin glued unknown characters together; fall back to one call per character.
        result = [lazy_pinyin(c, v_to_u=False)[0] for c in han_run]
    return tuple(s.lower().translate(_TONELESS) for s in result)


def reading(word: str) -> str:
    """The toneless pinyin of a word of Han characters run together (重置 → chongzhi)."""
    return "".join(syllables(word))


# Sound-alike folding for homophone typos: agents from the south and pinyin
# keyboards with fuzzy input mix these up, so both sides fold them the same way.
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"))
_FUZZY_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"))


@lru_cache(maxsize=8192)
def sound(syllable: str) -> str:
    """A syllable folded so that homophones and near-homophones share one key."""
    for full, short in _FUZZY_INITIALS:
        if syllable.startswith(full):
            syllable = short + syllable[len(full) :]
            break
    for full, short in _FUZZY_FINALS:
        if syllable.endswith(full):
            syllable = syllable[: -len(full)] + short
            break
    return syllable


def sound_key(syllable_seq: tuple[str, ...] | list[str]) -> str:
    """The index key for a run of syllables heard, e.g. ``xie.hao.zuan`` for 携号专."""
    return ".".join(sound(s) for s in syllable_seq)
