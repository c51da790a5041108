"""The interview runner and its page: drafts, new interview (consent first), one screen at a time."""

from fieldkit.gui.interview.page import InterviewPage
from fieldkit.gui.interview.runner import InterviewRunner

__all__ = ["InterviewPage", "InterviewRunner"]
