"""Property: whatever interleaving of new posts, faults and crashes, the stored posts equal the
server's posts once a pass succeeds — none lost, none doubled — and are never more than that."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from merkwacht.collector.base import Page
from merkwacht.collector.fakeserver import FakePlatformServer
from merkwacht.core.models import Post
from merkwacht.core.settings import Settings

from .conftest import PLATFORMS, register

_handles = itertools.count(1)

OPS = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(min_value=1, max_value=130)),
        st.tuples(st.just("fault"), st.sampled_from(["rate_limit", "server_error", "truncated", "slow", "malformed"]),
                  st.integers(min_value=0, max_value=2)),
        st.tuples(st.just("crash"), st.integers(min_value=1, max_value=3)),
        st.just(("run",)),
    ),
    min_size=1, max_size=8,
)


class Crash(RuntimeError):
    """Stands for the process dying between fetching a page and committing it."""


@hyp_settings(max_examples=20, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(platform=st.sampled_from(PLATFORMS), ops=OPS)
def test_stored_posts_always_equal_the_servers_posts(
    platform: str, ops: list[tuple], engine: Engine, server: FakePlatformServer, settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server.clear_faults()
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        n = next(_handles)
        handle = f"prop{n}.bsky.social" if platform == "bluesky" else f"prop{n}"
        brand = register(session, server, settings, monkeypatch, platform, handle=handle)
        minute = 0
        crash_at: list[int] = []
        created: set[str] = set()

        def run() -> str:
            pages = itertools.count(1)

            def maybe_crash(_page: Page) -> None:
                if crash_at and next(pages) == crash_at[0]:
                    crash_at.clear()
                    raise Crash("killed between fetch and commit")

            brand.account.next_allowed_at = None  # time passes between runs
            result = brand.collect(backfill=not brand.account.cursor, before_commit=maybe_crash)
            stored = brand.stored_ids(alive=False)
            assert len(stored) == len(set(stored)) == brand.row_count()  # never doubled
            assert set(stored) <= created  # never invented
            return result.status

        for op in ops:
            if op[0] == "add":
                for _ in range(op[1]):
                    minute += 1
                    created.add(brand.post(f"Bericht {minute} 🌷", minute))
            elif op[0] == "fault":
                server.inject_fault(platform=platform, kind=op[1], after=op[2], seconds=0.6,
                                    endpoint=None if platform != "reddit" else "user_overview")
            elif op[0] == "crash":
                crash_at[:] = [op[1]]
            else:
                run()

        server.clear_faults()
        crash_at.clear()
        # a pass cut off earlier is finished first; posts published meanwhile come with the next pass
        for _ in range(3):
            if run() == "nothing_new":
                break
        assert brand.stored_ids() == brand.server_ids()  # none lost
        assert brand.row_count() == len(created)
        duplicates = session.scalar(select(func.count()).select_from(
            select(Post.platform_post_id).where(Post.account_id == brand.account.id)
            .group_by(Post.platform_post_id).having(func.count() > 1).subquery()))
        assert duplicates == 0
    finally:
        session.close()
        outer.rollback()
        connection.close()
