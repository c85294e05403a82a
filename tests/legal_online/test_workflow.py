"""The consultation state machine, every role at every step (no database)."""

import pytest

from legal_online.workflow import (
    Action,
    Actor,
    Context,
    State,
    TransitionError,
    allowed_actions,
    apply,
    check,
    reopens,
)

ASKER = Actor(is_asker=True)
OTHER_OFFICER = Actor()
STAFF = Actor(can_answer=True, can_review=True)
ASSIGNEE = Actor(can_answer=True, can_review=True, is_assignee=True)
AUTHOR = Actor(can_answer=True, can_review=True, is_assignee=True, wrote_answer=True)
REVIEWER = Actor(can_answer=True, can_review=True)
ANSWER_ONLY = Actor(can_answer=True)
WITH_ANSWER = Context(has_assignee=True, has_answer=True)


@pytest.mark.parametrize(
    "state, action, actor, context, expected",
    [
        (State.SUBMITTED, Action.ASSIGN, STAFF, Context(), State.ASSIGNED),
        (State.ASSIGNED, Action.ASSIGN, STAFF, Context(has_assignee=True), State.ASSIGNED),
        (State.ASSIGNED, Action.ANSWER, ASSIGNEE, Context(has_assignee=True), State.ANSWERED),
        (State.ANSWERED, Action.SIGN_OFF, REVIEWER, WITH_ANSWER, State.REVIEWED),
        (State.ANSWERED, Action.SEND_BACK, REVIEWER, WITH_ANSWER, State.ASSIGNED),
        (State.REVIEWED, Action.PUBLISH, STAFF, WITH_ANSWER, State.PUBLISHED),
        (State.REVIEWED, Action.CLOSE, STAFF, WITH_ANSWER, State.CLOSED),
        (State.SUBMITTED, Action.CLOSE, STAFF, Context(), State.CLOSED),
        (State.SUBMITTED, Action.CLOSE_DUPLICATE, STAFF, Context(), State.CLOSED),
        (State.ASSIGNED, Action.CLOSE_DUPLICATE, STAFF, Context(has_assignee=True), State.CLOSED),
        (State.PUBLISHED, Action.UNPUBLISH, STAFF, WITH_ANSWER, State.REVIEWED),
        (State.SUBMITTED, Action.WITHDRAW, ASKER, Context(), State.CLOSED),
        # follow-ups: open questions keep their state, answered ones reopen
        (State.SUBMITTED, Action.FOLLOW_UP, ASKER, Context(), State.SUBMITTED),
        (State.ANSWERED, Action.FOLLOW_UP, ASKER, WITH_ANSWER, State.ANSWERED),
        (State.REVIEWED, Action.FOLLOW_UP, ASKER, WITH_ANSWER, State.ASSIGNED),
        (State.PUBLISHED, Action.FOLLOW_UP, ASKER, WITH_ANSWER, State.ASSIGNED),
        (State.CLOSED, Action.FOLLOW_UP, ASKER, Context(has_assignee=False), State.SUBMITTED),
    ],
)
def test_allowed_transitions(state, action, actor, context, expected):
    assert apply(state, action, actor, context) == expected


@pytest.mark.parametrize(
    "state, action, actor, context, reason",
    [
        # officers (asker or not) cannot run staff steps
        (State.SUBMITTED, Action.ASSIGN, ASKER, Context(), "no_permission"),
        (State.ASSIGNED, Action.ANSWER, ASKER, Context(has_assignee=True), "no_permission"),
        (State.ANSWERED, Action.SIGN_OFF, ASKER, WITH_ANSWER, "no_permission"),
        (State.REVIEWED, Action.PUBLISH, ASKER, WITH_ANSWER, "no_permission"),
        (State.SUBMITTED, Action.CLOSE, ASKER, Context(), "no_permission"),
        (State.SUBMITTED, Action.CLOSE_DUPLICATE, OTHER_OFFICER, Context(), "no_permission"),
        # only the asker follows up or withdraws
        (State.REVIEWED, Action.FOLLOW_UP, OTHER_OFFICER, WITH_ANSWER, "not_asker"),
        (State.REVIEWED, Action.FOLLOW_UP, STAFF, WITH_ANSWER, "not_asker"),
        (State.SUBMITTED, Action.WITHDRAW, STAFF, Context(), "not_asker"),
        # answering is for the assignee
        (State.ASSIGNED, Action.ANSWER, STAFF, Context(has_assignee=True), "not_assignee"),
        # sign-off by a second person with the review permission
        (State.ANSWERED, Action.SIGN_OFF, AUTHOR, WITH_ANSWER, "own_answer"),
        (State.ANSWERED, Action.SEND_BACK, AUTHOR, WITH_ANSWER, "own_answer"),
        (State.ANSWERED, Action.SIGN_OFF, ANSWER_ONLY, WITH_ANSWER, "no_permission"),
        # wrong states
        (State.SUBMITTED, Action.ANSWER, ASSIGNEE, Context(), "wrong_state"),
        (State.ASSIGNED, Action.PUBLISH, STAFF, Context(has_assignee=True), "wrong_state"),
        (State.ANSWERED, Action.PUBLISH, STAFF, WITH_ANSWER, "wrong_state"),
        (State.PUBLISHED, Action.CLOSE, STAFF, WITH_ANSWER, "wrong_state"),
        (State.CLOSED, Action.ASSIGN, STAFF, Context(), "wrong_state"),
        (State.ANSWERED, Action.CLOSE_DUPLICATE, STAFF, WITH_ANSWER, "wrong_state"),
        (State.ANSWERED, Action.WITHDRAW, ASKER, WITH_ANSWER, "wrong_state"),
        (State.REVIEWED, Action.SIGN_OFF, REVIEWER, WITH_ANSWER, "wrong_state"),
        (State.ANSWERED, Action.SIGN_OFF, REVIEWER, Context(has_assignee=True), "no_answer"),
        (
            State.SUBMITTED,
            Action.CLOSE_DUPLICATE,
            STAFF,
            Context(duplicate_target_answered=False),
            "duplicate_unanswered",
        ),
    ],
)
def test_refused_transitions(state, action, actor, context, reason):
    with pytest.raises(TransitionError) as info:
        check(state, action, actor, context)
    assert info.value.reason == reason
    assert info.value.message


def test_full_path_needs_two_staff_members():
    state = State.SUBMITTED
    state = apply(state, Action.ASSIGN, STAFF)
    state = apply(state, Action.ANSWER, ASSIGNEE, Context(has_assignee=True))
    with pytest.raises(TransitionError):
        apply(state, Action.SIGN_OFF, AUTHOR, WITH_ANSWER)
    state = apply(state, Action.SIGN_OFF, REVIEWER, WITH_ANSWER)
    assert apply(state, Action.PUBLISH, STAFF, WITH_ANSWER) == State.PUBLISHED


@pytest.mark.parametrize(
    "state, actor, expected",
    [
        (State.SUBMITTED, ASKER, [Action.FOLLOW_UP, Action.WITHDRAW]),
        (State.REVIEWED, OTHER_OFFICER, []),
        (State.SUBMITTED, STAFF, [Action.ASSIGN, Action.CLOSE, Action.CLOSE_DUPLICATE]),
        (State.ANSWERED, AUTHOR, [Action.CLOSE]),
        (State.ANSWERED, REVIEWER, [Action.SEND_BACK, Action.SIGN_OFF, Action.CLOSE]),
        (State.REVIEWED, STAFF, [Action.PUBLISH, Action.CLOSE]),
    ],
)
def test_allowed_actions_lists_buttons(state, actor, expected):
    assert allowed_actions(state, actor, WITH_ANSWER) == expected


@pytest.mark.parametrize(
    "state, expected",
    [
        (State.SUBMITTED, False),
        (State.ASSIGNED, False),
        (State.ANSWERED, False),
        (State.REVIEWED, True),
        (State.PUBLISHED, True),
        (State.CLOSED, True),
    ],
)
def test_reopens(state, expected):
    assert reopens(state) is expected
