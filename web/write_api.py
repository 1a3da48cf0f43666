"""The write API (blueprint ``write_api``, admin key only): add, replace and delete articles.

``PUT /api/articles/<id>`` (one JSON article), ``POST /api/articles`` (a JSONL batch of at
most ``FAHRAS_MAX_BATCH_BYTES``) and ``DELETE /api/articles/<id>``. Registered by the app
factory only when a key file is configured (web/auth.py checks the key first).

There is one indexing path: the body is written to a private temporary ``.jsonl`` file and
handed to :func:`indexer.update_index` (or :func:`indexer.delete_articles`), so the records
are read, validated, fingerprinted and written exactly as ``fahras-index update`` does, and
the answer carries the same report. Whoosh commits a batch at once or not at all, so nothing
is half-written; the searcher sees the new generation on its next call, so the article is
searchable when the call returns. The server's writes go one at a time through a
:class:`~web.write_queue.WriteQueue`, which also commits PUTs that arrive together in one
update. While another writer holds the lock a call waits ``FAHRAS_WRITE_WAIT`` seconds, then
answers 503 with ``Retry-After``.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from flask import Blueprint, current_app, request

from indexer import BuildReport, IndexLocked, delete_articles, update_index
from web.api import error_response, ok
from web.metrics import app_metrics
from web.params import BadParameter
from web.write_queue import BATCH_FILE, WriteQueue

__all__ = ["bp", "report_payload"]

bp = Blueprint("write_api", __name__)
_QUEUE_KEY = "fahras.write_queue"


def report_payload(report: BuildReport, source: Path | None = None) -> dict:
    """The report as the API gives it: no server path, records named by their line."""
    data = report.to_dict()
    data.pop("index_dir", None)
    if source is not None:
        data["skipped"] = [line.replace(str(source), "request") for line in data["skipped"]]
    return data


def _index_dir() -> str:
    return current_app.config["FAHRAS_INDEX_DIR"]


def _wait() -> float:
    return float(current_app.config["FAHRAS_WRITE_WAIT"])


def _queue() -> WriteQueue:
    return current_app.extensions[_QUEUE_KEY]


def _update_batch(body: bytes) -> tuple[BuildReport, dict]:
    with tempfile.TemporaryDirectory(prefix="fahras-write-") as folder:
        source = Path(folder) / BATCH_FILE
        source.write_bytes(body)
        with _queue().turn():
            report = update_index([source], _index_dir(), wait=_wait())
        return report, report_payload(report, source)


def _json_article(article_id: str) -> dict:
    try:
        record = json.loads(request.get_data(cache=False) or b"")
    except (ValueError, UnicodeDecodeError):
        raise BadParameter("body", "the body is not JSON", "نص الطلب ليس JSON.") from None
    if not isinstance(record, dict):
        raise BadParameter("body", "the body must be one JSON object (an article)",
                           "يجب أن يكون نص الطلب مقالا واحدا.")
    if str(record.setdefault("id", article_id)) != article_id:
        raise BadParameter("id", f"the article's id {record['id']!r} is not the id in the URL",
                           "معرّف المقال لا يطابق المعرّف في الرابط.")
    return record


@bp.put("/api/articles/<article_id>")
def put_article(article_id: str):
    record = _json_article(article_id)
    line = json.dumps(record, ensure_ascii=False).encode("utf-8")  # one line: no raw newline
    report = _queue().put(article_id, line)  # committed with the PUTs queued beside it
    payload = report_payload(report)
    if report.skipped:
        return _refused(payload, payload["skipped"][0])
    return ok({"report": payload}, 201 if report.indexed else 200)


@bp.post("/api/articles")
def post_articles():
    limit = current_app.config["FAHRAS_MAX_BATCH_BYTES"]
    if (request.content_length or 0) > limit:
        return error_response(413, "batch_too_large",
                              f"a batch may hold at most {limit} bytes; send it in parts")
    body = request.get_data(cache=False)
    if not body.strip():
        raise BadParameter("body", "the body holds no articles (one JSON object a line)",
                           "نص الطلب لا يحمل مقالات.")
    report, payload = _update_batch(body)
    if report.read and not (report.indexed or report.updated or report.unchanged):
        return _refused(payload, f"no article of the batch could be read "
                                 f"({len(report.skipped)} skipped)")
    return ok({"report": payload})


@bp.delete("/api/articles/<article_id>")
def delete_article(article_id: str):
    with _queue().turn():
        report = delete_articles([article_id], _index_dir(), wait=_wait())
    payload = report_payload(report)
    if report.not_found:
        response = error_response(404, "article_not_found",
                                  f"no article with id {article_id!r} in the index")
        return _with_report(response, payload)
    return ok({"report": payload})


def _with_report(response, payload: dict):
    data = response.get_json()
    data["report"] = payload
    response.set_data(json.dumps(data, ensure_ascii=False))
    return response


def _refused(payload: dict, message: str):
    return _with_report(error_response(422, "bad_article", message), payload)


@bp.record_once
def _open_queue(state) -> None:
    config = state.app.config
    state.app.extensions[_QUEUE_KEY] = WriteQueue(config["FAHRAS_INDEX_DIR"],
                                                  float(config["FAHRAS_WRITE_WAIT"]))


@bp.errorhandler(IndexLocked)
def _locked(exc: IndexLocked):
    response = error_response(503, "index_locked",
                              "another writer is changing the index; try again shortly")
    response.headers["Retry-After"] = str(current_app.config["FAHRAS_WRITE_RETRY_AFTER"])
    return response


_ACTIONS = {"write_api.put_article": "put", "write_api.post_articles": "post",
            "write_api.delete_article": "delete"}


@bp.after_request
def _count_write(response):
    """``fahras_writes_total{action,outcome}``: the outcome is the answer's status code."""
    action = _ACTIONS.get(request.endpoint or "", "other")
    app_metrics().writes.labels(action, str(response.status_code)).inc()
    return response
