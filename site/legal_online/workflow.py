"""The Legal Online (法律在线) consultation workflow as a plain state machine.

No Django imports: services build an :class:`Actor` from the request user and
the consultation, ask :func:`check` whether an action is allowed, and store the
state :func:`apply` returns.

States::

    submitted -> assigned -> answered -> reviewed -> published
         \\          \\           \\          \\-----> closed (answer kept private)
          \\---------\\-----------\\---> closed (no answer, or duplicate)

- The answerer is the staff member the question is assigned to.
- Sign-off (review) needs a second person: a reviewer who did not write the answer.
- A reviewer may send an answer back (answered -> assigned).
- A follow-up from the asker on a question that already has its official answer
  reopens it (back to assigned, or submitted when nobody is assigned). Follow-ups
  on open questions just join the thread.
- The asker may withdraw a question nobody has answered yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    SUBMITTED = "submitted"
    ASSIGNED = "assigned"
    ANSWERED = "answered"
    REVIEWED = "reviewed"
    PUBLISHED = "published"
    CLOSED = "closed"


class Action(StrEnum):
    ASSIGN = "assign"
    ANSWER = "answer"
    SEND_BACK = "send_back"
    SIGN_OFF = "sign_off"
    PUBLISH = "publish"
    CLOSE = "close"
    CLOSE_DUPLICATE = "close_duplicate"
    FOLLOW_UP = "follow_up"
    WITHDRAW = "withdraw"
    UNPUBLISH = "unpublish"


#: States in which the question still waits for its official answer.
OPEN_STATES = frozenset({State.SUBMITTED, State.ASSIGNED, State.ANSWERED})
#: States in which the asker has received the official (signed-off) answer.
ANSWERED_STATES = frozenset({State.REVIEWED, State.PUBLISHED})


@dataclass(frozen=True)
class Actor:
    """What the workflow needs to know about the person acting.

    ``can_answer`` and ``can_review`` mirror the Django permissions
    ``legal_online.answer_consultation`` and ``legal_online.review_answer``.
    """

    is_asker: bool = False
    is_assignee: bool = False
    wrote_answer: bool = False
    can_answer: bool = False
    can_review: bool = False


@dataclass(frozen=True)
class Context:
    """Facts about the consultation that decide the target state."""

    has_assignee: bool = False
    has_answer: bool = False
    duplicate_target_answered: bool = True


class TransitionError(Exception):
    """An action that is not allowed; ``reason`` is a code, ``message`` a sentence."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


# action -> (states it may start from, reason code + message when the state is wrong)
_FROM: dict[Action, frozenset[State]] = {
    Action.ASSIGN: frozenset({State.SUBMITTED, State.ASSIGNED}),
    Action.ANSWER: frozenset({State.ASSIGNED}),
    Action.SEND_BACK: frozenset({State.ANSWERED}),
    Action.SIGN_OFF: frozenset({State.ANSWERED}),
    Action.PUBLISH: frozenset({State.REVIEWED}),
    Action.CLOSE: frozenset({State.SUBMITTED, State.ASSIGNED, State.ANSWERED, State.REVIEWED}),
    Action.CLOSE_DUPLICATE: frozenset({State.SUBMITTED, State.ASSIGNED}),
    Action.FOLLOW_UP: frozenset(State),
    Action.WITHDRAW: frozenset({State.SUBMITTED, State.ASSIGNED}),
    Action.UNPUBLISH: frozenset({State.PUBLISHED}),
}


def _role_refusal(action: Action, actor: Actor) -> TransitionError | None:
    """Return why ``actor`` may not take ``action`` at all, or None."""
    if action in (Action.FOLLOW_UP, Action.WITHDRAW):
        if not actor.is_asker:
            return TransitionError("not_asker", "只有提问人可以执行此操作。")
        return None
    if action == Action.ANSWER:
        if not actor.can_answer:
            return TransitionError("no_permission", "没有答复咨询的权限。")
        if not actor.is_assignee:
            return TransitionError("not_assignee", "只有被指派的答复人可以答复。")
        return None
    if action in (Action.SIGN_OFF, Action.SEND_BACK):
        if not actor.can_review:
            return TransitionError("no_permission", "没有审核答复的权限。")
        if actor.wrote_answer:
            return TransitionError("own_answer", "答复须由答复人以外的第二人审核。")
        return None
    # assign, publish, close, close_duplicate, unpublish: any legal staff member
    if not actor.can_answer:
        return TransitionError("no_permission", "没有处理咨询的权限。")
    return None


def check(
    state: State | str, action: Action | str, actor: Actor, context: Context = Context()
) -> None:
    """Raise :class:`TransitionError` unless ``actor`` may take ``action`` now."""
    state, action = State(state), Action(action)
    refusal = _role_refusal(action, actor)
    if refusal:
        raise refusal
    if state not in _FROM[action]:
        raise TransitionError("wrong_state", f"当前状态（{state.value}）不能执行“{action.value}”。")
    if action in (Action.SIGN_OFF, Action.SEND_BACK) and not context.has_answer:
        raise TransitionError("no_answer", "尚无答复可审核。")
    if action == Action.CLOSE_DUPLICATE and not context.duplicate_target_answered:
        raise TransitionError("duplicate_unanswered", "只能关闭为已答复咨询的重复问题。")


def target(state: State | str, action: Action | str, context: Context = Context()) -> State:
    """The state after ``action`` (no permission checks)."""
    state, action = State(state), Action(action)
    if action == Action.FOLLOW_UP:
        if state in OPEN_STATES:
            return state
        return State.ASSIGNED if context.has_assignee else State.SUBMITTED
    return {
        Action.ASSIGN: State.ASSIGNED,
        Action.ANSWER: State.ANSWERED,
        Action.SEND_BACK: State.ASSIGNED,
        Action.SIGN_OFF: State.REVIEWED,
        Action.PUBLISH: State.PUBLISHED,
        Action.CLOSE: State.CLOSED,
        Action.CLOSE_DUPLICATE: State.CLOSED,
        Action.WITHDRAW: State.CLOSED,
        Action.UNPUBLISH: State.REVIEWED,
    }[action]


def apply(
    state: State | str, action: Action | str, actor: Actor, context: Context = Context()
) -> State:
    """Check and return the new state."""
    check(state, action, actor, context)
    return target(state, action, context)


def allowed_actions(state: State | str, actor: Actor, context: Context = Context()) -> list[Action]:
    """Every action ``actor`` may take now, in a stable order (for buttons)."""
    result = []
    for action in Action:
        try:
            check(state, action, actor, context)
        except TransitionError:
            continue
        result.append(action)
    return result


def reopens(state: State | str) -> bool:
    """Whether a follow-up in ``state`` sends the question back to the answerers."""
    return State(state) not in OPEN_STATES
