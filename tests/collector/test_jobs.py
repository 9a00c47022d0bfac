"""The scheduler's collection jobs: one per opted-in account, stable across restarts, revoked
accounts removed and never requested, overlapping runs skipped."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, delete, select

from merkwacht.cli import schedule as schedule_cli
from merkwacht.collector import jobs
from merkwacht.collector.fakeserver import FakePlatformServer
from merkwacht.core import db
from merkwacht.core.models import Account, CollectionRun, Post
from merkwacht.core.repository.accounts import add_account, find_account, opt_in, revoke
from merkwacht.core.settings import Settings, set_settings


@pytest.fixture
def committed(engine: Engine, database_url: str, server: FakePlatformServer, monkeypatch: pytest.MonkeyPatch
              ) -> Iterator[dict[str, int]]:
    """Three committed accounts (two opted in) in the test database; removed afterwards with their jobs."""
    set_settings(Settings(database_url=database_url, **server.settings_overrides(), http_backoff=0,
                          http_timeout=0.5, pseudonym_key="test-pseudonym-key-0123456789"))
    monkeypatch.setenv("JOB_X_BEARER_TOKEN", "job-secret")
    tag = uuid.uuid4().hex[:8]
    ids: dict[str, int] = {}
    with db.session_scope(engine) as session:
        for name, opted in (("a", True), ("b", True), ("c", False)):
            handle = f"job{name}{tag}"
            server.add_account(platform="x", handle=handle)
            account = add_account(session=session, platform="x", handle=handle, unit="Comms", purpose="Toetsing",
                                  credentials_env="JOB_X")
            if opted:
                opt_in(session=session, account=account, by="Hoofd communicatie", role="owner")
            ids[name] = account.id
    yield ids
    scheduler = schedule_cli.build_scheduler(blocking=False, engine=engine)
    scheduler.start(paused=True)
    for job_id in [jobs.collection_job_id(i) for i in ids.values()]:
        if scheduler.get_job(job_id):
            scheduler.remove_job(job_id)
    scheduler.shutdown(wait=False)
    with db.session_scope(engine) as session:
        session.execute(delete(CollectionRun).where(CollectionRun.account_id.in_(ids.values())))
        session.execute(delete(Account).where(Account.id.in_(ids.values())))


def _collection_jobs(scheduler: object, ids: dict[str, int]) -> dict[str, object]:
    ours = {jobs.collection_job_id(i) for i in ids.values()}
    return {job.id: job for job in scheduler.get_jobs() if job.id in ours}  # type: ignore[attr-defined]


def test_one_job_per_opted_in_account_surviving_a_restart(engine: Engine, committed: dict[str, int]) -> None:
    scheduler = schedule_cli.build_scheduler(blocking=False, engine=engine)
    report = schedule_cli.prepare(scheduler, engine=engine)
    found = _collection_jobs(scheduler, committed)
    assert set(found) == {jobs.collection_job_id(committed["a"]), jobs.collection_job_id(committed["b"])}
    assert set(found) <= set(report.added)
    job = found[jobs.collection_job_id(committed["a"])]
    assert (job.coalesce, job.max_instances) == (True, 1)
    assert job.trigger.jitter and job.kwargs == {"account_id": committed["a"]}
    assert job.func_ref == jobs.COLLECT_FUNC
    first_run_times = {j.id: j.next_run_time for j in found.values()}
    scheduler.shutdown(wait=False)

    restarted = schedule_cli.build_scheduler(blocking=False, engine=engine)
    again = schedule_cli.prepare(restarted, engine=engine)
    found = _collection_jobs(restarted, committed)
    assert len(found) == 2 and not (set(found) & set(again.added))
    assert set(found) <= set(again.kept)
    assert {j.id: j.next_run_time for j in found.values()} == first_run_times  # not restarted by the re-sync
    assert [j.id for j in restarted.get_jobs()].count(jobs.collection_job_id(committed["a"])) == 1
    restarted.shutdown(wait=False)


def test_revoked_account_job_is_removed_and_its_job_requests_nothing(
    engine: Engine, committed: dict[str, int], server: FakePlatformServer
) -> None:
    scheduler = schedule_cli.build_scheduler(blocking=False, engine=engine)
    schedule_cli.prepare(scheduler, engine=engine)
    with db.session_scope(engine) as session:
        account = session.get(Account, committed["b"])
        revoke(session=session, account=find_account(session=session, handle=account.handle), by="Hoofd comms")
    # the job already in the store re-reads the account: nothing is requested
    assert jobs.collect_job(account_id=committed["b"]) == "not_collected"
    assert server.request_count() == 0
    report = schedule_cli.resync(scheduler, engine=engine)
    assert jobs.collection_job_id(committed["b"]) in report.removed
    assert set(_collection_jobs(scheduler, committed)) == {jobs.collection_job_id(committed["a"])}
    scheduler.shutdown(wait=False)


def test_overlapping_runs_of_one_account_are_skipped(
    committed: dict[str, int], server: FakePlatformServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, release = threading.Event(), threading.Event()
    real = jobs.collect_account

    def slow_collect(**kwargs: object) -> object:
        started.set()
        release.wait(10)
        return real(**kwargs)

    monkeypatch.setattr(jobs, "collect_account", slow_collect)
    results: list[str] = []
    worker = threading.Thread(target=lambda: results.append(jobs.collect_job(account_id=committed["a"])))
    worker.start()
    assert started.wait(10)
    assert jobs.collect_job(account_id=committed["a"]) == "skipped"
    release.set()
    worker.join(10)
    assert results == ["nothing_new"]
    assert server.request_count(endpoint="users_tweets") == 1


def test_after_collection_hooks_get_the_result(committed: dict[str, int], server: FakePlatformServer,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []
    monkeypatch.setattr(jobs, "AFTER_COLLECTION", [seen.append])
    server.add_post(platform="x", handle=_handle(committed, "a"), text="Nieuw bericht")
    assert jobs.collect_job(account_id=committed["a"]) == "ok"
    assert [r.new for r in seen] == [1]


def _handle(committed: dict[str, int], name: str) -> str:
    engine = db.get_engine()
    with db.session_scope(engine) as session:
        return session.get(Account, committed[name]).handle


def test_analysis_runs_after_a_collection_that_found_something(
    tmp_path: object, server: FakePlatformServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path}/analyse.db"
    db.upgrade(url)
    set_settings(Settings(database_url=url, **server.settings_overrides(), http_backoff=0, http_timeout=2,
                          pseudonym_key="test-pseudonym-key-0123456789"))
    engine = db.get_engine(url)
    with db.session_scope(engine) as session:
        account = add_account(session=session, platform="bluesky", handle="analyse.bsky.social", unit="Comms",
                              purpose="Toetsing")
        opt_in(session=session, account=account, by="Hoofd communicatie", role="owner")
        account_id = account.id
    server.add_post(platform="bluesky", handle="analyse.bsky.social",
                    text="Uit ons onderzoek blijkt dat 40% van de studenten te weinig slaapt.")
    monkeypatch.setattr(jobs, "AFTER_COLLECTION", [])
    schedule_cli._wire_analysis()
    assert jobs.AFTER_COLLECTION == [schedule_cli.analyse_after_collection]
    assert jobs.collect_job(account_id=account_id) == "ok"
    with engine.connect() as conn:
        analysed = conn.execute(select(Post.analysed_key).where(Post.account_id == account_id)).scalars().all()
    assert analysed and all(analysed)


def test_rechecks_follow_the_recheck_hours_setting() -> None:
    from datetime import UTC, datetime, timedelta

    now = datetime(2026, 12, 5, 12, tzinfo=UTC)
    x = Account(platform="x", handle="merk", last_recheck_at=None)
    mastodon = Account(platform="mastodon", handle="merk", last_recheck_at=now - timedelta(hours=23))
    default = Settings().recheck_hours
    assert not jobs.recheck_due(x, now, hours=default)  # X charges per read: not unless asked for
    assert not jobs.recheck_due(mastodon, now, hours=default)  # rechecked 23 hours ago, every 24
    mastodon.last_recheck_at = now - timedelta(hours=25)
    assert jobs.recheck_due(mastodon, now, hours=default)
    weekly = Settings(recheck_hours={"x": 168}).recheck_hours
    assert jobs.recheck_due(x, now, hours=weekly)
    x.last_recheck_at = now - timedelta(days=6)
    assert not jobs.recheck_due(x, now, hours=weekly)


def test_recheck_hours_names_a_wrong_platform_or_value(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="unknown platform 'twitter'"):
        Settings(recheck_hours={"twitter": 24})
    with pytest.raises(ValidationError, match="hours for 'x' must be more than 0"):
        Settings(recheck_hours={"x": 0})
    monkeypatch.setenv("MERKWACHT_RECHECK_HOURS", '{"x": 168, "mastodon": 12}')
    assert Settings().recheck_hours == {"x": 168.0, "mastodon": 12.0}
