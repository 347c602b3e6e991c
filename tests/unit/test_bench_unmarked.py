"""bench.unmarked: a question set as typed without Vietnamese marks."""

import json

from bench.unmarked import main, unmarked


def test_questions_lose_their_marks_and_answers_keep_theirs(tmp_path):
    assert unmarked("Đồng chí Nguyễn Văn Hùng ở đâu?") == "Dong chi Nguyen Van Hung o dau?"
    src, out = tmp_path / "qa.jsonl", tmp_path / "out.jsonl"
    src.write_text(
        json.dumps({"id": "q", "question": "Bao nhiêu lượt?", "must": [["2.071 lượt"]]}, ensure_ascii=False) + "\n\n"
    )
    main([str(src), str(out)])
    (item,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert item["question"] == "Bao nhieu luot?" and item["must"] == [["2.071 lượt"]]
