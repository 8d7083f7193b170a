"""focuscode: from focus-group transcripts to reviewed themes, keeping the researcher in charge."""

__version__ = "0.1.0"

__all__ = ["__version__"]
