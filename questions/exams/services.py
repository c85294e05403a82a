"""Writes of the exams app: start, save an answer, submit, close expired attempts, regrade.

Concurrency rules (PostgreSQL; SQLite serialises writers anyway):

- ``attempt_submit`` locks the attempt row ``FOR UPDATE``; the second of two simultaneous
  submits waits, then sees ``submitted`` and returns the first one's result unchanged.
- ``answer_save`` locks the same row ``FOR NO KEY UPDATE``, so a save and a submit never
  interleave: a save that wins stores its answer before the submit reads the answers, a save
  that loses finds the attempt submitted and is refused.
- The answer itself is one upsert guarded by the client's sequence number, so a re-sent older
  save never overwrites a newer answer, and a repeated save is harmless.
- Time is the server's: ``deadline`` is fixed at start, and any access after it closes the
  attempt with what was saved (the ``close_expired_attempts`` command does the same from cron
  for attempts nobody touches again).
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import QualificationLevel
from questions.engine.errors import BlueprintError
from questions.engine.generate import (
    Blueprint,
    Section,
    derive_seed,
    fixed_paper,
    generate_paper,
    shuffle_paper,
)
from questions.engine.paper import AttemptItem, items_from_json, items_to_json, new_item_id
from questions.engine.scoring import score_item
from questions.engine.types import MultipleChoiceMode, MultipleChoicePolicy, parse_letters

from . import bank
from .models import (
    Allowance,
    Attempt,
    AttemptAnswer,
    AttemptStatus,
    Exam,
    ExamKind,
    ItemAnalysisReport,
    PaperMode,
    ScoreChange,
    SubmitReason,
)

logger = logging.getLogger(__name__)
TWO = Decimal("0.01")

QUALIFICATION_OF_KIND = {
    ExamKind.BASIC: QualificationLevel.BASIC,
    ExamKind.INTERMEDIATE: QualificationLevel.INTERMEDIATE,
    ExamKind.ADVANCED: QualificationLevel.ADVANCED,
}


class ExamError(Exception):
    """A refusal with a message for the officer and a short machine code for the API."""

    code = "exam_error"
    status = 400

    def __init__(self, message: str = "", **extra):
        super().__init__(message)
        self.message = message
        self.extra = extra


class NotEligible(ExamError):
    code, status = "not_eligible", 403


class ExamNotOpen(ExamError):
    code, status = "not_open", 409


class NoAttemptsLeft(ExamError):
    code, status = "no_attempts_left", 409


class AttemptClosed(ExamError):
    code, status = "attempt_closed", 409


class NotStartedYet(ExamError):
    code, status = "not_started", 425


class InvalidAnswer(ExamError):
    code, status = "invalid_answer", 400


class PaperUnavailable(ExamError):
    code, status = "paper_unavailable", 409


class CredentialsChanged(Exception):
    """``answer_save(confirm_password=...)``: the officer's password hash changed, or the account
    was deactivated or must change its password, since the caller checked the session."""


# --- Eligibility and windows ----------------------------------------------------------------


def eligible_officers_q(exam: Exam) -> Q:
    """A filter on User for the exam's registered officers (应考人员)."""
    return eligible_officers_q_for(
        exam.eligible_units.values_list("path", flat=True),
        exam.eligible_officers.values_list("pk", flat=True),
    )


def eligible_officers_q_for(unit_paths, officer_ids) -> Q:
    """The same filter for units (by path, sub-units included) and officers not yet saved."""
    unit_paths, officer_ids = list(unit_paths), list(officer_ids)
    if not unit_paths and not officer_ids:
        return Q()  # no restriction: every officer
    q = Q(pk__in=officer_ids)
    for path in unit_paths:
        q |= Q(unit__path__startswith=path)
    return q


@dataclass(frozen=True)
class ExamRules:
    """What every start of one exam reads: its eligibility lists and its blueprint."""

    unit_paths: tuple[str, ...]
    officer_ids: frozenset[int]
    blueprint: Blueprint


# On exam day every officer's start reads the same exam's rules; each worker keeps them for
# RULES_CACHE_SECONDS, keyed by the exam's ``updated_at`` so that an edit saved in the admin (which
# saves the exam with its sections and eligibility) is seen at once.
_RULES: dict[tuple[int, object], tuple[float, ExamRules]] = {}
_RULES_LOCK = threading.Lock()
RULES_CACHE_SECONDS = 30


def exam_rules(exam: Exam) -> ExamRules:
    key = (exam.pk, exam.updated_at)
    now = time.monotonic()
    with _RULES_LOCK:
        hit = _RULES.get(key)
    if hit and hit[0] > now:
        return hit[1]
    rules = ExamRules(
        unit_paths=tuple(exam.eligible_units.values_list("path", flat=True)),
        officer_ids=frozenset(exam.eligible_officers.values_list("pk", flat=True)),
        blueprint=exam_blueprint(exam),
    )
    with _RULES_LOCK:
        if len(_RULES) > 1000:
            _RULES.clear()
        _RULES[key] = (now + RULES_CACHE_SECONDS, rules)
    return rules


def clear_rules_cache() -> None:
    with _RULES_LOCK:
        _RULES.clear()


def is_eligible(exam: Exam, officer) -> bool:
    """Whether the officer is among the exam's registered officers (as ``eligible_officers_q``)."""
    from accounts.models import Unit

    if not (officer.is_active and officer.police_number is not None):
        return False  # not an officer account (User.objects.officers())
    rules = exam_rules(exam)
    if not rules.unit_paths and not rules.officer_ids:
        return True
    if officer.pk in rules.officer_ids:
        return True
    if not officer.unit_id or not rules.unit_paths:
        return False
    path = Unit.objects.filter(pk=officer.unit_id).values_list("path", flat=True).first() or ""
    return bool(path) and path.startswith(rules.unit_paths)


@dataclass(frozen=True)
class Window:
    opens_at: object
    closes_at: object
    extra_minutes: int
    attempts_allowed: int
    makeup: bool


def window_for(exam: Exam, officer, now=None) -> Window:
    """The officer's own window: the exam's, or their make-up window when that applies."""
    now = now or timezone.now()
    allowance = Allowance.objects.filter(exam=exam, officer=officer).first()
    extra = allowance.extra_minutes if allowance else 0
    attempts = exam.attempts_allowed + (allowance.extra_attempts if allowance else 0)
    if allowance and allowance.makeup_opens_at and not exam.is_open(now):
        if now < allowance.makeup_closes_at and (
            now >= exam.closes_at or now >= allowance.makeup_opens_at
        ):
            return Window(
                allowance.makeup_opens_at, allowance.makeup_closes_at, extra, attempts, True
            )
    return Window(exam.opens_at, exam.closes_at, extra, attempts, False)


# --- Papers ----------------------------------------------------------------------------------


def exam_seed(exam: Exam) -> str:
    if not exam.seed:
        exam.seed = derive_seed("exam", exam.pk, random.SystemRandom().random())
        Exam.objects.filter(pk=exam.pk, seed="").update(seed=exam.seed)
        exam.seed = Exam.objects.values_list("seed", flat=True).get(pk=exam.pk)
    return exam.seed


def exam_blueprint(exam: Exam) -> Blueprint:
    return Blueprint(
        tuple(
            Section(
                qtype=s.qtype,
                count=s.count,
                points_each=s.points_each,
                label=s.label,
                law=bank.normalise_law(s.law),
                chapter=s.chapter,
                knowledge_point=s.knowledge_point,
                difficulty_min=s.difficulty_min,
                difficulty_max=s.difficulty_max,
                **bank.compilation_scope(s.compilation),
            )
            for s in exam.sections.select_related("compilation")
        )
    )


def build_paper(exam: Exam, seed: str):
    """The engine's paper for this seed (blueprint draw or fixed list), shuffled per seed."""
    if exam.paper_mode == PaperMode.BLUEPRINT:
        pool = bank.exam_pool(exam)
        paper = generate_paper(exam_rules(exam).blueprint, pool, seed=derive_seed(seed, "draw"))
    else:
        rows = list(exam.fixed_questions.all())
        if not rows:
            raise BlueprintError(_("固定试卷中还没有题目"))
        pool = bank.pool_for_ids([r.question_id for r in rows])
        paper = fixed_paper(
            [(pool[r.question_id], r.points) for r in rows if r.question_id in pool]
        )
        inactive = [
            r.question_id
            for r in rows
            if r.question_id not in pool or not pool[r.question_id].active
        ]
        if inactive:
            raise BlueprintError(
                _("固定试卷中有 %(n)d 道题目未启用或已删除：%(ids)s")
                % {"n": len(inactive), "ids": ", ".join(map(str, inactive))}
            )
        pool = list(pool.values())
    fixed = [q.id for q in pool if q.options_fixed]
    paper = shuffle_paper(
        paper,
        seed=derive_seed(seed, "order"),
        questions=exam.shuffle_questions,
        options=exam.shuffle_options,
        fixed_options=fixed,
    )
    return paper


def paper_items(paper) -> list[AttemptItem]:
    """The engine's paper as the attempt's items, each with a new opaque item id."""
    layout = bank.paper_layout(paper.question_ids)
    out = []
    for item in paper.items:
        lay = layout[item.question_id]
        out.append(
            AttemptItem(
                item=new_item_id(),
                question_id=item.question_id,
                section=item.section_index,
                points=item.points.quantize(TWO),
                qtype=lay.qtype,
                options=tuple(item.option_order) if lay.options else (),
                parts=lay.parts,
            )
        )
    return out


def paper_to_json(paper) -> list[dict]:
    return items_to_json(paper_items(paper))


def start_delay_seconds(exam: Exam, officer) -> int:
    """Deterministic per officer and exam, 0..start_delay_max_seconds."""
    if exam.start_delay_max_seconds <= 0:
        return 0
    rng = random.Random(derive_seed(exam_seed(exam), "delay", officer.pk))
    return rng.randint(0, exam.start_delay_max_seconds)


# --- Start -----------------------------------------------------------------------------------


def open_attempt(exam: Exam, officer, now=None) -> Attempt | None:
    """The officer's attempt in progress (closing it first if its time is up)."""
    now = now or timezone.now()
    attempt = Attempt.objects.filter(
        exam=exam, officer=officer, status=AttemptStatus.IN_PROGRESS
    ).first()
    if attempt and now >= attempt.deadline:
        attempt_submit(attempt_id=attempt.pk, reason=SubmitReason.DEADLINE, now=now)
        return None
    return attempt


def attempt_start(*, exam: Exam, officer, now=None) -> Attempt:
    """Start (or resume) the officer's attempt. Raises ``ExamError`` subclasses."""
    now = now or timezone.now()
    # One query for the officer's attempts: the one in progress (resumed) and how many there are.
    mine = list(Attempt.objects.filter(exam=exam, officer=officer))
    existing = next((a for a in mine if a.status == AttemptStatus.IN_PROGRESS), None)
    if existing:
        if now < existing.deadline:
            return existing
        attempt_submit(attempt_id=existing.pk, reason=SubmitReason.DEADLINE, now=now)
    if not exam.published:
        raise ExamNotOpen(_("该考试尚未发布。"))
    if not is_eligible(exam, officer):
        raise NotEligible(_("您不在本次考试的参考范围内。"))
    window = window_for(exam, officer, now)
    if now < window.opens_at:
        raise ExamNotOpen(_("考试尚未开始。"), opens_at=window.opens_at.isoformat())
    if now >= window.closes_at:
        raise ExamNotOpen(_("考试已经结束。"))
    done = len(mine)
    if done >= window.attempts_allowed:
        raise NoAttemptsLeft(_("您的作答次数已用完。"))
    number = done + 1
    seed = derive_seed(exam_seed(exam), officer.pk, number)
    try:
        paper = build_paper(exam, seed)
    except BlueprintError as exc:
        logger.error("exam %s: cannot build a paper: %s", exam.pk, exc)
        raise PaperUnavailable(_("试卷生成失败，请联系法制员：%(error)s") % {"error": exc}) from exc
    delay = start_delay_seconds(exam, officer)
    started_at = now + timedelta(seconds=delay)
    deadline = min(
        started_at + exam.time_limit + timedelta(minutes=window.extra_minutes),
        window.closes_at,
    )
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                exam=exam,
                officer=officer,
                number=number,
                unit_id=officer.unit_id,
                seed=seed,
                paper=paper_to_json(paper),
                section_labels=list(paper.section_labels),
                max_score=paper.total_points,
                created_at=now,
                started_at=started_at,
                deadline=deadline,
            )
    except IntegrityError:
        # Two clicks (or tabs) at once: the other request created it.
        attempt = Attempt.objects.filter(exam=exam, officer=officer, number=number).first()
        if attempt is None:
            raise
        return attempt


# --- Saving answers --------------------------------------------------------------------------


def normalise_response(item: AttemptItem, response):
    """Validate an answer against the paper item; returns the stored form.

    single/true_false: "A"; multiple: "ACD" (sorted letters); case: list of those per part;
    None or "" clears the answer.
    """
    if response is None or response == "" or response == []:
        return None
    if item.qtype == "case":
        parts = item.parts
        if not isinstance(response, list) or len(response) != len(parts):
            raise InvalidAnswer(_("案例分析题须按小题逐一作答。"))
        return [
            _letters(p.qtype, p.options, r) if r not in (None, "") else None
            for p, r in zip(parts, response, strict=True)
        ]
    return _letters(item.qtype, item.options, response)


def _letters(qtype: str, option_keys, response) -> str:
    if not isinstance(response, str | list):
        raise InvalidAnswer(_("答案格式不正确。"))
    try:
        letters = parse_letters(response)
    except (TypeError, ValueError) as exc:
        raise InvalidAnswer(_("答案格式不正确。")) from exc
    options = set(option_keys) if qtype != "true_false" else {"T", "F"}
    if not letters or not letters <= options:
        raise InvalidAnswer(_("答案不在选项之中。"))
    if qtype in ("single", "true_false") and len(letters) != 1:
        raise InvalidAnswer(_("该题只能选择一个答案。"))
    return "".join(sorted(letters))


@dataclass(frozen=True)
class SaveResult:
    stored: bool
    seq: int
    saved_at: object
    response: object = None  # the stored form of the answer when stored


_UPSERT = """
INSERT INTO exams_attemptanswer (attempt_id, question_id, response, seq, saved_at)
VALUES (%s, %s, {json}, %s, %s)
ON CONFLICT (attempt_id, question_id) DO UPDATE
SET response = excluded.response, seq = excluded.seq, saved_at = excluded.saved_at
WHERE exams_attemptanswer.seq < excluded.seq
"""


def answer_save(
    *,
    attempt_id: int,
    officer,
    item: str,
    response,
    seq: int,
    now=None,
    confirm_password=None,
) -> SaveResult:
    """Store one answer the moment it is given. Idempotent per (item, seq).

    ``item`` is the paper item's opaque id (``AttemptItem.item``), never a bank id.

    ``confirm_password``: the password hash the caller authenticated the officer with (lean
    session check, ``session_auth``); the write then also requires that it is still the
    account's hash and that the account is active and not waiting for a password change,
    and raises ``CredentialsChanged`` otherwise.
    """
    (result,) = answers_save(
        attempt_id=attempt_id,
        officer=officer,
        entries=[(item, response, seq)],
        now=now,
        confirm_password=confirm_password,
    )
    if isinstance(result, ExamError):
        raise result
    return result


SAVE_BATCH_MAX = 200


def answers_save(
    *,
    attempt_id: int,
    officer,
    entries: list[tuple[str, object, int]],
    now=None,
    confirm_password=None,
) -> list[SaveResult | ExamError]:
    """Store several answers of one attempt at once: ``entries`` are ``(item, response, seq)``.

    What the exam page sends when answers piled up while the server was busy or the network
    was down: one request (and on PostgreSQL one statement) for all of them, so a retry costs
    the server one request per officer rather than one per answer.

    Returns one result per entry, in order: a ``SaveResult``, or the ``InvalidAnswer`` that
    refused that entry alone (a question not on the paper, an answer not among its options,
    a bad sequence number) while the others are stored. A refusal of the whole attempt
    (closed, not started, too late, credentials changed) raises, as ``answer_save`` does.
    When two entries name the same item, only the one with the highest sequence number is
    written; the other reports ``stored=False``, like any older save.
    """
    now = now or timezone.now()
    if connection.vendor == "postgresql":
        return _answers_save_postgres(attempt_id, officer, entries, now, confirm_password)
    expired = False
    results: list[SaveResult | ExamError] = []
    with transaction.atomic():
        if confirm_password is not None and not _credentials_current(officer.pk, confirm_password):
            raise CredentialsChanged
        attempt = (
            Attempt.objects.select_for_update(no_key=True)
            .only("id", "officer_id", "status", "started_at", "deadline", "paper")
            .filter(pk=attempt_id, officer_id=officer.pk)
            .first()
        )
        if attempt is None:
            raise AttemptClosed(_("找不到这份答卷。"))
        if attempt.status != AttemptStatus.IN_PROGRESS:
            raise AttemptClosed(_("已交卷，不能再修改答案。"))
        if now >= attempt.deadline:
            expired = True
        else:
            if now < attempt.started_at:
                raise NotStartedYet(_("考试尚未开始计时。"))
            checked = _check_entries(attempt.item_by_id, entries)
            with connection.cursor() as cursor:
                for entry in checked:
                    if isinstance(entry, ExamError) or entry.superseded:
                        continue
                    cursor.execute(
                        _UPSERT.format(json="%s"),
                        [
                            attempt.pk,
                            entry.question_id,
                            json.dumps(entry.stored_form, ensure_ascii=False),
                            entry.seq,
                            now,
                        ],
                    )
                    entry.stored = cursor.rowcount == 1
            results = [_entry_result(entry, now) for entry in checked]
    if expired:
        _refuse_late(attempt_id, now)
    return results


@dataclass
class _Entry:
    question_id: int
    stored_form: object
    seq: int
    superseded: bool = False
    stored: bool = False


def _check_entries(item_by_id, entries) -> list[_Entry | ExamError]:
    """Each entry checked against the paper (``item_by_id``: item id -> ``AttemptItem`` or
    None): an ``_Entry`` to write, or its refusal."""
    checked: list[_Entry | ExamError] = []
    newest: dict[int, _Entry] = {}
    for item_id, response, seq in entries:
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
            checked.append(InvalidAnswer(_("序号无效。")))
            continue
        item = item_by_id(item_id) if isinstance(item_id, str) else None
        if item is None:
            checked.append(InvalidAnswer(_("这道题不在您的试卷上。")))
            continue
        try:
            stored_form = normalise_response(item, response)
        except InvalidAnswer as exc:
            checked.append(exc)
            continue
        entry = _Entry(item.question_id, stored_form, seq)
        other = newest.get(item.question_id)
        if other is not None and other.seq >= seq:
            entry.superseded = True
        else:
            if other is not None:
                other.superseded = True
            newest[item.question_id] = entry
        checked.append(entry)
    return checked


def _entry_result(entry, now) -> SaveResult | ExamError:
    if isinstance(entry, ExamError):
        return entry
    return SaveResult(
        stored=entry.stored,
        seq=entry.seq,
        saved_at=now,
        response=entry.stored_form if entry.stored else None,
    )


def _refuse_late(attempt_id: int, now):
    attempt_submit(attempt_id=attempt_id, reason=SubmitReason.DEADLINE, now=now)
    raise AttemptClosed(_("答题时间已到，试卷已按已保存的答案自动交卷，本次保存未被接受。"))


# A paper never changes after it is handed out, so each worker keeps the papers it has seen
# (attempt id -> officer id, {item id: AttemptItem}); the save path then needs no read of it.
_PAPERS: OrderedDict[int, tuple[int, dict]] = OrderedDict()
PAPERS_MAX = 20_000
_PAPERS_LOCK = threading.Lock()


def remember_papers(rows) -> None:
    """Fill the per-worker paper cache from ``(attempt id, officer id, paper)`` rows (warm-up)."""
    with _PAPERS_LOCK:
        for attempt_id, officer_id, paper in rows:
            _PAPERS[attempt_id] = (officer_id, {i.item: i for i in items_from_json(paper)})
        while len(_PAPERS) > PAPERS_MAX:
            _PAPERS.popitem(last=False)


def _paper_items(attempt_id: int, officer_id: int) -> dict | None:
    with _PAPERS_LOCK:
        hit = _PAPERS.get(attempt_id)
        if hit is not None:
            _PAPERS.move_to_end(attempt_id)
    if hit is None:
        row = Attempt.objects.filter(pk=attempt_id).values_list("officer_id", "paper").first()
        if row is None:
            return None
        hit = (row[0], {i.item: i for i in items_from_json(row[1])})
        with _PAPERS_LOCK:
            _PAPERS[attempt_id] = hit
            while len(_PAPERS) > PAPERS_MAX:
                _PAPERS.popitem(last=False)
    return hit[1] if hit[0] == officer_id else None


def _credentials_current(officer_id: int, password: str) -> bool:
    from accounts.models import User

    return User.objects.filter(
        pk=officer_id, password=password, is_active=True, must_change_password=False
    ).exists()


# One statement, one round trip: the CTE locks the attempt row FOR NO KEY UPDATE (so it waits
# for a submit holding FOR UPDATE, then re-checks the row and finds it submitted) and inserts
# the answers (one row per question) only while the attempt is open and its time is running.
# With a password hash to confirm, the same statement also checks the officer's account (see
# answer_save). RETURNING names the questions whose answer was written.
_UPSERT_OPEN_ATTEMPT = """
WITH open_attempt AS (
    SELECT id FROM exams_attempt
    WHERE id = %s AND officer_id = %s AND status = 'in_progress' AND started_at <= %s AND deadline > %s{account}
    FOR NO KEY UPDATE
)
INSERT INTO exams_attemptanswer (attempt_id, question_id, response, seq, saved_at)
SELECT open_attempt.id, given.question_id::integer, CAST(given.response AS jsonb), given.seq::bigint, %s
FROM open_attempt, (VALUES {rows}) AS given (question_id, response, seq)
ON CONFLICT (attempt_id, question_id) DO UPDATE
SET response = excluded.response, seq = excluded.seq, saved_at = excluded.saved_at
WHERE exams_attemptanswer.seq < excluded.seq
RETURNING question_id
"""
_ACCOUNT_CURRENT = """
      AND EXISTS (SELECT 1 FROM accounts_user u
                  WHERE u.id = exams_attempt.officer_id AND u.password = %s AND u.is_active AND NOT u.must_change_password)"""
_UPSERT_ONE_PLAIN = _UPSERT_OPEN_ATTEMPT.format(account="", rows="(%s, %s, %s)")
_UPSERT_ONE_CONFIRMED = _UPSERT_OPEN_ATTEMPT.format(account=_ACCOUNT_CURRENT, rows="(%s, %s, %s)")


def _upsert_statement(rows: int, confirmed: bool) -> str:
    if rows == 1:  # the exam page's every answer: a constant string
        return _UPSERT_ONE_CONFIRMED if confirmed else _UPSERT_ONE_PLAIN
    return _UPSERT_OPEN_ATTEMPT.format(
        account=_ACCOUNT_CURRENT if confirmed else "", rows=", ".join(["(%s, %s, %s)"] * rows)
    )


def _answers_save_postgres(
    attempt_id, officer, entries, now, confirm_password=None
) -> list[SaveResult | ExamError]:
    items = _paper_items(attempt_id, officer.pk)
    if items is None:
        raise AttemptClosed(_("找不到这份答卷。"))
    checked = _check_entries(items.get, entries)
    writes = [e for e in checked if isinstance(e, _Entry) and not e.superseded]
    if not writes:  # every entry refused on its own: nothing to ask the database
        return [_entry_result(entry, now) for entry in checked]
    params = [attempt_id, officer.pk, now, now]
    if confirm_password is not None:
        params.append(confirm_password)
    params.append(now)
    for entry in writes:
        params += [entry.question_id, json.dumps(entry.stored_form, ensure_ascii=False), entry.seq]
    with connection.cursor() as cursor:
        cursor.execute(_upsert_statement(len(writes), confirm_password is not None), params)
        written = {row[0] for row in cursor.fetchall()}
    if written:
        for entry in writes:
            entry.stored = entry.question_id in written
    else:
        # Nothing written: the account changed, every sequence number older than the stored
        # ones, or the attempt is not open. Find out which.
        _why_not_stored(attempt_id, officer, now, confirm_password)
    return [_entry_result(entry, now) for entry in checked]


def _why_not_stored(attempt_id, officer, now, confirm_password) -> None:
    """Raise the refusal of the whole attempt, if there is one; return if it is open."""
    if confirm_password is not None and not _credentials_current(officer.pk, confirm_password):
        raise CredentialsChanged
    state = (
        Attempt.objects.filter(pk=attempt_id)
        .values_list("status", "started_at", "deadline")
        .first()
    )
    if state is None:
        raise AttemptClosed(_("找不到这份答卷。"))
    status, started_at, deadline = state
    if status != AttemptStatus.IN_PROGRESS:
        raise AttemptClosed(_("已交卷，不能再修改答案。"))
    if now >= deadline:
        _refuse_late(attempt_id, now)
    if now < started_at:
        raise NotStartedYet(_("考试尚未开始计时。"))


# --- Scoring and submitting ------------------------------------------------------------------


def exam_policy(exam: Exam) -> MultipleChoicePolicy:
    if exam.multiple_partial_share and exam.multiple_partial_share > 0:
        return MultipleChoicePolicy(MultipleChoiceMode.PARTIAL, exam.multiple_partial_share)
    return MultipleChoicePolicy()


@dataclass(frozen=True)
class ScoredAttempt:
    score: Decimal
    item_scores: dict[str, str]
    items: list  # (question_id, ItemScore, response)


def score_attempt(attempt: Attempt, answers: dict[int, object], keys=None) -> ScoredAttempt:
    """Score with the question bank's engine and the *current* keys."""
    points = {i.question_id: i.points for i in attempt.items()}
    keys = keys if keys is not None else bank.answer_keys(points.keys(), points)
    policy = exam_policy(attempt.exam)
    total = Decimal(0)
    item_scores = {}
    items = []
    for item in attempt.items():
        qid = item.question_id
        key = keys.get(qid)
        if key is None:
            item_scores[str(qid)] = "0.00"
            continue
        result = score_item(key, answers.get(qid), policy)
        awarded = result.awarded
        if key.points != points[qid] and key.points > 0:
            awarded = (awarded * points[qid] / key.points).quantize(TWO, ROUND_HALF_UP)
        awarded = awarded.quantize(TWO, ROUND_HALF_UP)
        total += awarded
        item_scores[str(qid)] = str(awarded)
        items.append((qid, result, answers.get(qid)))
    return ScoredAttempt(total.quantize(TWO), item_scores, items)


def _apply_score(attempt: Attempt, scored: ScoredAttempt) -> None:
    exam = attempt.exam
    attempt.score = scored.score
    attempt.item_scores = scored.item_scores
    attempt.passed = scored.score >= exam.pass_mark
    attempt.excellent = scored.score >= exam.excellence_mark


# --- Qualification level ---------------------------------------------------------------------
#
# The rule (issue 14): passing a qualification exam raises ``User.qualification_level`` to the
# exam's level and never lowers it; the change is logged on the attempt's ``ScoreChange``
# (``qualification_before`` → ``qualification_after``). When a regrade turns that pass into a
# fail, the level the pass raised is withdrawn: the officer goes back to the level recorded
# before the raise, or to the highest level another passed qualification attempt still carries,
# whichever is higher. A level that did not come from this pass (roster import, the admin,
# another exam, or a level already held) is never touched, and neither is a level that has been
# changed since. The withdrawal is logged in the regrade's ``ScoreChange`` the same way.


def _rank(level: str) -> int:
    return QualificationLevel.rank(level or QualificationLevel.NONE)


def _raise_qualification(attempt: Attempt, now) -> tuple[str, str] | None:
    """Raise the officer's level (in memory) for a passed qualification attempt."""
    level = QUALIFICATION_OF_KIND.get(attempt.exam.kind)
    if not level or not attempt.passed:
        return None
    officer = attempt.officer
    before = officer.qualification_level
    if _rank(before) >= _rank(level):
        return None
    officer.qualification_level = level
    officer.qualification_updated_at = now
    return before, level


def _withdraw_qualification(attempt: Attempt, now) -> tuple[str, str] | None:
    """The regrade turned ``attempt``'s pass into a fail: withdraw the level it raised."""
    level = QUALIFICATION_OF_KIND.get(attempt.exam.kind)
    officer = attempt.officer
    if not level or officer.qualification_level != level:
        return None
    raise_record = (
        ScoreChange.objects.filter(attempt=attempt, qualification_after=level)
        .order_by("-changed_at", "-pk")
        .first()
    )
    if raise_record is None:
        return None  # the level did not come from this pass
    fallback = raise_record.qualification_before or QualificationLevel.NONE
    still = (
        Attempt.objects.filter(
            officer_id=officer.pk,
            status=AttemptStatus.SUBMITTED,
            passed=True,
            exam__kind__in=list(QUALIFICATION_OF_KIND),
        )
        .exclude(pk=attempt.pk)
        .values_list("exam__kind", flat=True)
    )
    for kind in still:
        if _rank(QUALIFICATION_OF_KIND[kind]) > _rank(fallback):
            fallback = QUALIFICATION_OF_KIND[kind]
    if fallback == level:
        return None
    officer.qualification_level = fallback
    officer.qualification_updated_at = now
    return level, fallback


def _close_locked(attempts: list[Attempt], *, reason: str, now, by=None) -> None:
    """Score and close attempts already locked ``FOR UPDATE`` in the current transaction.

    A fixed number of statements however many attempts and questions: the answers (one
    query), the keys (``bank.key_questions``: three), the attempts (one UPDATE), the score log
    (one INSERT) and, when a pass raised qualification levels, the officers (one UPDATE). No
    per-exam row is written (see ``ItemAnalysisReport``), so submits at the deadline do not
    queue behind each other.
    """
    if not attempts:
        return
    answers: dict[int, dict] = {}
    for a_id, qid, resp in AttemptAnswer.objects.filter(
        attempt_id__in=[a.pk for a in attempts]
    ).values_list("attempt_id", "question_id", "response"):
        answers.setdefault(a_id, {})[qid] = resp
    questions = bank.key_questions({i.question_id for a in attempts for i in a.items()})
    officers: dict[int, object] = {}
    raised: dict[int, object] = {}
    log = []
    for attempt in attempts:
        attempt.officer = officers.setdefault(attempt.officer_id, attempt.officer)
        why = reason
        if why == SubmitReason.OFFICER and now >= attempt.deadline:
            why = SubmitReason.DEADLINE
        points = {i.question_id: i.points for i in attempt.items()}
        scored = score_attempt(
            attempt, answers.get(attempt.pk, {}), bank.keys_for(questions, points)
        )
        _apply_score(attempt, scored)
        attempt.status = AttemptStatus.SUBMITTED
        attempt.submit_reason = why
        attempt.submitted_at = min(now, attempt.deadline) if why == SubmitReason.DEADLINE else now
        change = _raise_qualification(attempt, now)
        if change:
            raised[attempt.officer_id] = attempt.officer
        log.append(
            ScoreChange(
                attempt=attempt,
                changed_by=by,
                changed_at=now,
                old_score=None,
                new_score=attempt.score,
                reason=str(dict(SubmitReason.choices)[why]) + _("：自动评分"),
                qualification_before=change[0] if change else "",
                qualification_after=change[1] if change else "",
            )
        )
    fields = [
        "score",
        "item_scores",
        "passed",
        "excellent",
        "status",
        "submit_reason",
        "submitted_at",
    ]
    if len(attempts) == 1:
        attempts[0].save(update_fields=fields)
    else:
        Attempt.objects.bulk_update(attempts, fields)
    ScoreChange.objects.bulk_create(log)
    if raised:
        type(next(iter(raised.values()))).objects.bulk_update(
            list(raised.values()), ["qualification_level", "qualification_updated_at"]
        )
    # No practice-state work here: exam answers reach the wrong-answer book only at review
    # time, in bulk (practice_state.record_exam_practice).


def still_vouched(officer, password: str) -> bool:
    """The officer row (read with the attempt) still backs the lean session check
    (``session_auth``): the same password hash, active, not waiting for a password change."""
    return officer.password == password and officer.is_active and not officer.must_change_password


def attempt_submit(
    *, attempt_id: int, reason: str, officer=None, by=None, now=None, confirm_password=None
) -> Attempt:
    """Close an attempt and score it. A second call returns the first result unchanged.

    ``confirm_password``: as for ``answer_save``, the password hash the caller's lean session
    check vouched for; the attempt's officer row (read with the attempt anyway) must still
    have it, be active and not be waiting for a password change, or ``CredentialsChanged`` is
    raised and nothing is written."""
    now = now or timezone.now()
    with transaction.atomic():
        qs = Attempt.objects.select_for_update(of=("self",)).select_related("exam", "officer")
        if officer is not None:
            qs = qs.filter(officer_id=officer.pk)
        attempt = qs.filter(pk=attempt_id).first()
        if confirm_password is not None and (
            attempt is None or not still_vouched(attempt.officer, confirm_password)
        ):
            raise CredentialsChanged
        if attempt is None:
            raise AttemptClosed(_("找不到这份答卷。"))
        if attempt.status == AttemptStatus.SUBMITTED:
            return attempt
        _close_locked([attempt], reason=reason, now=now, by=by)
    return attempt


@dataclass(frozen=True)
class LeaveResult:
    leave_count: int
    leave_limit: int
    submitted: bool


def attempt_leave(*, attempt_id: int, officer, now=None) -> LeaveResult:
    """The exam page was left (another window or tab): count it on the attempt (切屏次数). When
    the exam sets a limit and this leave goes past it, the attempt is submitted. Leaves while
    the paper is not yet released, or after the deadline, are not counted."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("exam")
            .filter(pk=attempt_id, officer_id=officer.pk)
            .first()
        )
        if attempt is None or attempt.status != AttemptStatus.IN_PROGRESS:
            raise AttemptClosed(_("考试已结束或已交卷。"))
        if now < attempt.started_at:
            raise NotStartedYet(_("试卷尚未发放。"))
        limit = attempt.exam.leave_limit
        if now >= attempt.deadline:
            over = False
        else:
            attempt.leave_count += 1
            Attempt.objects.filter(pk=attempt.pk).update(leave_count=attempt.leave_count)
            over = bool(limit) and attempt.leave_count > limit
    if now >= attempt.deadline:
        close_if_expired(attempt, now)
        return LeaveResult(attempt.leave_count, limit, True)
    if over:
        attempt_submit(
            attempt_id=attempt.pk, officer=officer, reason=SubmitReason.LEAVE_LIMIT, now=now
        )
    return LeaveResult(attempt.leave_count, limit, over)


# Attempts closed per transaction by the sweep. Small enough that an officer's own submit that
# arrives just after the deadline, and so waits for the sweep's row lock on its attempt, waits
# for a short transaction (a quarter of the 200 it was), large enough that the
# statements per attempt stay few.
SWEEP_BATCH = 50


def close_expired_attempts(*, now=None, limit: int | None = None, batch: int = SWEEP_BATCH) -> int:
    """Submit every attempt whose deadline has passed (cron: ``close_expired_attempts``).

    In batches of ``batch`` attempts, one transaction each (``_close_locked``: a fixed number of
    statements per batch). The rows are taken ``FOR UPDATE SKIP LOCKED``, so several sweeps
    (one per application server, or a sweep beside officers' own submits) share the work
    instead of waiting for each other or closing an attempt twice.
    """
    now = now or timezone.now()
    closed = 0
    while limit is None or closed < limit:
        size = batch if limit is None else min(batch, limit - closed)
        with transaction.atomic():
            attempts = list(
                Attempt.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("exam", "officer")
                .filter(status=AttemptStatus.IN_PROGRESS, deadline__lte=now)
                .order_by("deadline", "pk")[:size]
            )
            _close_locked(attempts, reason=SubmitReason.DEADLINE, now=now)
        closed += len(attempts)
        if len(attempts) < size:
            break
    return closed


def close_if_expired(attempt: Attempt, now=None) -> Attempt:
    now = now or timezone.now()
    if attempt.status == AttemptStatus.IN_PROGRESS and now >= attempt.deadline:
        return attempt_submit(attempt_id=attempt.pk, reason=SubmitReason.DEADLINE, now=now)
    return attempt


# --- Regrade ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegradeChange:
    attempt_id: int
    officer: str
    old: Decimal | None
    new: Decimal


def exam_regrade(*, exam: Exam, by, reason: str, now=None) -> list[RegradeChange]:
    """Rescore every submitted attempt with the current keys; log every change of score and of
    qualification level (see the rule above ``_raise_qualification``)."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ExamError(_("请填写重新评分的原因。"))
    changes = []
    with transaction.atomic():
        attempts = list(
            Attempt.objects.select_for_update(of=("self",))
            .select_related("exam", "officer")
            .filter(exam=exam, status=AttemptStatus.SUBMITTED)
            .order_by("pk")
        )
        answers_by_attempt: dict[int, dict] = {}
        for a_id, qid, resp in AttemptAnswer.objects.filter(attempt__in=attempts).values_list(
            "attempt_id", "question_id", "response"
        ):
            answers_by_attempt.setdefault(a_id, {})[qid] = resp
        questions = bank.key_questions({i.question_id for a in attempts for i in a.items()})
        updated = []
        for attempt in attempts:
            points = {i.question_id: i.points for i in attempt.items()}
            keys = bank.keys_for(questions, points)
            scored = score_attempt(attempt, answers_by_attempt.get(attempt.pk, {}), keys)
            old, was_passed = attempt.score, attempt.passed
            _apply_score(attempt, scored)
            if (
                scored.score == old
                and scored.item_scores == attempt.item_scores
                and attempt.passed == was_passed
            ):
                continue
            attempt.save(update_fields=["score", "item_scores", "passed", "excellent"])
            updated.append((attempt, old, was_passed))
        # Qualification after every score is stored, so "another pass still carries the level"
        # sees this regrade's results.
        for attempt, old, was_passed in updated:
            qual = None
            if was_passed and not attempt.passed:
                qual = _withdraw_qualification(attempt, now)
            elif attempt.passed and not was_passed:
                qual = _raise_qualification(attempt, now)
            if qual:
                attempt.officer.save(
                    update_fields=["qualification_level", "qualification_updated_at"]
                )
            if attempt.score != old or qual:
                ScoreChange.objects.create(
                    attempt=attempt,
                    changed_by=by,
                    changed_at=now,
                    reason=reason,
                    old_score=old,
                    new_score=attempt.score,
                    qualification_before=qual[0] if qual else "",
                    qualification_after=qual[1] if qual else "",
                )
            if attempt.score != old:
                changes.append(
                    RegradeChange(attempt.pk, attempt.officer.display_name, old, attempt.score)
                )
        Exam.objects.filter(pk=exam.pk).update(needs_regrade=False, regrade_note="")
        mark_analysis_outdated(exam.pk)
    return changes


def mark_analysis_outdated(exam_id: int) -> None:
    """A regrade (rare, staff-only) changes scores without new attempts: bump the report's
    generation so that the analysis is recomputed (``analysis.is_stale``)."""
    from django.db.models import F

    if not ItemAnalysisReport.objects.filter(exam_id=exam_id).update(
        generation=F("generation") + 1
    ):
        ItemAnalysisReport.objects.get_or_create(exam_id=exam_id, defaults={"generation": 1})


def flag_exams_for_regrade(*, question_id: int, note: str) -> int:
    """Called when a question's key changes: mark exams whose answers used it."""
    exam_ids = set(
        AttemptAnswer.objects.filter(
            question_id=question_id, attempt__status=AttemptStatus.SUBMITTED
        )
        .values_list("attempt__exam_id", flat=True)
        .distinct()
    )
    exam_ids |= set(
        Exam.objects.filter(fixed_questions__question_id=question_id).values_list("pk", flat=True)
    )
    for exam in Exam.objects.filter(pk__in=exam_ids):
        text = (exam.regrade_note + "\n" if exam.regrade_note else "") + note
        Exam.objects.filter(pk=exam.pk).update(needs_regrade=True, regrade_note=text[-2000:])
    return len(exam_ids)
