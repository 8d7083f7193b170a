"""Widgets of the review workbench, each named for what it shows."""

from focuscode.tui.widgets.entry_table import EntryTable
from focuscode.tui.widgets.job_panel import JobPanel, TuiProgress
from focuscode.tui.widgets.segment_table import SegmentTable
from focuscode.tui.widgets.segment_view import SegmentView
from focuscode.tui.widgets.status_bar import StatusBar

__all__ = ["EntryTable", "JobPanel", "SegmentTable", "SegmentView", "StatusBar", "TuiProgress"]
