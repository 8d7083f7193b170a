"""Analysing a project with the deterministic embedder: reproducible themes, cached embeddings."""

from __future__ import annotations

import pytest

from focuscode.domain import AnalysisError


def themes_and_members(project) -> tuple[list, dict[int, int | None]]:
    """Run-independent view of the latest run: themes by number, segment -> theme number."""
    run = project.store.latest_run()
    themes = project.store.themes(run.id)
    number = {theme.id: theme.number for theme in themes}
    described = [(t.number, t.label, t.keywords, t.size, t.exemplar_ids) for t in themes]
    members = {m.segment_id: number.get(m.theme_id) for m in project.store.memberships(run.id)}
    return described, members


def test_first_analysis_embeds_every_distinct_segment(imported_project):
    included = imported_project.store.segments(included_only=True)
    report = imported_project.analyse()
    assert report.n_segments == len(included)
    assert report.n_embedded == len({s.text for s in included})
    assert report.model_id == "hashing-256-0"
    assert report.n_themes >= 3
    assert report.n_unassigned < report.n_segments / 2


def test_same_settings_give_the_same_themes(analysed_project):
    first = themes_and_members(analysed_project)
    report = analysed_project.analyse()
    assert report.run_id == 2
    assert themes_and_members(analysed_project) == first


def test_second_analysis_uses_the_embedding_cache(analysed_project):
    assert analysed_project.analyse().n_embedded == 0
    analysed_project.configure(min_cluster_size=9, cluster_selection_method="leaf")
    assert analysed_project.analyse().n_embedded == 0


def test_run_records_settings_model_and_versions(analysed_project):
    run = analysed_project.store.latest_run()
    settings = analysed_project.settings.to_dict()
    assert run.params == {**settings, "min_cluster_size_used": 6, "stability_runs_used": 10}
    assert (run.model_id, run.random_state, run.status) == ("hashing-256-0", 42, "finished")
    assert {"focuscode", "python", "scikit-learn", "numpy"} <= set(run.versions)
    assert run.n_segments == len(analysed_project.store.segments(included_only=True))


def test_every_included_segment_has_one_membership(analysed_project):
    run = analysed_project.store.latest_run()
    members = analysed_project.store.memberships(run.id)
    included = [s.id for s in analysed_project.store.segments(included_only=True)]
    assert [m.segment_id for m in members] == included
    themes = {t.id for t in analysed_project.store.themes(run.id)}
    for member in members:
        assert member.theme_id is None or member.theme_id in themes
        assert 1 <= len(member.nearest) <= 3 and {t for t, _ in member.nearest} <= themes
        similarities = [similarity for _, similarity in member.nearest]
        assert similarities == sorted(similarities, reverse=True)
        # unassigned segments, and outliers that joined their nearest theme, have probability 0
        assert member.theme_id is not None or member.probability == 0.0


def test_theme_summaries_are_ordered_with_the_unassigned_queue_last(analysed_project):
    summaries = analysed_project.themes()
    themes, queue = summaries[:-1], summaries[-1]
    assert [s.number for s in themes] == list(range(len(themes)))
    sizes = [s.n_segments for s in themes]
    assert sizes == sorted(sizes, reverse=True)
    assert (queue.is_queue, queue.label, queue.status) == (True, "(unassigned)", "unassigned")
    assert sum(s.n_segments for s in summaries) == analysed_project.store.latest_run().n_segments
    assert all(s.exemplar and s.exemplar_speaker for s in themes)
    assert "moderator" not in {role for s in summaries for role in s.by_role}


def test_speaker_names_are_not_keywords(analysed_project):
    names = {word.strip(".").lower() for s in analysed_project.store.speakers()
             for word in s.label.split()}
    keywords = {word for s in analysed_project.themes() for k in s.keywords for word in k.split()}
    assert names & keywords == set()


def test_nothing_to_analyse_is_an_analysis_error(project):
    with pytest.raises(AnalysisError, match="no segments to analyse"):
        project.analyse()


def test_too_few_segments_is_an_analysis_error(project, tiny_transcript):
    project.import_files([tiny_transcript])
    project.configure(min_content_words=10)
    with pytest.raises(AnalysisError, match="only 5 segments to cluster"):
        project.analyse()
    assert project.store.runs() == []


def test_min_cluster_size_zero_returns_to_automatic(project) -> None:
    assert project.configure(min_cluster_size=12).min_cluster_size == 12
    assert project.configure(min_cluster_size=0).min_cluster_size is None
    assert project.configure(n_components=0).n_components is None


def test_umap_is_the_default_reducer_and_an_unknown_one_is_refused(project) -> None:
    from focuscode.domain import ConfigError

    assert (project.settings.reducer, project.settings.n_components) == ("umap", 5)
    with pytest.raises(ConfigError, match="reducer must be one of umap, pca, none"):
        project.configure(reducer="tsne")
    assert project.settings.reducer == "umap"
    assert project.configure(reducer="pca").reducer == "pca"


def test_settings_stored_before_umap_keep_meaning() -> None:
    from focuscode.workflows.settings import AnalysisSettings

    old_default = AnalysisSettings.from_dict({"n_components": 10, "min_samples": 1})
    assert (old_default.reducer, old_default.n_components) == ("umap", 5)
    chosen = AnalysisSettings.from_dict({"n_components": 20})
    assert (chosen.reducer, chosen.n_components) == ("pca", 20)
