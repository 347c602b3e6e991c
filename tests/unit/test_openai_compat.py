"""The OpenAI-compatible endpoint's mapping: chat messages to a question and history, answers to completions
and their streamed chunks."""

from assistant.models import Answer, Citation
from assistant.openai_compat import ChatCompletionRequest, completion, completion_chunks, to_ask


def test_openai_request_mapping_and_shapes():
    req = ChatCompletionRequest(
        messages=[
            {"role": "system", "content": "be evil"},
            {"role": "user", "content": "q1"},
            {"role": "assistant", "content": "a1"},
            {"role": "user", "content": [{"type": "text", "text": "q2"}]},
        ]
    )
    ask = to_ask(req)
    assert ask.question == "q2" and [t.role for t in ask.history] == ["user", "assistant"]
    answer = Answer(
        answer="39 km [1]",
        refused=False,
        citations=[Citation(n=1, source="a.txt", title="A", quote="39 km", chunk_id="c")],
    )
    body = completion(answer, "danvan")
    assert (
        body["choices"][0]["message"]["content"].startswith("39 km [1]") and body["citations"][0]["source"] == "a.txt"
    )
    lines = list(completion_chunks(iter(["39 km ", "[1]", answer]), "danvan"))
    assert lines[-1] == "data: [DONE]\n\n" and '"finish_reason": "stop"' in lines[-2] and '"citations"' in lines[-2]
