"""Benchmarks run on demand (``python -m benchmarks quality|speed|scale``), never in the test run.

Each prints focuscode beside its peer (BERTopic with the same embeddings) from one run.
"""
