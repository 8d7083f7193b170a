"""0005_segment_cue_start_times: segments get a time of their own; older ones their turn's."""

from __future__ import annotations

from focuscode.store import ProjectStore

MIGRATION = "0005_segment_cue_start_times"


def test_the_migration_gives_older_segments_their_turns_time(store_before):
    path, segments = store_before(MIGRATION)
    upgraded = ProjectStore(path)
    assert MIGRATION in upgraded.db.applied_migrations()
    times = [row[0] for row in upgraded.db.query("SELECT start_time FROM segments ORDER BY idx")]
    assert times == [s.start_time for s in segments] and 760.0 in times
    assert [s.start_time for s in upgraded.segments()] == times
    upgraded.close()
