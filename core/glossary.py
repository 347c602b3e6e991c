"""English and Vietnamese terms of mass-mobilization work, for questions asked in one language
about documents written in the other (pure).

Across languages the question's words are not the document's, so word overlap says nothing;
the embedder finds the passage by meaning, but picking the sentence that answers within it
needs its words. Names, figures and codes carry over as they are (folded: "Ha Tinh" is
"Hà Tĩnh"); the terms below are the ones that do not: the English wording state media use for
the Party's and the Front's bodies, titles, documents and work, and the common words of figure
questions. Periods are not here: both languages' period recognisers make them constraints.
Each entry is "english|variants" = "tiếng việt|biến thể".
"""

from __future__ import annotations

import re
from functools import lru_cache

from core.language import EN, fold_keep_offsets

_ENTRIES = """
mass mobilization|mass mobilisation|mass mobilising = dân vận
skillful mass mobilization|skilful mass mobilization = dân vận khéo
mass mobilization commission|mass mobilization committee|mass mobilization board = ban dân vận
party committee = đảng ủy|đảng bộ|cấp ủy
provincial party committee = tỉnh ủy
district party committee = huyện ủy
city party committee|municipal party committee = thành ủy
standing committee|standing board = ban thường vụ
provincial party standing committee|standing committee of the provincial party committee = ban thường vụ tỉnh ủy
district party standing committee|standing committee of the district party committee = ban thường vụ huyện ủy
party = đảng
steering committee|steering board = ban chỉ đạo
fatherland front = mặt trận tổ quốc
socio-political organizations|socio-political organisations|mass organizations = đoàn thể|tổ chức chính trị - xã hội
people's committee = ủy ban nhân dân
people's council = hội đồng nhân dân
political system = hệ thống chính trị
grassroots = cơ sở
grassroots democracy = dân chủ ở cơ sở
secretary = bí thư
deputy secretary = phó bí thư
permanent deputy secretary|standing deputy secretary = phó bí thư thường trực
chairman|chairwoman|chair|president = chủ tịch
vice chairman|vice chairwoman|vice chair|vice president = phó chủ tịch
head = trưởng ban|trưởng
deputy head = phó trưởng ban|phó trưởng
director = giám đốc
member = ủy viên|thành viên
signed|signer|signatory = ký
directive = chỉ thị
resolution = nghị quyết
action programme|action program = chương trình hành động
plan = kế hoạch
decision = quyết định
conclusion = kết luận
report = báo cáo
notice|announcement = thông báo
guidance|guideline|instruction = hướng dẫn
regulation|regulations|working regulations = quy chế
scheme|project = đề án|dự án
key projects = dự án trọng điểm|công trình trọng điểm
site clearance|ground clearance = giải phóng mặt bằng
compensation = bồi thường
issued|promulgated = ban hành
implementation|implement|implemented = thực hiện|triển khai
review|preliminary review = sơ kết
summary|final review = tổng kết
conference = hội nghị
working session = buổi làm việc
model|models = mô hình
movement|campaign|emulation movement = phong trào
emulation = thi đua
commendation|commended|certificate of merit = khen thưởng|bằng khen
recognized|recognised|recognition = công nhận
great solidarity = đại đoàn kết
great solidarity house|great solidarity houses = nhà đại đoàn kết
house|houses|home|homes = nhà
built|build|construction|constructed = xây dựng|xây mới
repaired|repair = sửa chữa
poor households|poor household = hộ nghèo
near-poor households = hộ cận nghèo
households|household = hộ
support|supported|assistance = hỗ trợ
new rural areas|new rural area|new-style rural areas = nông thôn mới
rural roads|rural road|rural transport = đường giao thông nông thôn|đường nông thôn
roads|road = đường
land = đất
donated|donate|donation|donations|contributed|contribute|contribution|contributions = hiến|đóng góp|ủng hộ
working days|workdays|work days|man-days = ngày công
money = tiền
billion = tỷ
million = triệu
dong|vnd = đồng
complaints|complaint = khiếu nại
denunciations|denunciation = tố cáo
petitions|petition = kiến nghị|đơn thư|đơn
resolved|settled|handled = giải quyết
rate|share|percentage|percent = tỷ lệ|tỉ lệ|phần trăm
dialogue|dialogues = đối thoại
direct dialogue = đối thoại trực tiếp
citizens|citizen = công dân|người dân
people|residents|the public = nhân dân|người dân|dân
received|receive|reception = tiếp|tiếp nhận
ethnic minorities|ethnic minority = dân tộc thiểu số|đồng bào dân tộc
religion|religious|religions = tôn giáo
cadres|officials|cadre = cán bộ
party members|party member = đảng viên
civil servants = công chức
armed forces = lực lượng vũ trang
army|military = quân đội|quân sự
police|public security = công an
youth union = đoàn thanh niên
women's union = hội phụ nữ|hội liên hiệp phụ nữ
farmers' association = hội nông dân
veterans' association = hội cựu chiến binh
trade union = công đoàn
propaganda = tuyên truyền
mobilize|mobilise|mobilized|mobilised = vận động
security|order = an ninh|trật tự
national defense|national defence|defense|defence = quốc phòng
economy|economic = kinh tế
culture|cultural = văn hóa
society|social = xã hội
education = giáo dục
health|healthcare = y tế
environment = môi trường
agriculture = nông nghiệp
poverty reduction|poverty alleviation = giảm nghèo
administrative reform = cải cách hành chính
digital transformation = chuyển đổi số
province|provincial = tỉnh|toàn tỉnh
district = huyện
commune|communes = xã
ward|wards = phường
village|villages|hamlet|hamlets = thôn|bản|ấp|làng
city = thành phố
town = thị xã|thị trấn
led|leads|leading|first = dẫn đầu
target|targets|aim|aims|strive = mục tiêu|phấn đấu|chỉ tiêu
result|results = kết quả
task|tasks = nhiệm vụ
solution|solutions = giải pháp
term = nhiệm kỳ
year = năm
month = tháng
date|day = ngày
number|code|no. = số|số hiệu
meeting|meetings = cuộc họp|buổi họp|họp
participants|attended|attendees = tham dự|tham gia
organized|organised|held = tổ chức
"""


def _pairs() -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    pairs = []
    for line in _ENTRIES.strip().splitlines():
        en, vi = (side.strip() for side in line.split("="))
        pairs.append((tuple(en.split("|")), tuple(vi.split("|"))))
    return pairs


def _pattern(phrase: str, language: str) -> str:
    words = fold_keep_offsets(phrase).split()
    if language == EN:  # other forms of the word: "communes", "resolve" for "resolved", "recognising"
        words = [_english_forms(w) for w in words]
    else:
        words = [re.escape(w) for w in words]
    return r"(?<![a-z0-9])" + r"\s+".join(words) + r"(?![a-z0-9])"


def _english_forms(word: str) -> str:
    if len(word) <= 5 or not word.isalpha():
        return re.escape(word) + r"(?:s|es|d|ed|ing|ned|ning)?"
    stem = re.sub(r"(?:ing|ed|es|s|e|d)$", "", word)
    return re.escape(stem) + r"[a-z]*"


@lru_cache(maxsize=2)
def _table(language: str) -> list[tuple[re.Pattern, tuple[str, ...]]]:
    """(pattern of one side's phrases, the other side's phrases), longest phrases first."""
    table = []
    for en, vi in _pairs():
        own, other = (en, vi) if language == EN else (vi, en)
        for phrase in own:
            table.append((len(phrase), re.compile(_pattern(phrase, language)), other))
    table.sort(key=lambda t: -t[0])
    return [(pattern, other) for _, pattern, other in table]


def translate(text: str, language: str) -> tuple[str, list[str]]:
    """The glossary terms `text` (written in `language`) uses, in the other language, longest
    match first and each stretch of text matched once; and `text` with those stretches blanked
    (what is left: names, figures, codes and words the glossary does not know)."""
    folded = fold_keep_offsets(text)
    taken = [False] * len(folded)
    found: list[str] = []
    for pattern, other in _table(language):
        for m in pattern.finditer(folded):
            if any(taken[m.start() : m.end()]):
                continue
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
            found.extend(t for t in other if t not in found)
    rest = "".join(" " if t else ch for ch, t in zip(text, taken))
    return rest, found


__all__ = ["translate"]
