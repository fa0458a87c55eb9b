"""The safe trim bound and reviewer authentication (pure)."""

from __future__ import annotations

import base64

import pytest

from bonemet_audit.auth import ConfigurationError, authenticate, parse_reviewers
from bonemet_shared.trimming import GroupPosition, safe_minid

TOKEN = "a-long-enough-token-1"


def test_minid_stops_at_the_oldest_pending_entry() -> None:
    assert safe_minid([GroupPosition("5-3", "2-0")]) == "2-0"


def test_minid_is_just_after_the_last_delivered_entry_when_nothing_is_pending() -> None:
    assert safe_minid([GroupPosition("5-3", None)]) == "5-4"


def test_minid_keeps_what_any_group_still_needs() -> None:
    assert safe_minid([GroupPosition("9-0", None), GroupPosition("7-0", "3-1")]) == "3-1"


def test_nothing_is_trimmed_without_a_group() -> None:
    assert safe_minid([]) is None


def test_nothing_delivered_trims_nothing() -> None:
    assert safe_minid([GroupPosition("0-0", None)]) == "0-1"


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_tokens_authenticate_their_reviewer() -> None:
    reviewers = parse_reviewers(f"alice:{TOKEN}, bob:another-long-token-2")
    assert authenticate(reviewers, {"authorization": f"Bearer {TOKEN}"}).principal == "alice"
    assert authenticate(reviewers, {"authorization": basic("bob", "another-long-token-2")}).principal == "bob"
    assert authenticate(reviewers, {"authorization": basic("bob", TOKEN)}).principal is None  # alice's token
    wrong = authenticate(reviewers, {"authorization": "Bearer nope"})
    assert (wrong.principal, wrong.presented) == (None, True)
    assert authenticate(reviewers, {}).presented is False


def test_the_proxy_header_counts_only_when_configured() -> None:
    assert authenticate(parse_reviewers(None), {"x-forwarded-user": "carol"}).principal is None
    proxied = parse_reviewers(None, "X-Forwarded-User")
    assert authenticate(proxied, {"x-forwarded-user": "carol"}).principal == "carol"


@pytest.mark.parametrize("spec", ["alice", "alice:short", ":" + TOKEN])
def test_bad_token_settings_are_refused(spec: str) -> None:
    with pytest.raises(ConfigurationError):
        parse_reviewers(spec)
