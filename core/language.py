"""Which language a text is in (English or Vietnamese), and the per-language word lists that
tokenizing and answering need (pure).

Vietnamese is written with diacritics, but cadres often type without them: "can bo" is "cán bộ",
and folded it collides with English stopwords ("can", "an", "to"). So a text is Vietnamese when
enough of its letters carry Vietnamese marks, or, typed without them, when its words are mostly
Vietnamese function words rather than English ones.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

EN, VI = "en", "vi"

ENGLISH_STOPWORDS = frozenset(
    """a an and are as at be been by did do does for from had has have he her his how i if in into
    is it its many much of on or our she so than that the their them there these they this those to
    was were what when where which who whom whose why will with would you your about after all also
    any can could each other over per s some such up us we well more most only own same then
    tell give list please me according report document documents say says said""".split()
)

# Function words and question words, with their marks: a marked word is a stopword only when it is
# exactly one of these ("cán" is not "can").
VIETNAMESE_STOPWORDS = frozenset(
    """của là và các những được trong cho với đã có không này đó thì một như nào gì bao nhiêu mấy ai
    khi đâu sao vì để theo tại từ đến về cũng đang sẽ hay hoặc nhưng mà nên rằng bị ra vào lên
    những mỗi nhiều ít rất đều lại còn vẫn thế vậy nữa hãy cho biết ở trên dưới qua do bởi
    thưa xin hỏi ạ nhé à ư đấy kia ấy""".split()
)
# The same words typed without marks, for questions typed that way. Only words whose folded form
# is not also a domain word: "chi", "thi" (chỉ thị), "dang" (Đảng), "van" (vận), "bao" (báo cáo),
# "moi" (mới), "qua" (kết quả), "hoi" (hội) stay.
VIETNAMESE_FOLDED_STOPWORDS = frozenset(
    """cua la va cac nhung duoc trong cho voi da co khong nay nhu nao gi nhieu may ai khi dau sao
    theo den cung se hay hoac ma nen rang bi ra vao len it rat deu lai con nua biet o tren duoi
    boi xin a nhe day kia ay""".split()
)
# Words that only Vietnamese uses, folded: how a question typed without marks is recognised.
_VIETNAMESE_CUES = frozenset(
    """cua la va cac nhung duoc trong cho voi da co khong nay nao gi bao nhieu may ai khi dau sao
    theo tai den ve cung dang se hoac ma nen rang bi vao moi nhieu rat deu lai con chi van nua
    huyen tinh xa thon ban dan van dang uy nam thang ngay nguoi ho mo hinh kheo chi thi nghi quyet
    ke hoach chuong trinh bao cao tong ket so ket dong chi bi thu chu tich pho truong""".split()
)

_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """One base letter per precomposed Latin letter with marks (U+00C0..U+1EFF), so folding keeps
    offsets: token positions in the folded text are those of the original."""
    table = {ord("đ"): "d", ord("Đ"): "D"}
    for cp in range(0xC0, 0x1F00):
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[0]
        if base != ch and base.isascii() and base.isalpha():
            table[cp] = base
    return table


@lru_cache(maxsize=1)
def _drop_marked() -> dict[int, None]:
    return dict.fromkeys(_fold_table())


def fold_keep_offsets(text: str) -> str:
    """Lower-case text with Vietnamese marks removed, one character for one (unlike NFD folding,
    which changes lengths when the input holds combining marks)."""
    return text.translate(_fold_table()).lower()


def marked_share(text: str) -> float:
    """Share of the letters that carry Vietnamese marks (or are đ)."""
    letters = len(_LETTER.findall(text))
    if not letters:
        return 0.0
    # Every marked letter is a letter: count them by deleting them (str.translate runs in C).
    return (len(text) - len(text.translate(_drop_marked()))) / letters


def detect(text: str) -> str:
    """EN or VI. Marked letters decide when there are enough (an English report naming
    "Nguyễn Văn A" stays English); otherwise the folded words are counted against both lists."""
    share = marked_share(text)
    if share >= 0.08:
        return VI
    words = re.findall(r"[a-z]+", fold_keep_offsets(text))
    if not words:
        return EN
    vi = sum(w in _VIETNAMESE_CUES for w in words)
    en = sum(w in ENGLISH_STOPWORDS for w in words)
    if share >= 0.02 and vi >= en:
        return VI
    return VI if vi > en and vi >= max(1, len(words) // 5) else EN
